package modgraph_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gomodls/gomodls/internal/workspacegen"
	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// BenchmarkMVS2000: the workspace graph of 10 modules requiring 400 each of
// a pool of 2,000 cached dependencies (three versions each, tiers of
// requirements, pruned go.mod files; internal/workspacegen): a build list of
// about 2,000 modules.
//
// cold: a new session (snapshot loaded outside the timer), every
// dependency go.mod read from the module cache and parsed, MVS run.
//
// edit: one used go.mod changes a requirement's version back and forth
// between two cached versions; the graph is recomputed from the go.mod
// files the session already parsed.
func BenchmarkMVS2000(b *testing.B) {
	l, err := workspacegen.Write(b.TempDir(), workspacegen.Config{Modules: 10, Requires: 400, Deps: 2000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	env := workspace.Env{GOMODCACHE: l.ModCache}
	graph := func(b *testing.B, snap *workspace.Snapshot) *modgraph.Graph {
		g := modgraph.Workspace(snap, snap.Work(l.Root))
		if err := g.Incomplete(); err != nil {
			b.Fatal(err)
		}
		return g
	}
	b.Run("cold", func(b *testing.B) {
		var g *modgraph.Graph
		for b.Loop() {
			b.StopTimer()
			snap := workspace.Load(env, []string{l.Root})
			b.StartTimer()
			g = graph(b, snap)
		}
		b.ReportMetric(float64(len(g.BuildList())), "modules")
	})
	b.Run("edit", func(b *testing.B) {
		sess := workspace.NewSession(env, []string{l.Root})
		graph(b, sess.Snapshot())
		path := filepath.Join(l.Modules[5], "go.mod")
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		// The first dependency requirement, at the other of v1.0.0 and v1.1.0.
		i := bytes.Index(data, []byte(" v1.")) + len(" v1.")
		other := byte('0')
		if data[i] == '0' {
			other = '1'
		}
		edited := slices.Clone(data)
		edited[i] = other
		contents := [2][]byte{data, edited}
		sess.Open(path, contents[0], 1)
		n := 0
		for b.Loop() {
			n++
			graph(b, sess.Change(path, contents[n%2], int32(n+1)))
		}
	})
}
