package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"runtime"
	"runtime/pprof"

	"go.uber.org/zap"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp"
)

// runServe is `gomodls serve`: the language server on stdin and stdout until
// the client shuts it down or ctx is cancelled. Nothing but the protocol is
// written to stdout.
func runServe(ctx context.Context, env []string, stdin io.Reader, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	logFile := fs.String("log-file", "", "write logs to this file instead of standard error")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole session to this `file` (go tool pprof reads it; BENCHMARKS.md)")
	memProfile := fs.String("memprofile", "", "write a heap profile to this `file` on the shutdown request, after a garbage collection, so that its in-use samples are what the server holds for its workspace")
	positional, err := parseFlags(fs, stdout, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if len(positional) > 0 {
		return usageError("serve takes no arguments, got %q", positional)
	}
	logger, closeLog, err := newLogger(*logLevel, *logFile, stderr)
	if err != nil {
		return err
	}
	defer closeLog()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		defer func() {
			pprof.StopCPUProfile()
			if err := f.Close(); err != nil {
				logger.Error("writing the CPU profile", zap.Error(err))
			}
		}()
	}

	var onShutdown func()
	if *memProfile != "" {
		onShutdown = func() {
			if err := writeHeapProfile(*memProfile); err != nil {
				logger.Error("writing the heap profile", zap.Error(err))
			}
		}
	}

	logger.Info("starting", zap.String("version", moduleVersion()), zap.String("go", goVersion()))
	done := make(chan struct{})
	defer close(done)
	limitServerMemory(env, serverFloor, serverHeadroom, done)
	// No Env: the server runs `go env` during initialize, and only when
	// the client does not say the workspace is untrusted (running go
	// there can download and run the toolchain a go line names).
	err = lsp.Serve(ctx, stdio{stdin, stdout}, lsp.Options{
		Logger:     logger,
		Checks:     diagnostics.Checks,
		CommandEnv: env, // the go commands of quick fixes see what gomodls was started with
		OnShutdown: onShutdown,
	})
	// The error, if any, is also what main prints on stderr; the log keeps
	// it for -log-file users.
	logger.Info("stopped", zap.Error(err))
	return err
}

// writeHeapProfile writes the heap profile to path after a collection, so
// that its in-use samples are the objects still reachable: what a server
// holds for its workspace, the number its peak memory follows.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// stdio joins standard input and output into the connection the server
// reads requests from and writes responses to.
type stdio struct {
	io.Reader
	io.Writer
}

// Close closes both streams if they can be closed: the client then sees the
// server hang up.
func (s stdio) Close() error {
	var rerr, werr error
	if c, ok := s.Reader.(io.Closer); ok {
		rerr = c.Close()
	}
	if c, ok := s.Writer.(io.Closer); ok {
		werr = c.Close()
	}
	if rerr != nil {
		return rerr
	}
	return werr
}
