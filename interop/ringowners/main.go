// Prints the owners that groupcache's own consistenthash picks for a list of
// keys, at 50 and at 3 replicas: the table that day 4's consistenthash.test.ts
// checks HashRing against, key by key. Run, with Debian's golang-go and
// golang-github-golang-groupcache-dev installed (nothing is downloaded):
//
//	cd interop/ringowners && GO111MODULE=off GOPATH=/usr/share/gocode go run main.go
package main

import (
	"fmt"

	"github.com/golang/groupcache/consistenthash"
)

func main() {
	nodes := []string{"http://localhost:8001", "http://localhost:8002", "http://localhost:8003"}
	keys := []string{
		"Tom", "Jack", "Sam", "kkk", "", " ", "a", "A", "0", "42", "key0", "key1",
		"key99999", "user:1001", "/api/v1/scores?name=Tom", "Tom ", "tom",
		"héllo", "日本語", "emoji 🚀", "tab\tkey", "http://localhost:8001", "key237", "key54",
	}
	for _, replicas := range []int{50, 3} {
		m := consistenthash.New(replicas, nil)
		m.Add(nodes...)
		fmt.Printf("// replicas %d\n", replicas)
		for _, k := range keys {
			fmt.Printf("  [%q, %q],\n", k, m.Get(k))
		}
	}
}
