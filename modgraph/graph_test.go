package modgraph_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

func mv(path, version string) module.Version { return module.Version{Path: path, Version: version} }

// The queries the checks use, on workspace.txtar: who raises a version, what
// a module requires, which go version the graph needs.
func TestQueries(t *testing.T) {
	f := loadFixture(t, "workspace.txtar")
	snap := f.snapshot()
	g := f.graph(t, snap, "")

	if got, want := g.Mains(), []module.Version{mv("example.com/a", ""), mv("example.com/b", "")}; !slices.Equal(got, want) {
		t.Errorf("Mains() = %v, want %v", got, want)
	}
	if v, ok := g.Selected("example.com/dep"); !ok || v != "v1.1.0" {
		t.Errorf("Selected(dep) = %q, %v; want v1.1.0", v, ok)
	}
	if v, ok := g.Selected("example.com/b"); !ok || v != "" || !g.IsMain("example.com/b") {
		t.Errorf("Selected(b) = %q, %v; want the main module", v, ok)
	}
	if _, ok := g.Selected("example.com/nothing"); ok {
		t.Error("Selected(nothing) reports a version")
	}
	if got, want := g.Requirers(mv("example.com/dep", "v1.1.0")), []module.Version{mv("example.com/b", "")}; !slices.Equal(got, want) {
		t.Errorf("Requirers(dep v1.1.0) = %v, want %v", got, want)
	}
	// Main modules first, then the others.
	if got, want := g.Requirers(mv("example.com/old", "v1.0.0")), []module.Version{mv("example.com/a", ""), mv("example.com/b", "v1.0.0")}; !slices.Equal(got, want) {
		t.Errorf("Requirers(old v1.0.0) = %v, want %v", got, want)
	}
	if reqs, ok := g.RequiredBy(mv("example.com/b", "v1.0.0")); !ok || !slices.Equal(reqs, []module.Version{mv("example.com/old", "v1.0.0")}) {
		t.Errorf("RequiredBy(b v1.0.0) = %v, %v", reqs, ok)
	}
	if gm := g.GoMod(mv("example.com/b", "v1.0.0")); gm == nil || gm.Module.Mod.Path != "example.com/b" {
		t.Errorf("GoMod(b v1.0.0) = %v", gm)
	}
	if g.GoVersion() != "1.22" {
		t.Errorf("GoVersion() = %q, want 1.22", g.GoVersion())
	}

	// go lines at 1.21 and later of what the graph read raise its go
	// version; s's (go 1.23) is pruned out.
	f = loadFixture(t, "workspace_chain.txtar")
	if g := f.graph(t, f.snapshot(), ""); g.GoVersion() != "1.22" {
		t.Errorf("workspace_chain: GoVersion() = %q, want 1.22", g.GoVersion())
	}

	f = loadFixture(t, "replace.txtar")
	g = f.graph(t, f.snapshot(), "")
	if r, ok := g.Replacement(mv("example.com/loc", "v1.0.0")); !ok || r != mv(filepath.Join(f.root, "loc"), "") {
		t.Errorf("Replacement(loc) = %v, %v; want the absolute directory", r, ok)
	}
	if _, ok := g.Replacement(mv("example.com/c", "v1.0.0")); ok {
		t.Error("the replace of c v1.1.0 applies to c v1.0.0")
	}
}

// A go command run in a broken workspace fails: the graph says it is
// incomplete instead of guessing.
func TestBroken(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"use of a missing directory": {
			"go.work":  "go 1.22\n\nuse (\n\t./a\n\t./gone\n)\n",
			"a/go.mod": "module example.com/a\n\ngo 1.22\n",
		},
		"main go.mod does not parse": {
			"go.work":  "go 1.22\n\nuse ./a\n",
			"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep\n",
		},
		"module twice": {
			"go.work":  "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
			"a/go.mod": "module example.com/a\n\ngo 1.22\n",
			"b/go.mod": "module example.com/a\n\ngo 1.22\n",
		},
		"conflicting replacements": {
			"go.work":  "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
			"a/go.mod": "module example.com/a\n\ngo 1.22\n\nreplace example.com/dep => ../x\n",
			"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep => ../y\n",
		},
	} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			for name, content := range files {
				writeFile(t, filepath.Join(root, name), []byte(content))
			}
			snap := workspace.Load(workspace.Env{GOMODCACHE: t.TempDir()}, []string{root})
			g := modgraph.Workspace(snap, snap.Work(root))
			if g.Incomplete() == nil {
				t.Errorf("Incomplete() = nil, build list %v", g.BuildList())
			}
		})
	}
}

