package lsp_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap/zapcore"
	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/modproxy"
	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

// TestMain lets the test binary stand in for the go command
// (Options.GoCommand): with GOMODLS_FAKE_GO set it acts as fakeGo says.
func TestMain(m *testing.M) {
	if mode := os.Getenv("GOMODLS_FAKE_GO"); mode != "" {
		os.Exit(fakeGo(mode))
	}
	os.Exit(m.Run())
}

// fakeGoRun is what the fake go command records of how it was run.
type fakeGoRun struct {
	Args                 []string
	Dir                  string
	GOFLAGS, GOTOOLCHAIN string
	GOWORK               string
	PID                  int
}

// fakeGo records its run in $GOMODLS_FAKE_GO_LOG, then, by mode: "ok"
// prints a line and succeeds; "fail" fails as go does; "hang" prints a line
// and waits to be killed.
func fakeGo(mode string) int {
	wd, _ := os.Getwd()
	data, _ := json.Marshal(fakeGoRun{Args: os.Args[1:], Dir: wd, GOFLAGS: os.Getenv("GOFLAGS"), GOTOOLCHAIN: os.Getenv("GOTOOLCHAIN"), GOWORK: os.Getenv("GOWORK"), PID: os.Getpid()})
	log := os.Getenv("GOMODLS_FAKE_GO_LOG")
	_ = os.WriteFile(log+".tmp", data, 0o666)
	_ = os.Rename(log+".tmp", log) // the test polls for it: appear whole
	switch mode {
	case "ok":
		fmt.Fprintln(os.Stderr, "# example.com/dep v1.1.0")
		return 0
	case "fail":
		fmt.Fprint(os.Stderr, "go: example.com/m imports\n\texample.com/dep: missing go.sum entry for module providing package example.com/dep\n")
		return 1
	case "hang":
		fmt.Fprintln(os.Stderr, "go: downloading example.com/dep v1.1.0")
		time.Sleep(time.Hour)
	}
	return 2
}

// withoutGoVars is the process environment without GO* variables, so that
// the developer's settings do not leak into a test.
func withoutGoVars() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GO") {
			env = append(env, kv)
		}
	}
	return env
}

// vendorFix waits for the vendor check's diagnostic on rel (the require
// that vendor/modules.txt does not match) and returns the command of the
// quick fix the server offers for it.
func vendorFix(t *testing.T, c *lsptest.Client, rel, title string) *protocol.Command {
	t.Helper()
	diags := c.AwaitDiagnostics(rel, lsptest.HasCode(diagnostics.CodeVendorRequireNotExplicit))
	for _, a := range c.CodeActions(rel, diags[0].Range) {
		if a.Title == title && a.Kind == protocol.QuickFix && a.Command != nil && a.Command.Command == "gomodls.vendor" {
			return a.Command
		}
	}
	t.Fatalf("no quick fix %q on %s", title, rel)
	return nil
}

// realGo returns options that run the real go command offline, against a
// module proxy built from testdata/mod, and that proxy's directory.
func realGo(t *testing.T) (lsp.Options, string) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	proxy := filepath.Join(t.TempDir(), "proxy")
	if err := modproxy.Build(proxy, filepath.Join("testdata", "mod")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goCmd, "env", "GOCACHE")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	gocache := strings.TrimSpace(string(out))
	if err != nil || gocache == "" || gocache == "off" {
		gocache = t.TempDir()
	}
	gopath := t.TempDir()
	env := append(withoutGoVars(), "HOME="+goHome(t), "XDG_CONFIG_HOME=")
	env = append(env, modproxy.GoEnv(proxy, gopath, gocache)...)
	// -modcacherw lets t.TempDir remove the module cache; -mod=vendor is
	// there to be dropped (the server must not pass it on).
	env = append(env, "GOFLAGS=-modcacherw -mod=vendor")
	return lsp.Options{GoCommand: goCmd, CommandEnv: env}, proxy
}

// goHome returns a home directory for the go command with telemetry off:
// otherwise the first go command run there starts a telemetry process
// that may still write under it when t.TempDir removes it.
func goHome(t *testing.T) string {
	home := t.TempDir()
	dir := filepath.Join(home, ".config", "go", "telemetry")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mode"), []byte("off"), 0o666); err != nil {
		t.Fatal(err)
	}
	return home
}

