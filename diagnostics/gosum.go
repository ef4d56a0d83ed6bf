package diagnostics

import (
	"cmp"
	"context"
	"fmt"
	"go/version"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// Codes of the go.sum checks: the hashes cmd/go needs and how it checks them
// (cmd/go/internal/modfetch/fetch.go: checkGoMod, checkModSum) and keeps
// them (cmd/go/internal/modload/init.go: keepSums).
const (
	CodeSumMissingGoMod     = "sum-missing-gomod"
	CodeSumMissingZip       = "sum-missing-zip"
	CodeSumMissingAmbiguity = "sum-missing-ambiguity"
	CodeSumMismatchGoSum    = "sum-mismatch-gosum"
	CodeSumUnusedLines      = "sum-unused-lines"
)

// goSumCheck compares go.sum files with what the go command needs (the
// hashes cmd/go/internal/modload/modfile.go: goModSummary and
// modload/import.go: importFromModules and fetch ask for when mustHaveSums)
// and with what the module cache holds:
//
//   - sum-missing-*: in module mode (not in a workspace, where go fetches
//     missing sums into go.work.sum) and unless the vendor directory is used
//     or GOFLAGS has -mod=mod, a hash a build needs is not in go.sum: the
//     /go.mod hash of every module whose go.mod the module graph reads (the
//     roots of a pruned graph, every module of an unpruned one) and of every
//     module providing a loaded package, and the zip hash of every module
//     providing a loaded package or whose path is a prefix of one (to prove
//     the import is not ambiguous). Silent when the graph is incomplete.
//   - sum-mismatch-gosum: an h1: line differs from the hash of the module
//     cache's copy (.ziphash, or the hash of the cached .mod); a warning
//     when no build that reads the file has that module version.
//   - sum-unused-lines: a line go mod tidy would remove (its keepSums),
//     reported only when the graph and every loaded package were found.
var goSumCheck = Check{
	Name:       "gosum",
	Codes:      []string{CodeSumMissingGoMod, CodeSumMissingZip, CodeSumMissingAmbiguity, CodeSumMismatchGoSum, CodeSumUnusedLines},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return goSums(context.Background(), snap, nil) },
	RunFocused: goSums,
}

// goSums is the check on the files of focus (every file when focus is nil).
func goSums(ctx context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	// Each go.sum's comparison with the module cache and each module's
	// lines are one task, run side by side: a cold run reads the module
	// cache's hashes and each module's packages, and on a workspace of a
	// dozen real modules that is most of a check's time.
	var tasks []func() []Diagnostic
	for _, sf := range focus.sums(snap) {
		if !inModuleCache(snap, sf.File.Path) {
			tasks = append(tasks, func() []Diagnostic { return sumMismatches(snap, sf) })
		}
	}
	for _, m := range focus.modules(snap) {
		if m.Mod == nil || m.Mod.Module == nil || inModuleCache(snap, m.Dir) { // the module cache's go.mod files are not main modules
			continue
		}
		tasks = append(tasks, func() []Diagnostic {
			sf, work := snap.GoSum(m.Dir), snap.WorkFor(m.Dir)
			// The unused lines are on the go.sum alone: a run focused on
			// the go.mod just edited leaves them, and the packages of
			// every build tag that finding them loads, to the whole run;
			// in workspace mode no line is missing (the go command adds
			// them to go.work.sum), and such a run has nothing to do.
			missing, unused := work == nil, sf != nil && focus.Has(sf.File)
			if !missing && !unused {
				return nil
			}
			in := moduleSumInputs{file: m.File, graph: modgraph.Module(snap, m), sum: sf, work: work, vendor: snap.HasVendorDir(m.Dir), gen: snap.DiskGeneration()}
			var diags []Diagnostic
			if missing {
				diags = memoDiagnostics(snap, "diagnostics.missingSums\x00"+m.File.Path, in, func() []Diagnostic { return moduleMissingSums(snap, m) })
			}
			if unused {
				diags = appendAll(diags, memoDiagnostics(snap, "diagnostics.unusedSums\x00"+m.File.Path, in, func() []Diagnostic { return moduleUnusedSums(snap, m) }))
			}
			return diags
		})
	}
	var diags []Diagnostic
	for _, d := range inParallel(ctx, tasks) {
		diags = appendAll(diags, d)
	}
	return diags // when ctx is done, partial: the runner discards it
}

// moduleSumInputs are what moduleMissingSums and moduleUnusedSums compute
// from for one module: its
// go.mod, its graph built alone (memoized: the same pointer while the
// go.mod files it read are unchanged), its go.sum, the go.work around it,
// whether it has a vendor directory, and the disk (its Go files, the module
// cache's packages and files, the environment: one disk generation). Loading
// its packages costs tens of milliseconds on a real module, so a module
// whose inputs are unchanged reuses its diagnostics.
type moduleSumInputs struct {
	file   *workspace.File
	graph  *modgraph.Graph
	sum    *workspace.SumFile
	work   *workspace.Work
	vendor bool
	gen    uint64
}

const securityError = "\n\nSECURITY ERROR\nThis download does NOT match an earlier download recorded in go.sum.\nThe bits may have been replaced on the origin server, or an attacker may\nhave intercepted the download attempt.\n\nFor more information, see 'go help module-auth'."

// sumMismatches compares each h1: line of sf with the module cache. A
// mismatch is an error when a build that reads sf has the line's module
// version in its module graph, or when that cannot be told; the go command
// compares a line only when it reads that go.mod or that zip
// (cmd/go/internal/modfetch fetch.go: checkGoMod, checkMod), so a line for a
// version no such build has passes every build and is a warning.
func sumMismatches(snap *workspace.Snapshot, sf *workspace.SumFile) []Diagnostic {
	var diags []Diagnostic
	label := filepath.Base(sf.File.Path)
	var readers *sumReaders
	for _, mm := range indexSum(snap, sf).mismatches {
		l, cached := sf.Line(mm.line), mm.cached
		if readers == nil {
			readers = readersOf(snap, sf)
		}
		mod := module.Version{Path: l.Mod.Path, Version: strings.TrimSuffix(l.Mod.Version, "/go.mod")}
		sev, unused := SeverityError, ""
		if !readers.mayUse(mod) {
			sev = SeverityWarning
			unused = fmt.Sprintf("; no build that reads this %s uses %s, so the go command does not compare this line until one does", label, mod)
		}
		diags = append(diags, Diagnostic{
			Code:     CodeSumMismatchGoSum,
			Severity: sev,
			File:     sf.File,
			Span:     sf.Span(l),
			Message: fmt.Sprintf("verifying %s@%s: checksum mismatch\n\tdownloaded: %s\n\t%s:     %s%s\n(the downloaded hash is that of the module cache's copy: if the cache is corrupt, run go clean -modcache; otherwise this go.sum line or the module may have been tampered with%s)",
				l.Mod.Path, l.Mod.Version, cached, label, l.Hash, securityError, unused),
		})
	}
	return diags
}

