package lsp_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
	"github.com/gomodls/gomodls/workspace"
)

type inlayHint struct {
	Position protocol.Position `json:"position"`
	Label    string            `json:"label"`
	Tooltip  string            `json:"tooltip"`
}

func hintsOf(t *testing.T, c *lsptest.Client, rel string, from, to uint32) string {
	t.Helper()
	var hints []inlayHint
	params := map[string]any{
		"textDocument": protocol.TextDocumentIdentifier{URI: c.URI(rel)},
		"range":        protocol.Range{Start: protocol.Position{Line: from}, End: protocol.Position{Line: to}},
	}
	if err := c.Call("textDocument/inlayHint", params, &hints); err != nil {
		t.Fatalf("inlayHint %s: %v", rel, err)
	}
	var out []string
	for _, h := range hints {
		out = append(out, fmt.Sprintf("%d:%d %s", h.Position.Line, h.Position.Character, h.Label))
	}
	return strings.Join(out, "\n")
}

// TestInlayHints: a require the workspace raises gets "→ selected" after
// its version, a require vendor/modules.txt disagrees with gets
// "vendored v", only in the range asked for; lines the build uses as
// written, and modules whose graph is incomplete, get none.
func TestInlayHints(t *testing.T) {
	env := &workspace.Env{GOMODCACHE: hoverCache(t), GOTOOLCHAIN: "local", GOVERSION: runtime.Version()}
	c := lsptest.New(t, lsptest.Config{Files: hoverWorkspace + `
-- v/go.mod --
module example.com/v

go 1.22

require example.com/dep v1.1.0 // bumped
-- v/vendor/modules.txt --
# example.com/dep v1.0.0
## explicit; go 1.21
example.com/dep
`, Options: lsp.Options{Env: env}})
	c.Initialize(lsptest.AllCapabilities)
	c.Open("a/go.mod")
	for _, tc := range []struct {
		rel      string
		from, to uint32
		want     string
	}{
		{"a/go.mod", 0, 20, "4:30 → v1.2.0"},
		{"a/go.mod", 5, 20, ""},
		{"b/go.mod", 0, 20, ""},
		{"v/go.mod", 0, 20, "4:30 vendored v1.0.0"},
	} {
		if got := hintsOf(t, c, tc.rel, tc.from, tc.to); got != tc.want {
			t.Errorf("hints of %s lines %d-%d:\n%s\nwant:\n%s", tc.rel, tc.from, tc.to, got, tc.want)
		}
	}
	if !strings.Contains(string(c.InitializeResult), `"inlayHintProvider":true`) {
		t.Errorf("initialize result lacks inlayHintProvider: %s", c.InitializeResult)
	}
}
