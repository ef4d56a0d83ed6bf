package lsp_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

// unusedModule is a workspace whose go.work misses ./c: the check offers
// a command fix (go work use -r .) for it.
const unusedModule = `
-- go.work --
go 1.22

use ./a
-- a/go.mod --
module example.com/a

go 1.22
-- c/go.mod --
module example.com/c

go 1.22
`

// workUseCommand is the command of "Add all modules", as a client that
// kept it from an earlier session would send it.
func workUseCommand(c *lsptest.Client) *protocol.Command {
	return &protocol.Command{
		Title:     "go work use -r .",
		Command:   diagnostics.CommandWorkUse,
		Arguments: []any{map[string]any{"dir": string(c.URI(".")), "args": []string{"-r", "."}}},
	}
}

// commandActions returns the titles of the actions at the go.work line
// that run a command.
func commandActions(c *lsptest.Client) []string {
	var titles []string
	for _, a := range c.CodeActions("go.work", at(2, 0)) {
		if a.Command != nil {
			titles = append(titles, a.Title)
		}
	}
	return titles
}

// By default (no initializationOptions) the server runs go env during
// initialize and offers command fixes: the baseline the other tests turn
// off.
func TestInitOptionsDefaults(t *testing.T) {
	c, runLog := fakeGoClient(t, lsptest.Config{Files: unusedModule, LoadEnv: true}, "ok")
	c.Initialize(lsptest.AllCapabilities)
	if r := readRun(t, runLog); len(r.Args) == 0 || r.Args[0] != "env" {
		t.Errorf("go ran with %q, want go env", r.Args)
	}
	c.AwaitDiagnostics("go.work", lsptest.HasCode(diagnostics.CodeGoWorkModuleNotUsed))
	if got := commandActions(c); len(got) == 0 {
		t.Error("no command fix offered")
	}
}

// In an untrusted workspace the server never starts go: not go env, not a
// command. Checks still run, command fixes are not offered and
// executeCommand refuses.
func TestUntrustedWorkspaceRunsNoGo(t *testing.T) {
	c, runLog := fakeGoClient(t, lsptest.Config{Files: unusedModule, LoadEnv: true,
		InitializationOptions: map[string]any{"trusted": false}}, "ok")
	c.Initialize(lsptest.AllCapabilities)
	c.AwaitDiagnostics("go.work", lsptest.HasCode(diagnostics.CodeGoWorkModuleNotUsed))
	if got := commandActions(c); len(got) > 0 {
		t.Errorf("command fixes offered in an untrusted workspace: %q", got)
	}
	_, err := c.ExecuteCommand(workUseCommand(c))
	if err == nil || !strings.Contains(err.Error(), "not trusted") {
		t.Errorf("executeCommand: err = %v, want a refusal saying the workspace is not trusted", err)
	}
	if _, err := os.Stat(runLog); err == nil {
		t.Errorf("the go command ran in an untrusted workspace: %+v", readRun(t, runLog))
	}
}

// allowCommands=false keeps go env but turns the command fixes off.
func TestAllowCommandsFalse(t *testing.T) {
	c, runLog := fakeGoClient(t, lsptest.Config{Files: unusedModule, LoadEnv: true,
		InitializationOptions: map[string]any{"allowCommands": false}}, "ok")
	c.Initialize(lsptest.AllCapabilities)
	if r := readRun(t, runLog); len(r.Args) == 0 || r.Args[0] != "env" {
		t.Errorf("go ran with %q, want go env", r.Args)
	}
	if err := os.Remove(runLog); err != nil {
		t.Fatal(err)
	}
	c.AwaitDiagnostics("go.work", lsptest.HasCode(diagnostics.CodeGoWorkModuleNotUsed))
	if got := commandActions(c); len(got) > 0 {
		t.Errorf("command fixes offered with allowCommands false: %q", got)
	}
	_, err := c.ExecuteCommand(workUseCommand(c))
	if err == nil || !strings.Contains(err.Error(), "allowCommands") {
		t.Errorf("executeCommand: err = %v, want a refusal naming allowCommands", err)
	}
	if _, err := os.Stat(runLog); err == nil {
		t.Errorf("the go command ran with allowCommands false: %+v", readRun(t, runLog))
	}
}

// initializationOptions.env reaches go env and the commands, over the
// server's own environment.
func TestInitOptionsEnv(t *testing.T) {
	c, runLog := fakeGoClient(t, lsptest.Config{Files: unusedModule, LoadEnv: true,
		InitializationOptions: map[string]any{"env": map[string]string{"GOFLAGS": "-buildvcs=false"}}}, "ok")
	c.Initialize(lsptest.AllCapabilities)
	if r := readRun(t, runLog); r.GOFLAGS != "-buildvcs=false" {
		t.Errorf("go env ran with GOFLAGS=%q, want -buildvcs=false", r.GOFLAGS)
	}
	if err := os.Remove(runLog); err != nil {
		t.Fatal(err)
	}
	c.AwaitDiagnostics("go.work", lsptest.HasCode(diagnostics.CodeGoWorkModuleNotUsed))
	if _, err := c.ExecuteCommand(workUseCommand(c)); err != nil {
		t.Fatal(err)
	}
	if r := readRun(t, runLog); r.GOFLAGS != "-buildvcs=false" {
		t.Errorf("the command ran with GOFLAGS=%q, want -buildvcs=false", r.GOFLAGS)
	}
}

// Options of the wrong shape are logged, and the server then takes the
// safe side: no go process.
func TestBadInitOptionsAreUntrusted(t *testing.T) {
	c, runLog := fakeGoClient(t, lsptest.Config{Files: unusedModule, LoadEnv: true,
		InitializationOptions: map[string]any{"trusted": "yes"}}, "ok")
	c.Initialize(lsptest.AllCapabilities)
	c.AwaitDiagnostics("go.work", lsptest.HasCode(diagnostics.CodeGoWorkModuleNotUsed))
	if _, err := os.Stat(runLog); err == nil {
		t.Errorf("the go command ran: %+v", readRun(t, runLog))
	}
	if c.Logs().FilterMessage("bad initializationOptions").Len() == 0 {
		t.Error("the bad options were not logged")
	}
}

// maxFileSize bounds the module files the server reads: a go.mod larger
// than it is reported as skipped, not parsed. A limit of the wrong shape
// is logged and costs only itself: the default applies and the workspace
// stays trusted.
func TestInitOptionsFileSizeLimits(t *testing.T) {
	files := "-- go.mod --\nmodule example.com/m\n\ngo 1.22\n\n// padding, padding, padding: past 64 bytes\n"
	c := lsptest.New(t, lsptest.Config{Files: files,
		InitializationOptions: map[string]any{"maxFileSize": 64, "maxSumFileSize": "big"}})
	c.Initialize(lsptest.AllCapabilities)
	diags := c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeFileSkipped))
	if len(diags) != 1 || !strings.Contains(diags[0].Message, "larger than 64 bytes") || !strings.Contains(diags[0].Message, "maxFileSize") {
		t.Errorf("diagnostics = %+v, want one file-skipped naming the limit and maxFileSize", diags)
	}
	if c.Logs().FilterMessage("bad initializationOptions").Len() == 0 {
		t.Error("the bad maxSumFileSize was not logged")
	}
	if msgs := c.LogMessages(); !slices.ContainsFunc(msgs, func(m protocol.LogMessageParams) bool {
		return strings.Contains(m.Message, "maxSumFileSize") && strings.Contains(m.Message, "33554432")
	}) {
		t.Errorf("log messages %+v do not say maxSumFileSize fell back to its default", msgs)
	}
}
