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
	"golang.org/x/mod/semver"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// Codes of the requirement check that compares go.mod with what go mod
// tidy would write (TidyModule).
const (
	CodeTidyMissingRequire      = "tidy-missing-require"
	CodeTidyUnusedRequire       = "tidy-unused-require"
	CodeTidyIndirectMismatch    = "tidy-indirect-mismatch"
	CodeWorkHidesMissingRequire = "work-hides-missing-require"
)

// tidyRequiresCheck compares each module's requirements with those go mod
// tidy writes (TidyModule), and says nothing where that cannot be proved
// offline:
//
//   - tidy-missing-require: a module providing a package the module's own
//     files import is not required (on the module line, related: the
//     import). In a go 1.17+ module, outside a workspace, go build fails
//     with "updates to go.mod needed" when a file it builds imports it
//     (cmd/go/internal/modload/load.go: updateRequirements wants it a
//     root): an error then, a warning when only tests or files behind a
//     custom build tag import it, with -mod=mod (go rewrites go.mod) or
//     in vendor mode;
//   - gomod-dirty: the same for a module providing a package only a
//     dependency's package imports (go 1.17+ lists every module providing
//     a package of the build, as // indirect);
//   - tidy-unused-require: a requirement tidy drops (warning, tagged
//     unnecessary: no build fails);
//   - tidy-indirect-mismatch: a // indirect marker tidy adds or removes
//     (hint: go ignores the markers when it checks go.mod);
//   - work-hides-missing-require: in a module a go.work uses, an import of
//     its own files that its graph alone cannot provide (a workspace
//     module's package) or provides from a module go.mod does not
//     require: the workspace builds, the module alone (GOWORK=off, go mod
//     tidy, CI, its consumers) does not (warning, on the module line).
//
// Each carries its line's own edit and the whole of tidy's go.mod and
// go.sum as one edit, and offers to run go mod tidy.
var tidyRequiresCheck = Check{
	Name:       "tidyRequires",
	Codes:      []string{CodeTidyMissingRequire, CodeGoModDirty, CodeTidyUnusedRequire, CodeTidyIndirectMismatch, CodeWorkHidesMissingRequire},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return tidyRequires(context.Background(), snap, nil) },
	RunFocused: tidyRequires,
}

// tidyInputs are what one module's tidy diagnostics are computed from: its
// go.mod, its graph alone (the same pointer while the go.mod files it read
// are unchanged), its go.sum, the go.work around it, and the disk (its Go
// files, the module cache, the environment).
type tidyInputs struct {
	file  *workspace.File
	graph *modgraph.Graph
	sum   *workspace.File
	work  *workspace.Work
	gen   uint64
}

func tidyRequires(ctx context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var tasks []func() []Diagnostic
	for _, m := range focus.modules(snap) {
		if m.Mod == nil || m.Mod.Module == nil || inModuleCache(snap, m.Dir) {
			continue
		}
		tasks = append(tasks, func() []Diagnostic {
			in := tidyInputs{file: m.File, graph: modgraph.Module(snap, m), work: snap.WorkFor(m.Dir), gen: snap.DiskGeneration()}
			if sf := snap.GoSum(m.Dir); sf != nil {
				in.sum = sf.File
			}
			return memoDiagnostics(snap, "diagnostics.tidyRequires\x00"+m.File.Path, in, func() []Diagnostic {
				return moduleTidyDiagnostics(snap, m, in.work)
			})
		})
	}
	var diags []Diagnostic
	for _, d := range inParallel(ctx, tasks) {
		diags = appendAll(diags, d)
	}
	return diags
}

func moduleTidyDiagnostics(snap *workspace.Snapshot, m *workspace.Module, work *workspace.Work) []Diagnostic {
	if work != nil {
		return workHidesMissing(snap, m, work)
	}
	t := TidyModule(snap, m)
	if len(t.Unknown) > 0 || len(t.Failure) > 0 {
		return nil
	}
	bc := buildctx.Module(snap, m)
	fails := !bc.Mod.Vendor() && bc.Mod.Value != "mod"
	diags := requirementDiagnostics(snap, m, t, fails)
	// Each diagnostic's own fix, then tidy's whole result (made once, and
	// only when there is something to report: it needs tidy's go.sum).
	if len(diags) > 0 {
		common := tidyFixes(snap, m, t)
		for i := range diags {
			diags[i].Fixes = append(diags[i].Fixes, common...)
		}
	}
	return diags
}

