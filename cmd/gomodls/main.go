package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Environ(), os.Stdin, os.Stdout, os.Stderr, os.Args[1:])
	stop()
	os.Exit(exitCode(os.Stderr, err))
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
