package lsp_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
	"github.com/gomodls/gomodls/workspace"
)

// workStateCheck reports, on line 1 of every go.work and go.mod, what the
// go work commands change: a go.work's go line and uses, a go.mod's
// requirements. A test awaits the new message to see that the server
// re-read the files the command rewrote (the lsptest client watches
// nothing).
var workStateCheck = diagnostics.Check{
	Name:  "workstate",
	Codes: []string{"work-state"},
	Run: func(snap *workspace.Snapshot) []diagnostics.Diagnostic {
		var diags []diagnostics.Diagnostic
		report := func(f *workspace.File, msg string) {
			diags = append(diags, diagnostics.Diagnostic{Code: "work-state", Severity: diagnostics.SeverityInformation, File: f, Span: f.LineSpan(1), Message: msg})
		}
		for _, w := range snap.Works() {
			if w.Work == nil {
				continue
			}
			msg := "go " + w.Work.Go.Version + "; use"
			for _, u := range w.Work.Use {
				msg += " " + u.Path
			}
			report(w.File, msg)
		}
		for _, m := range snap.Modules() {
			if m.Mod == nil || len(m.Mod.Require) == 0 {
				continue
			}
			msg := "require"
			for _, r := range m.Mod.Require {
				msg += " " + r.Mod.String()
			}
			report(m.File, msg)
		}
		return diags
	},
}

// hasMessage matches a publication holding a diagnostic with message msg.
func hasMessage(msg string) func([]protocol.Diagnostic) bool {
	return func(diags []protocol.Diagnostic) bool {
		return slices.ContainsFunc(diags, func(d protocol.Diagnostic) bool { return d.Message == msg })
	}
}

// workCommand is the command a fix would carry: name, run in dir (relative
// to the root) with args.
func workCommand(c *lsptest.Client, name, dir string, args ...string) *protocol.Command {
	if args == nil {
		args = []string{}
	}
	return &protocol.Command{Title: name, Command: name, Arguments: []any{map[string]any{"dir": c.URI(dir), "args": args}}}
}

// realGoWork is realGo with the workStateCheck as the only check.
func realGoWork(t *testing.T, files string) (*lsptest.Client, string) {
	opts, proxy := realGo(t)
	opts.Checks = []diagnostics.Check{workStateCheck}
	return lsptest.New(t, lsptest.Config{Files: files, Options: opts}), proxy
}

// mustRun executes cmd and fails the test if it fails.
func mustRun(t *testing.T, c *lsptest.Client, cmd *protocol.Command) {
	t.Helper()
	if _, err := c.ExecuteCommand(cmd); err != nil {
		t.Fatalf("%s: %v\nlog: %+v", cmd.Command, err, c.LogMessages())
	}
}

// assertFile compares rel on disk with want, byte for byte.
func assertFile(t *testing.T, c *lsptest.Client, rel, want string) {
	t.Helper()
	if got := c.ReadFile(rel); got != want {
		t.Errorf("%s after the command:\n%s\nwant:\n%s", rel, got, want)
	}
}

// A workspace whose go.work uses a directory that is gone and not the
// modules b (go 1.23) and c/d.
const partialWork = `
-- go.work --
// The modules of the repository.
go 1.22

use (
	./a // the main one
	./gone
)
-- a/go.mod --
module example.com/a

go 1.22
-- b/go.mod --
module example.com/b

go 1.23
-- c/d/go.mod --
module example.com/d

go 1.22
`

