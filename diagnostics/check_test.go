package diagnostics

import (
	"context"
	"errors"
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