// sumIndex is what the go.sum checks derive from one sum file and the module
// cache alone, in passes over every line. It is kept with Snapshot.Memo and
// reused while the file's parse, the module cache generation and GOMODCACHE
// are those it was computed from, so that an edit elsewhere does not pay
// again for a go.sum of a million lines (issue 10).
type sumIndex struct {
	sf *workspace.SumFile
	// have holds the key of every h1: line, for a file whose lines are
	// not sorted (has searches the others).
	have map[module.Version]bool
	// mismatches are the h1: lines whose hash differs from the module
	// cache's, in file order.
	mismatches []sumMismatch
	// sorted: the lines are in compareSumKeys order, as go writes them, so
	// insertAt can search instead of scanning.
	sorted bool
}

// insertAt is where a line of key would go in the file: the start of the
// first line whose key sorts after it, else the end of the file. A binary
// search when the file is sorted, not a scan per missing line.
func (x *sumIndex) insertAt(key module.Version) int {
	sf := x.sf
	i := sf.Len()
	if x.sorted {
		i = sort.Search(sf.Len(), func(i int) bool { return compareSumKeys(sf.Line(i).Mod, key) > 0 })
	} else {
		for j, l := range sf.Lines() {
			if compareSumKeys(l.Mod, key) > 0 {
				i = j
				break
			}
		}
	}
	if i == sf.Len() {
		return sf.File.Size()
	}
	return sf.Span(sf.Line(i)).Start
}

// has reports whether the file has an h1: line for key: a search of the
// lines when they are sorted (as go writes them), else the have map. A map
// per go.sum was a tenth of the heap of a thousand-module workspace.
func (x *sumIndex) has(key module.Version) bool {
	if !x.sorted {
		return x.have[key]
	}
	sf := x.sf
	for i := sort.Search(sf.Len(), func(i int) bool { return compareSumKeys(sf.Line(i).Mod, key) >= 0 }); i < sf.Len() && sf.Line(i).Mod == key; i++ {
		if strings.HasPrefix(sf.Line(i).Hash, "h1:") {
			return true
		}
	}
	return false
}

// cacheMismatches compares each h1: line of sf with the module cache's
// hash of that module version, recalled from an earlier process while sf
// and what the module cache holds for its modules are the same.
func cacheMismatches(snap *workspace.Snapshot, sf *workspace.SumFile) []sumMismatch {
	if mm, ok := recalledMismatches(snap, sf); ok {
		return mm
	}
	var mm []sumMismatch
	for i, l := range sf.Lines() {
		if !strings.HasPrefix(l.Hash, "h1:") {
			continue
		}
		if cached, ok := snap.ModuleCacheSum(l.Mod); ok && cached != l.Hash {
			mm = append(mm, sumMismatch{i, cached})
		}
	}
	keepMismatches(snap, sf, mm)
	return mm
}

type sumMismatch struct {
	line   int // index of the line in the file (SumFile.Line)
	cached string
}

func indexSum(snap *workspace.Snapshot, sf *workspace.SumFile) *sumIndex {
	type inputs struct {
		sf       *workspace.SumFile
		gen      uint64
		modcache string
	}
	return memoized(snap, "diagnostics.sumIndex:"+sf.File.Path, inputs{sf, snap.DiskGeneration(), snap.Env.GOMODCACHE}, func() *sumIndex {
		x := &sumIndex{sf: sf, sorted: true}
		var prev module.Version
		for i, l := range sf.Lines() {
			if i > 0 && compareSumKeys(prev, l.Mod) > 0 {
				x.sorted = false
			}
			prev = l.Mod
		}
		x.mismatches = cacheMismatches(snap, sf)
		if !x.sorted {
			x.have = make(map[module.Version]bool, sf.Len())
			for _, l := range sf.Lines() {
				if strings.HasPrefix(l.Hash, "h1:") {
					x.have[l.Mod] = true
				}
			}
		}
		return x
	})
}

// sumReaders are the module graphs of the builds that read one sum file.
type sumReaders struct {
	graphs []*modgraph.Graph
	keys   []map[module.Version]bool // per graph, built on first use
}

// readersOf finds the builds that read sf (modload.loadModFile): a
// go.work.sum is read by its workspace; a go.sum by its module built on its
// own where no go.work is in effect, and by each workspace in effect that
// uses the module (which reads every workspace module's go.sum). A stray
// file has none.
func readersOf(snap *workspace.Snapshot, sf *workspace.SumFile) *sumReaders {
	r := &sumReaders{}
	dir := filepath.Dir(sf.File.Path)
	if sf.File.Kind == workspace.KindGoWorkSum {
		if w := snap.Work(dir); w != nil && snap.WorkFor(w.Dir) == w {
			r.graphs = append(r.graphs, modgraph.Workspace(snap, w))
		}
		return r
	}
	m := snap.Module(dir)
	if m == nil {
		return r
	}
	if snap.WorkFor(dir) == nil {
		r.graphs = append(r.graphs, modgraph.Module(snap, m))
	}
	for _, w := range worksInEffect(snap) {
		if slices.Contains(snap.UsedModules(w), m) {
			r.graphs = append(r.graphs, modgraph.Workspace(snap, w))
		}
	}
	return r
}

// mayUse reports whether some reading build may check the checksum of mod:
// mod is the sum key of a module version in its graph (the version itself,
// or what replaces it), or the graph is incomplete and cannot tell.
func (r *sumReaders) mayUse(mod module.Version) bool {
	if r.keys == nil {
		r.keys = make([]map[module.Version]bool, len(r.graphs))
	}
	for i, g := range r.graphs {
		if g.Incomplete() != nil {
			return true
		}
		if r.keys[i] == nil {
			r.keys[i] = graphSumKeys(g)
		}
		if r.keys[i][mod] {
			return true
		}
	}
	return false
}

