package diagnostics

import (
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

func TestVersion(t *testing.T) {
	local := workspace.Env{GOVERSION: "go1.26.8", GOTOOLCHAIN: "local"}
	auto := workspace.Env{GOVERSION: "go1.26.8", GOTOOLCHAIN: "auto"}
	newgo := map[string]string{
		"mod example.com/newgo@v1.0.0": "module example.com/newgo\n\ngo 1.99\n",
		"mod example.com/dep@v1.0.0":   "module example.com/dep\n\ngo 1.16\n\nrequire example.com/newgo v1.0.0\n",
	}
	for _, tc := range []struct {
		name  string
		env   workspace.Env
		files map[string]string
		want  string
	}{{
		name:  "go.mod too new, GOTOOLCHAIN=local",
		env:   local,
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.99\n"},
		want:  "go.mod:3:1-3:8: error: go.mod requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local) [go-too-new]\n",
	}, {
		name:  "go.mod too new, GOTOOLCHAIN=auto",
		env:   auto,
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.99\n"},
		want:  "go.mod:3:1-3:8: information: go.mod requires go >= 1.99 (running go 1.26.8): go will switch to go1.99.0 [go-too-new]\n",
	}, {
		name:  "go.mod too new, GOTOOLCHAIN=go1.25.0+auto, with a newer toolchain line",
		env:   workspace.Env{GOVERSION: "go1.26.8", GOTOOLCHAIN: "go1.25.0+auto"},
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.99\n\ntoolchain go1.99.2\n"},
		want:  "go.mod:3:1-3:8: information: go.mod requires go >= 1.99 (running go 1.25.0): go will switch to go1.99.2 [go-too-new]\n",
	}, {
		// go env runs as the local go (GOTOOLCHAIN=local), so GOVERSION is
		// the local one; go itself runs the one GOTOOLCHAIN names.
		name:  "go.mod too new for the toolchain GOTOOLCHAIN names, newer local go",
		env:   workspace.Env{GOVERSION: "go1.26.8", GOTOOLCHAIN: "go1.25.0"},
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.26\n"},
		want:  "go.mod:3:1-3:8: error: go.mod requires go >= 1.26 (running go 1.25.0; GOTOOLCHAIN=go1.25.0) [go-too-new]\n",
	}, {
		name:  "go.mod too new, one fixed toolchain",
		env:   workspace.Env{GOVERSION: "go1.25.0", GOTOOLCHAIN: "go1.25.0"},
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.26\n"},
		want:  "go.mod:3:1-3:8: error: go.mod requires go >= 1.26 (running go 1.25.0; GOTOOLCHAIN=go1.25.0) [go-too-new]\n",
	}, {
		name:  "toolchain line newer, GOTOOLCHAIN=local ignores it",
		env:   local,
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n\ntoolchain go1.99.0\n"},
	}, {
		name:  "toolchain line newer, GOTOOLCHAIN=auto switches",
		env:   auto,
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n\ntoolchain go1.99.0\n"},
		want:  "go.mod:5:1-5:19: information: go.mod asks for toolchain go1.99.0 (running go 1.26.8): go will switch to go1.99.0 [go-too-new]\n",
	}, {
		name:  "unknown go version: silent",
		env:   workspace.Env{GOTOOLCHAIN: "local"},
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.99\n"},
	}, {
		name: "workspace: only go.work counts",
		env:  local,
		files: map[string]string{
			"go.work":  "go 1.99\n\nuse ./a\n",
			"a/go.mod": "module example.com/a\n\ngo 1.99\n\ntoolchain go1.99.0\n",
		},
		want: "go.work:1:1-1:8: error: go.work requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local) [go-too-new]\n",
	}, {
		name: "workspace: a module's go line is work-go-too-old-for-module's",
		env:  local,
		files: map[string]string{
			"go.work":  "go 1.22\n\nuse ./a\n",
			"a/go.mod": "module example.com/a\n\ngo 1.99\n",
		},
	}, {
		name:  "dependency too new",
		env:   local,
		files: with(newgo, "go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/newgo v1.0.0\n"),
		want:  "go.mod:5:1-5:33: error: module example.com/newgo@v1.0.0 requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local) [go-too-new]\n",
	}, {
		name:  "dependency too new, GOTOOLCHAIN=auto",
		env:   auto,
		files: with(newgo, "go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/newgo v1.0.0\n"),
		want:  "go.mod:5:1-5:33: information: module example.com/newgo@v1.0.0 requires go >= 1.99 (running go 1.26.8): go will switch to go1.99.0 [go-too-new]\n",
	}, {
		name:  "indirect dependency too new (through an unpruned module): on the go line",
		env:   local,
		files: with(newgo, "go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n"),
		want:  "go.mod:3:1-3:8: error: module example.com/newgo@v1.0.0 requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local) (a dependency of a dependency) [go-too-new]\n",
	}, {
		name: "dependency too new, vendor mode: vendor-go-annotation's",
		env:  local,
		files: with(newgo,
			"go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/newgo v1.0.0\n",
			"vendor/modules.txt", "# example.com/newgo v1.0.0\n## explicit; go 1.99\n"),
	}, {
		name:  "dependency not in the module cache: silent",
		env:   local,
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n\nrequire example.com/newgo v1.0.0\n"},
	}, {
		name: "dependency too new in a workspace",
		env:  local,
		files: with(newgo,
			"go.work", "go 1.22\n\nuse ./a\n",
			"a/go.mod", "module example.com/a\n\ngo 1.22\n\nrequire example.com/newgo v1.0.0\n"),
		want: "a/go.mod:5:1-5:33: error: module example.com/newgo@v1.0.0 requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local) [go-too-new]\n",
	}, {
		name:  "toolchain older than go",
		env:   local,
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22.0\n\ntoolchain go1.21.0\n"},
		want:  "go.mod:5:1-5:19: warning: toolchain go1.21.0 is older than the go line (go 1.22.0): go never runs a toolchain older than the go line, so this line has no effect [toolchain-older-than-go]\n",
	}, {
		name: "toolchain older than go in go.work",
		env:  local,
		files: map[string]string{
			"go.work":  "go 1.23.0\n\ntoolchain go1.22.1\n\nuse ./a\n",
			"a/go.mod": "module example.com/a\n\ngo 1.22\n",
		},
		want: "go.work:3:1-3:19: warning: toolchain go1.22.1 is older than the go line (go 1.23.0): go never runs a toolchain older than the go line, so this line has no effect [toolchain-older-than-go]\n",
	}, {
		name:  "toolchain older than go1.21 is gomod-dirty's",
		env:   local,
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22.0\n\ntoolchain go1.20\n"},
	}, {
		name:  "toolchain newer than go",
		env:   local,
		files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22.0\n\ntoolchain go1.23.0\n"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			root, snap := loadWithCache(t, tc.env, tc.files)
			if got := render(t, root, runWorkCheck(snap, versionCheck)); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestToolchainOlderFix(t *testing.T) {
	_, snap := loadWithCache(t, workspace.Env{}, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22.0\n\ntoolchain go1.21.0\n\nrequire example.com/dep v1.0.0\n",
	})
	got := applyTitled(t, runWorkCheck(snap, versionCheck), CodeToolchainOlderThanGo, "Remove toolchain line")
	if want := "module example.com/m\n\ngo 1.22.0\n\nrequire example.com/dep v1.0.0\n"; got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestGoToolchainName(t *testing.T) {
	for v, want := range map[string]string{"1.99": "go1.99.0", "1.22.3": "go1.22.3", "1.21rc1": "go1.21rc1", "1.20": "go1.20"} {
		if got := goToolchainName(v); got != want {
			t.Errorf("goToolchainName(%q) = %q, want %q", v, got, want)
		}
	}
}
