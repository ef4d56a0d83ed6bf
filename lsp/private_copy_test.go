package lsp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

// assertEditedInEditor checks that a command changed rel's open buffer to
// want, through an edit the server had the editor apply, leaving the disk
// as before (the user saves), and said so.
func assertEditedInEditor(t *testing.T, c *lsptest.Client, rel, disk, want string) {
	t.Helper()
	if got := c.Buffer(rel); got != want {
		t.Errorf("%s's buffer after the command:\n%s\nwant:\n%s", rel, got, want)
	}
	assertFile(t, c, rel, disk)
	msgs := c.ShowMessages()
	if len(msgs) != 1 || !strings.HasSuffix(msgs[0].Message, "edited in the editor: save it") && !strings.HasSuffix(msgs[0].Message, "edited in the editor: save them") {
		t.Errorf("showMessage = %+v, want the success, saying the buffer was edited", msgs)
	}
}

// noPrivateCopies fails if a command left a copy of a go.work behind.
func noPrivateCopies(t *testing.T, dir string) {
	t.Helper()
	left, _ := filepath.Glob(filepath.Join(dir, ".gomodls-*"))
	if len(left) > 0 {
		t.Errorf("private copies left behind: %q", left)
	}
}

// go work use with go.work open in the editor: go writes a private copy,
// and its result reaches the buffer as a versioned edit (undo works, the
// diagnostics follow the buffer), not the disk behind the editor's back.
// Closed, the file is written on disk as before.
func TestWorkUseEditsOpenBuffer(t *testing.T) {
	c, _ := realGoWork(t, partialWork)
	c.Initialize(lsptest.AllCapabilities)
	c.Open("go.work")
	before := c.Buffer("go.work")
	mustRun(t, c, workCommand(c, diagnostics.CommandWorkUse, ".", "-r", "."))
	assertEditedInEditor(t, c, "go.work", before, `// The modules of the repository.
go 1.23

use (
	./a // the main one
	./b
	./c/d
)
`)
	c.AwaitDiagnostics("go.work", hasMessage("go 1.23; use ./a ./b ./c/d"))
	noPrivateCopies(t, c.Root)
}

// go work sync rewrites every module's go.mod in place (no flag redirects
// them): an open one is put back and edited in the editor instead; one
// that is not open stays rewritten on disk. c raises dep for the
// workspace, so sync raises a's and b's requirement.
func TestWorkSyncEditsOpenBuffer(t *testing.T) {
	c, _ := realGoWork(t, `
-- go.work --
go 1.22

use (
	./a
	./b
	./c
)
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

require example.com/dep v1.0.0
-- b/b.go --
package b

import _ "example.com/dep"
-- c/go.mod --
module example.com/c

go 1.22

require example.com/dep v1.1.0
-- c/c.go --
package c

import _ "example.com/dep"
`)
	c.Initialize(lsptest.AllCapabilities)
	c.Open("a/go.mod")
	before := c.Buffer("a/go.mod")
	mustRun(t, c, workCommand(c, diagnostics.CommandWorkSync, "."))
	synced := strings.Replace(before, "v1.0.0", "v1.1.0", 1)
	assertEditedInEditor(t, c, "a/go.mod", before, synced)
	if got := c.ReadFile("b/go.mod"); !strings.Contains(got, "example.com/dep v1.1.0") {
		t.Errorf("b/go.mod, not open, after go work sync:\n%s", got)
	}
	c.AwaitDiagnostics("a/go.mod", hasMessage("require example.com/dep@v1.1.0"))
}

// go mod tidy with go.mod open: -modfile points go at a private copy; the
// buffer gets go's go.mod as an edit and go.sum goes to disk.
func TestTidyEditsOpenBuffer(t *testing.T) {
	opts, proxy := realGo(t)
	c := lsptest.New(t, lsptest.Config{Files: `
-- go.mod --
module example.com/m

go 1.22

require example.com/dep v1.1.0
-- main.go --
package main

func main() {}
`, Options: opts})
	c.Initialize(lsptest.AllCapabilities)
	c.Open("go.mod")
	before := c.Buffer("go.mod")
	mustRun(t, c, workCommand(c, diagnostics.CommandTidy, "."))
	assertEditedInEditor(t, c, "go.mod", before, "module example.com/m\n\ngo 1.22\n")
	if _, err := os.Stat(c.Path("go.sum")); err == nil {
		t.Errorf("go.sum written for a module with no requirements:\n%s", c.ReadFile("go.sum"))
	}

	// A dependency to keep: go.sum is written on disk, go.mod's buffer
	// is left as it is (nothing to change).
	c.Change("go.mod", before)
	c.Save("go.mod")
	c.WriteFile("main.go", "package main\n\nimport \"example.com/dep\"\n\nfunc main() { println(dep.Version) }\n")
	c.DidChangeWatchedFiles(protocol.FileChangeTypeChanged, "main.go")
	mustRun(t, c, workCommand(c, diagnostics.CommandTidy, "."))
	if got := c.Buffer("go.mod"); got != before {
		t.Errorf("go.mod's buffer after a tidy that changes nothing:\n%s", got)
	}
	if got, want := c.ReadFile("go.sum"), goSum(t, proxy, "example.com/dep", "v1.1.0"); got != want {
		t.Errorf("go.sum:\n%s\nwant:\n%s", got, want)
	}
}
