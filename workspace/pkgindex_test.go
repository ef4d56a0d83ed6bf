package workspace

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// forgetModuleCache makes the process forget what it read of module
// caches and Go files, as a new process would: sharedCache and the package
// index's records in memory (not its files).
func forgetModuleCache(t *testing.T) {
	t.Helper()
	sharedCache.mu.Lock()
	clear(sharedCache.entries)
	sharedCache.bytes = 0
	sharedCache.mu.Unlock()
	packageIndex.mu.Lock()
	clear(packageIndex.modules)
	packageIndex.mu.Unlock()
	goDirIndex.forget()
	downloadIndex.forget()
	derivedIndex.forget()
}

// useIndex turns the package index on in dir for the test, and off after.
func useIndex(t *testing.T, dir string) {
	t.Helper()
	forgetModuleCache(t)
	SetPackageIndexDir(dir)
	t.Cleanup(func() {
		SetPackageIndexDir("")
		forgetModuleCache(t)
	})
}

// A new process answers PackageImports of the module cache's packages from
// the index the last one wrote, reading none of their Go files, with what
// reading them gives; a directory outside the module cache is always read.
func TestPackageIndexServesTheNextProcess(t *testing.T) {
	gomodcache := writeTree(t, map[string]string{
		"example.com/a@v1.0.0/go.mod":      "module example.com/a\n",
		"example.com/a@v1.0.0/a.go":        "package a\n\nimport (\n\t\"fmt\"\n\t\"example.com/b\"\n)\n",
		"example.com/a@v1.0.0/a_test.go":   "package a\n\nimport \"example.com/t\"\n",
		"example.com/a@v1.0.0/sub/s.go":    "package sub\n",
		"example.com/a@v1.0.0/gen.go":      "//go:build ignore\n\npackage main\n\nimport \"example.com/ign\"\n",
		"example.com/!x/y@v2.0.0+inc/y.go": "package y\n\nimport \"example.com/c\"\n",
	})
	root := writeTree(t, map[string]string{
		"go.mod": "module example.com/m\n",
		"m.go":   "package m\n\nimport \"example.com/a\"\n",
	})
	index := t.TempDir()
	useIndex(t, index)
	env := Env{GOMODCACHE: gomodcache}
	dirs := []string{
		filepath.Join(gomodcache, "example.com", "a@v1.0.0"),
		filepath.Join(gomodcache, "example.com", "a@v1.0.0", "sub"),
		filepath.Join(gomodcache, "example.com", "!x", "y@v2.0.0+inc"),
		root,
	}
	first := NewSession(env, []string{root}).Snapshot()
	var want []*PackageFiles
	for _, d := range dirs {
		want = append(want, first.PackageImports(d))
	}
	if got := diskStat(first.DiskStats(), "package imports"); got.Reads != 4 || got.Indexed != 0 {
		t.Fatalf("first process: %+v, want 4 reads", got)
	}
	if err := FlushPackageIndex(); err != nil {
		t.Fatal(err)
	}
	files, _ := os.ReadDir(filepath.Join(index, "pkgimports"))
	if len(files) != 2 {
		t.Errorf("index holds %d files, want one per module version (2)", len(files))
	}

	forgetModuleCache(t)
	next := NewSession(env, []string{root}).Snapshot()
	for i, d := range dirs {
		if got := next.PackageImports(d); !samePackageFiles(got, want[i]) {
			t.Errorf("%s: next process %+v, first %+v", d, got, want[i])
		}
	}
	if got := diskStat(next.DiskStats(), "package imports"); got.Reads != 1 || got.Indexed != 3 {
		t.Errorf("next process: %+v, want the workspace's directory read and 3 answers indexed", got)
	}
	if err := FlushPackageIndex(); err != nil {
		t.Fatal(err)
	}
}

// The index is keyed by module cache and read limit: a session with another
// module cache or limit reads the files itself.
func TestPackageIndexKeys(t *testing.T) {
	files := map[string]string{"example.com/a@v1.0.0/a.go": "package a\n\nimport \"example.com/b\"\n"}
	one, two := writeTree(t, files), writeTree(t, files)
	useIndex(t, t.TempDir())
	read := func(gomodcache string, limit int64) DiskStat {
		s := NewSessionWithLimits(Env{GOMODCACHE: gomodcache}, nil, Limits{FileSize: limit, SumFileSize: DefaultLimits.SumFileSize}).Snapshot()
		if pf := s.PackageImports(filepath.Join(gomodcache, "example.com", "a@v1.0.0")); !slices.Equal(pf.Imports, []string{"example.com/b"}) {
			t.Errorf("%s, limit %d: %+v", gomodcache, limit, pf)
		}
		return diskStat(s.DiskStats(), "package imports")
	}
	read(one, DefaultLimits.FileSize)
	if err := FlushPackageIndex(); err != nil {
		t.Fatal(err)
	}
	forgetModuleCache(t)
	if got := read(two, DefaultLimits.FileSize); got.Indexed != 0 {
		t.Errorf("another module cache: %+v, want it read", got)
	}
	if got := read(one, 1<<20); got.Indexed != 0 {
		t.Errorf("another limit: %+v, want it read", got)
	}
	if got := read(one, DefaultLimits.FileSize); got.Indexed != 1 {
		t.Errorf("same cache and limit: %+v, want it indexed", got)
	}
}

