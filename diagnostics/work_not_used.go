package diagnostics

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/workspace"
)

// Codes of the workspace membership checks (gomodls only).
const (
	CodeGoWorkModuleNotUsed = "gowork-module-not-used"
	CodeGoWorkMissing       = "gowork-missing"
)

// workNotUsedCheck is advice on which modules make up a workspace.
//
// A module under a go.work's directory that the go.work does not use is
// outside the workspace: the go command refuses to build in it ("directory
// c is contained in a module that is not one of the workspace modules
// listed in go.work") while go list -m and builds of the used modules pass.
// It is reported on the module line of its go.mod, with a fix adding it,
// and summed up in a hint on the go.work, with the command go work use -r .
// Modules discovery skips (vendor, testdata, dot and underscore
// directories), those in the module cache, patched copies of dependencies
// (the targets of go.work's directory replaces and of those of a module of
// another project), and modules whose path another module of the workspace
// or its tree declares too are left alone.
//
// Without any go.work, modules of one project in a workspace folder that
// require each other through directory replaces are a workspace in all but
// name: they get the advice to run go work init, once per directory tree,
// and only where the go.work would cost no module its build (workRoots).
// "One project" means module paths that share their first two elements
// (go.etcd.io/etcd/server/v3 and go.etcd.io/etcd/api/v3), which leaves
// out the usual single module with a patched copy of a dependency
// (replace github.com/x/y => ./third_party/y).
var workNotUsedCheck = Check{
	Name:       "workNotUsed",
	Codes:      []string{CodeGoWorkModuleNotUsed, CodeGoWorkMissing},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return workNotUsed(context.Background(), snap, nil) },
	RunFocused: workNotUsed,
}

// workNotUsed is the check on the files of focus (every file when focus is nil).
func workNotUsed(ctx context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	for _, w := range worksInEffect(snap) {
		if !focus.Has(w.File) && !focusesUnused(snap, w, focus) {
			continue
		}
		diags = append(diags, notUsedDiagnostics(snap, w)...)
	}
	return append(diags, missingWorkDiagnostics(snap)...)
}

// focusesUnused reports whether focus may hold a diagnostic of
// notUsedDiagnostics for w other than go.work's: the go.mod of a module
// that w does not use. A go.mod that w uses, or a go.sum, holds none.
func focusesUnused(snap *workspace.Snapshot, w *workspace.Work, focus *Focus) bool {
	if focus == nil {
		return true
	}
	for path := range focus.paths {
		if filepath.Base(path) != "go.mod" {
			continue
		}
		if _, used := w.UseLine(filepath.Dir(path)); !used {
			return true
		}
	}
	return false
}

