package workspace

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// The workspace's Go files: a new process takes each file's imports from
// the index while the file looks as it did (size, modification time,
// mode), and reads again a file that changed, one too recently modified
// to be told from a second edit, and one reached through a symbolic link.
func TestGoDirIndexServesTheNextProcess(t *testing.T) {
	root := writeTree(t, map[string]string{
		"go.mod":        "module example.com/m\n",
		"m.go":          "package m\n\nimport \"example.com/a\"\n",
		"p/p.go":        "//go:build tools\n\npackage p\n\nimport (\n\t\"example.com/b\"\n\t\"fmt\"\n)\n",
		"p/p_test.go":   "package p\n\nimport \"example.com/t\"\n",
		"p/broken.go":   "this is not Go\n",
		"q/q.go":        "package q\n\nimport \"example.com/q1\"\n",
		"target/t.go.x": "package target\n\nimport \"example.com/linked\"\n",
	})
	if err := os.Symlink(filepath.Join(root, "target", "t.go.x"), filepath.Join(root, "q", "link.go")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	long := time.Now().Add(-time.Hour)
	for _, f := range []string{"m.go", "p/p.go", "p/p_test.go", "p/broken.go", "q/q.go", "target/t.go.x"} {
		if err := os.Chtimes(filepath.Join(root, f), long, long); err != nil {
			t.Fatal(err)
		}
	}
	index := t.TempDir()
	useIndex(t, index)
	read := func() (Imports, DiskStat) {
		t.Helper()
		snap := NewSession(Env{}, []string{root}).Snapshot()
		imps := snap.Imports(root)
		for _, dir := range []string{"p", "q"} {
			snap.PackageImports(filepath.Join(root, dir))
		}
		if err := FlushPackageIndex(); err != nil {
			t.Fatal(err)
		}
		forgetModuleCache(t)
		return imps, diskStat(snap.DiskStats(), "Go directory")
	}
	want, first := read()
	if first.Indexed != 0 || first.Bytes == 0 {
		t.Fatalf("first process: %+v, want every file read", first)
	}
	if files, _ := os.ReadDir(filepath.Join(index, "godirs")); len(files) != 1 {
		t.Errorf("index holds %d Go directory files, want one for the workspace", len(files))
	}
	got, next := read()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("next process: imports %+v, first %+v", got, want)
	}
	linked := int64(len("package target\n\nimport \"example.com/linked\"\n"))
	if next.Indexed != 2 || next.Bytes != linked {
		t.Errorf("next process: %+v, want the root and p indexed, and only q/link.go (a link, %d bytes) read", next, linked)
	}

	// The same size, another content, a later (but settled) time.
	edited := "package q\n\nimport \"example.com/q2\"\n"
	qgo := filepath.Join(root, "q", "q.go")
	if err := os.WriteFile(qgo, []byte(edited), 0o666); err != nil {
		t.Fatal(err)
	}
	later := long.Add(time.Minute)
	if err := os.Chtimes(qgo, later, later); err != nil {
		t.Fatal(err)
	}
	got, after := read()
	if len(got["example.com/q1"]) != 0 || len(got["example.com/q2"]) != 1 {
		t.Errorf("after q/q.go changed: %v", got)
	}
	if after.Bytes != linked+int64(len(edited)) {
		t.Errorf("after q/q.go changed: %+v, want q/q.go and q/link.go read again", after)
	}

	// Modified just now: read, but not recorded.
	if err := os.WriteFile(qgo, []byte("package q\n\nimport \"example.com/q3\"\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if got, s := read(); len(got["example.com/q3"]) != 1 || s.Bytes != linked+int64(len(edited)) {
			t.Errorf("q/q.go modified just now: %+v, %v; want it read each time", s, got["example.com/q3"])
		}
	}
}

// A symbolic link's own look says nothing of its target: never recorded,
// however old.
func TestGoDirIndexRecordsRegularFilesOnly(t *testing.T) {
	old := time.Now().Add(-time.Hour)
	f := goFile{name: "x.go", imports: []goImport{{"example.com/a", 3}}}
	if !recordable(fakeInfo{mode: 0o644, mtime: old}, f, time.Now()) {
		t.Error("a settled regular file is not recordable")
	}
	if recordable(fakeInfo{mode: fs.ModeSymlink | 0o777, mtime: old}, f, time.Now()) {
		t.Error("a symbolic link is recordable")
	}
	if recordable(fakeInfo{mode: 0o644, mtime: time.Now()}, f, time.Now()) {
		t.Error("a file modified just now is recordable")
	}
	if recordable(fakeInfo{mode: 0o644, mtime: old}, goFile{name: "x.go", imports: []goImport{{"a b", 3}}}, time.Now()) {
		t.Error("an import the layout cannot hold is recordable")
	}
}

type fakeInfo struct {
	mode  fs.FileMode
	mtime time.Time
}

func (i fakeInfo) Name() string       { return "x.go" }
func (i fakeInfo) Size() int64        { return 10 }
func (i fakeInfo) Mode() fs.FileMode  { return i.mode }
func (i fakeInfo) ModTime() time.Time { return i.mtime }
func (i fakeInfo) IsDir() bool        { return false }
func (i fakeInfo) Sys() any           { return nil }

// A Go directory index file that is not in every line what the layout says
// is ignored whole.
func TestGoDirIndexIgnoresBadFiles(t *testing.T) {
	record := "m.go\t10\t5\t420\t1\t0\t0\t3:example.com/a"
	for _, tc := range []struct {
		lines []string
		dirs  int
	}{
		{[]string{"\t/w", record, "\t/w/p", record}, 2},
		{[]string{record, "\t/w", record}, -1},         // a file before any directory
		{[]string{"\t/w", record, "\t/w", record}, -1}, // a directory twice
		{[]string{"\t/w", "m.go\t10\tfive\t420"}, -1},  // a bad record
		{[]string{"\t", record}, -1},                   // no directory
	} {
		got, ok := parseGoDirIndex(tc.lines)
		if tc.dirs < 0 && ok || tc.dirs >= 0 && (!ok || len(got) != tc.dirs) {
			t.Errorf("%q: %d directories, %v; want %d", tc.lines, len(got), ok, tc.dirs)
		}
	}
}
