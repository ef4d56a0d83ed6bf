package diagnostics

import (
	"fmt"
	"go/version"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// A Tidy is what `go mod tidy` would write for one module, computed from
// the snapshot alone: the module's go.mod and Go files, its go.sum, and the
// module cache (dependencies' go.mod files, packages and hashes). Like go
// mod tidy it ignores go.work.
//
// It follows cmd/go/internal/modload: the packages of "all" and the tests
// of each (load.go: loadFromRoots with Tidy and LoadTests, every build tag
// but ignore), the requirements tidy keeps (buildlist.go: tidyPrunedRoots:
// each module providing a package in "all", then, a depth of test imports
// at a time, each module whose version the kept requirements would not
// select), which of them are direct (updateRequirements: providing a
// package the main module imports), the go and toolchain lines
// (init.go: UpdateGoModFromReqs), and the go.sum lines (init.go: keepSums
// with addBuildListZipSums, and modfetch's tidyGoSum). Not modelled: the
// roots tidyPrunedRoots adds last to keep a test dependency's import
// unambiguous (golang/go#60313), and the roots its loading loop adds when
// promoting one upgrades another (the convergence cases): both need
// packages that move between modules as versions change, which the
// parity test on real trees has not met.
type Tidy struct {
	Module *workspace.Module
	// Unknown says, when not empty, why the result cannot be told offline
	// and for certain (a module missing from the module cache, a package
	// no required module provides, a case gomodls does not predict); the
	// fields below are then unset.
	Unknown []string
	// Failure, when not empty, is why go mod tidy itself fails (offline,
	// as the environment has it); the fields below are then unset.
	Failure []string

	// GoMod is the go.mod go mod tidy writes, and CurrentGoMod the current
	// one as go reads it (formatted: go mod tidy -diff compares the two).
	CurrentGoMod, GoMod []byte
	// GoSum is the go.sum it writes, CurrentGoSum the file's bytes.
	CurrentGoSum, GoSum []byte
	// Requires are the requirements it writes, sorted by path, and Direct
	// the paths of those it writes without // indirect.
	Requires []module.Version
	Direct   map[string]bool
	// GoVersion is its go line.
	GoVersion string

	load *sumLoad // the package load it came from, once made
	pkgs []string // the load's packages, sorted
	// For the go.sum, computed by withGoSum: the tidy graph and go.sum.
	tg *modgraph.Graph
	sf *workspace.SumFile
}

// Diff is what `go mod tidy -diff` prints for t: the go.mod diff, then the
// go.sum diff, each followed by an empty line; empty when the module is
// tidy.
func (t *Tidy) Diff(diff func(oldName string, old []byte, newName string, new []byte) []byte) []byte {
	var out []byte
	if d := diff("current/go.mod", t.CurrentGoMod, "tidy/go.mod", t.GoMod); len(d) > 0 {
		out = append(append(out, d...), '\n')
	}
	if d := diff("current/go.sum", t.CurrentGoSum, "tidy/go.sum", t.GoSum); len(d) > 0 {
		out = append(append(out, d...), '\n')
	}
	return out
}

// TidyModule computes what go mod tidy writes for m, a module of snap.
func TidyModule(snap *workspace.Snapshot, m *workspace.Module) *Tidy {
	t := &Tidy{Module: m}
	unknown := func(format string, args ...any) *Tidy {
		t.Unknown = append(t.Unknown, fmt.Sprintf(format, args...))
		return t
	}
	switch {
	case m.Mod == nil:
		return unknown("%s does not parse", m.File.Path)
	case m.Mod.Module == nil:
		return unknown("%s has no module line", m.File.Path)
	}
	goV := mainGo(m)
	if goV == "" || version.Compare("go"+goV, "go1.18") < 0 {
		// At go 1.17 tidy also keeps what go 1.16 needs (its -compat
		// default is the previous version, which reads an unpruned
		// graph: those sums, and errors where 1.16 would load a package
		// elsewhere); below it the graph is unpruned; with no go line it
		// writes one and converts the requirements.
		return unknown("go mod tidy is predicted for go 1.18 and later; %s says go %q", m.File.Path, goV)
	}
	// A version the file spells otherwise than the parse stores it (v1.0
	// for v1.0.0) is a query go resolves online (gomod-noncanonical-version).
	for _, r := range m.Mod.Require {
		if raw, _, ok := spelledVersion(m.File, r.Syntax, r.Mod.Version); ok {
			return unknown("%s requires %s at %s, which the go command resolves online", m.File.Path, r.Mod.Path, raw)
		}
	}
	sf := snap.GoSum(m.Dir)
	if sf != nil && len(sf.Errors) > 0 {
		return unknown("go.sum: %v (the go command stops there)", sf.Errors[0])
	}
	g := modgraph.Module(snap, m)
	if err := g.Incomplete(); err != nil {
		for _, miss := range g.Missing() {
			switch {
			case miss.Replacement.Path != "" && miss.Replacement.Version == "":
				t.Failure = append(t.Failure, miss.Error()) // a directory: no download helps
			default:
				// go may never read it: tidy loads the current graph
				// lazily, and a requirement it drops is not read at
				// all. Only the graph of what it keeps is certain.
				unknown("%s: the go.mod of the module graph is not in the module cache", miss.Module)
			}
		}
		if len(t.Failure) == 0 && len(t.Unknown) == 0 {
			unknown("%v", err)
		}
		return t
	}
	l := loadPackages(snap, g, m, "unused", keepUnusedSites, toolPaths(m), true)
	t.load = l
	if l.unresolved {
		// A package no module of the graph provides: tidy looks for a
		// module that does, which GOPROXY=off forbids (even a module
		// the cache holds; modload/import.go: queryImport). Any other
		// proxy answers online.
		for _, pkg := range l.unresolvedPkgs {
			if rep, _ := replacedProvider(snap, g, m, pkg); rep != nil {
				// tidy takes the module from the replacement, at a
				// version it makes up, and goes on loading from there.
				return unknown("%s imports %s, which a replaced module not required provides: go mod tidy adds the requirement and loads on, which gomodls does not predict", importerOf(l, pkg), pkg)
			}
		}
		for _, pkg := range l.unresolvedPkgs {
			if l.absent[pkg] && buildctx.FetchOf(snap.Env, pkg).Off {
				t.Failure = append(t.Failure, fmt.Sprintf("%s imports %s: cannot find module providing package %s: module lookup disabled by GOPROXY=off", importerOf(l, pkg), pkg, pkg))
			}
		}
		if len(t.Failure) > 0 {
			return t
		}
		for _, pkg := range l.unresolvedPkgs {
			if l.absent[pkg] {
				unknown("no module of the graph provides package %s (imported by %s): go mod tidy would look one up online", pkg, importerOf(l, pkg))
			} else {
				t.needs(snap, pkg, fmt.Sprintf("%s imports %s: the files of the module providing it", importerOf(l, pkg), pkg))
			}
		}
		return t
	}

	// The roots: every module providing a package in "all", at the
	// version the load found it in.
	t.pkgs = slices.Sorted(mapKeys(l.pkgs))
	isRoot := map[string]bool{l.main: true}
	var roots []module.Version
	for _, pkg := range t.pkgs {
		if lp := l.pkgs[pkg]; l.inAll[pkg] && !isRoot[lp.mod.Path] {
			isRoot[lp.mod.Path] = true
			roots = append(roots, lp.mod)
		}
	}
	module.Sort(roots)
	tg := graphOfRoots(snap, m, goV, roots, g)
	// Then the test imports of packages in "all", a depth at a time: a
	// module whose package a test imports and that the roots would select
	// below the version the load used becomes a root too.
	var layer []string
	seen := make(map[string]bool, len(l.pkgs))
	for pkg := range l.inAll {
		seen[pkg] = true
	}
	for _, pkg := range t.pkgs {
		if !l.inAll[pkg] {
			continue
		}
		for _, imp := range l.pkgs[pkg].pf.TestImports {
			if !isStdPath(imp) && !seen[imp] {
				seen[imp] = true
				layer = append(layer, imp)
			}
		}
	}
	for len(layer) > 0 {
		added := false
		var next []string
		for _, pkg := range layer {
			lp, ok := l.pkgs[pkg]
			if !ok {
				continue // a main module package
			}
			if p := lp.mod.Path; !isRoot[p] {
				if v, ok := tg.Selected(p); !ok || semver.Compare(v, lp.mod.Version) < 0 {
					isRoot[p] = true
					roots = append(roots, lp.mod)
					added = true
				}
			}
			for _, imp := range lp.pf.Imports {
				if !isStdPath(imp) && !seen[imp] {
					seen[imp] = true
					next = append(next, imp)
				}
			}
		}
		if added {
			module.Sort(roots)
			tg = graphOfRoots(snap, m, goV, roots, g)
		}
		layer = next
	}
	if err := tg.Incomplete(); err != nil {
		for _, miss := range tg.Missing() {
			t.needs(snap, miss.Module.Path, fmt.Sprintf("%s: the go.mod of the tidy module graph", miss.Module))
		}
		return t
	}
	t.Requires = roots
	// The go line: the highest of the main module's and the go lines (1.21
	// or later) of the go.mod files the kept roots' graph reads. go
	// raises its go root while loading only when it checks a root's
	// requirements (modload's spotCheckRoots, for the roots the packages
	// come from) or reads the whole graph, so a requirement tidy drops
	// does not raise it.
	t.GoVersion = tg.GoVersion()
	if local := localGoVersion(snap); local != "" && version.Compare("go"+t.GoVersion, "go"+local) > 0 {
		return unknown("go %s is needed, newer than the local go %s", t.GoVersion, local)
	}

	// Direct: the modules providing a package the main module's files
	// import.
	t.Direct = make(map[string]bool)
	for _, r := range loadRoots(snap, m, "unused", keepUnusedSites) {
		if lp, ok := l.pkgs[r.path]; ok {
			t.Direct[lp.mod.Path] = true
		}
	}

	t.tg, t.sf = tg, sf
	return t
}

// needs records that tidy would have to download what (of module path):
// go's failure under GOPROXY=off ("module lookup disabled"), and unknown
// otherwise.
func (t *Tidy) needs(snap *workspace.Snapshot, path, what string) {
	if buildctx.FetchOf(snap.Env, path).Off {
		t.Failure = append(t.Failure, what+": module lookup disabled by GOPROXY=off")
	} else {
		t.Unknown = append(t.Unknown, what+": not in the module cache")
	}
}

// TidyModuleWithGoSum is TidyModule with the files tidy writes too (GoMod,
// GoSum and the current ones): a module or hash the cache lacks makes it
// unknown, or go's failure offline.
func TidyModuleWithGoSum(snap *workspace.Snapshot, m *workspace.Module) *Tidy {
	return TidyModule(snap, m).withGoSum(snap)
}

// withGoSum computes the files t writes, once: the go.mod (formatted
// before and after) and the go.sum. The requirement diagnostics need them
// only for the fix that applies the whole of tidy, which they make only
// when they report something.
func (t *Tidy) withGoSum(snap *workspace.Snapshot) *Tidy {
	if t.tg == nil || t.GoSum != nil || len(t.Unknown) > 0 || len(t.Failure) > 0 {
		return t
	}
	m := t.Module
	content := m.File.Content()
	current, err := modfile.Parse(m.File.Path, content, nil)
	if err == nil {
		t.CurrentGoMod, err = current.Format()
	}
	if err == nil {
		t.GoMod, err = tidyGoMod(m.File.Path, content, t)
	}
	if err != nil {
		t.Unknown = append(t.Unknown, err.Error())
		return t
	}
	sums, missing := tidyGoSum(snap, t.load, t.tg, t.sf, version.Compare("go"+t.GoVersion, "go1.21") >= 0)
	if len(missing) > 0 {
		for _, k := range missing {
			t.needs(snap, k.Path, fmt.Sprintf("go.sum needs a line for %s %s", k.Path, k.Version))
		}
		return t
	}
	if t.sf != nil {
		t.CurrentGoSum = t.sf.File.Content()
	}
	t.GoSum = sums
	if t.GoSum == nil {
		t.GoSum = []byte{}
	}
	return t
}

// graphOfRoots is the graph of m with roots as its requirements, under
// m's go line goVersion: g itself when g's roots are those (a tidy go.mod,
// the common case, whose graph is already made), else modgraph.WithRoots.
func graphOfRoots(snap *workspace.Snapshot, m *workspace.Module, goVersion string, roots []module.Version, g *modgraph.Graph) *modgraph.Graph {
	if mains := g.Mains(); len(mains) == 1 {
		if have, ok := g.RequiredBy(mains[0]); ok && slices.Equal(sortedModules(have), roots) {
			return g
		}
	}
	return modgraph.WithRoots(snap, m, goVersion, roots, g)
}

// sortedModules is list sorted (a copy when it is not already).
func sortedModules(list []module.Version) []module.Version {
	less := func(a, b module.Version) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return semver.Compare(a.Version, b.Version)
	}
	if slices.IsSortedFunc(list, less) {
		return list
	}
	list = slices.Clone(list)
	module.Sort(list)
	return list
}

