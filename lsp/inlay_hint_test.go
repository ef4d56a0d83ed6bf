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

// A disk change that changes an open file's hints without changing the file
// (go mod vendor rewrote vendor/modules.txt) asks the client to ask for
// them again: VS Code otherwise shows the stale "vendored v1.0.0" until the
// next keystroke. A client without refresh support is not asked.
func TestInlayHintRefresh(t *testing.T) {
	files := `
-- go.mod --
module example.com/v

go 1.22

require example.com/dep v1.1.0
-- vendor/modules.txt --
# example.com/dep v1.0.0
## explicit; go 1.22
example.com/dep
`
	for _, refresh := range []bool{true, false} {
		c := lsptest.New(t, lsptest.Config{Files: files})
		caps := lsptest.AllCapabilities
		caps.InlayHintRefresh = refresh
		c.Initialize(caps)
		c.Open("go.mod")
		if got := hintsOf(t, c, "go.mod", 0, 10); got != "4:30 vendored v1.0.0" {
			t.Fatalf("hints = %q", got)
		}
		c.AwaitDiagnostics("go.mod", func(d []protocol.Diagnostic) bool { return len(d) > 0 })
		c.WriteFile("vendor/modules.txt", "# example.com/dep v1.1.0\n## explicit; go 1.22\nexample.com/dep\n")
		c.DidChangeWatchedFiles(protocol.FileChangeTypeChanged, "vendor/modules.txt")
		c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)
		if refresh {
			c.Await("an inlay hint refresh", func() bool { return len(c.Notifications("workspace/inlayHint/refresh")) > 0 })
		} else if n := len(c.Notifications("workspace/inlayHint/refresh")); n > 0 {
			t.Errorf("%d inlay hint refreshes sent to a client without refreshSupport", n)
		}
		if got := hintsOf(t, c, "go.mod", 0, 10); got != "" {
			t.Errorf("hints after re-vendoring = %q, want none", got)
		}
	}
}
