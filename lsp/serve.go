package lsp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/gocommand"
	"github.com/gomodls/gomodls/lsp/internal/framing"
	"github.com/gomodls/gomodls/workspace"
)

// Options configures [Serve]. The zero value is ready to use.
type Options struct {
	// Logger receives the server's own log; nil discards it. In `gomodls
	// serve` it must not write to stdout, which carries the protocol.
	Logger *zap.Logger
	// Env is the go command's environment. nil means the server runs
	// workspace.LoadEnv(ctx, "go", os.Environ()) once, during initialize.
	Env *workspace.Env
	// Checks run on every snapshot; nil means diagnostics.Checks.
	Checks []diagnostics.Check
	// WatchDebounce is how long the server-side file watcher waits for a
	// burst of events (go mod vendor rewrites thousands of files) to end
	// before it re-reads what changed. 0 means 100ms.
	WatchDebounce time.Duration

	// GoCommand is the go command the server runs, for `go env` and for
	// the commands of workspace/executeCommand, unless initializationOptions
	// name one (goCommand): a name looked up in the PATH of CommandEnv and
	// the env setting, or an absolute path. "" means "go".
	GoCommand string
	// CommandEnv is the environment of those go commands; nil means
	// os.Environ(). gocommand.Environ adjusts it (GOTOOLCHAIN=local unless
	// set, no -mod in GOFLAGS).
	CommandEnv []string
	// CommandTimeout bounds each command's go run; 0 means
	// gocommand.DefaultTimeout (10 minutes).
	CommandTimeout time.Duration

	// OnShutdown, when set, is called on the shutdown request, once the
	// background work was told to stop and before the answer, while the session
	// still holds its workspace: `gomodls serve -memprofile` writes the
	// heap profile there.
	OnShutdown func()
}

const defaultWatchDebounce = 100 * time.Millisecond

// ErrExitWithoutShutdown is what [Serve] returns when the client sent exit
// without shutdown first; the LSP specification asks the server process to
// exit with status 1 then.
var ErrExitWithoutShutdown = errors.New("lsp: exit notification before shutdown")

// drainTimeout bounds how long Serve waits, once the session is over, for
// background work to finish.
const drainTimeout = 2 * time.Second

// Serve runs a language server session on rwc (stdin and stdout, or a pipe
// in tests). It returns nil when the client sends shutdown and then exit (or
// closes the connection after shutdown), ErrExitWithoutShutdown when exit
// comes first, ctx.Err() when ctx ends, and an error saying why when the
// connection fails before shutdown. rwc is closed when Serve returns.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := newServer(ctx, opts)
	var stream *framing.Stream
	stream = framing.NewStream(rwc, func(u framing.Undecodable) { s.undecodable(stream, u) })
	s.conn = jsonrpc2.NewConn(stream)
	s.diagnoser.start()
	s.conn.Go(ctx, s.handle)

	var err error
	select {
	case <-s.exited:
	case <-s.conn.Done():
	case <-ctx.Done():
	}
	switch {
	case isClosed(s.exited) && !s.isShutDown():
		err = ErrExitWithoutShutdown
	case isClosed(s.exited) || s.isShutDown():
		// A client may close the connection after shutdown without exit.
	case ctx.Err() != nil:
		err = ctx.Err()
	default:
		err = fmt.Errorf("lsp: connection closed before shutdown: %w", s.conn.Err())
	}
	s.stopBackground()
	cancel()
	_ = s.conn.Close()
	s.drain()
	s.log.Info("session ended", zap.Error(err))
	return err
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// lifecycle is where a session is in the initialize … shutdown sequence.
type lifecycle int

const (
	awaitingInitialize lifecycle = iota
	running                      // initialize answered
	shutDown                     // shutdown answered; only exit is left
)

// server is one session's state. Handlers run one at a time on the
// connection's reader goroutine (so a notification's effects are visible to
// the next message), except those marked async in the method table, and
// while a workspace load runs: the load and the messages read meanwhile
// then run, still one at a time and in order, on the loader's goroutine
// (load.go), and only the lifecycle handlers stay on the reader, so that
// a slow walk never stops shutdown or $/cancelRequest being answered. The
// diagnoser and the file watcher run on their own goroutines, which is why
// the fields under mu are guarded.
type server struct {
	log        *zap.Logger
	ctx        context.Context // ends with the session; background work uses it
	checks     []diagnostics.Check
	debounce   time.Duration
	onShutdown func()         // Options.OnShutdown
	fixedEnv   *workspace.Env // Options.Env
	// envWatcher watches the go env file, under mu (see watchEnvFile).
	envWatcher *envFileWatcher
	envReload  sync.Mutex // serializes reloadEnv
	// goRunner and commandEnv run the go command for commands; goSlot
	// holds a token while one runs (see runGo).
	goRunner   gocommand.Runner
	commandEnv []string
	goSlot     chan struct{}

	conn      jsonrpc2.Conn
	diagnoser *diagnoser
	// loads runs the workspace loads off the reader goroutine (load.go).
	loads loader
	// background counts goroutines that must end before Serve returns.
	background sync.WaitGroup
	// progressTokens numbers the work done progress tokens.
	progressTokens atomic.Int64

	exitOnce sync.Once
	exited   chan struct{}

	mu    sync.Mutex
	state lifecycle
	caps  clientCapabilities
	// settings come from initializationOptions (trust, commands, env).
	settings settings
	// goBin is the go binary commands run, as findGo last found it;
	// goMissing, when not "", says why there is none.
	goBin, goMissing string
	env              workspace.Env
	folders          []string // absolute, cleaned; empty in single-file mode
	session          *workspace.Session
	// open maps the path of each open buffer to the URI the client named
	// it by, so that diagnostics go back under that exact URI.
	open         map[string]protocol.DocumentURI
	watcher      *fileWatcher // server-side watching; nil when the client watches
	watchStarted bool         // startWatching ran
	stopped      bool         // set by shutdown: no watcher may start after it
	// draining is set when Serve waits for background work: no more starts.
	draining bool
	// progressCancels stops the operations whose progress is cancellable,
	// by token (window/workDoneProgress/cancel).
	progressCancels map[string]context.CancelFunc
	// inflight cancels the async requests being handled, by request ID
	// ($/cancelRequest).
	inflight map[jsonrpc2.ID]context.CancelCauseFunc

	// watchedDirsMu serializes updates of the watcher's directories, so
	// that the last update applies the current folders.
	watchedDirsMu sync.Mutex
}