// toolPaths are the packages m's tool lines name: roots of the tidy load.
func toolPaths(m *workspace.Module) []string {
	var tools []string
	for _, tl := range m.Mod.Tool {
		tools = append(tools, tl.Path)
	}
	return tools
}

// importerOf names a package importing pkg in l: the first found, or the
// tests of a dependency.
func importerOf(l *sumLoad, pkg string) string {
	if from := l.importer[pkg]; from != "" {
		return from
	}
	return "a test of a dependency"
}

// localGoVersion is the local toolchain's version ("1.26.8"), "" when unknown.
func localGoVersion(snap *workspace.Snapshot) string {
	name, _, _ := strings.Cut(strings.TrimSpace(snap.Env.GOVERSION), " ")
	v, ok := strings.CutPrefix(name, "go")
	if !ok || !version.IsValid(name) {
		return ""
	}
	return v
}

// tidyGoMod is the go.mod content with t's go line, toolchain line and
// requirements, as UpdateGoModFromReqs writes them.
func tidyGoMod(path string, content []byte, t *Tidy) ([]byte, error) {
	f, err := modfile.Parse(path, content, nil)
	if err != nil {
		return nil, err
	}
	if f.Go == nil || f.Go.Version != t.GoVersion {
		if err := f.AddGoStmt(t.GoVersion); err != nil {
			return nil, err
		}
	}
	// The toolchain is a root of the graph when the file names one, and
	// go@V requires toolchain goV: the higher of the two, dropped when it
	// says no more than the go line.
	toolchain := "go" + t.GoVersion
	if f.Toolchain != nil && version.Compare(f.Toolchain.Name, toolchain) > 0 {
		toolchain = f.Toolchain.Name
	}
	if toolchain == "go"+t.GoVersion || version.Compare(toolchain, "go1.21") < 0 {
		f.DropToolchainStmt()
	} else if err := f.AddToolchainStmt(toolchain); err != nil {
		return nil, err
	}
	list := make([]*modfile.Require, 0, len(t.Requires))
	for _, r := range t.Requires {
		list = append(list, &modfile.Require{Mod: r, Indirect: !t.Direct[r.Path]})
	}
	f.SetRequireSeparateIndirect(list)
	f.Cleanup()
	return f.Format()
}