// An index file that is not whole, or not for the key it is found under, is
// ignored: the package is read from disk, and the next flush rewrites it.
func TestPackageIndexIgnoresBadFiles(t *testing.T) {
	gomodcache := writeTree(t, map[string]string{"example.com/a@v1.0.0/a.go": "package a\n\nimport \"example.com/b\"\n"})
	index := t.TempDir()
	useIndex(t, index)
	dir := filepath.Join(gomodcache, "example.com", "a@v1.0.0")
	key := indexKey{gomodcache, "example.com/a@v1.0.0", DefaultLimits.FileSize}
	f := moduleIndexFile(index, key)
	name := f.name
	good := f.head + "\texample.com/wrong\t\n"
	for _, content := range []string{
		good[:len(good)-1], // cut short
		"gomodls package imports 0\n" + good[len(packageIndexFormat)+1:], // another format
		moduleIndexFile(index, indexKey{gomodcache, "example.com/z@v1.0.0", DefaultLimits.FileSize}).head + "\texample.com/wrong\t\n",
		f.head + "\texample.com/wrong\n", // a line of two fields
	} {
		if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
		forgetModuleCache(t)
		s := NewSession(Env{GOMODCACHE: gomodcache}, nil).Snapshot()
		if pf := s.PackageImports(dir); !slices.Equal(pf.Imports, []string{"example.com/b"}) {
			t.Errorf("index file %q: %+v, want the package as on disk", content, pf)
		}
		if err := FlushPackageIndex(); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(name); string(got) != f.head+"\texample.com/b\t\n" {
			t.Errorf("index file %q rewritten as %q", content, got)
		}
	}
}

// With the index off (the library's default) nothing is written.
func TestPackageIndexOff(t *testing.T) {
	gomodcache := writeTree(t, map[string]string{"example.com/a@v1.0.0/a.go": "package a\n"})
	forgetModuleCache(t)
	s := NewSession(Env{GOMODCACHE: gomodcache}, nil).Snapshot()
	s.PackageImports(filepath.Join(gomodcache, "example.com", "a@v1.0.0"))
	packageIndex.mu.Lock()
	n := len(packageIndex.modules)
	packageIndex.mu.Unlock()
	if n != 0 {
		t.Errorf("the index is off, but it holds %d modules", n)
	}
	if err := FlushPackageIndex(); err != nil {
		t.Error(err)
	}
}

func diskStat(ds DiskStats, kind string) DiskStat {
	for _, d := range ds {
		if d.Kind == kind {
			return d
		}
	}
	return DiskStat{}
}

func samePackageFiles(a, b *PackageFiles) bool {
	return a.Found == b.Found && slices.Equal(a.Imports, b.Imports) && slices.Equal(a.TestImports, b.TestImports)
}

// A flush trims the index like the go command's build cache: files no
// process has read for five days go, at most once a day; reading a file
// marks it used.
func TestPackageIndexTrim(t *testing.T) {
	index := t.TempDir()
	useIndex(t, index)
	now := time.Now()
	write := func(kind, name string, age time.Duration) string {
		p := filepath.Join(index, kind, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o666); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	oldPkg := write("pkgimports", "old", 6*24*time.Hour)
	oldDir := write("godirs", "old", 6*24*time.Hour)
	recent := write("godirs", "recent", 4*24*time.Hour)
	if err := FlushPackageIndex(); err != nil {
		t.Fatal(err)
	}
	for p, kept := range map[string]bool{oldPkg: false, oldDir: false, recent: true} {
		if _, err := os.Stat(p); (err == nil) != kept {
			t.Errorf("%s: kept = %v, want %v", p, err == nil, kept)
		}
	}
	again := write("godirs", "again", 6*24*time.Hour)
	if err := FlushPackageIndex(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(again); err != nil {
		t.Errorf("trimmed twice in a day: %v", err)
	}

	gomodcache := writeTree(t, map[string]string{"example.com/a@v1.0.0/a.go": "package a\n"})
	NewSession(Env{GOMODCACHE: gomodcache}, nil).Snapshot().PackageImports(filepath.Join(gomodcache, "example.com", "a@v1.0.0"))
	if err := FlushPackageIndex(); err != nil {
		t.Fatal(err)
	}
	f := moduleIndexFile(index, indexKey{gomodcache, "example.com/a@v1.0.0", DefaultLimits.FileSize})
	if err := os.Chtimes(f.name, now.Add(-2*time.Hour), now.Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.read(); !ok {
		t.Fatal("the index file just written does not read")
	}
	if info, err := os.Stat(f.name); err != nil || now.Sub(info.ModTime()) > time.Hour {
		t.Errorf("a file read two hours after it was last used is not marked used: %v, %v", info.ModTime(), err)
	}
}
