package buildctx

import (
	"fmt"
	"hash/fnv"
	"iter"
	"path/filepath"
	"slices"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/workspace"
)

// A Replacement is the replace directive that applies to a module.
type Replacement struct {
	// Replace is the directive as written.
	Replace *modfile.Replace
	// File holds it: go.work or a main module's go.mod.
	File *workspace.File
	// Dir is the absolute directory of a directory replacement ("" for a
	// module replacement): a relative path is relative to File's
	// directory, as cmd/go's canonicalizeReplacePath makes it.
	Dir string
}

// Target is what the module is replaced by: the module version, or the
// directory (absolute) with no version.
func (r Replacement) Target() module.Version {
	if r.Dir != "" {
		return module.Version{Path: r.Dir}
	}
	return r.Replace.New
}

// A ReplaceConflict is where cmd/go's replacementFrom stops with
// "conflicting replacements found for M in workspace modules defined by A
// and B": two workspace modules replace M, differently as written, and the
// later one replaces M's exact version.
type ReplaceConflict struct {
	Module        module.Version
	First, Second Replacement
}

func (c *ReplaceConflict) Error() string {
	return fmt.Sprintf("conflicting replacements found for %v in workspace modules defined by %s and %s", c.Module, c.First.File.Path, c.Second.File.Path)
}

// replaceIndex is a context's replace directives by the module version
// they replace (Version "" for all versions): go.work's, and each main
// module's in the order of Mains. Within a file the last directive for a
// key wins, as in cmd/go's toReplaceMap.
type replaceIndex struct {
	// mods are the main modules that parse, in the order of Mains: each
	// one's directives are its Index (workspace.ModIndex.Replace is the
	// last directive for a key, as toReplaceMap keeps), built once per
	// parse: a map per module per snapshot was most of this index's cost.
	// Shared with the context's Mains when every main module parses.
	mods []*workspace.Module
	// mains holds, for each main module path, the index in mods of the
	// first main module with that path.
	mains map[string]int
	// files holds, for each main module's go.mod path, its indexes in mods
	// (more than one when go.work uses a directory twice).
	files map[string][]int
	// byPath lists, for every path some directive replaces, the indexes in
	// mods of the main modules replacing it (in order; go.work's are in
	// work), so that a lookup costs the few files that name the path, not
	// every module of a thousand-module workspace.
	byPath map[string][]int
	// workByPath holds go.work's directives by the path they replace, in
	// line order (workReplace picks the one that applies).
	workByPath map[string][]*modfile.Replace
	// wild hashes the paths of every replace of all versions, in the
	// order of the files and their lines (see WildReplacesKey).
	wild uint64
	// single is set for a context of one main module and no go.work
	// directive, the context of each module alone: mains, files and
	// byPath are then nil, and the lookups ask the one module (its
	// directive index is sorted by path). A thousand-module workspace has
	// a thousand such contexts, and their three maps of one entry each
	// were 1.5 MB of the server's heap.
	single bool
}

// singleMain is the index list of the one main module of a single index.
// Shared: never modify it.
var singleMain = []int{0}

// mainIndex returns the index in mods of the first main module whose
// module path is path.
func (x *replaceIndex) mainIndex(path string) (int, bool) {
	if x.single {
		m := x.mods[0]
		return 0, m.Mod != nil && m.Mod.Module != nil && m.Mod.Module.Mod.Path == path
	}
	i, ok := x.mains[path]
	return i, ok
}

// fileIndexes returns the indexes in mods of the main modules whose
// go.mod is at gomod. Shared: never modify it.
func (x *replaceIndex) fileIndexes(gomod string) []int {
	if x.single {
		if x.mods[0].File.Path == gomod {
			return singleMain
		}
		return nil
	}
	return x.files[gomod]
}

// replacing returns the indexes in mods of the main modules replacing path
// (byPath's entry), ok when some directive of the context, go.work's
// included, replaces it. Shared: never modify it.
func (x *replaceIndex) replacing(path string) ([]int, bool) {
	if x.single {
		if len(x.mods[0].Index().ReplacesOfPath(path)) > 0 {
			return singleMain, true
		}
		return nil, false
	}
	idx, ok := x.byPath[path]
	return idx, ok
}

func (c *Context) replaces() *replaceIndex {
	if x := c.replaceIdx.Load(); x != nil {
		return x
	}
	c.replaceOnce.Do(func() { c.replaceIdx.Store(newReplaceIndex(c, true)) })
	return c.replaceIdx.Load()
}

