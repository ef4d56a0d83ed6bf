package workspace

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestGoDirsWithoutModule(t *testing.T) {
	root := writeTree(t, map[string]string{
		"r/.git/config":            "[remote \"origin\"]\n\turl = git@github.com:o/r.git\n",
		"r/main.go":                "package main\n",
		"r/b.go":                   "package main\n", // b.go comes first
		"r/pkg/a/a.go":             "package a\n",
		"r/mod/go.mod":             "module example.com/mod\n",
		"r/mod/m.go":               "package m\n",
		"r/mod/deep/d.go":          "package d\n",
		"r/vendor/v/v.go":          "package v\n",
		"r/testdata/t.go":          "package t\n",
		"r/_old/o.go":              "package o\n",
		"r/.cache/c.go":            "package c\n",
		"r/docs/README":            "no Go here\n",
		"plain/x.go":               "package x\n",
		"gopath/pkg/mod/m@v1/m.go": "package m\n", // the module cache
	})
	snap := Load(Env{GOMODCACHE: filepath.Join(root, "gopath", "pkg", "mod")}, []string{root})
	var got []string
	for _, d := range snap.GoDirsWithoutModule() {
		rel, _ := filepath.Rel(root, d.File.Path)
		repo := ""
		if d.Repo != "" {
			repo, _ = filepath.Rel(root, d.Repo)
		}
		got = append(got, filepath.ToSlash(rel)+" repo="+repo+" url="+d.RemoteURL)
		if filepath.Dir(d.File.Path) != d.Dir || len(d.File.Content()) == 0 {
			t.Errorf("%s: Dir %s, %d bytes", d.File.Path, d.Dir, len(d.File.Content()))
		}
	}
	want := []string{
		"plain/x.go repo= url=",
		"r/b.go repo=r url=git@github.com:o/r.git",
		"r/pkg/a/a.go repo=r url=git@github.com:o/r.git",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("GoDirsWithoutModule:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A folder inside a module has none; the repository above a folder is found.
	if dirs := Load(Env{}, []string{filepath.Join(root, "r", "mod", "deep")}).GoDirsWithoutModule(); len(dirs) != 0 {
		t.Errorf("folder inside a module: %d directories, want none", len(dirs))
	}
	dirs := Load(Env{}, []string{filepath.Join(root, "r", "pkg")}).GoDirsWithoutModule()
	if len(dirs) != 1 || dirs[0].Repo != filepath.Join(root, "r") {
		t.Errorf("folder inside a repository: got %+v, want one directory in the repository r", dirs)
	}
	// findAltConfig never names a repository in or above GOROOT.
	dirs = Load(Env{GOROOT: filepath.Join(root, "r")}, []string{filepath.Join(root, "r", "pkg")}).GoDirsWithoutModule()
	if len(dirs) != 1 || dirs[0].Repo != "" {
		t.Errorf("repository at GOROOT: got %+v, want no repository", dirs)
	}
}

func TestGitRemoteURL(t *testing.T) {
	for _, tc := range []struct{ config, want string }{
		{"[remote \"origin\"]\n\turl = https://github.com/o/r\n", "https://github.com/o/r"},
		{"[remote \"fork\"]\n\turl = https://github.com/me/r\n[remote \"origin\"]\n\tURL = \"git@github.com:o/r.git\"\n", "git@github.com:o/r.git"},
		{"[remote \"fork\"]\n\turl = https://github.com/me/r ; mine\n[branch \"main\"]\n\turl = nope\n", "https://github.com/me/r"},
		{"# comment\n[core]\n\tbare = false\n\turl = not-a-remote\n", ""},
		{"", ""},
	} {
		if got := gitRemoteURL([]byte(tc.config)); got != tc.want {
			t.Errorf("gitRemoteURL(%q) = %q, want %q", tc.config, got, tc.want)
		}
	}
}
