// Package modgraph computes the module graph of a build context — a
// workspace (go.work) or a single module — in-process and offline, the way
// the go command's module loader does (cmd/go/internal/modload, buildlist.go
// readModGraph): minimal version selection over the main modules'
// requirements, with the main modules' exclusions, the replacements in
// effect, and graph pruning for modules at go 1.17 and later.
//
// The main modules' go.mod and go.work files come from the snapshot (open
// buffers win). Every other go.mod — a dependency's, in the module cache, or
// a replacement directory's — is read through
// [workspace.Snapshot.DependencyGoMod], never from the network. When one the
// graph needs is not there, the graph is incomplete ([Graph.Incomplete]):
// any selected version may then be too low, and checks should stay silent
// rather than guess.
//
// [Workspace] and [Module] compute a graph on first use and keep it on the
// snapshot ([workspace.Snapshot.Memo]); a later snapshot reuses it as long as
// every go.mod and go.work it was computed from is unchanged, so an edit to
// go.sum, modules.txt or an unrelated go.mod costs a comparison of pointers.
//
// # Pruning
//
// A module whose go.mod says go 1.17 or later lists every module that
// provides a package it imports, so the go command does not read the
// requirements of its requirements: in the graph of a single main module at
// go ≥ 1.17, each dependency contributes its own requirements and no more,
// unless it is itself below go 1.17 ("unpruned"), in which case everything
// it reaches transitively counts. If the main module's requirements are not
// the versions the graph selects, the requirements are raised and the graph
// read again until they agree, as go mod tidy would. A main module below go
// 1.17 is not pruned at all.
//
// In a workspace, each used module contributes its requirements; a
// requirement that the workspace raises above the version a main module
// asks for contributes, at its selected version, its requirements and
// theirs (modload's "workspace" pruning), repeatedly.
package modgraph

import (
	"errors"
	"fmt"
	"go/version"
	"hash/fnv"
	"iter"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/internal/layered"
	"github.com/gomodls/gomodls/workspace"
)

// A Graph is the module graph of one build context. It is immutable.
type Graph struct {
	key           string           // its Snapshot.Memo key
	mains         []module.Version // in use order (workspace) or the one module; Version ""
	tools         []string         // the main modules' tool packages, sorted
	mainDirs      *mainDirs
	selected      map[string]string                   // path → selected version, "" for main modules, while the loader reads (then nil: see Selected)
	goVersion     string                              // the selected version of the "go" pseudo-module
	requirers     map[module.Version][]module.Version // built on first use
	requirersOnce sync.Once
	buildList     []module.Version
	// nodes holds, for each module version whose go.mod the graph loaded
	// (mvs.Graph's required set), what it read there: its requirements,
	// the go.mod and where it came from. One map, not one each for the
	// requirements, the go.mod files and what the next graph may reuse:
	// a thousand-module workspace holds a thousand graphs of its modules
	// alone. Layered: an edit's patched graph shares its predecessor's.
	nodes     layered.Map[module.Version, *summary]
	replace   *replacer
	missing   []Missing
	missingOf map[string][]Missing // missing by module path, built by finish
	broken    error                // why the go command cannot load this graph at all
	in        inputs
	// modulesID is equal for two graphs of a session that sameModules
	// holds for: what is derived from a graph's modules (LoadAll) compares
	// one number, once per snapshot, instead of a thousand-module build list
	// for each of a thousand main modules.
	modulesID uint64
	// The next graph of the same context reuses nodes' summaries when its
	// reuseKey is the same. strayLocal says that the loader read a go.mod
	// outside the module cache for a version that is not a node (a round
	// of a module graph read it and a later one dropped it): patchWorkspace
	// then cannot tell every version an edited go.mod was read for.
	reuse      reuseKey
	strayLocal bool
	// localReads indexes nodes by the go.mod outside the module cache each
	// was read from, built on first use and shared by the graphs patched
	// from this one (a patch changes what nodes hold, never which go.mod
	// they came from): patchWorkspace asks which versions an edited go.mod
	// was read for, and a scan of a thousand-module workspace's nodes per
	// edit grew with the workspace.
	localReads *localReads
	// What a workspace graph's loader enqueued, and the main modules'
	// exclusions it applied (see patchWorkspace).
	loading map[dedupKey]bool
	exclude map[module.Version]bool
}

var modulesIDs atomic.Uint64

// reuseKey says what every summary of a graph but the main modules' depends
// on besides the go.mod it read: the replacements and exclusions of the
// context (by a hash of every directive, in order) and the disk generation.
// The next graph of the same context with the same key takes each summary
// from the previous one instead of looking up its replacement, its path in
// the module cache and its parse again — once the go.mod it read is checked
// to be the same, for one outside the module cache — and each main module's
// while its go.mod parse is the same: an edit of one go.mod of a thousand
// then re-summarizes one.
type reuseKey struct {
	gen       uint64
	modcache  string
	directive uint64 // the hash of the directives, gen and modcache
}

// A Missing is a module version whose go.mod the graph needed but could not
// read; the requirements it would have added are unknown.
type Missing struct {
	Module module.Version
	// Replacement is what replaces Module — a module version, or a
	// directory (Path absolute, Version "") — or zero.
	Replacement module.Version
	// GoMod is the file that was read or looked for: in the module cache or
	// the replacement directory. It is "" when GOMODCACHE is unknown.
	GoMod string
	Err   error
}

func (m Missing) Error() string {
	what := m.Module.String()
	if m.Replacement.Path != "" {
		what += " (replaced by " + m.Replacement.String() + ")"
	}
	return what + ": " + m.Err.Error()
}

// errNoGoMod says that a go.mod is neither in the module cache (or the
// replacement directory) nor parsable there.
var errNoGoMod = errors.New("go.mod not found or not parsable (not in the module cache?)")

// Mains returns the main modules, with Version "": the modules a go.work
// uses, in the order of its use lines, or the single module.
func (g *Graph) Mains() []module.Version { return g.mains }

