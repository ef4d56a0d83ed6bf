package modgraph

import (
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/workspace"
)

// Loaded is what loading the packages of the "all" pattern from one main
// module finds, the way go work sync loads them for each module of a
// workspace (modload.LoadPackages "all" with every build tag, tests
// included): which modules provide the packages loaded.
type Loaded struct {
	// Modules maps the path of each module other than a main module that
	// provides a loaded package to its selected version. The packages
	// loaded are those in "all" — the main module's packages and tests and
	// the tools of the main modules, what they import, transitively, and
	// the tests of main modules' packages reached — and the packages that
	// tests of the others import (go work sync loads those tests too).
	Modules map[string]string
	// Unresolved lists, sorted, the imports whose package was not found on
	// disk: the module's files are not in the module cache (a go command
	// read only its go.mod), or no module in the graph provides it. Modules
	// may then lack some.
	Unresolved []string

	// What it was computed from (see valid).
	graph     *Graph
	imports   reflect.Value // the main module's Imports map
	gen       uint64
	consulted map[string]string // module paths looked up → selected version ("none" if absent)
}

// LoadAll loads the packages of "all" from main, one of g's main modules, as
// go work sync does before raising main's requirements: a requirement on a
// module of Modules is raised to the version the graph selects; the others
// are left as they are (unless go work sync tidies the module because it
// raised something else). The main modules' Go files and the module cache's
// extracted modules are read through [workspace.Snapshot.PackageImports],
// once per session; the result is kept on the snapshot and reused while the
// graph selects the same versions of the modules it consulted.
func LoadAll(snap *workspace.Snapshot, g *Graph, main *workspace.Module) *Loaded {
	return snap.Memo("modgraph\x00all\x00"+g.key+"\x00"+main.File.Path, func(prev any) any {
		if l, ok := prev.(*Loaded); ok && l.valid(snap, g, main) {
			return l
		}
		return loadAll(snap, g, main)
	}).(*Loaded)
}

func (l *Loaded) valid(snap *workspace.Snapshot, g *Graph, main *workspace.Module) bool {
	if l.gen != snap.DiskGeneration() || l.imports.UnsafePointer() != reflect.ValueOf(snap.Imports(main.Dir)).UnsafePointer() {
		return false
	}
	if l.graph == g || l.graph.modulesID != 0 && l.graph.modulesID == g.modulesID {
		return true
	}
	for p, v := range l.consulted {
		now, ok := g.Selected(p)
		if !ok {
			now = "none"
		}
		if now != v {
			return false
		}
		if m := (module.Version{Path: p, Version: v}); v != "" && v != "none" {
			r1, ok1 := l.graph.Replacement(m)
			r2, ok2 := g.Replacement(m)
			if r1 != r2 || ok1 != ok2 {
				return false
			}
		}
	}
	return slices.Equal(l.graph.tools, g.tools) && l.graph.mainDirs.equal(g.mainDirs)
}

// sameModules reports whether a and b have the same main modules, tools,
// and build list, each module replaced alike: then every import resolves
// alike.
func sameModules(a, b *Graph) bool {
	if !slices.Equal(a.buildList, b.buildList) || !slices.Equal(a.tools, b.tools) || !a.mainDirs.equal(b.mainDirs) {
		return false
	}
	if a.reuse.directive != 0 && a.reuse == b.reuse {
		// The same replace directives, main go.mod paths and disk: every
		// module of the same build list is replaced alike, without asking
		// for each of a thousand.
		return true
	}
	for _, m := range a.buildList {
		if m.Version == "" {
			continue
		}
		r1, ok1 := a.Replacement(m)
		r2, ok2 := b.Replacement(m)
		if r1 != r2 || ok1 != ok2 {
			return false
		}
	}
	return true
}

// mainDirs maps each main module's path to its directory. A graph patched
// from the previous one shares its mainDirs, so that comparing the two
// after every edit costs a pointer, not a thousand lookups.
type mainDirs struct {
	byPath map[string]string
}

func (m *mainDirs) equal(o *mainDirs) bool {
	return m == o || maps.Equal(m.byPath, o.byPath)
}

type allLoader struct {
	snap   *workspace.Snapshot
	g      *Graph
	main   string // the main module's path
	out    *Loaded
	inAll  map[string]bool
	loaded map[string]bool
	queue  []string // packages in "all"
	tests  []string // packages only tests of dependencies import
	unres  map[string]bool
}

