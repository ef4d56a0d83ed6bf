// Package gocommand runs the go command on the user's behalf (go mod vendor,
// go mod tidy, go work sync, …): directly, without a shell, in one
// directory, with an environment adjusted so that it cannot surprise the
// user (see [Environ]), streaming its output line by line, bounded by a
// timeout and stopped when its context ends.
//
// It knows nothing of the language server, so the CLI can use it too.
package gocommand

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// DefaultTimeout bounds one invocation when [Runner.Timeout] is zero. It is
// generous: go mod vendor of a large module on a cold module cache downloads
// every dependency.
const DefaultTimeout = 10 * time.Minute

// waitDelay is how long Run waits, once the go command was killed (or has
// exited), for its output pipes to close. A child it started (git, for a
// direct VCS fetch) may hold them open after go itself is gone.
const waitDelay = 5 * time.Second

// tailLines is how many of the last stderr lines an [Error] keeps.
const tailLines = 10

// A Runner runs go commands. The zero value runs "go" from PATH with
// DefaultTimeout.
type Runner struct {
	// GoCommand is the go command: a name looked up in PATH, or a path.
	// "" means "go".
	GoCommand string
	// Timeout bounds each invocation; 0 means DefaultTimeout.
	Timeout time.Duration
}

// An Invocation is one run of the go command.
type Invocation struct {
	Dir  string   // the directory to run in
	Args []string // the arguments after "go", e.g. {"mod", "vendor"}
	// Env is the environment, as os.Environ returns it; nil means
	// os.Environ(). Run adjusts it with [Environ].
	Env []string
	// Output, if not nil, is called with each line the command writes to
	// stdout or stderr, without the line ending, one call at a time. It
	// should return quickly: the command's output waits for it.
	Output func(line string)
}

// String is the command line, for messages: "go mod vendor".
func (inv Invocation) String() string {
	return strings.Join(append([]string{"go"}, inv.Args...), " ")
}

// Result is what a successful run printed.
type Result struct {
	Stdout, Stderr string
}

// Error is how a run failed.
type Error struct {
	Invocation Invocation
	// Err is why: an *exec.ExitError, context.Canceled (the context was
	// cancelled), an error wrapping context.DeadlineExceeded (the timeout),
	// or the error starting the command (go not found).
	Err error
	// Stderr holds the last lines the command wrote to stderr, where the go
	// command reports what went wrong.
	Stderr []string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %v", e.Invocation, e.Err)
	for _, line := range e.Stderr {
		msg += "\n" + line
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Run runs inv and waits for it to end. It returns an *Error when the
// command could not be started, exited with a non-zero status, ran longer
// than the timeout or was stopped because ctx ended; in the last two cases
// the process is killed.
func (r *Runner) Run(ctx context.Context, inv Invocation) (Result, error) {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	goCmd := r.GoCommand
	if goCmd == "" {
		goCmd = "go"
	}
	env := inv.Env
	if env == nil {
		env = os.Environ()
	}

	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(runCtx, goCmd, inv.Args...)
	cmd.Dir = inv.Dir
	cmd.Env = Environ(env)
	cmd.WaitDelay = waitDelay
	out := &output{emit: inv.Output}
	stdout, stderr := &lineWriter{out: out}, &lineWriter{out: out}
	cmd.Stdout, cmd.Stderr = stdout, stderr

	err := cmd.Run()
	stdout.flush()
	stderr.flush()
	res := Result{Stdout: stdout.all.String(), Stderr: stderr.all.String()}
	if err == nil {
		return res, nil
	}
	switch {
	case ctx.Err() != nil:
		err = ctx.Err()
	case runCtx.Err() != nil:
		err = fmt.Errorf("timed out after %v: %w", timeout, runCtx.Err())
	}
	return res, &Error{Invocation: inv, Err: err, Stderr: tail(res.Stderr, tailLines)}
}

// output serializes the Output calls of a command's two streams.
type output struct {
	mu   sync.Mutex
	emit func(string)
}

// lineWriter collects one stream of the command and hands it to Output
// line by line.
type lineWriter struct {
	out     *output
	all     bytes.Buffer
	partial []byte // the unfinished last line
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.out.mu.Lock()
	defer w.out.mu.Unlock()
	w.all.Write(p)
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		w.line(w.partial[:i])
		w.partial = w.partial[i+1:]
	}
	return len(p), nil
}

// flush passes on a last line without a newline. Call it after the
// command ended.
func (w *lineWriter) flush() {
	w.out.mu.Lock()
	defer w.out.mu.Unlock()
	if len(w.partial) > 0 {
		w.line(w.partial)
		w.partial = nil
	}
}

func (w *lineWriter) line(b []byte) {
	if w.out.emit != nil {
		w.out.emit(string(bytes.TrimSuffix(b, []byte("\r"))))
	}
}

// tail returns the last n lines of s.
func tail(s string, n int) []string {
	lines := strings.Split(strings.TrimRight(s, "\r\n"), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	return lines[max(0, len(lines)-n):]
}

// Environ returns environ adjusted for running go on the user's behalf:
//
//   - GOTOOLCHAIN=local, unless environ sets GOTOOLCHAIN to something: a
//     quick fix must not download a toolchain (from the network, as a
//     side effect a go.mod toolchain line asks for) without being asked.
//     With local, a go.mod needing a newer go fails with the go command's
//     own clear message. A GOTOOLCHAIN set in the environment is the
//     user's deliberate choice (an editor setting, a shell profile) and
//     wins; one written with `go env -w` does not, as for `go env` in
//     workspace.LoadEnv.
//   - GOFLAGS without -mod: `-mod=vendor` (or mod, readonly) there would
//     make the commands gomodls runs, which fix exactly the state -mod is
//     about, fail or ignore the vendor directory.
//
// environ itself is not modified.
func Environ(environ []string) []string {
	env := append([]string(nil), environ...)
	if Getenv(env, "GOTOOLCHAIN") == "" {
		env = append(env, "GOTOOLCHAIN=local")
	}
	if flags := Getenv(env, "GOFLAGS"); flags != "" {
		if clean := WithoutModFlag(flags); clean != flags {
			env = append(env, "GOFLAGS="+clean) // the last value wins
		}
	}
	return env
}

// Getenv returns the last value of key in environ, the one os/exec passes
// on, or "".
func Getenv(environ []string, key string) string {
	val := ""
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			val = v
		}
	}
	return val
}

