package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// scriptEnvVars are the variables of a script's environment that gomodls
// and the go command read.
var scriptEnvVars = []string{
	"PATH", "HOME", "GOPROXY", "GOSUMDB", "GONOSUMDB", "GONOPROXY", "GOPRIVATE", "GOINSECURE",
	"GOFLAGS", "GOWORK", "GO111MODULE", "GOTOOLCHAIN", "GOENV", "GOPATH", "GOMODCACHE", "GOCACHE",
}

// applyFix is the script command
//
//	applyfix code file [title]
//
// It checks the script's working directory as gomodls check does, finds the
// diagnostic with that code on file whose fix edits text (the one whose
// title contains title, if given), and applies the fix's edits to the files
// on disk, as an editor applying the quick fix and saving would. With !, it
// asserts that there is no such fix. Scripts use it to show that the go
// command passes once the fix gomodls offers is applied.
func applyFix(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: applyfix code file [title]")
	}
	code, file := args[0], ts.MkAbs(args[1])
	var environ []string
	for _, k := range scriptEnvVars {
		environ = append(environ, k+"="+ts.Getenv(k))
	}
	env := workspace.LoadEnv(context.Background(), "go", environ)
	snap := workspace.Load(env, []string{ts.MkAbs(".")})
	var fix *diagnostics.Fix
	for _, d := range diagnostics.Run(snap, diagnostics.Checks, nil) {
		if d.Code != code || d.File == nil || d.File.Path != file {
			continue
		}
		for i, f := range d.Fixes {
			if len(f.Edits) > 0 && (len(args) < 3 || strings.Contains(f.Title, args[2])) {
				fix = &d.Fixes[i]
				break
			}
		}
		if fix != nil {
			break
		}
	}
	switch {
	case neg && fix != nil:
		ts.Fatalf("%s on %s has the fix %q", code, args[1], fix.Title)
	case neg:
		return
	case fix == nil:
		ts.Fatalf("no %s on %s with a text fix", code, args[1])
	}
	ts.Logf("applying %q", fix.Title)
	ts.Check(writeFix(fix))
}

// writeFix applies fix's edits to the files they edit (each edit against
// the content the snapshot held) and writes them to disk.
func writeFix(fix *diagnostics.Fix) error {
	byFile := make(map[*workspace.File][]diagnostics.Edit)
	for _, e := range fix.Edits {
		byFile[e.File] = append(byFile[e.File], e)
	}
	for f, edits := range byFile {
		slices.SortFunc(edits, func(a, b diagnostics.Edit) int { return b.Span.Start - a.Span.Start })
		out := string(f.Content())
		for _, e := range edits {
			out = out[:e.Span.Start] + e.NewText + out[e.Span.End:]
		}
		if err := os.MkdirAll(filepath.Dir(f.Path), 0o777); err != nil {
			return err
		}
		if err := os.WriteFile(f.Path, []byte(out), 0o666); err != nil {
			return err
		}
	}
	return nil
}