// IsMain reports whether path is the path of a main module.
func (g *Graph) IsMain(path string) bool { _, ok := g.mainDirs.byPath[path]; return ok }

// Selected returns the version of path the build uses: "" with ok for a main
// module, ok false when no module in the graph requires path. When the graph
// is incomplete, a selected version is only a lower bound.
func (g *Graph) Selected(path string) (version string, ok bool) {
	if g.IsMain(path) {
		return "", true
	}
	// The build list past the main modules is sorted by path, one version
	// each: a search there instead of a map per graph, which a thousand
	// graphs of a workspace's modules alone each held.
	rest := g.buildList[len(g.mains):]
	i, found := slices.BinarySearchFunc(rest, path, func(m module.Version, path string) int { return strings.Compare(m.Path, path) })
	if !found {
		return "", false
	}
	return rest[i].Version, true
}

// selectedVersion is Selected's version: "" for a main module or a path
// not in the graph.
func (g *Graph) selectedVersion(path string) string {
	v, _ := g.Selected(path)
	return v
}

// GoVersion is the selected version of the "go" pseudo-module: the highest
// of the go line of the go.work (workspace) or main module, and of the go
// lines at go 1.21 or later of the modules whose go.mod the graph read.
func (g *Graph) GoVersion() string { return g.goVersion }

// BuildList returns the selected version of every module in the graph: the
// main modules, then the others, each sorted by path, as go list -m all
// prints them.
func (g *Graph) BuildList() []module.Version { return g.buildList }

// RequiredBy returns the requirements of m as the graph read them (after
// exclusions), or ok false when the graph did not read m's go.mod (pruned
// out, not in the graph, or missing).
func (g *Graph) RequiredBy(m module.Version) (reqs []module.Version, ok bool) {
	s, ok := g.nodes.Get(m)
	if !ok {
		return nil, false
	}
	return s.reqs, true
}

// Requirers returns the modules of the graph whose requirements list m
// exactly: main modules first, in order, then the others sorted.
func (g *Graph) Requirers(m module.Version) []module.Version {
	g.requirersOnce.Do(g.indexRequirers)
	return g.requirers[m]
}

// GoMod returns the go.mod the graph read for m (its replacement's, if m is
// replaced), or nil when it did not read one. It must not be modified.
func (g *Graph) GoMod(m module.Version) *modfile.File {
	if s, _ := g.nodes.Get(m); s != nil {
		return s.gomod
	}
	return nil
}

// requires is what m requires in g; nil when m is not a node.
func (g *Graph) requires(m module.Version) []module.Version {
	if s, _ := g.nodes.Get(m); s != nil {
		return s.reqs
	}
	return nil
}

// requires is what m requires in the graph being read.
func (l *loader) requires(m module.Version) []module.Version {
	if s := l.nodes[m]; s != nil {
		return s.reqs
	}
	return nil
}

// Replacement returns what replaces m in this build context — a module
// version, or a directory (Path absolute, Version "") — following the go
// command: a go.work replace wins over the main modules' go.mod replaces, a
// replace of m's exact version over one of all versions, and a main module
// itself (Version "") is never replaced.
func (g *Graph) Replacement(m module.Version) (module.Version, bool) {
	if g.replace == nil {
		return module.Version{}, false
	}
	r, ok, _ := g.replace.lookup(m)
	return r, ok
}

// Incomplete returns nil when the graph is exactly what the go command would
// compute, or why it may not be: a main module's go.mod that does not parse,
// a conflict between replacements, or a go.mod the graph needed and could not
// read (Missing).
func (g *Graph) Incomplete() error {
	if g.broken != nil {
		return g.broken
	}
	if len(g.missing) > 0 {
		if len(g.missing) == 1 {
			return g.missing[0]
		}
		return fmt.Errorf("%w (and %d more)", g.missing[0], len(g.missing)-1)
	}
	return nil
}

// Missing lists the module versions whose go.mod the graph needed but could
// not read, sorted.
func (g *Graph) Missing() []Missing { return g.missing }

// MissingOf lists the entries of Missing for versions of path, in Missing's
// order: a lookup, for a check asking about each of thousands of replaces.
func (g *Graph) MissingOf(path string) []Missing { return g.missingOf[path] }

