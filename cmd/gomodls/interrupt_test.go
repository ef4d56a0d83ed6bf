package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/gomodls/gomodls/workspace"
)

// installLoadHook lets a test run this binary as gomodls (see TestMain)
// with a load it can see and stop: with GOMODLS_TEST_LOAD_STARTED set, the
// load creates that file first (the process is then past signal.Notify, so
// a signal is caught rather than killing it); with GOMODLS_TEST_LOAD=block
// as well it then blocks for good, seeing no context, as open(2) of a FIFO
// does — whatever later makes reads skip special files, the interrupt path
// stays tested.
func installLoadHook() {
	started := os.Getenv("GOMODLS_TEST_LOAD_STARTED")
	if started == "" {
		return
	}
	block := os.Getenv("GOMODLS_TEST_LOAD") == "block"
	load := loadWorkspace
	loadWorkspace = func(env workspace.Env, folders []string, limits workspace.Limits) *workspace.Snapshot {
		_ = os.WriteFile(started, nil, 0o666)
		if block {
			time.Sleep(time.Hour) // a sleep, not select{}: no deadlock panic
		}
		return load(env, folders, limits)
	}
}

// A run that returns by itself keeps its exit code and message.
func TestRunInterruptibleNoSignal(t *testing.T) {
	var stderr bytes.Buffer
	if code := runInterruptible(nil, time.Hour, &stderr, func(context.Context) error { return errFindings }); code != 1 || stderr.Len() != 0 {
		t.Errorf("code %d, stderr %q; want 1 and nothing", code, stderr.String())
	}
	if code := runInterruptible(nil, time.Hour, &stderr, func(context.Context) error { return errors.New("boom") }); code != 1 || stderr.String() != "gomodls: boom\n" {
		t.Errorf("code %d, stderr %q; want 1 and the error", code, stderr.String())
	}
}

// A signal cancels the run's context. A run that honours it ends at once;
// one that does not is abandoned after the grace period. Both exit 2 with
// "interrupted" only — not the run's own "context canceled".
func TestRunInterruptibleSignal(t *testing.T) {
	tests := []struct {
		name  string
		grace time.Duration
		run   func(ctx context.Context, blocked chan struct{}) error
	}{
		{"honours the context", time.Hour, func(ctx context.Context, blocked chan struct{}) error {
			close(blocked)
			<-ctx.Done()
			return ctx.Err()
		}},
		{"ignores the context", 10 * time.Millisecond, func(_ context.Context, blocked chan struct{}) error {
			close(blocked)
			select {} // released by nothing: the test abandons it, as main does
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signals := make(chan os.Signal, 1)
			blocked := make(chan struct{})
			go func() { <-blocked; signals <- syscall.SIGTERM }()
			var stderr bytes.Buffer
			code := runInterruptible(signals, tt.grace, &stderr, func(ctx context.Context) error { return tt.run(ctx, blocked) })
			if code != 2 || stderr.String() != "gomodls: interrupted\n" {
				t.Errorf("code %d, stderr %q; want 2 and %q", code, stderr.String(), "gomodls: interrupted\n")
			}
		})
	}
}