// graphSumKeys returns the sum key (without "/go.mod") of every module
// version in g: each one whose go.mod the graph read and each one such a
// go.mod requires, or the module version replacing it; a directory
// replacement has none.
func graphSumKeys(g *modgraph.Graph) map[module.Version]bool {
	n := &sumNeeds{g: g}
	keys := make(map[module.Version]bool)
	add := func(m module.Version) {
		if k, ok := n.key(m); ok && m.Version != "" {
			keys[k] = true
		}
	}
	for _, m := range readGoMods(g) {
		add(m)
		reqs, _ := g.RequiredBy(m)
		for _, r := range reqs {
			add(r)
		}
	}
	for _, m := range g.Mains() {
		reqs, _ := g.RequiredBy(m)
		for _, r := range reqs {
			add(r)
		}
	}
	return keys
}

// sumKey is a go.sum key: Version ends in "/go.mod" for a go.mod hash.
func goModKey(m module.Version) module.Version {
	return module.Version{Path: m.Path, Version: m.Version + "/go.mod"}
}

// sumLoad is the outcome of loading packages from a main module.
type sumLoad struct {
	g    *modgraph.Graph
	main string
	// pkgs maps each loaded package outside the main module to its
	// providing module and its files.
	pkgs map[string]loadedPackage
	// importer is a package that imports it (the first found).
	importer map[string]string
	// unresolved is set when a package's module could not be told;
	// unresolvedPkgs lists those packages, in load order, and absent
	// those of them no module of the graph provides.
	unresolved     bool
	unresolvedPkgs []string
	absent         map[string]bool
	// inAll holds the packages in "all"; testOnly those only the tests of
	// dependency packages import (loaded with depTests).
	inAll, testOnly map[string]bool
	// roots holds what resolve found of each module path it asked about
	// that the graph selects (a moduleRootOf), for the thousands of
	// packages that share a few hundred modules.
	roots sync.Map
	// trace says to keep roots and to note, in localDirs, what
	// PackageImports said of each directory of a main module or a
	// replacement directory: with the graph's modules, everything the
	// load consulted that can change (gosum_record.go).
	trace     bool
	localDirs sync.Map // directory → *workspace.PackageFiles
}

// A loadedPackage is a package of a load outside its main module.
type loadedPackage struct {
	mod module.Version // the providing module, at the selected version, before replacement
	pf  *workspace.PackageFiles
}

// moduleRootOf is what resolve found of one module path the graph selects:
// at which version, and the directory of its files ("" when they cannot
// be told), local when it is a main module's or a replacement directory
// (not the module cache's, whose files never change).
type moduleRootOf struct {
	version string
	root    string
	local   bool
}

// loadPackages loads, like the go command, the packages imported by the main
// module's Go files (the sites keep decides), transitively through their
// non-test imports, plus extra roots.
//
// The load is kept with Snapshot.Memo under site (which names the caller's
// keep, extra and depTests) and reused while m's go.mod, the graph's modules
// (Graph.ModulesID: the packages resolve to the same module versions) and
// the disk (m's Go files, the module cache's packages) are unchanged:
// loading the thousands of packages of a real module costs tens of
// milliseconds, and an edit of another module whose go.mod this module's
// graph reads leaves the selected versions the same more often than not.
// The result is shared: never modify it.
//
// When the graph's modules changed but not its directives (an edit of a
// require's version), the load starts from the previous one
// (loadBase): each package keeps its resolution unless a module whose
// path is a prefix of the package's changed version, appeared or went.
func loadPackages(snap *workspace.Snapshot, g *modgraph.Graph, m *workspace.Module, site string, keep func(workspace.ImportSite) bool, extra []string, depTests bool) *sumLoad {
	type inputs struct {
		file      *workspace.File
		modulesID uint64
		gen       uint64
	}
	type entry struct {
		in   inputs
		load *sumLoad
	}
	in := inputs{m.File, g.ModulesID(), snap.DiskGeneration()}
	return snap.Memo("diagnostics.loadPackages\x00"+site+"\x00"+g.Key()+"\x00"+m.File.Path, func(prev any) any {
		p, _ := prev.(*entry)
		if p != nil && p.in == in {
			return p
		}
		// The previous load's size, to make the maps of this one at once:
		// growing them was a third of a load after an edit.
		hint := 0
		var base *loadBase
		if p != nil {
			hint = len(p.load.importer)
			base = newLoadBase(p.load, g, m, p.in.gen == in.gen)
		}
		return &entry{in, computeLoadPackages(snap, g, m, site, keep, extra, depTests, hint, base)}
	}).(*entry).load
}

// A loadRoot is an import of the main module's Go files, with the main
// package importing it first.
type loadRoot struct{ path, from string }

// loadRoots returns the imports of m's Go files that keep keeps, sorted,
// each with the first importing package: what every load of m starts
// from, whatever the graph. They are kept while m's module path and the
// disk (its Go files) are unchanged, so that a go.mod edit does not walk
// the module's import sites again.
func loadRoots(snap *workspace.Snapshot, m *workspace.Module, site string, keep func(workspace.ImportSite) bool) []loadRoot {
	type inputs struct {
		main string
		gen  uint64
	}
	main := m.Mod.Module.Mod.Path
	return memoized(snap, "diagnostics.loadRoots\x00"+site+"\x00"+m.Dir, inputs{main, snap.DiskGeneration()}, func() []loadRoot {
		imps := snap.Imports(m.Dir)
		dir := filepath.Clean(m.Dir)
		var roots []loadRoot
		for _, path := range slices.Sorted(mapKeys(imps)) {
			for _, s := range imps[path] {
				if keep(s) {
					from := main
					if rel := relativeDir(dir, filepath.Dir(s.File)); rel != "." {
						from += "/" + filepath.ToSlash(rel)
					}
					roots = append(roots, loadRoot{path, from})
					break
				}
			}
		}
		return roots
	})
}