// requirementDiagnostics compares m's requirements with t's; fails says a
// build in m fails when go.mod is not what go would write.
func requirementDiagnostics(snap *workspace.Snapshot, m *workspace.Module, t *Tidy, fails bool) []Diagnostic {
	var built map[string]bool // made when a requirement is missing
	var diags []Diagnostic
	for _, r := range t.Requires {
		if len(m.Index().Requires(r.Path)) > 0 {
			continue
		}
		if built == nil {
			built = t.builtModules(snap, m)
		}
		sev := SeverityWarning
		if fails && built[r.Path] {
			sev = SeverityError
		}
		add := addRequireFix(m, r.Path, r.Version, !t.Direct[r.Path])
		d := Diagnostic{Severity: sev, File: m.File, Span: lineSpan(m.Mod.Module.Syntax), Fixes: add}
		if t.Direct[r.Path] {
			d.Code = CodeTidyMissingRequire
			pkg, sites := t.importsFrom(snap, m, r.Path)
			d.Message = fmt.Sprintf("go.mod does not require %s, which provides package %s that this module imports; go mod tidy adds require %s %s", r.Path, pkg, r.Path, r.Version)
			d.Related = sites
		} else {
			d.Code = CodeGoModDirty
			pkg, from := t.loadedFrom(r.Path)
			d.Message = fmt.Sprintf("go.mod does not require %s, which provides package %s (imported by %s): a go 1.17+ module requires every module providing a package it builds, so go mod tidy adds require %s %s // indirect", r.Path, pkg, from, r.Path, r.Version)
		}
		if sev == SeverityError {
			d.Message += "; until then " + goModDirtyError(snap, false)
		} else if !built[r.Path] {
			d.Message += " (go build passes: only tests, or files behind a custom build tag, need it; go test and go vet fail)"
		}
		diags = append(diags, d)
	}
	if len(snap.Imports(m.Dir)) == 0 {
		// Go files that import nothing, or none yet: tidy would drop
		// every requirement, and the module is plainly not written yet.
		return diags
	}
	kept := make(map[string]bool, len(t.Requires))
	for _, r := range t.Requires {
		kept[r.Path] = true
	}
	seen := make(map[string]bool)
	for _, r := range m.Mod.Require {
		if seen[r.Mod.Path] {
			continue // gomod-dirty reports the repeats
		}
		seen[r.Mod.Path] = true
		switch {
		case !kept[r.Mod.Path]:
			drop := tidyEditFix(m, "Remove require "+r.Mod.Path, func(f *modfile.File) error { return f.DropRequire(r.Mod.Path) })
			diags = append(diags, Diagnostic{
				Code: CodeTidyUnusedRequire, Severity: SeverityWarning, File: m.File, Span: lineSpan(r.Syntax), Tags: []Tag{TagUnnecessary},
				Message: fmt.Sprintf("%s is required, but no package this module or its tests import comes from it, and no other requirement needs it at this version; go mod tidy removes this line", r.Mod.Path),
				Fixes:   drop,
			})
		case r.Indirect == t.Direct[r.Mod.Path]:
			want := !t.Direct[r.Mod.Path]
			msg := fmt.Sprintf("this module imports a package of %s directly; go mod tidy removes // indirect", r.Mod.Path)
			title := "Remove // indirect"
			if want {
				msg = fmt.Sprintf("no package of this module imports %s directly; go mod tidy marks it // indirect", r.Mod.Path)
				title = "Mark // indirect"
			}
			flip := tidyEditFix(m, title, func(f *modfile.File) error {
				list := make([]*modfile.Require, 0, len(f.Require))
				for _, q := range f.Require {
					c := *q
					if c.Mod.Path == r.Mod.Path {
						c.Indirect = want
					}
					list = append(list, &c)
				}
				f.SetRequire(list)
				return nil
			})
			diags = append(diags, Diagnostic{
				Code: CodeTidyIndirectMismatch, Severity: SeverityHint, File: m.File, Span: lineSpan(r.Syntax),
				Message: msg, Fixes: flip,
			})
		}
	}
	return diags
}

