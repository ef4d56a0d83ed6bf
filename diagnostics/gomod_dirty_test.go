package diagnostics

import (
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

// dirtyCache is a module cache: dep v1.0.0 and v1.1.0 at go 1.22, x
// v1.0.0 (go 1.22) requiring dep v1.1.0, go123 v1.0.0 at go 1.23.
var dirtyCache = map[string]string{
	"mod example.com/dep@v1.0.0":   "module example.com/dep\n\ngo 1.22\n",
	"mod example.com/dep@v1.1.0":   "module example.com/dep\n\ngo 1.22\n",
	"mod example.com/x@v1.0.0":     "module example.com/x\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n",
	"mod example.com/go123@v1.0.0": "module example.com/go123\n\ngo 1.23\n",
}

const dirtyEnd = ": updates to go.mod needed; to update it: go mod tidy [gomod-dirty]\n"

func TestGoModDirty(t *testing.T) {
	local := workspace.Env{GOVERSION: "go1.26.8", GOTOOLCHAIN: "local"}
	for _, tc := range []struct {
		name  string
		env   workspace.Env
		files map[string]string
		want  string
	}{{
		name:  "duplicate require",
		files: with(dirtyCache, "go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n\nrequire example.com/dep v1.0.0\n"),
		want: "go.mod:7:1: error: example.com/dep is required twice, here at v1.0.0 and on line 5 at v1.1.0" + dirtyEnd +
			"\trelated go.mod:5: example.com/dep v1.1.0 is required here\n" +
			"\tfix quickfix: Remove requirement on example.com/dep v1.0.0 (v1.1.0 is required)\n" +
			"\tfix quickfix: Run go mod tidy\n\tcmd gomodls.tidy . \n",
	}, {
		name:  "duplicate require, same version",
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0\n\texample.com/dep v1.0.0\n)\n"},
		want: "go.mod:7:2: error: example.com/dep is required twice, here at v1.0.0 and on line 6 at v1.0.0" + dirtyEnd +
			"\trelated go.mod:6: example.com/dep v1.0.0 is required here\n" +
			"\tfix quickfix: Remove duplicate requirement\n" +
			"\tfix quickfix: Run go mod tidy\n\tcmd gomodls.tidy . \n",
	}, {
		name:  "excluded requirement",
		files: with(dirtyCache, "go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nexclude example.com/dep v1.0.0\n"),
		want: "go.mod:5:1: error: ignoring requirement on excluded version example.com/dep v1.0.0; go mod tidy requires the next version that is not excluded [excluded-requirement]\n" +
			"\trelated go.mod:7: example.com/dep v1.0.0 is excluded here\n" +
			"\tfix quickfix: Run go mod tidy\n\tcmd gomodls.tidy . \n" +
			"go.mod:5:1: error: example.com/dep v1.0.0 is excluded" + dirtyEnd +
			"\trelated go.mod:7: example.com/dep v1.0.0 is excluded here\n" +
			"\tfix quickfix: Run go mod tidy\n\tcmd gomodls.tidy . \n",
	}, {
		name:  "excluded requirement, GOFLAGS=-mod=mod",
		env:   workspace.Env{GOFLAGS: "-mod=mod"},
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nexclude example.com/dep v1.0.0\n"},
		want: "go.mod:5:1: warning: dropping requirement on excluded version example.com/dep v1.0.0; go mod tidy requires the next version that is not excluded [excluded-requirement]\n" +
			"\trelated go.mod:7: example.com/dep v1.0.0 is excluded here\n" +
			"\tfix quickfix: Run go mod tidy\n\tcmd gomodls.tidy . \n" +
			"go.mod:5:1: warning: example.com/dep v1.0.0 is excluded: go rewrites go.mod (GOFLAGS=-mod=mod, the go command's default); go mod tidy makes the same change [gomod-dirty]\n" +
			"\trelated go.mod:7: example.com/dep v1.0.0 is excluded here\n" +
			"\tfix quickfix: Run go mod tidy\n\tcmd gomodls.tidy . \n",
	}, {
		name: "excluded requirement in a workspace: ignored silently",
		files: map[string]string{
			"go.work":  "go 1.22\n\nuse ./a\n",
			"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nexclude example.com/dep v1.0.0\n",
		},
		want: "a/go.mod:5:1: warning: requirement on excluded version example.com/dep v1.0.0 is ignored (silently, in workspace mode); go mod tidy requires the next version that is not excluded [excluded-requirement]\n" +
			"\trelated a/go.mod:7: example.com/dep v1.0.0 is excluded here\n" +
			"\tfix quickfix: Run go mod tidy\n\tcmd gomodls.tidy a \n",
	}, {
		name:  "toolchain default",
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22.0\n\ntoolchain default\n"},
		want: "go.mod:5:1: error: toolchain default is not written in go.mod (go drops the line)" + dirtyEnd +
			"\tfix quickfix: Remove toolchain line\n\tfix quickfix: Run go mod tidy\n\tcmd gomodls.tidy . \n",
	}, {
		name:  "toolchain equal to the go line",
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n\ntoolchain go1.22\n"},
		want: "go.mod:5:1: error: toolchain go1.22 repeats the go line (go drops the line)" + dirtyEnd +
			"\tfix quickfix: Remove toolchain line\n\tfix quickfix: Run go mod tidy\n\tcmd gomodls.tidy . \n",
	}, {
		name:  "toolchain go1.22.0 with go 1.22: not the same",
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n\ntoolchain go1.22.0\n"},
	}, {
		name:  "toolchain older than go1.21",
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22.0\n\ntoolchain go1.20\n"},
		want: "go.mod:5:1: error: toolchain go1.20 is older than go1.21, the first toolchain go.mod can name (go drops the line)" + dirtyEnd +
			"\tfix quickfix: Remove toolchain line\n\tfix quickfix: Run go mod tidy\n\tcmd gomodls.tidy . \n",
	}, {
		name:  "toolchain unparsable",
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22.0\n\ntoolchain go1.x\n"},
		want: "go.mod:5:1: error: toolchain go1.x is not a toolchain name go can read (go drops the line)" + dirtyEnd +
			"\tfix quickfix: Remove toolchain line\n\tfix quickfix: Run go mod tidy\n\tcmd gomodls.tidy . \n",
	}, {
		name:  "toolchain older than go but 1.21 or later: accepted",
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22.0\n\ntoolchain go1.21.0\n"},
	}, {
		name: "toolchain default in a workspace module: go never rewrites it",
		files: map[string]string{
			"go.work":  "go 1.22\n\nuse ./a\n",
			"a/go.mod": "module example.com/a\n\ngo 1.22.0\n\ntoolchain default\n",
		},
	}, {
		name:  "go line below a dependency's",
		env:   local,
		files: with(dirtyCache, "go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/go123 v1.0.0\n"),
		want: "go.mod:3:1: error: go line 1.22 is below go 1.23, which example.com/go123@v1.0.0 requires" + dirtyEnd +
			"\tfix quickfix: Raise go line to 1.23\n\tfix quickfix: Run go mod tidy\n\tcmd gomodls.tidy . \n",
	}, {
		name:  "go line below a dependency's, not cached: silent",
		env:   local,
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n\nrequire example.com/go123 v1.0.0\n"},
	}, {
		name:  "dependency below go 1.21: no requirement on go",
		files: with(dirtyCache, "go.mod", "module example.com/m\n\ngo 1.19\n\nrequire example.com/old v1.0.0\n", "mod example.com/old@v1.0.0", "module example.com/old\n\ngo 1.20\n"),
	}, {
		name:  "require below the selected version",
		files: with(dirtyCache, "go.mod", "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0 // indirect\n\texample.com/x v1.0.0\n)\n"),
		want: "go.mod:6:2: error: example.com/dep v1.0.0 is required here, but the module graph selects v1.1.0 (required by example.com/x@v1.0.0)" + dirtyEnd +
			"\tfix quickfix: Require example.com/dep v1.1.0\n\tfix quickfix: Run go mod tidy\n\tcmd gomodls.tidy . \n",
	}, {
		name:  "require below the selected version, unpruned module: accepted",
		files: with(dirtyCache, "go.mod", "module example.com/m\n\ngo 1.16\n\nrequire (\n\texample.com/dep v1.0.0 // indirect\n\texample.com/x v1.0.0\n)\n"),
	}, {
		name:  "require below the selected version, graph incomplete: silent",
		files: with(dirtyCache, "go.mod", "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0 // indirect\n\texample.com/x v1.0.0\n\texample.com/nowhere v1.0.0\n)\n"),
	}, {
		name: "vendor mode: go loads no module graph",
		env:  local,
		files: with(dirtyCache,
			"go.mod", "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0\n\texample.com/x v1.0.0\n\texample.com/go123 v1.0.0\n)\n",
			"vendor/modules.txt", "# example.com/dep v1.0.0\n## explicit; go 1.22\n# example.com/x v1.0.0\n## explicit; go 1.22\n# example.com/go123 v1.0.0\n## explicit; go 1.23\n"),
	}, {
		name: "vendor mode: go.mod's own causes still fail",
		files: with(dirtyCache,
			"go.mod", "module example.com/m\n\ngo 1.22.0\n\ntoolchain default\n",
			"vendor/modules.txt", "# example.com/dep v1.0.0\n"),
		want: "go.mod:5:1: error: toolchain default is not written in go.mod (go drops the line): updates to go.mod needed, disabled by -mod=vendor (Go version in go.mod is at least 1.14 and vendor directory exists.) to update it: go mod tidy [gomod-dirty]\n" +
			"\tfix quickfix: Remove toolchain line\n\tfix quickfix: Run go mod tidy\n\tcmd gomodls.tidy . \n",
	}, {
		name:  "GOFLAGS=-mod=readonly",
		env:   workspace.Env{GOFLAGS: "-mod=readonly"},
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22.0\n\ntoolchain default\n"},
		want: "go.mod:5:1: error: toolchain default is not written in go.mod (go drops the line): updates to go.mod needed, disabled by -mod=readonly; to update it: go mod tidy [gomod-dirty]\n" +
			"\tfix quickfix: Remove toolchain line\n\tfix quickfix: Run go mod tidy\n\tcmd gomodls.tidy . \n",
	}, {
		name: "require below the selected version in a workspace: version-skew's",
		files: with(dirtyCache,
			"go.work", "go 1.22\n\nuse ./a\n",
			"a/go.mod", "module example.com/a\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0 // indirect\n\texample.com/x v1.0.0\n)\n"),
	}} {
		t.Run(tc.name, func(t *testing.T) {
			root, snap := loadWithCache(t, tc.env, tc.files)
			if got := renderStart(t, root, runWorkCheck(snap, goModDirtyCheck)); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestGoModDirtyFixes(t *testing.T) {
	for _, tc := range []struct {
		name, gomod, code, title, want string
	}{{
		name:  "drop the lower duplicate",
		gomod: "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n\nrequire example.com/dep v1.0.0\n",
		code:  CodeGoModDirty, title: "Remove requirement on example.com/dep v1.0.0 (v1.1.0 is required)",
		want: "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n",
	}, {
		name:  "drop a duplicate in a block",
		gomod: "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0\n\texample.com/other v1.0.0\n\texample.com/dep v1.0.0 // indirect\n)\n",
		code:  CodeGoModDirty, title: "Remove duplicate requirement",
		want: "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0\n\texample.com/other v1.0.0\n)\n",
	}, {
		name:  "drop the toolchain line",
		gomod: "module example.com/m\n\ngo 1.22.0\n\ntoolchain default\n\nrequire example.com/dep v1.0.0\n",
		code:  CodeGoModDirty, title: "Remove toolchain line",
		want: "module example.com/m\n\ngo 1.22.0\n\nrequire example.com/dep v1.0.0\n",
	}, {
		name:  "raise the go line",
		gomod: "module example.com/m\n\ngo 1.22\n\nrequire example.com/go123 v1.0.0\n",
		code:  CodeGoModDirty, title: "Raise go line to 1.23",
		want: "module example.com/m\n\ngo 1.23\n\nrequire example.com/go123 v1.0.0\n",
	}, {
		name:  "raise the go line to the toolchain line's",
		gomod: "module example.com/m\n\ngo 1.22\n\ntoolchain go1.23\n\nrequire example.com/go123 v1.0.0\n",
		code:  CodeGoModDirty, title: "Raise go line to 1.23",
		want: "module example.com/m\n\ngo 1.23\n\nrequire example.com/go123 v1.0.0\n",
	}, {
		name:  "raise the require",
		gomod: "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0 // indirect\n\texample.com/x v1.0.0\n)\n",
		code:  CodeGoModDirty, title: "Require example.com/dep v1.1.0",
		want: "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.1.0 // indirect\n\texample.com/x v1.0.0\n)\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			_, snap := loadWithCache(t, workspace.Env{GOVERSION: "go1.26.8", GOTOOLCHAIN: "local"}, with(dirtyCache, "go.mod", tc.gomod))
			if got := applyTitled(t, runWorkCheck(snap, goModDirtyCheck), tc.code, tc.title); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