// relativeDir is dir relative to root, both clean, "." when Rel fails
// (the caller then names the module alone): a cut of the prefix for a
// directory below root, which is what a module's walk finds, and
// filepath.Rel for any other. A module has an import site for each import
// of each file, and Rel cleaned both paths again for each.
func relativeDir(root, dir string) string {
	if dir == root {
		return "."
	}
	if rest, ok := strings.CutPrefix(dir, root); ok && len(rest) > 1 && os.IsPathSeparator(rest[0]) {
		return rest[1:]
	}
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return "."
	}
	return rel
}

// A loadBase is the previous load of the same module and site, for a new
// graph with the same directives (replacements, exclusions), disk and main
// module: changed holds the module paths the two graphs select
// differently (a version changed, or the path is in one only).
type loadBase struct {
	prev    *sumLoad
	changed []string
}

// maxChangedForBase bounds loadBase.changed: each package is compared with
// every changed path, and a change of many modules (a go.mod rewritten)
// is better loaded afresh.
const maxChangedForBase = 32

// newLoadBase returns the base a load in g of m may start from, prev being
// the previous load (sameDisk: of the same disk generation), or nil when
// it cannot.
func newLoadBase(prev *sumLoad, g *modgraph.Graph, m *workspace.Module, sameDisk bool) *loadBase {
	pg := prev.g
	if !sameDisk || prev.main != m.Mod.Module.Mod.Path || pg.DirectivesKey() != g.DirectivesKey() || pg.Incomplete() != nil || g.Incomplete() != nil {
		return nil
	}
	b := &loadBase{prev: prev}
	differs := func(from, to *modgraph.Graph) bool {
		for _, mod := range from.BuildList() {
			if v, ok := to.Selected(mod.Path); !ok || v != mod.Version {
				if !slices.Contains(b.changed, mod.Path) {
					b.changed = append(b.changed, mod.Path)
				}
				if len(b.changed) > maxChangedForBase {
					return true
				}
			}
		}
		return false
	}
	if differs(pg, g) || differs(g, pg) {
		return nil
	}
	return b
}

// reused returns pkg's resolution in the previous load, when the new graph
// resolves it the same: no changed module path is pkg's or a parent of
// it, and its module is the module cache's (a directory's packages are
// resolved again, so that a traced load notes what it consulted there).
func (b *loadBase) reused(g *modgraph.Graph, pkg string) (resolution, bool) {
	if b == nil {
		return resolution{}, false
	}
	lp, ok := b.prev.pkgs[pkg]
	if !ok {
		return resolution{}, false
	}
	for _, c := range b.changed {
		if strings.HasPrefix(pkg, c) && (len(pkg) == len(c) || pkg[len(c)] == '/') {
			return resolution{}, false
		}
	}
	if r, ok := g.Replacement(lp.mod); ok && r.Version == "" {
		return resolution{}, false
	}
	return resolution{mod: lp.mod, pf: lp.pf, ok: true}, true
}

