//go:build unix

package workspace

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeGo writes a go command that answers go env -json with the values of
// root's GOROOT and GOENV, and notes each run in runs; every file is an
// hour old, as an installed toolchain is.
func fakeGo(t *testing.T) (bin, runs, envFile, gorootEnv string) {
	t.Helper()
	root := t.TempDir()
	runs = filepath.Join(root, "runs")
	envFile = filepath.Join(root, "config", "go", "env")
	goroot := filepath.Join(root, "goroot")
	gorootEnv = filepath.Join(goroot, "go.env")
	bin = filepath.Join(goroot, "bin", "go")
	script := "#!/bin/sh\necho run >> " + runs + "\n" +
		"printf '{\"GOROOT\": \"" + goroot + "\", \"GOENV\": \"" + envFile + "\", \"GOFLAGS\": \"%s\", \"GOVERSION\": \"go1.99\"}\\n' \"$GOFLAGS\"\n"
	for path, content := range map[string]string{bin: script, envFile: "GOPRIVATE=example.com\n", gorootEnv: "GOTOOLCHAIN=auto\n"} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	age(t, root, time.Hour)
	return bin, runs, envFile, gorootEnv
}

func countRuns(t *testing.T, runs string) int {
	t.Helper()
	data, err := os.ReadFile(runs)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return strings.Count(string(data), "run\n")
}

// A new process takes go env's answer from the index while the go binary,
// the variables it reads, the env file and $GOROOT/go.env are as they
// were, and runs go env again when any of them changed.
func TestGoEnvRecordServesTheNextProcess(t *testing.T) {
	bin, runs, envFile, gorootEnv := fakeGo(t)
	useIndex(t, t.TempDir())
	environ := []string{"HOME=/nonexistent", "GOENV=" + envFile, "PATH=/usr/bin:/bin", "GOFLAGS=-mod=mod"}
	load := func(environ []string) Env {
		t.Helper()
		e := LoadEnv(context.Background(), bin, environ)
		if e.Err != nil {
			t.Fatal(e.Err)
		}
		return e
	}
	want := load(environ)
	if want.GOVERSION != "go1.99" || want.GOFLAGS != "-mod=mod" || want.Origin("GOFLAGS").Kind != OriginProcess {
		t.Fatalf("first: %+v", want)
	}
	expect := func(what string, n int) {
		t.Helper()
		if got := countRuns(t, runs); got != n {
			t.Errorf("%s: go env ran %d times in all, want %d", what, got, n)
		}
	}
	expect("first", 1)
	if got := load(environ); !got.Equal(want) || got.Origin("GOFLAGS") != want.Origin("GOFLAGS") {
		t.Errorf("from the index: %+v, want %+v", got, want)
	}
	expect("the same again", 1)
	// An unrelated variable is not in the key; a GO variable is.
	load(append(environ, "TERM=dumb"))
	expect("another TERM", 1)
	if got := load(append(environ, "GOFLAGS=-mod=readonly")); got.GOFLAGS != "-mod=readonly" {
		t.Errorf("another GOFLAGS: %q", got.GOFLAGS)
	}
	expect("another GOFLAGS", 2)

	// A file go env reads, changed: run again, and again while the change
	// is too recent to be told from a second one.
	for i, path := range []string{envFile, gorootEnv, bin} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(data, "\n"...), 0o755); err != nil {
			t.Fatal(err)
		}
		load(environ)
		load(environ)
		expect(filepath.Base(path)+" changed", 4+3*i)
		age(t, path, time.Hour)
		load(environ)
		load(environ)
		expect(filepath.Base(path)+" settled", 5+3*i)
	}

	SetPackageIndexDir("")
	load(environ)
	expect("index off", 12)
}
