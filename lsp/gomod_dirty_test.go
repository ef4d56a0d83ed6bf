package lsp_test

import (
	"path/filepath"
	"runtime"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
	"github.com/gomodls/gomodls/workspace"
)

// versionCache writes a module cache holding the go.mod files of dep v1.0.0
// and v1.1.0 (go 1.22), x v1.0.0 (requires dep v1.1.0), go123 v1.0.0 (go
// 1.23) and retracted v1.0.0 and v1.1.0 (which retracts v1.0.0).
func versionCache(t *testing.T) string {
	dir := t.TempDir()
	for mv, content := range map[string]string{
		"example.com/dep/@v/v1.0.0.mod":       "module example.com/dep\n\ngo 1.22\n",
		"example.com/dep/@v/v1.1.0.mod":       "module example.com/dep\n\ngo 1.22\n",
		"example.com/x/@v/v1.0.0.mod":         "module example.com/x\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n",
		"example.com/go123/@v/v1.0.0.mod":     "module example.com/go123\n\ngo 1.23\n",
		"example.com/retracted/@v/v1.0.0.mod": "module example.com/retracted\n\ngo 1.22\n",
		"example.com/retracted/@v/v1.1.0.mod": "module example.com/retracted\n\ngo 1.22\n\nretract v1.0.0 // Critical bug.\n",
	} {
		write(t, filepath.Join(dir, "cache", "download", filepath.FromSlash(mv)), content)
	}
	return dir
}

// Each text fix of the version checks, applied as a quick fix from its
// diagnostic on the unsaved buffer, edits only what its cause needs, byte for
// byte (the scripts in cmd/gomodls compare the result with go mod tidy's).
func TestVersionQuickFixes(t *testing.T) {
	for _, tc := range []struct {
		name, gomod, code, title string
		line                     uint32 // of the diagnostic
		want                     string
	}{{
		name:  "drop a duplicate requirement",
		gomod: "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.1.0\n\texample.com/dep v1.0.0 // indirect\n)\n",
		code:  diagnostics.CodeGoModDirty, title: "Remove requirement on example.com/dep v1.0.0 (v1.1.0 is required)", line: 6,
		want: "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.1.0\n)\n",
	}, {
		name:  "drop a redundant toolchain line",
		gomod: "module example.com/m\n\ngo 1.22.0\n\ntoolchain go1.22.0\n",
		code:  diagnostics.CodeGoModDirty, title: "Remove toolchain line", line: 4,
		want: "module example.com/m\n\ngo 1.22.0\n",
	}, {
		name:  "raise the go line to a dependency's",
		gomod: "module example.com/m\n\ngo 1.21\n\nrequire example.com/go123 v1.0.0\n",
		code:  diagnostics.CodeGoModDirty, title: "Raise go line to 1.23", line: 2,
		want: "module example.com/m\n\ngo 1.23\n\nrequire example.com/go123 v1.0.0\n",
	}, {
		name:  "raise a requirement to the selected version",
		gomod: "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0 // indirect\n\texample.com/x v1.0.0\n)\n",
		code:  diagnostics.CodeGoModDirty, title: "Require example.com/dep v1.1.0", line: 5,
		want: "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.1.0 // indirect\n\texample.com/x v1.0.0\n)\n",
	}, {
		name:  "drop a toolchain line older than the go line",
		gomod: "module example.com/m\n\ngo 1.22.0\n\ntoolchain go1.21.0\n\nrequire example.com/dep v1.1.0\n",
		code:  diagnostics.CodeToolchainOlderThanGo, title: "Remove toolchain line", line: 4,
		want: "module example.com/m\n\ngo 1.22.0\n\nrequire example.com/dep v1.1.0\n",
	}, {
		name:  "upgrade a retracted version",
		gomod: "module example.com/m\n\ngo 1.22\n\nrequire example.com/retracted v1.0.0\n",
		code:  diagnostics.CodeRetractedVersion, title: "Upgrade example.com/retracted to v1.1.0", line: 4,
		want: "module example.com/m\n\ngo 1.22\n\nrequire example.com/retracted v1.1.0\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			env := &workspace.Env{GOMODCACHE: versionCache(t), GOTOOLCHAIN: "local", GOVERSION: runtime.Version()}
			c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\nmodule example.com/m\n", Options: lsp.Options{Env: env}})
			c.Initialize(lsptest.AllCapabilities)
			c.Open("go.mod")
			c.Change("go.mod", tc.gomod)
			c.AwaitDiagnostics("go.mod", lsptest.HasCode(tc.code))
			a := action(t, c, "go.mod", at(tc.line, 1), tc.title, protocol.QuickFix)
			if len(a.Diagnostics) != 1 || a.Diagnostics[0].Code != tc.code {
				t.Errorf("action = %+v, want a quick fix of %s", a, tc.code)
			}
			c.ApplyEdit(a.Edit)
			if got := c.Buffer("go.mod"); got != tc.want {
				t.Errorf("go.mod:\n%s\nwant:\n%s", got, tc.want)
			}
			c.AwaitDiagnostics("go.mod", func(diags []protocol.Diagnostic) bool { return !lsptest.HasCode(tc.code)(diags) })
		})
	}
}

