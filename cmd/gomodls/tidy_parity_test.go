package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

// TestTidyParity is issue 12's acceptance check of gomodls tidy -diff on
// real trees, too large to keep in testdata: it runs only when
// GOMODLS_TIDY_TREES lists trees (space-separated) whose module cache,
// GOMODCACHE, holds what go mod tidy reads in each of their modules:
//
//	dir=$(scripts/etcd.sh); GOMODCACHE=${TMPDIR:-/tmp}/gomodls-etcd/modcache scripts/fillcache.sh $dir
//	GOMODCACHE=${TMPDIR:-/tmp}/gomodls-etcd/modcache GOMODLS_TIDY_TREES=$dir go test -run TestTidyParity -v ./cmd/gomodls
//	dir=$(scripts/xtools.sh)
//	GOMODCACHE=${TMPDIR:-/tmp}/gomodls-xtools/modcache GOMODLS_TIDY_TREES=$dir go test -run TestTidyParity -v ./cmd/gomodls
//
// On a copy of each tree, for every module (every go.mod but in testdata/
// and vendor/) unmodified and after each mutation of its go.mod or go.sum,
// it runs `go mod tidy -diff` (GOPROXY=off, GOFLAGS=-mod=mod) and `gomodls
// tidy -diff`: the output must be the same bytes and the exit status the
// same. Where gomodls says it cannot tell (exit 2), go must have failed
// too; that is logged, as is every comparison.
func TestTidyParity(t *testing.T) {
	trees := strings.Fields(os.Getenv("GOMODLS_TIDY_TREES"))
	if len(trees) == 0 {
		t.Skip("set GOMODLS_TIDY_TREES to trees (scripts/etcd.sh, scripts/xtools.sh) and GOMODCACHE to their module cache to run")
	}
	env := append(checkEnv(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOSUMDB=off")
	if cache := os.Getenv("GOMODCACHE"); cache != "" {
		env = append(env, "GOMODCACHE="+cache)
	}
	for _, src := range trees {
		dir := filepath.Join(t.TempDir(), filepath.Base(src))
		if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
			t.Fatal(err)
		}
		var mods []string
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || d.Name() == "vendor") {
				return filepath.SkipDir
			}
			if d.Name() == "go.mod" && !d.IsDir() {
				mods = append(mods, filepath.Dir(path))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mods {
			name, _ := filepath.Rel(filepath.Dir(dir), m)
			t.Run(name, func(t *testing.T) { tidyParity(t, m, env) })
		}
	}
}

// A tidyMutation breaks a module's go.mod (f, which it may edit) or
// go.sum (sum, returning the new content); ok false when it does not
// apply to this module.
type tidyMutation struct {
	name   string
	mutate func(t *testing.T, dir string, f *modfile.File, sum []byte, env []string) (newSum []byte, ok bool)
}

var tidyMutations = []tidyMutation{
	{"unmodified", func(_ *testing.T, _ string, _ *modfile.File, sum []byte, _ []string) ([]byte, bool) { return sum, true }},
	{"drop a direct require", func(_ *testing.T, _ string, f *modfile.File, sum []byte, _ []string) ([]byte, bool) {
		for _, r := range f.Require {
			if !r.Indirect {
				return sum, f.DropRequire(r.Mod.Path) == nil
			}
		}
		return sum, false
	}},
	{"delete an indirect line", func(_ *testing.T, _ string, f *modfile.File, sum []byte, _ []string) ([]byte, bool) {
		for _, r := range f.Require {
			if r.Indirect {
				return sum, f.DropRequire(r.Mod.Path) == nil
			}
		}
		return sum, false
	}},
	{"flip indirect", func(_ *testing.T, _ string, f *modfile.File, sum []byte, _ []string) ([]byte, bool) {
		var list []*modfile.Require
		flipped := map[bool]bool{}
		for _, r := range f.Require {
			c := *r
			if !flipped[r.Indirect] {
				flipped[r.Indirect] = true
				c.Indirect = !c.Indirect
			}
			list = append(list, &c)
		}
		if len(flipped) == 0 {
			return sum, false
		}
		f.SetRequire(list)
		return sum, true
	}},
	{"add an unused require", func(t *testing.T, dir string, f *modfile.File, sum []byte, env []string) ([]byte, bool) {
		// The last module of the build list that go.mod does not name,
		// required directly: tidy drops it or marks it indirect.
		cmd := exec.Command("go", "list", "-m", "all")
		cmd.Dir, cmd.Env = dir, append(slices.Clone(env), "GOWORK=off")
		out, err := cmd.Output()
		if err != nil {
			return sum, false
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		for i := len(lines) - 1; i > 0; i-- {
			fields := strings.Fields(lines[i])
			if len(fields) != 2 || slices.ContainsFunc(f.Require, func(r *modfile.Require) bool { return r.Mod.Path == fields[0] }) {
				continue
			}
			if err := f.AddRequire(fields[0], fields[1]); err != nil {
				t.Fatal(err)
			}
			return sum, true
		}
		return sum, false
	}},
	{"drop go.sum lines", func(_ *testing.T, _ string, _ *modfile.File, sum []byte, _ []string) ([]byte, bool) {
		lines := bytes.SplitAfter(sum, []byte("\n"))
		var out []byte
		for i, l := range lines {
			if i%5 != 2 {
				out = append(out, l...)
			}
		}
		return out, len(lines) > 3
	}},
}

func tidyParity(t *testing.T, dir string, env []string) {
	gomod, gosum := filepath.Join(dir, "go.mod"), filepath.Join(dir, "go.sum")
	origMod, err := os.ReadFile(gomod)
	if err != nil {
		t.Fatal(err)
	}
	origSum, _ := os.ReadFile(gosum)
	_, sumErr := os.Stat(gosum)
	restore := func() {
		if err := os.WriteFile(gomod, origMod, 0o666); err != nil {
			t.Fatal(err)
		}
		if sumErr == nil {
			if err := os.WriteFile(gosum, origSum, 0o666); err != nil {
				t.Fatal(err)
			}
		}
	}
	defer restore()
	for _, mu := range tidyMutations {
		restore()
		f, err := modfile.Parse(gomod, origMod, nil)
		if err != nil {
			t.Fatal(err)
		}
		sum, ok := mu.mutate(t, dir, f, origSum, env)
		if !ok {
			continue
		}
		if mu.name != "unmodified" {
			data, err := f.Format()
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(gomod, data, 0o666); err != nil {
				t.Fatal(err)
			}
			if sumErr == nil || len(sum) > 0 {
				if err := os.WriteFile(gosum, sum, 0o666); err != nil {
					t.Fatal(err)
				}
			}
		}
		cmd := exec.Command("go", "mod", "tidy", "-diff")
		cmd.Dir, cmd.Env = dir, env
		var goOut, goErr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &goOut, &goErr
		goCode := 0
		if err := cmd.Run(); err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatal(err)
			}
			goCode = ee.ExitCode()
		}
		var out, errOut bytes.Buffer
		code := exitCode(&errOut, run(context.Background(), env, strings.NewReader(""), &out, &errOut, []string{"tidy", "-diff", dir}))
		switch {
		case code == 2 && goCode != 0 && goOut.Len() == 0:
			t.Logf("%s: go fails and gomodls cannot tell:\n%s%s", mu.name, goErr.String(), errOut.String())
		case code != goCode || !bytes.Equal(out.Bytes(), goOut.Bytes()):
			t.Errorf("%s: gomodls exits %d, go %d\ngomodls stdout:\n%s\ngomodls stderr:\n%s\ngo stdout:\n%s\ngo stderr:\n%s", mu.name, code, goCode, out.String(), errOut.String(), goOut.String(), goErr.String())
		default:
			t.Logf("%s: same (exit %d, %d bytes)", mu.name, code, out.Len())
		}
	}
}
