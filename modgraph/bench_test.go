package modgraph_test

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// benchWorkspace writes a workspace of 20 modules over a module cache of 150
// dependencies with 3 versions each, every version requiring 4 others (one
// in twenty at go 1.16, unpruned), every used module requiring 25 of them at
// mixed versions — tidy: each requirement at the version the module selects
// alone — so that the workspace raises many requirements. It returns the
// workspace root and the GOMODCACHE.
func benchWorkspace(b *testing.B) (root, modcache string) {
	dir := b.TempDir()
	root, modcache = filepath.Join(dir, "ws"), filepath.Join(dir, "modcache")
	rng := rand.New(rand.NewSource(1))
	const deps, mods = 150, 20
	for i := 0; i < deps; i++ {
		for _, v := range benchVersions {
			goLine := "1.22"
			if rng.Intn(20) == 0 {
				goLine = "1.16"
			}
			var reqs strings.Builder
			for j := 0; j < 4; j++ {
				fmt.Fprintf(&reqs, "\t%s %s\n", benchDep(rng.Intn(deps)), benchVersions[rng.Intn(len(benchVersions))])
			}
			writeCacheMod(b, modcache, mv(benchDep(i), v), fmt.Appendf(nil, "module %s\n\ngo %s\n\nrequire (\n%s)\n", benchDep(i), goLine, reqs.String()))
		}
	}
	var work strings.Builder
	work.WriteString("go 1.22\n\nuse (\n")
	for m := 0; m < mods; m++ {
		fmt.Fprintf(&work, "\t./m%02d\n", m)
		writeFile(b, filepath.Join(root, fmt.Sprintf("m%02d", m), "go.mod"), benchGoMod(rng, m))
	}
	work.WriteString(")\n")
	writeFile(b, filepath.Join(root, "go.work"), []byte(work.String()))

	// Tidy each module: its requirements at the versions it selects.
	snap := workspace.Load(workspace.Env{GOMODCACHE: modcache}, []string{root})
	for _, m := range snap.UsedModules(snap.Work(root)) {
		g := modgraph.Module(snap, m)
		var reqs strings.Builder
		for _, r := range m.Mod.Require {
			v, _ := g.Selected(r.Mod.Path)
			fmt.Fprintf(&reqs, "\t%s %s\n", r.Mod.Path, v)
		}
		writeFile(b, m.File.Path, fmt.Appendf(nil, "module %s\n\ngo 1.22\n\nrequire (\n%s)\n", m.Mod.Module.Mod.Path, reqs.String()))
	}
	return root, modcache
}

var benchVersions = []string{"v1.0.0", "v1.1.0", "v1.2.0"}

func benchDep(i int) string { return fmt.Sprintf("example.com/dep%03d", i) }

func benchGoMod(rng *rand.Rand, m int) []byte {
	var reqs strings.Builder
	for _, i := range rng.Perm(150)[:25] {
		fmt.Fprintf(&reqs, "\t%s %s\n", benchDep(i), benchVersions[rng.Intn(len(benchVersions))])
	}
	return fmt.Appendf(nil, "module example.com/m%02d\n\ngo 1.22\n\nrequire (\n%s)\n", m, reqs.String())
}

// allGraphs is what the version-skew check asks for: the workspace's graph
// and each used module's own.
func allGraphs(b *testing.B, snap *workspace.Snapshot, root string) *modgraph.Graph {
	w := snap.Work(root)
	g := modgraph.Workspace(snap, w)
	if err := g.Incomplete(); err != nil {
		b.Fatal(err)
	}
	for _, m := range snap.UsedModules(w) {
		modgraph.Module(snap, m)
	}
	return g
}

// BenchmarkCold: a new session (snapshot already loaded), every go.mod read
// from the module cache and parsed, the workspace graph and the 20 module
// graphs computed.
func BenchmarkCold(b *testing.B) {
	root, modcache := benchWorkspace(b)
	env := workspace.Env{GOMODCACHE: modcache}
	var g *modgraph.Graph
	for b.Loop() {
		b.StopTimer()
		snap := workspace.Load(env, []string{root})
		b.StartTimer()
		g = allGraphs(b, snap, root)
	}
	b.ReportMetric(float64(len(g.BuildList())), "modules")
}

// BenchmarkEditGoMod: a keystroke in a used go.mod (its content alternates
// between two versions): the workspace graph and that module's graph are
// recomputed from the go.mod files already parsed; the 19 other module
// graphs are reused.
func BenchmarkEditGoMod(b *testing.B) {
	root, modcache := benchWorkspace(b)
	sess := workspace.NewSession(workspace.Env{GOMODCACHE: modcache}, []string{root})
	allGraphs(b, sess.Snapshot(), root)
	// A keystroke: one requirement's version changes, back and forth.
	path := filepath.Join(root, "m07", "go.mod")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	i := strings.Index(string(data), " v1.") + len(" v1.")
	other := byte('0')
	if data[i] == '0' {
		other = '2'
	}
	contents := [][]byte{data, []byte(string(data[:i]) + string(other) + string(data[i+1:]))}
	sess.Open(path, contents[0], 1)
	i = 0
	for b.Loop() {
		i++
		snap := sess.Change(path, contents[i%2], int32(i+1))
		allGraphs(b, snap, root)
	}
}

// BenchmarkEditGoSum: a keystroke in a go.sum: every graph is reused after
// checking its inputs.
func BenchmarkEditGoSum(b *testing.B) {
	root, modcache := benchWorkspace(b)
	sess := workspace.NewSession(workspace.Env{GOMODCACHE: modcache}, []string{root})
	first := allGraphs(b, sess.Snapshot(), root)
	path := filepath.Join(root, "m07", "go.sum")
	i := 0
	for b.Loop() {
		i++
		snap := sess.Change(path, fmt.Appendf(nil, "example.com/dep001 v1.0.0/go.mod h1:%d=\n", i), int32(i))
		if allGraphs(b, snap, root) != first {
			b.Fatal("the graph was recomputed")
		}
	}
}