func notUsedDiagnostics(snap *workspace.Snapshot, w *workspace.Work) []Diagnostic {
	uses, _ := uniqueUses(snap, w)
	used := make(map[string]bool)
	mods := make(map[string]*workspace.Module) // the workspace and its tree, by directory
	for _, wu := range uses {
		used[wu.dir] = true
		if wu.mod != nil && wu.mod.Mod != nil && wu.mod.Mod.Module != nil {
			mods[wu.dir] = wu.mod
		}
	}
	var tree []*workspace.Module
	for _, m := range snap.Modules() {
		if m.Mod != nil && m.Mod.Module != nil && workspace.Within(m.Dir, w.Dir) &&
			snap.WorkFor(m.Dir) == w && !hiddenFrom(w.Dir, m.Dir) && !inModuleCache(snap, m.Dir) {
			mods[m.Dir] = m
			tree = append(tree, m)
		}
	}
	// A directory that a replace of go.work, or of a module of another
	// project, names is a stand-in for a dependency (a patched copy), not a
	// workspace module, and so is any directory declaring that dependency's
	// path. How many directories declare each module path counts too:
	// adding one whose path another declares would make
	// gowork-module-duplicate, and which one is meant is not ours to guess.
	replacement := make(map[string]bool)
	standIn := make(map[string]bool)
	declared := make(map[string]int)
	for _, m := range mods {
		declared[m.Mod.Module.Mod.Path]++
		for _, r := range m.Mod.Replace {
			if dir, ok := replaceDir(m.Dir, r); ok && !sameProject(m.Mod.Module.Mod.Path, r.Old.Path) {
				replacement[dir], standIn[r.Old.Path] = true, true
			}
		}
	}
	for _, r := range w.Work.Replace {
		if dir, ok := replaceDir(w.Dir, r); ok {
			replacement[dir], standIn[r.Old.Path] = true, true
		}
	}
	var candidates []*workspace.Module
	for _, m := range tree {
		p := m.Mod.Module.Mod.Path
		if !used[m.Dir] && !replacement[m.Dir] && !standIn[p] && declared[p] == 1 {
			candidates = append(candidates, m)
		}
	}

	// Adding a use is a quick fix, never fix-all: it changes which code
	// the workspace builds (the module's requirements join the build list,
	// and a vendoring workspace needs go work vendor after it), so it is
	// for the user to choose, not for a save to do.
	addKind := KindQuickFix
	var diags []Diagnostic
	var unused []*workspace.Module
	var paths []string
	for _, m := range candidates {
		rel, _ := filepath.Rel(w.Dir, m.Dir)
		usePath := toDirectoryPath(rel)
		d := Diagnostic{
			Code:     CodeGoWorkModuleNotUsed,
			Severity: SeverityInformation,
			File:     m.File,
			Span:     lineSpan(m.Mod.Module.Syntax),
			Message: fmt.Sprintf("directory %s is contained in a module that is not one of the workspace modules listed in go.work (%s); add it to the workspace using: go work use %s",
				rel, shortPath(m.Dir, w.File.Path), rel),
			Related: []Related{{File: w.File, Span: useBlockSpan(w), Message: "the workspace's use directives"}},
		}
		target := workGoTarget(snap, w, m)
		edits, err := editWork(w, func(wf *modfile.WorkFile) error {
			if err := wf.AddUse(usePath, m.Mod.Module.Mod.Path); err != nil {
				return err
			}
			return updateWorkGoVersion(wf, target)
		})
		if err == nil && len(edits) > 0 {
			d.Fixes = []Fix{{Title: "Add " + usePath + " to go.work", Kind: addKind, Edits: edits}}
		}
		diags = append(diags, d)
		unused = append(unused, m)
		paths = append(paths, usePath)
	}
	if len(unused) == 0 {
		return diags
	}
	are := "are"
	if len(unused) == 1 {
		are = "is"
	}
	hint := Diagnostic{
		Code:     CodeGoWorkModuleNotUsed,
		Severity: SeverityHint,
		File:     w.File,
		Span:     useBlockSpan(w),
		Message:  fmt.Sprintf("%s under this directory %s not in the workspace: %s", countNoun(len(unused), "module"), are, strings.Join(paths, ", ")),
		Fixes: []Fix{{Title: "Add all modules (go work use -r .)", Kind: KindQuickFix, Command: &Command{
			Name: CommandWorkUse, Title: "go work use -r .", Dir: w.Dir, Args: []string{"-r", "."},
		}}},
	}
	for _, m := range unused {
		hint.Related = append(hint.Related, Related{File: m.File, Span: lineSpan(m.Mod.Module.Syntax), Message: m.Mod.Module.Mod.Path + " is not used"})
	}
	return append(diags, hint)
}

// replaceDir returns the absolute directory of a directory replacement
// written in a file of dir.
func replaceDir(dir string, r *modfile.Replace) (string, bool) {
	if r.New.Version != "" || !modfile.IsDirectoryPath(r.New.Path) {
		return "", false
	}
	return buildctx.ReplaceTarget(dir, r.New).Path, true
}

// hiddenFrom reports whether a directory between root and dir (or dir
// itself) is one the go command's ./... and discovery skip.
func hiddenFrom(root, dir string) bool {
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == "." {
		return false
	}
	return slices.ContainsFunc(strings.Split(rel, string(filepath.Separator)), workspace.SkipDir)
}

// inModuleCache reports whether dir lies in the module cache, which a
// workspace folder may hold (a GOPATH inside it) but which holds no
// modules of the user's.
func inModuleCache(snap *workspace.Snapshot, dir string) bool {
	return snap.Env.GOMODCACHE != "" && workspace.Within(dir, filepath.Clean(snap.Env.GOMODCACHE))
}

