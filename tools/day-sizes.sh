#!/usr/bin/env bash
# Prints, as a Markdown table, how many lines of code each day adds or removes
# against the day before: the code a learner writes, so chapters, tests, the test
# helpers (testing.ts) and generated protobuf code are left out.
# Run from the repository root: bash tools/day-sizes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
days=(day*/)
empty=$(mktemp -d)
trap 'rmdir "$empty"' EXIT
echo '| from | to | code lines changed |'
echo '|---|---|---|'
n=$(diff -ruN "$empty" "${days[0]%/}" -x node_modules -x README.md -x '*.test.ts' -x testing.ts | grep -cE '^[+-][^+-]' || true)
echo "| (nothing) | ${days[0]%/} | $n |"
for ((i = 1; i < ${#days[@]}; i++)); do
  a=${days[i - 1]%/} b=${days[i]%/}
  n=$(diff -ruN "$a" "$b" -x node_modules -x README.md -x '*.test.ts' -x testing.ts -x geecachepb | grep -cE '^[+-][^+-]' || true)
  echo "| $a | $b | $n |"
done