// workHidesMissing reports, for m used by work, what m alone lacks that
// the workspace supplies, from the imports of m's own files and m's graph
// alone (which the go.sum check computes too), by path: an import no
// module of that graph can provide (no selected module's path is the
// import's or a parent of it) while another workspace module's path is,
// and an import whose module the graph selects but go.mod does not
// require (a root go mod tidy adds; alone, "updates to go.mod needed").
// It loads no package: in a workspace of a thousand modules, loading each
// one's packages again cost a check a quarter more, so the requirements
// tidy adds for dependencies' packages alone are left to tidy -diff.
func workHidesMissing(snap *workspace.Snapshot, m *workspace.Module, work *workspace.Work) []Diagnostic {
	g := modgraph.Module(snap, m)
	if g.Incomplete() != nil {
		return nil
	}
	wg := modgraph.Workspace(snap, work)
	main := m.Mod.Module.Mod.Path
	var diags []Diagnostic
	report := func(mod, pkg string, fixes []Fix) {
		diags = append(diags, Diagnostic{
			Code: CodeWorkHidesMissingRequire, Severity: SeverityWarning, File: m.File, Span: lineSpan(m.Mod.Module.Syntax),
			Message: fmt.Sprintf("go.mod does not require %s, which provides package %s that this module imports: the workspace (%s) supplies it, but alone — GOWORK=off, as go mod tidy, CI and the module's consumers build it — this module fails", mod, pkg, shortPath(m.Dir, work.File.Path)),
			Related: importSites(snap, m, pkg), Fixes: fixes,
		})
	}
	done := make(map[string]bool)
	imps := snap.Imports(m.Dir)
	for _, pkg := range slices.Sorted(mapKeys(imps)) {
		if isStdPath(pkg) || pkg == main || strings.HasPrefix(pkg, main+"/") ||
			!slices.ContainsFunc(imps[pkg], func(s workspace.ImportSite) bool { return !s.Ignored }) {
			continue
		}
		mod, version := "", ""
		for p := pkg; p != ""; p = parentPath(p) {
			if v, ok := g.Selected(p); ok && !g.IsMain(p) {
				mod, version = p, v
				break
			}
		}
		switch {
		case mod == "":
			// No module of m's graph: a workspace module's, if any
			// (the longest path; a lookup per parent, not a scan of a
			// thousand modules per module).
			for p := pkg; p != "" && mod == ""; p = parentPath(p) {
				if p != main && wg.IsMain(p) {
					mod = p
				}
			}
			if mod == "" || done[mod] {
				continue
			}
			done[mod] = true
			var fixes []Fix
			if v := requiredVersionIn(wg, mod); v != "" {
				fixes = addRequireFix(m, mod, v, false)
			}
			report(mod, pkg, fixes)
		case len(m.Index().Requires(mod)) == 0 && !done[mod]:
			done[mod] = true
			report(mod, pkg, addRequireFix(m, mod, version, false))
		}
	}
	return diags
}

// requiredVersionIn is the highest version at which a main module of wg
// requires path, "" when none does.
func requiredVersionIn(wg *modgraph.Graph, path string) string {
	v := ""
	for _, mv := range wg.Mains() {
		reqs, _ := wg.RequiredBy(mv)
		for _, r := range reqs {
			if r.Path == path && semver.Compare(r.Version, v) > 0 {
				v = r.Version
			}
		}
	}
	return v
}

// builtModules are the modules providing a package go build loads for m:
// imported by its non-test files that no custom build tag hides, and
// what those packages import in turn.
func (t *Tidy) builtModules(snap *workspace.Snapshot, m *workspace.Module) map[string]bool {
	l := t.load
	built := make(map[string]bool)
	seen := make(map[string]bool)
	var queue []string
	for path, sites := range snap.Imports(m.Dir) {
		if slices.ContainsFunc(sites, builtSite) && !seen[path] {
			seen[path] = true
			queue = append(queue, path)
		}
	}
	for len(queue) > 0 {
		pkg := queue[0]
		queue = queue[1:]
		lp, ok := l.pkgs[pkg]
		if !ok {
			continue
		}
		built[lp.mod.Path] = true
		for _, imp := range lp.pf.Imports {
			if !isStdPath(imp) && !seen[imp] {
				seen[imp] = true
				queue = append(queue, imp)
			}
		}
	}
	return built
}

