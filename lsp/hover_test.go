package lsp_test

import (
	"encoding/json"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/lsp/lsptest"
)

func hoverAt(t *testing.T, c *lsptest.Client, rel string, line, char uint32) json.RawMessage {
	t.Helper()
	var raw json.RawMessage
	params := protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: c.URI(rel)},
		Position:     protocol.Position{Line: line, Character: char},
	}}
	if err := c.Call(protocol.MethodTextDocumentHover, params, &raw); err != nil {
		t.Fatalf("hover %s:%d:%d: %v", rel, line, char, err)
	}
	return raw
}

func decodeHover(t *testing.T, raw json.RawMessage) protocol.Hover {
	t.Helper()
	var h protocol.Hover
	if isNull(raw) {
		t.Fatal("hover returned null, want the explanation")
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	if h.Contents.Kind != protocol.Markdown {
		t.Errorf("hover kind %q, want markdown", h.Contents.Kind)
	}
	return h
}

// TestHoverExplains: the module line of go.mod and the go line of go.work
// explain what go does there (explain.Summary as markdown: mode, -mod);
// every other line has no hover.
func TestHoverExplains(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: `
-- go.work --
go 1.22

use ./a
-- a/go.mod --
module example.com/a

go 1.22
-- a/vendor/modules.txt --
-- b/go.mod --
module example.com/b

go 1.22
`})
	res := c.Initialize(lsptest.AllCapabilities)
	if res.Capabilities.HoverProvider != true {
		t.Errorf("HoverProvider = %v, want true", res.Capabilities.HoverProvider)
	}
	c.Open("a/go.mod")

	h := decodeHover(t, hoverAt(t, c, "a/go.mod", 0, 3))
	for _, want := range []string{"**Mode**: workspace mode", "**-mod**: -mod=readonly", "**GOWORK**: ", "**Toolchain**: "} {
		if !strings.Contains(h.Contents.Value, want) {
			t.Errorf("hover on the module line lacks %q:\n%s", want, h.Contents.Value)
		}
	}
	if h.Range == nil || h.Range.Start.Line != 0 || h.Range.End.Line != 0 {
		t.Errorf("hover range %v, want the module line", h.Range)
	}

	// A module below the go.work that it does not use: workspace mode
	// still, and go refuses to build there.
	h = decodeHover(t, hoverAt(t, c, "b/go.mod", 0, 0))
	if !strings.Contains(h.Contents.Value, "**Mode**: workspace mode") || !strings.Contains(h.Contents.Value, "**Error**: go: current directory is contained in a module that is not one of the workspace modules listed in go.work") {
		t.Errorf("hover on b's module line:\n%s", h.Contents.Value)
	}

	h = decodeHover(t, hoverAt(t, c, "go.work", 0, 4))
	if !strings.Contains(h.Contents.Value, "**Mode**: workspace mode") || !strings.Contains(h.Contents.Value, "**Main modules**: example.com/a") {
		t.Errorf("hover on go.work's go line:\n%s", h.Contents.Value)
	}

	for _, at := range []struct {
		rel        string
		line, char uint32
	}{{"a/go.mod", 2, 1}, {"a/go.mod", 1, 0}, {"go.work", 1, 0}, {"a/vendor/modules.txt", 0, 0}, {"nope/go.mod", 0, 0}} {
		if raw := hoverAt(t, c, at.rel, at.line, at.char); !isNull(raw) {
			t.Errorf("hover %s:%d:%d = %s, want null", at.rel, at.line, at.char, raw)
		}
	}
}

// isNull: the result was null (the client leaves a RawMessage empty then).
func isNull(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }
