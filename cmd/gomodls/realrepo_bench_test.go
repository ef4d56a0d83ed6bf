package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// The RealRepo benchmarks compare gomodls check with the go command on a
// real vendored repository, which is too large to keep in testdata. They run
// only when GOMODLS_REALREPO names one; scripts/realrepo.sh prepares it
// (containerd v2 by default; -bump path@version breaks it the way an
// unvendored go.mod edit does). Run both in one go test invocation, on the
// same tree, to compare them:
//
//	dir=$(scripts/realrepo.sh -bump golang.org/x/sync@v0.24.0)
//	GOMODLS_REALREPO=$dir go test -run '^$' -bench RealRepo -benchtime 5x ./cmd/gomodls
//
// Each reports what it found, so the numbers come with evidence that both
// judged the same tree the same way: errors (gomodls diagnostics of error
// severity) and details (the lines go prints under "inconsistent
// vendoring"; 0 when go succeeds).

// realRepoDir returns the absolute GOMODLS_REALREPO directory, or skips.
func realRepoDir(b *testing.B) string {
	b.Helper()
	dir := os.Getenv("GOMODLS_REALREPO")
	if dir == "" {
		b.Skip("set GOMODLS_REALREPO to a vendored module directory to run; scripts/realrepo.sh prepares one (containerd v2 by default) and prints its path")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []string{"go.mod", filepath.Join("vendor", "modules.txt")} {
		if _, err := os.Stat(filepath.Join(abs, f)); err != nil {
			b.Fatalf("GOMODLS_REALREPO=%s is not a vendored module (prepare one with scripts/realrepo.sh): %v", dir, err)
		}
	}
	return abs
}

// BenchmarkRealRepoCheck measures gomodls check on the tree: LoadRun is the
// work per check once the go environment is known (what the language server
// repeats), CLI is all of gomodls check in-process, go env -json and output
// included.
func BenchmarkRealRepoCheck(b *testing.B) {
	dir := realRepoDir(b)
	env := checkEnv()
	b.Run("LoadRun", func(b *testing.B) {
		goEnv := workspace.LoadEnv(context.Background(), "go", env)
		if goEnv.Err != nil {
			b.Fatalf("go env: %v", goEnv.Err)
		}
		var errs int
		for b.Loop() {
			snap := workspace.Load(goEnv, []string{dir})
			diags := diagnostics.Run(snap, diagnostics.Checks, func(check string, panicked any, _ []byte) {
				b.Fatalf("check %s panicked: %v", check, panicked)
			})
			errs = 0
			for _, d := range diags {
				if d.Severity == diagnostics.SeverityError {
					errs++
				}
			}
		}
		b.ReportMetric(float64(errs), "errors")
	})
	// Edit is the language server's path: the workspace is loaded once, then
	// each iteration is an unsaved edit of go.mod (alternately adding and
	// removing a trailing newline) and a run of the checks.
	b.Run("Edit", func(b *testing.B) {
		goEnv := workspace.LoadEnv(context.Background(), "go", env)
		session := workspace.NewSession(goEnv, []string{dir})
		gomod := filepath.Join(dir, "go.mod")
		content, err := os.ReadFile(gomod)
		if err != nil {
			b.Fatal(err)
		}
		edited := append(append([]byte(nil), content...), '\n')
		var errs int
		for i := 0; b.Loop(); i++ {
			text := content
			if i%2 == 0 {
				text = edited
			}
			snap := session.Change(gomod, text, int32(i+1))
			errs = 0
			for _, d := range diagnostics.Run(snap, diagnostics.Checks, nil) {
				if d.Severity == diagnostics.SeverityError {
					errs++
				}
			}
		}
		b.ReportMetric(float64(errs), "errors")
	})
	b.Run("CLI", func(b *testing.B) {
		for b.Loop() {
			err := runCheck(context.Background(), env, io.Discard, io.Discard, []string{dir})
			if err != nil && !errors.Is(err, errFindings) {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRealRepoGoListE measures go list -e ./... on the tree, the
// command the go user runs (and waits for) to learn the same thing.
func BenchmarkRealRepoGoListE(b *testing.B) {
	dir := realRepoDir(b)
	env := checkEnv()
	var details int
	for b.Loop() {
		cmd := exec.Command("go", "list", "-e", "./...")
		cmd.Dir = dir
		cmd.Env = env
		cmd.Stdout = io.Discard
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			b.Fatal(err)
		}
		details = inconsistentVendoringDetails(stderr.String())
		if err != nil && details == 0 {
			b.Fatalf("go list -e ./... failed, but not on vendoring:\n%s", stderr.String())
		}
	}
	b.ReportMetric(float64(details), "details")
}

// inconsistentVendoringDetails counts the detail lines the go command prints
// after "go: inconsistent vendoring in DIR:", up to the blank line.
func inconsistentVendoringDetails(stderr string) int {
	_, rest, ok := strings.Cut(stderr, "inconsistent vendoring in ")
	if !ok {
		return 0
	}
	n := 0
	for _, line := range strings.Split(rest, "\n")[1:] {
		if strings.TrimSpace(line) == "" {
			break
		}
		n++
	}
	return n
}
