// Package lsptest runs a gomodls language server in-process, connected by
// an in-memory pipe to a scripted client, so that a test reads like an
// editor session:
//
//	c := lsptest.New(t, lsptest.Config{Files: `
//	-- go.mod --
//	module example.com/m
//	`})
//	c.Initialize(lsptest.AllCapabilities)
//	c.Open("go.mod")
//	c.Change("go.mod", "module example.com/m\n\nrequire example.com/x\n")
//	c.AwaitDiagnostics("go.mod", lsptest.HasCode("gomod-parse-error"))
//
// Paths are slash-separated and relative to the workspace root, a fresh
// temporary directory holding the Config's txtar files. The client answers
// the server's requests as an editor would (client/registerCapability,
// window/workDoneProgress/create, workspace/applyEdit,
// workspace/configuration) and records everything the server sends. Await
// methods wait for the server, up to Timeout, re-checking their condition
// after every message (and every few milliseconds, for conditions on the
// disk or the log); no test needs to sleep. Start sends a request without
// waiting, so that a test can Cancel it ($/cancelRequest).
//
// When a session ends, the test fails if a goroutine started while it ran
// is still there (see checkLeaks): Serve must leave nothing behind.
package lsptest

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/goleak"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/internal/framing"
	"github.com/gomodls/gomodls/workspace"
)

// Timeout bounds every wait for the server.
var Timeout = 20 * time.Second

// Config describes the workspace and the server.
type Config struct {
	// Files is a txtar archive of the workspace's files.
	Files string
	// Folders are the workspace folders sent with initialize, relative to
	// the root. nil means the root alone; an empty, non-nil slice sends
	// none (single-file mode).
	Folders []string
	// Options are passed to lsp.Serve. A nil Env means a hermetic one:
	// GOTOOLCHAIN=local, no GOFLAGS, an empty module cache, the test
	// binary's Go version. The server's log is recorded (see Client.Logs)
	// and also sent to Options.Logger if set.
	Options lsp.Options
	// LoadEnv leaves a nil Options.Env nil, so that the server runs
	// `go env` (Options.GoCommand) during initialize.
	LoadEnv bool
	// InitializationOptions are sent with initialize (nil: none).
	InitializationOptions any
}

// Capabilities are the client capabilities the server adapts to.
type Capabilities struct {
	DynamicWatchers    bool // workspace.didChangeWatchedFiles.dynamicRegistration
	CodeDescription    bool // textDocument.publishDiagnostics.codeDescriptionSupport
	RelatedInformation bool // textDocument.publishDiagnostics.relatedInformation
	DocumentChanges    bool // workspace.workspaceEdit.documentChanges
	WorkDoneProgress   bool // window.workDoneProgress
	WorkspaceFolders   bool // workspace.workspaceFolders
	// PullDiagnostics sends LSP 3.17's textDocument.diagnostic and
	// workspace.diagnostics.refreshSupport (not in AllCapabilities: the
	// tests of published diagnostics are for clients that do not pull).
	PullDiagnostics bool
	// InlayHintRefresh sends workspace.inlayHint.refreshSupport (LSP 3.17).
	InlayHintRefresh bool
}

// AllCapabilities is a client with every capability the server uses, as
// VS Code has. Copy it and turn some off to test the server's fallbacks.
var AllCapabilities = Capabilities{
	DynamicWatchers:    true,
	CodeDescription:    true,
	RelatedInformation: true,
	DocumentChanges:    true,
	WorkDoneProgress:   true,
	WorkspaceFolders:   true,
	InlayHintRefresh:   true,
}

