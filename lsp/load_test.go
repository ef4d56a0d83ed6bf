package lsp_test

import (
	"errors"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
	"github.com/gomodls/gomodls/workspace"
)

// blockLoad makes the server's session walk block until the returned
// release is called (also at the end of the test); entered is closed when
// the walk has begun.
func blockLoad(t *testing.T) (entered <-chan struct{}, release func()) {
	in, out := make(chan struct{}), make(chan struct{})
	var released bool
	restore := lsp.SetNewSessionForTest(func(env workspace.Env, folders []string, limits workspace.Limits) *workspace.Session {
		close(in)
		<-out
		return workspace.NewSessionWithLimits(env, folders, limits)
	})
	release = func() {
		if !released {
			released = true
			close(out)
		}
	}
	t.Cleanup(restore)
	return in, release
}

func awaitClosed(t *testing.T, c <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(lsptest.Timeout):
		t.Fatalf("%s: not within %v", what, lsptest.Timeout)
	}
}

// While the walk that builds the session blocks, the server still reads
// and answers: a request waiting for it (hover on an open document) is
// answered RequestCancelled as soon as the client cancels it, and
// shutdown is answered. On the code that walked on the reader goroutine,
// nothing after initialized was ever read.
func TestBlockedLoadStillAnswersShutdownAndCancel(t *testing.T) {
	entered, release := blockLoad(t)
	c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\nmodule example.com/m\n\ngo 1.22\n"})
	t.Cleanup(release) // before the client's cleanup: let Serve end
	c.Initialize(lsptest.AllCapabilities)
	awaitClosed(t, entered, "the walk")

	c.Open("go.mod")
	hover := c.Start(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: c.URI("go.mod")}, Position: protocol.Position{Line: 0, Character: 2},
	}})
	c.Cancel(hover)
	var rpcErr *jsonrpc2.Error
	if err := hover.Wait(nil); !errors.As(err, &rpcErr) || rpcErr.Code != protocol.CodeRequestCancelled {
		t.Errorf("hover cancelled while the load blocks = %v, want RequestCancelled", err)
	}
	if err := c.Call(protocol.MethodShutdown, nil, nil); err != nil {
		t.Fatalf("shutdown while the load blocks: %v", err)
	}
	release()
	if err := c.Exit(false); err != nil {
		t.Errorf("Serve = %v", err)
	}
}

// The messages read while the load runs take effect after it, in order: an
// edit made then is what the diagnostics show, and a hover sent then is
// answered from the loaded workspace.
func TestMessagesDuringLoadApplyInOrder(t *testing.T) {
	entered, release := blockLoad(t)
	c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\nmodule example.com/m\n\ngo 1.22\n"})
	t.Cleanup(release)
	c.Initialize(lsptest.AllCapabilities)
	awaitClosed(t, entered, "the walk")

	c.Open("go.mod")
	c.Change("go.mod", "module example.com/m\n\ngo 1.22\n\nrequire (\n")
	c.Change("go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/x\n")
	hover := c.Start(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: c.URI("go.mod")}, Position: protocol.Position{Line: 0, Character: 2},
	}})
	release()
	if err := hover.Wait(nil); err != nil {
		t.Errorf("hover sent during the load: %v", err)
	}
	diags := c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
	if len(diags) != 1 || diags[0].Range.Start.Line != 4 {
		t.Errorf("diagnostics = %+v, want the parse error of the last edit, on line 5", diags)
	}
}
