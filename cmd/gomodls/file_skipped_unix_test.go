//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A FIFO named go.mod: check blocked forever in open. It must finish, with
// the FIFO reported and the rest of the tree checked. (go.sum linked to
// /dev/stdin, in serve, is the robustness suite's item4_gosum_dev_stdin.)
func TestCheckFIFOGoMod(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "go.mod"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sub", "go.mod"), []byte("module example.com/sub\n\ngo 1.22\n\nnotadirective\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startGomodls(t, nil, "check", dir)
	code := p.wait(t, "gomodls check with a FIFO go.mod")
	out := p.stdout.String() + p.stderr.String()
	if code != 1 { // sub/go.mod's parse error
		t.Errorf("exit code %d, want 1; output:\n%s", code, out)
	}
	for _, want := range []string{
		"go.mod:1:1: warning: go.mod is not a regular file (a named pipe); gomodls did not read it, and the checks that need it are silent (a go command reading it may block or fail) [file-skipped]",
		"sub/go.mod:5:1: error: unknown directive: notadirective [gomod-parse-error]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
