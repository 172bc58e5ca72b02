// gcnode is a reference node of the real github.com/golang/groupcache
// library, for the interop check: a group "scores" (the demo's three scores,
// or a JSON file of key to string value), served to peers by groupcache's own
// HTTPPool, plus two small endpoints of ours:
//
//	GET /_owner?key=K  (on the peer port) the peer URL that owns K
//	GET /api?key=K     (on -api-port) the raw value of K, 404 when it does not exist
//
// Build: bash ../build-gcnode.sh (GOPATH mode, Debian's packaged library).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/golang/groupcache"
	"github.com/golang/groupcache/consistenthash"
)

// replicas is the number of virtual nodes per peer, as on the TypeScript side.
const replicas = 50

// notFound is the getter's error for a key the database does not hold.
type notFound struct{ key string }

func (e notFound) Error() string { return e.key + " not exist" }

// printable escapes control characters as \uXXXX, as the TypeScript node's
// printable() does, so the two nodes print the same load line for a key.
func printable(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r <= 0x1f || (r >= 0x7f && r <= 0x9f) {
			fmt.Fprintf(&b, "\\u%04x", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, each := range list {
		if each == s {
			return true
		}
	}
	return false
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("gcnode: ")
	self := flag.String("self", "http://127.0.0.1:8101", "this node's base URL; it listens on its host:port")
	peerFlag := flag.String("peers", "", "comma-separated base URLs of every node, this one included (default: -self alone)")
	basePath := flag.String("base-path", "/_groupcache/", "path prefix of peer requests")
	apiPort := flag.Int("api-port", 0, "also serve GET /api?key=K on this port (0: no API)")
	dbFile := flag.String("db", "", "a JSON object of key to string value, instead of the three scores")
	flag.Parse()

	db := map[string]string{"Tom": "630", "Jack": "589", "Sam": "567"}
	if *dbFile != "" {
		data, err := os.ReadFile(*dbFile)
		if err == nil {
			db = nil
			err = json.Unmarshal(data, &db)
		}
		if err != nil {
			log.Fatalf("cannot read -db %s: %v", *dbFile, err)
		}
	}
	selfURL, err := url.Parse(*self)
	if err != nil || selfURL.Scheme != "http" || selfURL.Port() == "" {
		log.Fatalf("-self must be a base URL like http://127.0.0.1:8101, got %q", *self)
	}
	peers := []string{*self}
	if *peerFlag != "" {
		peers = strings.Split(*peerFlag, ",")
		for i := range peers {
			peers[i] = strings.TrimSpace(peers[i])
		}
	}

	// The getter plays the slow database and prints one line per load, as the
	// TypeScript node does. os.Stdout is not buffered: each line goes out at once.
	groupcache.NewGroup("scores", 64<<20, groupcache.GetterFunc(
		func(ctx context.Context, key string, dest groupcache.Sink) error {
			fmt.Printf("[SlowDB] search key %s\n", printable(key))
			value, ok := db[key]
			if !ok {
				return notFound{key}
			}
			return dest.SetString(value)
		}))

	// groupcache's own peer pool: it owns the hash ring, picks peers and
	// serves GET <base-path><group>/<key> with a protobuf GetResponse.
	pool := groupcache.NewHTTPPoolOpts(*self, &groupcache.HTTPPoolOptions{BasePath: *basePath, Replicas: replicas})
	pool.Set(peers...)

	// The pool keeps its ring private, so /_owner asks a second ring built
	// from the same inputs as HTTPPool.Set builds its own: consistenthash.New
	// with the same replicas and hash (nil: crc32.ChecksumIEEE), the same peers.
	ring := consistenthash.New(replicas, nil)
	ring.Add(peers...)

	mux := http.NewServeMux()
	mux.Handle(*basePath, pool)
	mux.HandleFunc("/_owner", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, ring.Get(r.URL.Query().Get("key")))
	})
	// The requests this node served to peers, as groupcache counts them.
	mux.HandleFunc("/_stats", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "{\"serverRequests\":%d}\n", groupcache.GetGroup("scores").Stats.ServerRequests.Get())
	})

	if *apiPort != 0 {
		api := http.NewServeMux()
		api.HandleFunc("/api", func(w http.ResponseWriter, r *http.Request) {
			key := r.URL.Query().Get("key")
			if key == "" {
				http.Error(w, "key is required: GET /api?key=K", http.StatusBadRequest)
				return
			}
			var value []byte
			// A real context: Group.Get passes it on to the request to a peer.
			err := groupcache.GetGroup("scores").Get(r.Context(), key, groupcache.AllocatingByteSliceSink(&value))
			if errors.As(err, new(notFound)) {
				http.Error(w, err.Error(), http.StatusNotFound)
			} else if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
			} else {
				w.Header().Set("Content-Type", "application/octet-stream")
				w.Write(value)
			}
		})
		addr := net.JoinHostPort(selfURL.Hostname(), strconv.Itoa(*apiPort))
		go func() { log.Fatal(http.ListenAndServe(addr, api)) }()
		fmt.Printf("api is running at http://%s\n", addr)
	}
	fmt.Printf("gcnode is running at %s\n", *self)
	if !contains(peers, *self) {
		fmt.Printf("warning: -peers does not list this node (%s), so it owns no key\n", *self)
	}
	log.Fatal(http.ListenAndServe(selfURL.Host, mux))
}