// gomodls.tidy runs go mod tidy in the module's directory: it drops the
// duplicate requirement, records the sums the build needs, and the
// diagnostics clear once the server has re-read go.mod.
func TestTidyCommand(t *testing.T) {
	opts, _ := realGo(t)
	c := lsptest.New(t, lsptest.Config{Files: `
-- go.mod --
module example.com/m

go 1.22

require example.com/dep v1.0.0

require example.com/dep v1.1.0
-- main.go --
package main

import "example.com/dep"

func main() { println(dep.Version) }
`, Options: opts})
	c.Initialize(lsptest.AllCapabilities)
	diags := c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModDirty))
	var tidy *protocol.Command
	for _, d := range diags {
		if d.Code != diagnostics.CodeGoModDirty {
			continue
		}
		for _, a := range c.CodeActions("go.mod", d.Range, protocol.QuickFix) {
			if a.Title == "Run go mod tidy" {
				tidy = a.Command
			}
		}
	}
	if tidy == nil || tidy.Command != diagnostics.CommandTidy {
		t.Fatalf("no go mod tidy command among the code actions (got %+v)", tidy)
	}
	mustRun(t, c, tidy)
	assertFile(t, c, "go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n")
	if got := c.ReadFile("go.sum"); got == "" {
		t.Errorf("go.sum is empty after go mod tidy")
	}
	c.AwaitDiagnostics("go.mod", func(diags []protocol.Diagnostic) bool { return !lsptest.HasCode(diagnostics.CodeGoModDirty)(diags) })
}

// gomodls.tidy takes no arguments and refuses to run over unsaved changes.
func TestTidyCommandRefuses(t *testing.T) {
	opts, _ := realGo(t)
	c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\nmodule example.com/m\n\ngo 1.22\n", Options: opts})
	c.Initialize(lsptest.AllCapabilities)
	if _, err := c.ExecuteCommand(workCommand(c, diagnostics.CommandTidy, ".", "-v")); err == nil {
		t.Errorf("gomodls.tidy -v ran, want it refused")
	}
	c.Open("go.mod")
	c.Change("go.mod", "module example.com/m\n\ngo 1.23\n")
	_, err := c.ExecuteCommand(workCommand(c, diagnostics.CommandTidy, "."))
	if err == nil || err.Error() != "gomodls: not running go mod tidy: save go.mod first (the editor's content differs from the file on disk, which is what the go command reads)" {
		t.Errorf("executeCommand = %v, want a refusal naming go.mod", err)
	}
	assertFile(t, c, "go.mod", "module example.com/m\n\ngo 1.22\n")
	if _, err := c.ExecuteCommand(workCommand(c, diagnostics.CommandTidy, "sub")); err == nil {
		t.Errorf("gomodls.tidy in a directory without go.mod ran")
	}
}