// newReplaceIndex indexes c's directives, in a single index (see
// replaceIndex.single) when c allows one and allowSingle is set.
func newReplaceIndex(c *Context, allowSingle bool) *replaceIndex {
	// Sized at once: growing maps of a thousand modules' paths was
	// half of this index's cost.
	n := 0
	if c.Work != nil && c.Work.Work != nil {
		n = len(c.Work.Work.Replace)
	}
	for _, m := range c.Mains {
		if m.Mod != nil {
			n += len(m.Mod.Replace)
		}
	}
	wild := fnv.New64a()
	if allowSingle && len(c.Mains) == 1 && c.Mains[0].Mod != nil && n == len(c.Mains[0].Mod.Replace) {
		m := c.Mains[0]
		x := &replaceIndex{single: true, mods: c.Mains}
		for _, r := range m.Mod.Replace {
			if r.Old.Version == "" {
				wild.Write([]byte(r.Old.Path))
				wild.Write([]byte{0})
			}
		}
		x.wild = wild.Sum64()
		return x
	}
	x := &replaceIndex{mains: make(map[string]int, len(c.Mains)), files: make(map[string][]int, len(c.Mains)), byPath: make(map[string][]int, n), mods: make([]*workspace.Module, 0, len(c.Mains))}
	// index records file i's directives (i < 0: go.work's).
	index := func(reps []*modfile.Replace, i int) {
		for _, r := range reps {
			if i < 0 {
				x.workByPath[r.Old.Path] = append(x.workByPath[r.Old.Path], r)
			}
			if r.Old.Version == "" {
				wild.Write([]byte(r.Old.Path))
				wild.Write([]byte{0})
			}
			idx := x.byPath[r.Old.Path]
			if i >= 0 && (len(idx) == 0 || idx[len(idx)-1] != i) {
				idx = append(idx, i)
			}
			x.byPath[r.Old.Path] = idx
		}
	}
	if c.Work != nil && c.Work.Work != nil {
		x.workByPath = make(map[string][]*modfile.Replace, len(c.Work.Work.Replace))
		index(c.Work.Work.Replace, -1)
	}
	for i, m := range c.Mains {
		x.files[m.File.Path] = append(x.files[m.File.Path], i)
		if m.Mod == nil {
			continue
		}
		if m.Mod.Module != nil {
			if _, dup := x.mains[m.Mod.Module.Mod.Path]; !dup {
				x.mains[m.Mod.Module.Mod.Path] = len(x.mods)
			}
		}
		index(m.Mod.Replace, len(x.mods))
		x.mods = append(x.mods, m)
	}
	x.wild = wild.Sum64()
	return x
}

// inheritReplaces gives c, before anyone else sees it, the replace index
// of p, the context of the same go.work in an earlier snapshot, when p has
// made one and the two differ only in main modules whose module path and
// replaced module versions are the same, in the same order: the index's
// maps are then the same, and its list of modules is c's Mains. An edit of
// a requirement in one module of a thousand then costs a comparison of
// the pointers in Mains, not a copy of anything.
func (c *Context) inheritReplaces(p *Context) {
	x := p.replaceIdx.Load()
	if x == nil || len(p.Mains) != len(c.Mains) || len(x.mods) != len(c.Mains) {
		return
	}
	changed := false
	for i, m := range c.Mains {
		old := p.Mains[i]
		if old == m {
			continue
		}
		if m.Mod == nil || old.File.Path != m.File.Path || !sameReplaced(old.Mod, m.Mod) {
			return
		}
		changed = true
	}
	if !changed {
		c.replaceIdx.Store(x)
		return
	}
	y := *x
	y.mods = c.Mains
	c.replaceIdx.Store(&y)
}

// sameReplaced reports whether two parses of a main module's go.mod have
// the same module path and replace the same module versions in the same
// order: what the replace index takes from a file besides its directives'
// targets, which it reads from the parse.
func sameReplaced(a, b *modfile.File) bool {
	if (a.Module == nil) != (b.Module == nil) || a.Module != nil && a.Module.Mod.Path != b.Module.Mod.Path {
		return false
	}
	return slices.EqualFunc(a.Replace, b.Replace, func(x, y *modfile.Replace) bool { return x.Old == y.Old })
}

// MainsAt returns the indexes in Mains of the main modules whose go.mod
// is at gomod, in order (more than one when go.work uses a directory
// twice): a check focused on one go.mod finds its module without asking
// each of a thousand. The result is shared: never modify it.
func (c *Context) MainsAt(gomod string) []int {
	return c.replaces().fileIndexes(gomod)
}

// MainOf returns the first of c's main modules (in the order of Mains)
// whose module path is path, or nil.
func (c *Context) MainOf(path string) *workspace.Module {
	x := c.replaces()
	if i, ok := x.mainIndex(path); ok {
		return x.mods[i]
	}
	return nil
}