// String formats the build list one module per line, like go list -m all,
// with " => replacement" where one applies.
func (g *Graph) String() string {
	var b strings.Builder
	for _, m := range g.buildList {
		b.WriteString(m.Path)
		if m.Version != "" {
			b.WriteString(" " + m.Version)
			if r, ok := g.Replacement(m); ok {
				b.WriteString(" => " + r.Path)
				if r.Version != "" {
					b.WriteString(" " + r.Version)
				}
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// cmpVersion orders the versions of path: "" (a main module) above all.
func cmpVersion(path, v1, v2 string) int {
	switch {
	case v1 == v2:
		return 0
	case v1 == "":
		return 1
	case v2 == "":
		return -1
	case path == "go":
		return version.Compare("go"+v1, "go"+v2)
	}
	return semver.Compare(v1, v2)
}

// pruning is modload's modPruning.
type pruning int

const (
	pruned   pruning = iota // go ≥ 1.17: the requirements of requirements are not read
	unpruned                // everything reachable is read
	workspacePruning
)

func pruningFor(goVersion string) pruning {
	if goVersion == "" || version.Compare("go"+goVersion, "go1.17") < 0 {
		return unpruned
	}
	return pruned
}

// summary is what the graph takes from one go.mod (modload's modFileSummary).
type summary struct {
	gomod   *modfile.File
	reqs    []module.Version // after the main modules' exclusions
	pruning pruning
	goLine  string // "" when absent
	err     *Missing
	// from is the go.mod read, "" for a main module's (the snapshot's):
	// one in the module cache (inCache), or a directory replacement's.
	from    string
	inCache bool
}

// shared holds what one graph computation can hand to the next one of the
// same session: where a module version's go.mod is in the module cache, and
// what such a go.mod (by its parse, which DependencyGoMod keeps for the
// session) requires. It is kept with Snapshot.Memo and never invalidated:
// both are functions of their keys, and the module cache is never written
// under a version, so it grows only with the module versions gomodls
// meets.
type shared struct {
	mu    sync.Mutex
	paths map[module.Version]string
	files map[*modfile.File]*summary // without the main modules' exclusions
}

func sharedOf(snap *workspace.Snapshot) *shared {
	return snap.Memo("modgraph\x00shared", func(prev any) any {
		if c, ok := prev.(*shared); ok {
			return c
		}
		return &shared{paths: make(map[module.Version]string), files: make(map[*modfile.File]*summary)}
	}).(*shared)
}

func (c *shared) cachePath(snap *workspace.Snapshot, m module.Version) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.paths[m]
	if !ok {
		p = snap.ModuleCacheGoMod(m)
		c.paths[m] = p
	}
	return p
}

// summary is the summary of f, the module cache's go.mod at from (a
// parse is of one path, so from goes with f).
func (c *shared) summary(f *modfile.File, from string) *summary {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.files[f]
	if s == nil {
		s = summarize(f)
		s.from, s.inCache = from, true
		c.files[f] = s
	}
	return s
}

func summarize(f *modfile.File) *summary {
	reqs := make([]module.Version, len(f.Require))
	for i, r := range f.Require {
		reqs[i] = r.Mod
	}
	return summarizeWith(f, reqs)
}

// summarizeWith is summarize with reqs, f's requirements, already made:
// a go.mod of the snapshot has them in its index (ModIndex.Required),
// made once per parse, where a workspace graph, each module's own graph
// and the graphs that read it by a directory replacement would each make
// a copy.
func summarizeWith(f *modfile.File, reqs []module.Version) *summary {
	s := &summary{gomod: f, pruning: unpruned, reqs: reqs}
	if f.Go != nil {
		s.goLine = f.Go.Version
		s.pruning = pruningFor(f.Go.Version)
	}
	return s
}

// loader computes one graph.
type loader struct {
	snap      *workspace.Snapshot
	shared    *shared
	g         *Graph
	mainMods  map[string]*workspace.Module
	exclude   map[module.Version]bool
	summaries map[module.Version]*summary // shared by the iterations of a module graph
	prev      *Graph                      // the context's previous graph, whose summaries may be reused
	reusable  bool                        // prev's reuseKey is this graph's
	size      int                         // expected number of go.mod files read

	// The graph being read (modload's mvs.Graph and load queue), and its
	// inputs (inputs.snap, inputs.local), until finish makes them the
	// graph's.
	nodes   map[module.Version]*summary
	inSnap  map[string]*workspace.Module
	inLocal map[string]*modfile.File
	loading map[dedupKey]bool
	queue   []dedupKey
	missed  map[module.Version]bool // the modules of g.missing
	// raised records, while not nil, each path whose selected version
	// require changed (computeWorkspace's rounds).
	raised map[string]bool
}

type dedupKey struct {
	m module.Version
	p pruning
}

// Workspace returns the module graph of the workspace w (a go.work of snap)
// uses: the one every go command run inside it loads.
func Workspace(snap *workspace.Snapshot, w *workspace.Work) *Graph {
	return memoized(snap, w.File.Path, func(prev *Graph) *Graph { return computeWorkspace(snap, w, prev) })
}

// Module returns the module graph of m (a go.mod of snap) as the single main
// module: what go builds with outside workspace mode (GOWORK=off, go mod
// tidy, or a module released alone).
func Module(snap *workspace.Snapshot, m *workspace.Module) *Graph {
	return memoized(snap, m.File.Path, func(prev *Graph) *Graph { return computeModule(snap, m, prev) })
}

// memoized returns the graph of the context whose go.mod or go.work is at
// path, kept on the snapshot: the previous snapshot's graph while every file
// it was computed from is unchanged, else a new one from compute (given the
// previous graph's size, to allocate for it at once).
func memoized(snap *workspace.Snapshot, path string, compute func(prev *Graph) *Graph) *Graph {
	key := "modgraph\x00" + path
	return snap.Memo(key, func(prev any) any {
		old, ok := prev.(*Graph)
		if ok && old.in.valid(snap) {
			return old
		}
		g := compute(old)
		g.key = key
		if ok && sameModules(old, g) {
			g.modulesID = old.modulesID
		} else {
			g.modulesID = modulesIDs.Add(1)
		}
		return g
	}).(*Graph)
}

// ModulesID identifies what g says of modules: two graphs of one context
// in a session have the same ID when they have the same main modules, tools
// and build list, each module replaced alike (and so the same Selected and
// Replacement answers for every module they hold). A check that derives
// something per main module from the graph keeps it while the module's
// go.mod and this ID are unchanged.
func (g *Graph) ModulesID() uint64 { return g.modulesID }

// DirectivesKey identifies, within a session, the replace and exclude
// directives g was computed under (go.work's and every main module's) and
// the disk generation: equal for two graphs of a context when they are.
func (g *Graph) DirectivesKey() uint64 { return g.reuse.directive }

// Key names g's build context within a session (its go.work's or go.mod's
// path), for memo keys of what is derived from it.
func (g *Graph) Key() string { return g.key }

// size is the number of modules whose go.mod g read: a guess at the size of
// the next graph of the same context, to allocate for it at once.
func (g *Graph) size() int {
	if g == nil {
		return 0
	}
	return g.nodes.Len()
}

func newLoader(snap *workspace.Snapshot, prev *Graph) *loader {
	size := prev.size()
	l := &loader{
		prev:      prev,
		snap:      snap,
		shared:    sharedOf(snap),
		g:         &Graph{mainDirs: &mainDirs{byPath: make(map[string]string)}, localReads: new(localReads), in: inputs{cached: make(map[string]*modfile.File, size), mark: snap.ModulesMark()}},
		inSnap:    make(map[string]*workspace.Module),
		inLocal:   make(map[string]*modfile.File),
		mainMods:  make(map[string]*workspace.Module),
		exclude:   make(map[module.Version]bool),
		summaries: make(map[module.Version]*summary, size),
		size:      size,
	}
	l.g.in.gen.Store(snap.DiskGeneration())
	return l
}

func computeWorkspace(snap *workspace.Snapshot, w *workspace.Work, prev *Graph) *Graph {
	if g := patchWorkspace(snap, w, prev); g != nil {
		return g
	}
	l := newLoader(snap, prev)
	g := l.g
	g.in.work = w.File
	if w.Work == nil {
		g.broken = fmt.Errorf("go.work does not parse")
		return l.finish()
	}
	_, gomods := w.UseDirs()
	for _, gomod := range gomods {
		m := snap.ModuleAt(gomod)
		l.inSnap[gomod] = m
		if !l.addMain(m, gomod) {
			return l.finish()
		}
	}
	if len(g.mains) == 0 {
		g.broken = errors.New("go.work uses no module")
		return l.finish()
	}
	l.g.replace = l.newReplacer(buildctx.Workspace(snap, w), w)
	if g.broken != nil {
		return l.finish()
	}
	l.setReuse(w)
	goVersion := "1.18"
	if w.Work.Go != nil {
		goVersion = w.Work.Go.Version
	}
	l.resetGraph(goVersion)
	for _, m := range g.mains {
		l.enqueue(m, workspacePruning)
	}
	l.drain()

	// modload: "Reload any dependencies of the main modules which are not at
	// their selected versions at workspace mode, because the requirements
	// don't accurately reflect the transitive imports."
	//
	// Each round asks, of every requirement of a module in hasDepsInAll at
	// its selected version, whether the selected version is higher; modload
	// asks them all each round. The answer changes only for a requirement
	// whose path's selection the last round raised, so after a module's
	// first examination only those are asked again (requirersOf finds them):
	// in a thousand-module workspace the rounds cost the edges once, not
	// once per round.
	hasDepsInAll := make(map[string]bool)
	seen := make(map[module.Version]bool)
	examined := make(map[module.Version]bool)
	requirersOf := make(map[string][]module.Version) // path → examined modules requiring it
	for _, m := range g.mains {
		hasDepsInAll[m.Path] = true
	}
	var next []module.Version
	ask := func(r module.Version) {
		s := module.Version{Path: r.Path, Version: g.selected[r.Path]}
		if cmpVersion(r.Path, s.Version, r.Version) > 0 && !seen[s] {
			next = append(next, s)
		}
	}
	l.raised = make(map[string]bool)
	for {
		next = next[:0]
		for p := range hasDepsInAll {
			m := module.Version{Path: p, Version: g.selected[p]}
			switch {
			case !seen[m]:
				next = append(next, m)
			case !examined[m]:
				examined[m] = true
				for _, r := range l.requires(m) {
					requirersOf[r.Path] = append(requirersOf[r.Path], m)
					ask(r)
				}
			}
		}
		for q := range l.raised {
			for _, m := range requirersOf[q] {
				if g.selected[m.Path] != m.Version {
					continue // no longer what its path selects
				}
				for _, r := range l.requires(m) {
					if r.Path == q {
						ask(r)
					}
				}
			}
		}
		clear(l.raised)
		if len(next) == 0 {
			break
		}
		for _, m := range next {
			l.enqueue(m, workspacePruning)
			seen[m] = true
			hasDepsInAll[m.Path] = true
		}
		l.drain()
	}
	l.raised = nil
	return l.finish()
}

// moduleLoader starts the graph of m as the single main module, with its
// replacements and exclusions; ok is false when it is broken (and the
// loader finished).
func moduleLoader(snap *workspace.Snapshot, m *workspace.Module, prev *Graph) (l *loader, ok bool) {
	l = newLoader(snap, prev)
	l.inSnap[m.File.Path] = m
	if !l.addMain(m, m.File.Path) {
		return l, false
	}
	l.g.replace = l.newReplacer(buildctx.Module(snap, m), nil)
	if l.g.broken != nil {
		return l, false
	}
	l.setReuse(nil)
	return l, true
}

// WithRoots returns the graph of m as the single main module with roots
// as its requirements in place of its go.mod's, under go version
// goVersion (which decides its pruning): the graph go mod tidy checks its
// result against (modload's tidyRoots: the graph of a new requirement set,
// read once, its roots not updated). m's replacements and exclusions
// apply; prev (m's graph, or nil) lends the summaries of the go.mod files
// it read. It is not memoized, and has no Key: keep what is derived from
// it with what it was made from.
func WithRoots(snap *workspace.Snapshot, m *workspace.Module, goVersion string, roots []module.Version, prev *Graph) *Graph {
	l, ok := moduleLoader(snap, m, prev)
	if !ok {
		return l.finish()
	}
	p := pruningFor(goVersion)
	l.resetGraph(goVersion)
	l.require(l.g.mains[0], &summary{reqs: roots})
	for _, r := range roots {
		l.enqueue(r, p)
	}
	l.drain()
	g := l.finish()
	g.modulesID = modulesIDs.Add(1)
	return g
}

func computeModule(snap *workspace.Snapshot, m *workspace.Module, prev *Graph) *Graph {
	l, ok := moduleLoader(snap, m, prev)
	if !ok {
		return l.finish()
	}
	g := l.g
	main := g.mains[0]
	goVersion := "1.16"
	if m.Mod.Go != nil {
		goVersion = m.Mod.Go.Version
	}
	p := pruningFor(goVersion)
	roots := m.Index().Required() // shared: the rounds below make new slices
	if len(l.exclude) > 0 {
		roots = nil
		for _, r := range m.Mod.Require {
			if !l.exclude[r.Mod] {
				roots = append(roots, r.Mod)
			}
		}
	}
	for {
		l.resetGraph(goVersion)
		l.require(main, &summary{reqs: roots}) // the roots, not a go.mod's: GoMod(main) is nil
		for _, r := range roots {
			l.enqueue(r, p)
		}
		l.drain()
		if p != pruned || len(g.missing) > 0 {
			break
		}
		// modload's updatePrunedRoots: each root at the selected version of
		// its path, once; read the graph again until nothing moves.
		var next []module.Version
		upgraded := false
		seen := map[string]bool{main.Path: true}
		for _, r := range roots {
			if seen[r.Path] {
				continue
			}
			seen[r.Path] = true
			s := g.selected[r.Path]
			if s != r.Version {
				upgraded = true
			}
			next = append(next, module.Version{Path: r.Path, Version: s})
		}
		if !upgraded {
			break
		}
		roots = next
	}
	return l.finish()
}

// addMain records m, the go.mod at gomod, as a main module; false (with the
// graph broken) if the go command could not load it.
func (l *loader) addMain(m *workspace.Module, gomod string) bool {
	g := l.g
	switch {
	case m == nil:
		g.broken = fmt.Errorf("no go.mod at %s", gomod)
	case m.Mod == nil:
		g.broken = fmt.Errorf("%s does not parse", gomod)
	case m.Mod.Module == nil:
		g.broken = fmt.Errorf("%s has no module line", gomod)
	default:
		path := m.Mod.Module.Mod.Path
		if _, dup := g.mainDirs.byPath[path]; dup {
			g.broken = fmt.Errorf("module %s appears multiple times in workspace", path)
			return false
		}
		g.mains = append(g.mains, module.Version{Path: path})
		g.mainDirs.byPath[path] = m.Dir
		l.mainMods[path] = m
		for _, e := range m.Mod.Exclude {
			l.exclude[e.Mod] = true
		}
		for _, t := range m.Mod.Tool {
			g.tools = append(g.tools, t.Path)
		}
		slices.Sort(g.tools)
		g.tools = slices.Compact(g.tools) // not a scan per tool line: thousands of them cost the square
		return true
	}
	return false
}

// resetGraph starts an empty graph holding the main modules.
func (l *loader) resetGraph(goVersion string) {
	g := l.g
	g.selected = make(map[string]string, l.size)
	l.nodes = make(map[module.Version]*summary, l.size)
	g.missing = nil
	l.missed = make(map[module.Version]bool)
	g.goVersion = goVersion
	for _, m := range g.mains {
		g.selected[m.Path] = ""
	}
	l.loading = make(map[dedupKey]bool, l.size)
	l.queue = l.queue[:0]
}

// require records that m, whose go.mod s summarizes, requires s.reqs
// (mvs.Graph.Require).
func (l *loader) require(m module.Version, s *summary) {
	g := l.g
	l.nodes[m] = s
	reqs := s.reqs
	for _, r := range reqs {
		if v, ok := g.selected[r.Path]; !ok || cmpVersion(r.Path, v, r.Version) < 0 {
			g.selected[r.Path] = r.Version
			if l.raised != nil {
				l.raised[r.Path] = true
			}
		}
	}
}

func (l *loader) enqueue(m module.Version, p pruning) {
	if m.Version == "none" {
		return
	}
	k := dedupKey{m, p}
	if l.loading[k] {
		return
	}
	l.loading[k] = true
	l.queue = append(l.queue, k)
}

// drain reads the go.mod of every queued module and queues its
// requirements as pruning allows (modload's readModGraph).
func (l *loader) drain() {
	for len(l.queue) > 0 {
		k := l.queue[0]
		l.queue = l.queue[1:]
		s := l.load(k.m)
		if s == nil {
			continue
		}
		next := s.pruning
		if k.p == unpruned {
			next = unpruned
		}
		for _, r := range s.reqs {
			if k.p != pruned || s.pruning == unpruned {
				l.enqueue(r, next)
			}
		}
	}
}

// load adds m's requirements to the graph, once, and returns its summary;
// nil when its go.mod is missing.
func (l *loader) load(m module.Version) *summary {
	g := l.g
	if _, done := l.nodes[m]; done {
		return l.summaries[m]
	}
	s := l.summary(m)
	if s.err != nil {
		// A map, not a scan of g.missing: a go.mod replacing thousands of
		// modules by missing directories misses thousands.
		if !l.missed[m] {
			l.missed[m] = true
			g.missing = append(g.missing, *s.err)
		}
		return nil
	}
	l.require(m, s)
	if s.goLine != "" && version.Compare("go"+s.goLine, "go1.21") >= 0 && cmpVersion("go", s.goLine, g.goVersion) > 0 {
		g.goVersion = s.goLine
	}
	return s
}

// summary reads m's go.mod (goModSummary): a main module's from the
// snapshot, any other's through its replacement or from the module cache.
func (l *loader) summary(m module.Version) *summary {
	if s, ok := l.summaries[m]; ok {
		return s
	}
	s := l.readSummary(m)
	l.summaries[m] = s
	return s
}

func (l *loader) readSummary(m module.Version) *summary {
	if l.reusable {
		if s, ok := l.reused(m); ok {
			return s
		}
	}
	if m.Version == "" {
		mm := l.mainMods[m.Path]
		return l.fromModule(mm.Mod, mm, "")
	}
	fail := func(r module.Version, gomod string, err error) *summary {
		return &summary{err: &Missing{Module: m, Replacement: r, GoMod: gomod, Err: err}}
	}
	r, replaced, err := l.g.replace.lookup(m)
	if err != nil {
		return fail(r, "", err)
	}
	if replaced && r.Version == "" {
		gomod := filepath.Join(r.Path, "go.mod")
		f := l.read(gomod, false)
		if f == nil {
			return fail(r, gomod, errNoGoMod)
		}
		// A directory replacement: "anything goes". Its go.mod is the
		// snapshot's module there, most often (a workspace's modules
		// replace each other).
		var mm *workspace.Module
		if held := l.snap.ModuleAt(gomod); held != nil && held.Mod == f {
			mm = held
		}
		return l.fromModule(f, mm, gomod)
	}
	actual := m
	if replaced {
		actual = r
	}
	gomod := l.shared.cachePath(l.snap, actual)
	if gomod == "" {
		return fail(r, "", errors.New("module cache unknown (GOMODCACHE is not set)"))
	}
	f := l.read(gomod, true)
	switch {
	case f == nil:
		return fail(r, gomod, errNoGoMod)
	case f.Module == nil:
		return fail(r, gomod, errors.New("parsing go.mod: missing module line"))
	case f.Module.Mod.Path != m.Path && f.Module.Mod.Path != actual.Path:
		return fail(r, gomod, fmt.Errorf("parsing go.mod:\n\tmodule declares its path as: %s\n\t        but was required as: %s", f.Module.Mod.Path, m.Path))
	}
	return l.fromFile(f, gomod)
}

// read reads a dependency's go.mod through the snapshot and records it as an
// input of the graph.
func (l *loader) read(gomod string, inCache bool) *modfile.File {
	f := l.snap.DependencyGoMod(gomod)
	l.record(gomod, inCache, f)
	return f
}

func (l *loader) record(gomod string, inCache bool, f *modfile.File) {
	if inCache {
		l.g.in.cached[gomod] = f
	} else {
		l.inLocal[gomod] = f
	}
}

// reused returns the previous graph's summary of m, when it holds here:
// a main module's while its go.mod parse is the same; another's while the
// go.mod it read is (the same disk generation for the module cache's, the
// same parse for a directory's), recording that go.mod as an input.
func (l *loader) reused(m module.Version) (*summary, bool) {
	s, ok := l.prev.nodes.Get(m)
	if !ok {
		return nil, false
	}
	if m.Version == "" {
		mm := l.mainMods[m.Path]
		return s, mm != nil && s.gomod != nil && s.gomod == mm.Mod
	}
	if s.from != "" {
		if !s.inCache && l.snap.DependencyGoMod(s.from) != s.gomod {
			return nil, false
		}
		l.record(s.from, s.inCache, s.gomod)
	}
	return s, true
}

// fromFile summarizes f, a go.mod the graph read in the module cache at
// from. Its summary is kept for the session: it never changes.
func (l *loader) fromFile(f *modfile.File, from string) *summary {
	return l.excluded(l.shared.summary(f, from))
}

// fromModule summarizes f, a go.mod outside the module cache read at from
// ("" for a main module's): mm's parse when the snapshot holds it (nil
// otherwise). Such a go.mod changes as it is edited, and is summarized
// each time, from its index's requirements.
func (l *loader) fromModule(f *modfile.File, mm *workspace.Module, from string) *summary {
	var s *summary
	if mm != nil {
		s = summarizeWith(f, mm.Index().Required())
	} else {
		s = summarize(f)
	}
	s.from = from
	return l.excluded(s)
}

// excluded is s without the requirements the main modules exclude.
func (l *loader) excluded(s *summary) *summary {
	if len(l.exclude) == 0 {
		return s
	}
	ex := *s
	ex.reqs = nil
	for _, r := range s.reqs {
		if !l.exclude[r] {
			ex.reqs = append(ex.reqs, r)
		}
	}
	return &ex
}

// setReuse computes the graph's reuseKey, once its main modules are added,
// from w's replaces (nil in module mode) and the main modules' replaces and
// exclusions; the previous graph's summaries are reused if it had the same.
func (l *loader) setReuse(w *workspace.Work) {
	h := fnv.New64a()
	field := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	replaces := func(reps []*modfile.Replace) {
		for _, r := range reps {
			field(r.Old.Path)
			field(r.Old.Version)
			field(r.New.Path)
			field(r.New.Version)
		}
		field("")
	}
	if w != nil && w.Work != nil {
		field(w.File.Path)
		replaces(w.Work.Replace)
	}
	for _, mv := range l.g.mains {
		m := l.mainMods[mv.Path]
		field(m.File.Path)
		replaces(m.Mod.Replace)
		for _, e := range m.Mod.Exclude {
			field(e.Mod.Path)
			field(e.Mod.Version)
		}
		field("")
	}
	gen, modcache := l.snap.DiskGeneration(), l.snap.Env.GOMODCACHE
	field(strconv.FormatUint(gen, 10)) // so that directive alone is DirectivesKey
	field(modcache)
	l.g.reuse = reuseKey{gen: gen, modcache: modcache, directive: h.Sum64()}
	l.reusable = l.prev != nil && l.prev.reuse == l.g.reuse && l.prev.nodes.Len() > 0
}

// finish computes the derived indexes and freezes the graph.
func (l *loader) finish() *Graph {
	g := l.g
	if g.in.work != nil { // only patchWorkspace asks
		g.loading, g.exclude = l.loading, l.exclude
	}
	if g.selected == nil {
		l.resetGraph("")
	}
	for m, s := range l.summaries {
		if s.from != "" && !s.inCache && l.nodes[m] == nil {
			g.strayLocal = true
			break
		}
	}
	g.nodes, g.in.snap, g.in.local = layered.Of(l.nodes), layered.Of(l.inSnap), layered.Of(l.inLocal)
	slices.SortFunc(g.missing, func(a, b Missing) int { return compareModules(a.Module, b.Module) })
	if len(g.missing) > 0 {
		g.missingOf = make(map[string][]Missing)
		for _, m := range g.missing {
			g.missingOf[m.Module.Path] = append(g.missingOf[m.Module.Path], m)
		}
	}
	// go list -m all prints the main modules sorted by path (they are the
	// graph's roots, which modload keeps sorted), then the rest.
	g.buildList = slices.SortedFunc(slices.Values(g.mains), compareModules)
	var rest []module.Version
	for p, v := range g.selected {
		if !g.IsMain(p) {
			rest = append(rest, module.Version{Path: p, Version: v})
		}
	}
	slices.SortFunc(rest, compareModules)
	g.buildList = append(g.buildList, rest...)
	g.selected = nil // Selected searches the build list
	return g
}

// indexRequirers inverts the requirement edges, once, on first use.
func (g *Graph) indexRequirers() {
	g.requirers = make(map[module.Version][]module.Version)
	from := make([]module.Version, 0, g.nodes.Len())
	for m := range g.nodes.All() {
		from = append(from, m)
	}
	mainIndex := make(map[string]int)
	for i, m := range g.mains {
		mainIndex[m.Path] = i
	}
	slices.SortFunc(from, func(a, b module.Version) int {
		ia, aMain := mainIndex[a.Path]
		ib, bMain := mainIndex[b.Path]
		aMain = aMain && a.Version == ""
		bMain = bMain && b.Version == ""
		switch {
		case aMain && bMain:
			return ia - ib
		case aMain:
			return -1
		case bMain:
			return 1
		}
		return compareModules(a, b)
	})
	for _, m := range from {
		for _, r := range g.requires(m) {
			if rs := g.requirers[r]; len(rs) == 0 || rs[len(rs)-1] != m {
				g.requirers[r] = append(rs, m)
			}
		}
	}
}

func sameContent(a, b *workspace.File) bool {
	return a == b || a.SameContent(b)
}

func compareModules(a, b module.Version) int {
	if c := strings.Compare(a.Path, b.Path); c != 0 {
		return c
	}
	return cmpVersion(a.Path, a.Version, b.Version)
}

// inputs records what a graph was computed from, to tell whether it still
// holds for a later snapshot.
type inputs struct {
	work   *workspace.File                        // the go.work (workspace graphs)
	snap   layered.Map[string, *workspace.Module] // main go.mod paths → module (nil: none)
	gen    atomic.Uint64                          // the DiskGeneration the cached entries hold for
	cached map[string]*modfile.File               // module cache go.mod paths → what was read (nil: missing)
	local  layered.Map[string, *modfile.File]     // replacement directories' go.mod paths → what was read
	// mark is the snapshot's go.mod files when the graph was computed: a
	// later snapshot made from it by edits tells which of them changed
	// (Snapshot.ChangedModules), and only those inputs are compared.
	mark workspace.ModulesMark
}

// valid reports whether every input is the same in snap: the same content
// for the go.work and each main go.mod (the same *File, normally; an editor
// opening a file makes a new one), the same parse for each dependency go.mod
// (DependencyGoMod keeps it while the file is unchanged; the module cache's
// cannot change while the disk generation is the same).
func (in *inputs) valid(snap *workspace.Snapshot) bool {
	if in.work != nil {
		w := snap.Work(filepath.Dir(in.work.Path))
		if w == nil || !sameContent(w.File, in.work) {
			return false
		}
	}
	sameModule := func(gomod string, m *workspace.Module) bool {
		now := snap.ModuleAt(gomod)
		return now == m || now != nil && m != nil && sameContent(now.File, m.File)
	}
	changed, known := snap.ChangedModules(in.mark)
	for gomod, m := range toCompare(in.snap, changed, known) {
		if !sameModule(gomod, m) {
			return false
		}
	}
	for gomod, f := range toCompare(in.local, changed, known) {
		if snap.DependencyGoMod(gomod) != f {
			return false
		}
	}
	if gen := snap.DiskGeneration(); gen != in.gen.Load() {
		for gomod, f := range in.cached {
			if snap.DependencyGoMod(gomod) != f {
				return false
			}
		}
		in.gen.Store(gen)
	}
	return true
}

// toCompare yields the inputs of in (go.mod paths and what was read there)
// to compare with a later snapshot: those at the changed paths, when the
// snapshot knows which changed since the graph's (known), else all. The
// others are the same parse: a snapshot made by edits shares its modules,
// and its disk cache, with the one it was made from.
func toCompare[V any](in layered.Map[string, V], changed []string, known bool) iter.Seq2[string, V] {
	if !known {
		return in.All()
	}
	return func(yield func(string, V) bool) {
		for _, gomod := range changed {
			if v, ok := in.Get(gomod); ok && !yield(gomod, v) {
				return
			}
		}
	}
}

// patchWorkspace returns the workspace graph of w in snap as prev, the
// graph of w in an earlier snapshot, patched — or nil when that cannot be
// shown to be the graph computeWorkspace would compute. It can when the one
// difference is the requirements of one main module, M (its module path,
// go line, replaces, excludes and tools unchanged; the go.work, every other
// main module and every go.mod the graph read the same), and the change
// adds nothing to what the loader did and takes nothing away:
//
//   - each requirement M has now was loaded in prev with the pruning M's
//     requirements are loaded with, and, where the graph selects a higher
//     version of its path, that version was loaded at workspace pruning
//     (what the rounds of computeWorkspace would ask for);
//   - each requirement M no longer has is also a requirement of another
//     main module, which then causes the same loads, the same selection and
//     the same rounds.
//
// The selected versions, the build list and everything read are then
// prev's; only M's requirement edges differ. Bumping a requirement to a
// version some other module of a large workspace already requires — the
// common edit — costs a few map lookups instead of the whole graph.
func patchWorkspace(snap *workspace.Snapshot, w *workspace.Work, prev *Graph) *Graph {
	if prev == nil || prev.broken != nil || len(prev.missing) > 0 || prev.loading == nil || prev.in.work == nil ||
		w.Work == nil || !sameContent(w.File, prev.in.work) || prev.in.gen.Load() != snap.DiskGeneration() {
		return nil
	}
	var changedPath string
	var oldM, newM *workspace.Module
	// find records the main go.mod at gomod if it changed; false when a
	// second one changed, or one came or went.
	find := func(gomod string, m *workspace.Module) bool {
		now := snap.ModuleAt(gomod)
		if now == m || now != nil && m != nil && sameContent(now.File, m.File) {
			return true
		}
		if oldM != nil || now == nil || m == nil {
			return false
		}
		changedPath, oldM, newM = gomod, m, now
		return true
	}
	changed, known := snap.ChangedModules(prev.in.mark)
	for gomod, m := range toCompare(prev.in.snap, changed, known) {
		if !find(gomod, m) {
			return nil
		}
	}
	if oldM == nil || !sameMainButRequires(oldM.Mod, newM.Mod) {
		return nil
	}
	for gomod, f := range toCompare(prev.in.local, changed, known) {
		if gomod != changedPath && snap.DependencyGoMod(gomod) != f {
			return nil
		}
	}
	mv := module.Version{Path: newM.Mod.Module.Mod.Path}
	oldNode, ok := prev.nodes.Get(mv)
	if !ok {
		return nil
	}
	oldReqs := oldNode.reqs
	var newReqs []module.Version
	for _, r := range newM.Mod.Require {
		if !prev.exclude[r.Mod] {
			newReqs = append(newReqs, r.Mod)
		}
	}
	mainPruning := unpruned
	if newM.Mod.Go != nil {
		mainPruning = pruningFor(newM.Mod.Go.Version)
	}
	had := make(map[module.Version]bool, len(oldReqs))
	for _, r := range oldReqs {
		had[r] = true
	}
	has := make(map[module.Version]bool, len(newReqs))
	for _, r := range newReqs {
		has[r] = true
		if had[r] {
			continue
		}
		if !prev.loading[dedupKey{r, mainPruning}] {
			return nil
		}
		if sel := prev.selectedVersion(r.Path); cmpVersion(r.Path, sel, r.Version) > 0 && !prev.loading[dedupKey{module.Version{Path: r.Path, Version: sel}, workspacePruning}] {
			return nil
		}
	}
	for r := range had {
		if !has[r] && !requiredByAnotherMain(prev, mv, r) {
			return nil
		}
	}
	// M's go.mod may also have been read as a dependency's: a version of
	// another module replaced by M's directory (in a workspace whose
	// modules replace each other by directory, they all are). Such a
	// version's requirements change too. The patch holds when it was
	// loaded only pruned, as a requirement of a requirement, and is not
	// its path's selection: then nothing was loaded because of its
	// requirements (the rounds ask about selected versions only), and they
	// count only for the selection, which they must neither raise nor, by
	// going, lower.
	var asDependency []module.Version
	if _, ok := prev.in.local.Get(changedPath); ok {
		if prev.strayLocal {
			return nil
		}
		// What holds for every such version: its go.mod is pruned, and
		// its new requirements raise no selection.
		if mainPruning == unpruned {
			return nil
		}
		for _, r := range newReqs {
			sel, ok := prev.Selected(r.Path)
			if !ok || cmpVersion(r.Path, sel, r.Version) < 0 {
				return nil
			}
		}
		for _, x := range prev.localReads.of(prev, changedPath) {
			n, ok := prev.nodes.Get(x)
			if !ok || n.from != changedPath || n.inCache {
				continue
			}
			if prev.selectedVersion(x.Path) == x.Version || prev.loading[dedupKey{x, workspacePruning}] || prev.loading[dedupKey{x, unpruned}] {
				return nil
			}
			for _, r := range n.reqs {
				if !has[r] && prev.selectedVersion(r.Path) == r.Version && !requiredByAnotherMain(prev, mv, r) {
					return nil
				}
			}
			asDependency = append(asDependency, x)
		}
	}

	g := &Graph{
		mains:      prev.mains,
		tools:      prev.tools,
		mainDirs:   prev.mainDirs,
		goVersion:  prev.goVersion,
		nodes:      prev.nodes,
		buildList:  prev.buildList,
		replace:    &replacer{ctx: buildctx.Workspace(snap, w)}, // its replaces are prev's
		missingOf:  prev.missingOf,
		in:         inputs{work: w.File, snap: prev.in.snap.With(changedPath, newM), cached: prev.in.cached, local: prev.in.local, mark: snap.ModulesMark()},
		reuse:      prev.reuse,
		loading:    prev.loading,
		exclude:    prev.exclude,
		localReads: prev.localReads,
	}
	g.in.gen.Store(prev.in.gen.Load())
	s := summarizeWith(newM.Mod, newReqs)
	g.nodes = g.nodes.With(mv, s)
	if len(asDependency) > 0 {
		g.in.local = prev.in.local.With(changedPath, newM.Mod)
		asDep := *s
		asDep.from = changedPath
		for _, x := range asDependency {
			g.nodes = g.nodes.With(x, &asDep)
		}
	}
	return g
}

// localReads is Graph.localReads: the nodes of a graph by the go.mod
// outside the module cache they were read from.
type localReads struct {
	once   sync.Once
	byFrom map[string][]module.Version
}

// of returns the nodes of g read from the go.mod at from, g being the graph
// r was made for or one patched from it.
func (r *localReads) of(g *Graph, from string) []module.Version {
	r.once.Do(func() {
		r.byFrom = make(map[string][]module.Version)
		for x, n := range g.nodes.All() {
			if n.from != "" && !n.inCache {
				r.byFrom[n.from] = append(r.byFrom[n.from], x)
			}
		}
	})
	return r.byFrom[from]
}

// sameMainButRequires reports whether two parses of a main module's go.mod
// differ at most in their requirements, as far as the module graph is
// concerned.
func sameMainButRequires(a, b *modfile.File) bool {
	if a == nil || b == nil || a.Module == nil || b.Module == nil || a.Module.Mod != b.Module.Mod {
		return false
	}
	if (a.Go == nil) != (b.Go == nil) || a.Go != nil && a.Go.Version != b.Go.Version {
		return false
	}
	if !slices.EqualFunc(a.Replace, b.Replace, func(x, y *modfile.Replace) bool { return x.Old == y.Old && x.New == y.New }) ||
		!slices.EqualFunc(a.Exclude, b.Exclude, func(x, y *modfile.Exclude) bool { return x.Mod == y.Mod }) ||
		!slices.EqualFunc(a.Tool, b.Tool, func(x, y *modfile.Tool) bool { return x.Path == y.Path }) {
		return false
	}
	return true
}

// requiredByAnotherMain reports whether a main module of g other than main
// requires r.
func requiredByAnotherMain(g *Graph, main, r module.Version) bool {
	for _, m := range g.mains {
		if m != main && slices.Contains(g.requires(m), r) {
			return true
		}
	}
	return false
}
