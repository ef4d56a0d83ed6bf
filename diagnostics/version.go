package diagnostics

import (
	"context"
	"fmt"
	"go/version"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// Codes of the go version and toolchain checks (cmd/go/internal/gover/toolchain.go:
// TooNewError; cmd/go/internal/toolchain/select.go: Select).
const (
	CodeGoTooNew              = "go-too-new"
	CodeToolchainOlderThanGo  = "toolchain-older-than-go"
	firstToolchainLineVersion = goStrictFrom // toolchain lines exist from go 1.21
)

// versionCheck predicts the go command's TooNewError: a go line (of go.mod
// outside workspace mode, of go.work in it — toolchain selection reads only
// go.work there, cmd/go/internal/toolchain/select.go: modGoToolchain) or a
// dependency's go line in the module graph above the running toolchain. Where GOTOOLCHAIN lets go
// switch toolchains (auto, path, goX+auto, goX+path) it is information,
// "go will switch to …", on the line that decides which toolchain; where it
// does not (local, or one fixed version) it is the error go prints. A
// toolchain line above the running go is information too, and says
// nothing with GOTOOLCHAIN=local, which ignores it.
//
// It also warns, in every go.mod and go.work, about a toolchain line older
// than the go line (but at least go1.21: older ones are gomod-dirty): go
// accepts it and never uses it.
var versionCheck = Check{
	Name:       "version",
	Codes:      []string{CodeGoTooNew, CodeToolchainOlderThanGo},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return versions(context.Background(), snap, nil) },
	RunFocused: versions,
}

// versions is the version check of the files in focus: every build
// context's go lines and dependencies (a few contexts, each memoized graph
// walked once), and the toolchain lines of the go.mod and go.work files in
// focus, not of each of a thousand modules.
func versions(_ context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	if tc, ok := runningToolchain(snap.Env); ok {
		for _, bc := range userContexts(snap) {
			diags = append(diags, tc.tooNew(snap, bc)...)
		}
	}
	for _, m := range focus.modules(snap) {
		if m.Mod != nil && m.Mod.Toolchain != nil && !inModuleCache(snap, m.Dir) {
			if d, ok := toolchainOlder(m.File, modGoVersion(m.Mod), m.Mod.Go != nil, m.Mod.Toolchain); ok {
				diags = append(diags, d)
			}
		}
	}
	for _, w := range snap.Works() {
		if w.Work != nil && w.Work.Toolchain != nil && focus.Has(w.File) && !inModuleCache(snap, w.Dir) {
			if d, ok := toolchainOlder(w.File, workGoVersion(w.Work), w.Work.Go != nil, w.Work.Toolchain); ok {
				diags = append(diags, d)
			}
		}
	}
	return diags
}

// userContexts is buildContexts without the modules of the module cache,
// which a workspace folder may hold (a GOPATH inside it): they are the
// dependencies' own go.mod files, which go reads as dependencies, not as main
// modules.
func userContexts(snap *workspace.Snapshot) []buildContext {
	var out []buildContext
	for _, bc := range buildContexts(snap) {
		if !bc.InModuleCache {
			out = append(out, bc)
		}
	}
	return out
}

// toolchainEnv is the running go and what GOTOOLCHAIN lets it do.
type toolchainEnv struct {
	running     string // go version of the running toolchain: "1.26.8"
	local       string // go version of the local toolchain (GOVERSION)
	canSwitch   bool   // GOTOOLCHAIN allows switching to a newer toolchain
	gotoolchain string // as set, for messages; "" for auto or unset
}

// runningToolchain reads the running go version (the toolchain GOTOOLCHAIN
// selects outside any module) and the GOTOOLCHAIN mode, as
// buildctx.ToolchainOf decides them. ok is false when
// the go version is unknown.
func runningToolchain(env workspace.Env) (toolchainEnv, bool) {
	tc, ok := buildctx.ToolchainOf(env)
	return toolchainEnv{running: tc.Running(), local: tc.Local, canSwitch: tc.CanSwitch, gotoolchain: tc.Setting}, ok
}

// tooNewError is gover.TooNewError's text for what requiring go >= v.
func (tc toolchainEnv) tooNewError(what, v string) string {
	msg := fmt.Sprintf("%s requires go >= %s (running go %s", what, v, tc.running)
	if tc.gotoolchain != "" {
		msg += "; GOTOOLCHAIN=" + tc.gotoolchain
	}
	return msg + ")"
}

// goToolchainName is the toolchain the go command switches to for go line
// v: "go"+v, with ".0" added to a language version from 1.21 on.
func goToolchainName(v string) string {
	name := "go" + v
	if version.Lang(name) == name && !goLess(v, firstToolchainLineVersion) {
		name += ".0"
	}
	return name
}

