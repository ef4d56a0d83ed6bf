package lsp_test

import (
	"testing"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

// A folder added to the workspace is searched and its problems reported;
// removing it clears them.
func TestAddAndRemoveWorkspaceFolder(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{
		Files:   "-- a/go.mod --\n" + brokenGoMod + "-- b/go.mod --\n" + brokenGoMod,
		Folders: []string{"a"},
	})
	c.Initialize(lsptest.AllCapabilities)
	c.AwaitDiagnostics("a/go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
	if _, ok := c.LastPublish("b/go.mod"); ok {
		t.Fatal("b/go.mod reported before its folder was added")
	}

	c.AddFolder("b")
	c.AwaitDiagnostics("b/go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))

	c.RemoveFolder("b")
	c.AwaitDiagnostics("b/go.mod", lsptest.NoDiagnostics)
	if p, _ := c.LastPublish("a/go.mod"); len(p.Params.Diagnostics) != 1 {
		t.Errorf("a/go.mod lost its diagnostic: %s", p.Raw)
	}
}
