package diagnostics

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

// A check that stops early when its context is done (a newer snapshot
// came) returns what it has; the run must then return the context's error,
// never those partial diagnostics, even when it was the last check.
func TestRunDiscardsAStoppedCheck(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopping := Check{
		Name: "stopping",
		Run:  func(*workspace.Snapshot) []Diagnostic { return []Diagnostic{{Code: "whole"}} },
		RunFocused: func(ctx context.Context, _ *workspace.Snapshot, _ *Focus) []Diagnostic {
			cancel() // the newer snapshot arrives while this check runs
			return []Diagnostic{{Code: "partial"}}
		},
	}
	snap := workspace.NewSession(workspace.Env{}, []string{t.TempDir()}).Snapshot()
	diags, err := RunContext(ctx, snap, []Check{stopping}, nil)
	if !errors.Is(err, context.Canceled) || diags != nil {
		t.Errorf("RunContext = %v, %v; want nil, context.Canceled", diags, err)
	}
}

// inParallel gives each task's result in the order of the tasks, and a
// task's panic reaches the runner as the check's own, with the stack where
// it happened.
func TestInParallel(t *testing.T) {
	tasks := make([]func() int, 100)
	for i := range tasks {
		tasks[i] = func() int { return i * i }
	}
	for i, got := range inParallel(context.Background(), tasks) {
		if got != i*i {
			t.Fatalf("result %d = %d, want %d", i, got, i*i)
		}
	}

	var reported any
	var stack []byte
	boom := Check{Name: "boom", Run: func(*workspace.Snapshot) []Diagnostic {
		inParallel(context.Background(), []func() int{
			func() int { return 1 },
			func() int { panic("kaboom in a task") },
			func() int { return 3 },
		})
		return nil
	}}
	diags := Run(workspace.Load(workspace.Env{}, []string{t.TempDir()}), []Check{boom}, func(_ string, p any, s []byte) { reported, stack = p, s })
	if len(diags) != 1 || diags[0].Code != CodeInternalError || diags[0].Message != "internal error in gomodls check boom: kaboom in a task (please report this bug)" {
		t.Errorf("diagnostics = %+v, want one internal error naming the task's panic", diags)
	}
	if reported != "kaboom in a task" || !strings.Contains(string(stack), "TestInParallel") {
		t.Errorf("reported %v with stack\n%s\nwant the task's value and stack", reported, stack)
	}
}
