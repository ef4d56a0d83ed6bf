package lsp

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/gomodls/gomodls/codeactions"
	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/gocommand"
	"github.com/gomodls/gomodls/workspace"
)

// clientCapabilities are the client features the server adapts to.
type clientCapabilities struct {
	workDoneProgress   bool // window.workDoneProgress
	codeDescription    bool // textDocument.publishDiagnostics.codeDescriptionSupport
	relatedInformation bool // textDocument.publishDiagnostics.relatedInformation
	dynamicWatchers    bool // workspace.didChangeWatchedFiles.dynamicRegistration
	workspaceFolders   bool // workspace.workspaceFolders
	documentChanges    bool // workspace.workspaceEdit.documentChanges
	applyEdit          bool // workspace.applyEdit
	// pullDiagnostics: textDocument.diagnostic (LSP 3.17) and
	// workspace.diagnostics.refreshSupport, without which a pulling client
	// would never learn that a change elsewhere changed an open file's
	// diagnostics.
	pullDiagnostics bool
	// inlayHintRefresh: workspace.inlayHint.refreshSupport (LSP 3.17), so
	// that hints computed from other files (vendor/, the module graph) are
	// asked for again when those change.
	inlayHintRefresh bool
}

// MarshalLogObject lets the log show the capabilities.
func (c clientCapabilities) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddBool("workDoneProgress", c.workDoneProgress)
	enc.AddBool("codeDescription", c.codeDescription)
	enc.AddBool("relatedInformation", c.relatedInformation)
	enc.AddBool("dynamicWatchers", c.dynamicWatchers)
	enc.AddBool("workspaceFolders", c.workspaceFolders)
	enc.AddBool("documentChanges", c.documentChanges)
	enc.AddBool("applyEdit", c.applyEdit)
	enc.AddBool("pullDiagnostics", c.pullDiagnostics)
	enc.AddBool("inlayHintRefresh", c.inlayHintRefresh)
	return nil
}

// initializeParams is the part of InitializeParams the server reads.
// Capabilities stay raw: protocol.ClientCapabilities models them so
// strictly that one field of an unexpected type (clients disagree on some)
// would fail the whole initialize; parseCapabilities picks out the flags
// it needs and treats anything odd as "not supported".
type initializeParams struct {
	RootPath         string                     `json:"rootPath"`
	RootURI          protocol.DocumentURI       `json:"rootUri"`
	WorkspaceFolders []protocol.WorkspaceFolder `json:"workspaceFolders"`
	ClientInfo       *protocol.ClientInfo       `json:"clientInfo"`
	Capabilities     json.RawMessage            `json:"capabilities"`
	// InitializationOptions are read by parseInitOptions.
	InitializationOptions json.RawMessage `json:"initializationOptions"`
}

func parseCapabilities(raw json.RawMessage) clientCapabilities {
	var caps map[string]any
	_ = json.Unmarshal(raw, &caps) // anything but an object: no capabilities
	at := func(path ...string) any {
		var v any = caps
		for _, k := range path {
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		}
		return v
	}
	flag := func(path ...string) bool {
		b, _ := at(path...).(bool)
		return b
	}
	_, pulls := at("textDocument", "diagnostic").(map[string]any)
	return clientCapabilities{
		workDoneProgress:   flag("window", "workDoneProgress"),
		codeDescription:    flag("textDocument", "publishDiagnostics", "codeDescriptionSupport"),
		relatedInformation: flag("textDocument", "publishDiagnostics", "relatedInformation"),
		dynamicWatchers:    flag("workspace", "didChangeWatchedFiles", "dynamicRegistration"),
		workspaceFolders:   flag("workspace", "workspaceFolders"),
		documentChanges:    flag("workspace", "workspaceEdit", "documentChanges"),
		applyEdit:          flag("workspace", "applyEdit"),
		pullDiagnostics:    pulls && flag("workspace", "diagnostics", "refreshSupport"),
		inlayHintRefresh:   flag("workspace", "inlayHint", "refreshSupport"),
	}
}