// WithoutModFlag returns the GOFLAGS value goflags without its -mod flags:
// -mod=x and --mod=x, and -mod x (which the go command itself rejects in
// GOFLAGS). The other flags are kept as written, quotes included. A value
// the go command cannot split (an unterminated quote) is returned unchanged,
// for the go command to report.
func WithoutModFlag(goflags string) string {
	fields, ok := splitGOFLAGS(goflags)
	if !ok {
		return goflags
	}
	var keep []string
	dropped := false
	for i := 0; i < len(fields); i++ {
		name, _, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(fields[i].value, "-"), "-"), "=")
		if !strings.HasPrefix(fields[i].value, "-") || name != "mod" {
			keep = append(keep, fields[i].raw)
			continue
		}
		dropped = true
		if !hasValue && i+1 < len(fields) && !strings.HasPrefix(fields[i+1].value, "-") {
			i++ // -mod vendor: the value is the next field
		}
	}
	if !dropped {
		return goflags
	}
	return strings.Join(keep, " ")
}

// SplitGOFLAGS splits GOFLAGS into its fields as the go command does
// (cmd/internal/quoted.Split), quotes removed; the error is the go
// command's for an unterminated quote.
func SplitGOFLAGS(goflags string) ([]string, error) {
	fields, ok := splitGOFLAGS(goflags)
	if !ok {
		return nil, fmt.Errorf("unterminated %c string", unterminatedQuote(goflags))
	}
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.value
	}
	return out, nil
}

// unterminatedQuote is the quote that opens the field splitGOFLAGS cannot
// finish.
func unterminatedQuote(s string) byte {
	for i := 0; i < len(s); {
		for i < len(s) && isGOFLAGSSpace(s[i]) {
			i++
		}
		if i == len(s) {
			break
		}
		if q := s[i]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[i+1:], q)
			if end < 0 {
				return q
			}
			i += 1 + end + 1
			continue
		}
		for i < len(s) && !isGOFLAGSSpace(s[i]) {
			i++
		}
	}
	return '"'
}

func isGOFLAGSSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// A goflagsField is one field of GOFLAGS: as written, and its value.
type goflagsField struct{ raw, value string }

// splitGOFLAGS splits GOFLAGS as the go command does (cmd/internal/quoted
// .Split): fields separated by spaces, tabs or newlines; a field that
// starts with ' or " runs to the matching quote, which is not part of its
// value. ok is false for an unterminated quote.
func splitGOFLAGS(s string) (fields []goflagsField, ok bool) {
	isSpace := isGOFLAGSSpace
	for i := 0; i < len(s); {
		if isSpace(s[i]) {
			i++
			continue
		}
		start := i
		if q := s[i]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[i+1:], q)
			if end < 0 {
				return nil, false
			}
			i += 1 + end + 1
			fields = append(fields, goflagsField{raw: s[start:i], value: s[start+1 : i-1]})
			continue
		}
		for i < len(s) && !isSpace(s[i]) {
			i++
		}
		fields = append(fields, goflagsField{raw: s[start:i], value: s[start:i]})
	}
	return fields, true
}