// builtSite reports whether go build compiles the file of an import site:
// not a test, not behind a build tag no platform sets.
func builtSite(s workspace.ImportSite) bool {
	return !s.Ignored && !s.CustomTags && !strings.HasSuffix(s.File, "_test.go")
}

// importsFrom returns the first package (by path) of module mod that m's
// files import, and where they do.
func (t *Tidy) importsFrom(snap *workspace.Snapshot, m *workspace.Module, mod string) (string, []Related) {
	imps := snap.Imports(m.Dir)
	for _, path := range slices.Sorted(mapKeys(imps)) {
		if lp, ok := t.load.pkgs[path]; ok && lp.mod.Path == mod {
			return path, importSites(snap, m, path)
		}
	}
	return "", nil
}

// loadedFrom returns the first package (by path) of module mod the load
// found, and the package importing it.
func (t *Tidy) loadedFrom(mod string) (pkg, from string) {
	for _, path := range t.pkgs {
		if t.load.pkgs[path].mod.Path == mod {
			return path, importerOf(t.load, path)
		}
	}
	return mod, "a test of a dependency"
}

// maxImportSites bounds the related places of one import.
const maxImportSites = 3

// importSites are the places m's Go files import pkg, first by file and
// line, at most maxImportSites.
func importSites(snap *workspace.Snapshot, m *workspace.Module, pkg string) []Related {
	sites := slices.Clone(snap.Imports(m.Dir)[pkg])
	slices.SortFunc(sites, func(a, b workspace.ImportSite) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	var out []Related
	for _, s := range sites {
		if s.Ignored {
			continue
		}
		f, sp := workspace.LineStart(s.File, s.Line)
		out = append(out, Related{File: f, Span: sp, Message: fmt.Sprintf("%s imports %s", filepath.Base(s.File), pkg)})
		if len(out) == maxImportSites {
			break
		}
	}
	return out
}

// tidyEditFix is a fix titled title editing m's go.mod with edit, or none
// when the edit fails.
func tidyEditFix(m *workspace.Module, title string, edit func(*modfile.File) error) []Fix {
	edits, err := editMod(m, edit)
	if err != nil || len(edits) == 0 {
		return nil
	}
	return []Fix{{Title: title, Kind: KindQuickFix, Edits: edits}}
}

// addRequireFix adds require path v (// indirect when indirect) to m's
// go.mod where go mod tidy puts it: in the direct or the indirect block,
// in order.
func addRequireFix(m *workspace.Module, path, v string, indirect bool) []Fix {
	return tidyEditFix(m, fmt.Sprintf("Add require %s %s", path, v), func(f *modfile.File) error {
		list := slices.Clone(f.Require)
		list = append(list, &modfile.Require{Mod: module.Version{Path: path, Version: v}, Indirect: indirect})
		f.SetRequireSeparateIndirect(list)
		return nil
	})
}

// tidyFixes are the fixes every tidy diagnostic of m offers: tidy's whole
// result as one edit of go.mod and go.sum, and running go mod tidy.
func tidyFixes(snap *workspace.Snapshot, m *workspace.Module, t *Tidy) []Fix {
	var fixes []Fix
	var edits []Edit
	// When tidy's go.sum is not known, no half of its result.
	if t.withGoSum(snap); len(t.Unknown) == 0 && len(t.Failure) == 0 {
		edits = lineHunks(m.File, t.GoMod)
		if sf := snap.GoSum(m.Dir); sf != nil {
			edits = append(edits, lineHunks(sf.File, t.GoSum)...)
		}
	}
	if len(edits) > 0 {
		fixes = append(fixes, Fix{Title: "Apply go mod tidy's changes to go.mod and go.sum", Kind: KindQuickFix, Edits: edits})
	}
	return append(fixes, Fix{Title: "Run go mod tidy", Kind: KindQuickFix, Command: &Command{Name: CommandTidy, Title: "Run go mod tidy", Dir: m.Dir}})
}
