package main

import "fmt"

// exitError is an error that decides the process's exit code (see the
// "Exit codes" section of the package doc).
type exitError struct {
	code int
	err  error // nil for a silent error: its output has said everything
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// ExitCode is the process exit code.
func (e *exitError) ExitCode() int { return e.code }

// errFindings is returned by check when it printed a diagnostic at or above
// -fail-on. It is silent: the diagnostics are the message.
var errFindings = &exitError{code: 1}

// usageError is a mistake in the command line: exit code 2.
func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format+"\nRun 'gomodls help' for usage.", args...)}
}

// inputError is a failure to read what check was asked to read: exit code 2.
func inputError(err error) error {
	return &exitError{code: 2, err: err}
}
