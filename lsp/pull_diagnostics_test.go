package lsp_test

import (
	"encoding/json"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/lsp/lsptest"
)

type diagnosticReport struct {
	Kind     string                `json:"kind"`
	ResultID string                `json:"resultId"`
	Items    []protocol.Diagnostic `json:"items"`
}

func pull(t *testing.T, c *lsptest.Client, rel, previous string) diagnosticReport {
	t.Helper()
	var r diagnosticReport
	params := map[string]any{"textDocument": protocol.TextDocumentIdentifier{URI: c.URI(rel)}}
	if previous != "" {
		params["previousResultId"] = previous
	}
	if err := c.Call("textDocument/diagnostic", params, &r); err != nil {
		t.Fatalf("textDocument/diagnostic %s: %v", rel, err)
	}
	return r
}

func codesOf(diags []protocol.Diagnostic) string {
	var codes []string
	for _, d := range diags {
		codes = append(codes, d.Code.(string))
	}
	return strings.Join(codes, " ")
}

// TestPullDiagnostics: a client that pulls (textDocument/diagnostic with
// refresh support) gets an open document's diagnostics by pulling, never
// also published (it would show each twice); "unchanged" when nothing
// changed; a disk change that changes them asks it to pull again; files
// that are not open are still published. A client that does not pull is
// not offered the capability.
func TestPullDiagnostics(t *testing.T) {
	files := `
-- go.work --
go 1.22

use ./a
use ./missing
-- a/go.mod --
module example.com/a

go 1.22
-- b/go.mod --
module example.com/b

go 1.22

require bad
`
	c := lsptest.New(t, lsptest.Config{Files: files})
	caps := lsptest.AllCapabilities
	caps.PullDiagnostics = true
	c.Initialize(caps)
	if !strings.Contains(string(c.InitializeResult), `"diagnosticProvider":{"interFileDependencies":true,"workspaceDiagnostics":false}`) {
		t.Errorf("initialize result lacks diagnosticProvider: %s", c.InitializeResult)
	}
	c.Open("go.work")
	r := pull(t, c, "go.work", "")
	if r.Kind != "full" || codesOf(r.Items) != "gowork-use-missing-dir" || r.ResultID == "" {
		t.Fatalf("pull of go.work = %+v, want the missing directory", r)
	}
	if again := pull(t, c, "go.work", r.ResultID); again.Kind != "unchanged" || again.ResultID != r.ResultID {
		t.Errorf("second pull = %+v, want unchanged %s", again, r.ResultID)
	}
	// b/go.mod is not open: published as before.
	c.AwaitDiagnostics("b/go.mod", func(d []protocol.Diagnostic) bool { return len(d) > 0 })

	c.WriteFile("missing/go.mod", "module example.com/missing\n\ngo 1.22\n")
	c.DidChangeWatchedFiles(protocol.FileChangeTypeCreated, "missing/go.mod")
	c.Await("a refresh request", func() bool { return len(c.Notifications("workspace/diagnostic/refresh")) > 0 })
	if r := pull(t, c, "go.work", r.ResultID); r.Kind != "full" || len(r.Items) != 0 {
		t.Errorf("pull after the fix = %+v, want none", r)
	}
	// A full report always has items, [] when empty: Neovim 0.12 takes the
	// length of what it finds there.
	var raw json.RawMessage
	if err := c.Call("textDocument/diagnostic", map[string]any{"textDocument": protocol.TextDocumentIdentifier{URI: c.URI("go.work")}}, &raw); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"items":[]`) {
		t.Errorf("empty full report = %s, want items: []", raw)
	}
	if p, ok := c.LastPublish("go.work"); ok && len(p.Params.Diagnostics) > 0 {
		t.Errorf("go.work, open in a pulling client, was published to: %v", p.Params.Diagnostics)
	}

	plain := lsptest.New(t, lsptest.Config{Files: files})
	plain.Initialize(lsptest.AllCapabilities)
	if strings.Contains(string(plain.InitializeResult), "diagnosticProvider") {
		t.Errorf("a client that does not pull was offered diagnosticProvider: %s", plain.InitializeResult)
	}
}