func (caps Capabilities) protocol() protocol.ClientCapabilities {
	return protocol.ClientCapabilities{
		Workspace: &protocol.WorkspaceClientCapabilities{
			ApplyEdit:             true,
			WorkspaceEdit:         &protocol.WorkspaceClientCapabilitiesWorkspaceEdit{DocumentChanges: caps.DocumentChanges},
			DidChangeWatchedFiles: &protocol.DidChangeWatchedFilesWorkspaceClientCapabilities{DynamicRegistration: caps.DynamicWatchers},
			WorkspaceFolders:      caps.WorkspaceFolders,
		},
		TextDocument: &protocol.TextDocumentClientCapabilities{
			PublishDiagnostics: &protocol.PublishDiagnosticsClientCapabilities{
				RelatedInformation:     caps.RelatedInformation,
				CodeDescriptionSupport: caps.CodeDescription,
				VersionSupport:         true,
			},
		},
		Window: &protocol.WindowClientCapabilities{WorkDoneProgress: caps.WorkDoneProgress},
	}
}

// Client is the scripted editor. Its methods must be called from the test's
// goroutine.
type Client struct {
	t    testing.TB
	Root string // the workspace root: absolute, symlinks resolved
	// InitializeResult is initialize's result as sent, for what
	// protocol.InitializeResult (LSP 3.16) does not model.
	InitializeResult json.RawMessage
	folders          []string
	initOpts         any // Config.InitializationOptions
	logs             *observer.ObservedLogs

	conn   jsonrpc2.Conn
	stream *framing.Stream
	served chan error // Serve's result
	ended  bool       // Serve returned
	result error      // what it returned

	// before is every goroutine that ran before the session started; see
	// checkLeaks.
	before goleak.Option

	mu            sync.Mutex
	changed       chan struct{} // closed and replaced when anything below changes
	buffers       map[string]*buffer
	publishes     map[string][]Publish // by absolute path
	notifications []Notification
	registrations []protocol.Registration
	progress      []json.RawMessage    // tokens the server asked to create
	onCall        func(*jsonrpc2.Call) // set by Start while it sends
	errorReplies  []jsonrpc2.Error     // error responses without an id
}

// New writes cfg.Files to a temporary directory and starts a server on it.
// The server is shut down, and the test fails if it does not end cleanly,
// when the test ends.
func New(t testing.TB, cfg Config) *Client {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := txtar.Write(txtar.Parse([]byte(cfg.Files)), root); err != nil {
		t.Fatalf("writing the workspace: %v", err)
	}
	folders := cfg.Folders
	if folders == nil {
		folders = []string{"."}
	}

	opts := cfg.Options
	if opts.Env == nil && !cfg.LoadEnv {
		env := workspace.EnvFromProcess([]string{"HOME=" + t.TempDir(), "GOTOOLCHAIN=local"})
		env.GOVERSION = runtime.Version()
		opts.Env = &env
	}
	core, logs := observer.New(zap.DebugLevel)
	if opts.Logger != nil {
		core = zapcore.NewTee(core, opts.Logger.Core())
	}
	opts.Logger = zap.New(core)

	c := &Client{
		t:         t,
		Root:      root,
		folders:   folders,
		logs:      logs,
		served:    make(chan error, 1),
		changed:   make(chan struct{}),
		buffers:   make(map[string]*buffer),
		publishes: make(map[string][]Publish),
		initOpts:  cfg.InitializationOptions,
	}
	c.before = goleak.IgnoreCurrent()
	sessionsLive.Add(1)
	serverEnd, clientEnd := pipe()
	go func() { c.served <- lsp.Serve(context.Background(), serverEnd, opts) }()
	c.stream = framing.NewStream(clientEnd, c.undecodable)
	c.conn = jsonrpc2.NewConn(callStream{c.stream, c})
	c.conn.Go(context.Background(), c.handle)
	t.Cleanup(c.cleanup)
	return c
}