// ReplacesOfPath yields every replace directive of c whose left side is
// path, at a version or all versions: the main modules' in the order of
// Mains, each in line order, then go.work's, with the module whose go.mod
// holds it (nil for go.work's). It costs the files that replace path, not
// every main module.
func (c *Context) ReplacesOfPath(path string) iter.Seq2[*workspace.Module, *modfile.Replace] {
	return func(yield func(*workspace.Module, *modfile.Replace) bool) {
		x := c.replaces()
		idx, _ := x.replacing(path)
		for _, i := range idx {
			m := x.mods[i]
			for _, r := range m.Index().ReplacesOfPath(path) {
				if !yield(m, r) {
					return
				}
			}
		}
		for _, r := range x.workByPath[path] {
			if !yield(nil, r) {
				return
			}
		}
	}
}

// WildReplacesKey identifies the set of paths c replaces at all versions
// (ReplacedEntirely): two contexts whose go.work and main modules replace
// the same paths entirely, in the same order, have the same key. A check
// whose result depends on which of a module's requirements are replaced
// entirely keys on it instead of asking for each requirement.
func (c *Context) WildReplacesKey() uint64 { return c.replaces().wild }

// Replacement returns the replace that applies to mod in c, as cmd/go's
// modload.replacementFrom chooses it: none for a main module's own path;
// go.work's replace if it has one; otherwise the main modules' in order,
// the last one that replaces mod winning; within a file the replace of
// mod's exact version before one of all its versions. conflict is set
// where the go command fails instead (see ReplaceConflict); r is then the
// earlier module's.
func (c *Context) Replacement(mod module.Version) (r Replacement, ok bool) {
	r, ok, _ = c.ResolveReplacement(mod)
	return r, ok
}

// ResolveReplacement is Replacement with the conflict, if any.
func (c *Context) ResolveReplacement(mod module.Version) (r Replacement, ok bool, conflict *ReplaceConflict) {
	x := c.replaces()
	idx, replaced := x.replacing(mod.Path)
	if _, main := x.mainIndex(mod.Path); !replaced || mod.Version == "" && main {
		return Replacement{}, false, nil
	}
	if rep := x.workReplace(mod); rep != nil {
		return newReplacement(rep, c.Work.File), true, nil
	}
	for _, i := range idx {
		f := x.mods[i]
		rep := f.Index().ReplaceOf(mod)
		if rep == nil {
			continue
		}
		// replacementFrom compares targets as written, and only when this
		// module replaces mod's exact version.
		if ok && rep.Old.Version != "" && r.Replace.New != rep.New {
			return r, true, &ReplaceConflict{Module: mod, First: r, Second: newReplacement(rep, f.File)}
		}
		r, ok = newReplacement(rep, f.File), true
	}
	return r, ok, nil
}

// ReplacedEntirely reports whether a replace of every version of path (a
// wildcard replace) applies in c, in go.work or a main module's go.mod:
// the go command then reads nothing of path's own versions (no
// retractions, no deprecations).
func (c *Context) ReplacedEntirely(path string) bool {
	x := c.replaces()
	idx, replaced := x.replacing(path)
	if !replaced {
		return false
	}
	all := module.Version{Path: path}
	if x.workReplace(all) != nil {
		return true
	}
	for _, i := range idx {
		if x.mods[i].Index().Replace(all) != nil {
			return true
		}
	}
	return false
}

// WorkReplace returns go.work's directive that replaces mod, on go.work's
// own terms: the replace of mod's exact version, else one of all its
// versions; the last of duplicates, as the go command keeps it. nil
// outside workspace mode or when go.work replaces nothing of mod. (A
// go.mod's own terms are workspace.ModIndex.ReplaceOf.)
func (c *Context) WorkReplace(mod module.Version) *modfile.Replace {
	return c.replaces().workReplace(mod)
}

// workReplace is WorkReplace from go.work's directives of mod's path, the
// last of duplicates winning as in cmd/go's toReplaceMap.
func (x *replaceIndex) workReplace(mod module.Version) *modfile.Replace {
	var exact, all *modfile.Replace
	for _, r := range x.workByPath[mod.Path] {
		switch r.Old.Version {
		case mod.Version:
			exact = r
		case "":
			all = r
		}
	}
	if exact != nil {
		return exact
	}
	return all
}

func newReplacement(r *modfile.Replace, f *workspace.File) Replacement {
	rep := Replacement{Replace: r, File: f}
	if r.New.Version == "" {
		rep.Dir = ReplaceTarget(filepath.Dir(f.Path), r.New).Path
	}
	return rep
}

// ReplaceTarget is where a replace's target n points for a file in dir: a
// module version as it is, a directory made absolute against dir (the one
// path rule for replacement directories: cmd/go's canonicalizeReplacePath
// resolves them against the module root, or the go.work directory).
func ReplaceTarget(dir string, n module.Version) module.Version {
	switch {
	case n.Version != "":
	case filepath.IsAbs(n.Path):
		n.Path = filepath.Clean(n.Path)
	default:
		n.Path = filepath.Join(dir, filepath.FromSlash(n.Path))
	}
	return n
}
