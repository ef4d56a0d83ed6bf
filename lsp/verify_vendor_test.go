package lsp_test

import (
	"os"
	"path/filepath"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/codeactions"
	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

// The source action of a vendor/modules.txt verifies the vendor directory
// against the module cache, with progress, even where commands that run go
// are not allowed (it only reads); what differs is shown on modules.txt
// until the vendored files change on disk.
func TestVerifyVendorCommand(t *testing.T) {
	cache, sum := cachedDep(t)
	env := cacheEnv(t, cache)
	orig, err := os.ReadFile(filepath.Join(cache, "example.com/dep@v1.0.0/dep.go"))
	if err != nil {
		t.Fatal(err)
	}
	c := lsptest.New(t, lsptest.Config{
		Files: "-- go.mod --\nmodule example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n" +
			"-- m.go --\npackage m\n\nimport _ \"example.com/dep\"\n" +
			"-- go.sum --\n" + sum +
			"-- vendor/modules.txt --\n# example.com/dep v1.0.0\n## explicit; go 1.22\nexample.com/dep\n" +
			"-- vendor/example.com/dep/dep.go --\npackage dep // patched by hand\n",
		Options:               lsp.Options{Env: &env},
		InitializationOptions: map[string]any{"allowCommands": false},
	})
	c.Initialize(lsptest.AllCapabilities)
	c.Open("vendor/modules.txt")
	c.AwaitDiagnostics("vendor/modules.txt", lsptest.NoDiagnostics)

	actions := c.CodeActions("vendor/modules.txt", at(0, 0), protocol.CodeActionKind(codeactions.KindSourceVerifyVendor))
	if len(actions) != 1 || actions[0].Command == nil || actions[0].Command.Command != diagnostics.CommandVerifyVendor {
		t.Fatalf("actions = %+v, want the verify command", actions)
	}
	if _, err := c.ExecuteCommand(actions[0].Command); err != nil {
		t.Fatal(err)
	}
	diags := c.AwaitDiagnostics("vendor/modules.txt", lsptest.HasCode(diagnostics.CodeVendorModified))
	if len(diags) != 1 || diags[0].Range.Start.Line != 0 {
		t.Errorf("diagnostics = %+v, want one vendor-modified on line 1", diags)
	}
	if len(c.ProgressTokens()) == 0 {
		t.Error("no progress reported")
	}

	// Re-vendored by hand: the finding goes with the change.
	c.WriteFile("vendor/example.com/dep/dep.go", string(orig))
	c.DidChangeWatchedFiles(protocol.FileChangeTypeChanged, "vendor/example.com/dep/dep.go")
	c.AwaitDiagnostics("vendor/modules.txt", lsptest.NoDiagnostics)
}
