#!/usr/bin/env bash
# Regenerates day 7's typed protobuf module (.js + .d.ts) from its .proto.
# With --check, generates into a temporary folder and fails if the committed files differ.
set -euo pipefail
cd "$(dirname "$0")/.."
src=day7-protobuf/geecachepb
out=$src
if [ "${1:-}" = --check ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
npx pbjs -t static-module -w es6 --no-verify --no-convert --no-delimited --no-typeurl \
  -o "$out/geecachepb.js" "$src/geecachepb.proto"
npx pbts -o "$out/geecachepb.d.ts" "$out/geecachepb.js"
if [ "$out" != "$src" ]; then
  for file in geecachepb.js geecachepb.d.ts; do
    diff -u "$src/$file" "$out/$file" ||
      { echo "error: $src/$file is stale: run npm run gen:proto and commit the result" >&2; exit 1; }
  done
  echo "gen:proto: the committed protobuf code matches $src/geecachepb.proto"
fi