// tidyGoSum is the go.sum go mod tidy writes after the load l, with tg the
// graph of the requirements it keeps: the lines of sf (nil: none) whose key
// it keeps, plus the hashes of the module cache for the keys it keeps that
// sf lacks (go adds those it checked while loading). missing lists such
// keys the module cache cannot give (go would download them).
//
// pkgGoMods (tidy's go line 1.21 or later) keeps the go.mod hash of each
// package's module too; below, tidy keeps the older, smaller go.sum
// (keepSums' keepPkgGoModSums).
//
// What it keeps is keepSums with loadedZipSumsOnly. go mod tidy -diff
// asks keepSums again with addBuildListZipSums (adding every module of
// the build list's zip and go.mod), but only after TrimGoSum has dropped
// the lines the first answer lacks (modload.LoadPackages): a line of sf
// the first does not keep is gone, and a key only the second keeps was
// not read, so is not added.
func tidyGoSum(snap *workspace.Snapshot, l *sumLoad, tg *modgraph.Graph, sf *workspace.SumFile, pkgGoMods bool) ([]byte, []module.Version) {
	keep := make(map[module.Version]bool)
	replaced := func(m module.Version) (module.Version, bool) {
		if r, ok := tg.Replacement(m); ok {
			return r, r.Version != ""
		}
		return m, true
	}
	rootVersion := make(map[string]string)
	if mains := tg.Mains(); len(mains) == 1 {
		reqs, _ := tg.RequiredBy(mains[0])
		for _, r := range reqs {
			if v, ok := rootVersion[r.Path]; !ok || semver.Compare(r.Version, v) > 0 {
				rootVersion[r.Path] = r.Version
			}
		}
	}
	isRoot := func(m module.Version) bool {
		v, ok := rootVersion[m.Path]
		return ok && v == m.Version
	}
	// Each package's module's go.mod, and the zips of the modules whose
	// path is a prefix of the package's (only the roots for a package of a
	// root: a pruned graph looks there first).
	// (keepSums skips a package whose path is not a valid import path; a
	// package of l resolved to a module, so its path is one.)
	for pkg, lp := range l.pkgs {
		if r, ok := replaced(lp.mod); ok && pkgGoMods {
			keep[goModKey(r)] = true
		}
		fromRoots := isRoot(lp.mod)
		for p := pkg; p != ""; p = parentPath(p) {
			var v string
			var ok bool
			if fromRoots {
				v, ok = rootVersion[p]
			} else {
				v, ok = tg.Selected(p)
			}
			if !ok || tg.IsMain(p) {
				continue
			}
			if r, ok := replaced(module.Version{Path: p, Version: v}); ok {
				keep[r] = true
			}
		}
	}
	// Every go.mod the graph reads.
	for _, m := range readGoMods(tg) {
		if r, ok := replaced(m); ok {
			keep[goModKey(r)] = true
		}
	}

	lines := make(map[module.Version][]string)
	if sf != nil {
		for _, line := range sf.Lines() {
			if keep[line.Mod] {
				lines[line.Mod] = append(lines[line.Mod], line.Hash)
			}
		}
	}
	var missing []module.Version
	for k := range keep {
		if len(lines[k]) > 0 {
			continue
		}
		h, ok := snap.ModuleCacheSum(k)
		if !ok {
			missing = append(missing, k)
			continue
		}
		lines[k] = []string{h}
	}
	slices.SortFunc(missing, compareSumKeys)
	keys := slices.Collect(mapKeysV(lines))
	module.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		hs := lines[k]
		slices.Sort(hs)
		for _, h := range slices.Compact(hs) {
			fmt.Fprintf(&b, "%s %s %s\n", k.Path, k.Version, h)
		}
	}
	return []byte(b.String()), missing
}
