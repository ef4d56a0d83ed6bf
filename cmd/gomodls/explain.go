package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/gomodls/gomodls/explain"
	"github.com/gomodls/gomodls/workspace"
)

// runExplain is `gomodls explain`: say what the go command will do in one
// directory and why, as text or as the JSON of docs/explain.md. The
// snapshot is loaded as check loads it, with dir as the folder (so the
// go.work above it is read too) and, when the go.mod go uses in dir is in
// a parent directory, that module's directory as a second folder, so that
// the main module is read.
func runExplain(ctx context.Context, env []string, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	formatName := fs.String("format", "text", "output format: text or json")
	logLevel := fs.String("log-level", "warn", "log level: debug, info, warn or error")
	positional, err := parseFlags(fs, stdout, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *formatName != "text" && *formatName != "json" {
		return usageError("unknown -format %q (want text or json)", *formatName)
	}
	root, err := dirArgument("explain", positional)
	if err != nil {
		return err
	}
	logger, closeLog, err := newLogger(*logLevel, "", stderr)
	if err != nil {
		return err
	}
	defer closeLog()

	goEnv := loadGoEnv(ctx, env, logger, false)
	folders := []string{root}
	if gomod := workspace.FindGoMod(root); gomod != "" && filepath.Dir(gomod) != root {
		folders = append(folders, filepath.Dir(gomod))
	}
	snap := loadWorkspace(goEnv, folders, workspace.DefaultLimits)
	if err := ctx.Err(); err != nil {
		return err // interrupted while loading
	}
	e := explain.For(snap, root)
	if *formatName == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(e)
	} else {
		err = explain.WriteText(stdout, e)
	}
	if err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	return nil
}