func (tc toolchainEnv) tooNew(snap *workspace.Snapshot, bc buildContext) []Diagnostic {
	var diags []Diagnostic
	// The go.work (workspace mode) or go.mod whose lines select the toolchain.
	var (
		file      *workspace.File
		name      string
		goLine    *modfile.Line
		goVers    string
		toolchain *modfile.Toolchain
	)
	if bc.Work != nil {
		file, name, goVers, toolchain = bc.Work.File, "go.work", workGoVersion(bc.Work.Work), bc.Work.Work.Toolchain
		if bc.Work.Work.Go != nil {
			goLine = bc.Work.Work.Go.Syntax
		}
	} else {
		m := bc.Mains[0]
		file, name, goVers, toolchain = m.File, "go.mod", modGoVersion(m.Mod), m.Mod.Toolchain
		if m.Mod.Go != nil {
			goLine = m.Mod.Go.Syntax
		}
	}
	selected := tc.running // the go the command ends up running
	switch {
	case goLine != nil && goLess(tc.running, goVers):
		d := Diagnostic{Code: CodeGoTooNew, File: file, Span: lineSpan(goLine)}
		if tc.canSwitch {
			target := goToolchainName(goVers)
			if toolchain != nil && goLess(goVers, toolchainVersion(toolchain.Name)) {
				target = toolchain.Name
			}
			d.Severity = SeverityInformation
			d.Message = fmt.Sprintf("%s requires go >= %s (running go %s): go will switch to %s", name, goVers, tc.running, target)
			selected = toolchainVersion(target)
		} else {
			d.Severity = SeverityError
			d.Message = tc.tooNewError(name, goVers)
		}
		diags = append(diags, d)
		if !tc.canSwitch {
			return diags // go stops there
		}
	case toolchain != nil && tc.canSwitch && goLess(tc.running, toolchainVersion(toolchain.Name)):
		// With GOTOOLCHAIN=local (or one version) the line is ignored.
		diags = append(diags, Diagnostic{
			Code: CodeGoTooNew, Severity: SeverityInformation, File: file, Span: lineSpan(toolchain.Syntax),
			Message: fmt.Sprintf("%s asks for toolchain %s (running go %s): go will switch to %s", name, toolchain.Name, tc.running, toolchain.Name),
		})
		selected = toolchainVersion(toolchain.Name)
	}
	if selected == "" || bc.Mod.Vendor() {
		// In vendor mode go reads the dependencies' go versions from
		// vendor/modules.txt (vendor-go-annotation), not their go.mod files.
		return diags
	}
	// Dependencies: each go.mod the module graph reads is checked against
	// the go that runs (modload's summaryFromModFile).
	var g *modgraph.Graph
	if bc.Work != nil {
		g = modgraph.Workspace(snap, bc.Work)
	} else {
		g = modgraph.Module(snap, bc.Mains[0])
	}
	for _, dep := range g.BuildList() {
		if dep.Version == "" || g.IsMain(dep.Path) {
			continue
		}
		gm := g.GoMod(dep)
		if gm == nil || gm.Go == nil || !goLess(selected, gm.Go.Version) {
			continue
		}
		diags = append(diags, tc.dependencyTooNew(bc, dep, gm.Go.Version, file, goLine))
	}
	return diags
}

// dependencyTooNew reports dep, whose go.mod says go v, on the require
// lines of the main modules that name its path, else on the go line that
// selects the toolchain.
func (tc toolchainEnv) dependencyTooNew(bc buildContext, dep module.Version, v string, file *workspace.File, goLine *modfile.Line) Diagnostic {
	what := "module " + dep.String()
	d := Diagnostic{Code: CodeGoTooNew, Severity: SeverityError, Message: tc.tooNewError(what, v)}
	if tc.canSwitch {
		d.Severity = SeverityInformation
		d.Message = fmt.Sprintf("%s requires go >= %s (running go %s): go will switch to %s", what, v, tc.running, goToolchainName(v))
	}
	for _, m := range bc.Mains {
		for _, r := range m.Index().Requires(dep.Path) { // asked per dependency: a lookup, not a scan
			if d.File == nil {
				d.File, d.Span = m.File, lineSpan(r.Syntax)
			} else {
				d.Related = append(d.Related, Related{File: m.File, Span: lineSpan(r.Syntax), Message: fmt.Sprintf("%s is required here too", dep.Path)})
			}
		}
	}
	if d.File == nil {
		d.File = file
		if goLine != nil {
			d.Span = lineSpan(goLine)
		} else {
			d.Span = file.LineSpan(1)
		}
		d.Message += " (a dependency of a dependency)"
	}
	return d
}

// toolchainOlder reports a toolchain line older than the go line goVers of
// the same file (hasGo: the file has one), when it is at least go1.21.
func toolchainOlder(f *workspace.File, goVers string, hasGo bool, t *modfile.Toolchain) (Diagnostic, bool) {
	tv := toolchainVersion(t.Name)
	if !hasGo || tv == "" || goLess(tv, firstToolchainLineVersion) || !goLess(tv, goVers) {
		return Diagnostic{}, false
	}
	title := "Remove toolchain line"
	return Diagnostic{
		Code:     CodeToolchainOlderThanGo,
		Severity: SeverityWarning,
		File:     f,
		Span:     lineSpan(t.Syntax),
		Message:  fmt.Sprintf("toolchain %s is older than the go line (go %s): go never runs a toolchain older than the go line, so this line has no effect", t.Name, goVers),
		Fixes:    []Fix{{Title: title, Kind: KindQuickFix, Edits: []Edit{removeLine(f, t.Syntax)}}},
	}, true
}
