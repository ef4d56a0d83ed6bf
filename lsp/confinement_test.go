package lsp_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

// escapeFiles is a workspace folder ws whose go.work uses ./link, a link
// to ../outside (made by symlinks), beside the real module a; ws/sub holds
// another link to outside, for go work init.
const escapeFiles = `
-- ws/go.work --
go 1.22

use (
	./a
	./link
)
-- ws/a/go.mod --
module example.com/a

go 1.22
-- ws/sub/readme --
-- outside/go.mod --
module example.com/outside

go 1.22

require example.com/dep v1.1.0
require example.com/dep v1.1.0
`

// symlinks makes each link (relative to the root) point at its target, as
// written, before the server is initialized.
func symlinks(t *testing.T, c *lsptest.Client, linkTarget ...string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	for i := 0; i+1 < len(linkTarget); i += 2 {
		link := c.Path(linkTarget[i])
		if err := os.MkdirAll(filepath.Dir(link), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.FromSlash(linkTarget[i+1]), link); err != nil {
			t.Fatal(err)
		}
	}
}

// escapeClient starts a fake-go server on escapeFiles with the folder ws.
func escapeClient(t *testing.T) (*lsptest.Client, string) {
	c, runLog := fakeGoClient(t, lsptest.Config{Files: escapeFiles, Folders: []string{"ws"}}, "ok")
	symlinks(t, c, "ws/link", "../outside", "ws/sub/link", "../../outside")
	c.Initialize(lsptest.AllCapabilities)
	return c, runLog
}

// Every command refuses to run in, or to write through, a directory that
// is in the folder as text but resolves outside it — the escape of issue
// 10 (go mod tidy rewrote outside/go.mod). The refusal names the resolved
// path. On the code that compared paths as text, each of these ran go.
func TestCommandsRefuseSymlinkedEscape(t *testing.T) {
	tests := []struct {
		name, cmd, dir string
		args           []string
		want           string // $ROOT is the root
	}{
		{name: "tidy", cmd: diagnostics.CommandTidy, dir: "ws/link",
			want: "command directory $ROOT/ws/link resolves to $ROOT/outside, outside the workspace folders"},
		{name: "download", cmd: diagnostics.CommandDownload, dir: "ws/link", args: []string{"example.com/dep"},
			want: "command directory $ROOT/ws/link resolves to $ROOT/outside, outside the workspace folders"},
		{name: "vendor", cmd: diagnostics.CommandVendor, dir: "ws/link", args: []string{"-v"},
			want: "command directory $ROOT/ws/link resolves to $ROOT/outside, outside the workspace folders"},
		{name: "init in a linked directory", cmd: diagnostics.CommandWorkInit, dir: "ws/link",
			want: "command directory $ROOT/ws/link resolves to $ROOT/outside, outside the workspace folders"},
		{name: "init using a linked directory", cmd: diagnostics.CommandWorkInit, dir: "ws/sub", args: []string{"./link"},
			want: "not running go work init ./link: $ROOT/ws/sub/link resolves to $ROOT/outside, outside the workspace folders"},
		{name: "use of a linked directory", cmd: diagnostics.CommandWorkUse, dir: "ws", args: []string{"./link"},
			want: "not running go work use ./link: $ROOT/ws/link resolves to $ROOT/outside, outside the workspace folders"},
		{name: "sync rewriting a linked module", cmd: diagnostics.CommandWorkSync, dir: "ws",
			want: "not running go work sync: $ROOT/ws/link resolves to $ROOT/outside, outside the workspace folders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, runLog := escapeClient(t)
			before := c.ReadFile("outside/go.mod")
			_, err := c.ExecuteCommand(workCommand(c, tt.cmd, tt.dir, tt.args...))
			want := strings.ReplaceAll(tt.want, "$ROOT", c.Root)
			var rpcErr *jsonrpc2.Error
			if !errors.As(err, &rpcErr) || !strings.Contains(rpcErr.Message, want) {
				t.Errorf("executeCommand = %v, want a refusal %q", err, want)
			}
			if exists(runLog) {
				t.Errorf("the go command ran: %+v", readRun(t, runLog))
			}
			if got := c.ReadFile("outside/go.mod"); got != before {
				t.Errorf("outside/go.mod was rewritten:\n%s", got)
			}
		})
	}
}

// The escape with the real go command: go mod tidy would drop the
// duplicate require of outside/go.mod; the file stays as it was.
func TestTidyRefusesSymlinkedEscapeRealGo(t *testing.T) {
	opts, _ := realGo(t)
	c := lsptest.New(t, lsptest.Config{Files: escapeFiles, Folders: []string{"ws"}, Options: opts})
	symlinks(t, c, "ws/link", "../outside")
	c.Initialize(lsptest.AllCapabilities)
	before := c.ReadFile("outside/go.mod")
	if _, err := c.ExecuteCommand(workCommand(c, diagnostics.CommandTidy, "ws/link")); err == nil {
		t.Error("go mod tidy ran in ws/link")
	}
	if got := c.ReadFile("outside/go.mod"); got != before {
		t.Errorf("outside/go.mod was rewritten:\n%s", got)
	}
}

