package buildctx

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/workspace"
)

// After an edit of one workspace module, the workspace context answers
// every replacement question as a context made from scratch in that
// snapshot does, pointing at the edited parse, whether it took the
// previous snapshot's replace index (the edit kept every replaced path) or
// made its own (an edit that replaces another path, or a module line
// changed).
func TestWorkspaceInheritsReplaces(t *testing.T) {
	root, _ := load(t, workspace.Env{}, map[string]string{
		"go.work":  "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n\nreplace example.com/w => ./w\n",
		"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep => ../x\n",
		"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep v1.0.0 => ../y\n",
	})
	sess := workspace.NewSession(workspace.Env{}, []string{root})
	gomod := filepath.Join(root, "a", "go.mod")
	data, err := os.ReadFile(gomod)
	if err != nil {
		t.Fatal(err)
	}
	questions := []module.Version{
		{Path: "example.com/dep", Version: "v1.0.0"},
		{Path: "example.com/dep", Version: "v1.1.0"},
		{Path: "example.com/w", Version: "v1.0.0"},
		{Path: "example.com/other", Version: "v1.0.0"},
		{Path: "example.com/a"},
	}
	snap := sess.Open(gomod, data, 1)
	before := workContext(t, snap)
	before.replaces() // made, so that the next snapshot's context may take it
	for i, edit := range []struct {
		content string
		inherit bool
	}{
		{"module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n\n// moved down\nreplace example.com/dep => ../x2\n", true},
		{"module example.com/a\n\ngo 1.22\n\nreplace example.com/other => ../o\n", false},
		{"module example.com/a2\n\ngo 1.22\n\nreplace example.com/other => ../o\n", false},
	} {
		snap = sess.Change(gomod, []byte(edit.content), int32(i+2))
		c := workContext(t, snap)
		if got := c.replaceIdx.Load() != nil; got != edit.inherit {
			t.Errorf("edit %d: index taken from the previous snapshot = %v, want %v", i, got, edit.inherit)
		}
		fresh := newContext(snap, c.Root, c.Work, c.Mains)
		for _, q := range questions {
			r, ok, conflict := c.ResolveReplacement(q)
			fr, fok, fconflict := fresh.ResolveReplacement(q)
			if ok != fok || r != fr || (conflict == nil) != (fconflict == nil) {
				t.Errorf("edit %d: %v: replaced by %+v (%v, conflict %v), from scratch %+v (%v, conflict %v)", i, q, r, ok, conflict, fr, fok, fconflict)
			}
		}
		if c.WildReplacesKey() != fresh.WildReplacesKey() {
			t.Errorf("edit %d: WildReplacesKey differs from a context made from scratch", i)
		}
		if r, ok := c.Replacement(module.Version{Path: "example.com/dep", Version: "v1.1.0"}); ok && r.File != snap.File(gomod) && r.File.Path == gomod {
			t.Errorf("edit %d: the replacement points at an earlier parse of a/go.mod", i)
		}
		c.replaces()
	}
}

func workContext(t *testing.T, snap *workspace.Snapshot) *Context {
	t.Helper()
	works := WorksInEffect(snap)
	if len(works) != 1 {
		t.Fatalf("%d go.work files in effect, want 1", len(works))
	}
	return Workspace(snap, works[0])
}
