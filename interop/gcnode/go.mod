// Module mode (outside Debian's GOPATH): run `go mod tidy` once, with network,
// to write go.sum. build-gcnode.sh does not use this file (GO111MODULE=off).
module geecache-ts/interop/gcnode

go 1.19

require github.com/golang/groupcache v0.0.0-20200121045136-8c9f03a8e57e

require github.com/golang/protobuf v1.3.5 // indirect