// cleanup ends the session unless the test did, and reports a server that
// does not end or ends badly.
func (c *Client) cleanup() {
	if !c.ended {
		ctx, cancel := context.WithTimeout(context.Background(), Timeout)
		defer cancel()
		_, _ = c.conn.Call(ctx, protocol.MethodShutdown, nil, nil)
		_ = c.conn.Notify(ctx, protocol.MethodExit, nil)
		select {
		case c.result = <-c.served:
			c.ended = true
		case <-ctx.Done():
			c.t.Errorf("server did not end within %v of exit", Timeout)
		}
	}
	_ = c.conn.Close()
	if c.ended {
		c.checkLeaks()
	}
	sessionsLive.Add(-1)
	if c.t.Failed() {
		c.t.Logf("server log:\n%s", c.formatLogs())
	}
}

// sessionsLive counts the sessions of the test binary that have not ended,
// so that checkLeaks can tell whether another one runs beside this one.
var sessionsLive atomic.Int64

// leakSettle bounds how long checkLeaks waits for goroutines to end: the
// connection's readers end when the pipe closes, which Serve does as it
// returns, but they may not have been scheduled yet.
const leakSettle = 5 * time.Second

// checkLeaks fails the test if a goroutine that was not running when the
// session started is still running now that Serve has returned and the
// client's connection is closed. goleak ignores the testing package's and
// the runtime's own. It cannot tell whose a goroutine is, so it says
// nothing while another session still runs; the last one to end checks (a
// session that started and ended while it ran must have left nothing
// either). A test running in parallel with a goroutine of its own would be
// blamed; lsp's tests do not run in parallel. The goroutine that reads
// os.Stdin in `gomodls serve` may outlive Serve (see lsp's drain); here the
// pipe closes, so it must end too.
func (c *Client) checkLeaks() {
	if sessionsLive.Load() != 1 {
		c.t.Logf("goroutine leak check skipped: another session is running")
		return
	}
	deadline := time.Now().Add(leakSettle)
	for {
		err := goleak.Find(c.before)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			c.t.Errorf("goroutines left %v after the session ended: %v", leakSettle, err)
			return
		}
	}
}

// Initialize sends initialize, with the Config's folders and caps, then
// initialized.
func (c *Client) Initialize(caps Capabilities) *protocol.InitializeResult {
	c.t.Helper()
	params := &protocol.InitializeParams{Capabilities: caps.protocol(), InitializationOptions: c.initOpts}
	for _, f := range c.folders {
		params.WorkspaceFolders = append(params.WorkspaceFolders, protocol.WorkspaceFolder{URI: string(c.URI(f)), Name: f})
	}
	var sent any = params
	if caps.PullDiagnostics || caps.InlayHintRefresh {
		sent = with317(c.t, params, caps)
	}
	var raw json.RawMessage
	if err := c.Call(protocol.MethodInitialize, sent, &raw); err != nil {
		c.t.Fatalf("initialize: %v", err)
	}
	var result protocol.InitializeResult
	if err := json.Unmarshal(raw, &result); err != nil {
		c.t.Fatalf("initialize result: %v", err)
	}
	c.InitializeResult = raw
	c.Notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	return &result
}

// with317 is params as JSON with the 3.17 capabilities caps asks for (pull
// diagnostics, inlay hint refresh), which protocol.ClientCapabilities
// (3.16) cannot hold.
func with317(t testing.TB, params *protocol.InitializeParams, c Capabilities) map[string]any {
	data, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	caps, _ := m["capabilities"].(map[string]any)
	td, _ := caps["textDocument"].(map[string]any)
	ws, _ := caps["workspace"].(map[string]any)
	if c.PullDiagnostics {
		td["diagnostic"] = map[string]any{"dynamicRegistration": false}
		ws["diagnostics"] = map[string]any{"refreshSupport": true}
	}
	if c.InlayHintRefresh {
		ws["inlayHint"] = map[string]any{"refreshSupport": true}
	}
	return m
}

// Path returns the absolute path of rel, a slash-separated path relative to
// the root (an absolute path is returned as it is).
func (c *Client) Path(rel string) string {
	if filepath.IsAbs(rel) {
		return filepath.Clean(rel)
	}
	return filepath.Join(c.Root, filepath.FromSlash(rel))
}

