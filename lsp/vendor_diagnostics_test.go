package lsp_test

import (
	"testing"
	"time"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

const vendoredModule = `
-- go.mod --
module example.com/m

go 1.22

require example.com/dep v1.0.0
-- main.go --
package main

import "example.com/dep"

func main() { println(dep.Version) }
-- vendor/modules.txt --
# example.com/dep v1.0.0
## explicit; go 1.22
example.com/dep
-- vendor/example.com/dep/dep.go --
package dep

const Version = "v1.0.0"
`

// Vendor diagnostics follow the unsaved go.mod buffer as the user types, on
// both files, and clear when vendor/ is rewritten on disk (as go mod vendor
// does), seen by the server's own watcher.
func TestVendorDiagnosticsFollowEditsAndDisk(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: vendoredModule, Options: lsp.Options{WatchDebounce: 10 * time.Millisecond}})
	caps := lsptest.AllCapabilities
	caps.DynamicWatchers = false
	c.Initialize(caps)
	c.Await("the server's file watcher", func() bool { return c.Logs().FilterMessage(logServerWatcher).Len() > 0 })

	c.Open("go.mod")
	c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)
	c.Change("go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n")
	diags := c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeVendorRequireNotExplicit))
	if r := diags[0].Range; r.Start.Line != 4 || r.Start.Character != 0 {
		t.Errorf("diagnostic at %v, want the require line (4:0)", r.Start)
	}
	c.AwaitDiagnostics("vendor/modules.txt", lsptest.HasCode(diagnostics.CodeVendorRequireNotExplicit))

	// go.mod is saved and vendor/ rewritten, as go mod vendor would.
	c.WriteFile("go.mod", c.Buffer("go.mod"))
	c.Save("go.mod")
	c.WriteFile("vendor/modules.txt", "# example.com/dep v1.1.0\n## explicit; go 1.22\nexample.com/dep\n")
	c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)
	c.AwaitDiagnostics("vendor/modules.txt", lsptest.NoDiagnostics)
}
