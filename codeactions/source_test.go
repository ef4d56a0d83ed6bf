package codeactions

import (
	"testing"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// workFixture is a go.work with a use line to remove (fix-all-safe), a go
// line to raise (a quick fix only), a hint whose fix runs a command, and a
// module's go.mod whose diagnostic adds a use to the go.work (fix-all-safe).
func workFixture() (work, mod *workspace.File, diags []diagnostics.Diagnostic) {
	work = workspace.NewFile("/w/go.work", []byte("go 1.21\n\nuse (\n\t./a\n\t./gone\n)\n"), 2)
	mod = workspace.NewFile("/w/c/go.mod", []byte("module example.com/c\n"), 0)
	line := func(n int) workspace.Span {
		return workspace.Span{Start: work.LineSpan(n).Start, End: work.LineSpan(n + 1).Start}
	}
	at := func(n int) workspace.Span { s := work.LineSpan(n).Start; return workspace.Span{Start: s, End: s} }
	diags = []diagnostics.Diagnostic{
		{Code: "gowork-module-not-used", File: mod, Span: mod.LineSpan(1), Fixes: []diagnostics.Fix{{
			Title: "Add ./c to go.work", Kind: diagnostics.KindFixAll,
			Edits: []diagnostics.Edit{{File: work, Span: at(6), NewText: "\t./c\n"}},
		}}},
		{Code: "work-go-too-old-for-module", File: work, Span: work.LineSpan(1), Fixes: []diagnostics.Fix{{
			Title: "Raise go.work go line to 1.22", Kind: diagnostics.KindQuickFix,
			Edits: []diagnostics.Edit{{File: work, Span: work.LineSpan(1), NewText: "go 1.22"}},
		}}},
		{Code: "gowork-module-not-used", File: work, Span: work.LineSpan(3), Fixes: []diagnostics.Fix{{
			Title: "Add all modules (go work use -r .)", Kind: diagnostics.KindQuickFix,
			Command: &diagnostics.Command{Name: "gomodls.workUse", Dir: "/w", Args: []string{"-r", "."}},
		}}},
		{Code: "gowork-use-missing-dir", File: work, Span: work.LineSpan(5), Fixes: []diagnostics.Fix{{
			Title: "Remove use of ./gone", Kind: diagnostics.KindFixAll,
			Edits: []diagnostics.Edit{{File: work, Span: line(5)}},
		}}},
	}
	diagnostics.Sort(diags)
	return work, mod, diags
}

func TestFixAllTakesFixesFromElsewhereThatEditOnlyThisDocument(t *testing.T) {
	work, mod, diags := workFixture()
	got := For(nil, diags, Request{File: work, Only: []diagnostics.FixKind{diagnostics.KindFixAll}})
	if len(got) != 1 || len(got[0].Edits) != 2 {
		t.Fatalf("fix-all = %+v, want the removal and the addition", got)
	}
	if len(got[0].Diagnostics) != 1 || got[0].Diagnostics[0].Code != "gowork-use-missing-dir" {
		t.Errorf("fix-all resolves %+v, want only the go.work's own diagnostic", got[0].Diagnostics)
	}
	// In the go.mod, its own fix-all fix applies (to the go.work) as before.
	got = For(nil, diags, Request{File: mod, Only: []diagnostics.FixKind{diagnostics.KindFixAll}})
	if len(got) != 1 || len(got[0].Edits) != 1 || got[0].Edits[0].File != work {
		t.Fatalf("fix-all in go.mod = %+v, want the addition to go.work", got)
	}
}

func TestFixAllSafeFixIsAlsoAQuickFix(t *testing.T) {
	work, _, diags := workFixture()
	got := For(nil, diags, Request{File: work, Span: work.LineSpan(5)})
	if titles(got) != "quickfix Remove use of ./gone" {
		t.Errorf("actions on line 5 = %s, want the removal as a quick fix", titles(got))
	}
}

func TestSourceActionsOfAGoWork(t *testing.T) {
	work, mod, diags := workFixture()
	want := KindSourceWorkspace + " Raise go.work go line to 1.22; " + KindSourceWorkspace + " Remove use of ./gone; " + KindSourceWorkspace + " Add ./c to go.work"
	for _, only := range []diagnostics.FixKind{"source", KindSourceWorkspace} {
		// The cursor is on line 3, away from every fix's diagnostic.
		var got []Action
		for _, a := range For(nil, diags, Request{File: work, Span: work.LineSpan(3), Only: []diagnostics.FixKind{only}}) {
			if a.Kind == KindSourceWorkspace {
				got = append(got, a)
			}
		}
		if titles(got) != string(want) {
			t.Errorf("only %q: source actions = %s\nwant %s", only, titles(got), want)
		}
		for _, a := range got {
			if a.Command != nil || len(a.Edits) == 0 {
				t.Errorf("source action %q is not a text edit", a.Title)
			}
			if a.Title == "Add ./c to go.work" && len(a.Diagnostics) != 0 {
				t.Errorf("source action %q lists the go.mod's diagnostic", a.Title)
			}
		}
	}
	for _, a := range For(nil, diags, Request{File: work, Span: work.LineSpan(3)}) {
		if a.Kind == KindSourceWorkspace {
			t.Errorf("source action %q offered without being asked for", a.Title)
		}
	}
	for _, a := range For(nil, diags, Request{File: mod, Only: []diagnostics.FixKind{"source"}}) {
		if a.Kind == KindSourceWorkspace {
			t.Errorf("source action %q offered in a go.mod", a.Title)
		}
	}
}
