package lsp_test

import (
	"slices"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

// The "Remove replace" fix of replace-unused, applied as an editor applies
// a quick fix to the open go.mod or go.work: the file must match byte for
// byte (a replace alone in its block takes the block with it; the comment
// above a line goes with it), and the diagnostic must go.
func TestReplaceUnusedFix(t *testing.T) {
	const head = "module example.com/m\n\ngo 1.22\n"
	for _, tc := range []struct {
		name, files, file, want string
	}{
		{
			name:  "one line",
			files: "-- go.mod --\n" + head + "\nreplace example.com/other => ./r1\n",
			file:  "go.mod",
			want:  head,
		},
		{
			name:  "in a block, with its comment",
			files: "-- go.mod --\n" + head + "\nreplace (\n\t// a fork\n\texample.com/other => ./r1\n\texample.com/m v1.0.0 => ./r1 // kept\n)\n",
			file:  "go.mod",
			want:  head + "\nreplace (\n\texample.com/m v1.0.0 => ./r1 // kept\n)\n",
		},
		{
			name:  "alone in a block",
			files: "-- go.mod --\n" + head + "\nreplace (\n\texample.com/other => ./r1\n)\n",
			file:  "go.mod",
			want:  head,
		},
		{
			name:  "in go.work",
			files: "-- go.work --\ngo 1.22\n\nuse ./a\n\nreplace example.com/other => ./r1\n-- a/go.mod --\nmodule example.com/a\n\ngo 1.22\n",
			file:  "go.work",
			want:  "go 1.22\n\nuse ./a\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := lsptest.New(t, lsptest.Config{Files: tc.files + "-- r1/go.mod --\nmodule example.com/other\n"})
			c.Initialize(lsptest.AllCapabilities)
			c.Open(tc.file)
			code := diagnostics.CodeReplaceUnused
			diags := c.AwaitDiagnostics(tc.file, lsptest.HasCode(code))
			i := slices.IndexFunc(diags, func(d protocol.Diagnostic) bool { return d.Code == code })
			actions := c.CodeActions(tc.file, diags[i].Range)
			j := slices.IndexFunc(actions, func(a protocol.CodeAction) bool {
				return a.Kind == protocol.QuickFix && a.Title == "Remove replace" && a.Edit != nil
			})
			if j < 0 {
				t.Fatalf("no quick fix Remove replace among %v", actions)
			}
			c.ApplyEdit(actions[j].Edit)
			if got := c.Buffer(tc.file); got != tc.want {
				t.Errorf("%s after the fix:\n%s\nwant:\n%s", tc.file, got, tc.want)
			}
			c.AwaitDiagnostics(tc.file, func(ds []protocol.Diagnostic) bool { return !lsptest.HasCode(code)(ds) })
		})
	}
}