// A graph is computed once per snapshot, and a later snapshot reuses it
// while the go.mod and go.work files it was computed from are unchanged: an
// edit to a go.sum or modules.txt, or a change on disk elsewhere, costs no
// recomputation; an edit to a used go.mod does.
func TestReuse(t *testing.T) {
	f := loadFixture(t, "workspace.txtar")
	sess := workspace.NewSession(workspace.Env{GOMODCACHE: f.modcache}, []string{f.root})
	graph := func(s *workspace.Snapshot) *modgraph.Graph { return modgraph.Workspace(s, s.Work(f.root)) }
	s1 := sess.Snapshot()
	g1 := graph(s1)
	if graph(s1) != g1 {
		t.Fatal("two calls on one snapshot computed two graphs")
	}

	for _, step := range []struct {
		what string
		do   func() *workspace.Snapshot
	}{
		{"go.sum edited", func() *workspace.Snapshot {
			return sess.Open(filepath.Join(f.root, "a", "go.sum"), []byte("example.com/dep v1.0.0/go.mod h1:x=\n"), 1)
		}},
		{"modules.txt edited", func() *workspace.Snapshot {
			return sess.Open(filepath.Join(f.root, "vendor", "modules.txt"), []byte("# example.com/dep v1.1.0\n"), 1)
		}},
		{"go.sum saved", func() *workspace.Snapshot {
			writeFile(t, filepath.Join(f.root, "b", "go.sum"), nil)
			return sess.DiskChanged([]string{filepath.Join(f.root, "b", "go.sum")})
		}},
		{"go.mod opened unchanged", func() *workspace.Snapshot {
			data, _ := os.ReadFile(filepath.Join(f.root, "b", "go.mod"))
			return sess.Open(filepath.Join(f.root, "b", "go.mod"), data, 1)
		}},
	} {
		if g := graph(step.do()); g != g1 {
			t.Errorf("%s: the graph was recomputed", step.what)
		}
	}

	s2 := sess.Change(filepath.Join(f.root, "b", "go.mod"), []byte("module example.com/b\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n"), 2)
	g2 := graph(s2)
	if g2 == g1 {
		t.Fatal("go.mod edited: the graph was not recomputed")
	}
	if v, _ := g2.Selected("example.com/dep"); v != "v1.0.0" {
		t.Errorf("after the edit, dep selected at %s, want v1.0.0", v)
	}
	if graph(s1) != g1 {
		t.Error("the older snapshot lost its graph")
	}
}

// A go.mod missing from the module cache makes the graph incomplete until a
// go command fills the cache; gomodls looks again at the next change a
// watcher reports.
func TestMissingFilledLater(t *testing.T) {
	f := loadFixture(t, "missing.txtar")
	sess := workspace.NewSession(workspace.Env{GOMODCACHE: f.modcache}, []string{f.root})
	snap := sess.Snapshot()
	if g := modgraph.Module(snap, snap.Module(f.root)); g.Incomplete() == nil {
		t.Fatal("complete without a's go.mod")
	}
	writeCacheMod(t, f.modcache, mv("example.com/a", "v1.0.0"), []byte("module example.com/a\n\ngo 1.22\n\nrequire example.com/b v1.1.0\n"))
	writeCacheMod(t, f.modcache, mv("example.com/b", "v1.1.0"), []byte("module example.com/b\n\ngo 1.22\n"))
	writeFile(t, filepath.Join(f.root, "go.sum"), nil) // what go mod download writes
	snap = sess.DiskChanged([]string{filepath.Join(f.root, "go.sum")})
	g := modgraph.Module(snap, snap.Module(f.root))
	if err := g.Incomplete(); err != nil {
		t.Fatalf("still incomplete: %v", err)
	}
	if v, _ := g.Selected("example.com/b"); v != "v1.1.0" {
		t.Errorf("b selected at %s, want v1.1.0 (a's requirement)", v)
	}
}
