package modgraph_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/internal/workspacegen"
	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// describe is everything a graph says that the checks read: the build list
// with replacements, each module's requirements and what is missing.
func describe(g *modgraph.Graph) string {
	var b strings.Builder
	b.WriteString(g.String())
	for _, m := range append(g.Mains(), g.BuildList()...) {
		if reqs, ok := g.RequiredBy(m); ok {
			fmt.Fprintf(&b, "%s requires %v\n", m, reqs)
		}
	}
	fmt.Fprintf(&b, "incomplete: %v, missing: %v\n", g.Incomplete(), g.Missing())
	return b.String()
}

// A graph computed from the previous snapshot's (its summaries reused, its
// rounds asked again only where raised) is the graph computed from nothing,
// edit after edit: versions moved up and down, requirements added and
// dropped, a replace and an exclude added, a version the cache lacks.
func TestIncrementalGraphIsTheColdGraph(t *testing.T) {
	l, err := workspacegen.Write(t.TempDir(), workspacegen.Config{Modules: 30, Requires: 8, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	env := workspace.Env{GOMODCACHE: l.ModCache}
	sess := workspace.NewSession(env, []string{l.Root})
	path := filepath.Join(l.Modules[12], "go.mod")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	orig := string(data)
	dep := func(i int) string { return workspacegen.DepPath(i) }
	edits := []struct{ name, content string }{
		{"open", orig},
		{"raise", strings.Replace(orig, " v1.0.0", " v1.2.0", 1)},
		{"lower", strings.Replace(orig, " v1.2.0", " v1.0.0", 1)},
		{"back", orig},
		{"add require", orig + "require " + dep(7) + " v1.2.0\n"},
		{"drop requires", orig[:strings.Index(orig, "require")]},
		{"replace", orig + "replace " + dep(3) + " => " + dep(4) + " v1.1.0\n"},
		{"exclude", orig + "exclude " + dep(5) + " v1.2.0\n"},
		{"uncached", orig + "require " + dep(9) + " v1.9.9\n"},
		{"back again", orig},
	}
	for i, e := range edits {
		snap := sess.Change(path, []byte(e.content), int32(i+1))
		for _, w := range snap.Works() {
			got := describe(modgraph.Workspace(snap, w))
			for _, m := range snap.Modules() {
				modgraph.Module(snap, m) // the module graphs too, below
			}
			cold := workspace.NewSession(env, []string{l.Root})
			coldSnap := cold.Open(path, []byte(e.content), 1)
			want := describe(modgraph.Workspace(coldSnap, coldSnap.Works()[0]))
			if got != want {
				t.Errorf("%s: the workspace graph differs from the one computed cold:\ngot:\n%s\nwant:\n%s", e.name, got, want)
			}
			for _, m := range coldSnap.Modules() {
				if got, want := describe(modgraph.Module(snap, snap.Module(m.Dir))), describe(modgraph.Module(coldSnap, m)); got != want {
					t.Errorf("%s: the graph of %s differs from the one computed cold:\ngot:\n%s\nwant:\n%s", e.name, m.Dir, got, want)
				}
			}
		}
	}

}

// The same, for a hundred random edits across a workspace's modules: a
// requirement's version moved among the cached ones, a requirement dropped,
// one added. Most are patched (patchWorkspace); each graph must be the one
// computed from nothing.
//
// Two workspaces: a dense one, whose every dependency version is required by
// several modules (edits seldom change the selection), and a sparse one,
// where most edits raise or lower what is selected.
func TestRandomEditsGraphIsTheColdGraph(t *testing.T) {
	for _, c := range []workspacegen.Config{
		{Modules: 40, Requires: 10, Seed: 5},
		{Modules: 12, Requires: 4, Deps: 60, Seed: 6},
	} {
		t.Run(fmt.Sprintf("N=%d,R=%d,deps=%d", c.Modules, c.Requires, c.Deps), func(t *testing.T) { randomEdits(t, c) })
	}
}

func randomEdits(t *testing.T, c workspacegen.Config) {
	l, err := workspacegen.Write(t.TempDir(), c)
	if err != nil {
		t.Fatal(err)
	}
	env := workspace.Env{GOMODCACHE: l.ModCache}
	sess := workspace.NewSession(env, []string{l.Root})
	contents := make(map[string]string)
	for _, dir := range l.Modules {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err != nil {
			t.Fatal(err)
		}
		contents[filepath.Join(dir, "go.mod")] = string(data)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	versions := []string{"v1.0.0", "v1.1.0", "v1.2.0"}
	edits := 100
	if testing.Short() {
		edits = 20
	}
	for i := range edits {
		path := filepath.Join(l.Modules[rng.IntN(len(l.Modules))], "go.mod")
		lines := strings.Split(contents[path], "\n")
		var reqs []int // lines requiring a dependency
		for j, line := range lines {
			if strings.HasPrefix(line, "\texample.org/") {
				reqs = append(reqs, j)
			}
		}
		what := ""
		switch op := rng.IntN(4); {
		case op < 2 && len(reqs) > 0: // move a version
			j := reqs[rng.IntN(len(reqs))]
			f := strings.Fields(lines[j])
			lines[j] = "\t" + f[0] + " " + versions[rng.IntN(len(versions))]
			what = "move " + f[0]
		case op == 2 && len(reqs) > 1: // drop one
			j := reqs[rng.IntN(len(reqs))]
			what = "drop" + lines[j]
			lines = append(lines[:j], lines[j+1:]...)
		default: // add one
			dep := workspacegen.DepPath(rng.IntN(len(l.Deps)))
			lines = append(lines, "require "+dep+" "+versions[rng.IntN(len(versions))])
			what = "add " + dep
		}
		contents[path] = strings.Join(lines, "\n")
		snap := sess.Change(path, []byte(contents[path]), int32(i+1))
		got := describe(modgraph.Workspace(snap, snap.Works()[0]))

		cold := workspace.NewSession(env, []string{l.Root})
		var coldSnap *workspace.Snapshot
		for p, c := range contents {
			coldSnap = cold.Open(p, []byte(c), 1)
		}
		if want := describe(modgraph.Workspace(coldSnap, coldSnap.Works()[0])); got != want {
			t.Fatalf("edit %d (%s in %s): the workspace graph differs from the one computed cold:\ngot:\n%s\nwant:\n%s", i, what, path, got, want)
		}
	}
}