func computeLoadPackages(snap *workspace.Snapshot, g *modgraph.Graph, m *workspace.Module, site string, keep func(workspace.ImportSite) bool, extra []string, depTests bool, hint int, base *loadBase) *sumLoad {
	l := &sumLoad{g: g, main: m.Mod.Module.Mod.Path, pkgs: make(map[string]loadedPackage, hint), importer: make(map[string]string, hint),
		inAll: make(map[string]bool, hint), testOnly: make(map[string]bool), trace: snap.DerivedResults()}
	if base != nil && l.trace && base.prev.trace {
		// What the previous load consulted of the modules that did not
		// change, as this one would: a record made from it
		// (gosum_record.go) checks those answers again when recalled.
		base.prev.roots.Range(func(k, v any) bool {
			if !slices.Contains(base.changed, k.(string)) {
				l.roots.Store(k, v)
			}
			return true
		})
	}
	// add queues pkg, imported by from, the first time it is seen, and
	// reports whether it was new. A package is seen once it has an
	// importer entry ("" for one only tests of dependencies import). The
	// standard library's packages are never loaded: the callers skip them
	// before any map is asked about them (most imports are).
	queue := make([]string, 0, hint)
	add := func(pkg, from string) bool {
		if _, seen := l.importer[pkg]; seen {
			return false
		}
		l.importer[pkg] = from
		queue = append(queue, pkg)
		return true
	}
	for _, r := range loadRoots(snap, m, site, keep) {
		if !isStdPath(r.path) {
			add(r.path, r.from)
		}
	}
	for _, t := range extra {
		if !isStdPath(t) {
			add(t, l.main)
		}
	}
	var tests []string // packages imported by the tests of dependency packages in "all"
	// pending holds the resolutions of the first packages of queue, made
	// side by side (resolveAll); the load then goes through them in queue
	// order, as if one by one.
	var pending []resolution
	for len(queue) > 0 || len(tests) > 0 {
		if len(queue) == 0 {
			// go mod tidy loads the tests of every package in "all" and
			// what they import (not in "all", but their sums are kept).
			for _, t := range tests { // none of the standard library
				if add(t, "") {
					l.testOnly[t] = true
				}
			}
			tests = nil
			continue
		}
		if len(pending) == 0 {
			pending = l.resolveAll(snap, queue, m.Dir, base)
		}
		pkg, r := queue[0], pending[0]
		queue, pending = queue[1:], pending[1:]
		mod, pf, ok := r.mod, r.pf, r.ok
		if !ok {
			l.unresolved = true
			l.unresolvedPkgs = append(l.unresolvedPkgs, pkg)
			if r.absent {
				if l.absent == nil {
					l.absent = make(map[string]bool)
				}
				l.absent[pkg] = true
			}
			continue
		}
		if mod.Version == "" {
			continue // a main module package: its imports are roots
		}
		l.pkgs[pkg] = loadedPackage{mod, pf}
		inAll := l.importer[pkg] != "" && !l.testOnly[pkg]
		if inAll {
			l.inAll[pkg] = true
		} else {
			l.testOnly[pkg] = true
		}
		for _, imp := range pf.Imports {
			if !isStdPath(imp) && add(imp, pkg) && !inAll {
				l.testOnly[imp] = true
			}
		}
		if depTests && inAll {
			for _, t := range pf.TestImports {
				if !isStdPath(t) {
					tests = append(tests, t)
				}
			}
		}
	}
	if !l.trace {
		l.roots.Clear() // kept with the load, and only the load asks
	}
	return l
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// isStdPath reports whether an import path is in the standard library (its
// first element has no dot), like cmd/go's search.IsStandardImportPath.
func isStdPath(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// A resolution is what resolve says of one package. absent, when not ok,
// says that no module of the graph provides it (the files of each that
// might were there to read), rather than that it cannot be told.
type resolution struct {
	mod    module.Version
	pf     *workspace.PackageFiles
	ok     bool
	absent bool
}

// resolveAll resolves pkgs, in parallel when there are many: a cold load
// reads and parses the head of every Go file of thousands of packages
// (most of a first diagnosis's time), and resolve only reads the graph and
// the snapshot.
func (l *sumLoad) resolveAll(snap *workspace.Snapshot, pkgs []string, mainDir string, base *loadBase) []resolution {
	out := make([]resolution, len(pkgs))
	// The packages the previous load resolved the same way are taken from
	// it; todo holds the indexes of the others.
	var todo []int
	for i, p := range pkgs {
		if r, ok := base.reused(l.g, p); ok {
			out[i] = r
		} else {
			todo = append(todo, i)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(todo)/16)
	if workers < 2 {
		for _, i := range todo {
			out[i] = l.resolve(snap, pkgs[i], mainDir)
		}
		return out
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := w; j < len(todo); j += workers {
				i := todo[j]
				out[i] = l.resolve(snap, pkgs[i], mainDir)
			}
		}()
	}
	wg.Wait()
	return out
}

// resolve finds the module of the graph providing pkg: the longest prefix
// module whose directory holds pkg's Go files. ok is false when that cannot
// be told: no module holds it (absent), or a prefix module's files are not
// on disk.
func (l *sumLoad) resolve(snap *workspace.Snapshot, pkg, mainDir string) resolution {
	for p := pkg; ; {
		// Most paths asked about are not modules (the package's own path,
		// its parents below its module's): the graph's answer, a search
		// of its build list, is cheaper than a shared map's entry for
		// each, and only the modules' roots are worth keeping.
		if version, selected := l.g.Selected(p); selected {
			var r moduleRootOf
			if v, ok := l.roots.Load(p); ok {
				r = v.(moduleRootOf)
			} else {
				r.version = version
				r.root, r.local = l.moduleRoot(snap, p, version, mainDir)
				l.roots.Store(p, r)
			}
			if r.root == "" {
				return resolution{} // its files are not there: cannot tell
			}
			dir := r.root
			if rel := strings.TrimPrefix(pkg, p); rel != "" {
				dir = joinPackageDir(r.root, rel)
			}
			pf := snap.PackageImports(dir)
			if l.trace && r.local {
				l.localDirs.Store(dir, pf)
			}
			if pf.Found {
				return resolution{mod: module.Version{Path: p, Version: r.version}, pf: pf, ok: true}
			}
		}
		i := strings.LastIndex(p, "/")
		if i < 0 {
			return resolution{absent: true}
		}
		p = p[:i]
	}
}

// joinPackageDir is filepath.Join(root, filepath.FromSlash(rel)) for root,
// a clean directory (moduleRoot's), and rel, the rest of an import path after its
// module's ("/sub/pkg"): a concatenation when rel needs no cleaning, as a
// valid import path never does. A load joins one per package, thousands
// per edit.
func joinPackageDir(root, rel string) string {
	if filepath.Separator == '/' && len(rel) > 1 && rel[0] == '/' && rel[len(rel)-1] != '/' &&
		!strings.Contains(rel, "//") && !strings.Contains(rel, "/.") && root != "/" {
		return root + rel
	}
	return filepath.Join(root, filepath.FromSlash(rel))
}

// moduleRoot is the directory holding the files of module path at v, the
// version the graph selects ("" for a main module): "" when they cannot
// be told (another main module, or not on disk). local says it is not the
// module cache's: the main module's, or a replacement directory.
func (l *sumLoad) moduleRoot(snap *workspace.Snapshot, path, v, mainDir string) (root string, local bool) {
	switch {
	case v == "" && path == l.main:
		root, local = mainDir, true
	case v == "":
		return "", false
	default:
		m := module.Version{Path: path, Version: v}
		if r, ok := l.g.Replacement(m); ok {
			if r.Version == "" {
				root, local = r.Path, true
			} else {
				root = snap.ModuleCacheDir(r)
			}
		} else {
			root = snap.ModuleCacheDir(m)
		}
	}
	if root == "" || snap.PathKind(root) != workspace.PathDir {
		return "", false
	}
	// Clean (normally already), once per module: joinPackageDir
	// appends to it.
	return filepath.Clean(root), local
}

// sumNeeds collects the go.sum keys a load needs and why.
type sumNeeds struct {
	g    *modgraph.Graph
	keys map[module.Version]sumReason // go.sum key → the first reason
	// visited holds the prefix walks prefixes made: a walk from a path
	// visited with the same flags adds nothing new from there up (each
	// key keeps its first reason), and the thousands of packages of a
	// load share a few hundred parent paths.
	visited map[prefixWalk]struct{}
	// pruned is pruned(main) for prefixes' main module, asked once: the
	// question parses the go line, and prefixes is asked per package.
	pruned bool
}

// newSumNeeds returns the sumNeeds of main's load in g.
func newSumNeeds(g *modgraph.Graph, main *workspace.Module) *sumNeeds {
	return &sumNeeds{g: g, keys: make(map[module.Version]sumReason), pruned: pruned(main)}
}

// A prefixWalk is one path of prefixes' walk and the flags that decide what
// it adds there.
type prefixWalk struct {
	path             string
	fromRoots, gomod bool
}

type sumReason struct {
	code string
	mod  module.Version // the module as required (before replacement)
	pkg  string         // the package, for zip and ambiguity
	from string         // its importer
}

// key is the go.sum key of m: its replacement's when a module replaces it;
// ok false for a directory replacement, which needs no sum.
func (n *sumNeeds) key(m module.Version) (module.Version, bool) {
	if r, ok := n.g.Replacement(m); ok {
		if r.Version == "" {
			return module.Version{}, false
		}
		return r, true
	}
	return m, true
}

func (n *sumNeeds) add(m module.Version, gomod bool, why sumReason) {
	k, ok := n.key(m)
	if !ok || m.Version == "" {
		return
	}
	if gomod {
		k = goModKey(k)
	}
	if _, dup := n.keys[k]; !dup {
		n.keys[k] = why
	}
}

// isRoot reports whether main requires m at m's version. It and
// rootVersion ask the go.mod's index: they are asked per package and prefix.
func isRoot(main *workspace.Module, m module.Version) bool {
	return slices.ContainsFunc(main.Index().Requires(m.Path), func(r *modfile.Require) bool { return r.Mod == m })
}

func rootVersion(main *workspace.Module, path string) (string, bool) {
	v, ok := "", false
	for _, r := range main.Index().Requires(path) {
		if !ok || semver.Compare(r.Mod.Version, v) > 0 {
			v, ok = r.Mod.Version, true
		}
	}
	return v, ok
}

func mainGo(m *workspace.Module) string {
	if m.Mod.Go != nil {
		return m.Mod.Go.Version
	}
	return ""
}

func pruned(m *workspace.Module) bool {
	v := mainGo(m)
	return v != "" && version.Compare("go"+v, "go1.17") >= 0
}

// prefixes adds, for pkg provided by mod, the modules a build checks to
// rule out an ambiguous import: in a pruned graph, when mod is a root at the
// selected version, the roots whose path is a prefix of pkg; otherwise every
// selected module whose path is. main is the module n was made for.
func (n *sumNeeds) prefixes(main *workspace.Module, pkg string, mod module.Version, gomod bool, why func(module.Version) sumReason) {
	fromRoots := n.pruned && isRoot(main, mod)
	for p := pkg; p != "." && p != ""; p = parentPath(p) {
		walk := prefixWalk{p, fromRoots, gomod}
		if _, done := n.visited[walk]; done {
			break // and so were its parents
		}
		if n.visited == nil {
			n.visited = make(map[prefixWalk]struct{})
		}
		n.visited[walk] = struct{}{}
		var v string
		var ok bool
		if fromRoots {
			v, ok = rootVersion(main, p)
		} else {
			v, ok = n.g.Selected(p)
		}
		if !ok || v == "" || v == "none" {
			continue
		}
		m := module.Version{Path: p, Version: v}
		n.add(m, false, why(m))
		if gomod {
			n.add(m, true, why(m))
		}
	}
}

func parentPath(p string) string {
	i := strings.LastIndex(p, "/")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// readGoMods lists the modules whose go.mod the graph read (other than the
// main modules), sorted.
func readGoMods(g *modgraph.Graph) []module.Version {
	out := goModsRead(g)
	slices.SortFunc(out, func(a, b module.Version) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), semver.Compare(a.Version, b.Version))
	})
	return out
}

