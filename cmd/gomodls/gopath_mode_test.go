package main

import (
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// TestGOPATHModeSilencesModuleChecks: with GO111MODULE=off the go command
// reads no module file, so on the files of every script (each written as
// it stands in its archive) and on the demo, the only diagnostic gomodls
// may report is env-modules-disabled.
func TestGOPATHModeSilencesModuleChecks(t *testing.T) {
	scripts, err := filepath.Glob(filepath.Join("testdata", "script", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	demo, err := filepath.Abs(filepath.Join("..", "..", "testdata", "demo"))
	if err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{"demo": demo}
	for _, s := range scripts {
		ar, err := txtar.ParseFile(s)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if err := txtar.Write(ar, dir); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		dirs[filepath.Base(s)] = dir
	}
	home := t.TempDir()
	env := workspace.EnvFromProcess([]string{"HOME=" + home, "GOENV=off", "GO111MODULE=off", "GOTOOLCHAIN=local"})
	env.GOVERSION = "go1.26.0"
	checked := 0
	for name, dir := range dirs {
		snap := workspace.Load(env, []string{dir})
		for _, d := range diagnostics.Run(snap, diagnostics.Checks, nil) {
			if d.Code != diagnostics.CodeEnvModulesDisabled {
				t.Errorf("%s: GO111MODULE=off, yet %s: %s [%s]", name, d.File.Path, d.Message, d.Code)
			} else {
				checked++
			}
		}
	}
	if checked == 0 {
		t.Error("no env-modules-disabled diagnostic at all")
	}
}
