package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// BenchmarkEtcdEdit is the edit the LSP harness times on etcd
// (BENCHMARKS.md), in-process and without the protocol, for profiling:
// server/go.mod's testify requirement moved between v1.11.1 and v1.7.0 in
// a warm session, then the checks focused on server/go.mod (what the user
// waits for) or the whole run. It runs only when GOMODLS_ETCD names the
// tree scripts/etcd.sh builds and GOMODCACHE its module cache:
//
//	GOMODCACHE=${TMPDIR:-/tmp}/gomodls-etcd/modcache GOMODLS_ETCD=$(scripts/etcd.sh) \
//		go test -run '^$' -bench EtcdEdit -benchmem ./cmd/gomodls
func BenchmarkEtcdEdit(b *testing.B) {
	dir := os.Getenv("GOMODLS_ETCD")
	if dir == "" {
		b.Skip("set GOMODLS_ETCD to the tree scripts/etcd.sh prints (and GOMODCACHE to its module cache) to run")
	}
	env := workspace.Env{GOMODCACHE: os.Getenv("GOMODCACHE"), GOPROXY: "off", GOTOOLCHAIN: "local"}
	path := filepath.Join(dir, "server", "go.mod")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	const from, to = "github.com/stretchr/testify v1.11.1", "github.com/stretchr/testify v1.7.0"
	if !strings.Contains(string(data), from) {
		b.Fatalf("%s does not require %s", path, from)
	}
	contents := [2][]byte{data, []byte(strings.Replace(string(data), from, to, 1))}
	for _, mode := range []string{"focused", "whole"} {
		b.Run(mode, func(b *testing.B) {
			sess := workspace.NewSession(env, []string{dir})
			diagnostics.Run(sess.Snapshot(), diagnostics.Checks, nil)
			sess.Open(path, contents[0], 1)
			var focus *diagnostics.Focus
			if mode == "focused" {
				focus = diagnostics.FocusOn(path)
			}
			i := 0
			for b.Loop() {
				i++
				snap := sess.Change(path, contents[i%2], int32(i+1))
				if _, err := diagnostics.RunFocused(context.Background(), snap, diagnostics.Checks, focus, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