// goModsRead lists the modules whose go.mod the graph read (other than the
// main modules) in the order of a walk from the main modules: the same
// for the same graph.
func goModsRead(g *modgraph.Graph) []module.Version {
	var out []module.Version
	seen := make(map[module.Version]bool)
	var walk func(m module.Version)
	walk = func(m module.Version) {
		reqs, ok := g.RequiredBy(m)
		if !ok || seen[m] {
			return
		}
		seen[m] = true
		if m.Version != "" {
			out = append(out, m)
		}
		for _, r := range reqs {
			walk(r)
		}
	}
	for _, m := range g.Mains() {
		walk(m)
	}
	return out
}

// moduleSumsCheckable returns m's graph alone and go.sum (nil when it has
// none), ok false when neither the missing nor the unused lines can be
// told: the graph is incomplete, or the go.sum was not read.
func moduleSumsCheckable(snap *workspace.Snapshot, m *workspace.Module) (*modgraph.Graph, *workspace.SumFile, bool) {
	g := modgraph.Module(snap, m)
	if g.Incomplete() != nil {
		return nil, nil, false
	}
	sf := snap.GoSum(m.Dir)
	if sf != nil && sf.File.Skipped != nil {
		// Not read (file-skipped): what it holds is unknown, and reporting
		// every needed hash as missing would be noise.
		return nil, nil, false
	}
	return g, sf, true
}

// moduleMissingSums reports the lines m's go.sum lacks, outside workspace
// mode (in it, the go command adds them to go.work.sum).
func moduleMissingSums(snap *workspace.Snapshot, m *workspace.Module) []Diagnostic {
	if snap.WorkFor(m.Dir) != nil {
		return nil
	}
	g, sf, ok := moduleSumsCheckable(snap, m)
	if !ok {
		if g := modgraph.Module(snap, m); g.Incomplete() != nil {
			return coldMissingSums(snap, m)
		}
		return nil
	}
	return missingSums(snap, g, m, sf)
}

// coldMissingSums is what can be told of m's go.sum without its module
// graph, as on a fresh CI machine whose module cache lacks the go.mod
// files the graph needs. In a pruned module (go 1.17 or later) whose
// go.mod is consistent, each root is at the version the graph selects,
// so the module a file go build compiles imports from — the longest
// required path that is the import's or a parent of it (or what replaces
// it) — is known from go.mod alone, and so are the lines the build needs
// for it: its zip hash (go downloads it and fails on the missing line
// first) and its /go.mod hash. What else the graph selects, and the
// modules a prefix walk checks for ambiguity, need the graph: nothing is
// said of them.
func coldMissingSums(snap *workspace.Snapshot, m *workspace.Module) []Diagnostic {
	bc := buildctx.Module(snap, m)
	if bc.Mod.Vendor() || bc.Mod.Value == "mod" || m.Mod == nil || m.Mod.Module == nil || !pruned(m) {
		return nil
	}
	sf := snap.GoSum(m.Dir)
	if sf != nil && sf.File.Skipped != nil {
		return nil
	}
	type need struct{ pkg, from string }
	needed := make(map[module.Version]need) // sum key (without /go.mod) → an import needing it
	dir := filepath.Clean(m.Dir)
	for path, sites := range snap.Imports(m.Dir) {
		if isStdPath(path) || !slices.ContainsFunc(sites, builtSite) {
			continue
		}
		var req *modfile.Require
		for _, r := range m.Mod.Require {
			if (path == r.Mod.Path || strings.HasPrefix(path, r.Mod.Path+"/")) && (req == nil || len(r.Mod.Path) > len(req.Mod.Path)) {
				req = r
			}
		}
		if req == nil {
			continue
		}
		key := req.Mod
		if r, ok := bc.Replacement(req.Mod); ok {
			if r.Dir != "" {
				continue // a directory's go.mod has no sum
			}
			key = r.Replace.New
		}
		if n, ok := needed[key]; !ok || path < n.pkg {
			from := m.Mod.Module.Mod.Path
			for _, s := range sites {
				if builtSite(s) {
					if rel := relativeDir(dir, filepath.Dir(s.File)); rel != "." {
						from += "/" + filepath.ToSlash(rel)
					}
					break
				}
			}
			needed[key] = need{path, from}
		}
	}
	var x *sumIndex
	if sf != nil {
		x = indexSum(snap, sf)
	}
	var diags []Diagnostic
	for _, k := range slices.SortedFunc(mapKeysV(needed), compareSumKeys) {
		n := needed[k]
		if x == nil || !x.has(k) {
			diags = append(diags, missingSumDiagnostics(snap, m, sf, k, sumReason{code: CodeSumMissingZip, mod: k, pkg: n.pkg, from: n.from}, &sumLoad{})...)
		}
		if x == nil || !x.has(goModKey(k)) {
			diags = append(diags, missingSumDiagnostics(snap, m, sf, goModKey(k), sumReason{code: CodeSumMissingGoMod, mod: k, pkg: n.pkg}, &sumLoad{})...)
		}
	}
	return diags
}

