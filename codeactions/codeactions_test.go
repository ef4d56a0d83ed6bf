package codeactions

import (
	"strings"
	"testing"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

const gosum = `example.com/a v1.0.0 h1:aaa=
example.com/a v1.0.0/go.mod h1:bbb=
example.com/old v0.1.0 h1:ccc=
example.com/old v0.1.0/go.mod h1:ddd=
`

// fixture is a go.sum with two unused lines (each with a fix-all-safe
// deletion) and a go.mod problem fixed by running a command, offered by two
// diagnostics.
func fixture() (sum, mod *workspace.File, diags []diagnostics.Diagnostic) {
	sum = workspace.NewFile("/w/go.sum", []byte(gosum), 3)
	mod = workspace.NewFile("/w/go.mod", []byte("module example.com/w\n\nrequire example.com/a v1.0.0\n"), 0)
	line := func(n int) workspace.Span {
		s := sum.LineSpan(n)
		return workspace.Span{Start: s.Start, End: s.End + 1} // with its newline
	}
	unused := func(n int) diagnostics.Diagnostic {
		return diagnostics.Diagnostic{
			Code: "sum-unused-lines", Severity: diagnostics.SeverityHint, File: sum, Span: sum.LineSpan(n),
			Message: "unused",
			Fixes: []diagnostics.Fix{{
				Title: "Remove unused go.sum line", Kind: diagnostics.KindFixAll,
				Edits: []diagnostics.Edit{{File: sum, Span: line(n)}},
			}},
		}
	}
	vendor := &diagnostics.Command{Name: "gomodls.vendor", Title: "go mod vendor", Dir: "/w"}
	diags = []diagnostics.Diagnostic{
		{Code: "vendor-require-not-explicit", File: mod, Span: mod.LineSpan(3), Message: "inconsistent",
			Fixes: []diagnostics.Fix{{Title: "Run go mod vendor", Kind: diagnostics.KindQuickFix, Command: vendor}}},
		{Code: "vendor-module-not-required", File: mod, Span: mod.LineSpan(3), Message: "also inconsistent",
			Fixes: []diagnostics.Fix{{Title: "Run go mod vendor", Kind: diagnostics.KindQuickFix, Command: vendor}}},
		unused(3),
		unused(4),
	}
	return sum, mod, diags
}

func titles(actions []Action) string {
	var s []string
	for _, a := range actions {
		s = append(s, string(a.Kind)+" "+a.Title)
	}
	return strings.Join(s, "; ")
}

func TestQuickFixesAtTheCursor(t *testing.T) {
	sum, _, diags := fixture()
	cursor := sum.LineSpan(3).Start + 4
	got := For(nil, diags, Request{File: sum, Span: workspace.Span{Start: cursor, End: cursor}})
	if len(got) != 1 || got[0].Kind != diagnostics.KindQuickFix || got[0].Title != "Remove unused go.sum line" {
		t.Fatalf("actions = %s, want the one quick fix of line 3", titles(got))
	}
	if !got[0].Preferred || len(got[0].Diagnostics) != 1 || got[0].Diagnostics[0].Span != sum.LineSpan(3) {
		t.Errorf("action = %+v, want it preferred and resolving line 3's diagnostic", got[0])
	}
}

func TestCursorAtTheEndOfADiagnosticGetsItsFixes(t *testing.T) {
	sum, _, diags := fixture()
	end := sum.LineSpan(4).End
	if got := For(nil, diags, Request{File: sum, Span: workspace.Span{Start: end, End: end}}); len(got) != 1 {
		t.Fatalf("actions = %s, want line 4's quick fix", titles(got))
	}
}

func TestContextDiagnosticsSelectFixesAwayFromTheRange(t *testing.T) {
	sum, _, diags := fixture()
	req := Request{File: sum, Span: sum.LineSpan(1), Diagnostics: []Ref{{Code: "sum-unused-lines", Span: sum.LineSpan(4)}}}
	got := For(nil, diags, req)
	if len(got) != 1 || got[0].Diagnostics[0].Span != sum.LineSpan(4) {
		t.Fatalf("actions = %s, want line 4's fix, chosen by the context diagnostic", titles(got))
	}
}

func TestSameFixOfTwoDiagnosticsIsOfferedOnce(t *testing.T) {
	_, mod, diags := fixture()
	got := For(nil, diags, Request{File: mod, Span: mod.LineSpan(3)})
	if len(got) != 1 {
		t.Fatalf("actions = %s, want one merged 'Run go mod vendor'", titles(got))
	}
	if len(got[0].Diagnostics) != 2 || got[0].Command == nil || got[0].Command.Name != "gomodls.vendor" {
		t.Errorf("action = %+v, want the vendor command resolving both diagnostics", got[0])
	}
}

func TestFixAllMergesTheDocumentsSafeEdits(t *testing.T) {
	sum, _, diags := fixture()
	for _, only := range []diagnostics.FixKind{"source.fixAll", "source", diagnostics.KindFixAll} {
		got := For(nil, diags, Request{File: sum, Span: workspace.Span{}, Only: []diagnostics.FixKind{only}})
		if len(got) != 1 || got[0].Kind != diagnostics.KindFixAll {
			t.Fatalf("only %q: actions = %s, want one fix-all action", only, titles(got))
		}
		if len(got[0].Edits) != 2 || len(got[0].Diagnostics) != 2 {
			t.Fatalf("only %q: fix-all = %+v, want both deletions", only, got[0])
		}
		if got[0].Edits[0].Span.Start > got[0].Edits[1].Span.Start {
			t.Errorf("only %q: edits out of order: %+v", only, got[0].Edits)
		}
	}
}

func TestFixAllOnlyWhenAsked(t *testing.T) {
	sum, _, diags := fixture()
	for _, a := range For(nil, diags, Request{File: sum, Span: sum.LineSpan(3)}) {
		if a.Kind == diagnostics.KindFixAll {
			t.Fatalf("fix-all offered without being asked for: %s", a.Title)
		}
	}
	if got := For(nil, diags, Request{File: sum, Span: sum.LineSpan(3), Only: []diagnostics.FixKind{diagnostics.KindQuickFix}}); titles(got) != "quickfix Remove unused go.sum line" {
		t.Errorf("only quickfix: actions = %s", titles(got))
	}
}

func TestFixAllTakesAFixWholeOrNotAtAll(t *testing.T) {
	sum, _, diags := fixture()
	// A third fix-all fix rewrites lines 3-4 and conflicts with both
	// deletions, which come first and win.
	both := workspace.Span{Start: sum.LineSpan(3).Start, End: sum.LineSpan(4).End}
	diags = append(diags, diagnostics.Diagnostic{
		Code: "x", File: sum, Span: both,
		Fixes: []diagnostics.Fix{{Title: "rewrite", Kind: diagnostics.KindFixAll, Edits: []diagnostics.Edit{
			{File: sum, Span: both, NewText: "x"},
		}}},
	})
	diagnostics.Sort(diags)
	got := For(nil, diags, Request{File: sum, Only: []diagnostics.FixKind{diagnostics.KindFixAll}})
	if len(got) != 1 || len(got[0].Edits) != 2 || got[0].Edits[0].NewText != "" {
		t.Fatalf("fix-all = %+v, want the two deletions only", got)
	}
}

func TestNothingForAnotherFile(t *testing.T) {
	_, _, diags := fixture()
	other := workspace.NewFile("/elsewhere/go.mod", []byte("module x\n"), 0)
	if got := For(nil, diags, Request{File: other, Span: workspace.Span{End: 8}, Only: []diagnostics.FixKind{""}}); len(got) != 0 {
		t.Fatalf("actions = %s, want none", titles(got))
	}
	if got := For(nil, diags, Request{}); got != nil {
		t.Fatalf("actions for no file = %s, want none", titles(got))
	}
}