// initialize records the client's capabilities and workspace folders,
// reads the go environment and advertises what the server implements.
func (s *server) initialize(ctx context.Context, params *initializeParams) (*initializeResult, error) {
	caps := parseCapabilities(params.Capabilities)
	folders := s.initialFolders(params)
	st, err := parseInitOptions(params.InitializationOptions)
	if err != nil {
		s.log.Warn("bad initializationOptions", zap.Error(err))
		s.logMessage(protocol.MessageTypeWarning, "gomodls: "+err.Error())
	}
	s.mu.Lock()
	s.settings = st
	s.mu.Unlock()
	env := s.loadEnv(ctx, st)

	fields := []zap.Field{zap.Strings("folders", folders), zap.Object("capabilities", caps),
		zap.Bool("trusted", st.trusted), zap.Bool("allowCommands", st.allowCommands), zap.Int("extraEnv", len(st.env)),
		zap.String("envSource", env.Source), zap.String("GOVERSION", env.GOVERSION)}
	if ci := params.ClientInfo; ci != nil {
		fields = append(fields, zap.String("client", ci.Name), zap.String("clientVersion", ci.Version))
	}
	s.log.Info("initialize", fields...)

	s.mu.Lock()
	s.caps = caps
	s.env = env
	s.folders = folders
	s.state = running
	s.mu.Unlock()

	return &initializeResult{
		Capabilities: serverCapabilities{ServerCapabilities: protocol.ServerCapabilities{
			TextDocumentSync: &protocol.TextDocumentSyncOptions{
				OpenClose: true,
				Change:    protocol.TextDocumentSyncKindFull,
				Save:      &protocol.SaveOptions{},
			},
			CodeActionProvider: &protocol.CodeActionOptions{
				CodeActionKinds: []protocol.CodeActionKind{
					protocol.QuickFix,
					protocol.CodeActionKind(diagnostics.KindFixAll),
					protocol.CodeActionKind(codeactions.KindSourceWorkspace),
				},
			},
			ExecuteCommandProvider:     &protocol.ExecuteCommandOptions{Commands: commandNames()},
			HoverProvider:              true,
			DocumentFormattingProvider: true,
			// "/" walks module paths one element at a time; " " starts the
			// version after a path and the directory after "=>".
			CompletionProvider:   &protocol.CompletionOptions{TriggerCharacters: []string{"/", " "}},
			DocumentLinkProvider: &protocol.DocumentLinkOptions{},
			Workspace: &protocol.ServerCapabilitiesWorkspace{
				WorkspaceFolders: &protocol.ServerCapabilitiesWorkspaceFolders{
					Supported:           true,
					ChangeNotifications: true,
				},
			},
		},
			InlayHintProvider:  true,
			DiagnosticProvider: diagnosticProvider(caps),
		},
		ServerInfo: &protocol.ServerInfo{Name: "gomodls"},
	}, nil
}

// initialFolders returns the workspace folders from params.workspaceFolders,
// else rootUri, else rootPath; none means single-file mode, in which only
// open buffers are checked.
func (s *server) initialFolders(params *initializeParams) []string {
	var uris []protocol.DocumentURI
	switch {
	case len(params.WorkspaceFolders) > 0:
		for _, f := range params.WorkspaceFolders {
			uris = append(uris, protocol.DocumentURI(f.URI))
		}
	case params.RootURI != "":
		uris = []protocol.DocumentURI{params.RootURI}
	case params.RootPath != "":
		uris = []protocol.DocumentURI{uriFromPath(params.RootPath)}
	}
	var folders []string
	for _, u := range uris {
		path, err := pathFromURI(u)
		if err != nil {
			s.log.Warn("ignoring workspace folder", zap.Error(err))
			continue
		}
		if !slices.Contains(folders, path) {
			folders = append(folders, path)
		}
	}
	return folders
}

