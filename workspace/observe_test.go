package workspace

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDiskLooksInOnePlace holds the promise a check's record rests on
// (observe.go): every look a session takes at the disk is one of
// observe.go's, which note it. A call of the os or filepath functions
// that look, or of a DirEntry's Info or a File's Stat, anywhere else in
// the package (or in a package the checks are made of, which never look)
// is a look a replayed check would not take again.
func TestDiskLooksInOnePlace(t *testing.T) {
	looks := map[string]bool{
		"Stat": true, "Lstat": true, "ReadDir": true, "ReadFile": true, "Open": true, "OpenFile": true,
		"EvalSymlinks": true, "WalkDir": true, "Walk": true, "Glob": true, "Readlink": true, "Info": true,
		"DirFS": true, "OpenRoot": true, "OpenInRoot": true,
	}
	// Files allowed to look, and why.
	allowed := map[string]string{
		"workspace/observe.go":    "the looks themselves",
		"workspace/pkgindex.go":   "the package index's own files: derived from looks, never an input",
		"workspace/envcache.go":   "the go environment's record: the go env is part of a check record's key",
		"workspace/read_unix.go":  "the open of readRegular, whose look is openedStat",
		"workspace/read_other.go": "the open of readRegular, whose look is openedStat",
	}
	for _, dir := range []string{".", "../buildctx", "../modgraph", "../diagnostics", "../explain", "../internal/report", "../internal/sarif"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			rel := filepath.ToSlash(filepath.Join("workspace", name))
			if _, ok := allowed[rel]; ok {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || !looks[sel.Sel.Name] {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok && (id.Name == "os" || id.Name == "filepath") || sel.Sel.Name == "Info" || sel.Sel.Name == "Stat" {
					t.Errorf("%s: %s.%s looks at the disk outside observe.go: a replayed check would not look again", fset.Position(call.Pos()), exprName(sel.X), sel.Sel.Name)
				}
				return true
			})
		}
	}
}

func exprName(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return "…"
}

// startTestRecording starts recording whatever the process made before
// (the tests made sessions, which StartRecording refuses), for the looks
// of paths no earlier test saw.
func startTestRecording(t *testing.T) *Recording {
	t.Helper()
	recording.mu.Lock()
	recording.list, recording.newest = nil, 0
	recording.on.Store(true)
	recording.mu.Unlock()
	r := &Recording{start: time.Now(), dir: t.TempDir()}
	t.Cleanup(func() { r.stop() })
	return r
}

// noted returns the looks of r so far at paths below dir, by path.
func notedBelow(dir string) []observation {
	recording.mu.Lock()
	defer recording.mu.Unlock()
	var out []observation
	for _, o := range recording.list {
		if Within(o.path, dir) {
			out = append(out, o)
		}
	}
	return out
}

// TestEachLookIsTakenAgain takes each kind of look, then changes what
// only that look sees, and requires the look taken again to differ; and
// taken again unchanged, to be the same.
func TestEachLookIsTakenAgain(t *testing.T) {
	then := time.Now().Add(-time.Hour)
	write := func(t *testing.T, path, content string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, then, then); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name   string
		op     byte
		look   func(dir string)
		change func(t *testing.T, dir string)
	}{
		{"a file read, same size", opStat, func(dir string) { readRegular(filepath.Join(dir, "go.mod"), 1<<20, false) }, func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "go.mod"), "module example.com/b\n")
			os.Chtimes(filepath.Join(dir, "go.mod"), then.Add(time.Second), then.Add(time.Second))
		}},
		{"a missing file made", opLstat, func(dir string) { lstat(filepath.Join(dir, "go.work")) }, func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "go.work"), "go 1.22\n")
		}},
		{"a file's type", opStat, func(dir string) { stat(filepath.Join(dir, "go.mod")) }, func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "go.mod"))
			os.Mkdir(filepath.Join(dir, "go.mod"), 0o777)
		}},
		{"a directory's entries", opList, func(dir string) { readDir(dir) }, func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "extra.go"), "package m\n")
		}},
		{"an entry's look", opLstat, func(dir string) {
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				entryInfo(dir, e)
			}
		}, func(t *testing.T, dir string) {
			os.Chtimes(filepath.Join(dir, "go.mod"), then.Add(time.Second), then.Add(time.Second))
		}},
		{"a link's target", opResolve, func(dir string) { evalSymlinks(filepath.Join(dir, "link")) }, func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "link"))
			os.Symlink("sub", filepath.Join(dir, "link"))
		}},
		{"a link made", opType, func(dir string) { lstatType(filepath.Join(dir, "sub")) }, func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "sub"))
			os.Symlink("go.mod", filepath.Join(dir, "sub"))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "go.mod"), "module example.com/a\n")
			if err := os.Mkdir(filepath.Join(dir, "sub"), 0o777); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("go.mod", filepath.Join(dir, "link")); err != nil {
				t.Skip(err)
			}
			startTestRecording(t)
			tc.look(dir)
			looks := notedBelow(dir)
			if !slices.ContainsFunc(looks, func(o observation) bool { return o.op == tc.op }) {
				t.Fatalf("no look of kind %q noted: %v", tc.op, looks)
			}
			for _, o := range looks {
				if !o.lookAgain() {
					t.Fatalf("taken again at once, %v differs", o)
				}
			}
			tc.change(t, dir)
			if !slices.ContainsFunc(looks, func(o observation) bool { return o.op == tc.op && !o.lookAgain() }) {
				t.Errorf("after the change, every look of kind %q is the same: %v", tc.op, looks)
			}
		})
	}
}

// TestRecallCheck keeps a record of looks and recalls it: the payload
// while the disk is the same, nothing once a look differs, or for another
// key; nothing kept when a file seen is seconds old.
func TestRecallCheck(t *testing.T) {
	dir := t.TempDir()
	gomod := filepath.Join(dir, "go.mod")
	if err := os.WriteFile(gomod, []byte("module example.com/a\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	r := startTestRecording(t)
	SetPackageIndexDir(r.dir)
	t.Cleanup(func() { SetPackageIndexDir("") })
	readRegular(gomod, 1<<20, false)
	if err := r.Keep("key", []byte("payload"), ""); err != errUnsettled {
		t.Fatalf("a file seconds old: Keep = %v, want %v", err, errUnsettled)
	}

	then := time.Now().Add(-time.Hour)
	os.Chtimes(gomod, then, then)
	r = startTestRecording(t)
	r.dir = indexDir()
	readRegular(gomod, 1<<20, false)
	readDir(dir)
	if err := r.Keep("key", []byte("payload"), ""); err != nil {
		t.Fatal(err)
	}
	if p, ok := RecallCheck("key"); !ok || string(p) != "payload" {
		t.Fatalf("RecallCheck = %q, %v; want the payload", p, ok)
	}
	if _, ok := RecallCheck("another key"); ok {
		t.Error("another key recalled the record")
	}
	os.Chtimes(gomod, then.Add(time.Second), then.Add(time.Second))
	if p, ok := RecallCheck("key"); ok {
		t.Errorf("go.mod touched, RecallCheck = %q, true", p)
	}
}

// TestStartRecordingOnlyFirst: a process that made a session has caches
// that answer without a look, and no Recording starts in it.
func TestStartRecordingOnlyFirst(t *testing.T) {
	SetPackageIndexDir(t.TempDir())
	t.Cleanup(func() { SetPackageIndexDir("") })
	NewSession(Env{}, []string{t.TempDir()})
	if r := StartRecording(); r != nil {
		r.Discard()
		t.Error("StartRecording started after a session was made")
	}
}
