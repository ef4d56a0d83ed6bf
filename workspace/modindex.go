package workspace

import (
	"slices"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// ModIndex is a go.mod's require, replace and exclude directives by what
// they name, so that a question about one module costs a map lookup
// instead of a scan of the file: a check that asks it once per directive
// would otherwise cost the square of the file's size (issue 11: 32k
// requires or replaces in one go.mod). It is built on first use and kept on
// the Module, which a snapshot reuses while the file's content is
// unchanged, so every check, buildctx and modgraph share one index per
// parse. Never modify what it returns.
type ModIndex struct {
	required []module.Version // the require lines' module versions, in file order
	// The directives sorted by what they name, in file order among equal
	// names: a question is a binary search. (Sorted slices, not maps: a
	// thousand go.mod files of twenty lines each held 3 MB of maps.)
	requires []*modfile.Require // by path
	replaces []*modfile.Replace // by left side, path then version
	byPath   []*modfile.Replace // by left side's path
	excludes []*modfile.Exclude // by module version
}

// modIndex is the lazily built index of a Module.
type modIndex struct {
	once  sync.Once
	index *ModIndex
}

// Index returns the index of m's directives; an empty one when m did not
// parse.
func (m *Module) Index() *ModIndex {
	m.index.once.Do(func() { m.index.index = newModIndex(m.Mod) })
	return m.index.index
}

func newModIndex(f *modfile.File) *ModIndex {
	x := &ModIndex{}
	if f == nil {
		return x
	}
	x.required = make([]module.Version, len(f.Require))
	for i, r := range f.Require {
		x.required[i] = r.Mod
	}
	x.requires = slices.Clone(f.Require)
	slices.SortStableFunc(x.requires, func(a, b *modfile.Require) int { return requirePath(a, b.Mod.Path) })
	x.replaces = slices.Clone(f.Replace)
	slices.SortStableFunc(x.replaces, func(a, b *modfile.Replace) int { return replaceOld(a, b.Old) })
	x.byPath = slices.Clone(f.Replace)
	slices.SortStableFunc(x.byPath, func(a, b *modfile.Replace) int { return replacePath(a, b.Old.Path) })
	x.excludes = slices.Clone(f.Exclude)
	slices.SortStableFunc(x.excludes, func(a, b *modfile.Exclude) int { return excludeMod(a, b.Mod) })
	return x
}

// compareVersion orders module versions by path, then version as strings
// (an order for searching, not semver's).
func compareVersion(a, b module.Version) int {
	if c := strings.Compare(a.Path, b.Path); c != 0 {
		return c
	}
	return strings.Compare(a.Version, b.Version)
}

// run returns the run of sorted, which cmp orders, that is equal to key: a
// subslice, nil when there is none. (cmp takes the key, rather than a
// closure capturing it, so that a lookup allocates nothing.)
func run[T, K any](sorted []T, key K, cmp func(T, K) int) []T {
	i, found := slices.BinarySearchFunc(sorted, key, cmp)
	if !found {
		return nil
	}
	j := i + 1
	for j < len(sorted) && cmp(sorted[j], key) == 0 {
		j++
	}
	return sorted[i:j:j]
}

func requirePath(r *modfile.Require, path string) int       { return strings.Compare(r.Mod.Path, path) }
func replaceOld(r *modfile.Replace, old module.Version) int { return compareVersion(r.Old, old) }
func replacePath(r *modfile.Replace, path string) int       { return strings.Compare(r.Old.Path, path) }
func excludeMod(e *modfile.Exclude, mod module.Version) int { return compareVersion(e.Mod, mod) }

// Required returns the module versions of the file's require lines, in file
// order: what a module graph takes from the go.mod, made once per parse
// for every graph that reads it. Never modify it.
func (x *ModIndex) Required() []module.Version { return x.required }

// Requires returns the require lines of path, in file order (more than one
// when the file requires it twice).
func (x *ModIndex) Requires(path string) []*modfile.Require {
	return run(x.requires, path, requirePath)
}

// Replaces returns the replace directives whose left side is exactly old
// (Version "" for those of all versions), in file order.
func (x *ModIndex) Replaces(old module.Version) []*modfile.Replace {
	return run(x.replaces, old, replaceOld)
}

// ReplacesOfPath returns the replace directives of path at any version or
// all versions, in file order.
func (x *ModIndex) ReplacesOfPath(path string) []*modfile.Replace {
	return run(x.byPath, path, replacePath)
}

// Replace returns the last of Replaces(old), the one the go command keeps
// (cmd/go's toReplaceMap), or nil.
func (x *ModIndex) Replace(old module.Version) *modfile.Replace {
	if rs := x.Replaces(old); len(rs) > 0 {
		return rs[len(rs)-1]
	}
	return nil
}

// ReplaceOf returns the directive that replaces mod on the file's own
// terms: the replace of mod's exact version, else one of all its versions
// (cmd/go's replacement within one file; for go.work,
// buildctx.Context.WorkReplace).
func (x *ModIndex) ReplaceOf(mod module.Version) *modfile.Replace {
	if r := x.Replace(mod); r != nil {
		return r
	}
	return x.Replace(module.Version{Path: mod.Path})
}

// Exclude returns the first exclude line of mod, or nil.
func (x *ModIndex) Exclude(mod module.Version) *modfile.Exclude {
	if es := run(x.excludes, mod, excludeMod); len(es) > 0 {
		return es[0]
	}
	return nil
}