// URI returns the file URI of rel.
func (c *Client) URI(rel string) protocol.DocumentURI {
	return protocol.DocumentURI((&url.URL{Scheme: "file", Path: filepath.ToSlash(c.Path(rel))}).String())
}

// ReadFile returns the content of rel on disk.
func (c *Client) ReadFile(rel string) string {
	c.t.Helper()
	data, err := os.ReadFile(c.Path(rel))
	if err != nil {
		c.t.Fatal(err)
	}
	return string(data)
}

// WriteFile writes rel on disk (creating directories), as another program
// would: the server is not told, unless it watches.
func (c *Client) WriteFile(rel, content string) {
	c.t.Helper()
	path := c.Path(rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
		c.t.Fatal(err)
	}
}

// RemoveAll removes rel from disk, as another program would.
func (c *Client) RemoveAll(rel string) {
	c.t.Helper()
	if err := os.RemoveAll(c.Path(rel)); err != nil {
		c.t.Fatal(err)
	}
}

// DidChangeWatchedFiles tells the server that rels changed on disk, as a
// client's file watcher does.
func (c *Client) DidChangeWatchedFiles(typ protocol.FileChangeType, rels ...string) {
	c.t.Helper()
	params := &protocol.DidChangeWatchedFilesParams{}
	for _, rel := range rels {
		params.Changes = append(params.Changes, &protocol.FileEvent{Type: typ, URI: c.URI(rel)})
	}
	c.Notify(protocol.MethodWorkspaceDidChangeWatchedFiles, params)
}

// AddFolder adds the workspace folder rel.
func (c *Client) AddFolder(rel string) {
	c.t.Helper()
	c.Notify(protocol.MethodWorkspaceDidChangeWorkspaceFolders, &protocol.DidChangeWorkspaceFoldersParams{
		Event: protocol.WorkspaceFoldersChangeEvent{Added: []protocol.WorkspaceFolder{{URI: string(c.URI(rel)), Name: rel}}},
	})
}

// RemoveFolder removes the workspace folder rel.
func (c *Client) RemoveFolder(rel string) {
	c.t.Helper()
	c.Notify(protocol.MethodWorkspaceDidChangeWorkspaceFolders, &protocol.DidChangeWorkspaceFoldersParams{
		Event: protocol.WorkspaceFoldersChangeEvent{Removed: []protocol.WorkspaceFolder{{URI: string(c.URI(rel)), Name: rel}}},
	})
}

// Call sends a request and decodes its result into result (if not nil).
// The error of a failed request is a *jsonrpc2.Error.
func (c *Client) Call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	_, err := c.conn.Call(ctx, method, params, result)
	return err
}

// Notify sends a notification.
func (c *Client) Notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("notify %s: %v", method, err)
	}
}

// SendBody sends body as one message, whatever it holds.
func (c *Client) SendBody(body []byte) {
	c.t.Helper()
	if err := c.stream.WriteBody(body); err != nil {
		c.t.Fatal(err)
	}
}

// SendRaw writes b to the connection as it is, headers and all.
func (c *Client) SendRaw(b []byte) {
	c.t.Helper()
	if err := c.stream.WriteRaw(b); err != nil {
		c.t.Fatal(err)
	}
}

// Exit sends shutdown (unless withoutShutdown) and exit, and returns what
// Serve returned.
func (c *Client) Exit(withoutShutdown bool) error {
	c.t.Helper()
	if !withoutShutdown {
		if err := c.Call(protocol.MethodShutdown, nil, nil); err != nil {
			c.t.Fatalf("shutdown: %v", err)
		}
	}
	c.Notify(protocol.MethodExit, nil)
	select {
	case c.result = <-c.served:
		c.ended = true
	case <-time.After(Timeout):
		c.t.Fatalf("server did not end within %v of exit", Timeout)
	}
	return c.result
}
