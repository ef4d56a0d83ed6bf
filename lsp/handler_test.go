package lsp_test

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

func rpcCode(t *testing.T, err error) jsonrpc2.Code {
	t.Helper()
	var rpcErr *jsonrpc2.Error
	if !errors.As(err, &rpcErr) {
		t.Fatalf("error %v (%T) is not a JSON-RPC error", err, err)
	}
	return rpcErr.Code
}

// An unknown request is answered MethodNotFound, an unknown notification is
// ignored, and the session goes on.
func TestUnknownMethods(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\n" + fixedGoMod})
	c.Initialize(lsptest.AllCapabilities)

	err := c.Call("gomodls/noSuchMethod", map[string]int{"x": 1}, nil)
	if code := rpcCode(t, err); code != jsonrpc2.MethodNotFound {
		t.Errorf("unknown request: code %d, want %d", code, jsonrpc2.MethodNotFound)
	}
	c.Notify("gomodls/noSuchNotification", nil)
	c.Notify("$/setTrace", map[string]string{"value": "verbose"})
	c.Notify(protocol.MethodCancelRequest, map[string]int{"id": 99})

	c.OpenText("go.mod", brokenGoMod)
	c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
}

// A message that is not JSON gets a ParseError (with a null id when its id
// cannot be read), one that is JSON but no request an InvalidRequest,
// garbage headers a ParseError; the server reads on after each.
func TestBadInputDoesNotEndTheSession(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\n" + fixedGoMod})
	c.Initialize(lsptest.AllCapabilities)

	c.SendBody([]byte(`{"jsonrpc":"2.0","method":"textDocument/codeAction","id":`))
	c.Await("a ParseError reply", func() bool { return len(c.ErrorReplies()) == 1 })
	if got := c.ErrorReplies()[0]; got.Code != jsonrpc2.ParseError {
		t.Errorf("reply to invalid JSON: code %d, want %d", got.Code, jsonrpc2.ParseError)
	}

	c.SendBody([]byte(`{"jsonrpc":"2.0","method":7}`))
	c.Await("an InvalidRequest reply", func() bool { return len(c.ErrorReplies()) == 2 })
	if got := c.ErrorReplies()[1]; got.Code != jsonrpc2.InvalidRequest {
		t.Errorf("reply to a non-request: code %d, want %d", got.Code, jsonrpc2.InvalidRequest)
	}

	c.SendRaw([]byte("this is no header\r\n\r\n"))
	c.Await("a ParseError reply", func() bool { return len(c.ErrorReplies()) == 3 })

	c.OpenText("go.mod", brokenGoMod)
	c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
}

// A body nested 2,000,000 deep used to overflow the decoder's stack and kill
// the server; a Content-Length shorter than its body used to lose the next
// message too. Each costs one ParseError now, and the message after it is
// handled.
func TestHostileFramingCostsOneMessage(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\n" + fixedGoMod})
	c.Initialize(lsptest.AllCapabilities)

	deep := strings.Repeat("[", 2_000_000) + strings.Repeat("]", 2_000_000)
	c.SendBody([]byte(`{"jsonrpc":"2.0","method":"textDocument/hover","params":` + deep + `}`))
	c.Await("a ParseError reply", func() bool { return len(c.ErrorReplies()) == 1 })
	if got := c.ErrorReplies()[0]; got.Code != jsonrpc2.ParseError {
		t.Errorf("reply to a deep body: code %d, want %d", got.Code, jsonrpc2.ParseError)
	}
	if err := c.Call("gomodls/noSuchMethod", nil, nil); rpcCode(t, err) != jsonrpc2.MethodNotFound {
		t.Errorf("after a deep body: %v, want MethodNotFound", err)
	}

	open, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": protocol.MethodTextDocumentDidOpen, "params": &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: c.URI("go.mod"), LanguageID: "go.mod", Version: 1, Text: brokenGoMod},
	}})
	if err != nil {
		t.Fatal(err)
	}
	notification := `{"jsonrpc":"2.0","method":"gomodls/noSuchNotification","params":{"x":1}}`
	c.SendRaw([]byte("Content-Length: " + strconv.Itoa(len(notification)-1) + "\r\n\r\n" + notification +
		"Content-Length: " + strconv.Itoa(len(open)) + "\r\n\r\n" + string(open)))
	c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
	if got := len(c.ErrorReplies()); got != 2 {
		t.Errorf("%d error replies, want 2: one for the deep body, one for the cut one", got)
	}
}