// useBlockSpan is the first line of w's first use directive, or line 1.
func useBlockSpan(w *workspace.Work) workspace.Span {
	for _, stmt := range w.Work.Syntax.Stmt {
		switch s := stmt.(type) {
		case *modfile.Line:
			if len(s.Token) > 0 && s.Token[0] == "use" {
				return lineSpan(s)
			}
		case *modfile.LineBlock:
			if len(s.Token) > 0 && s.Token[0] == "use" {
				return w.File.LineSpan(s.Start.Line)
			}
		}
	}
	return w.File.LineSpan(1)
}

// missingWorkDiagnostics finds, in each workspace folder that no go.work
// covers, the modules linked by requirements that directory replaces
// satisfy with another module of the folder, and advises go work init where
// a go.work would cost no module its build (see workRoots).
func missingWorkDiagnostics(snap *workspace.Snapshot) []Diagnostic {
	if !buildctx.GoWorkOf(snap.Env).Search() {
		return nil // off, or a go.work chosen elsewhere
	}
	// -mod=mod is refused in workspace mode, and -mod=vendor wants the
	// go.work's own vendor directory (modload's setDefaultBuildMod): with
	// either in GOFLAGS, any go.work stops every build under it.
	if mod := goflagsMod(snap.Env); mod != "" && mod != "readonly" {
		return nil
	}
	var diags []Diagnostic
	for _, folder := range snap.Folders {
		if snap.WorkFor(folder) != nil || slices.ContainsFunc(snap.Works(), func(w *workspace.Work) bool { return workspace.Within(w.Dir, folder) }) {
			continue
		}
		diags = append(diags, folderWorkDiagnostics(snap, folder)...)
	}
	return diags
}

// A localReplace is a replace line of one module of a folder that points
// at another, which the first requires.
type localReplace struct {
	from, to *workspace.Module
	rep      *modfile.Replace
}

func folderWorkDiagnostics(snap *workspace.Snapshot, folder string) []Diagnostic {
	var mods []*workspace.Module
	inFolder := make(map[*workspace.Module]bool)
	for _, m := range snap.Modules() {
		if workspace.Within(m.Dir, folder) && !hiddenFrom(folder, m.Dir) && !inModuleCache(snap, m.Dir) {
			mods = append(mods, m)
			inFolder[m] = true
		}
	}
	// In directory order, so that a directory's own module comes before
	// those under it.
	slices.SortFunc(mods, func(a, b *workspace.Module) int { return cmp.Compare(a.Dir, b.Dir) })
	// Union-find over the modules, joined by local replaces.
	parent := make(map[*workspace.Module]*workspace.Module)
	var find func(*workspace.Module) *workspace.Module
	find = func(m *workspace.Module) *workspace.Module {
		if p, ok := parent[m]; ok && p != m {
			r := find(p)
			parent[m] = r
			return r
		}
		return m
	}
	var links []localReplace
	linked := make(map[*workspace.Module]bool)
	for _, m := range mods {
		if m.Mod == nil || m.Mod.Module == nil {
			continue
		}
		for _, r := range m.Mod.Replace {
			dir, ok := replaceDir(m.Dir, r)
			if !ok {
				continue
			}
			to := snap.Module(dir)
			if to == nil || to == m || !inFolder[to] || to.Mod == nil || to.Mod.Module == nil || to.Mod.Module.Mod.Path != r.Old.Path ||
				!requires(m, r.Old) || !sameProject(m.Mod.Module.Mod.Path, r.Old.Path) {
				continue
			}
			links = append(links, localReplace{from: m, to: to, rep: r})
			linked[m], linked[to] = true, true
			parent[find(m)] = find(to)
		}
	}
	groups := make(map[*workspace.Module][]*workspace.Module)
	for _, m := range mods {
		if linked[m] {
			groups[find(m)] = append(groups[find(m)], m)
		}
	}
	var diags []Diagnostic
	for _, wr := range workRoots(snap, mods, groups, find) {
		// Placed on the first local replace of the modules, related to the
		// others: repeating it on each replace line (17 times on
		// opentelemetry-go-contrib) is noise.
		var first localReplace
		for _, l := range links {
			if workspace.Within(l.from.Dir, wr.dir) {
				first = l
				break
			}
		}
		var dirs []string
		var related []Related
		for _, m := range wr.mods { // in directory order
			rel, _ := filepath.Rel(wr.dir, m.Dir)
			dirs = append(dirs, toDirectoryPath(rel))
			if m != first.from {
				related = append(related, Related{File: m.File, Span: lineSpan(m.Mod.Module.Syntax), Message: m.Mod.Module.Mod.Path + " is part of it"})
			}
		}
		of, where, file := "of this folder", "", "go.work"
		if wr.dir != folder {
			rel := shortPath(folder, wr.dir)
			of, where, file = "under "+rel, " in "+rel, rel+"/go.work"
		}
		title := "Create " + file + " (go work init " + strings.Join(dirs, " ") + ")"
		diags = append(diags, Diagnostic{
			Code:     CodeGoWorkMissing,
			Severity: SeverityInformation,
			File:     first.from.File,
			Span:     lineSpan(first.rep.Syntax),
			Message: fmt.Sprintf("no go.work: %s %s require each other through directory replaces (%s); a go.work%s would make them one workspace: go work init %s",
				countNoun(len(wr.mods), "module"), of, strings.Join(dirs, ", "), where, strings.Join(dirs, " ")),
			Related: related,
			Fixes: []Fix{{Title: title, Kind: KindQuickFix, Command: &Command{
				Name: CommandWorkInit, Title: "go work init", Dir: wr.dir, Args: dirs,
			}}},
		})
	}
	return diags
}

