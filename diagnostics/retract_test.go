package diagnostics

import (
	"strings"
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

var retractCache = map[string]string{
	"mod example.com/retracted@v1.0.0":  "module example.com/retracted\n\ngo 1.22\n",
	"mod example.com/retracted@v1.1.0":  "module example.com/retracted\n\ngo 1.22\n\nretract v1.0.0 // Critical bug in v1.0.0.\n",
	"mod example.com/deprecated@v1.0.0": "// Deprecated: use example.com/dep instead.\nmodule example.com/deprecated\n\ngo 1.22\n",
}

func TestRetract(t *testing.T) {
	const retractedMsg = "example.com/retracted@v1.0.0: retracted by module author: Critical bug in v1.0.0. (retracted in the go.mod of v1.1.0, its latest version in the module cache); to switch to the latest unretracted version: go get example.com/retracted@latest [retracted-version]\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{{
		name:  "retracted",
		files: with(retractCache, "go.mod", mainMod("require example.com/retracted v1.0.0\n")),
		want:  "go.mod:5:1: warning: " + retractedMsg + "\tfix quickfix: Upgrade example.com/retracted to v1.1.0\n",
	}, {
		name:  "not retracted",
		files: with(retractCache, "go.mod", mainMod("require example.com/retracted v1.1.0\n")),
	}, {
		name: "retracted, in a workspace module",
		files: with(retractCache,
			"go.work", "go 1.22\n\nuse ./a\n",
			"a/go.mod", "module example.com/a\n\ngo 1.22\n\nrequire example.com/retracted v1.0.0\n"),
		want: "a/go.mod:5:1: warning: " + retractedMsg + "\tfix quickfix: Upgrade example.com/retracted to v1.1.0\n",
	}, {
		name: "a range, no rationale, every later version retracted too: no upgrade",
		files: with(retractCache,
			"mod example.com/retracted@v1.1.0", "module example.com/retracted\n\ngo 1.22\n\nretract [v1.0.0, v1.1.0]\n",
			"go.mod", mainMod("require example.com/retracted v1.0.0\n")),
		want: "go.mod:5:1: warning: example.com/retracted@v1.0.0: retracted by module author (retracted in the go.mod of v1.1.0, its latest version in the module cache) [retracted-version]\n",
	}, {
		name: "the latest is a release, not a later prerelease",
		files: with(retractCache,
			"mod example.com/retracted@v1.2.0-pre", "module example.com/retracted\n\ngo 1.22\n",
			"go.mod", mainMod("require example.com/retracted v1.0.0\n")),
		want: "go.mod:5:1: warning: " + retractedMsg + "\tfix quickfix: Upgrade example.com/retracted to v1.1.0\n",
	}, {
		name: "replaced entirely: go does not look",
		files: with(retractCache,
			"go.mod", mainMod("require example.com/retracted v1.0.0\n\nreplace example.com/retracted => ./r\n"),
			"r/go.mod", "module example.com/retracted\n\ngo 1.22\n"),
	}, {
		name:  "not in the module cache: silent",
		files: map[string]string{"go.mod": mainMod("require example.com/retracted v1.0.0\n")},
	}, {
		name:  "deprecated, indirect: a dependency's choice",
		files: with(retractCache, "go.mod", mainMod("require example.com/deprecated v1.0.0 // indirect\n")),
	}, {
		name:  "deprecated",
		files: with(retractCache, "go.mod", mainMod("require example.com/deprecated v1.0.0\n")),
		want:  "go.mod:5:1: warning: module example.com/deprecated is deprecated: use example.com/dep instead. (the go.mod of v1.0.0, its latest version in the module cache, says so) [deprecated-module]\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			root, snap := loadWithCache(t, workspace.Env{}, tc.files)
			if got := renderStart(t, root, runWorkCheck(snap, retractCheck)); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestRetractFix(t *testing.T) {
	_, snap := loadWithCache(t, workspace.Env{}, with(retractCache,
		"go.mod", mainMod("require (\n\texample.com/other v1.0.0\n\texample.com/retracted v1.0.0 // indirect\n)\n")))
	got := applyTitled(t, runWorkCheck(snap, retractCheck), CodeRetractedVersion, "Upgrade example.com/retracted to v1.1.0")
	if want := mainMod("require (\n\texample.com/other v1.0.0\n\texample.com/retracted v1.1.0 // indirect\n)\n"); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestRetractedError(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "retracted by module author"},
		{"first\nsecond", "retracted by module author: first"},
		{strings.Repeat("x", 501), "retracted by module author: (message omitted: too long)"},
		{"bell\a", "retracted by module author: (message omitted: contains non-printable characters)"},
	} {
		if got := retractedError(tc.in); got != tc.want {
			t.Errorf("retractedError(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
