package diagnostics

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

func TestNoMainModule(t *testing.T) {
	const (
		mainGo = "package main\n\nfunc main() {}\n"
		pkgGo  = "package a\n"
	)
	gitConfig := func(url string) string {
		return "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = https://example.org/fork/r\n[remote \"origin\"]\n\turl = " + url + "\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n"
	}
	const notFound = `no go.mod in this directory or any parent: the go command fails here with "go.mod file not found in current directory or any parent directory"; create the module: `
	foundGit := func(repo string) string {
		return `no go.mod in this directory or any parent: the go command fails here with "cannot find main module, but found .git/config in $ROOT` + repo + `"; create the module: `
	}
	for _, tc := range []struct {
		name   string
		folder string // inside $ROOT; "" for $ROOT
		env    workspace.Env
		files  map[string]string
		want   string
	}{
		{
			name:  "placeholder",
			files: map[string]string{"x/main.go": mainGo, "x/README": "not go\n", "x/a/b.go": pkgGo, "x/a/a.go": pkgGo},
			// the first .go file in name order, once per directory
			want: "x/a/a.go:1:1-1:10: error: " + notFound + "cd .. && go mod init example.com/x (example.com/x is a placeholder: use the path the module will be imported by) [env-no-main-module]\n" +
				"\tfix quickfix: Run go mod init example.com/x in ..\n" +
				"x/main.go:1:1-1:13: error: " + notFound + "go mod init example.com/x (example.com/x is a placeholder: use the path the module will be imported by) [env-no-main-module]\n" +
				"\tfix quickfix: Run go mod init example.com/x\n",
		},
		{
			name: "skipped directories and files",
			files: map[string]string{
				"x/vendor/v/v.go": pkgGo, "x/testdata/t.go": pkgGo, "x/node_modules/n.go": pkgGo, "x/.hidden/h.go": pkgGo, "x/_old/o.go": pkgGo,
				"x/_ignored.go": pkgGo, "x/.ignored.go": pkgGo, "x/notgo.go.txt": pkgGo,
			},
		},
		{
			name:  "inside modules",
			files: map[string]string{"go.mod": "module example.com/m\n", "main.go": mainGo, "a/a.go": pkgGo},
		},
		{
			name:   "go.mod above the folder",
			folder: "inner",
			files:  map[string]string{"go.mod": "module example.com/m\n", "inner/main.go": mainGo},
		},
		{
			name:  "nested module",
			files: map[string]string{"x/sub/go.mod": "module example.com/sub\n", "x/sub/s.go": pkgGo, "x/tools/t.go": mainGo},
			want: "x/tools/t.go:1:1-1:13: error: " + notFound + "go mod init example.com/tools (example.com/tools is a placeholder: use the path the module will be imported by) [env-no-main-module]\n" +
				"\tfix quickfix: Run go mod init example.com/tools\n",
		},
		{
			name: "repository remote",
			files: map[string]string{
				"r/.git/config": gitConfig("git@github.com:o/r.git"), "r/cmd/x/main.go": mainGo, "r/pkg/a/a.go": pkgGo,
			},
			want: "r/cmd/x/main.go:1:1-1:13: error: " + foundGit("/r") + "cd ../.. && go mod init github.com/o/r (the path of the git remote) [env-no-main-module]\n" +
				"\tfix quickfix: Run go mod init github.com/o/r in ../..\n" +
				"r/pkg/a/a.go:1:1-1:10: error: " + foundGit("/r") + "cd ../.. && go mod init github.com/o/r (the path of the git remote) [env-no-main-module]\n" +
				"\tfix quickfix: Run go mod init github.com/o/r in ../..\n",
		},
		{
			name:   "repository above the folder",
			folder: "r/tools",
			files:  map[string]string{"r/.git/config": gitConfig("https://github.com/o/r.git"), "r/tools/gen.go": mainGo},
			want: "r/tools/gen.go:1:1-1:13: error: " + foundGit("/r") + "go mod init github.com/o/r/tools (the path of the git remote) [env-no-main-module]\n" +
				"\tfix quickfix: Run go mod init github.com/o/r/tools\n",
		},
		{
			name:  "local remote",
			files: map[string]string{"r/.git/config": gitConfig("/srv/git/r.git"), "r/main.go": mainGo},
			want: "r/main.go:1:1-1:13: error: " + foundGit("/r") + "go mod init example.com/r (example.com/r is a placeholder: use the path the module will be imported by) [env-no-main-module]\n" +
				"\tfix quickfix: Run go mod init example.com/r\n",
		},
		{
			name:  "GOPATH",
			env:   workspace.Env{GOPATH: "$ROOT/elsewhere" + string(filepath.ListSeparator) + "$ROOT/gopath"},
			files: map[string]string{"gopath/src/example.com/y/main.go": mainGo},
			want: "gopath/src/example.com/y/main.go:1:1-1:13: error: " + notFound + "go mod init example.com/y (the import path of the directory in GOPATH, which go mod init would pick too) [env-no-main-module]\n" +
				"\tfix quickfix: Run go mod init example.com/y\n",
		},
		{
			name:  "GOPATH mode",
			env:   workspace.Env{GO111MODULE: "off"},
			files: map[string]string{"x/main.go": mainGo},
		},
		{
			name:  "GO111MODULE=auto without go.mod is GOPATH mode",
			env:   workspace.Env{GO111MODULE: "auto"},
			files: map[string]string{"x/main.go": mainGo},
		},
		{
			name:  "workspace mode",
			files: map[string]string{"go.work": "go 1.22\n", "x/main.go": mainGo},
		},
		{
			name:  "GOWORK=off",
			env:   workspace.Env{GOWORK: "off"},
			files: map[string]string{"go.work": "go 1.22\n", "x/main.go": mainGo},
			want: "x/main.go:1:1-1:13: error: " + notFound + "go mod init example.com/x (example.com/x is a placeholder: use the path the module will be imported by) [env-no-main-module]\n" +
				"\tfix quickfix: Run go mod init example.com/x\n",
		},
		{
			name:  "GOWORK names a file",
			env:   workspace.Env{GOWORK: "$ROOT/w/go.work"},
			files: map[string]string{"w/go.work": "go 1.22\n", "x/main.go": mainGo},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			writeFiles(t, root, tc.files)
			env := tc.env
			env.GOPATH = strings.ReplaceAll(env.GOPATH, "$ROOT", root)
			env.GOWORK = strings.ReplaceAll(env.GOWORK, "$ROOT", root)
			snap := workspace.Load(env, []string{filepath.Join(root, filepath.FromSlash(tc.folder))})
			var b strings.Builder
			for _, d := range Run(snap, []Check{NoMainModuleCheck}, nil) {
				b.WriteString(render(t, root, []Diagnostic{d}))
				for _, f := range d.Fixes {
					fmt.Fprintf(&b, "\tfix %s: %s\n", f.Kind, f.Title)
					if f.Command != nil || len(f.Edits) > 0 {
						t.Errorf("fix %q has a command or edits; go mod init is the user's to run", f.Title)
					}
				}
			}
			if want := strings.ReplaceAll(tc.want, "$ROOT", root); b.String() != want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
			}
		})
	}
}

// The language server does not run the check: it is for gomodls check.
func TestNoMainModuleNotInChecks(t *testing.T) {
	for _, c := range Checks {
		if c.Name == NoMainModuleCheck.Name {
			t.Errorf("Checks holds %s, which only gomodls check may run", c.Name)
		}
	}
}

func TestRemoteModulePath(t *testing.T) {
	for remote, want := range map[string]string{
		"https://github.com/o/r":             "github.com/o/r",
		"https://github.com/o/r.git":         "github.com/o/r",
		"https://github.com/o/r/":            "github.com/o/r",
		"https://user@GitHub.com:443/o/r":    "github.com/o/r",
		"ssh://git@github.com/o/r.git":       "github.com/o/r",
		"git@github.com:o/r.git":             "github.com/o/r",
		"gitlab.example.com:group/sub/r.git": "gitlab.example.com/group/sub/r",
		"file:///srv/git/r.git":              "",
		"/srv/git/r.git":                     "",
		"../r":                               "",
		"https://localhost/r":                "", // no dot in the host: not a module path
		"":                                   "",
	} {
		if got := remoteModulePath(remote); got != want {
			t.Errorf("remoteModulePath(%q) = %q, want %q", remote, got, want)
		}
	}
}