// moduleUnusedSums reports the lines of m's go.sum go mod tidy would drop.
func moduleUnusedSums(snap *workspace.Snapshot, m *workspace.Module) []Diagnostic {
	g, sf, ok := moduleSumsCheckable(snap, m)
	if !ok || sf == nil {
		return nil
	}
	return unusedSums(snap, g, m, sf)
}

func missingSums(snap *workspace.Snapshot, g *modgraph.Graph, m *workspace.Module, sf *workspace.SumFile) []Diagnostic {
	if bc := buildctx.Module(snap, m); bc.Mod.Vendor() || bc.Mod.Value == "mod" {
		return nil
	}
	n := newSumNeeds(g, m)
	// 1. The go.mod files the graph reads: the roots of a pruned graph
	// (the go command reads more only when it needs the full graph), every
	// module of an unpruned one.
	if pruned(m) {
		for _, r := range m.Mod.Require {
			n.add(r.Mod, true, sumReason{code: CodeSumMissingGoMod, mod: r.Mod})
		}
	} else {
		for _, r := range readGoMods(g) {
			n.add(r, true, sumReason{code: CodeSumMissingGoMod, mod: r})
		}
	}
	// 2 and 3. The packages a build loads: those the main module's files
	// import (not behind a custom build tag), and theirs.
	l := loadPackages(snap, g, m, "missing", func(s workspace.ImportSite) bool { return !s.Ignored && !s.CustomTags }, nil, false)
	for _, pkg := range slices.Sorted(mapKeys(l.pkgs)) {
		mod := l.pkgs[pkg].mod
		n.add(mod, true, sumReason{code: CodeSumMissingGoMod, mod: mod})
		n.add(mod, false, sumReason{code: CodeSumMissingZip, mod: mod, pkg: pkg, from: l.importer[pkg]})
		n.prefixes(m, pkg, mod, false, func(p module.Version) sumReason {
			return sumReason{code: CodeSumMissingAmbiguity, mod: p, pkg: pkg, from: l.importer[pkg]}
		})
	}
	var x *sumIndex
	if sf != nil {
		x = indexSum(snap, sf)
	}
	var diags []Diagnostic
	for _, k := range slices.SortedFunc(mapKeysV(n.keys), compareSumKeys) {
		if x != nil && x.has(k) {
			continue
		}
		why := n.keys[k]
		diags = append(diags, missingSumDiagnostics(snap, m, sf, k, why, l)...)
	}
	return diags
}

