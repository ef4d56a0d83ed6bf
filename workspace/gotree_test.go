package workspace

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

func TestVendorTreeAndImports(t *testing.T) {
	root := writeTree(t, map[string]string{
		"go.mod":                               "module example.com/m\n\ngo 1.22\n",
		"main.go":                              "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/dep\"\n)\n",
		"tools.go":                             "//go:build tools\n\npackage main\n\nimport _ \"example.com/tool\"\n",
		"linux.go":                             "//go:build linux && !go1.30\n\npackage main\n\nimport _ \"example.com/lin\"\n",
		"sub/sub_test.go":                      "package sub\n\nimport \"example.com/testonly\"\n",
		"nested/go.mod":                        "module example.com/nested\n",
		"nested/n.go":                          "package n\n\nimport \"example.com/notours\"\n",
		"testdata/t.go":                        "package t\n\nimport \"example.com/notours\"\n",
		"vendor/modules.txt":                   "# example.com/dep v1.0.0\n## explicit\nexample.com/dep\n",
		"vendor/example.com/dep/dep.go":        "package dep\n",
		"vendor/example.com/dep/sub/README":    "no Go here\n",
		"vendor/example.com/dep/tst/x_test.go": "package tst\n",
	})
	snap := Load(Env{}, []string{root})
	if !snap.HasVendorDir(root) {
		t.Fatal("HasVendorDir = false")
	}
	tree := snap.VendorTree(root)
	var pkgs []string
	for p := range tree.Packages {
		pkgs = append(pkgs, p)
	}
	slices.Sort(pkgs)
	if want := []string{"example.com/dep", "example.com/dep/tst"}; !slices.Equal(pkgs, want) {
		t.Errorf("vendor packages = %q, want %q", pkgs, want)
	}

	imps := snap.Imports(root)
	var paths []string
	for p := range imps {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	if want := []string{"example.com/dep", "example.com/lin", "example.com/testonly", "example.com/tool", "fmt"}; !slices.Equal(paths, want) {
		t.Errorf("imports = %q, want %q", paths, want)
	}
	if s := imps["example.com/dep"][0]; s.File != filepath.Join(root, "main.go") || s.Line != 5 || s.CustomTags {
		t.Errorf("example.com/dep imported at %+v", s)
	}
	if !imps["example.com/tool"][0].CustomTags {
		t.Error("tools.go (//go:build tools) not marked as built only with -tags")
	}
	if imps["example.com/lin"][0].CustomTags {
		t.Error("linux.go (platform and release tags only) marked as built only with -tags")
	}
}

// The module walk and the package load read each directory of the
// workspace's Go files once between them, and a saved Go file makes them
// read its directory again, not the module. The walk gives a directory's
// import sites in the order of a walk of the tree (the first is the
// importer a diagnostic names).
func TestGoFilesReadOnce(t *testing.T) {
	imp := "package p\n\nimport \"example.com/x\"\n"
	root := writeTree(t, map[string]string{
		"go.mod":   "module example.com/m\n",
		"a.go":     imp,
		"b/b.go":   imp,
		"c.go":     imp,
		"d/d.go":   imp,
		"d/e/e.go": imp,
	})
	s := NewSession(Env{}, []string{root})
	snap := s.Snapshot()
	var files []string
	for _, site := range snap.Imports(root)["example.com/x"] {
		rel, _ := filepath.Rel(root, site.File)
		files = append(files, filepath.ToSlash(rel))
	}
	if want := []string{"a.go", "b/b.go", "c.go", "d/d.go", "d/e/e.go"}; !slices.Equal(files, want) {
		t.Errorf("sites in %q, want the walk's order %q", files, want)
	}
	for _, dir := range []string{"b", "d", "d/e", "."} {
		if pf := snap.PackageImports(filepath.Join(root, dir)); !slices.Equal(pf.Imports, []string{"example.com/x"}) {
			t.Errorf("%s: %+v", dir, pf)
		}
	}
	if got := diskStat(snap.DiskStats(), "Go directory"); got.Reads != 4 {
		t.Errorf("Go directories read %d times, want 4 (each once)", got.Reads)
	}
	if got := diskStat(snap.DiskStats(), "package imports"); got.Bytes != 0 {
		t.Errorf("the package load read %d bytes of Go files the walk had read", got.Bytes)
	}
	snap = s.DiskChanged([]string{filepath.Join(root, "d", "e", "e.go")})
	snap.Imports(root)
	snap.PackageImports(filepath.Join(root, "b"))
	if got := diskStat(snap.DiskStats(), "Go directory"); got.Reads != 5 {
		t.Errorf("after d/e/e.go is saved, Go directories read %d times in all, want 5 (d/e again)", got.Reads)
	}
}

// ReadAhead reads every module's Go files before a check asks: the check's
// Imports is then a hit, with what reading gives; a done context stops it
// before it reads anything.
func TestReadAhead(t *testing.T) {
	root := writeTree(t, map[string]string{
		"go.mod":   "module example.com/m\n",
		"m.go":     "package m\n\nimport \"example.com/a\"\n",
		"b/go.mod": "module example.com/b\n",
		"b/b.go":   "package b\n\nimport \"example.com/c\"\n",
	})
	want := NewSession(Env{}, []string{root}).Snapshot().Imports(filepath.Join(root, "b"))

	s := NewSession(Env{}, []string{root}).Snapshot()
	<-s.ReadAhead(context.Background())
	if got := diskStat(s.DiskStats(), "module imports"); got.Reads != 2 || got.Hits != 0 {
		t.Fatalf("after ReadAhead: %+v, want both modules read", got)
	}
	if got := s.Imports(filepath.Join(root, "b")); !reflect.DeepEqual(got, want) {
		t.Errorf("after ReadAhead: %v, want %v", got, want)
	}
	if got := diskStat(s.DiskStats(), "module imports"); got.Reads != 2 || got.Hits != 1 {
		t.Errorf("Imports after ReadAhead: %+v, want a hit", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s = NewSession(Env{}, []string{root}).Snapshot()
	<-s.ReadAhead(ctx)
	if got := diskStat(s.DiskStats(), "module imports"); got.Reads != 0 {
		t.Errorf("ReadAhead, cancelled: %+v, want nothing read", got)
	}
}

// The module walk lists no directory discovery listed: it takes
// discovery's listings, and finds nested modules in them as a stat of
// each go.mod would (a link followed, a dangling one no module), with
// the same imports as a walk that lists every directory itself.
func TestImportsFromDiscoveryListings(t *testing.T) {
	imp := func(p string) string { return "package p\n\nimport \"example.com/" + p + "\"\n" }
	root := writeTree(t, map[string]string{
		"go.mod":          "module example.com/m\n",
		"m.go":            imp("m"),
		"a/a.go":          imp("a"),
		"a/b/b.go":        imp("b"),
		"nested/go.mod":   "module example.com/nested\n",
		"nested/n.go":     imp("nested"),
		"linked/real.mod": "module example.com/linked\n",
		"linked/l.go":     imp("linked"),
		"dangling/d.go":   imp("dangling"),
		"gomoddir/g.go":   imp("gomoddir"),
	})
	for _, l := range []struct{ target, link string }{{"real.mod", "linked/go.mod"}, {"missing.mod", "dangling/go.mod"}} {
		if err := os.Symlink(l.target, filepath.Join(root, l.link)); err != nil {
			t.Skip(err)
		}
	}
	if err := os.Mkdir(filepath.Join(root, "gomoddir", "go.mod"), 0o755); err != nil {
		t.Fatal(err)
	}

	s := NewSession(Env{}, []string{root})
	snap := s.Snapshot()
	fromDiscovery := snap.Imports(root)
	listingReads.wait()
	// Every listing was taken, by the reads beside discovery: none was
	// listed twice, and none is held after.
	if n := len(snap.lazy.listings.m); n != 0 {
		t.Errorf("%d listings left after discovery's reads", n)
	}

	// A cache after a reported change holds no listing: it lists again.
	fresh := s.DiskChanged([]string{filepath.Join(root, "m.go")})
	if len(fresh.lazy.listings.m) != 0 {
		t.Fatalf("a new disk cache kept %d listings", len(fresh.lazy.listings.m))
	}
	listed := fresh.Imports(root)
	if !reflect.DeepEqual(fromDiscovery, listed) {
		t.Errorf("imports from discovery's listings:\n%v\nfrom the walk's own:\n%v", fromDiscovery, listed)
	}
	var paths []string
	for p := range listed {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	if want := []string{"example.com/a", "example.com/b", "example.com/dangling", "example.com/m"}; !slices.Equal(paths, want) {
		t.Errorf("imports = %q, want %q", paths, want)
	}
}
