package workspace

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestAnyTagsBuild(t *testing.T) {
	for src, want := range map[string]bool{
		"package p\n":                                        true,
		"//go:build tools\n\npackage p\n":                    true,
		"//go:build linux && !linux\n\npackage p\n":          true, // every tag counts as set and unset
		"//go:build ignore\n\npackage p\n":                   false,
		"//go:build !ignore\n\npackage p\n":                  true,
		"//go:build linux && ignore\n\npackage p\n":          false,
		"//go:build linux || ignore\n\npackage p\n":          true,
		"// +build ignore\n\npackage p\n":                    false,
		"// +build linux\n// +build ignore\n\npackage p\n":   false,
		"//go:build tools\n// +build ignore\n\npackage p\n":  true, // //go:build wins
		"//go:build (\n\npackage p\n":                        false,
		"// Package p does //go:build ignore.\npackage p\n":  true,
		"package p\n\n//go:build ignore\n":                   true, // after the package clause: not a constraint
		"/* c */\n//go:build ignore\n\npackage p\n":          false,
		"//go:build ignore && !ignore\n\npackage p\n":        false,
		"//go:build !(linux && ignore)\n\npackage p\n":       true,
		"//go:build goexperiment.x || ignore\n\npackage p\n": true,
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if got := AnyTagsBuild(f); got != want {
			t.Errorf("AnyTagsBuild(%q) = %v, want %v", src, got, want)
		}
	}
}

func TestPackageImports(t *testing.T) {
	root := writeTree(t, map[string]string{
		"go.mod":           "module example.com/m\n",
		"p/p.go":           "package p\n\nimport (\n\t\"fmt\"\n\t\"example.com/a\"\n)\n",
		"p/q.go":           "package p\n\nimport \"example.com/a\"\n",
		"p/p_test.go":      "package p\n\nimport \"example.com/t\"\n",
		"p/gen.go":         "//go:build ignore\n\npackage main\n\nimport \"example.com/ign\"\n",
		"p/_skip.go":       "package p\n\nimport \"example.com/skip\"\n",
		"empty/README":     "no Go\n",
		"onlyignored/x.go": "//go:build ignore\n\npackage x\n",
	})
	snap := Load(Env{}, []string{root})
	pf := snap.PackageImports(filepath.Join(root, "p"))
	if !pf.Found || !slices.Equal(pf.Imports, []string{"example.com/a", "fmt"}) || !slices.Equal(pf.TestImports, []string{"example.com/t"}) {
		t.Errorf("p: %+v", pf)
	}
	if pf := snap.PackageImports(filepath.Join(root, "empty")); pf.Found {
		t.Errorf("empty: %+v", pf)
	}
	if pf := snap.PackageImports(filepath.Join(root, "onlyignored")); !pf.Found || len(pf.Imports) != 0 {
		t.Errorf("a directory whose only file is ignored still holds Go files: %+v", pf)
	}
	if pf := snap.PackageImports(filepath.Join(root, "missing")); pf.Found {
		t.Errorf("missing: %+v", pf)
	}
}

// DependencyGoMod answers from the snapshot for its go.mod files (an open
// buffer wins) and from disk for others, remembering a missing one only
// until the next change a watcher reports.
func TestDependencyGoMod(t *testing.T) {
	root := writeTree(t, map[string]string{"a/go.mod": "module example.com/a\n\ngo 1.22\n"})
	cache := t.TempDir()
	outside := filepath.Join(cache, "dep.mod")
	s := NewSession(Env{}, []string{root})
	snap := s.Open(filepath.Join(root, "a", "go.mod"), []byte("module example.com/a\n\ngo 1.23\n"), 1)
	if f := snap.DependencyGoMod(filepath.Join(root, "a", "go.mod")); f == nil || f.Go.Version != "1.23" {
		t.Errorf("a/go.mod: %v, want the buffer's parse", f)
	}
	if f := snap.DependencyGoMod(outside); f != nil {
		t.Fatalf("missing file parsed: %v", f)
	}
	if err := os.WriteFile(outside, []byte("module example.com/dep\n\ngo 1.21\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gen := snap.DiskGeneration()
	if f := snap.DependencyGoMod(outside); f != nil {
		t.Error("a missing file was looked for again without a change reported")
	}
	snap = s.DiskChanged([]string{filepath.Join(root, "a", "go.sum")})
	f := snap.DependencyGoMod(outside)
	if f == nil || f.Module.Mod.Path != "example.com/dep" {
		t.Fatalf("after a change: %v", f)
	}
	if snap.DiskGeneration() == gen {
		t.Error("DiskGeneration unchanged after a reported change")
	}
	snap = s.DiskChanged([]string{filepath.Join(root, "a", "go.sum")})
	if snap.DependencyGoMod(outside) != f {
		t.Error("a file found is read again after an unrelated change")
	}
}

// Memo computes once per snapshot and hands the session's last value to the
// next snapshot's computation.
func TestMemo(t *testing.T) {
	root := writeTree(t, map[string]string{"go.mod": "module example.com/m\n"})
	s := NewSession(Env{}, []string{root})
	s1 := s.Snapshot()
	calls := 0
	compute := func(prev any) any {
		calls++
		if prev != nil {
			return prev.(int) + 1
		}
		return 1
	}
	if v := s1.Memo("k", compute); v != 1 {
		t.Errorf("first value %v", v)
	}
	if v := s1.Memo("k", compute); v != 1 || calls != 1 {
		t.Errorf("second call on one snapshot: %v after %d computations", v, calls)
	}
	s2 := s.Open(filepath.Join(root, "go.sum"), nil, 1)
	if v := s2.Memo("k", compute); v != 2 {
		t.Errorf("next snapshot: %v, want the previous value + 1", v)
	}
	if v := s1.Memo("k", compute); v != 1 {
		t.Errorf("the older snapshot's value changed: %v", v)
	}
}

// moduleCachePath is filepath.Join for the escaped elements it is given.
func TestModuleCachePath(t *testing.T) {
	for _, root := range []string{"/gomodcache", "/gomodcache/", "/a/../gomodcache", "relative", "/"} {
		elems := []string{"cache", "download", "example.com/!m/v2", "@v", "v2.0.0.mod"}
		if got, want := moduleCachePath(root, elems...), filepath.Join(append([]string{root}, elems...)...); got != want {
			t.Errorf("moduleCachePath(%q, …) = %q, want %q", root, got, want)
		}
	}
}