// "Add all modules": go work use -r . adds b and c/d, drops the use of the
// missing directory, raises the go line to b's, and keeps the comments.
func TestWorkUseAll(t *testing.T) {
	c, _ := realGoWork(t, partialWork)
	c.Initialize(lsptest.AllCapabilities)
	c.AwaitDiagnostics("go.work", hasMessage("go 1.22; use ./a ./gone"))

	mustRun(t, c, workCommand(c, diagnostics.CommandWorkUse, ".", "-r", "."))
	assertFile(t, c, "go.work", `// The modules of the repository.
go 1.23

use (
	./a // the main one
	./b
	./c/d
)
`)
	c.AwaitDiagnostics("go.work", hasMessage("go 1.23; use ./a ./b ./c/d"))
	assertQuietProgress(t, c, "go work use -r .")
	if msgs := c.ShowMessages(); len(msgs) != 1 || msgs[0].Type != protocol.MessageTypeInfo || !strings.HasSuffix(msgs[0].Message, " done in "+c.Root) {
		t.Errorf("showMessage after a successful run: %+v, want one short message", msgs)
	}
}

// One directory: go work use ./b adds it and nothing else.
func TestWorkUseOne(t *testing.T) {
	c, _ := realGoWork(t, strings.Replace(partialWork, "\t./gone\n", "", 1))
	c.Initialize(lsptest.AllCapabilities)
	mustRun(t, c, workCommand(c, diagnostics.CommandWorkUse, ".", "./b"))
	assertFile(t, c, "go.work", `// The modules of the repository.
go 1.23

use (
	./a // the main one
	./b
)
`)
	c.AwaitDiagnostics("go.work", hasMessage("go 1.23; use ./a ./b"))
}

// go work sync raises a's requirement to the version the workspace selects
// (b's) and records the sums go needs; go.work is left as it was.
func TestWorkSync(t *testing.T) {
	const work = `go 1.22

use (
	./a
	./b
)
`
	c, proxy := realGoWork(t, `
-- go.work --
`+work+`
-- a/go.mod --
module example.com/a

go 1.22

require example.com/dep v1.0.0
-- a/a.go --
package a

import _ "example.com/dep"
-- b/go.mod --
module example.com/b

go 1.22

require example.com/dep v1.1.0
-- b/b.go --
package b

import _ "example.com/dep"
`)
	c.Initialize(lsptest.AllCapabilities)
	c.AwaitDiagnostics("a/go.mod", hasMessage("require example.com/dep@v1.0.0"))

	mustRun(t, c, workCommand(c, diagnostics.CommandWorkSync, "."))
	assertFile(t, c, "a/go.mod", `module example.com/a

go 1.22

require example.com/dep v1.1.0
`)
	// Only the zip's hash: the go.mod hash goes to go.work.sum.
	zipSum, _, _ := strings.Cut(goSum(t, proxy, "example.com/dep", "v1.1.0"), "\n")
	assertFile(t, c, "a/go.sum", zipSum+"\n")
	assertFile(t, c, "b/go.mod", `module example.com/b

go 1.22

require example.com/dep v1.1.0
`)
	assertFile(t, c, "go.work", work)
	c.AwaitDiagnostics("a/go.mod", hasMessage("require example.com/dep@v1.1.0"))
	assertProgress(t, c, "go work sync", "done")
}

// go work init in a folder without a go.work creates one using the
// directories given, with the go line of the go command that runs.
func TestWorkInit(t *testing.T) {
	c, _ := realGoWork(t, `
-- a/go.mod --
module example.com/a

go 1.22
-- b/go.mod --
module example.com/b

go 1.23
`)
	c.Initialize(lsptest.AllCapabilities)
	mustRun(t, c, workCommand(c, diagnostics.CommandWorkInit, ".", "./a", "b"))
	gover := localGoVersion(t)
	assertFile(t, c, "go.work", "go "+gover+"\n\nuse (\n\t./a\n\t./b\n)\n")
	c.AwaitDiagnostics("go.work", hasMessage("go "+gover+"; use ./a ./b"))
	assertQuietProgress(t, c, "go work init ./a b")
}

