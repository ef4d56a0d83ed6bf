package diagnostics

import (
	"context"
	"fmt"

	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/workspace"
)

// CodeWorkGoTooOldForModule: go.work's go line is below a used module's
// (cmd/go/internal/modload/init.go: errWorkTooOld).
const CodeWorkGoTooOldForModule = "work-go-too-old-for-module"

// Go versions the go command assumes for a missing go line
// (cmd/go/internal/gover), and the one from which go lines are strict.
const (
	goModImplicitGo  = "1.16"
	goWorkImplicitGo = "1.18"
	goStrictFrom     = "1.21"
)

// workGoCheck predicts modload's errWorkTooOld: in workspace mode the go
// command refuses a used module whose go line is 1.21 or later and above
// go.work's (1.18 when go.work has none), printing one error per module.
// gomodls reports one error on go.work's go line (line 1 without one),
// with go's message for the module that requires the highest go and
// related information to the go line of each module that is too new; the
// fix raises go.work's go line as go work use does.
var workGoCheck = Check{
	Name:       "workGo",
	Codes:      []string{CodeWorkGoTooOldForModule},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return workGo(context.Background(), snap, nil) },
	RunFocused: workGo,
}

// workGo is the check on the files of focus (every file when focus is nil).
func workGo(ctx context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	for _, w := range worksInEffect(snap) {
		if !focus.Has(w.File) { // the diagnostic is on go.work's go line
			continue
		}
		if d, ok := workGoDiagnostic(snap, w); ok {
			diags = append(diags, d)
		}
	}
	return diags
}

func workGoDiagnostic(snap *workspace.Snapshot, w *workspace.Work) (Diagnostic, bool) {
	wv, verb, sp := workGoVersion(w.Work), "lists", w.File.LineSpan(1)
	switch {
	case w.Work.Go != nil:
		sp = lineSpan(w.Work.Go.Syntax)
	case len(w.Work.Syntax.Stmt) > 0:
		// No go line: the fix adds one above the first directive, so point
		// there rather than at a leading comment.
		verb = "implicitly requires"
		start, end := w.Work.Syntax.Stmt[0].Span()
		sp = workspace.Span{Start: start.Byte, End: end.Byte}
	default:
		verb = "implicitly requires"
	}
	uses, _ := uniqueUses(snap, w)
	var tooNew []*workspace.Module
	var highest *workspace.Module
	for _, wu := range uses {
		m := wu.mod
		if m == nil || m.Mod == nil || m.Mod.Module == nil || m.Mod.Go == nil {
			continue // a go.mod without a go line is go 1.16: never too new
		}
		mv := m.Mod.Go.Version
		if !goLess(wv, mv) || goLess(mv, goStrictFrom) {
			continue
		}
		tooNew = append(tooNew, m)
		if highest == nil || goLess(highest.Mod.Go.Version, mv) {
			highest = m
		}
	}
	if highest == nil {
		return Diagnostic{}, false
	}
	others := ""
	if n := len(tooNew) - 1; n > 0 {
		others = fmt.Sprintf(" (and %s)", countNoun(n, "other module"))
	}
	msg := fmt.Sprintf("module %s listed in go.work file requires go >= %s%s, but go.work %s go %s; to update it: go work use",
		goShortPath(w.Dir, highest.Dir), highest.Mod.Go.Version, others, verb, wv)
	d := Diagnostic{
		Code:     CodeWorkGoTooOldForModule,
		Severity: SeverityError,
		File:     w.File,
		Span:     sp,
		Message:  msg,
	}
	for _, m := range tooNew {
		d.Related = append(d.Related, Related{File: m.File, Span: lineSpan(m.Mod.Go.Syntax),
			Message: fmt.Sprintf("%s requires go %s", m.Mod.Module.Mod.Path, m.Mod.Go.Version)})
	}
	target := workGoTarget(snap, w, nil)
	edits, err := editWork(w, func(wf *modfile.WorkFile) error { return updateWorkGoVersion(wf, target) })
	if err == nil && len(edits) > 0 {
		d.Fixes = []Fix{{Title: "Raise go.work go line to " + target, Kind: KindQuickFix, Edits: edits}}
	}
	return d, true
}

// workGoVersion is gover.FromGoWork: go.work's go line, or 1.18.
func workGoVersion(wf *modfile.WorkFile) string {
	if wf.Go != nil {
		return wf.Go.Version
	}
	return goWorkImplicitGo
}

// modGoVersion is gover.FromGoMod: go.mod's go line, or 1.16.
func modGoVersion(mf *modfile.File) string {
	if mf.Go != nil {
		return mf.Go.Version
	}
	return goModImplicitGo
}

// workGoTarget is the go version go work use gives w (with the module
// extra added to it, if not nil): the highest of go.work's and every used
// module's go line.
func workGoTarget(snap *workspace.Snapshot, w *workspace.Work, extra *workspace.Module) string {
	v := workGoVersion(w.Work)
	uses, _ := uniqueUses(snap, w)
	mods := make([]*workspace.Module, 0, len(uses)+1)
	for _, wu := range uses {
		mods = append(mods, wu.mod)
	}
	for _, m := range append(mods, extra) {
		if m != nil && m.Mod != nil && goLess(v, modGoVersion(m.Mod)) {
			v = modGoVersion(m.Mod)
		}
	}
	return v
}

// updateWorkGoVersion is cmd/go's modload.UpdateWorkGoVersion: it raises
// wf's go line to goVers if that is higher, and drops a toolchain line that
// the new go line makes redundant or contradicts.
func updateWorkGoVersion(wf *modfile.WorkFile, goVers string) error {
	if !goLess(workGoVersion(wf), goVers) {
		return nil
	}
	if err := wf.AddGoStmt(goVers); err != nil {
		return err
	}
	if wf.Toolchain == nil {
		return nil
	}
	name := wf.Toolchain.Name
	tv := toolchainVersion(name)
	if name == "go"+goVers || goLess(tv, goVers) || goLess(tv, goStrictFrom) {
		wf.DropToolchainStmt()
	}
	return nil
}

// toolchainVersion is gover.FromToolchain (buildctx.ToolchainVersion).
func toolchainVersion(name string) string { return buildctx.ToolchainVersion(name) }
