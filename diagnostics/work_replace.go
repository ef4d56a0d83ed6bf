package diagnostics

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/workspace"
)

// Codes of the replace checks of workspace mode and of one file
// (cmd/go/internal/modload/modfile.go: toReplaceMap, replacementFrom;
// modload/init.go: makeMainModules).
const (
	CodeGoworkReplaceConflictAcrossModules = "gowork-replace-conflict-across-modules"
	CodeGoworkReplaceConflictMixed         = "gowork-replace-conflict-mixed"
	CodeGoworkReplacesWorkspaceModule      = "gowork-replaces-workspace-module"
	CodeReplaceDuplicateConflict           = "replace-duplicate-conflict"
	CodeReplaceIgnored                     = "replace-ignored"
)

// workReplaceCheck predicts how the go command combines replace directives,
// following cmd/go's modload: toReplaceMap (one file replacing the same
// module twice), makeMainModules (go.work replacing a workspace module;
// workspace modules' go.mod files disagreeing on a replacement) and
// replacementFrom (which replacement applies to a module version, and the
// conflicts it finds on the way). What go rejects is an error on each
// replace line involved, linked to the others; a replace go silently does
// not apply is information, linked to the one that wins.
var workReplaceCheck = Check{
	Name: "workReplace",
	Codes: []string{
		CodeGoworkReplaceConflictAcrossModules, CodeGoworkReplaceConflictMixed,
		CodeGoworkReplacesWorkspaceModule, CodeReplaceDuplicateConflict, CodeReplaceIgnored,
	},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return workReplace(context.Background(), snap, nil) },
	RunFocused: workReplace,
}

// workReplace is the check on the files of focus (every file when focus is nil).
func workReplace(ctx context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	checked := make(map[*workspace.File]bool) // files already searched for duplicates
	for _, bc := range buildContexts(snap) {
		if ctx.Err() != nil {
			return diags // stopped: the runner discards this
		}
		// Paths replaced twice with different targets in one file of the
		// context: go stops there, before it compares files.
		dupPaths := make(map[string]bool)
		dups := func(rf replaceFile) {
			d, paths := rf.duplicateConflicts()
			for p := range paths {
				dupPaths[p] = true
			}
			if !checked[rf.file] {
				checked[rf.file] = true
				diags = append(diags, d...)
			}
		}
		only := focusedReplacePaths(bc, focus)
		for _, m := range replacingMains(bc, only) {
			// A file with no replace line in question has no duplicate:
			// in a focused run, that is all but the files in focus.
			if rs := replacesAmong(m, only); len(rs) > 0 {
				dups(replaceFile{file: m.File, replaces: rs})
			}
		}
		if bc.Work == nil {
			continue
		}
		dups(workReplaceFile(bc.Work))
		wr := newWorkReplaces(bc, dupPaths)
		wr.focus, wr.only = focus, only
		diags = append(diags, wr.diagnostics()...)
	}
	return diags
}

// focusedReplacePaths returns the paths the go.mod files in focus replace:
// the workspace-wide questions (do two modules' replaces of a path
// conflict?) place their diagnostics on those replace lines, so a run
// focused on a go.mod asks them about its paths only. nil (every path)
// when focus is nil or holds the go.work, whose own diagnostics are
// about the whole workspace.
func focusedReplacePaths(bc buildContext, focus *Focus) []string {
	if focus == nil || (bc.Work != nil && focus.Has(bc.Work.File)) {
		return nil
	}
	only := []string{} // not nil: no path at all
	for m := range mainsInFocus(context.Background(), bc, focus) {
		for _, r := range m.Mod.Replace {
			only = append(only, r.Old.Path)
		}
	}
	slices.Sort(only)
	return slices.Compact(only)
}

// replacingMains returns bc's main modules, in order, that may replace a
// path of only: every one when only is nil, else those the context's
// index says replace one (ReplacesOfPath), without a look at the
// thousand that do not.
func replacingMains(bc buildContext, only []string) []*workspace.Module {
	if only == nil {
		return bc.Mains
	}
	var at []int
	for _, p := range only {
		for m := range bc.ReplacesOfPath(p) {
			if m != nil {
				at = append(at, bc.MainsAt(m.File.Path)...)
			}
		}
	}
	slices.Sort(at)
	at = slices.Compact(at)
	mods := make([]*workspace.Module, len(at))
	for i, j := range at {
		mods[i] = bc.Mains[j]
	}
	return mods
}

