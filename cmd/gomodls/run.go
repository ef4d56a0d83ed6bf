package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/gomodls/gomodls/workspace"
)

const usage = `gomodls is a language server and CI checker for Go module files
(go.mod, go.work, go.sum, go.work.sum, vendor/modules.txt).

Usage:

	gomodls [serve] [-log-file file] [-log-level level]
	gomodls check [-format text|json|sarif] [-fail-on severity] [-log-level level] [-verify] [-replay=false] [dir]
	gomodls explain [-format text|json] [-log-level level] [dir]
	gomodls tidy -diff [-log-level level] [dir]
	gomodls version
	gomodls help

serve (the default) speaks LSP on standard input and output. Logs go to
standard error or -log-file, never to standard output.

check prints the diagnostics of the module files under dir (default "."),
sorted by path and position, with paths relative to dir:

	-format text   path:line:col: severity: message [code] (the default)
	-format json   the JSON document of docs/diagnostics.md
	-format sarif  SARIF 2.1.0, for code-scanning uploads
	-fail-on sev   the least severe diagnostic that fails the check:
	               error (the default), warning, information or hint

-verify also compares every vendored file with the module cache's copy
of its module version (vendor-modified), which no build and no go mod
verify does.

Lines and columns are 1-based in text and SARIF, 0-based in JSON; columns
count UTF-16 code units in all three, so they agree. Every code is
documented in docs/diagnostics.md.

explain says what the go command will do in dir (default ".") and why:
the go.mod and go.work it reads, module, workspace or GOPATH mode, the
main modules, -mod, the toolchain that runs, how each requirement is
replaced, fetched and verified, and where each go environment variable
got its value. -format json prints the document of docs/explain.md.

tidy -diff prints what go mod tidy -diff would print for the module of
dir (its go.mod, or the first above), byte for byte, and exits as it
does: 0 when the module is tidy, 1 with the diff. It runs no go command
and reads only the module's files and the module cache; when something
tidy needs is not there, or the module is one it does not predict (a go
line below 1.18), it says why and exits 2; when go mod tidy would fail
(a package no module provides, with GOPROXY=off), it says why and exits
1, as go does.

-log-level is debug, info, warn or error.

serve and check keep an index of what Go files import
in $GOMODLS_CACHE ("off": none; default: gomodls/ in the user's cache
directory); it may be deleted at any time. check also keeps there what it
printed and every file it looked at: when the same command, in the same
environment, finds each of those files as it was (type, size,
modification time; each directory's entries), it prints the same again
without checking ("replayed" in the debug log); -replay=false checks
anyway.

Exit codes:

	0  success; for check, no diagnostic at or above -fail-on
	1  check found a diagnostic at or above -fail-on; tidy -diff printed a diff
	2  usage error, dir cannot be read, tidy cannot tell, or interrupted
	   (SIGINT, SIGTERM)
`

// run is gomodls with its whole environment injected: the process
// environment env (passed on to the go command), the standard streams and the
// arguments after the program name. It returns what main turns into an exit
// code (see exitCode).
func run(ctx context.Context, env []string, stdin io.Reader, stdout, stderr io.Writer, args []string) error {
	cmd, rest := "serve", args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, rest = args[0], args[1:]
	}
	workspace.SetPackageIndexDir(packageIndexDir(env))
	switch cmd {
	case "serve":
		return runServe(ctx, env, stdin, stdout, stderr, rest)
	case "check":
		return runCheck(ctx, env, stdout, stderr, rest)
	case "explain":
		return runExplain(ctx, env, stdout, stderr, rest)
	case "tidy":
		return runTidy(ctx, env, stdout, stderr, rest)
	case "version":
		if len(rest) > 0 {
			return usageError("version takes no arguments")
		}
		fmt.Fprintf(stdout, "gomodls %s %s\n", moduleVersion(), goVersion())
		return nil
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usageError("unknown command %q", cmd)
}

// parseFlags parses args with fs, allowing flags after positional arguments
// too (gomodls check dir -format=json), and returns the positional ones.
// -h (or -help) prints the usage to stdout and returns flag.ErrHelp, which
// the caller turns into success.
func parseFlags(fs *flag.FlagSet, stdout io.Writer, args []string) ([]string, error) {
	fs.SetOutput(io.Discard) // errors are reported once, by exitCode
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, usage)
				return nil, err
			}
			return nil, usageError("%s: %v", fs.Name(), err)
		}
		rest := fs.Args()
		if parsed := len(args) - len(rest); parsed > 0 && args[parsed-1] == "--" {
			return append(positional, rest...), nil // all positional after --
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional, args = append(positional, rest[0]), rest[1:]
	}
}

// moduleVersion is gomodls's module version as the go command stamped it:
// a release version for `go install ...@v1.2.3`, "(devel)" for a local build.
func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func goVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi.GoVersion
	}
	return "unknown"
}

// packageIndexDir is where the process keeps its package index
// (workspace.SetPackageIndexDir): $GOMODLS_CACHE when env sets it to an
// absolute directory, nowhere when it is "off" (or not absolute: the index
// must not move with the working directory), else gomodls/ in the user's
// cache directory (os.UserCacheDir), nowhere when there is none.
func packageIndexDir(env []string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], "GOMODLS_CACHE="); ok {
			if !filepath.IsAbs(v) {
				return ""
			}
			return v
		}
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "gomodls")
}
