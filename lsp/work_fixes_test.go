package lsp_test

import (
	"encoding/json"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/codeactions"
	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

// workspaceFiles is a go.work with a missing directory, a directory used
// twice and a go line below module a's, and module c under it, not used.
const workspaceFiles = `
-- go.work --
go 1.21

use (
	./a
	./a
	./missing
)
-- a/go.mod --
module example.com/a

go 1.22
-- c/go.mod --
module example.com/c

go 1.21
`

// action returns the action titled title among those offered at rng of rel
// for the kinds only, failing the test if there is none.
func action(t *testing.T, c *lsptest.Client, rel string, rng protocol.Range, title string, only ...protocol.CodeActionKind) protocol.CodeAction {
	t.Helper()
	actions := c.CodeActions(rel, rng, only...)
	var titles []string
	for _, a := range actions {
		if a.Title == title {
			return a
		}
		titles = append(titles, string(a.Kind)+" "+a.Title)
	}
	t.Fatalf("no action %q at %v of %s, only: %s", title, rng.Start, rel, strings.Join(titles, "; "))
	return protocol.CodeAction{}
}

func newWorkspaceClient(t *testing.T) *lsptest.Client {
	c := lsptest.New(t, lsptest.Config{Files: workspaceFiles})
	c.Initialize(lsptest.AllCapabilities)
	return c
}

// Each text fix of a go.work check, applied as a quick fix from its
// diagnostic, leaves the file exactly as the go command would.
func TestWorkQuickFixes(t *testing.T) {
	for _, tc := range []struct {
		name, code, title string
		line              uint32 // of the diagnostic in go.work
		want              string
	}{
		{
			name: "remove a use of a missing directory", code: diagnostics.CodeGoWorkUseMissingDir,
			title: "Remove use of ./missing", line: 5,
			want: "go 1.21\n\nuse (\n\t./a\n\t./a\n)\n",
		},
		{
			name: "remove the second of two identical uses", code: diagnostics.CodeGoWorkUseDuplicatePath,
			title: "Remove duplicate use of ./a", line: 4,
			want: "go 1.21\n\nuse (\n\t./a\n\t./missing\n)\n",
		},
		{
			name: "raise the go line", code: diagnostics.CodeWorkGoTooOldForModule,
			title: "Raise go.work go line to 1.22", line: 0,
			want: "go 1.22\n\nuse (\n\t./a\n\t./a\n\t./missing\n)\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newWorkspaceClient(t)
			c.Open("go.work")
			c.AwaitDiagnostics("go.work", lsptest.HasCode(tc.code))
			a := action(t, c, "go.work", at(tc.line, 2), tc.title, protocol.QuickFix)
			if a.Kind != protocol.QuickFix || len(a.Diagnostics) != 1 || a.Diagnostics[0].Code != tc.code {
				t.Errorf("action = %+v, want a quick fix of %s", a, tc.code)
			}
			c.ApplyEdit(a.Edit)
			if got := c.Buffer("go.work"); got != tc.want {
				t.Errorf("go.work:\n%s\nwant:\n%s", got, tc.want)
			}
			c.AwaitDiagnostics("go.work", func(diags []protocol.Diagnostic) bool { return !lsptest.HasCode(tc.code)(diags) })
		})
	}
}

// The fix of a module's gowork-module-not-used diagnostic edits go.work, on
// disk when go.work is not open.
func TestAddModuleToGoWork(t *testing.T) {
	c := newWorkspaceClient(t)
	c.Open("c/go.mod")
	c.AwaitDiagnostics("c/go.mod", lsptest.HasCode(diagnostics.CodeGoWorkModuleNotUsed))
	a := action(t, c, "c/go.mod", at(0, 3), "Add ./c to go.work")
	c.ApplyEdit(a.Edit)
	want := "go 1.22\n\nuse (\n\t./a\n\t./a\n\t./missing\n\t./c\n)\n" // go work use ./c raises the go line too
	if got := c.ReadFile("go.work"); got != want {
		t.Errorf("go.work:\n%s\nwant:\n%s", got, want)
	}
}

// Fix-all in go.work removes the missing directory and the exact duplicate,
// in one edit: nothing builds differently. Adding the unused module (and
// raising the go line) changes what builds: those stay quick fixes, for the
// user to choose.
func TestWorkFixAll(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: strings.Replace(workspaceFiles, "go 1.21\n\nuse", "go 1.22\n\nuse", 1)})
	c.Initialize(lsptest.AllCapabilities)
	c.Open("go.work")
	c.AwaitDiagnostics("go.work", func(diags []protocol.Diagnostic) bool {
		return lsptest.HasCode(diagnostics.CodeGoWorkUseMissingDir)(diags) && lsptest.HasCode(diagnostics.CodeGoWorkUseDuplicatePath)(diags)
	})
	actions := c.CodeActions("go.work", at(0, 0), "source.fixAll")
	if len(actions) != 1 || actions[0].Kind != protocol.CodeActionKind(diagnostics.KindFixAll) {
		t.Fatalf("actions = %+v, want one fix-all", actions)
	}
	if n := len(actions[0].Diagnostics); n != 2 {
		t.Errorf("fix-all resolves %d diagnostics of go.work, want 2 (missing, duplicate)", n)
	}
	c.ApplyEdit(actions[0].Edit)
	want := "go 1.22\n\nuse (\n\t./a\n)\n"
	if got := c.Buffer("go.work"); got != want {
		t.Errorf("go.work:\n%s\nwant:\n%s", got, want)
	}
	c.AwaitDiagnostics("go.work", func(diags []protocol.Diagnostic) bool {
		return len(diags) == 1 && lsptest.HasCode(diagnostics.CodeGoWorkModuleNotUsed)(diags)
	})
}

