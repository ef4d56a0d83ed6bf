package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTree creates files (slash-separated relative paths) under a new
// temporary directory and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// relPaths lists the snapshot's files relative to root.
func relPaths(t *testing.T, s *Snapshot, root string) []string {
	t.Helper()
	var out []string
	for _, f := range s.Files() {
		rel, err := filepath.Rel(root, f.Path)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

func TestDiscovery(t *testing.T) {
	// The folder is ws/, so that outside/ lies outside it.
	ws := writeTree(t, map[string]string{
		"ws/go.work":                       "go 1.22\n\nuse ./a\nuse ../outside\n",
		"ws/go.work.sum":                   "",
		"ws/vendor/modules.txt":            "## workspace\n",
		"ws/a/go.mod":                      "module example.com/a\n",
		"ws/a/go.sum":                      "",
		"ws/a/vendor/modules.txt":          "# example.com/x v1.0.0\n",
		"ws/a/vendor/example.com/x/go.mod": "module example.com/x\n",
		"ws/a/testdata/t/go.mod":           "module t\n",
		"ws/a/.hidden/go.mod":              "module h\n",
		"ws/a/_skip/go.mod":                "module s\n",
		"ws/node_modules/n/go.mod":         "module n\n",
		"ws/b/c/go.mod":                    "module example.com/b/c\n",
		"outside/go.mod":                   "module example.com/outside\n",
		"outside/go.sum":                   "",
		"outside/unused/go.mod":            "module example.com/unused\n",
	})
	snap := Load(Env{}, []string{filepath.Join(ws, "ws")})
	got := relPaths(t, snap, ws)
	want := []string{
		"outside/go.mod", // used by go.work from outside the folder
		"outside/go.sum",
		"ws/a/go.mod",
		"ws/a/go.sum",
		"ws/a/vendor/modules.txt",
		"ws/b/c/go.mod",
		"ws/go.work",
		"ws/go.work.sum",
		"ws/vendor/modules.txt",
	}
	if !slices.Equal(got, want) {
		t.Errorf("files:\n%q\nwant:\n%q", got, want)
	}
	if w := snap.WorkFor(filepath.Join(ws, "ws", "b", "c")); w == nil || w.Dir != filepath.Join(ws, "ws") {
		t.Errorf("WorkFor(ws/b/c) = %v, want ws/go.work", w)
	}
	if m := snap.Module(filepath.Join(ws, "ws", "a")); m == nil || m.Mod == nil || m.Mod.Module.Mod.Path != "example.com/a" {
		t.Errorf("Module(ws/a) = %+v", m)
	}
	if !snap.VendorManifest(filepath.Join(ws, "ws")).Workspace {
		t.Error("ws/vendor/modules.txt not seen as a workspace vendor manifest")
	}
}

func TestWorkAboveFolderAndGOWORK(t *testing.T) {
	root := writeTree(t, map[string]string{
		"go.work":           "go 1.22\n\nuse ./m\n",
		"m/go.mod":          "module example.com/m\n",
		"other.work":        "go 1.22\n",
		"elsewhere/go.work": "go 1.23\n",
	})
	folder := filepath.Join(root, "m")

	snap := Load(Env{}, []string{folder})
	if w := snap.WorkFor(folder); w == nil || w.Dir != root {
		t.Fatalf("WorkFor(m) = %v, want the go.work above the folder", w)
	}

	snap = Load(Env{GOWORK: "off"}, []string{folder})
	if w := snap.WorkFor(folder); w != nil {
		t.Errorf("GOWORK=off: WorkFor = %v, want nil", w.File.Path)
	}

	gowork := filepath.Join(root, "elsewhere", "go.work")
	snap = Load(Env{GOWORK: gowork}, []string{folder})
	if w := snap.WorkFor(folder); w == nil || w.File.Path != gowork {
		t.Errorf("GOWORK=%s: WorkFor = %v", gowork, w)
	}

	// Discovery stops before entering GOROOT, as findWorkspaceFile does.
	snap = Load(Env{GOROOT: root}, []string{folder})
	if w := snap.WorkFor(folder); w != nil {
		t.Errorf("folder inside GOROOT: WorkFor = %v, want nil", w.File.Path)
	}
}

func TestSessionReparsesOnlyChangedFiles(t *testing.T) {
	root := writeTree(t, map[string]string{
		"a/go.mod": "module example.com/a\n",
		"b/go.mod": "module example.com/b\n",
	})
	a, b := filepath.Join(root, "a", "go.mod"), filepath.Join(root, "b", "go.mod")
	s := NewSession(Env{}, []string{root})
	first := s.Snapshot()

	second := s.Open(a, []byte("module example.com/a\n\nrequire\n"), 1)
	if second.ID != first.ID+1 {
		t.Errorf("ID = %d, want %d", second.ID, first.ID+1)
	}
	if second.Module(filepath.Dir(b)) != first.Module(filepath.Dir(b)) {
		t.Error("unchanged b/go.mod was re-parsed")
	}
	if m := second.Module(filepath.Dir(a)); m.Err == nil || m.File.Version != 1 {
		t.Errorf("open buffer did not override disk: %+v", m)
	}
	if first.Module(filepath.Dir(a)).Err != nil {
		t.Error("the earlier snapshot changed")
	}

	// A disk change to an open file leaves the buffer in charge.
	if err := os.WriteFile(a, []byte("module example.com/a2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	third := s.DiskChanged([]string{a})
	if third.Module(filepath.Dir(a)).File.Version != 1 {
		t.Error("disk change replaced the open buffer")
	}
	// Closing the buffer goes back to disk.
	fourth := s.Close(a)
	if m := fourth.Module(filepath.Dir(a)); m.Mod == nil || m.Mod.Module.Mod.Path != "example.com/a2" {
		t.Errorf("after close: %+v", m)
	}
}

func TestSessionDiskChanges(t *testing.T) {
	root := writeTree(t, map[string]string{
		"a/go.mod":                 "module example.com/a\n",
		"a/vendor/modules.txt":     "# example.com/x v1.0.0\n",
		"a/vendor/example.com/x/x": "",
	})
	s := NewSession(Env{}, []string{root})

	// A new module directory appears (as a created directory event).
	if err := os.MkdirAll(filepath.Join(root, "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "b", "go.mod"), []byte("module example.com/b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	snap := s.DiskChanged([]string{filepath.Join(root, "b")})
	if snap.Module(filepath.Join(root, "b")) == nil {
		t.Error("new directory's go.mod not found")
	}

	// A go.mod under testdata is not part of the workspace even if reported.
	if err := os.MkdirAll(filepath.Join(root, "testdata"), 0o755); err != nil {
		t.Fatal(err)
	}
	td := filepath.Join(root, "testdata", "go.mod")
	if err := os.WriteFile(td, []byte("module t\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if snap = s.DiskChanged([]string{td}); snap.File(td) != nil {
		t.Error("testdata/go.mod was added")
	}

	// Deleting vendor/ is reported for the directory only.
	if err := os.RemoveAll(filepath.Join(root, "a", "vendor")); err != nil {
		t.Fatal(err)
	}
	snap = s.DiskChanged([]string{filepath.Join(root, "a", "vendor")})
	if snap.VendorManifest(filepath.Join(root, "a")) != nil {
		t.Error("vendor/modules.txt still present after vendor/ was deleted")
	}
}

// An edit of an open buffer makes its snapshot from the previous one's
// maps (Snapshot.withFile); it must be the snapshot a rebuild from disk
// and buffers makes: the same files, and a parse of each.
func TestEditSnapshotIsTheRebuiltOne(t *testing.T) {
	root := writeTree(t, map[string]string{
		"go.work":              "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
		"a/go.mod":             "module example.com/a\n\ngo 1.22\n",
		"a/go.sum":             "example.com/x v1.0.0/go.mod h1:abc=\n",
		"b/go.mod":             "module example.com/b\n\ngo 1.22\n",
		"b/vendor/modules.txt": "# example.com/x v1.0.0\n## explicit\n",
	})
	sess := NewSession(Env{}, []string{root})
	edits := []struct{ rel, content string }{
		{"a/go.mod", "module example.com/a\n\ngo 1.23\n"},
		{"a/go.sum", "example.com/x v1.1.0/go.mod h1:def=\n"},
		{"a/go.mod", "module example.com/a\n\ngo 1.23\n\nrequire example.com/x v1.1.0\n"},
		{"b/vendor/modules.txt", "# example.com/x v1.1.0\n## explicit\n"},
		{"go.work", "go 1.23\n\nuse ./a\n"},
		{"b/go.mod", "module example.com/b\n\ngo 1.24\n"},
	}
	for i, e := range edits {
		path := filepath.Join(root, filepath.FromSlash(e.rel))
		if i == 0 || e.rel != edits[i-1].rel {
			sess.Open(path, []byte(e.content), int32(i+1))
		} else {
			sess.Change(path, []byte(e.content), int32(i+1))
		}
		got := sess.Snapshot()
		sess.mu.Lock()
		want := sess.rebuild()
		sess.mu.Unlock()
		if g, w := describeLists(got), describeLists(want); g != w {
			t.Errorf("after editing %s, the snapshot holds\n%s\nand a rebuild\n%s", e.rel, g, w)
		}
	}
}

// describeLists is every list of s, with what each entry parsed to.
func describeLists(s *Snapshot) string {
	var b strings.Builder
	for _, f := range s.Files() {
		fmt.Fprintf(&b, "%s v%d %q\n", f.Path, f.Version, f.Content())
	}
	for _, m := range s.Modules() {
		work := "-"
		if w := s.WorkFor(m.Dir); w != nil {
			work = w.File.Path
		}
		fmt.Fprintf(&b, "module %s %v %v, go.work %s\n", m.File.Path, m.Mod != nil, m.Err, work)
	}
	for _, w := range s.Works() {
		fmt.Fprintf(&b, "work %s %d uses\n", w.File.Path, len(w.Work.Use))
	}
	for _, f := range s.Sums() {
		fmt.Fprintf(&b, "sum %s %d lines\n", f.File.Path, f.Len())
	}
	for _, f := range s.Skipped() {
		fmt.Fprintf(&b, "skipped %s\n", f.Path)
	}
	for _, v := range s.VendorManifests() {
		fmt.Fprintf(&b, "vendor %s %d modules\n", v.File.Path, len(v.Modules))
	}
	return b.String()
}

// Edits whose snapshots nobody asks for a list leave the copies to the
// first snapshot asked (listSource.pending), which must then hold what a
// rebuild holds: here after every second edit and after all of them, then
// past maxPendingPaths paths.
func TestListsPatchedAfterSeveralEdits(t *testing.T) {
	files := map[string]string{
		"go.work":              "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
		"a/go.mod":             "module example.com/a\n\ngo 1.22\n",
		"a/go.sum":             "example.com/x v1.0.0/go.mod h1:abc=\n",
		"b/go.mod":             "module example.com/b\n\ngo 1.22\n",
		"b/vendor/modules.txt": "# example.com/x v1.0.0\n## explicit\n",
	}
	for i := range maxPendingPaths + 2 {
		files[fmt.Sprintf("m%02d/go.mod", i)] = fmt.Sprintf("module example.com/m%02d\n\ngo 1.22\n", i)
	}
	edits := []struct{ rel, content string }{
		{"a/go.mod", "module example.com/a\n\ngo 1.23\n"},
		{"a/go.sum", "example.com/x v1.1.0/go.mod h1:def=\n"},
		{"a/go.mod", "module example.com/a\n\ngo 1.23\n\nrequire example.com/x v1.1.0\n"},
		{"b/vendor/modules.txt", "# example.com/x v1.1.0\n## explicit\n"},
		{"b/go.mod", "module example.com/b\n\ngo 1.24\n"},
		{"a/go.mod", "module example.com/a\n\ngo 1.25\n"},
	}
	for i := range maxPendingPaths + 2 {
		edits = append(edits, struct{ rel, content string }{fmt.Sprintf("m%02d/go.mod", i), fmt.Sprintf("module example.com/m%02d\n\ngo 1.23\n", i)})
	}
	for _, every := range []int{2, 6, len(edits)} {
		root := writeTree(t, files)
		sess := NewSession(Env{}, []string{root})
		for i, e := range edits {
			sess.Open(filepath.Join(root, filepath.FromSlash(e.rel)), []byte(e.content), int32(i+1))
			if (i+1)%every != 0 && i != len(edits)-1 {
				continue
			}
			got := sess.Snapshot()
			if i+1 == every {
				paths := make(map[string]bool)
				for _, e := range edits[:every] {
					paths[e.rel] = true
				}
				var pending []string
				if src := got.sorted.from.Load(); src != nil {
					pending = src.pending
				}
				if len(paths) <= maxPendingPaths && len(pending) != len(paths) {
					t.Errorf("asked after %d edits, the lists start from %d paths edited, not %d", every, len(pending), len(paths))
				}
			}
			sess.mu.Lock()
			want := sess.rebuild()
			sess.mu.Unlock()
			g, w := describeLists(got), describeLists(want)
			if got.sorted.from.Load() != nil {
				t.Errorf("asked every %d edits, after editing %s, the lists are made and still keep what they were made from", every, e.rel)
			}
			if g != w {
				t.Errorf("asked every %d edits, after editing %s, the snapshot holds\n%s\nand a rebuild\n%s", every, e.rel, g, w)
			}
		}
	}
}

// Lists patched from lists that do not hold the edited path (not the
// snapshot's predecessor's) are sorted anew.
func TestPatchedListsFallBackToSorting(t *testing.T) {
	root := writeTree(t, map[string]string{
		"a/go.mod": "module example.com/a\n\ngo 1.22\n",
		"b/go.mod": "module example.com/b\n\ngo 1.22\n",
	})
	snap := NewSession(Env{}, []string{root}).Snapshot()
	snap.sorted = sortedLists{}
	snap.sorted.from.Store(&listSource{base: &madeLists{}, pending: []string{filepath.Join(root, "a", "go.mod")}})
	if len(snap.Modules()) != 2 || len(snap.Files()) != 2 {
		t.Errorf("patched lists hold %d modules and %d files, want 2 and 2", len(snap.Modules()), len(snap.Files()))
	}
}
