package lsp_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

const envWorkspace = `
-- go.work --
go 1.22

use ./a
-- a/go.mod --
module example.com/a

go 1.22
`

// hermeticGoEnviron is an environment in which the real go command reads
// and writes only the test's files: its own HOME, GOPATH and env file.
func hermeticGoEnviron(t *testing.T, goenv string) []string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command in PATH")
	}
	home := t.TempDir()
	return []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "GOENV=" + goenv,
		"GOPATH=" + filepath.Join(home, "gopath"), "GOCACHE=" + filepath.Join(home, "cache"),
		"GOTOOLCHAIN=local", "GOFLAGS=", "GOWORK=", "GO111MODULE=", "GOPROXY=off", "GOSUMDB=off",
	}
}

// goEnv runs the real go env (-w or -u) as a user would in a shell.
func goEnv(t *testing.T, environ []string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", append([]string{"env"}, args...)...)
	cmd.Env = environ
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go env %q: %v\n%s", args, err, out)
	}
}

// go env -w GOFLAGS=-mod=mod while the server runs: the workspace error
// appears, naming the env file; go env -u GOFLAGS: it clears. No restart.
func TestGoEnvWriteAndUnsetWhileServing(t *testing.T) {
	goenv := filepath.Join(t.TempDir(), "config", "go", "env")
	environ := hermeticGoEnviron(t, goenv)
	c := lsptest.New(t, lsptest.Config{Files: envWorkspace, LoadEnv: true,
		Options: lsp.Options{CommandEnv: environ, WatchDebounce: 20 * time.Millisecond}})
	c.Initialize(lsptest.AllCapabilities)
	c.Open("go.work")
	c.AwaitDiagnostics("go.work", lsptest.NoDiagnostics)

	// The env file's directory does not exist yet: go env -w creates it.
	goEnv(t, environ, "-w", "GOFLAGS=-mod=mod")
	diags := c.AwaitDiagnostics("go.work", lsptest.HasCode(diagnostics.CodeWsModFlagNotAllowed))
	if want := "set by go env -w in " + goenv + "); to fix: go env -u GOFLAGS"; !containsMessage(diags, want) {
		t.Errorf("diagnostics %+v: want a message with %q", diags, want)
	}

	goEnv(t, environ, "-u", "GOFLAGS")
	c.AwaitDiagnostics("go.work", lsptest.NoDiagnostics)
}

// workspace/didChangeConfiguration with a new gomodls.env re-reads the
// environment with it, and the message says where the value was set.
func TestDidChangeConfigurationEnv(t *testing.T) {
	environ := hermeticGoEnviron(t, filepath.Join(t.TempDir(), "env"))
	c := lsptest.New(t, lsptest.Config{Files: envWorkspace, LoadEnv: true, Options: lsp.Options{CommandEnv: environ}})
	c.Initialize(lsptest.AllCapabilities)
	c.Open("go.work")
	c.AwaitDiagnostics("go.work", lsptest.NoDiagnostics)

	c.Notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"gomodls": map[string]any{"env": map[string]string{"GOFLAGS": "-mod=mod"}}}})
	diags := c.AwaitDiagnostics("go.work", lsptest.HasCode(diagnostics.CodeWsModFlagNotAllowed))
	if want := "GOFLAGS=-mod=mod, set in the editor's gomodls.env setting); to fix: remove GOFLAGS from the gomodls.env setting"; !containsMessage(diags, want) {
		t.Errorf("diagnostics %+v: want a message with %q", diags, want)
	}

	c.Notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"gomodls": map[string]any{"env": map[string]string{}}}})
	c.AwaitDiagnostics("go.work", lsptest.NoDiagnostics)
}

func containsMessage(diags []protocol.Diagnostic, sub string) bool {
	for _, d := range diags {
		if strings.Contains(d.Message, sub) {
			return true
		}
	}
	return false
}
