package diagnostics

import (
	"context"
	"fmt"
	"go/version"
	"iter"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// Codes of the checks of what a replace directive points at and whether it
// applies, as the go command loads a replacement: a directory in
// cmd/go/internal/modload/import.go: fetch, a go.mod in modload/modfile.go:
// goModSummary, the build list in modload/load.go: checkMultiplePaths.
const (
	CodeReplaceDirMissing         = "replace-dir-missing"
	CodeReplaceDirNoGoMod         = "replace-dir-no-gomod"
	CodeReplaceDirPathMismatch    = "replace-dir-path-mismatch"
	CodeReplaceModulePathMismatch = "replace-module-path-mismatch"
	CodeReplaceSameTargetTwoPaths = "replace-same-target-two-paths"
	CodeReplaceUnused             = "replace-unused"
)

// replaceCheck looks at each replace directive of the main modules' go.mod
// files and of go.work, in each build context, against the module graph
// (modgraph) the go command would load there:
//
//   - a replacement directory that does not exist, or has no go.mod, or
//     whose go.mod declares another module path; a module replacement whose
//     go.mod in the module cache declares another path. What go fails on —
//     the graph reads that go.mod — is an error; a replacement the graph does
//     not read (go never looks) a warning;
//   - two module paths of the build list replaced by one target, which go
//     rejects when it builds (checkMultiplePaths);
//   - a replace that applies to nothing in the build (replace-unused), only
//     when the graph is complete;
//   - replaces in a go.mod on disk that the build reaches only as a
//     dependency (a directory replacement): go ignores them
//     (replace-ignored).
var replaceCheck = Check{
	Name: "replace",
	Codes: []string{
		CodeReplaceDirMissing, CodeReplaceDirNoGoMod, CodeReplaceDirPathMismatch,
		CodeReplaceModulePathMismatch, CodeReplaceSameTargetTwoPaths, CodeReplaceUnused, CodeReplaceIgnored,
	},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return replaces(context.Background(), snap, nil) },
	RunFocused: replaces,
}

// replaces is the check on the files of focus (every file when focus is nil).
func replaces(ctx context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	rc := &replaceChecker{ctx: ctx, snap: snap, focus: focus, done: make(map[*modfile.Replace]bool)}
	bcs := buildContexts(snap)
	rc.contexts = bcs
	for _, bc := range bcs {
		rc.context(bc)
	}
	return rc.diags
}

type replaceChecker struct {
	ctx   context.Context // done: stop, the runner discards what was found
	snap  *workspace.Snapshot
	focus *Focus                    // the lines examined one by one are those of its files
	done  map[*modfile.Replace]bool // lines already examined
	// contexts are the snapshot's build contexts (isMain asks them);
	// mains, their main modules, is made for a run without a focus.
	contexts []buildContext
	mains    map[*workspace.Module]bool
	diags    []Diagnostic
	// blocks: soleLineBlocks by file.
	blocks map[*modfile.FileSyntax]map[*modfile.Line]*modfile.LineBlock
}

// A replaceDirective is one replace directive of a main go.mod (mod) or of
// go.work (mod nil): the one type the replace checks use for a replace line
// and its file.
type replaceDirective struct {
	file *workspace.File
	dir  string // the file's directory: relative targets are relative to it
	mod  *workspace.Module
	rep  *modfile.Replace
	// syntax: the file's syntax tree.
	syntax *modfile.FileSyntax
}

// modLine is the replace directive r of the main module m's go.mod.
func modLine(m *workspace.Module, r *modfile.Replace) replaceDirective {
	return replaceDirective{file: m.File, dir: m.Dir, mod: m, rep: r, syntax: m.Mod.Syntax}
}

// workLine is the replace directive r of w.
func workLine(w *workspace.Work, r *modfile.Replace) replaceDirective {
	return replaceDirective{file: w.File, dir: w.Dir, rep: r, syntax: w.Work.Syntax}
}

// target is where the replace points: a module version, or an absolute
// directory (Version ""), as modgraph reports replacements.
func (s replaceDirective) target() module.Version { return buildctx.ReplaceTarget(s.dir, s.rep.New) }

// covers reports whether the replace is for m: its version, or all versions.
func (s replaceDirective) covers(m module.Version) bool {
	return m.Path == s.rep.Old.Path && (s.rep.Old.Version == "" || s.rep.Old.Version == m.Version)
}

