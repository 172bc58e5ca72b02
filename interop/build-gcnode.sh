#!/usr/bin/env bash
# Builds the reference Go node (gcnode/main.go) against Debian's packaged
# golang/groupcache, in GOPATH mode, and prints the binary's path on stdout
# (nothing else: callers read it). Callable from any directory.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
gopath=/usr/share/gocode
if ! command -v go >/dev/null 2>&1 || [ ! -d "$gopath/src/github.com/golang/groupcache" ]; then
  echo "build-gcnode: needs Go and golang/groupcache, install them with: apt-get install golang-go golang-github-golang-groupcache-dev" >&2
  exit 1
fi
cd "$here/gcnode"
# CGO off: a pure-Go binary, so no C compiler is needed. GOFLAGS cleared: a
# -mod=... from the environment is an error in GOPATH mode.
GO111MODULE=off GOPATH=$gopath CGO_ENABLED=0 GOFLAGS= go build -o gcnode . >&2
echo "$here/gcnode/gcnode"