// A workRoot is a directory where go work init would make one workspace of
// modules linked by local replaces, and those modules.
type workRoot struct {
	dir  string
	mods []*workspace.Module
}

// workRoots chooses where to advise a go.work, never where one would stop a
// module that builds today. A go.work in a directory applies to every module
// under it (the go command looks for go.work upward from where it runs:
// cmd/go/internal/modload init.go, findWorkspaceFile), and refuses to build
// in a module it does not use; so each candidate, the innermost directory
// holding a group of linked modules, is kept only if every module under it
// (discovery's, as for gowork-module-not-used) is linked, and none vendors
// (workspace mode ignores a module's vendor directory, so an offline build
// from vendor/ would have to fetch, and a go.work would need go work
// vendor). The go.work uses all of them: the groups of any inner candidates
// too, since two go.work files one above the other would leave the inner
// modules out of the outer workspace. Candidates are tried from the
// outermost, and one under a directory already advised is dropped, so each
// directory gets at most one advice: six groups of opentelemetry-go-contrib
// get one go work init of all their modules, and moby's vendored root
// module, which requires ./api and ./client, gets none.
func workRoots(snap *workspace.Snapshot, mods []*workspace.Module, groups map[*workspace.Module][]*workspace.Module, find func(*workspace.Module) *workspace.Module) []workRoot {
	groupDir := make(map[*workspace.Module]string) // group root → its innermost directory
	var candidates []string
	for root, group := range groups {
		if len(group) < 2 {
			continue
		}
		dir := group[0].Dir
		for _, m := range group[1:] {
			for !workspace.Within(m.Dir, dir) && filepath.Dir(dir) != dir {
				dir = filepath.Dir(dir)
			}
		}
		groupDir[root] = dir
		if !slices.Contains(candidates, dir) {
			candidates = append(candidates, dir)
		}
	}
	slices.SortFunc(candidates, func(a, b string) int { return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b)) })
	var roots []workRoot
	for _, dir := range candidates {
		if slices.ContainsFunc(roots, func(r workRoot) bool { return workspace.Within(dir, r.dir) }) {
			continue
		}
		var under []*workspace.Module
		ok := true
		for _, m := range mods {
			if !workspace.Within(m.Dir, dir) {
				continue
			}
			under = append(under, m)
			gd, linked := groupDir[find(m)]
			if !linked || !workspace.Within(gd, dir) || snap.HasVendorDir(m.Dir) {
				ok = false
			}
		}
		if ok {
			roots = append(roots, workRoot{dir: dir, mods: under})
		}
	}
	return roots
}

// sameProject reports whether two module paths share their first two
// elements.
func sameProject(a, b string) bool {
	ea, eb := strings.SplitN(a, "/", 3), strings.SplitN(b, "/", 3)
	return len(ea) >= 2 && len(eb) >= 2 && ea[0] == eb[0] && ea[1] == eb[1]
}

// requires reports whether m requires the module a replace of old applies
// to: old's path, at old's version if it has one. (Asked per replace: the
// go.mod's index, not a scan of its requires.)
func requires(m *workspace.Module, old module.Version) bool {
	for _, r := range m.Index().Requires(old.Path) {
		if old.Version == "" || old.Version == r.Mod.Version {
			return true
		}
	}
	return false
}