// In a go.work, the text fixes are source actions too, offered wherever the
// cursor is: here on the blank line 2, touching no diagnostic.
func TestWorkSourceActions(t *testing.T) {
	c := newWorkspaceClient(t)
	c.Open("go.work")
	c.AwaitDiagnostics("go.work", lsptest.HasCode(diagnostics.CodeWorkGoTooOldForModule))
	if actions := c.CodeActions("go.work", at(1, 0)); len(actions) != 0 {
		t.Errorf("on a blank line without asking for source actions: %+v", actions)
	}
	kind := protocol.CodeActionKind(codeactions.KindSourceWorkspace)
	var titles []string
	for _, a := range c.CodeActions("go.work", at(1, 0), protocol.Source) {
		if a.Kind == kind {
			titles = append(titles, a.Title)
		}
	}
	// Adding c raises the go line too (to a's 1.22), as go work use does: it edits line 1 first.
	want := "Add ./c to go.work; Raise go.work go line to 1.22; Remove duplicate use of ./a; Remove use of ./missing"
	if got := strings.Join(titles, "; "); got != want {
		t.Errorf("source actions: %s\nwant: %s", got, want)
	}
	a := action(t, c, "go.work", at(1, 0), "Add ./c to go.work", kind)
	c.ApplyEdit(a.Edit)
	if got, want := c.Buffer("go.work"), "go 1.22\n\nuse (\n\t./a\n\t./a\n\t./missing\n\t./c\n)\n"; got != want {
		t.Errorf("go.work:\n%s\nwant:\n%s", got, want)
	}
}

func TestSourceWorkspaceKindIsAdvertised(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: workspaceFiles})
	result := c.Initialize(lsptest.AllCapabilities)
	data, err := json.Marshal(result.Capabilities.CodeActionProvider)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"`+string(codeactions.KindSourceWorkspace)+`"`) {
		t.Errorf("codeActionProvider = %s, want %s among its kinds", data, codeactions.KindSourceWorkspace)
	}
}

// The command fixes carry arguments the server's commands accept, and the
// diagnostics they answer go once go has run: "Add all modules" on the
// go.work hint runs go work use -r ., "Create go.work" on a replace line
// runs go work init.
func TestWorkCommandFixes(t *testing.T) {
	opts, _ := realGo(t)
	c := lsptest.New(t, lsptest.Config{Options: opts, Files: `
-- go.work --
go 1.22

use ./a
-- a/go.mod --
module example.com/a

go 1.22
-- c/go.mod --
module example.com/c

go 1.22
`})
	c.Initialize(lsptest.AllCapabilities)
	c.AwaitDiagnostics("go.work", lsptest.HasCode(diagnostics.CodeGoWorkModuleNotUsed))
	a := action(t, c, "go.work", at(2, 0), "Add all modules (go work use -r .)")
	if a.Command == nil || a.Edit != nil {
		t.Fatalf("action = %+v, want a command", a)
	}
	if _, err := c.ExecuteCommand(a.Command); err != nil {
		t.Fatalf("%s: %v", a.Command.Command, err)
	}
	if got, want := c.ReadFile("go.work"), "go 1.22\n\nuse (\n\t./a\n\t./c\n)\n"; got != want {
		t.Errorf("go.work:\n%s\nwant:\n%s", got, want)
	}
	c.AwaitDiagnostics("go.work", lsptest.NoDiagnostics)
	c.AwaitDiagnostics("c/go.mod", lsptest.NoDiagnostics)
}

func TestWorkInitCommandFix(t *testing.T) {
	opts, _ := realGo(t)
	c := lsptest.New(t, lsptest.Config{Options: opts, Files: `
-- app/go.mod --
module example.com/proj/app

go 1.22

require example.com/proj/lib v0.0.0

replace example.com/proj/lib => ../lib
-- lib/go.mod --
module example.com/proj/lib

go 1.22
`})
	c.Initialize(lsptest.AllCapabilities)
	c.AwaitDiagnostics("app/go.mod", lsptest.HasCode(diagnostics.CodeGoWorkMissing))
	a := action(t, c, "app/go.mod", at(6, 0), "Create go.work (go work init ./app ./lib)")
	if _, err := c.ExecuteCommand(a.Command); err != nil {
		t.Fatalf("%s: %v", a.Command.Command, err)
	}
	if got := c.ReadFile("go.work"); !strings.Contains(got, "use (\n\t./app\n\t./lib\n)\n") {
		t.Errorf("go.work:\n%s\nwant it to use ./app and ./lib", got)
	}
	c.AwaitDiagnostics("app/go.mod", lsptest.NoDiagnostics)
}
