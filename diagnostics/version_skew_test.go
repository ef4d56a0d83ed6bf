package diagnostics

import (
	"fmt"
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

// skewFiles is a workspace of a and b over a module cache: b requires dep
// v1.1.0, y v1.0.0 imports dep (and requires v1.0.0), x v1.0.0 requires dep
// v1.1.0.
var skewFiles = map[string]string{
	"go.work":  "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
	"b/go.mod": "module example.com/b\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n",
	"b/b.go":   "package b\n\nimport _ \"example.com/dep\"\n",

	"mod example.com/dep@v1.0.0":        "module example.com/dep\n\ngo 1.22\n",
	"mod example.com/dep@v1.1.0":        "module example.com/dep\n\ngo 1.22\n",
	"src example.com/dep@v1.0.0/dep.go": "package dep\n",
	"src example.com/dep@v1.1.0/dep.go": "package dep\n",
	"mod example.com/y@v1.0.0":          "module example.com/y\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n",
	"src example.com/y@v1.0.0/y.go":     "package y\n\nimport _ \"example.com/dep\"\n",
	"mod example.com/x@v1.0.0":          "module example.com/x\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n",
	"src example.com/x@v1.0.0/x.go":     "package x\n",
}

const skewMsg = "example.com/dep v1.0.0 is required here, but the workspace selects v1.1.0 (required by %s): built alone, this module uses v1.0.0; run go work sync"

func TestVersionSkew(t *testing.T) {
	aRequires := func(reqs string) string { return "module example.com/a\n\ngo 1.22\n\nrequire (\n" + reqs + ")\n" }
	for _, tc := range []struct {
		name  string
		files map[string]string
		env   workspace.Env
		want  string
	}{{
		name: "a imports dep",
		files: with(skewFiles,
			"a/go.mod", aRequires("\texample.com/dep v1.0.0\n"),
			"a/a.go", "package a\n\nimport _ \"example.com/dep\"\n"),
		want: "a/go.mod:6:2: warning: " + fmt.Sprintf(skewMsg, "example.com/b") + " [version-skew]\n" +
			"\trelated b/go.mod:5:1: example.com/b requires example.com/dep v1.1.0\n" +
			"\tfix \"Run go work sync\"\n",
	}, {
		name: "a test imports dep",
		files: with(skewFiles,
			"a/go.mod", aRequires("\texample.com/dep v1.0.0\n"),
			"a/a_test.go", "package a\n\nimport _ \"example.com/dep\"\n"),
		want: "a/go.mod:6:2: warning: " + fmt.Sprintf(skewMsg, "example.com/b") + " [version-skew]\n" +
			"\trelated b/go.mod:5:1: example.com/b requires example.com/dep v1.1.0\n" +
			"\tfix \"Run go work sync\"\n",
	}, {
		name: "a imports y, which imports dep",
		files: with(skewFiles,
			"a/go.mod", aRequires("\texample.com/y v1.0.0\n\texample.com/dep v1.0.0 // indirect\n"),
			"a/a.go", "package a\n\nimport _ \"example.com/y\"\n"),
		want: "a/go.mod:7:2: warning: " + fmt.Sprintf(skewMsg, "example.com/b") + " [version-skew]\n" +
			"\trelated b/go.mod:5:1: example.com/b requires example.com/dep v1.1.0\n" +
			"\tfix \"Run go work sync\"\n",
	}, {
		name: "raised by a dependency, not a used module",
		files: with(skewFiles,
			"a/go.mod", aRequires("\texample.com/dep v1.0.0\n"),
			"a/a.go", "package a\n\nimport _ \"example.com/dep\"\n",
			"b/go.mod", "module example.com/b\n\ngo 1.22\n\nrequire example.com/x v1.0.0\n",
			"b/b.go", "package b\n\nimport _ \"example.com/x\"\n"),
		want: "a/go.mod:6:2: warning: " + fmt.Sprintf(skewMsg, "example.com/x@v1.0.0") + " [version-skew]\n" +
			"\tfix \"Run go work sync\"\n",
	}, {
		name: "versions agree",
		files: with(skewFiles,
			"a/go.mod", aRequires("\texample.com/dep v1.1.0\n"),
			"a/a.go", "package a\n\nimport _ \"example.com/dep\"\n"),
	}, {
		name: "nothing in a imports dep: go work sync leaves the line",
		files: with(skewFiles,
			"a/go.mod", aRequires("\texample.com/dep v1.0.0\n"),
			"a/a.go", "package a\n"),
	}, {
		name: "only a file that never builds imports dep",
		files: with(skewFiles,
			"a/go.mod", aRequires("\texample.com/dep v1.0.0\n"),
			"a/gen.go", "//go:build ignore\n\npackage main\n\nimport _ \"example.com/dep\"\n"),
	}, {
		name: "y's files are not in the module cache: unknown",
		files: with(skewFiles,
			"a/go.mod", aRequires("\texample.com/y v1.0.0\n\texample.com/dep v1.0.0 // indirect\n"),
			"a/a.go", "package a\n\nimport _ \"example.com/y\"\n",
			"src example.com/y@v1.0.0/y.go", ""),
	}, {
		name: "a go.mod missing from the module cache: silent",
		files: with(skewFiles,
			"a/go.mod", aRequires("\texample.com/dep v1.0.0\n"),
			"a/a.go", "package a\n\nimport _ \"example.com/dep\"\n",
			"mod example.com/dep@v1.1.0", ""),
	}, {
		name: "built alone, a selects v1.1.0 too (through x): only the line is out of date",
		files: with(skewFiles,
			"a/go.mod", aRequires("\texample.com/dep v1.0.0\n\texample.com/x v1.0.0\n"),
			"a/a.go", "package a\n\nimport _ \"example.com/dep\"\n"),
		want: "a/go.mod:6:2: warning: example.com/dep v1.0.0 is required here, but the workspace selects v1.1.0 (required by example.com/b): this module selects v1.1.0 even built alone, so this line is out of date; run go work sync [version-skew]\n" +
			"\trelated b/go.mod:5:1: example.com/b requires example.com/dep v1.1.0\n" +
			"\tfix \"Run go work sync\"\n",
	}, {
		name: "a requires the workspace module b at a version",
		files: with(skewFiles,
			"a/go.mod", aRequires("\texample.com/b v0.1.0\n"),
			"a/a.go", "package a\n\nimport _ \"example.com/b\"\n",
			"mod example.com/b@v0.1.0", "module example.com/b\n\ngo 1.22\n"),
	}, {
		name: "GOWORK=off: no workspace",
		env:  workspace.Env{GOWORK: "off"},
		files: with(skewFiles,
			"a/go.mod", aRequires("\texample.com/dep v1.0.0\n"),
			"a/a.go", "package a\n\nimport _ \"example.com/dep\"\n"),
	}, {
		name: "no go.work",
		files: with(skewFiles,
			"go.work", "",
			"a/go.mod", aRequires("\texample.com/dep v1.0.0\n"),
			"a/a.go", "package a\n\nimport _ \"example.com/dep\"\n"),
	}} {
		t.Run(tc.name, func(t *testing.T) {
			root, snap := loadWithCache(t, tc.env, tc.files)
			got := renderFull(root, versionSkewCheck.Run(snap))
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// The fix runs go work sync in the go.work's directory.
func TestVersionSkewFix(t *testing.T) {
	root, snap := loadWithCache(t, workspace.Env{}, with(skewFiles,
		"a/go.mod", "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n",
		"a/a.go", "package a\n\nimport _ \"example.com/dep\"\n"))
	diags := versionSkewCheck.Run(snap)
	if len(diags) != 1 || len(diags[0].Fixes) != 1 {
		t.Fatalf("diagnostics: %+v", diags)
	}
	if c := diags[0].Fixes[0].Command; c == nil || c.Name != CommandWorkSync || c.Dir != root || len(c.Args) != 0 || diags[0].Fixes[0].Kind != KindQuickFix {
		t.Errorf("fix = %+v, command %+v", diags[0].Fixes[0], c)
	}
}
