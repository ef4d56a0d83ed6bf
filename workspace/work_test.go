package workspace

import (
	"path/filepath"
	"slices"
	"testing"
)

// FirstUse names, for each use line, the first line naming the same
// directory, as the go command resolves them (./a and a/ are one
// directory), and says whether any line repeats one.
func TestFirstUse(t *testing.T) {
	dir := t.TempDir()
	parse := func(content string) *Work {
		t.Helper()
		w := parseWork(NewFile(filepath.Join(dir, "go.work"), []byte(content), 0))
		if w.Err != nil {
			t.Fatal(w.Err)
		}
		return w
	}
	w := parse("go 1.22\n\nuse (\n\t./a\n\t./b\n)\n")
	for i := range 2 {
		if first, repeats := w.FirstUse(i); first != i || repeats {
			t.Errorf("no repeats: FirstUse(%d) = %d, %v; want %d, false", i, first, repeats, i)
		}
	}
	w = parse("go 1.22\n\nuse (\n\t./a\n\t./b\n\ta/\n\t./b\n\t./c\n)\n")
	for i, want := range []int{0, 1, 0, 1, 4} {
		if first, repeats := w.FirstUse(i); first != want || !repeats {
			t.Errorf("FirstUse(%d) = %d, %v; want %d, true", i, first, repeats, want)
		}
	}
}

// UsedModules follows edits: an edited module is the new parse in its
// place, a go.mod that comes into a used directory joins the list, and
// one that goes leaves it, as a fresh look at every use line finds.
func TestUsedModulesAfterEdits(t *testing.T) {
	root := writeTree(t, map[string]string{
		"go.work":  "go 1.22\n\nuse (\n\t./a\n\t./b\n\t./c\n)\n",
		"a/go.mod": "module example.com/a\n",
		"b/go.mod": "module example.com/b\n",
	})
	s := NewSession(Env{}, []string{root})
	paths := func(snap *Snapshot) []string {
		var out []string
		for _, m := range snap.UsedModules(snap.Work(root)) {
			out = append(out, m.Mod.Module.Mod.Path)
			if snap.ModuleAt(m.File.Path) != m {
				t.Errorf("%s: not the snapshot's module", m.File.Path)
			}
		}
		return out
	}
	check := func(what string, snap *Snapshot, want ...string) {
		t.Helper()
		if got := paths(snap); !slices.Equal(got, want) {
			t.Errorf("%s: used modules %v, want %v", what, got, want)
		}
	}
	b, c := filepath.Join(root, "b", "go.mod"), filepath.Join(root, "c", "go.mod")
	check("on disk", s.Snapshot(), "example.com/a", "example.com/b")
	check("b edited", s.Open(b, []byte("module example.com/b2\n"), 1), "example.com/a", "example.com/b2")
	check("b edited again", s.Change(b, []byte("module example.com/b3\n"), 2), "example.com/a", "example.com/b3")
	check("c opened", s.Open(c, []byte("module example.com/c\n"), 1), "example.com/a", "example.com/b3", "example.com/c")
	check("c edited", s.Change(c, []byte("module example.com/c2\n"), 2), "example.com/a", "example.com/b3", "example.com/c2")
	check("c closed", s.Close(c), "example.com/a", "example.com/b3")
}