func mapKeysV[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func compareSumKeys(a, b module.Version) int {
	if c := cmp.Compare(a.Path, b.Path); c != 0 {
		return c
	}
	av, amod := strings.CutSuffix(a.Version, "/go.mod")
	bv, bmod := strings.CutSuffix(b.Version, "/go.mod")
	if c := semver.Compare(av, bv); c != 0 {
		return c
	}
	if c := cmp.Compare(av, bv); c != 0 {
		return c
	}
	switch {
	case amod == bmod:
		return 0
	case !amod:
		return -1
	}
	return 1
}

func missingSumDiagnostics(snap *workspace.Snapshot, m *workspace.Module, sf *workspace.SumFile, key module.Version, why sumReason, l *sumLoad) []Diagnostic {
	var msg string
	get := why.from
	if lp, ok := l.pkgs[why.from]; ok {
		get += "@" + lp.mod.Version
	}
	switch why.code {
	case CodeSumMissingGoMod:
		msg = fmt.Sprintf("%s@%s: missing go.sum entry for go.mod file; to add it:\n\tgo mod download %s", why.mod.Path, why.mod.Version, why.mod.Path)
	case CodeSumMissingZip:
		msg = fmt.Sprintf("missing go.sum entry for module providing package %s (imported by %s); to add:\n\tgo get %s", why.pkg, why.from, get)
	case CodeSumMissingAmbiguity:
		msg = fmt.Sprintf("missing go.sum entry needed to verify package %s (imported by %s) is provided by exactly one module; to add:\n\tgo get %s", why.pkg, why.from, get)
	}
	line := fmt.Sprintf("go.sum has no line %q", key.Path+" "+key.Version+" h1:…")
	fixes := []Fix{
		{Title: "Run go mod download " + why.mod.Path, Kind: KindQuickFix, Command: &Command{Name: CommandDownload, Title: "Run go mod download " + why.mod.Path, Dir: m.Dir, Args: []string{why.mod.Path}}},
		{Title: "Run go mod tidy", Kind: KindQuickFix, Command: &Command{Name: CommandTidy, Title: "Run go mod tidy", Dir: m.Dir}},
	}
	// On go.mod: the require line of the module, else the module line.
	sp := lineSpan(m.Mod.Module.Syntax)
	if rs := m.Index().Requires(why.mod.Path); len(rs) > 0 {
		sp = lineSpan(rs[0].Syntax)
	}
	d := Diagnostic{Code: why.code, Severity: SeverityError, File: m.File, Span: sp, Message: msg, Fixes: fixes}
	if sf == nil {
		d.Message += "\n(" + line + ": there is no go.sum)"
		return []Diagnostic{d}
	}
	// On go.sum: where the line would go.
	at := indexSum(snap, sf).insertAt(key)
	ssp := workspace.Span{Start: at, End: at}
	d.Related = []Related{{File: sf.File, Span: ssp, Message: line}}
	s := Diagnostic{Code: why.code, Severity: SeverityError, File: sf.File, Span: ssp, Message: msg + "\n(" + line + ")", Fixes: fixes,
		Related: []Related{{File: m.File, Span: sp, Message: "required here"}}}
	return []Diagnostic{d, s}
}

// unusedSums reports the lines of m's go.sum that go mod tidy removes: it
// keeps (cmd/go's keepSums with loadedZipSumsOnly) the /go.mod hash of every
// module whose go.mod the graph read, and for every package in "all" the
// /go.mod hash of its module (go ≥ 1.21) and the zip hashes of the modules
// whose path is a prefix of it (only the roots when the package comes from
// a root of a pruned graph), with their /go.mod hashes (go ≥ 1.21). It stays
// silent unless it can tell exactly: the graph complete, every package
// found, the requirements tidy, and the go line not 1.17–1.20 (whose tidy
// also keeps the hashes of the go 1.16 unpruned graph).
func unusedSums(snap *workspace.Snapshot, g *modgraph.Graph, m *workspace.Module, sf *workspace.SumFile) []Diagnostic {
	goV := mainGo(m)
	if goV != "" && version.Compare("go"+goV, "go1.17") >= 0 && version.Compare("go"+goV, "go1.21") < 0 {
		return nil
	}
	newSums := goV != "" && version.Compare("go"+goV, "go1.21") >= 0
	var tools []string
	for _, t := range m.Mod.Tool {
		tools = append(tools, t.Path)
	}
	keep, ok := recalledUnusedKeep(snap, g, m, tools)
	if !ok {
		l := loadPackages(snap, g, m, "unused", keepUnusedSites, tools, true)
		keep = unusedKeep(g, m, l, newSums)
		keepUnusedKeep(snap, g, m, tools, l, keep)
	}
	if keep == nil {
		return nil
	}
	return unusedSumDiagnostics(snap, sf, m.Mod.Module.Mod.Path, keep)
}

// keepUnusedSites are the import sites go mod tidy loads: every build tag
// but ignore.
func keepUnusedSites(s workspace.ImportSite) bool { return !s.Ignored }

// unusedKeep returns the go.sum keys go mod tidy keeps after the load l of
// m (the "unused" site), nil when it cannot tell exactly.
func unusedKeep(g *modgraph.Graph, m *workspace.Module, l *sumLoad, newSums bool) map[module.Version]sumReason {
	if l.unresolved {
		return nil
	}
	// The requirements must be what tidy leaves: each root at its selected
	// version, and (pruned) each module providing a package a root.
	for _, r := range m.Mod.Require {
		if v, ok := g.Selected(r.Mod.Path); !ok || v != r.Mod.Version {
			return nil
		}
	}
	// and each direct requirement provides a package (tidy drops the
	// others, and the sums with them).
	providers := make(map[string]bool)
	for pkg, lp := range l.pkgs {
		if l.inAll[pkg] {
			providers[lp.mod.Path] = true
		}
	}
	for _, r := range m.Mod.Require {
		if !r.Indirect && !providers[r.Mod.Path] {
			return nil
		}
	}
	n := newSumNeeds(g, m)
	for _, r := range readGoMods(g) {
		n.add(r, true, sumReason{})
	}
	for pkg, lp := range l.pkgs {
		mod := lp.mod
		root := n.pruned && isRoot(m, mod)
		if l.inAll[pkg] && n.pruned && !root {
			return nil
		}
		if newSums {
			n.add(mod, true, sumReason{})
		}
		n.prefixes(m, pkg, mod, newSums && !root, func(module.Version) sumReason { return sumReason{} })
	}
	return n.keys
}

// unusedInputs are what unusedSumDiagnostics computes from.
type unusedInputs struct {
	sf   *workspace.SumFile
	main string
	keep map[module.Version]sumReason
}

// unusedSumDiagnostics reports each line of sf whose key keep lacks. The
// result depends on those three inputs only, and costs a diagnostic with a
// message and a fix per line, so it is kept with Snapshot.Memo and reused
// while sf's parse, main and the set of keys kept are the same (an edit of
// another module, or one that changes no requirement, does not pay again).
func unusedSumDiagnostics(snap *workspace.Snapshot, sf *workspace.SumFile, main string, keep map[module.Version]sumReason) []Diagnostic {
	same := func(a, b unusedInputs) bool { return a.sf == b.sf && a.main == b.main && sameKeys(a.keep, b.keep) }
	return memoDiagnosticsFunc(snap, "diagnostics.unusedSums:"+sf.File.Path, unusedInputs{sf, main, keep}, same, func() []Diagnostic {
		return computeUnusedSums(sf, main, keep)
	})
}

func sameKeys(a, b map[module.Version]sumReason) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

func computeUnusedSums(sf *workspace.SumFile, main string, keep map[module.Version]sumReason) []Diagnostic {
	var diags []Diagnostic
	for _, line := range sf.Lines() {
		if _, ok := keep[line.Mod]; ok {
			continue
		}
		del := sf.Span(line)
		if del.End < sf.File.Size() {
			del.End++ // the newline
		}
		diags = append(diags, Diagnostic{
			Code:     CodeSumUnusedLines,
			Severity: SeverityHint,
			File:     sf.File,
			Span:     sf.Span(line),
			Tags:     []Tag{TagUnnecessary},
			Message:  unusedMessage(line.Mod, main),
			Fixes: []Fix{
				{Title: "Remove unused go.sum line", Kind: KindFixAll, Edits: []Edit{{File: sf.File, Span: del}}},
			},
		})
	}
	return diags
}

func unusedMessage(key module.Version, main string) string {
	if v, ok := strings.CutSuffix(key.Version, "/go.mod"); ok {
		return fmt.Sprintf("unused go.sum line: the module graph of %s does not read the go.mod of %s@%s, and none of its packages comes from it; go mod tidy removes this line", main, key.Path, v)
	}
	return fmt.Sprintf("unused go.sum line: no package %s loads comes from %s@%s, nor does it need it to rule out an ambiguous import; go mod tidy removes this line", main, key.Path, key.Version)
}
