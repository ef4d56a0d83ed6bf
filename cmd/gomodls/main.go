package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// interruptGrace is how long a run has, once SIGINT or SIGTERM cancelled its
// context, to return before the process exits anyway. Cancelling reaches
// what watches the context (the go command, the server's session); some
// blocking operations never see it — open(2) of a FIFO without a writer, a
// read of a hung network file system — and a signal must still end the
// process. It exceeds lsp's drainTimeout (2s), so that a served session
// still ends in order.
const interruptGrace = 3 * time.Second

func main() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	os.Exit(runInterruptible(signals, interruptGrace, os.Stderr, func(ctx context.Context) error {
		return run(ctx, os.Environ(), os.Stdin, os.Stdout, os.Stderr, os.Args[1:])
	}))
}

// runInterruptible runs fn and returns the exit code of its error (see
// exitCode). A signal from signals cancels fn's context; the run then ends
// with exit code 2 and "gomodls: interrupted" on stderr, as soon as fn
// returns or after grace, whichever is first (a second signal does not
// wait): an interrupted check has not checked everything, so it neither
// passes nor fails, and whatever fn would have said about being cancelled
// is noise. A deferred function of fn does not run when grace expires;
// the process exits under it.
func runInterruptible(signals <-chan os.Signal, grace time.Duration, stderr io.Writer, fn func(context.Context) error) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	select {
	case err := <-done:
		return exitCode(stderr, err)
	case <-signals:
	}
	cancel()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
	case <-signals:
	}
	fmt.Fprintln(stderr, "gomodls: interrupted")
	return 2
}

// exitCode reports err on stderr, unless it is silent, and returns the exit
// code it stands for: its ExitCode if it has one, 0 for nil, 1 otherwise.
func exitCode(stderr io.Writer, err error) int {
	if err == nil {
		return 0
	}
	var withCode interface{ ExitCode() int }
	if !errors.As(err, &withCode) {
		fmt.Fprintf(stderr, "gomodls: %v\n", err)
		return 1
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintf(stderr, "gomodls: %s\n", msg)
	}
	return withCode.ExitCode()
}