func (s replaceDirective) span() workspace.Span { return lineSpan(s.rep.Syntax) }

func (rc *replaceChecker) add(s replaceDirective, code string, sev Severity, msg string) *Diagnostic {
	rc.diags = append(rc.diags, Diagnostic{Code: code, Severity: sev, File: s.file, Span: s.span(), Message: msg})
	return &rc.diags[len(rc.diags)-1]
}

func (rc *replaceChecker) context(bc buildContext) {
	var g *modgraph.Graph
	if bc.Work != nil {
		g = modgraph.Workspace(rc.snap, bc.Work)
	} else {
		g = modgraph.Module(rc.snap, bc.Mains[0])
	}
	rc.sameTarget(g, bc)
	for s := range rc.examined(bc) {
		if rc.done[s.rep] {
			continue
		}
		if rc.ctx.Err() != nil {
			return
		}
		rc.done[s.rep] = true
		if s.rep.New.Version == "" {
			rc.directory(g, s)
		} else {
			rc.moduleTarget(g, s)
		}
		rc.unused(g, bc, s)
	}
	rc.ignoredInDependencies(g, bc)
}

// examined yields the replace lines of bc that context examines one by
// one: those of the files in focus (every one without a focus), the main
// modules' in order, then go.work's. The lines of other files are never
// visited: a focused run after an edit of one go.mod of a thousand looks
// at that file's lines only.
func (rc *replaceChecker) examined(bc buildContext) iter.Seq[replaceDirective] {
	return func(yield func(replaceDirective) bool) {
		for m := range mainsInFocus(context.Background(), bc, rc.focus) {
			for _, r := range m.Mod.Replace {
				if !yield(modLine(m, r)) {
					return
				}
			}
		}
		if bc.Work != nil && rc.focus.Has(bc.Work.File) {
			for _, r := range bc.Work.Work.Replace {
				if !yield(workLine(bc.Work, r)) {
					return
				}
			}
		}
	}
}

// sitesOf yields the replace lines of bc whose left side is path, in
// examined's order, from the context's replace index: sameTarget and
// ignoredInDependencies ask, per module of the build list, which replace
// covers it.
func (rc *replaceChecker) sitesOf(bc buildContext, path string) iter.Seq[replaceDirective] {
	return func(yield func(replaceDirective) bool) {
		for m, r := range bc.ReplacesOfPath(path) {
			var s replaceDirective
			if m != nil {
				s = modLine(m, r)
			} else {
				s = workLine(bc.Work, r)
			}
			if !yield(s) {
				return
			}
		}
	}
}

// isMain reports whether m is a main module of some build context. A
// focused run asks about the few modules in focus, and looks; a whole run
// asks about every module a directory replaces, and makes a set once.
func (rc *replaceChecker) isMain(m *workspace.Module) bool {
	if rc.focus != nil {
		for _, bc := range rc.contexts {
			if slices.Contains(bc.Mains, m) {
				return true
			}
		}
		return false
	}
	if rc.mains == nil {
		rc.mains = make(map[*workspace.Module]bool)
		for _, bc := range rc.contexts {
			for _, m := range bc.Mains {
				rc.mains[m] = true
			}
		}
	}
	return rc.mains[m]
}

// failed returns the module version whose go.mod the graph needed through
// the replace s and could not read: go fails on it.
func failed(g *modgraph.Graph, s replaceDirective) (module.Version, bool) {
	t := s.target()
	for _, m := range g.MissingOf(s.rep.Old.Path) { // covers needs the path
		if s.covers(m.Module) && m.Replacement == t {
			return m.Module, true
		}
	}
	return module.Version{}, false
}

