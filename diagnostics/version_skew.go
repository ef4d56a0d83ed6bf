package diagnostics

import (
	"context"
	"fmt"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// CodeVersionSkew: a used module requires a dependency below the version its
// workspace selects, so the module builds differently when released alone.
const CodeVersionSkew = "version-skew"

// versionSkewCheck reports, in each workspace, the requirements of used
// modules that go work sync would raise: a requirement on a module below
// the version the workspace selects (MVS over every used module's
// requirements, modgraph.Workspace), when that module provides a package
// the used module loads (modgraph.LoadAll: go work sync raises exactly
// those). The message says what the module selects built alone
// (modgraph.Module): usually the lower version, which the workspace never
// builds with; sometimes the workspace's version too, when another
// requirement of the module raises it and only the line is out of date
// (go mod tidy would raise it as well).
//
// It says nothing when the workspace's graph is incomplete (a go.mod
// missing from the module cache), or when the dependency's packages were
// not found among those the module loads while some could not be found at
// all (a module on the way whose files are not extracted in the module
// cache): it would be guessing.
var versionSkewCheck = Check{
	Name:       "versionSkew",
	Codes:      []string{CodeVersionSkew},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return versionSkews(context.Background(), snap, nil) },
	RunFocused: versionSkews,
}

// versionSkews is the check on the files of focus (every file when focus is nil).
func versionSkews(ctx context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	for _, bc := range buildContexts(snap) {
		if bc.Work != nil {
			diags = append(diags, versionSkew(ctx, snap, bc, focus)...)
		}
	}
	return diags
}

func versionSkew(ctx context.Context, snap *workspace.Snapshot, bc buildContext, focus *Focus) []Diagnostic {
	g := modgraph.Workspace(snap, bc.Work)
	if g.Incomplete() != nil {
		return nil
	}
	var diags []Diagnostic
	for m := range mainsInFocus(ctx, bc, focus) {
		if m.Mod.Module == nil {
			continue
		}
		var (
			alone  *modgraph.Graph
			loaded *modgraph.Loaded
		)
		for _, c := range skewCandidates(snap, bc, g, m) {
			r, path, selected := c.req, c.req.Mod.Path, c.selected
			if loaded == nil {
				loaded = modgraph.LoadAll(snap, g, m)
			}
			if _, raised := loaded.Modules[path]; !raised {
				// go work sync leaves the line as it is, unless it tidies
				// the module for another reason; when the packages could
				// not all be found, nobody knows.
				continue
			}
			if alone == nil {
				alone = modgraph.Module(snap, m)
			}
			aloneV := ""
			if alone.Incomplete() == nil {
				aloneV, _ = alone.Selected(path)
			}
			diags = append(diags, skewDiagnostic(bc, g, m, r.Syntax, r.Mod, selected, aloneV))
		}
	}
	return diags
}

// A skewCandidate is a require line of a main module below the version
// the workspace selects for its path (not a main module's path, and not
// excluded): the lines go work sync may raise.
type skewCandidate struct {
	req      *modfile.Require
	selected string
}

// skewCandidates lists m's skew candidates in g, kept with Snapshot.Memo
// while m's go.mod, the graph's selection (ModulesID) and the workspace's
// replaces and exclusions (DirectivesKey) are unchanged: looking at every
// require line of a thousand modules again on each edit was a fifth of the
// edit's cost. The result is shared: never modify it.
func skewCandidates(snap *workspace.Snapshot, bc buildContext, g *modgraph.Graph, m *workspace.Module) []skewCandidate {
	type inputs struct {
		file       *workspace.File
		modulesID  uint64
		directives uint64
	}
	in := inputs{m.File, g.ModulesID(), g.DirectivesKey()}
	return memoized(snap, "diagnostics.skewCandidates\x00"+bc.Root+"\x00"+m.File.Path, in, func() []skewCandidate {
		self := module.Version{Path: m.Mod.Module.Mod.Path}
		reqs, _ := g.RequiredBy(self) // after the workspace's exclusions
		var out []skewCandidate
		for _, r := range m.Mod.Require {
			path, v := r.Mod.Path, r.Mod.Version
			selected, ok := g.Selected(path)
			if !ok || g.IsMain(path) || semver.Compare(v, selected) >= 0 || !containsModule(reqs, r.Mod) {
				continue
			}
			out = append(out, skewCandidate{r, selected})
		}
		return out
	})
}

func containsModule(list []module.Version, m module.Version) bool {
	for _, x := range list {
		if x == m {
			return true
		}
	}
	return false
}

// skewDiagnostic reports req, required on line of m's go.mod, below the
// version the workspace selects. The module that raises it is named, and
// linked when it is a used module. aloneV is the version m selects built
// alone, "" when that graph is incomplete.
func skewDiagnostic(bc buildContext, g *modgraph.Graph, m *workspace.Module, line *modfile.Line, req module.Version, selected, aloneV string) Diagnostic {
	sel := module.Version{Path: req.Path, Version: selected}
	by, related := raisedBy(bc, g, sel)
	msg := fmt.Sprintf("%s %s is required here, but the workspace selects %s (required by %s)", req.Path, req.Version, selected, by)
	switch {
	case aloneV == "":
	case semver.Compare(aloneV, selected) < 0:
		msg += fmt.Sprintf(": built alone, this module uses %s", aloneV)
	default:
		msg += fmt.Sprintf(": this module selects %s even built alone, so this line is out of date", aloneV)
	}
	title := "Run go work sync"
	return Diagnostic{
		Code:     CodeVersionSkew,
		Severity: SeverityWarning,
		File:     m.File,
		Span:     lineSpan(line),
		Message:  msg + "; run go work sync",
		Related:  related,
		Fixes:    []Fix{{Title: title, Kind: KindQuickFix, Command: &Command{Name: CommandWorkSync, Title: title, Dir: bc.Root}}},
	}
}

// raisedBy names a module of the graph that requires sel: a used module if
// one does (with its require line as related information), else one that is
// itself selected, else any.
func raisedBy(bc buildContext, g *modgraph.Graph, sel module.Version) (string, []Related) {
	for _, mm := range bc.Mains {
		if mm.Mod.Module == nil {
			continue
		}
		for _, r := range mm.Index().Requires(sel.Path) { // asked per skewed require: a lookup, not a scan
			if r.Mod == sel {
				path := mm.Mod.Module.Mod.Path
				return path, []Related{{File: mm.File, Span: lineSpan(r.Syntax), Message: fmt.Sprintf("%s requires %s %s", path, sel.Path, sel.Version)}}
			}
		}
	}
	requirers := g.Requirers(sel)
	for _, q := range requirers {
		if v, _ := g.Selected(q.Path); v == q.Version {
			return q.String(), nil
		}
	}
	if len(requirers) > 0 {
		return requirers[0].String(), nil
	}
	return "the workspace", nil
}