// replacesAmong returns m's replace directives of the paths in only, in
// file order; every one when only is nil.
func replacesAmong(m *workspace.Module, only []string) []*modfile.Replace {
	if only == nil {
		return m.Mod.Replace
	}
	if len(only) == 1 {
		return m.Index().ReplacesOfPath(only[0])
	}
	var out []*modfile.Replace
	for _, p := range only {
		out = append(out, m.Index().ReplacesOfPath(p)...)
	}
	if len(out) > 1 {
		slices.SortFunc(out, func(a, b *modfile.Replace) int { return a.Syntax.Start.Byte - b.Syntax.Start.Byte })
	}
	return out
}

// A replaceFile is a go.mod or go.work seen through its replace directives.
type replaceFile struct {
	file     *workspace.File
	replaces []*modfile.Replace
}

func workReplaceFile(w *workspace.Work) replaceFile {
	return replaceFile{file: w.File, replaces: w.Work.Replace}
}

// removeLine returns the edit that deletes l, one line of f, with the
// comment lines above it that modfile attaches to it: whole lines, so a
// block keeps its layout and nothing else in the file is reformatted
// (modfile's DropReplace would drop every replace of the same module
// version, and Format collapses one-line blocks elsewhere). A blank line
// left between two blank lines goes too.
func removeLine(f *workspace.File, l *modfile.Line) Edit {
	first := l.Start.Line
	for _, c := range l.Comments.Before {
		if c.Start.Line < first {
			first = c.Start.Line
		}
	}
	last := l.End.Line
	start := f.LineSpan(first).Start
	end := f.Size()
	if last < f.LineCount() {
		end = f.LineSpan(last + 1).Start
	}
	blank := func(n int) bool {
		if n < 1 || n > f.LineCount() {
			return true
		}
		sp := f.LineSpan(n)
		return strings.TrimSpace(string(f.Content()[sp.Start:sp.End])) == ""
	}
	if blank(first-1) && blank(last+1) {
		switch {
		case last+1 < f.LineCount():
			end = f.LineSpan(last + 2).Start
		case first > 1:
			start = f.LineSpan(first - 1).Start
		}
	}
	return Edit{File: f, Span: workspace.Span{Start: start, End: end}}
}