// directory checks a directory replacement: the directory and its go.mod.
func (rc *replaceChecker) directory(g *modgraph.Graph, s replaceDirective) {
	dir := s.target().Path
	rel := s.rep.New.Path
	gomod := filepath.Join(dir, "go.mod")
	var code, what string
	switch rc.snap.PathKind(dir) {
	case workspace.PathMissing:
		code, what = CodeReplaceDirMissing, fmt.Sprintf("replacement directory %s does not exist", rel)
	case workspace.PathDir:
		if rc.snap.PathKind(gomod) == workspace.PathMissing {
			code, what = CodeReplaceDirNoGoMod, fmt.Sprintf("reading %s: no go.mod in the replacement directory", filepath.ToSlash(filepath.Join(rel, "go.mod")))
		}
	}
	if code != "" {
		if m, ok := failed(g, s); ok {
			rc.add(s, code, SeverityError, fmt.Sprintf("%v (replaced by %s): %s", m, rel, what))
		} else {
			rc.add(s, code, SeverityWarning, fmt.Sprintf("%s (go fails once it needs %s)", what, s.rep.Old.Path))
		}
		return
	}
	f := rc.snap.DependencyGoMod(gomod)
	if f == nil || f.Module == nil || f.Module.Mod.Path == s.rep.Old.Path {
		return
	}
	d := rc.add(s, CodeReplaceDirPathMismatch, SeverityWarning, fmt.Sprintf(
		"replacement directory %s holds module %s, not %s: go builds it as %s anyway, but its own imports of %s resolve elsewhere; is this the right directory?",
		rel, f.Module.Mod.Path, s.rep.Old.Path, s.rep.Old.Path, f.Module.Mod.Path))
	if gf := rc.snap.File(gomod); gf != nil {
		d.Related = []Related{{File: gf, Span: lineSpan(f.Module.Syntax), Message: "the module path it declares"}}
	}
}

// moduleTarget checks a module replacement whose go.mod is in the module
// cache: it must declare the replaced path or the replacement's.
func (rc *replaceChecker) moduleTarget(g *modgraph.Graph, s replaceDirective) {
	gomod := rc.snap.ModuleCacheGoMod(s.rep.New)
	if gomod == "" {
		return
	}
	f := rc.snap.DependencyGoMod(gomod)
	if f == nil || f.Module == nil {
		return
	}
	declared := f.Module.Mod.Path
	if declared == s.rep.Old.Path || declared == s.rep.New.Path {
		return
	}
	if m, ok := failed(g, s); ok {
		rc.add(s, CodeReplaceModulePathMismatch, SeverityError, fmt.Sprintf(
			"%v (replaced by %v): parsing go.mod:\n\tmodule declares its path as: %s\n\t        but was required as: %s",
			m, s.rep.New, declared, m.Path))
		return
	}
	rc.add(s, CodeReplaceModulePathMismatch, SeverityWarning, fmt.Sprintf(
		"the go.mod of %v declares its path as %s, not %s or %s (go fails once it needs %s)",
		s.rep.New, declared, s.rep.Old.Path, s.rep.New.Path, s.rep.Old.Path))
}

// A sharedSource is a module version or directory that is the source of
// more than one module of a build list (the replacement of each, or one
// itself).
type sharedSource struct {
	src  module.Version
	mods []module.Version // in build list order
}

// sharedSources lists g's shared sources, in build list order of their
// first module, kept while the graph's selection and replacements
// (ModulesID) are those it was computed from: a pass over the build list
// per edit otherwise.
func sharedSources(snap *workspace.Snapshot, bc buildContext, g *modgraph.Graph) []sharedSource {
	return memoized(snap, "diagnostics.sharedSources\x00"+bc.Root, g.ModulesID(), func() []sharedSource {
		var keys []module.Version
		bySource := make(map[module.Version][]module.Version, len(g.BuildList()))
		for _, m := range g.BuildList() {
			if m.Version == "" {
				continue
			}
			src := m
			if r, ok := g.Replacement(m); ok {
				src = r
			}
			if _, ok := bySource[src]; !ok {
				keys = append(keys, src)
			}
			bySource[src] = append(bySource[src], m)
		}
		var out []sharedSource
		for _, src := range keys {
			if mods := bySource[src]; len(mods) >= 2 {
				out = append(out, sharedSource{src, mods})
			}
		}
		return out
	})
}