// assertQuietProgress checks the progress of a command that prints
// nothing when it succeeds: begin, then end with "done".
func assertQuietProgress(t *testing.T, c *lsptest.Client, title string) {
	t.Helper()
	var got []string
	for _, p := range c.Progress() {
		if p.Kind == "begin" {
			got = append(got, "begin "+p.Title)
		} else {
			got = append(got, p.Kind+" "+p.Message)
		}
	}
	if want := []string{"begin " + title, "end done"}; !slices.Equal(got, want) {
		t.Errorf("progress = %q, want %q", got, want)
	}
}

// localGoVersion is the version of the go command in PATH without the
// "go" prefix: the go line go work init writes.
func localGoVersion(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("go", "env", "GOVERSION")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	v := strings.TrimPrefix(strings.TrimSpace(string(out)), "go")
	if i := strings.IndexAny(v, " -"); i >= 0 { // go1.27-devel_abc, go1.26.8 X:nodwarf5
		v = v[:i]
	}
	return v
}

// A failure of the go command is answered with go's message, and go.work
// is left as it was. go work use of one directory fails while another use
// names a directory that is gone (only -r drops such uses); go reports
// every error it finds.
func TestWorkUseFailure(t *testing.T) {
	c, _ := realGoWork(t, partialWork)
	c.Initialize(lsptest.AllCapabilities)
	before := c.ReadFile("go.work")
	for _, tt := range []struct{ arg, want string }{
		{"./b", "go: open " + c.Path("gone/go.mod") + ": no such file or directory"},
		{"./nonexistent", "go: directory nonexistent does not exist\ngo: open " + c.Path("gone/go.mod") + ": no such file or directory"},
	} {
		_, err := c.ExecuteCommand(workCommand(c, diagnostics.CommandWorkUse, ".", tt.arg))
		var rpcErr *jsonrpc2.Error
		if !errors.As(err, &rpcErr) || !strings.HasSuffix(rpcErr.Message, "\n"+tt.want+"\n(go's whole output is in the language server's log)") {
			t.Errorf("go work use %s: %v, want go's error %q", tt.arg, err, tt.want)
		}
		assertFile(t, c, "go.work", before)
	}
	if msgs := c.ShowMessages(); len(msgs) != 0 {
		t.Errorf("showMessage = %+v, want none: the error responses are the reports", msgs)
	}
}

// Each command runs the go command it names in the go.work directory, with
// GOWORK naming that go.work whatever the environment says (go work use: a
// private copy of it in the same directory, private_copy.go), GOTOOLCHAIN
// local, and go's output in the client's log.
func TestWorkInvocations(t *testing.T) {
	tests := []struct {
		name     string
		files    string
		args     []string
		wantArgs []string
	}{
		{diagnostics.CommandWorkUse, partialWork, []string{"./b", "-r", "c"}, []string{"work", "use", "-r", "./b", "c"}},
		{diagnostics.CommandWorkUse, partialWork, nil, []string{"work", "use"}},
		{diagnostics.CommandWorkSync, partialWork, nil, []string{"work", "sync"}},
		{diagnostics.CommandWorkInit, "-- a/go.mod --\nmodule example.com/a\n", []string{"./a", "."}, []string{"work", "init", "./a", "."}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s%q", strings.TrimPrefix(tt.name, "gomodls."), tt.args), func(t *testing.T) {
			c, runLog := fakeGoClient(t, lsptest.Config{Files: tt.files}, "ok")
			c.Initialize(lsptest.AllCapabilities)
			mustRun(t, c, workCommand(c, tt.name, ".", tt.args...))
			r := readRun(t, runLog)
			gowork := r.GOWORK
			if tt.name == diagnostics.CommandWorkUse {
				if filepath.Dir(gowork) == c.Root && strings.HasPrefix(filepath.Base(gowork), ".gomodls-") && strings.HasSuffix(gowork, ".go.work") {
					gowork = filepath.Join(c.Root, "go.work")
				}
				if exists(r.GOWORK) {
					t.Errorf("the private copy %s is left behind", r.GOWORK)
				}
			}
			if !slices.Equal(r.Args, tt.wantArgs) || r.Dir != c.Root || gowork != filepath.Join(c.Root, "go.work") || r.GOTOOLCHAIN != "local" {
				t.Errorf("go ran as %+v, want go %q in %s with GOWORK=%s/go.work", r, tt.wantArgs, c.Root, c.Root)
			}
			if !slices.ContainsFunc(c.LogMessages(), func(m protocol.LogMessageParams) bool { return m.Message == "# example.com/dep v1.1.0" }) {
				t.Errorf("go's output not in the client's log: %+v", c.LogMessages())
			}
		})
	}
}

