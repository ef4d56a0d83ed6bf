package workspace

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// ModulesOutsideWorkspaces lists the modules no go.work applies to, with
// the snapshot's current parse of each: the same modules after an edit of
// a go.mod, none once a go.work above them appears.
func TestModulesOutsideWorkspaces(t *testing.T) {
	root := writeTree(t, map[string]string{
		"ws/go.work":  "go 1.22\n\nuse ./a\n",
		"ws/a/go.mod": "module example.com/a\n",
		"b/go.mod":    "module example.com/b\n",
	})
	outside := func(s *Snapshot) []string {
		var dirs []string
		for _, m := range s.ModulesOutsideWorkspaces() {
			if m != s.ModuleAt(m.File.Path) {
				t.Errorf("%s: not the snapshot's parse", m.File.Path)
			}
			rel, _ := filepath.Rel(root, m.Dir)
			dirs = append(dirs, filepath.ToSlash(rel))
		}
		return dirs
	}
	sess := NewSession(Env{}, []string{root})
	if got := outside(sess.Snapshot()); !slices.Equal(got, []string{"b"}) {
		t.Errorf("outside = %q, want [b]", got)
	}
	gomod := filepath.Join(root, "b", "go.mod")
	snap := sess.Open(gomod, []byte("module example.com/b\n\ngo 1.22\n"), 1)
	if got := outside(snap); !slices.Equal(got, []string{"b"}) {
		t.Errorf("after a go.mod edit: %q, want [b]", got)
	}
	if m := snap.ModuleAt(gomod); m.Mod.Go == nil {
		t.Error("the edited go.mod's old parse")
	}
	work := filepath.Join(root, "go.work")
	if err := os.WriteFile(work, []byte("go 1.22\n\nuse ./b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := outside(sess.DiskChanged([]string{work})); len(got) != 0 {
		t.Errorf("under a new go.work: %q, want none", got)
	}
	if got := outside(NewSession(Env{GOWORK: "off"}, []string{root}).Snapshot()); !slices.Equal(got, []string{"b", "ws/a"}) {
		t.Errorf("GOWORK=off: %q, want [b ws/a]", got)
	}
}
