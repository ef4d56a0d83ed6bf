package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/unidiff"
	"github.com/gomodls/gomodls/workspace"
)

// errTidyDiff is returned by tidy -diff when it printed a diff: exit 1, as
// go mod tidy -diff exits.
var errTidyDiff = &exitError{code: 1}

// runTidy is `gomodls tidy -diff [dir]`: print what `go mod tidy -diff`
// prints for the module go would find in dir (its go.mod, or the first
// above), without running go or reaching the network. When the module
// cache lacks something tidy needs, or the case is one gomodls does not
// predict, it says so and exits 2 rather than guess.
func runTidy(ctx context.Context, env []string, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("tidy", flag.ContinueOnError)
	diff := fs.Bool("diff", false, "print the changes go mod tidy would make, as go mod tidy -diff does")
	logLevel := fs.String("log-level", "warn", "log level: debug, info, warn or error")
	positional, err := parseFlags(fs, stdout, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if !*diff {
		return usageError("tidy only predicts: run gomodls tidy -diff (go mod tidy writes the files)")
	}
	root, err := dirArgument("tidy", positional)
	if err != nil {
		return err
	}
	logger, closeLog, err := newLogger(*logLevel, "", stderr)
	if err != nil {
		return err
	}
	defer closeLog()

	gomod := workspace.FindGoMod(root)
	if gomod == "" {
		return inputError(fmt.Errorf("tidy: go.mod file not found in %s or any parent directory", root))
	}
	start := time.Now()
	goEnv := loadGoEnv(ctx, env, logger, false)
	envRead := time.Now()
	snap := loadWorkspace(goEnv, []string{filepath.Dir(gomod)}, workspace.DefaultLimits)
	if err := ctx.Err(); err != nil {
		return err // interrupted while loading
	}
	loaded := time.Now()
	m := snap.ModuleAt(gomod)
	if m == nil {
		return inputError(fmt.Errorf("tidy: %s could not be read", gomod))
	}
	t := diagnostics.TidyModuleWithGoSum(snap, m)
	workspace.FlushPackageIndex()
	logger.Debug("tidy", zap.Duration("env", envRead.Sub(start)), zap.Duration("load", loaded.Sub(envRead)), zap.Duration("tidy", time.Since(loaded)))
	if len(t.Failure) > 0 {
		return &exitError{code: 1, err: fmt.Errorf("tidy: go mod tidy would fail for %s:\n\t%s", gomod, strings.Join(t.Failure, "\n\t"))}
	}
	if len(t.Unknown) > 0 {
		return &exitError{code: 2, err: fmt.Errorf("tidy: cannot tell what go mod tidy would write for %s:\n\t%s", gomod, strings.Join(t.Unknown, "\n\t"))}
	}
	out := t.Diff(unidiff.Diff)
	if len(out) == 0 {
		return nil
	}
	if _, err := stdout.Write(out); err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	return errTidyDiff
}
