package lsp_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
	"github.com/gomodls/gomodls/workspace"
)

// placeholderCheck stands in for the checks that will carry fixes: it flags
// every "v0.0.0" in a go.mod, fixable (safely, so also by fix-all) by
// writing v1.0.0, and offers `go mod tidy` on the module line.
var placeholderCheck = diagnostics.Check{
	Name:  "placeholder",
	Codes: []string{"placeholder-version", "untidy"},
	Run: func(snap *workspace.Snapshot) []diagnostics.Diagnostic {
		var diags []diagnostics.Diagnostic
		for _, m := range snap.Modules() {
			f := m.File
			for off := 0; ; {
				i := bytes.Index(f.Content()[off:], []byte("v0.0.0"))
				if i < 0 {
					break
				}
				span := workspace.Span{Start: off + i, End: off + i + len("v0.0.0")}
				off = span.End
				diags = append(diags, diagnostics.Diagnostic{
					Code: "placeholder-version", Severity: diagnostics.SeverityWarning, File: f, Span: span,
					Message: "placeholder version",
					Fixes: []diagnostics.Fix{{Title: "Use v1.0.0", Kind: diagnostics.KindFixAll,
						Edits: []diagnostics.Edit{{File: f, Span: span, NewText: "v1.0.0"}}}},
				})
			}
			if m.Mod != nil && m.Mod.Module != nil {
				diags = append(diags, diagnostics.Diagnostic{
					Code: "untidy", Severity: diagnostics.SeverityInformation, File: f, Span: f.LineSpan(1),
					Message: "run go mod tidy",
					Fixes: []diagnostics.Fix{{Title: "Run go mod tidy", Kind: diagnostics.KindQuickFix,
						Command: &diagnostics.Command{Name: "gomodls.unimplemented", Title: "go mod tidy", Dir: m.Dir, Args: []string{"-v"}}}},
				})
			}
		}
		return diags
	},
}

const placeholderGoMod = "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/a v0.0.0\n\texample.com/b v0.0.0\n)\n"

func newPlaceholderClient(t *testing.T, caps lsptest.Capabilities) *lsptest.Client {
	c := lsptest.New(t, lsptest.Config{
		Files:   "-- go.mod --\n" + placeholderGoMod,
		Options: lsp.Options{Checks: []diagnostics.Check{placeholderCheck}},
	})
	c.Initialize(caps)
	return c
}

func at(line, char uint32) protocol.Range {
	p := protocol.Position{Line: line, Character: char}
	return protocol.Range{Start: p, End: p}
}

func countCode(code string) func([]protocol.Diagnostic) int {
	return func(diags []protocol.Diagnostic) int {
		n := 0
		for _, d := range diags {
			if d.Code == code {
				n++
			}
		}
		return n
	}
}

// A quick fix edits the open buffer through a versioned edit; applying it
// removes its diagnostic.
func TestQuickFixEditsTheBuffer(t *testing.T) {
	c := newPlaceholderClient(t, lsptest.AllCapabilities)
	c.Open("go.mod")
	c.AwaitDiagnostics("go.mod", func(d []protocol.Diagnostic) bool { return countCode("placeholder-version")(d) == 2 })

	actions := c.CodeActions("go.mod", at(5, 16)) // in the first v0.0.0
	if len(actions) != 1 {
		t.Fatalf("actions = %+v, want the one quick fix", actions)
	}
	a := actions[0]
	if a.Kind != protocol.QuickFix || a.Title != "Use v1.0.0" || !a.IsPreferred || len(a.Diagnostics) != 1 {
		t.Errorf("action = %+v", a)
	}
	if a.Edit == nil || len(a.Edit.DocumentChanges) != 1 || a.Edit.Changes != nil {
		t.Fatalf("edit = %+v, want documentChanges only", a.Edit)
	}
	dc := a.Edit.DocumentChanges[0]
	if dc.TextDocument.Version == nil || *dc.TextDocument.Version != 1 || dc.TextDocument.URI != c.URI("go.mod") {
		t.Errorf("edit targets %+v, want go.mod at version 1", dc.TextDocument)
	}
	want := protocol.TextEdit{Range: protocol.Range{Start: protocol.Position{Line: 5, Character: 15}, End: protocol.Position{Line: 5, Character: 21}}, NewText: "v1.0.0"}
	if len(dc.Edits) != 1 || dc.Edits[0] != want {
		t.Errorf("edits = %+v, want %+v", dc.Edits, want)
	}

	c.ApplyEdit(a.Edit)
	c.AwaitDiagnostics("go.mod", func(d []protocol.Diagnostic) bool { return countCode("placeholder-version")(d) == 1 })
}