// goSum returns the go.sum lines of path@version as the proxy serves it.
func goSum(t *testing.T, proxy, path, version string) string {
	t.Helper()
	esc, err := module.EscapePath(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(proxy, filepath.FromSlash(esc), "@v")
	zipHash, err := dirhash.HashZip(filepath.Join(dir, version+".zip"), dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(dir, version+".mod"))
	if err != nil {
		t.Fatal(err)
	}
	modHash, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(mod)), nil })
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s %s %s\n%s %s/go.mod %s\n", path, version, zipHash, path, version, modHash)
}

// A module whose vendor directory holds example.com/dep v1.0.0 while go.mod
// requires v1.1.0 (the "old state"): files relative to the module.
const staleModule = `
-- go.mod --
module example.com/m

go 1.22

require example.com/dep v1.1.0
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

// The whole quick-fix flow with the real go command: the diagnostic offers
// "Run go mod vendor", executing it reports progress and logs go's output,
// vendor/ is rewritten, and the diagnostic clears without any file watcher
// event (the lsptest client watches nothing).
func TestVendorQuickFix(t *testing.T) {
	opts, proxy := realGo(t)
	c := lsptest.New(t, lsptest.Config{
		Files:   staleModule + "-- go.sum --\n" + goSum(t, proxy, "example.com/dep", "v1.1.0"),
		Options: opts,
	})
	init := c.Initialize(lsptest.AllCapabilities)
	if cmds := init.Capabilities.ExecuteCommandProvider.Commands; !slices.Contains(cmds, "gomodls.vendor") {
		t.Errorf("executeCommandProvider.commands = %q, want gomodls.vendor among them", cmds)
	}

	cmd := vendorFix(t, c, "go.mod", "Run go mod vendor")
	if _, err := c.ExecuteCommand(cmd); err != nil {
		t.Fatalf("executeCommand: %v\nlog: %+v", err, c.LogMessages())
	}
	if got := c.ReadFile("vendor/modules.txt"); !strings.HasPrefix(got, "# example.com/dep v1.1.0\n") {
		t.Errorf("vendor/modules.txt after the fix:\n%s", got)
	}
	if got := c.ReadFile("vendor/example.com/dep/dep.go"); !strings.Contains(got, `"v1.1.0"`) {
		t.Errorf("vendored dep.go after the fix:\n%s", got)
	}
	c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)

	assertProgress(t, c, "go mod vendor", "done")
	// -v makes go mod vendor print the modules.txt it writes; each line
	// goes to the client's log.
	if !slices.ContainsFunc(c.LogMessages(), func(m protocol.LogMessageParams) bool { return m.Message == "# example.com/dep v1.1.0" }) {
		t.Errorf("go's output not in the client's log: %+v", c.LogMessages())
	}
	if msgs := c.ShowMessages(); len(msgs) != 1 || msgs[0].Type != protocol.MessageTypeInfo || msgs[0].Message != "gomodls: go mod vendor done in "+c.Root {
		t.Errorf("showMessage after a successful run: %+v, want one short message", msgs)
	}
}

// In workspace mode the fix runs go work vendor in the go.work directory,
// even when the diagnostic is on a module's go.mod.
func TestWorkVendorQuickFix(t *testing.T) {
	opts, proxy := realGo(t)
	c := lsptest.New(t, lsptest.Config{
		Files: `
-- go.work --
go 1.22

use ./a
-- vendor/modules.txt --
## workspace
# example.com/dep v1.0.0
## explicit; go 1.22
example.com/dep
-- vendor/example.com/dep/dep.go --
package dep
-- a/go.mod --
module example.com/m

go 1.22

require example.com/dep v1.1.0
-- a/main.go --
package main

import "example.com/dep"