// GOWORK=off in the environment does not stop the commands from acting on
// the go.work they name.
func TestWorkCommandsOverrideGOWORK(t *testing.T) {
	c, runLog := fakeGoClient(t, lsptest.Config{Files: partialWork, Options: lsp.Options{Env: &workspace.Env{GOWORK: "off"}}}, "ok")
	c.Initialize(lsptest.AllCapabilities)
	mustRun(t, c, workCommand(c, diagnostics.CommandWorkSync, "."))
	if r := readRun(t, runLog); r.GOWORK != c.Path("go.work") {
		t.Errorf("GOWORK = %q, want %s", r.GOWORK, c.Path("go.work"))
	}
}

// Arguments other than the allowed ones are rejected as invalid params,
// before anything runs.
func TestWorkCommandsRejectArguments(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{diagnostics.CommandWorkUse, []string{"-x"}, `argument "-x" not allowed`},
		{diagnostics.CommandWorkUse, []string{"-r=false"}, `argument "-r=false" not allowed`},
		{diagnostics.CommandWorkUse, []string{"../other"}, `directory "../other" not allowed`},
		{diagnostics.CommandWorkUse, []string{"a/../../other"}, `directory "a/../../other" not allowed`},
		{diagnostics.CommandWorkUse, []string{"/abs"}, `directory "/abs" not allowed`},
		{diagnostics.CommandWorkUse, []string{""}, `directory "" not allowed`},
		{diagnostics.CommandWorkSync, []string{"."}, `argument "." not allowed`},
		{diagnostics.CommandWorkInit, []string{"-r"}, `argument "-r" not allowed`},
		{diagnostics.CommandWorkInit, []string{".."}, `directory ".." not allowed`},
	}
	c, runLog := fakeGoClient(t, lsptest.Config{Files: partialWork}, "ok")
	c.Initialize(lsptest.AllCapabilities)
	for _, tt := range tests {
		_, err := c.ExecuteCommand(workCommand(c, tt.name, ".", tt.args...))
		var rpcErr *jsonrpc2.Error
		if !errors.As(err, &rpcErr) || rpcErr.Code != jsonrpc2.InvalidParams || !strings.Contains(rpcErr.Message, tt.want) {
			t.Errorf("%s %q: %v, want InvalidParams %q", tt.name, tt.args, err, tt.want)
		}
	}
	if exists(runLog) {
		t.Error("the go command ran")
	}
}

