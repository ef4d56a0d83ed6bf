package lsp_test

import (
	"encoding/json"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

// FuzzServe sends an arbitrary message body to a running session: the
// server must still answer a request after it and publish the diagnostics
// of an edit, and (lsptest's cleanup) end cleanly with no goroutine left.
func FuzzServe(f *testing.F) {
	for _, seed := range []string{
		`{"jsonrpc":"2.0","id":1009,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///w/go.mod"},"position":{"line":0,"character":0}}}`,
		`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///w/go.mod","version":2},"contentChanges":[{"text":"module"}]}}`,
		`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///w/go.mod","languageId":"go.mod","version":1,"text":"module x\n"}}}`,
		`{"jsonrpc":"2.0","id":"a","method":"textDocument/codeAction","params":{"textDocument":{"uri":7}}}`,
		`{"jsonrpc":"2.0","id":1010,"method":"initialize","params":null}`,
		`{"jsonrpc":"2.0","id":1011,"result":{"applied":true}}`,
		`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":[]}}`,
		`{"jsonrpc":"2.0","id":1012,"method":"x","params":` + strings.Repeat("[", 1500) + `}`,
		`{"jsonrpc":"2.0","id":1013,`,
		``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		skipIfItEndsTheSession(t, body)
		c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\n" + fixedGoMod})
		c.Initialize(lsptest.AllCapabilities)
		c.SendBody(body)
		if err := c.Call("gomodls/noSuchMethod", nil, nil); rpcCode(t, err) != jsonrpc2.MethodNotFound {
			t.Fatalf("after the body: %v, want MethodNotFound", err)
		}
		c.OpenText("go.mod", brokenGoMod)
		c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
	})
}

// skipIfItEndsTheSession skips bodies that are messages the check cannot
// follow: shutdown and exit end the session, a folder change may name any
// directory on the machine for the server to walk, a command runs the go
// command, and a small request id may be taken for the answer to one of the
// client's own requests (jsonrpc2 numbers them from 1).
func skipIfItEndsTheSession(t *testing.T, body []byte) {
	msg, err := jsonrpc2.DecodeMessage(body)
	if err != nil {
		return
	}
	if req, ok := msg.(jsonrpc2.Request); ok {
		switch req.Method() {
		case protocol.MethodShutdown, protocol.MethodExit, protocol.MethodWorkspaceDidChangeWorkspaceFolders, protocol.MethodWorkspaceExecuteCommand:
			t.Skip("a message the check cannot follow")
		}
	}
	var id jsonrpc2.ID
	switch m := msg.(type) {
	case *jsonrpc2.Call:
		id = m.ID()
	case *jsonrpc2.Response:
		id = m.ID()
	default:
		return
	}
	if raw, err := json.Marshal(&id); err == nil && len(raw) <= 3 && !strings.HasPrefix(string(raw), `"`) {
		t.Skip("an id the client's own requests use")
	}
}