func main() { println(dep.Version) }
-- a/go.sum --
` + goSum(t, proxy, "example.com/dep", "v1.1.0"),
		Options: opts,
	})
	c.Initialize(lsptest.AllCapabilities)
	cmd := vendorFix(t, c, "a/go.mod", "Run go work vendor")
	if _, err := c.ExecuteCommand(cmd); err != nil {
		t.Fatalf("executeCommand: %v\nlog: %+v", err, c.LogMessages())
	}
	if got := c.ReadFile("vendor/modules.txt"); !strings.HasPrefix(got, "## workspace\n# example.com/dep v1.1.0\n") {
		t.Errorf("vendor/modules.txt after the fix:\n%s", got)
	}
	c.AwaitDiagnostics("a/go.mod", lsptest.NoDiagnostics)
	assertProgress(t, c, "go work vendor", "done")
}

// assertProgress checks that one operation titled title began, reported,
// and ended with endMessage.
func assertProgress(t *testing.T, c *lsptest.Client, title, endMessage string) {
	t.Helper()
	var kinds []string
	for _, p := range c.Progress() {
		kinds = append(kinds, p.Kind)
		if p.Kind == "begin" && p.Title != title {
			t.Errorf("progress title = %q, want %q", p.Title, title)
		}
		if p.Kind == "end" && p.Message != endMessage {
			t.Errorf("progress end message = %q, want %q", p.Message, endMessage)
		}
	}
	if len(c.ProgressTokens()) != 1 || len(kinds) < 3 || kinds[0] != "begin" || kinds[1] != "report" || kinds[len(kinds)-1] != "end" {
		t.Errorf("progress = %q (tokens %s), want begin, report..., end", kinds, c.ProgressTokens())
	}
}

// fakeGoClient starts a server whose go command is fakeGo in mode; it returns the client and the file
// fakeGo records its run in.
func fakeGoClient(t *testing.T, cfg lsptest.Config, mode string) (*lsptest.Client, string) {
	cfg, runLog := fakeGoClientConfig(t, cfg, mode)
	return lsptest.New(t, cfg), runLog
}

// fakeGoClientConfig is fakeGoClient's configuration, for a test to change
// before it starts the server.
func fakeGoClientConfig(t *testing.T, cfg lsptest.Config, mode string) (lsptest.Config, string) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	runLog := filepath.Join(t.TempDir(), "run.json")
	cfg.Options.GoCommand = exe
	cfg.Options.CommandEnv = append(withoutGoVars(), "GOMODLS_FAKE_GO="+mode, "GOMODLS_FAKE_GO_LOG="+runLog, "GOFLAGS=-mod=mod -trimpath",
		"GORACE=atexit_sleep_ms=0") // a -race binary otherwise sleeps a second before exiting
	return cfg, runLog
}

func readRun(t *testing.T, runLog string) fakeGoRun {
	t.Helper()
	data, err := os.ReadFile(runLog)
	if err != nil {
		t.Fatalf("the go command did not run: %v", err)
	}
	var r fakeGoRun
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// The go command runs in the module's directory, without a shell, with
// GOTOOLCHAIN=local and GOFLAGS without -mod.
func TestVendorInvocation(t *testing.T) {
	c, runLog := fakeGoClient(t, lsptest.Config{Files: staleModule}, "ok")
	c.Initialize(lsptest.AllCapabilities)
	if _, err := c.ExecuteCommand(vendorFix(t, c, "go.mod", "Run go mod vendor")); err != nil {
		t.Fatal(err)
	}
	r := readRun(t, runLog)
	want := fakeGoRun{Args: []string{"mod", "vendor", "-v"}, Dir: c.Root, GOFLAGS: "-trimpath", GOTOOLCHAIN: "local", PID: r.PID}
	if !slices.Equal(r.Args, want.Args) || r.Dir != want.Dir || r.GOFLAGS != want.GOFLAGS || r.GOTOOLCHAIN != want.GOTOOLCHAIN {
		t.Errorf("go ran as %+v, want %+v", r, want)
	}
}

// A failure is reported once: the error the request is answered with, the
// first line saying what failed, then go's last lines and where the rest
// is. No showMessage besides, which clients would show as a second
// notification. Also to a client without work done progress.
func TestVendorFailure(t *testing.T) {
	c, _ := fakeGoClient(t, lsptest.Config{Files: staleModule}, "fail")
	caps := lsptest.AllCapabilities
	caps.WorkDoneProgress = false
	c.Initialize(caps)
	_, err := c.ExecuteCommand(vendorFix(t, c, "go.mod", "Run go mod vendor"))
	var rpcErr *jsonrpc2.Error
	if !errors.As(err, &rpcErr) || rpcErr.Code != -32803 || !strings.Contains(rpcErr.Message, "missing go.sum entry") {
		t.Errorf("executeCommand = %v, want RequestFailed with go's message", err)
	}
	want := "gomodls: go mod vendor failed in " + c.Root + " (exit status 1):\n" +
		"go: example.com/m imports\n\texample.com/dep: missing go.sum entry for module providing package example.com/dep\n" +
		"(go's whole output is in the language server's log)"
	if rpcErr == nil || rpcErr.Message != want {
		t.Errorf("error message:\n%v\nwant:\n%s", err, want)
	}
	if msgs := c.ShowMessages(); len(msgs) != 0 {
		t.Errorf("showMessage = %+v, want none: the error response is the one report", msgs)
	}
	// go's output is logged once: in the client's log, not again in the
	// server's own (which editors show beside it) above debug level.
	const goLine = "go: example.com/m imports"
	n := 0
	for _, m := range c.LogMessages() {
		n += strings.Count(m.Message, goLine)
	}
	if n != 1 {
		t.Errorf("go's line is %d times in the client's log, want once: %+v", n, c.LogMessages())
	}
	for _, e := range c.Logs().All() {
		if e.Level > zapcore.DebugLevel && strings.Contains(fmt.Sprint(e.Message, e.ContextMap()), goLine) {
			t.Errorf("go's output in the server's log at %s: %s %v", e.Level, e.Message, e.ContextMap())
		}
	}
	if len(c.ProgressTokens()) != 0 || len(c.Progress()) != 0 {
		t.Errorf("progress sent to a client without workDoneProgress")
	}
}

// $/cancelRequest kills the go command; the request is answered
// RequestCancelled, and the process is gone by then. The timeout does the
// same, answered as a failure.
func TestVendorCancel(t *testing.T) {
	c, runLog := fakeGoClient(t, lsptest.Config{Files: staleModule}, "hang")
	c.Initialize(lsptest.AllCapabilities)
	cmd := vendorFix(t, c, "go.mod", "Run go mod vendor")
	call := c.Start(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: cmd.Command, Arguments: cmd.Arguments})
	c.Await("the go command's output", func() bool {
		return slices.ContainsFunc(c.Progress(), func(p lsptest.Progress) bool { return p.Kind == "report" })
	})
	c.Cancel(call)
	err := call.Wait(nil)
	var rpcErr *jsonrpc2.Error
	if !errors.As(err, &rpcErr) || rpcErr.Code != protocol.CodeRequestCancelled {
		t.Fatalf("executeCommand = %v, want RequestCancelled (-32800)", err)
	}
	assertGone(t, readRun(t, runLog).PID)
	assertProgress(t, c, "go mod vendor", "cancelled")
	if msgs := c.ShowMessages(); len(msgs) != 0 {
		t.Errorf("showMessage after a cancel: %+v", msgs)
	}

	// The cancel button of the editor's progress does the same.
	c, runLog = fakeGoClient(t, lsptest.Config{Files: staleModule}, "hang")
	c.Initialize(lsptest.AllCapabilities)
	cmd = vendorFix(t, c, "go.mod", "Run go mod vendor")
	call = c.Start(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: cmd.Command, Arguments: cmd.Arguments})
	c.Await("the go command's output", func() bool {
		return slices.ContainsFunc(c.Progress(), func(p lsptest.Progress) bool { return p.Kind == "report" })
	})
	begin := c.Progress()[0]
	if begin.Kind != "begin" || !begin.Cancellable {
		t.Fatalf("progress begins %+v, want a cancellable begin", begin)
	}
	c.Notify("window/workDoneProgress/cancel", map[string]json.RawMessage{"token": begin.Token})
	err = call.Wait(nil)
	if !errors.As(err, &rpcErr) || rpcErr.Code != protocol.CodeRequestCancelled {
		t.Fatalf("executeCommand after the progress was cancelled = %v, want RequestCancelled (-32800)", err)
	}
	assertGone(t, readRun(t, runLog).PID)
	assertProgress(t, c, "go mod vendor", "cancelled")
	if msgs := c.ShowMessages(); len(msgs) != 0 {
		t.Errorf("showMessage after a cancel: %+v", msgs)
	}

	c, runLog = fakeGoClient(t, lsptest.Config{Files: staleModule, Options: lsp.Options{CommandTimeout: 50 * time.Millisecond}}, "hang")
	c.Initialize(lsptest.AllCapabilities)
	_, err = c.ExecuteCommand(vendorFix(t, c, "go.mod", "Run go mod vendor"))
	if !errors.As(err, &rpcErr) || rpcErr.Code != -32803 || !strings.Contains(rpcErr.Message, "timed out after 50ms") {
		t.Fatalf("executeCommand = %v, want RequestFailed: timed out", err)
	}
	if !strings.Contains(rpcErr.Message, "go mod vendor failed in "+c.Root+" (timed out after 50ms") {
		t.Errorf("error = %v, want the timeout", rpcErr)
	}
	if msgs := c.ShowMessages(); len(msgs) != 0 {
		t.Errorf("showMessage = %+v, want none", msgs)
	}
	if exists(runLog) { // it may be killed before it even started
		assertGone(t, readRun(t, runLog).PID)
	}
}

// assertGone checks that the process pid has ended and was reaped.
func assertGone(t *testing.T, pid int) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return // no signal 0 to probe with
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return
	}
	if err := p.Signal(syscall.Signal(0)); err == nil {
		t.Errorf("the go command (pid %d) still runs after the answer", pid)
	}
}

// The command refuses to run while go.mod has unsaved changes; an open
// buffer equal to the disk is fine.
func TestVendorRefusesUnsavedBuffers(t *testing.T) {
	c, runLog := fakeGoClient(t, lsptest.Config{Files: staleModule}, "ok")
	c.Initialize(lsptest.AllCapabilities)
	cmd := vendorFix(t, c, "go.mod", "Run go mod vendor")
	c.Open("go.mod")
	c.Change("go.mod", c.Buffer("go.mod")+"// edited\n")
	_, err := c.ExecuteCommand(cmd)
	var rpcErr *jsonrpc2.Error
	if !errors.As(err, &rpcErr) || !strings.Contains(rpcErr.Message, "save go.mod first") {
		t.Errorf("executeCommand with go.mod unsaved = %v, want a refusal", err)
	}
	if msgs := c.ShowMessages(); len(msgs) != 0 {
		t.Errorf("showMessage = %+v, want none: the error response is the one report", msgs)
	}
	if exists(runLog) {
		t.Error("the go command ran")
	}

	c.Save("go.mod")
	if _, err := c.ExecuteCommand(cmd); err != nil {
		t.Errorf("executeCommand after saving: %v", err)
	}
}

// The command refuses to run where cmd/go would delete vendor/ and then
// fail: a replacement directory inside it.
func TestVendorRefusesReplacementInVendor(t *testing.T) {
	files := strings.Replace(staleModule, "require example.com/dep v1.1.0\n", "require example.com/dep v1.1.0\n\nreplace example.com/dep => ./vendor/example.com/dep\n", 1)
	c, runLog := fakeGoClient(t, lsptest.Config{Files: files}, "ok")
	c.Initialize(lsptest.AllCapabilities)
	_, err := c.ExecuteCommand(vendorFix(t, c, "go.mod", "Run go mod vendor"))
	var rpcErr *jsonrpc2.Error
	if !errors.As(err, &rpcErr) || !strings.Contains(rpcErr.Message, "go.mod:7: ./vendor/example.com/dep") {
		t.Errorf("executeCommand = %v, want a refusal naming go.mod:7", err)
	}
	if exists(runLog) {
		t.Error("the go command ran")
	}
	if !exists(c.Path("vendor/example.com/dep/dep.go")) {
		t.Error("vendor/ was touched")
	}
}

// The command refuses directories outside the workspace folders: the one
// it is given, and the go.work directory it would write vendor/ in.
func TestVendorRefusesOutsideFolders(t *testing.T) {
	c, runLog := fakeGoClient(t, lsptest.Config{Folders: []string{"a"}, Files: `