// The commands refuse to run, and say why, when the go.work or a module
// go reads has unsaved changes, when there is no go.work to work on (or
// already one to create), and when go work sync would rewrite a module
// outside the workspace folders.
func TestWorkCommandsRefuse(t *testing.T) {
	tests := []struct {
		name     string
		files    string
		folders  []string // nil: the root
		unsaved  string   // a file to change in the editor without saving
		cmd, dir string
		args     []string
		want     string
	}{
		{name: "use: go.work unsaved", files: partialWork, unsaved: "go.work",
			cmd: diagnostics.CommandWorkUse, dir: ".", args: []string{"-r", "."}, want: "not running go work use -r .: save go.work first"},
		{name: "use: a used module unsaved", files: partialWork, unsaved: "a/go.mod",
			cmd: diagnostics.CommandWorkUse, dir: ".", args: []string{"./b"}, want: "not running go work use ./b: save a/go.mod first"},
		{name: "use: a module to add unsaved", files: partialWork, unsaved: "c/d/go.mod",
			cmd: diagnostics.CommandWorkUse, dir: ".", args: []string{"-r", "c"}, want: "save c/d/go.mod first"},
		{name: "use: no go.work", files: partialWork,
			cmd: diagnostics.CommandWorkUse, dir: "a", args: []string{"."}, want: "not running go work use .: no go.work in "},
		{name: "sync: a used go.mod unsaved", files: partialWork, unsaved: "a/go.mod",
			cmd: diagnostics.CommandWorkSync, dir: ".", want: "not running go work sync: save a/go.mod first"},
		{name: "sync: no go.work", files: partialWork,
			cmd: diagnostics.CommandWorkSync, dir: "b", want: "not running go work sync: no go.work in "},
		{name: "sync: a module outside the folders", folders: []string{"w"}, files: `
-- w/go.work --
go 1.22

use (
	.
	../m
)
-- w/go.mod --
module example.com/w
-- m/go.mod --
module example.com/m
`, cmd: diagnostics.CommandWorkSync, dir: "w", want: "not running go work sync: $ROOT/m is outside the workspace folders"},
		{name: "init: go.work exists", files: partialWork,
			cmd: diagnostics.CommandWorkInit, dir: ".", args: []string{"./b"}, want: "not running go work init: " + "$ROOT/go.work already exists"},
		{name: "init: a module to use unsaved", files: "-- a/go.mod --\nmodule example.com/a\n", unsaved: "a/go.mod",
			cmd: diagnostics.CommandWorkInit, dir: ".", args: []string{"./a"}, want: "not running go work init ./a: save a/go.mod first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, runLog := fakeGoClient(t, lsptest.Config{Files: tt.files, Folders: tt.folders}, "ok")
			c.Initialize(lsptest.AllCapabilities)
			if tt.unsaved != "" {
				c.Open(tt.unsaved)
				c.Change(tt.unsaved, c.Buffer(tt.unsaved)+"// edited\n")
			}
			_, err := c.ExecuteCommand(workCommand(c, tt.cmd, tt.dir, tt.args...))
			want := strings.ReplaceAll(tt.want, "$ROOT", c.Root)
			var rpcErr *jsonrpc2.Error
			if !errors.As(err, &rpcErr) || !strings.Contains(rpcErr.Message, want) {
				t.Errorf("executeCommand = %v, want a refusal %q", err, want)
			}
			if msgs := c.ShowMessages(); len(msgs) != 0 {
				t.Errorf("showMessage = %+v, want none: the error response is the one report", msgs)
			}
			if exists(runLog) {
				t.Error("the go command ran")
			}
		})
	}
}

// $/cancelRequest stops go work sync; the request is answered
// RequestCancelled.
func TestWorkSyncCancel(t *testing.T) {
	c, runLog := fakeGoClient(t, lsptest.Config{Files: partialWork}, "hang")
	c.Initialize(lsptest.AllCapabilities)
	cmd := workCommand(c, diagnostics.CommandWorkSync, ".")
	call := c.Start(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: cmd.Command, Arguments: cmd.Arguments})
	c.Await("the go command's output", func() bool {
		return slices.ContainsFunc(c.Progress(), func(p lsptest.Progress) bool { return p.Kind == "report" })
	})
	c.Cancel(call)
	var rpcErr *jsonrpc2.Error
	if err := call.Wait(nil); !errors.As(err, &rpcErr) || rpcErr.Code != protocol.CodeRequestCancelled {
		t.Fatalf("executeCommand = %v, want RequestCancelled (-32800)", err)
	}
	assertGone(t, readRun(t, runLog).PID)
	assertProgress(t, c, "go work sync", "cancelled")
}
