package lsp_test

import (
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

const replaceForks = `
-- r1/go.mod --
module example.com/dep
-- r2/go.mod --
module example.com/dep
`

// Each text fix of the workspace replace checks, applied as an editor
// applies a quick fix: to the open buffer (a versioned edit) or, for a file
// that is not open, to the disk, which the client's watcher then reports.
// The edited file must match byte for byte, and the diagnostic must go.
func TestWorkReplaceFixes(t *testing.T) {
	const work = "go 1.22\n\n// the modules\nuse (\n\t./a\n\t./b\n)\n"
	for _, tc := range []struct {
		name     string
		files    string
		open     []string // files open in the editor
		diagFile string   // where the diagnostic is
		code     string
		title    string // a part of the fix's title
		editFile string // the file the fix edits
		want     string
	}{
		{
			name: "across modules, go.work on disk",
			files: "-- go.work --\n" + work +
				"-- a/go.mod --\nmodule example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep v1.0.0 => ../r1\n" +
				"-- b/go.mod --\nmodule example.com/b\n\ngo 1.22\n\nreplace example.com/dep v1.0.0 => ../r2 // b's fork\n",
			open:     []string{"a/go.mod"},
			diagFile: "a/go.mod", code: diagnostics.CodeGoworkReplaceConflictAcrossModules, title: "=> ./r2",
			editFile: "go.work",
			want:     work + "\nreplace example.com/dep v1.0.0 => ./r2\n",
		},
		{
			name: "across modules, go.work open",
			files: "-- go.work --\n" + work + "\nreplace example.com/other v1.0.0 => ./r1\n" +
				"-- a/go.mod --\nmodule example.com/a\n\ngo 1.22\n\nreplace example.com/dep => ../r1\n" +
				"-- b/go.mod --\nmodule example.com/b\n\ngo 1.22\n\nreplace example.com/dep => ../r2\n",
			open:     []string{"go.work", "b/go.mod"},
			diagFile: "b/go.mod", code: diagnostics.CodeGoworkReplaceConflictAcrossModules, title: "=> ./r1",
			editFile: "go.work",
			want:     work + "\nreplace example.com/other v1.0.0 => ./r1\n\nreplace example.com/dep => ./r1\n",
		},
		{
			name: "mixed",
			files: "-- go.work --\n" + work +
				"-- a/go.mod --\nmodule example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n\nreplace example.com/dep => ../r1\n" +
				"-- b/go.mod --\nmodule example.com/b\n\ngo 1.22\n\nreplace example.com/dep v1.1.0 => ../r2\n",
			open:     []string{"go.work"},
			diagFile: "b/go.mod", code: diagnostics.CodeGoworkReplaceConflictMixed, title: "=> ./r2",
			editFile: "go.work",
			want:     work + "\nreplace example.com/dep v1.1.0 => ./r2\n",
		},
		{
			name: "go.work replaces a workspace module",
			files: "-- go.work --\n" + work + "\nreplace (\n\texample.com/b => ./r1 // no\n\texample.com/dep => ./r2\n)\n" +
				"-- a/go.mod --\nmodule example.com/a\n\ngo 1.22\n" +
				"-- b/go.mod --\nmodule example.com/b\n\ngo 1.22\n",
			open:     []string{"go.work"},
			diagFile: "go.work", code: diagnostics.CodeGoworkReplacesWorkspaceModule, title: "Remove the replacement",
			editFile: "go.work",
			want:     work + "\nreplace example.com/dep => ./r2\n",
		},
		{
			name: "duplicate in go.mod",
			files: "-- go.mod --\nmodule example.com/m\n\ngo 1.22\n\n// forks\nreplace (\n\t// the first\n\texample.com/dep => ./r1\n\texample.com/dep => ./r2 // the second\n)\n" +
				"-- go.sum --\n",
			open:     []string{"go.mod"},
			diagFile: "go.mod", code: diagnostics.CodeReplaceDuplicateConflict, title: "Remove this replacement",
			editFile: "go.mod",
			want:     "module example.com/m\n\ngo 1.22\n\n// forks\nreplace (\n\texample.com/dep => ./r2 // the second\n)\n",
		},
		{
			name: "duplicate in go.work",
			files: "-- go.work --\ngo 1.22\n\nuse ./a\n\nreplace example.com/dep => ./r1\n\nreplace example.com/dep => ./r2\n" +
				"-- a/go.mod --\nmodule example.com/a\n\ngo 1.22\n",
			open:     []string{"go.work"},
			diagFile: "go.work", code: diagnostics.CodeReplaceDuplicateConflict, title: "Remove this replacement",
			editFile: "go.work",
			want:     "go 1.22\n\nuse ./a\n\nreplace example.com/dep => ./r2\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := lsptest.New(t, lsptest.Config{Files: tc.files + replaceForks})
			c.Initialize(lsptest.AllCapabilities)
			for _, f := range tc.open {
				c.Open(f)
			}
			diags := c.AwaitDiagnostics(tc.diagFile, lsptest.HasCode(tc.code))
			i := slices.IndexFunc(diags, func(d protocol.Diagnostic) bool { return d.Code == tc.code })
			actions := c.CodeActions(tc.diagFile, diags[i].Range)
			j := slices.IndexFunc(actions, func(a protocol.CodeAction) bool {
				return a.Kind == protocol.QuickFix && strings.Contains(a.Title, tc.title) && a.Edit != nil
			})
			if j < 0 {
				var titles []string
				for _, a := range actions {
					titles = append(titles, a.Title)
				}
				t.Fatalf("no quick fix %q among %q", tc.title, titles)
			}
			c.ApplyEdit(actions[j].Edit)

			open := slices.Contains(tc.open, tc.editFile)
			var got string
			if open {
				got = c.Buffer(tc.editFile)
			} else {
				got = c.ReadFile(tc.editFile)
				c.DidChangeWatchedFiles(protocol.FileChangeTypeChanged, tc.editFile)
			}
			if got != tc.want {
				t.Errorf("%s after the fix:\n%s\nwant:\n%s", tc.editFile, got, tc.want)
			}
			c.AwaitDiagnostics(tc.diagFile, func(ds []protocol.Diagnostic) bool { return !lsptest.HasCode(tc.code)(ds) })
		})
	}
}