// Before initialize, requests are refused with ServerNotInitialized.
func TestRequestBeforeInitialize(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{})
	err := c.Call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: c.URI("go.mod")}}, nil)
	if code := rpcCode(t, err); code != jsonrpc2.ServerNotInitialized {
		t.Errorf("code %d, want %d", code, jsonrpc2.ServerNotInitialized)
	}
	c.Initialize(lsptest.AllCapabilities)
	if err := c.Call(protocol.MethodInitialize, &protocol.InitializeParams{}, nil); rpcCode(t, err) != jsonrpc2.InvalidRequest {
		t.Errorf("second initialize: %v, want InvalidRequest", err)
	}
}

// The initialize result advertises what is implemented and nothing else:
// each provider it announces answers its method (not MethodNotFound), and
// the others (definition, rename, code lens, …) are absent.
func TestInitializeAdvertisesOnlyWhatIsImplemented(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\nmodule example.com/m\n"})
	caps := c.Initialize(lsptest.AllCapabilities).Capabilities
	if caps.CodeActionProvider == nil || caps.ExecuteCommandProvider == nil || caps.TextDocumentSync == nil || caps.HoverProvider != true ||
		caps.DocumentLinkProvider == nil || caps.DocumentFormattingProvider != true || caps.CompletionProvider == nil {
		t.Errorf("misses implemented features: %+v", caps)
	}
	if caps.DefinitionProvider != nil || caps.ReferencesProvider != nil || caps.RenameProvider != nil || caps.CodeLensProvider != nil ||
		caps.DocumentSymbolProvider != nil || caps.DocumentRangeFormattingProvider != nil || caps.SemanticTokensProvider != nil {
		t.Errorf("advertises unimplemented features: %+v", caps)
	}
	if caps.Workspace == nil || caps.Workspace.WorkspaceFolders == nil || !caps.Workspace.WorkspaceFolders.Supported {
		t.Errorf("workspace folders not advertised: %+v", caps.Workspace)
	}
	doc := map[string]any{"textDocument": protocol.TextDocumentIdentifier{URI: c.URI("go.mod")}}
	at := map[string]any{"textDocument": doc["textDocument"], "position": protocol.Position{}}
	for method, params := range map[string]any{
		protocol.MethodTextDocumentHover:        at,
		protocol.MethodTextDocumentCompletion:   at,
		protocol.MethodTextDocumentDocumentLink: doc,
		protocol.MethodTextDocumentFormatting:   map[string]any{"textDocument": doc["textDocument"], "options": protocol.FormattingOptions{TabSize: 4}},
		protocol.MethodTextDocumentCodeAction:   map[string]any{"textDocument": doc["textDocument"], "range": protocol.Range{}, "context": map[string]any{"diagnostics": []any{}}},
		"textDocument/inlayHint":                map[string]any{"textDocument": doc["textDocument"], "range": protocol.Range{}},
	} {
		if err := c.Call(method, params, nil); err != nil {
			t.Errorf("%s, advertised, fails: %v", method, err)
		}
	}
}

func TestShutdownThenExit(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{})
	c.Initialize(lsptest.AllCapabilities)
	if err := c.Exit(false); err != nil {
		t.Errorf("Serve = %v, want nil", err)
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{})
	c.Initialize(lsptest.AllCapabilities)
	if err := c.Exit(true); !errors.Is(err, lsp.ErrExitWithoutShutdown) {
		t.Errorf("Serve = %v, want ErrExitWithoutShutdown", err)
	}
}

// After shutdown only exit is accepted.
func TestRequestAfterShutdown(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{})
	c.Initialize(lsptest.AllCapabilities)
	if err := c.Call(protocol.MethodShutdown, nil, nil); err != nil {
		t.Fatal(err)
	}
	err := c.Call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{}, nil)
	if code := rpcCode(t, err); code != jsonrpc2.InvalidRequest {
		t.Errorf("request after shutdown: code %d, want %d", code, jsonrpc2.InvalidRequest)
	}
}
