package lsp_test

import (
	"os"
	"path/filepath"
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

// goless returns a fakeGoClient whose go command is not named by Options
// but found as "go" by the PATH that env gives, or not at all when pathDir
// is "": the server's own PATH has no go.
func goless(t *testing.T, pathDir string, initOptions map[string]any) (*lsptest.Client, string) {
	c, runLog := fakeGoClientConfig(t, lsptest.Config{Files: unusedModule, LoadEnv: true, InitializationOptions: initOptions}, "ok")
	c.Options.GoCommand = ""
	c.Options.CommandEnv = append(c.Options.CommandEnv, "PATH="+t.TempDir())
	if pathDir != "" {
		exe, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(exe, filepath.Join(pathDir, "go")); err != nil {
			t.Fatal(err)
		}
	}
	return lsptest.New(t, c), runLog
}

// Without a go binary the server says so once, checks the files anyway,
// offers no command fix and refuses to run one, naming the reason.
func TestNoGoCommand(t *testing.T) {
	c, runLog := goless(t, "", nil)
	c.Initialize(lsptest.AllCapabilities)
	c.AwaitDiagnostics("go.work", lsptest.HasCode(diagnostics.CodeGoWorkModuleNotUsed))
	shown := c.ShowMessages()
	if len(shown) != 1 || shown[0].Type != protocol.MessageTypeWarning ||
		!strings.HasPrefix(shown[0].Message, `gomodls cannot find the go command: "go" is not in PATH (`) ||
		!strings.Contains(shown[0].Message, "offers no fix that runs go. Set goCommand to the go binary, or PATH in env") {
		t.Errorf("showMessage = %+v, want one warning that go is missing and what to set", shown)
	}
	if got := commandActions(c); len(got) > 0 {
		t.Errorf("command fixes offered without a go command: %q", got)
	}
	_, err := c.ExecuteCommand(workUseCommand(c))
	if err == nil || !strings.Contains(err.Error(), "cannot find the go command") {
		t.Errorf("executeCommand: err = %v, want a refusal saying go is missing", err)
	}
	if _, err := os.Stat(runLog); err == nil {
		t.Errorf("a go command ran: %+v", readRun(t, runLog))
	}
}

// The PATH of initializationOptions.env is where go is looked up: for go
// env and for the commands.
func TestGoCommandFromEnvPATH(t *testing.T) {
	bin := t.TempDir()
	c, runLog := goless(t, bin, map[string]any{"env": map[string]string{"PATH": bin}})
	c.Initialize(lsptest.AllCapabilities)
	if r := readRun(t, runLog); len(r.Args) == 0 || r.Args[0] != "env" {
		t.Errorf("go ran with %q, want go env", r.Args)
	}
	if err := os.Remove(runLog); err != nil {
		t.Fatal(err)
	}
	c.AwaitDiagnostics("go.work", lsptest.HasCode(diagnostics.CodeGoWorkModuleNotUsed))
	if got := commandActions(c); len(got) == 0 {
		t.Error("no command fix offered")
	}
	if _, err := c.ExecuteCommand(workUseCommand(c)); err != nil {
		t.Fatal(err)
	}
	if r := readRun(t, runLog); len(r.Args) < 2 || r.Args[0] != "work" || r.Args[1] != "use" {
		t.Errorf("the command ran go %q, want go work use", r.Args)
	}
	want := "gomodls: go command: " + filepath.Join(bin, "go")
	if !slices.ContainsFunc(c.LogMessages(), func(m protocol.LogMessageParams) bool { return m.Message == want }) {
		t.Errorf("log = %+v, want %q", c.LogMessages(), want)
	}
	if msgs := c.ShowMessages(); len(msgs) != 1 || !strings.HasPrefix(msgs[0].Message, "gomodls: go work use -r . done in ") {
		t.Errorf("showMessage = %+v, want only the command's success", msgs)
	}
}

// initializationOptions.goCommand names the go binary, PATH or not.
func TestGoCommandOption(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c, runLog := goless(t, "", map[string]any{"goCommand": exe})
	c.Initialize(lsptest.AllCapabilities)
	if r := readRun(t, runLog); len(r.Args) == 0 || r.Args[0] != "env" {
		t.Errorf("go ran with %q, want go env", r.Args)
	}
	c.AwaitDiagnostics("go.work", lsptest.HasCode(diagnostics.CodeGoWorkModuleNotUsed))
	if got := commandActions(c); len(got) == 0 {
		t.Error("no command fix offered")
	}
}
