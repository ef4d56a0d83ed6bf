package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"

	"go.uber.org/zap"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/report"
	"github.com/gomodls/gomodls/workspace"
)

// cliChecks are the checks `gomodls check` runs: every check the language
// server runs, and those that only make sense once, over a whole tree, in CI
// (NoMainModuleCheck: Go files outside every module).
var cliChecks = append(slices.Clip(diagnostics.Checks), diagnostics.NoMainModuleCheck)

// loadWorkspace is workspace.LoadWithLimits, the discovery and reading of module
// files that check and explain do; a test stands in for it to block as an
// uninterruptible read would.
var loadWorkspace = workspace.LoadWithLimits

// runCheck is `gomodls check`: load the module files under one directory,
// run every check (cliChecks), print the report in the chosen format, and fail with
// errFindings if a diagnostic is at or above -fail-on.
func runCheck(ctx context.Context, env []string, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	formatName := fs.String("format", "text", "output format: text, json or sarif")
	failOnName := fs.String("fail-on", "error", "least severe diagnostic that fails the check: error, warning, information or hint")
	logLevel := fs.String("log-level", "warn", "log level: debug, info, warn or error")
	maxFileSize := fs.Int64("max-file-size", workspace.DefaultLimits.FileSize, "largest go.mod, go.work, vendor/modules.txt and dependency go.mod read, in bytes (a larger one is file-skipped)")
	maxSumFileSize := fs.Int64("max-sum-file-size", workspace.DefaultLimits.SumFileSize, "largest go.sum and go.work.sum read, in bytes (a larger one is file-skipped)")
	maxPerCode := fs.Int("max-per-code", diagnostics.DefaultMaxPerCode, "most diagnostics of one code shown per file, then one summary (0: no limit)")
	verify := fs.Bool("verify", false, "also compare every vendored file with the module cache's copy of its module version (vendor-modified)")
	replay := fs.Bool("replay", true, "print what the last check with the same settings printed when every file it looked at is unchanged (false: always check, and record for the next)")
	positional, err := parseFlags(fs, stdout, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	root, err := dirArgument("check", positional)
	if err != nil {
		return err
	}
	format, err := newFormatter(*formatName)
	if err != nil {
		return err
	}
	failOn, err := diagnostics.ParseSeverity(*failOnName)
	if err != nil {
		return usageError("-fail-on: %v", err)
	}
	if *maxFileSize <= 0 || *maxSumFileSize <= 0 {
		return usageError("-max-file-size and -max-sum-file-size take a positive number of bytes")
	}
	limits := workspace.Limits{FileSize: *maxFileSize, SumFileSize: *maxSumFileSize}
	if *maxPerCode < 0 {
		return usageError("-max-per-code: %d is negative (0 means no limit)", *maxPerCode)
	}
	logger, closeLog, err := newLogger(*logLevel, "", stderr)
	if err != nil {
		return err
	}
	defer closeLog()

	raiseStartingHeap(env, checkStartingHeap)
	// A check is one process, on a workspace that the next check mostly
	// finds the same: what it derives at length (packages loaded) serves
	// the next one, checked again before use (workspace.Snapshot.Recall).
	workspace.KeepDerivedResults(true)
	defer workspace.KeepDerivedResults(false)
	// Every look at the disk from here on is recorded (replay.go), the
	// go environment's too.
	rec := workspace.StartRecording()
	defer rec.Discard()
	goEnv := loadGoEnv(ctx, env, logger, true)
	key, recordable := checkRecordKey(env, outputSettings(fs, root), goEnv)
	if recordable && *replay {
		if payload, ok := workspace.RecallCheck(key); ok {
			if out, failed, ok := splitCheckPayload(payload); ok {
				logger.Debug("replayed: every file the last check of this command looked at is as it was", zap.String("dir", root))
				if _, err := stdout.Write(out); err != nil {
					return fmt.Errorf("writing output: %w", err)
				}
				if failed {
					return errFindings
				}
				return nil
			}
		}
	}
	snap := loadWorkspace(goEnv, []string{root}, limits)
	if err := ctx.Err(); err != nil {
		return err // interrupted while loading: no report of a partial load
	}
	snap.ReadAhead(ctx)
	var panicked atomic.Bool // checks run in parallel
	diags := diagnostics.Run(snap, cliChecks, func(check string, p any, stack []byte) {
		panicked.Store(true)
		logger.Error("check panicked", zap.String("check", check), zap.Any("panic", p), zap.ByteString("stack", stack))
	})
	if *verify {
		diags = append(diags, diagnostics.VerifyVendor(ctx, snap, "", nil)...)
		diagnostics.Sort(diags)
	}
	diags = diagnostics.Bound(diags, *maxPerCode)
	r := report.New(root, snap, diags)
	logger.Debug("checked", zap.String("dir", root), zap.Int("files", len(snap.Files())), zap.Int("diagnostics", len(r.Diagnostics)), zap.Stringer("disk", snap.DiskStats()))

	var out bytes.Buffer
	if err := format.format(&out, r); err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	failed := r.CountAtLeast(failOn) > 0
	if recordable && !panicked.Load() && ctx.Err() == nil {
		if err := rec.Keep(key, checkPayload(out.Bytes(), failed), goEnv.GOMODCACHE); err != nil {
			logger.Debug("not recorded for a replay", zap.Error(err))
		}
	}
	if err := workspace.FlushPackageIndex(); err != nil {
		logger.Debug("writing the package index", zap.Error(err))
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	if failed {
		return errFindings
	}
	return nil
}

// dirArgument is the one directory a command takes (default "."), as an
// absolute, clean path; a usage error for more than one.
func dirArgument(cmd string, positional []string) (string, error) {
	if len(positional) > 1 {
		return "", usageError("%s takes at most one directory, got %d arguments", cmd, len(positional))
	}
	dir := "."
	if len(positional) == 1 {
		dir = positional[0]
	}
	return checkDir(cmd, dir)
}

// loadGoEnv reads the go environment for a command. When go env fails the
// process environment stands in: logged as a warning, or only as
// information when go printed why and the command's report says so
// (reported: check's env-go-env-failed).
func loadGoEnv(ctx context.Context, env []string, logger *zap.Logger, reported bool) workspace.Env {
	goEnv := workspace.LoadEnv(ctx, "go", env)
	switch {
	case goEnv.ErrOutput != "" && reported:
		logger.Info("using the process environment, not the go command's", zap.Error(goEnv.Err))
	case goEnv.Err != nil:
		logger.Warn("using the process environment, not the go command's", zap.Error(goEnv.Err))
	}
	return goEnv
}

// checkDir returns dir as an absolute, clean path, or an inputError (which
// names the command cmd) if it is not a readable directory.
func checkDir(cmd, dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", inputError(err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return "", inputError(fmt.Errorf("%s: %w", cmd, err))
	}
	if !info.IsDir() {
		return "", inputError(fmt.Errorf("%s: %s is not a directory", cmd, dir))
	}
	if _, err := os.ReadDir(abs); err != nil {
		return "", inputError(fmt.Errorf("%s: %w", cmd, err))
	}
	return abs, nil
}