// sameTarget: go rejects a build list in which one module version or
// directory is the source of two module paths — the replacement of both, or
// the replacement of one and itself in the build list (checkMultiplePaths):
//
//	go: ../r@ used for two different module paths (example.com/dep and example.com/other)
//
// go list -m all passes; go build, go test… fail. go checks the build list
// once it has loaded the whole module graph (always for a main module below
// go 1.17), else only the main modules' requirements: an error when the
// paths are among those, a warning otherwise.
func (rc *replaceChecker) sameTarget(g *modgraph.Graph, bc buildContext) {
	full := bc.Work == nil && pruningOff(bc.Mains[0])
	// The main modules' requirements, asked only when some source has two
	// paths: a thousand modules' requirements are twenty thousand entries.
	var roots map[module.Version]bool
	isRoot := func(m module.Version) bool {
		if roots == nil {
			roots = make(map[module.Version]bool)
			for _, m := range g.Mains() {
				reqs, _ := g.RequiredBy(m)
				for _, r := range reqs {
					roots[r] = true
				}
			}
		}
		return roots[m]
	}
	for _, ss := range sharedSources(rc.snap, bc, g) {
		src, mods := ss.src, ss.mods
		var here []replaceDirective // the replace lines that make src a source
		for _, m := range mods {
			for s := range rc.sitesOf(bc, m.Path) {
				if s.covers(m) && s.target() == src {
					if r, _ := g.Replacement(m); r == src {
						here = append(here, s)
						break
					}
				}
			}
		}
		if len(here) == 0 {
			continue
		}
		checked := mods
		if !full {
			checked = slices.DeleteFunc(slices.Clone(mods), func(m module.Version) bool { return !isRoot(m) })
		}
		written := here[0].rep.New // as go prints it: the target as written
		var paths []string
		for _, m := range mods {
			paths = append(paths, m.Path)
		}
		for _, s := range here {
			var d *Diagnostic
			if len(checked) >= 2 {
				d = rc.add(s, CodeReplaceSameTargetTwoPaths, SeverityError, fmt.Sprintf(
					"%s@%s used for two different module paths (%s and %s)", written.Path, written.Version, checked[0].Path, checked[1].Path))
			} else {
				d = rc.add(s, CodeReplaceSameTargetTwoPaths, SeverityWarning, fmt.Sprintf(
					"%s@%s is the source of %s: go fails with \"used for two different module paths\" once it loads the whole module graph",
					written.Path, written.Version, joinAnd(paths)))
			}
			for _, o := range here {
				if o.rep != s.rep {
					d.Related = append(d.Related, Related{File: o.file, Span: o.span(), Message: "also replaces " + o.rep.Old.Path + " with it"})
				}
			}
			if len(here) < len(mods) {
				d.Related = append(d.Related, rc.requireRelated(bc, mods, here)...)
			}
			rc.done[s.rep] = true
		}
	}
}

// requireRelated points at the main modules' require lines of the modules of
// mods that no replace of here replaces (the module itself is the source).
func (rc *replaceChecker) requireRelated(bc buildContext, mods []module.Version, here []replaceDirective) []Related {
	var rel []Related
	for _, m := range mods {
		if slices.ContainsFunc(here, func(s replaceDirective) bool { return s.covers(m) }) {
			continue
		}
		for _, mm := range bc.Mains {
			for _, r := range mm.Index().Requires(m.Path) {
				rel = append(rel, Related{File: mm.File, Span: lineSpan(r.Syntax), Message: m.Path + " is in the build list as itself"})
			}
		}
	}
	return rel
}

// pruningOff reports whether go loads m's whole module graph: a main module
// below go 1.17 (or with no go line).
func pruningOff(m *workspace.Module) bool {
	return m.Mod.Go == nil || version.Compare("go"+m.Mod.Go.Version, "go1.17") < 0
}

// unused: a replace that applies to no module version the graph reads. It
// needs a complete graph; a go.mod replace of a workspace module must be
// unused in the module's own graph too (GOWORK=off builds use it).
func (rc *replaceChecker) unused(g *modgraph.Graph, bc buildContext, s replaceDirective) {
	if why := unusedIn(g, s); why != "" {
		if s.mod != nil && bc.Work != nil {
			if unusedIn(modgraph.Module(rc.snap, s.mod), s) == "" {
				return
			}
		}
		if s.rep.Old.Version == "" && rc.imported(g, bc, s) {
			return
		}
		d := rc.add(s, CodeReplaceUnused, SeverityWarning, "unused replacement: "+why)
		d.Fixes = []Fix{{Title: "Remove replace", Kind: KindQuickFix, Edits: []Edit{removeLine(s.file, rc.statement(s))}}}
	}
}

// statement is the replace's line, or the whole block when it is the
// block's only line: removing it removes the block, as go mod edit would.
func (rc *replaceChecker) statement(s replaceDirective) *modfile.Line {
	if s.syntax == nil {
		return s.rep.Syntax
	}
	if b := rc.soleLineBlocks(s.syntax)[s.rep.Syntax]; b != nil && len(b.RParen.Before) == 0 {
		_, end := b.RParen.Span()
		return &modfile.Line{Comments: b.Comments, Start: b.Start, End: end}
	}
	return s.rep.Syntax
}