-- go.work --
go 1.22

use ./a
-- vendor/modules.txt --
## workspace
# example.com/dep v1.0.0
## explicit; go 1.22
example.com/dep
-- a/go.mod --
module example.com/m

go 1.22

require example.com/dep v1.1.0
`}, "ok")
	c.Initialize(lsptest.AllCapabilities)
	// The fix would name the go.work directory, outside the folder: it is
	// not offered, and the command is refused.
	diags := c.AwaitDiagnostics("a/go.mod", lsptest.HasCode(diagnostics.CodeVendorRequireNotExplicit))
	for _, a := range c.CodeActions("a/go.mod", diags[0].Range) {
		if a.Command != nil {
			t.Errorf("code action %q offers %s in %v", a.Title, a.Command.Command, a.Command.Arguments)
		}
	}
	cmd := workCommand(c, diagnostics.CommandVendor, ".", "-v")
	_, err := c.ExecuteCommand(cmd)
	var rpcErr *jsonrpc2.Error
	if !errors.As(err, &rpcErr) || rpcErr.Code != jsonrpc2.InvalidParams || !strings.Contains(rpcErr.Message, c.Root+" is outside the workspace folders") {
		t.Errorf("executeCommand = %v, want InvalidParams", err)
	}

	// A module directory inside the folder still means go work vendor in
	// the go.work directory.
	cmd = workCommand(c, diagnostics.CommandVendor, "a", "-v")
	_, err = c.ExecuteCommand(cmd)
	if !errors.As(err, &rpcErr) || !strings.Contains(rpcErr.Message, "not running go work vendor -v: "+c.Root+" is outside the workspace folders") {
		t.Errorf("executeCommand on a = %v, want a refusal", err)
	}
	if exists(runLog) {
		t.Error("the go command ran")
	}
}
