package lsp_test

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

const brokenGoMod = "module example.com/m\n\ngo 1.22\n\nrequire example.com/x\n"
const fixedGoMod = "module example.com/m\n\ngo 1.22\n\nrequire example.com/x v1.0.0\n"

// An edit that breaks go.mod is reported at the offending line, with the
// code, source and documentation link docs/diagnostics.md gives; the edit that fixes
// it clears the file with an empty list.
func TestBrokenGoModIsReportedAndCleared(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\nmodule example.com/m\n\ngo 1.22\n"})
	c.Initialize(lsptest.AllCapabilities)
	c.OpenText("go.mod", brokenGoMod)

	diags := c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
	if len(diags) != 1 {
		t.Fatalf("got %d diagnostics, want 1: %+v", len(diags), diags)
	}
	d := diags[0]
	wantRange := protocol.Range{
		Start: protocol.Position{Line: 4, Character: 0},
		End:   protocol.Position{Line: 4, Character: uint32(len("require example.com/x"))},
	}
	if d.Range != wantRange {
		t.Errorf("range = %+v, want %+v", d.Range, wantRange)
	}
	if d.Severity != protocol.DiagnosticSeverityError || d.Source != "gomodls" {
		t.Errorf("severity, source = %v, %q; want error, gomodls", d.Severity, d.Source)
	}
	if d.CodeDescription == nil || string(d.CodeDescription.Href) != diagnostics.DocURL(diagnostics.CodeGoModParseError) {
		t.Errorf("codeDescription = %+v, want the doc URL", d.CodeDescription)
	}
	if !strings.Contains(d.Message, "usage: require") {
		t.Errorf("message = %q, want modfile's usage message", d.Message)
	}
	if p, _ := c.LastPublish("go.mod"); p.Params.Version != 1 {
		t.Errorf("published for version %d, want the buffer's version 1", p.Params.Version)
	}

	c.Change("go.mod", fixedGoMod)
	c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)
	if p, _ := c.LastPublish("go.mod"); !strings.Contains(string(p.Raw), `"diagnostics":[]`) {
		t.Errorf("clearing publish = %s, want an empty array, never null", p.Raw)
	}
}

// An open buffer wins over the disk; closing it brings the disk back.
func TestOpenBufferOverridesDisk(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\n" + fixedGoMod})
	c.Initialize(lsptest.AllCapabilities)
	c.Open("go.mod")
	c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)

	c.Change("go.mod", brokenGoMod)
	c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))

	c.Close("go.mod") // unsaved: the disk is fine
	c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)
}

// A buffer that fixes a broken file on disk hides the disk's problem until
// it is closed unsaved.
func TestOpenBufferHidesDiskProblem(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\n" + brokenGoMod})
	c.Initialize(lsptest.AllCapabilities)
	c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))

	c.OpenText("go.mod", fixedGoMod)
	c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)

	c.Close("go.mod")
	c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
}

// After a save, closing the buffer unsaved brings back what was saved.
func TestSavedContentReturnsOnClose(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\n" + fixedGoMod})
	c.Initialize(lsptest.AllCapabilities)
	c.Open("go.mod")
	c.Change("go.mod", brokenGoMod)
	c.Save("go.mod")
	c.Change("go.mod", fixedGoMod) // not saved
	c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)
	c.Close("go.mod")
	c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
}

// Without workspace folders the server still checks open buffers.
func TestSingleFileMode(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Folders: []string{}})
	c.Initialize(lsptest.AllCapabilities)
	c.OpenText("go.mod", brokenGoMod)
	c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
	c.Close("go.mod") // never on disk: nothing is left to report
	c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)
}

// Documents that are no module files (the client may send every language to
// every server) and non-file URIs are ignored without harm.
func TestOtherDocumentsAreIgnored(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\n" + fixedGoMod})
	c.Initialize(lsptest.AllCapabilities)
	c.OpenText("main.go", "package main\n")
	c.Change("main.go", "package main // edited\n")
	c.Notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: "untitled:Untitled-1", LanguageID: "go.mod", Version: 1, Text: brokenGoMod,
	}})
	c.Close("main.go")

	c.OpenText("go.mod", brokenGoMod)
	c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
	if _, ok := c.LastPublish("main.go"); ok {
		t.Error("diagnostics published for main.go")
	}
}

// didChange, didClose and didSave for a document that was never opened are
// ignored: a didChange used to create a buffer that nothing ever dropped, so
// the disk was hidden from then on and a fixed file kept its stale error.
func TestChangeOfUnopenedDocumentIsIgnored(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\n" + brokenGoMod})
	c.Initialize(lsptest.AllCapabilities)
	c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))

	c.Notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: c.URI("go.mod")}, Version: 2},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{{Text: brokenGoMod + "require (\n"}},
	})
	c.WriteFile("go.mod", fixedGoMod)
	c.DidChangeWatchedFiles(protocol.FileChangeTypeChanged, "go.mod")
	c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)

	c.Notify(protocol.MethodTextDocumentDidSave, &protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: c.URI("go.mod")}})
	c.Notify(protocol.MethodTextDocumentDidClose, &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: c.URI("go.mod")}})
	c.Await("the ignored notifications logged", func() bool {
		return c.Logs().FilterMessage("ignoring notification for a document that is not open").Len() == 3
	})
	c.WriteFile("go.mod", brokenGoMod)
	c.DidChangeWatchedFiles(protocol.FileChangeTypeChanged, "go.mod")
	diags := c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
	if len(diags) != 1 || diags[0].Range.Start.Line != 4 {
		t.Errorf("diagnostics %+v, want the disk's one parse error at line 5", diags)
	}
}