// duplicateConflicts reports the module versions the file replaces more
// than once with different targets, which go rejects (toReplaceMap):
//
//	go: conflicting replacements for example.com/dep@v1.0.0:
//		./r1
//		./r2
//
// Targets are compared as written. Identical duplicates are accepted. It
// also returns the module paths involved.
func (rf replaceFile) duplicateConflicts() ([]Diagnostic, map[string]bool) {
	if len(rf.replaces) < 2 {
		return nil, nil // the common case, a thousand times per workspace
	}
	var keys []module.Version
	byOld := make(map[module.Version][]*modfile.Replace)
	for _, r := range rf.replaces {
		if _, ok := byOld[r.Old]; !ok {
			keys = append(keys, r.Old)
		}
		byOld[r.Old] = append(byOld[r.Old], r)
	}
	var diags []Diagnostic
	paths := make(map[string]bool)
	for _, old := range keys {
		reps := byOld[old]
		var targets []string
		for _, r := range reps {
			if t := r.New.String(); !slices.Contains(targets, t) {
				targets = append(targets, t)
			}
		}
		if len(targets) < 2 {
			continue
		}
		paths[old.Path] = true
		msg := fmt.Sprintf("conflicting replacements for %v: %s", old, joinAnd(targets))
		for _, r := range reps {
			d := Diagnostic{Code: CodeReplaceDuplicateConflict, Severity: SeverityError, File: rf.file, Span: lineSpan(r.Syntax), Message: msg}
			for _, o := range reps {
				if o != r {
					d.Related = append(d.Related, Related{File: rf.file, Span: lineSpan(o.Syntax), Message: "also replaces " + old.String() + ", with " + o.New.String()})
				}
			}
			d.Fixes = []Fix{{Title: "Remove this replacement", Kind: KindQuickFix, Edits: []Edit{removeLine(rf.file, r.Syntax)}}}
			diags = append(diags, d)
		}
	}
	return diags, paths
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// workReplaces holds one workspace's replace directives as cmd/go's
// makeMainModules and replacementFrom see them.
type workReplaces struct {
	ctx   *buildctx.Context // answers which replace applies
	work  *workspace.Work
	mains []*workspace.Module // the used modules, once each, in go.work's use order
	// byWork: paths go.work replaces at some version. makeMainModules then
	// leaves every go.mod replace of the path out of its comparison.
	byWork map[string]bool
	// dupPaths: paths a file replaces twice with different targets; go
	// fails on them first (replace-duplicate-conflict), so they are not
	// examined further.
	dupPaths map[string]bool
	// conflicts: the replaced module versions (Old keys) on which the
	// go.mod files disagree (gowork-replace-conflict-across-modules).
	conflicts map[module.Version]bool
	// reported: go.mod replace lines with an error, which get no
	// replace-ignored on top.
	reported map[*modfile.Replace]bool
	// byFile: the used module of each go.mod (site), made on first use.
	byFile map[*workspace.File]*workspace.Module
	// focus and only (focusedReplacePaths) restrict the questions to the
	// replace lines of the files in focus; nil for all.
	focus *Focus
	only  []string
	// replacing: the mains that replace a path of only (replacers), made
	// on first use.
	replacing []*workspace.Module
	diags     []Diagnostic
}

// focusedMains returns the indexes in wr.mains of the modules in focus:
// from the context's index (MainsAt) when wr.mains is the context's Mains
// (go.work names no directory twice, and every module has a module
// line), else by asking of each.
func (wr *workReplaces) focusedMains() []int {
	if len(wr.mains) == len(wr.ctx.Mains) {
		if at, ok := focusedMainIndexes(buildContext{wr.ctx}, wr.focus, false); ok {
			return at
		}
	}
	var at []int
	for i, m := range wr.mains {
		if wr.focus.Has(m.File) {
			at = append(at, i)
		}
	}
	return at
}

// replacers returns the mains that may replace a path of only, in order:
// every one when only is nil, else those the context's index names
// (replacingMains), so that a run focused on one go.mod asks the few
// modules that replace its paths, not each of a thousand.
func (wr *workReplaces) replacers() []*workspace.Module {
	if wr.only == nil {
		return wr.mains
	}
	if wr.replacing == nil {
		_, repeats := wr.work.FirstUse(0)
		wr.replacing = distinctMains(replacingMains(buildContext{wr.ctx}, wr.only), repeats)
	}
	return wr.replacing
}

// distinctMains is mods, in order, less those without a module line and,
// when repeats (go.work names a directory twice), those of a directory
// already listed: the main modules the go.work replace questions ask of.
func distinctMains(mods []*workspace.Module, repeats bool) []*workspace.Module {
	if !repeats && !slices.ContainsFunc(mods, func(m *workspace.Module) bool { return m.Mod.Module == nil }) {
		return slices.Clip(mods) // all of them: no copy of a thousand per edit
	}
	var seen map[string]bool
	if repeats {
		seen = make(map[string]bool)
	}
	out := make([]*workspace.Module, 0, len(mods))
	for _, m := range mods {
		if seen[m.Dir] || m.Mod.Module == nil {
			continue
		}
		if seen != nil {
			seen[m.Dir] = true
		}
		out = append(out, m)
	}
	return out
}

// newWorkReplaces starts the check of bc's go.work replaces. What it
// makes grows with the workspace only where go.work names a directory
// twice: the main modules by path are the context's (MainOf), and the
// modules by file are made when first asked.
func newWorkReplaces(bc buildContext, dupPaths map[string]bool) *workReplaces {
	wr := &workReplaces{
		ctx:       bc.Context,
		work:      bc.Work,
		byWork:    make(map[string]bool),
		dupPaths:  dupPaths,
		conflicts: make(map[module.Version]bool),
		reported:  make(map[*modfile.Replace]bool),
	}
	_, repeats := bc.Work.FirstUse(0)
	wr.mains = distinctMains(bc.Mains, repeats)
	for _, r := range bc.Work.Work.Replace {
		wr.byWork[r.Old.Path] = true
	}
	return wr
}

// mainOf is the workspace module whose module path is path, or nil.
func (wr *workReplaces) mainOf(path string) *workspace.Module { return wr.ctx.MainOf(path) }

// moduleOf is the main module whose go.mod is f, or nil (go.work).
func (wr *workReplaces) moduleOf(f *workspace.File) *workspace.Module {
	if wr.byFile == nil {
		wr.byFile = make(map[*workspace.File]*workspace.Module, len(wr.mains))
		for _, m := range wr.mains {
			if _, ok := wr.byFile[m.File]; !ok {
				wr.byFile[m.File] = m
			}
		}
	}
	return wr.byFile[f]
}

func (wr *workReplaces) diagnostics() []Diagnostic {
	wr.replacesWorkspaceModule()
	wr.acrossModules()
	wr.mixed()
	wr.ignored()
	return wr.diags
}

// workTarget re-expresses a target for a go.work replace line: a directory
// relative to the go.work directory (absolute if it cannot be), a module
// version as it is.
func (wr *workReplaces) workTarget(abs module.Version) module.Version {
	if abs.Version != "" {
		return abs
	}
	if rel, err := filepath.Rel(wr.work.Dir, abs.Path); err == nil {
		return module.Version{Path: toDirectoryPath(rel)}
	}
	return abs
}

// replaceLine is how a replace reads in a file: "path [version] => target [version]".
func replaceLine(old, new module.Version) string {
	s := old.Path
	if old.Version != "" {
		s += " " + old.Version
	}
	s += " => " + new.Path
	if new.Version != "" {
		s += " " + new.Version
	}
	return s
}

// resolveFixes offers, for each competing target, a go.work replace of old
// with that target: go.work's replacements override the modules' ones.
func (wr *workReplaces) resolveFixes(old module.Version, sites []replaceDirective) []Fix {
	var fixes []Fix
	var offered []module.Version
	for _, s := range sites {
		t := wr.workTarget(s.target())
		if slices.Contains(offered, t) {
			continue
		}
		offered = append(offered, t)
		edits, err := editWork(wr.work, func(wf *modfile.WorkFile) error {
			return wf.AddReplace(old.Path, old.Version, t.Path, t.Version)
		})
		if err != nil || len(edits) == 0 {
			continue
		}
		fixes = append(fixes, Fix{
			Title: "Resolve conflict with a go.work replace: " + replaceLine(old, t),
			Kind:  KindQuickFix,
			Edits: edits,
		})
	}
	return fixes
}

// replacesWorkspaceModule: go.work may replace a workspace module only at a
// version (makeMainModules).
func (wr *workReplaces) replacesWorkspaceModule() {
	if !wr.focus.Has(wr.work.File) {
		return
	}
	for _, r := range wr.work.Work.Replace {
		m := wr.mainOf(r.Old.Path)
		if m == nil || r.Old.Version != "" {
			continue
		}
		d := Diagnostic{
			Code: CodeGoworkReplacesWorkspaceModule, Severity: SeverityError, File: wr.work.File, Span: lineSpan(r.Syntax),
			Message: fmt.Sprintf("workspace module %v is replaced at all versions in the go.work file. To fix, remove the replacement from the go.work file or specify the version at which to replace the module.", r.Old.Path),
			Related: []Related{{File: m.File, Span: lineSpan(m.Mod.Module.Syntax), Message: "the workspace module " + r.Old.Path}},
		}
		path := r.Old.Path
		if edits, err := editWork(wr.work, func(wf *modfile.WorkFile) error { return wf.DropReplace(path, "") }); err == nil && len(edits) > 0 {
			d.Fixes = []Fix{{Title: "Remove the replacement", Kind: KindQuickFix, Edits: edits}}
		}
		wr.diags = append(wr.diags, d)
	}
}

// acrossModules: makeMainModules fails when two workspace modules replace
// the same module version (or both the whole module) with different
// targets, unless go.work replaces that module path at any version:
//
//	go: conflicting replacements for example.com/dep@v1.0.0:
//		/w/r1
//		/w/r2
//	use "go work edit -replace example.com/dep@v1.0.0=[override]" to resolve
func (wr *workReplaces) acrossModules() {
	var keys []module.Version
	sites := make(map[module.Version][]replaceDirective)
	for _, m := range wr.replacers() {
		for _, r := range replacesAmong(m, wr.only) {
			if wr.byWork[r.Old.Path] || wr.dupPaths[r.Old.Path] {
				continue
			}
			if _, ok := sites[r.Old]; !ok {
				keys = append(keys, r.Old)
			}
			sites[r.Old] = append(sites[r.Old], modLine(m, r))
		}
	}
	for _, old := range keys {
		ss := sites[old]
		var targets []string
		for _, s := range ss {
			if t := s.target().String(); !slices.Contains(targets, t) {
				targets = append(targets, t)
			}
		}
		if len(targets) < 2 {
			continue
		}
		wr.conflicts[old] = true
		msg := fmt.Sprintf("conflicting replacements for %v: %s; use \"go work edit -replace %v=[override]\" to resolve", old, joinAnd(targets), old)
		var fixes []Fix
		if wr.mainOf(old.Path) != nil && old.Version == "" {
			// go's advice would make go.work replace a workspace module at
			// all versions, which go rejects: the go.mod replaces must agree.
			msg = fmt.Sprintf("conflicting replacements for %v: %s; %v is a workspace module, so go applies neither, but it rejects them until they agree", old, joinAnd(targets), old.Path)
		} else {
			fixes = wr.resolveFixes(old, ss)
		}
		for _, s := range ss {
			d := Diagnostic{Code: CodeGoworkReplaceConflictAcrossModules, Severity: SeverityError, File: s.mod.File, Span: lineSpan(s.rep.Syntax), Message: msg, Fixes: fixes}
			for _, o := range ss {
				if o.mod != s.mod {
					d.Related = append(d.Related, Related{File: o.mod.File, Span: lineSpan(o.rep.Syntax), Message: "replaced with " + o.target().String() + " here"})
				}
			}
			wr.reported[s.rep] = true
			wr.diags = append(wr.diags, d)
		}
	}
}

// workReplacement returns go.work's replace for mod: an exact one, else one
// for the whole module (buildctx.Context.WorkReplace, a lookup in the
// context's replace index: it is asked for every replace of every used
// module).
func (wr *workReplaces) workReplacement(mod module.Version) *modfile.Replace {
	return wr.ctx.WorkReplace(mod)
}

// replaceResolution is what replacementFrom makes of one module version the
// go.mod files replace.
type replaceResolution struct {
	// conflict: the two modules in which replacementFrom stops with
	// "conflicting replacements found"; nil when it does not.
	conflict []replaceDirective
	winner   replaceDirective // the replacement go applies when there is no conflict; rep is nil if none
}

// resolve is replacementFrom for mod, which go.work does not replace, as
// buildctx decides it: each workspace module in use order that replaces mod
// (exactly, else at all versions) takes over from the previous one, but one
// that replaces it exactly, with a target written differently from the
// previous module's, is a conflict. Targets are compared as written, not
// made absolute (so "../r" in a/go.mod and "../../r" in x/b/go.mod conflict
// although they name one directory, and "../r" in both agree although they
// may not).
func (wr *workReplaces) resolve(mod module.Version) replaceResolution {
	r, ok, conflict := wr.ctx.ResolveReplacement(mod)
	var res replaceResolution
	switch {
	case conflict != nil:
		res.conflict = []replaceDirective{wr.site(conflict.First), wr.site(conflict.Second)}
	case ok && r.File != wr.work.File:
		res.winner = wr.site(r)
	}
	return res
}

// site is r, a replace of a workspace module's go.mod, with its module.
func (wr *workReplaces) site(r buildctx.Replacement) replaceDirective {
	if m := wr.moduleOf(r.File); m != nil {
		return modLine(m, r.Replace)
	}
	return replaceDirective{file: r.File, dir: filepath.Dir(r.File.Path), rep: r.Replace}
}

// mixed: replacementFrom fails when, for a module version it is asked
// about, two workspace modules replace it differently and the later one
// replaces exactly that version (typically: one replaces the whole module,
// the other one version):
//
//	conflicting replacements found for example.com/dep@v1.1.0 in workspace modules defined by /w/a/go.mod and /w/b/go.mod
//
// go asks about every version it loads a go.mod for, or lists. Without
// the module graph (MVS over the whole workspace), this check assumes go
// asks about exactly the versions the workspace modules' go.mod files
// require: the graph is built from them, so each is loaded. A version
// selected only through a dependency's requirements is not considered, so
// a conflict there is missed, never invented.
func (wr *workReplaces) mixed() {
	// Only a path two workspace modules replace can have conflicting
	// replacements (replacementFrom compares one module's with a later
	// one's): the requirements asked about are those of such paths, not
	// the twenty thousand of a thousand modules.
	replacers := make(map[string]int)
	for _, m := range wr.replacers() {
		for _, r := range replacesAmong(m, wr.only) {
			if m.Index().ReplacesOfPath(r.Old.Path)[0] == r { // once per module and path
				replacers[r.Old.Path]++
			}
		}
	}
	contested := make(map[string]bool)
	var contestedPaths []string
	for p, n := range replacers {
		if n >= 2 {
			contested[p] = true
			contestedPaths = append(contestedPaths, p)
		}
	}
	if len(contested) == 0 {
		return
	}
	required := make(map[string][]string) // path -> versions required, sorted
	var paths []string
	add := func(r *modfile.Require) {
		if _, ok := required[r.Mod.Path]; !ok {
			paths = append(paths, r.Mod.Path)
		}
		if !slices.Contains(required[r.Mod.Path], r.Mod.Version) {
			required[r.Mod.Path] = append(required[r.Mod.Path], r.Mod.Version)
		}
	}
	for _, m := range wr.mains {
		if len(contested) > len(m.Mod.Require) {
			for _, r := range m.Mod.Require {
				if contested[r.Mod.Path] {
					add(r)
				}
			}
			continue
		}
		for _, p := range contestedPaths {
			for _, r := range m.Index().Requires(p) {
				add(r)
			}
		}
	}
	for _, p := range paths {
		if wr.dupPaths[p] || wr.conflicts[module.Version{Path: p}] {
			continue
		}
		vers := required[p]
		slices.SortFunc(vers, semver.Compare)
		for _, v := range vers {
			mod := module.Version{Path: p, Version: v}
			if wr.conflicts[mod] || wr.workReplacement(mod) != nil {
				continue
			}
			res := wr.resolve(mod)
			if res.conflict == nil {
				continue
			}
			a, b := res.conflict[0], res.conflict[1]
			msg := fmt.Sprintf("conflicting replacements found for %v in workspace modules defined by %s and %s", mod, a.mod.File.Path, b.mod.File.Path)
			fixes := wr.resolveFixes(mod, res.conflict)
			reqMod, req := wr.requireOf(mod)
			for i, s := range res.conflict {
				o := res.conflict[1-i]
				d := Diagnostic{
					Code: CodeGoworkReplaceConflictMixed, Severity: SeverityError, File: s.mod.File, Span: lineSpan(s.rep.Syntax), Message: msg, Fixes: fixes,
					Related: []Related{{File: o.mod.File, Span: lineSpan(o.rep.Syntax), Message: "replaced with " + o.target().String() + " here"}},
				}
				if req != nil {
					d.Related = append(d.Related, Related{File: reqMod.File, Span: lineSpan(req.Syntax), Message: "requires " + mod.String()})
				}
				wr.reported[s.rep] = true
				wr.diags = append(wr.diags, d)
			}
		}
	}
}

// requireOf returns the first require of mod by a workspace module, and
// that module; nil if there is none. (Asked per conflict: the go.mod
// files' indexes, not a scan of their requires.)
func (wr *workReplaces) requireOf(mod module.Version) (*workspace.Module, *modfile.Require) {
	for _, m := range wr.mains {
		for _, r := range m.Index().Requires(mod.Path) {
			if r.Mod == mod {
				return m, r
			}
		}
	}
	return nil, nil
}

// ignored: replaces of the workspace modules' go.mod files that go
// silently does not apply, each linked to what applies instead:
//   - a replace of a workspace module itself (replacementFrom never
//     replaces a main module's own version);
//   - a replace overridden by go.work, which replaces that module at all
//     versions, or exactly the version this replace is for;
//   - a replace of one version that a later module in go.work's use list
//     replaces differently (replacementFrom keeps the last one);
//   - a replace of all versions that a later module replaces differently at
//     all versions too (go accepts this only while go.work replaces the
//     module at some version).
//
// A replace whose target is what applies anyway (etcd's modules replace
// each other with the directories go.work uses) is not reported. Lines go
// fails on are left to the conflict codes.
func (wr *workReplaces) ignored() {
	for _, i := range wr.focusedMains() {
		m := wr.mains[i]
		for _, r := range m.Mod.Replace {
			if wr.reported[r] || wr.dupPaths[r.Old.Path] || wr.conflicts[r.Old] {
				continue
			}
			s := modLine(m, r)
			if wm := wr.mainOf(r.Old.Path); wm != nil {
				if s.target() != (module.Version{Path: wm.Dir}) {
					wr.ignore(s, fmt.Sprintf("ignored in the workspace: %s is a workspace module, used from %s", r.Old.Path, shortPath(wr.work.Dir, wm.Dir)),
						wr.useRelated(wm))
				}
				continue
			}
			if wrep := wr.workReplacement(r.Old); wrep != nil {
				if s.target() != buildctx.ReplaceTarget(wr.work.Dir, wrep.New) {
					wr.ignore(s, "overridden by go.work: "+replaceLine(wrep.Old, wrep.New),
						Related{File: wr.work.File, Span: lineSpan(wrep.Syntax), Message: "the replacement go applies"})
				}
				continue
			}
			if r.Old.Version != "" {
				res := wr.resolve(r.Old)
				if res.conflict != nil || res.winner.mod == m || res.winner.target() == s.target() {
					continue
				}
				wr.ignore(s, wr.overriddenBy(s, res.winner), wr.winnerRelated(res.winner))
				continue
			}
			for _, later := range slices.Backward(wr.mains[i+1:]) {
				if lr := later.Index().ReplaceOf(module.Version{Path: r.Old.Path}); lr != nil {
					w := modLine(later, lr)
					if w.target() != s.target() {
						wr.ignore(s, wr.overriddenBy(s, w), wr.winnerRelated(w))
					}
					break
				}
			}
		}
	}
}

func (wr *workReplaces) ignore(s replaceDirective, msg string, rel Related) {
	wr.diags = append(wr.diags, Diagnostic{
		Code: CodeReplaceIgnored, Severity: SeverityInformation, File: s.mod.File, Span: lineSpan(s.rep.Syntax), Message: msg,
		Related: []Related{rel},
	})
}

// overriddenBy says that the replace s loses to w, a later module's.
func (wr *workReplaces) overriddenBy(s, w replaceDirective) string {
	return fmt.Sprintf("overridden by %s: %s (go applies the replacement of the last module in go.work's use list that replaces %v)",
		shortPath(wr.work.Dir, w.mod.File.Path), replaceLine(w.rep.Old, w.rep.New), s.rep.Old)
}

func (wr *workReplaces) winnerRelated(w replaceDirective) Related {
	return Related{File: w.mod.File, Span: lineSpan(w.rep.Syntax), Message: "the replacement go applies"}
}

// useRelated points at go.work's use line for the workspace module m.
func (wr *workReplaces) useRelated(m *workspace.Module) Related {
	for _, u := range wr.work.Work.Use {
		if workspace.UseDir(wr.work, u.Path) == m.Dir {
			return Related{File: wr.work.File, Span: lineSpan(u.Syntax), Message: "the workspace uses this module"}
		}
	}
	return Related{File: m.File, Span: lineSpan(m.Mod.Module.Syntax), Message: "the workspace module"}
}