// soleLineBlocks returns the blocks of syntax that hold one line, by that
// line, computed once per file and run: a scan of the file's statements per
// unused replace cost the square of a go.mod whose replaces are lines of
// their own.
func (rc *replaceChecker) soleLineBlocks(syntax *modfile.FileSyntax) map[*modfile.Line]*modfile.LineBlock {
	if blocks, ok := rc.blocks[syntax]; ok {
		return blocks
	}
	blocks := soleLineBlocks(syntax)
	if rc.blocks == nil {
		rc.blocks = make(map[*modfile.FileSyntax]map[*modfile.Line]*modfile.LineBlock)
	}
	rc.blocks[syntax] = blocks
	return blocks
}

// imported reports whether a main module the replace s applies to imports
// a package that no module of g provides and whose path is in the replaced
// module: go then fails with "module M provides package P and is replaced
// but not required; to add it: go get M" (replaced-not-required), and the
// replace is what go get will use, not something to remove.
func (rc *replaceChecker) imported(g *modgraph.Graph, bc buildContext, s replaceDirective) bool {
	mains := bc.Mains
	if s.mod != nil {
		mains = []*workspace.Module{s.mod}
	}
	for _, m := range mains {
		for _, imp := range modgraph.LoadAll(rc.snap, g, m).Unresolved {
			if imp == s.rep.Old.Path || strings.HasPrefix(imp, s.rep.Old.Path+"/") {
				return true
			}
		}
	}
	return false
}

// unusedIn says why s replaces nothing in g, or "" when it may.
func unusedIn(g *modgraph.Graph, s replaceDirective) string {
	if g.Incomplete() != nil || g.IsMain(s.rep.Old.Path) {
		return ""
	}
	v, ok := g.Selected(s.rep.Old.Path)
	switch {
	case !ok:
		return "no module in the build requires " + s.rep.Old.Path
	case s.rep.Old.Version == "" || v == s.rep.Old.Version:
		return ""
	}
	if _, read := g.RequiredBy(s.rep.Old); read {
		return "" // not selected, but the graph reads its (replaced) go.mod
	}
	return fmt.Sprintf("the build uses %s %s, not %s", s.rep.Old.Path, v, s.rep.Old.Version)
}

// ignoredInDependencies: a go.mod on disk that the build reaches only as a
// directory replacement — it is a main module of no build context — has
// replace directives go never applies: only main modules' replaces count.
// focusHasDependency reports whether the focus may hold the go.mod of a
// module that is no build context's main module (a directory another
// module replaces a dependency with): the only files ignoredInDependencies
// reports on. Without a focus, it may.
func (rc *replaceChecker) focusHasDependency() bool {
	if rc.focus == nil {
		return true
	}
	for path := range rc.focus.paths {
		if m := rc.snap.ModuleAt(path); m != nil && !rc.isMain(m) {
			return true
		}
	}
	return false
}

func (rc *replaceChecker) ignoredInDependencies(g *modgraph.Graph, bc buildContext) {
	if !rc.focusHasDependency() {
		return // what this finds is on a go.mod that is no main module's
	}
	for _, m := range g.BuildList() {
		if m.Version == "" {
			continue
		}
		r, ok := g.Replacement(m)
		if !ok || r.Version != "" {
			continue
		}
		dep := rc.snap.Module(r.Path)
		if dep == nil || dep.Mod == nil || !rc.focus.Has(dep.File) || rc.isMain(dep) {
			continue // what this finds is on dep's go.mod
		}
		var via *replaceDirective
		for s := range rc.sitesOf(bc, m.Path) {
			if s.covers(m) && s.target() == r {
				via = &s
			}
		}
		for _, dr := range dep.Mod.Replace {
			if rc.done[dr] {
				continue
			}
			rc.done[dr] = true
			d := Diagnostic{
				Code: CodeReplaceIgnored, Severity: SeverityInformation, File: dep.File, Span: lineSpan(dr.Syntax),
				Message: fmt.Sprintf("ignored: %s is not a main module, only a replacement of %v; go applies only the main modules' replace directives", m.Path, m),
			}
			if via != nil {
				d.Related = []Related{{File: via.file, Span: via.span(), Message: "the replacement that uses this module as a dependency"}}
			}
			rc.diags = append(rc.diags, d)
		}
	}
}