// source.fixAll merges every safe edit of the document into one action.
func TestFixAll(t *testing.T) {
	c := newPlaceholderClient(t, lsptest.AllCapabilities)
	c.Open("go.mod")
	c.AwaitDiagnostics("go.mod", lsptest.HasCode("placeholder-version"))

	for _, a := range c.CodeActions("go.mod", at(5, 16)) {
		if a.Kind != protocol.QuickFix {
			t.Errorf("without only, got a %s action: fix-all is offered only when asked for", a.Kind)
		}
	}
	actions := c.CodeActions("go.mod", at(0, 0), "source.fixAll")
	if len(actions) != 1 || actions[0].Kind != protocol.CodeActionKind(diagnostics.KindFixAll) {
		t.Fatalf("actions = %+v, want one fix-all", actions)
	}
	c.ApplyEdit(actions[0].Edit)
	if got, want := c.Buffer("go.mod"), "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b v1.0.0\n)\n"; got != want {
		t.Errorf("after fix-all:\n%s\nwant:\n%s", got, want)
	}
	c.AwaitDiagnostics("go.mod", func(d []protocol.Diagnostic) bool { return countCode("placeholder-version")(d) == 0 })
}

// A file that is not open is edited with a null version; a client without
// documentChanges gets plain changes.
func TestEditsForDiskFilesAndOlderClients(t *testing.T) {
	c := newPlaceholderClient(t, lsptest.AllCapabilities)
	c.AwaitDiagnostics("go.mod", lsptest.HasCode("placeholder-version"))
	a := c.CodeActions("go.mod", at(5, 16))[0]
	if v := a.Edit.DocumentChanges[0].TextDocument.Version; v != nil {
		t.Errorf("edit of a file on disk has version %d, want null", *v)
	}

	caps := lsptest.AllCapabilities
	caps.DocumentChanges = false
	c = newPlaceholderClient(t, caps)
	c.AwaitDiagnostics("go.mod", lsptest.HasCode("placeholder-version"))
	a = c.CodeActions("go.mod", at(5, 16))[0]
	if a.Edit.DocumentChanges != nil || len(a.Edit.Changes[c.URI("go.mod")]) != 1 {
		t.Errorf("edit = %+v, want one change for go.mod", a.Edit)
	}
	c.ApplyEdit(a.Edit)
	if got := c.ReadFile("go.mod"); !bytes.Contains([]byte(got), []byte("example.com/a v1.0.0")) {
		t.Errorf("go.mod after the edit:\n%s", got)
	}
}

// A fix that runs a go command becomes an LSP command with one argument
// object {dir, args}; commands not implemented yet are refused clearly.
func TestCommandFix(t *testing.T) {
	c := newPlaceholderClient(t, lsptest.AllCapabilities)
	c.AwaitDiagnostics("go.mod", lsptest.HasCode("untidy"))
	actions := c.CodeActions("go.mod", at(0, 3))
	if len(actions) != 1 || actions[0].Command == nil {
		t.Fatalf("actions = %+v, want the tidy command", actions)
	}
	cmd := actions[0].Command
	if cmd.Command != "gomodls.unimplemented" || cmd.Title != "go mod tidy" {
		t.Errorf("command = %s %q, want gomodls.unimplemented %q", cmd.Command, cmd.Title, "go mod tidy")
	}
	raw, _ := json.Marshal(cmd.Arguments)
	var args []struct {
		Dir  protocol.DocumentURI
		Args []string
	}
	if err := json.Unmarshal(raw, &args); err != nil || len(args) != 1 || args[0].Dir != c.URI(".") || len(args[0].Args) != 1 || args[0].Args[0] != "-v" {
		t.Errorf("arguments = %s, want [{dir: %s, args: [-v]}]", raw, c.URI("."))
	}

	_, err := c.ExecuteCommand(cmd)
	var rpcErr *jsonrpc2.Error
	if !errors.As(err, &rpcErr) || rpcErr.Message != `command "gomodls.unimplemented" is not implemented yet` {
		t.Errorf("executeCommand = %v, want 'not implemented yet'", err)
	}
}

// Requests for documents the snapshot does not hold are answered with an
// empty list.
func TestCodeActionsForUnknownDocuments(t *testing.T) {
	c := newPlaceholderClient(t, lsptest.AllCapabilities)
	c.AwaitDiagnostics("go.mod", lsptest.HasCode("placeholder-version"))
	for _, uri := range []protocol.DocumentURI{
		"file:///nowhere/near/go.mod", // outside every folder
		c.URI("main.go"),              // no module file
		"untitled:Untitled-1",
		"%%not a URI",
	} {
		var raw json.RawMessage
		err := c.Call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: uri},
			Range:        at(0, 0),
			Context:      protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{}},
		}, &raw)
		if err != nil || string(raw) != "[]" {
			t.Errorf("codeAction for %s = %s, %v; want []", uri, raw, err)
		}
	}
	// Far from any diagnostic: nothing either.
	if actions := c.CodeActions("go.mod", at(2, 0)); len(actions) != 0 {
		t.Errorf("actions on a clean line = %+v", actions)
	}
}