// loadEnv returns Options.Env or, without one, what `go env` says (run with
// the go binary findGo finds and the commands' environment,
// initializationOptions' env included). The go command is run once per
// session, here and nowhere on the diagnostic path — and not at all in an
// untrusted workspace or without a go binary, where the environment is the
// process's.
func (s *server) loadEnv(ctx context.Context, st settings) workspace.Env {
	environ := s.goEnviron()
	if !st.trusted {
		s.mu.Lock()
		s.goBin, s.goMissing = "", ""
		s.mu.Unlock()
		if s.fixedEnv != nil {
			return *s.fixedEnv
		}
		s.log.Info("untrusted workspace: not running go env")
		env := workspace.EnvFromProcess(environ).WithClient(settingKeys(st.env))
		env.Source = "process environment (untrusted workspace)"
		return env
	}
	bin, found := s.findGo(st, environ)
	if s.fixedEnv != nil {
		return *s.fixedEnv
	}
	if !found {
		env := workspace.EnvFromProcess(environ).WithClient(settingKeys(st.env))
		env.Source = "process environment (no go command found)"
		return env
	}
	env := workspace.LoadEnv(ctx, bin, environ).WithClient(settingKeys(st.env))
	if env.Err != nil {
		s.log.Warn("go env failed; using the process environment", zap.Error(env.Err))
		s.logMessage(protocol.MessageTypeWarning, "gomodls: "+env.Err.Error()+"; using the process environment and the go command's defaults")
	}
	return env
}

// findGo finds the go binary for go env and the commands: goCommand (else
// Options.GoCommand, else "go") in environ's PATH (gocommand.Find), and
// records it. The user hears of a missing go once, in one message, until
// that changes; without one no fix that runs go is offered
// (commandsRefusal).
func (s *server) findGo(st settings, environ []string) (string, bool) {
	name, from := st.goCommand, "goCommand"
	if name == "" {
		name, from = s.goRunner.GoCommand, "Options.GoCommand"
	}
	if name == "" {
		name, from = "go", "PATH"
	}
	bin, err := gocommand.Find(name, environ)
	missing := ""
	if err != nil {
		missing = "cannot find the go command: " + err.Error()
	}
	s.mu.Lock()
	prevBin, prevMissing := s.goBin, s.goMissing
	s.goBin, s.goMissing = bin, missing
	s.mu.Unlock()
	switch {
	case missing != "":
		if missing != prevMissing {
			s.log.Warn("no go command", zap.Error(err))
			s.showMessage(protocol.MessageTypeWarning, "gomodls "+missing+
				". gomodls checks the module files without it, but offers no fix that runs go. "+
				"Set goCommand to the go binary, or PATH in env (gomodls.goCommand, gomodls.env in VS Code).")
		}
	case bin != prevBin:
		s.log.Info("go command", zap.String("path", bin), zap.String("from", from))
		s.logMessage(protocol.MessageTypeInfo, "gomodls: go command: "+bin)
	}
	return bin, missing == ""
}

// initialized loads the workspace, publishes its diagnostics and starts
// watching the disk.
func (s *server) initialized(_ context.Context, _ *protocol.InitializedParams) {
	start := time.Now()
	snap := s.ensureSession().Snapshot()
	s.log.Info("workspace loaded", zap.Int("files", len(snap.Files())), zap.Duration("took", time.Since(start)))
	// The env file is watched before the first diagnostics go out, so that
	// a go env -w made after the client has seen them is never missed.
	if s.fixedEnv == nil {
		s.mu.Lock()
		goenv := s.env.GOENV
		s.mu.Unlock()
		s.watchEnvFile(goenv)
	}
	s.diagnoser.schedule(snap)
	s.startWatching()
}

// settingKeys are the variable names of KEY=VALUE settings.
func settingKeys(env []string) []string {
	keys := make([]string, 0, len(env))
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		keys = append(keys, k)
	}
	return keys
}

// ensureSession returns the session, creating it from the folders given to
// initialize if need be (a client that opens a file before sending
// initialized gets it then). The handlers that call it are startsSession
// ones: handle has the loader create the session, off the reader goroutine,
// before they run.
//
// The walk runs without mu held: lifecycle handlers on the reader take mu
// (admit, shutdown) and must not wait for it.
func (s *server) ensureSession() *workspace.Session {
	s.mu.Lock()
	if s.session != nil {
		defer s.mu.Unlock()
		return s.session
	}
	env, folders, limits := s.env, s.folders, s.settings.limits
	s.mu.Unlock()
	session := newSession(env, folders, limits)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.session == nil {
		s.session = session
	}
	return s.session
}
