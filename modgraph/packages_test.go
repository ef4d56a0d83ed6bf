package modgraph_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

func formatLoaded(l *modgraph.Loaded) string {
	var b strings.Builder
	for _, p := range slices.Sorted(func(yield func(string) bool) {
		for p := range l.Modules {
			if !yield(p) {
				return
			}
		}
	}) {
		b.WriteString(p + " " + l.Modules[p] + "\n")
	}
	return b.String()
}

// allFixtures returns the fixtures that say what LoadAll finds.
func allFixtures(t *testing.T) []*fixture {
	var out []*fixture
	for _, name := range fixtures(t) {
		if f := loadFixture(t, name); len(f.all) > 0 {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatal("no fixture has an \"all\" section")
	}
	return out
}

func TestLoadAll(t *testing.T) {
	for _, f := range allFixtures(t) {
		snap := f.snapshot()
		g := f.graph(t, snap, "")
		for dir, want := range f.all {
			l := modgraph.LoadAll(snap, g, snap.Module(filepath.Join(f.root, dir)))
			if got := formatLoaded(l); got != want {
				t.Errorf("LoadAll from %s:\n%s\nwant:\n%s", dir, got, want)
			}
			if len(l.Unresolved) > 0 {
				t.Errorf("LoadAll from %s: unresolved %v", dir, l.Unresolved)
			}
		}
	}
}

// A module whose files are not extracted in the module cache (a go command
// read only its go.mod): its imports are unknown, and LoadAll says so.
func TestLoadAllUnresolved(t *testing.T) {
	f := loadFixture(t, "workspace_sync.txtar")
	if err := os.RemoveAll(filepath.Join(f.modcache, "example.com", "y@v1.0.0")); err != nil {
		t.Fatal(err)
	}
	snap := f.snapshot()
	l := modgraph.LoadAll(snap, f.graph(t, snap, ""), snap.Module(filepath.Join(f.root, "a")))
	if !slices.Equal(l.Unresolved, []string{"example.com/y"}) {
		t.Errorf("Unresolved = %v, want [example.com/y]", l.Unresolved)
	}
	if _, ok := l.Modules["example.com/dep"]; ok {
		t.Error("dep found through y, whose files are missing")
	}
}

// LoadAll is kept while the graph selects the same versions of what it
// consulted, and redone when one changes.
func TestLoadAllReuse(t *testing.T) {
	f := loadFixture(t, "workspace_sync.txtar")
	sess := workspace.NewSession(workspace.Env{GOMODCACHE: f.modcache}, []string{f.root})
	load := func(s *workspace.Snapshot) *modgraph.Loaded {
		return modgraph.LoadAll(s, modgraph.Workspace(s, s.Work(f.root)), s.Module(filepath.Join(f.root, "a")))
	}
	l1 := load(sess.Snapshot())
	bmod := filepath.Join(f.root, "b", "go.mod")
	data, _ := os.ReadFile(bmod)
	// b drops its requirement on unused, which a does not load: same result.
	s2 := sess.Open(bmod, []byte(strings.Replace(string(data), "\texample.com/unused v1.1.0\n", "", 1)), 1)
	if load(s2) != l1 {
		t.Error("recomputed after an edit that changes nothing a loads")
	}
	// b lowers dep, which a loads: recomputed.
	s3 := sess.Change(bmod, []byte(strings.Replace(string(data), "example.com/dep v1.1.0", "example.com/dep v1.0.0", 1)), 2)
	if l3 := load(s3); l3 == l1 || l3.Modules["example.com/dep"] != "v1.0.0" {
		t.Errorf("after lowering dep: %v", l3.Modules)
	}
}

// TestLoadAllAgainstGoWorkSync runs go work sync, offline, on each fixture
// that says what LoadAll finds, and checks the prediction: each requirement
// below the workspace's version on a module LoadAll found changes (go work
// sync raises it, or drops it when it then tidies the module), and no other
// requirement is raised to the workspace's version.
func TestLoadAllAgainstGoWorkSync(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	for _, f := range allFixtures(t) {
		snap := f.snapshot()
		g := f.graph(t, snap, "")
		cmd := exec.Command(goCmd, "work", "sync")
		cmd.Dir = f.root
		cmd.Env = f.goEnv(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go work sync: %v\n%s", err, out)
		}
		for dir := range f.all {
			m := snap.Module(filepath.Join(f.root, dir))
			loaded := modgraph.LoadAll(snap, g, m)
			data, err := os.ReadFile(m.File.Path)
			if err != nil {
				t.Fatal(err)
			}
			after, err := modfile.Parse(m.File.Path, data, nil)
			if err != nil {
				t.Fatal(err)
			}
			now := make(map[string]string)
			for _, r := range after.Require {
				now[r.Mod.Path] = r.Mod.Version
			}
			raised := 0
			for _, r := range m.Mod.Require {
				s, _ := g.Selected(r.Mod.Path)
				if s == r.Mod.Version {
					continue
				}
				if now[r.Mod.Path] == s {
					raised++
				}
				if _, found := loaded.Modules[r.Mod.Path]; found && now[r.Mod.Path] == r.Mod.Version {
					t.Errorf("%s: go work sync left %s at %s; LoadAll found it", dir, r.Mod.Path, r.Mod.Version)
				} else if !found && now[r.Mod.Path] == s {
					t.Errorf("%s: go work sync raised %s to %s; LoadAll did not find it", dir, r.Mod.Path, s)
				}
			}
			if raised == 0 {
				t.Errorf("%s: go work sync raised nothing: the fixture tests nothing", dir)
			}
		}
	}
}
