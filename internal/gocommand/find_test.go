package gocommand

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFind looks go up in the PATH of the environment it is given, not the
// process's, and never in a relative PATH entry.
func TestFind(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	goBin := filepath.Join(bin, "go")
	if err := os.WriteFile(goBin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	notExec := filepath.Join(dir, "notexec")
	if err := os.MkdirAll(notExec, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(notExec, "go"), []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)

	for _, tc := range []struct {
		name    string
		goCmd   string
		environ []string
		want    string // the path found, or a substring of the error
		wantErr bool
	}{
		{name: "in the given PATH", goCmd: "", environ: []string{"PATH=/nonexistent" + string(filepath.ListSeparator) + bin}, want: goBin},
		{name: "the last PATH wins", goCmd: "go", environ: []string{"PATH=/nonexistent", "PATH=" + bin}, want: goBin},
		{name: "not executable", goCmd: "go", environ: []string{"PATH=" + notExec}, want: `"go" is not in PATH (` + notExec + `)`, wantErr: true},
		{name: "relative entries skipped", goCmd: "go", environ: []string{"PATH=bin"}, want: `"go" is not in PATH (bin)`, wantErr: true},
		{name: "empty PATH", goCmd: "go", environ: nil, want: `"go" is not in PATH: PATH is empty`, wantErr: true},
		{name: "absolute path", goCmd: goBin, environ: nil, want: goBin},
		{name: "home", goCmd: "~/bin/go", environ: []string{"HOME=" + dir}, want: goBin},
		{name: "relative path", goCmd: "bin/go", environ: nil, want: "a relative path", wantErr: true},
		{name: "missing file", goCmd: filepath.Join(dir, "nogo"), environ: nil, want: "no such file", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Find(tc.goCmd, tc.environ)
			if tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("Find(%q) = %q, %v; want an error with %q", tc.goCmd, got, err, tc.want)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Find(%q) = %q, %v; want %q", tc.goCmd, got, err, tc.want)
			}
		})
	}
}