func newServer(ctx context.Context, opts Options) *server {
	s := &server{
		log:        opts.Logger,
		ctx:        ctx,
		checks:     opts.Checks,
		debounce:   opts.WatchDebounce,
		onShutdown: opts.OnShutdown,
		fixedEnv:   opts.Env,
		goRunner:   gocommand.Runner{GoCommand: opts.GoCommand, Timeout: opts.CommandTimeout},
		// Cloned: the caller's slice may change under a running session.
		commandEnv:      slices.Clone(opts.CommandEnv),
		goSlot:          make(chan struct{}, 1),
		exited:          make(chan struct{}),
		open:            make(map[string]protocol.DocumentURI),
		progressCancels: make(map[string]context.CancelFunc),
		inflight:        make(map[jsonrpc2.ID]context.CancelCauseFunc),
		settings:        defaultSettings,
	}
	if s.log == nil {
		s.log = zap.NewNop()
	}
	if s.checks == nil {
		s.checks = diagnostics.Checks
	}
	if s.debounce <= 0 {
		s.debounce = defaultWatchDebounce
	}
	s.diagnoser = newDiagnoser(s)
	return s
}

// undecodable answers a message the stream could not decode and logs it.
func (s *server) undecodable(stream *framing.Stream, u framing.Undecodable) {
	s.log.Warn("skipping undecodable message", zap.Error(u.Err), zap.Int("bytes", len(u.Body)))
	if resp := u.ErrorResponse(); resp != nil {
		if err := stream.WriteBody(resp); err != nil {
			s.log.Warn("answering undecodable message", zap.Error(err))
		}
	}
}

// goBackground runs f on its own goroutine, recovering (and logging) a
// panic, and counts it so that Serve waits for it. Once Serve is draining,
// it starts nothing and returns false.
func (s *server) goBackground(name string, f func()) bool {
	s.mu.Lock()
	if s.draining {
		s.mu.Unlock()
		s.log.Debug("session over: not starting", zap.String("work", name))
		return false
	}
	s.background.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.background.Done()
		defer s.recoverPanic(name)
		f()
	}()
	return true
}

func (s *server) recoverPanic(where string) {
	if r := recover(); r != nil {
		s.log.Error("panic recovered", zap.String("in", where), zap.Any("panic", r), zap.StackSkip("stack", 2))
	}
}

func (s *server) isShutDown() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state == shutDown
}

// stopBackground stops the watchers and the diagnoser. It is idempotent.
func (s *server) stopBackground() {
	s.mu.Lock()
	s.stopped = true
	w, ew := s.watcher, s.envWatcher
	s.watcher, s.envWatcher = nil, nil
	s.mu.Unlock()
	if w != nil {
		w.close()
	}
	if ew != nil {
		ew.close()
	}
	s.diagnoser.stop()
}

// drain waits, within drainTimeout, for the background goroutines to
// finish. It does not wait for the connection's reader: one blocked on
// os.Stdin is not woken by closing it, and the editor that sent exit is
// waiting for the process to end. What that reader still does is harmless.
func (s *server) drain() {
	s.mu.Lock()
	s.draining = true // no Add after this, so Wait is safe
	s.mu.Unlock()
	done := make(chan struct{})
	go func() {
		s.background.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(drainTimeout):
		s.log.Warn("session ended with work still running")
	}
}

// notify sends a notification to the client, logging a failure: a client
// that went away must not be an error for whoever wanted it told.
func (s *server) notify(method string, params any) {
	if err := s.conn.Notify(s.ctx, method, params); err != nil && s.ctx.Err() == nil {
		s.log.Warn("notifying client", zap.String("method", method), zap.Error(err))
	}
}

// showMessage shows message to the user and records it in the client's log.
func (s *server) showMessage(typ protocol.MessageType, message string) {
	s.notify(protocol.MethodWindowShowMessage, &protocol.ShowMessageParams{Type: typ, Message: message})
	s.logMessage(typ, message)
}

// logMessage records message in the client's log (its output panel).
func (s *server) logMessage(typ protocol.MessageType, message string) {
	s.notify(protocol.MethodWindowLogMessage, &protocol.LogMessageParams{Type: typ, Message: message})
}

// currentSession returns the session, nil before initialized.
func (s *server) currentSession() *workspace.Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.session
}
