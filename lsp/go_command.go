package lsp

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/gomodls/gomodls/internal/gocommand"
	"github.com/gomodls/gomodls/workspace"
)

// This file runs the go command for the commands of workspace/executeCommand
// (gomodls.vendor, and later tidy, workSync, …): the checks every such
// command makes before it runs go, and the run itself with its progress,
// log and error reporting.

// progressInterval throttles the progress reports of a command's output:
// go mod vendor -v prints a line per package, far more than a status bar
// can show.
const progressInterval = 100 * time.Millisecond

// runGo runs inv (its Env is Options.CommandEnv, plus the variables inv.Env
// sets, which win) and reports on it as title ("go mod vendor"):
// $/progress when the client supports it, cancellable from the editor;
// every output line once, in the client's log (window/logMessage; the
// server's own log has it at debug level only, since editors show that
// log too); a short window/showMessage on success. A failure is reported
// once, in the error it returns, which the request answers with: a
// showMessage as well would make every client show it twice. Only one go
// command runs at a time: two (say vendor and tidy of one module) would
// rewrite the same files.
//
// The returned error is the *gocommand.Error of a failed run; a run
// cancelled by the client returns one wrapping context.Canceled.
func (s *server) runGo(ctx context.Context, title string, inv gocommand.Invocation) error {
	return s.runGoThen(ctx, title, inv, nil)
}

// runGoThen is runGo with a step after a successful run (applying what go
// wrote to a private copy, private_copy.go): its note ends the success
// message, and its error is the command's failure.
func (s *server) runGoThen(ctx context.Context, title string, inv gocommand.Invocation, after func() (string, error)) error {
	// Each command has checked everything it touches (commandSnapshot);
	// this is the last line, for the directory go runs in.
	if why := s.outsideFolders([]string{inv.Dir}); why != "" {
		return s.refuse("not running " + title + ": " + why)
	}
	select {
	case s.goSlot <- struct{}{}:
		defer func() { <-s.goSlot }()
	case <-ctx.Done():
		return ctx.Err()
	}

	inv.Env = append(s.goEnviron(), inv.Env...)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	progress := s.beginCancellableWorkDone(ctx, title, "in "+inv.Dir, func() { cancel(errCancelledByClient) })
	s.log.Info("running go", zap.Strings("args", inv.Args), zap.String("dir", inv.Dir))
	s.logMessage(protocol.MessageTypeInfo, "gomodls: running "+inv.String()+" in "+inv.Dir)
	var lastReport time.Time
	inv.Output = func(line string) {
		s.log.Debug("go output", zap.String("line", line))
		s.logMessage(protocol.MessageTypeLog, line)
		if now := time.Now(); now.Sub(lastReport) >= progressInterval {
			lastReport = now
			progress.report(line, 0)
		}
	}

	s.mu.Lock()
	runner := s.goRunner
	runner.GoCommand = s.goBin
	s.mu.Unlock()
	start := time.Now()
	_, err := runner.Run(ctx, inv)
	took := zap.Duration("took", time.Since(start))
	switch {
	case err == nil:
		s.log.Info("go command done", zap.String("command", title), took)
		note := ""
		if after != nil {
			var aerr error
			if note, aerr = after(); aerr != nil {
				msg := "gomodls: " + title + " ran in " + inv.Dir + ", but " + aerr.Error()
				progress.end(msg)
				return errorf("%s", msg)
			}
		}
		progress.end("done")
		msg := "gomodls: " + title + " done in " + inv.Dir
		if note != "" {
			msg += "; " + note
		}
		s.showMessage(protocol.MessageTypeInfo, msg)
	case errors.Is(err, context.Canceled):
		// The user asked for it (or the session ended): no error to show.
		s.log.Info("go command cancelled", zap.String("command", title), took)
		s.logMessage(protocol.MessageTypeInfo, "gomodls: "+title+" cancelled")
		progress.end("cancelled")
		if context.Cause(ctx) == errCancelledByClient {
			// From the progress's cancel button: answered as if by
			// $/cancelRequest.
			return jsonrpc2.NewError(codeRequestCancelled, title+" cancelled")
		}
	default:
		msg := failureMessage(title, inv.Dir, err)
		first, _, _ := strings.Cut(msg, "\n")
		// The first line only, here and in the progress: go's lines are in
		// the client's log already (editors show the server's log beside
		// it), and the error the request is answered with quotes them.
		s.log.Warn("go command failed", zap.String("command", title), took, zap.String("failure", first))
		progress.end(first)
		return errorf("%s", msg)
	}
	return err
}

// goEnviron is the environment the go command runs with: Options.CommandEnv
// (os.Environ() when nil) and then the env of initializationOptions, whose
// variables win. It is a fresh slice.
func (s *server) goEnviron() []string {
	env := s.commandEnv
	if env == nil {
		env = os.Environ()
	}
	s.mu.Lock()
	extra := s.settings.env
	s.mu.Unlock()
	return append(slices.Clone(env), extra...)
}

// failureLines is how many of go's last stderr lines a failure message
// quotes: enough for go's error, which ends its output, short enough for a
// notification. The client's log has them all.
const failureLines = 5

// failureMessage says what failed and, in the go command's words, why.
// The first line has the same shape whether or not go got as far as printing
// anything (a timeout can strike before the process has started).
func failureMessage(title, dir string, err error) string {
	var gerr *gocommand.Error
	if !errors.As(err, &gerr) {
		return "gomodls: " + title + " failed in " + dir + ": " + err.Error()
	}
	msg := "gomodls: " + title + " failed in " + dir + " (" + gerr.Err.Error() + ")"
	lines := gerr.Stderr
	if len(lines) > failureLines {
		lines = lines[len(lines)-failureLines:]
	}
	if len(lines) > 0 {
		msg += ":\n" + strings.Join(lines, "\n")
	}
	return msg + "\n(go's whole output is in the language server's log)"
}

// refuse says why a command did not run, in the server's log, and returns
// the error to answer the request with: the one report the user sees.
func (s *server) refuse(msg string) error {
	s.log.Info("command refused", zap.String("why", msg))
	return errorf("gomodls: %s", msg)
}

// unsaved returns those of paths that are open in the editor with content
// other than the disk's: the go command reads the disk, so it would work on
// something else than what the user sees, and a file it rewrites would
// conflict with the buffer.
func unsaved(session *workspace.Session, snap *workspace.Snapshot, paths []string) []string {
	var out []string
	for _, p := range paths {
		f := snap.File(p)
		if f == nil || !session.IsOpen(p) {
			continue
		}
		disk, err := session.ReadDisk(p) // never blocks on a FIFO, bounded like every module file read
		if err != nil || !f.HasContent(disk) {
			out = append(out, p)
		}
	}
	return out
}

// relTo returns path relative to dir when it lies inside it, for shorter
// messages, and path itself otherwise.
func relTo(dir, path string) string {
	if workspace.Within(path, dir) {
		if rel, err := filepath.Rel(dir, path); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return path
}