// A go.mod opened through the link has diagnostics like any other, but no
// fix that runs a command there: it would be refused. The same file in a
// real directory of the folder offers go mod tidy.
func TestCodeActionsOmitSymlinkedEscape(t *testing.T) {
	dirty := "module example.com/outside\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\nrequire example.com/dep v1.1.0\n"
	c, _ := fakeGoClient(t, lsptest.Config{Folders: []string{"ws"}, Files: "-- ws/real/go.mod --\n" + dirty + "-- outside/go.mod --\n" + dirty}, "ok")
	symlinks(t, c, "ws/link", "../outside")
	c.Initialize(lsptest.AllCapabilities)
	commandsOn := func(rel string) []string {
		c.Open(rel)
		diags := c.AwaitDiagnostics(rel, lsptest.HasCode(diagnostics.CodeGoModDirty))
		var names []string
		for _, d := range diags {
			for _, a := range c.CodeActions(rel, d.Range) {
				if a.Command != nil {
					names = append(names, a.Command.Command)
				}
			}
		}
		return names
	}
	if got := commandsOn("ws/real/go.mod"); len(got) == 0 {
		t.Fatalf("no command fix on ws/real/go.mod: the test shows nothing")
	}
	if got := commandsOn("ws/link/go.mod"); len(got) != 0 {
		t.Errorf("code actions on ws/link/go.mod (→ outside) offer %q", got)
	}
}

// go mod vendor removes vendor/ before writing it; a replacement ./rep
// that is a link into vendor/ would be deleted with it (cmd/go only sees
// the path as written). The refusal names the replace line.
func TestVendorRefusesReplacementLinkedIntoVendor(t *testing.T) {
	files := strings.Replace(staleModule, "require example.com/dep v1.1.0\n", "require example.com/dep v1.1.0\n\nreplace example.com/dep => ./rep\n", 1)
	c, runLog := fakeGoClient(t, lsptest.Config{Files: files}, "ok")
	symlinks(t, c, "rep", "vendor/example.com/dep")
	c.Initialize(lsptest.AllCapabilities)
	_, err := c.ExecuteCommand(workCommand(c, diagnostics.CommandVendor, ".", "-v"))
	var rpcErr *jsonrpc2.Error
	if !errors.As(err, &rpcErr) || !strings.Contains(rpcErr.Message, "go.mod:7: ./rep") {
		t.Errorf("executeCommand = %v, want a refusal naming go.mod:7", err)
	}
	if exists(runLog) {
		t.Error("the go command ran")
	}
}

// Reading through a link is not writing through it: a replacement
// directory linked outside the folder does not stop go mod tidy in the
// module that names it (go reads the replacement, it rewrites only the
// module's own go.mod and go.sum).
func TestTidyAllowsReplacementLinkedOutside(t *testing.T) {
	c, runLog := fakeGoClient(t, lsptest.Config{Folders: []string{"ws"}, Files: `
-- ws/go.mod --
module example.com/m

go 1.22

require example.com/dep v1.1.0

replace example.com/dep => ./rep
-- outside/dep/go.mod --
module example.com/dep

go 1.22
`}, "ok")
	symlinks(t, c, "ws/rep", "../outside/dep")
	c.Initialize(lsptest.AllCapabilities)
	mustRun(t, c, workCommand(c, diagnostics.CommandTidy, "ws"))
	if r := readRun(t, runLog); len(r.Args) != 3 || r.Args[0] != "mod" || r.Args[1] != "tidy" || !strings.HasPrefix(r.Args[2], "-modfile=") {
		t.Errorf("go ran with %q", r.Args)
	}
	// … but go work sync, which would rewrite a used module's go.mod, is
	// refused when the use directory is such a link.
	c.WriteFile("ws/go.work", "go 1.22\n\nuse (\n\t.\n\t./rep\n)\n")
	c.DidChangeWatchedFiles(protocol.FileChangeTypeCreated, "ws/go.work")
	_, err := c.ExecuteCommand(workCommand(c, diagnostics.CommandWorkSync, "ws"))
	want := c.Path("ws/rep") + " resolves to " + c.Path("outside/dep") + ", outside the workspace folders"
	var rpcErr *jsonrpc2.Error
	if !errors.As(err, &rpcErr) || !strings.Contains(rpcErr.Message, want) {
		t.Errorf("go work sync = %v, want a refusal %q", err, want)
	}
}

// A workspace folder opened through a link is still that folder: commands
// run in it (Confined resolves the folders too).
func TestCommandsRunInFolderOpenedThroughLink(t *testing.T) {
	c, runLog := fakeGoClient(t, lsptest.Config{Folders: []string{"wslink"}, Files: `
-- ws/go.work --
go 1.22

use ./a
-- ws/a/go.mod --
module example.com/a

go 1.22
`}, "ok")
	symlinks(t, c, "wslink", "ws")
	c.Initialize(lsptest.AllCapabilities)
	for _, cmd := range []*protocol.Command{
		workCommand(c, diagnostics.CommandTidy, "wslink/a"),
		workCommand(c, diagnostics.CommandWorkSync, "wslink"),
		workCommand(c, diagnostics.CommandVendor, "wslink/a", "-v"),
	} {
		_ = os.Remove(runLog)
		mustRun(t, c, cmd)
		readRun(t, runLog)
	}
}
