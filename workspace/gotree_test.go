package workspace

import (
	"path/filepath"
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