func loadAll(snap *workspace.Snapshot, g *Graph, main *workspace.Module) *Loaded {
	imps := snap.Imports(main.Dir)
	l := &allLoader{
		snap:   snap,
		g:      g,
		inAll:  make(map[string]bool),
		loaded: make(map[string]bool),
		unres:  make(map[string]bool),
		out: &Loaded{
			Modules:   make(map[string]string),
			graph:     g,
			imports:   reflect.ValueOf(imps),
			gen:       snap.DiskGeneration(),
			consulted: make(map[string]string),
		},
	}
	if main.Mod != nil && main.Mod.Module != nil {
		l.main = main.Mod.Module.Mod.Path
	}
	for path, sites := range imps {
		if slices.ContainsFunc(sites, func(s workspace.ImportSite) bool { return !s.Ignored }) {
			l.addAll(path)
		}
	}
	for _, t := range g.tools {
		l.addAll(t)
	}
	for len(l.queue) > 0 {
		pkg := l.queue[len(l.queue)-1]
		l.queue = l.queue[:len(l.queue)-1]
		mod, pf := l.resolve(pkg)
		if pf == nil || mod.Path == l.main && mod.Version == "" {
			continue // the main module's packages: their imports are the roots
		}
		for _, imp := range pf.Imports {
			l.addAll(imp)
		}
		for _, imp := range pf.TestImports {
			if mod.Version == "" {
				l.addAll(imp) // tests of main modules' packages are in "all"
			} else {
				l.addTest(imp)
			}
		}
	}
	for len(l.tests) > 0 {
		pkg := l.tests[len(l.tests)-1]
		l.tests = l.tests[:len(l.tests)-1]
		if l.inAll[pkg] {
			continue
		}
		if _, pf := l.resolve(pkg); pf != nil {
			for _, imp := range pf.Imports {
				l.addTest(imp)
			}
		}
	}
	l.out.Unresolved = slices.Sorted(func(yield func(string) bool) {
		for p := range l.unres {
			if !yield(p) {
				return
			}
		}
	})
	return l.out
}

// isStandard reports whether path is a standard library import path, as
// cmd/go's search.IsStandardImportPath decides: its first element has no
// dot.
func isStandard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func (l *allLoader) addAll(pkg string) {
	if isStandard(pkg) || l.inAll[pkg] {
		return
	}
	l.inAll[pkg] = true
	l.loaded[pkg] = true
	l.queue = append(l.queue, pkg)
}

func (l *allLoader) addTest(pkg string) {
	if isStandard(pkg) || l.loaded[pkg] {
		return
	}
	l.loaded[pkg] = true
	l.tests = append(l.tests, pkg)
}

// resolve finds the module that provides pkg: the module of the graph with
// the longest path that is a prefix of pkg and has pkg's directory holding Go
// files. It records the providing module in the result; nil when none does.
func (l *allLoader) resolve(pkg string) (module.Version, *workspace.PackageFiles) {
	for p := pkg; ; {
		v, ok := l.g.Selected(p)
		if ok {
			l.out.consulted[p] = v
		} else {
			l.out.consulted[p] = "none"
		}
		if root := l.moduleDir(p, v, ok); root != "" {
			dir := root
			if rel := strings.TrimPrefix(pkg, p); rel != "" {
				dir = filepath.Join(root, filepath.FromSlash(rel))
			}
			if pf := l.snap.PackageImports(dir); pf.Found {
				if v != "" {
					l.out.Modules[p] = v
				}
				return module.Version{Path: p, Version: v}, pf
			}
		}
		i := strings.LastIndex(p, "/")
		if i < 0 {
			l.unres[pkg] = true
			return module.Version{}, nil
		}
		p = p[:i]
	}
}

// moduleDir is where the files of path at its selected version v are: a
// main module's directory, a replacement directory, or the module cache.
func (l *allLoader) moduleDir(path, v string, ok bool) string {
	switch {
	case !ok:
		return ""
	case v == "":
		return l.g.mainDirs.byPath[path]
	}
	m := module.Version{Path: path, Version: v}
	if r, ok := l.g.Replacement(m); ok {
		if r.Version == "" {
			return r.Path
		}
		m = r
	}
	return l.snap.ModuleCacheDir(m)
}
