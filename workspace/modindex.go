package workspace

import (
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
	requires map[string][]*modfile.Require
	replaces map[module.Version][]*modfile.Replace
	byPath   map[string][]*modfile.Replace // replaces by their left side's path
	excludes map[module.Version]*modfile.Exclude
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
	x.requires = make(map[string][]*modfile.Require, len(f.Require))
	x.required = make([]module.Version, len(f.Require))
	for i, r := range f.Require {
		x.requires[r.Mod.Path] = append(x.requires[r.Mod.Path], r)
		x.required[i] = r.Mod
	}
	x.replaces = make(map[module.Version][]*modfile.Replace, len(f.Replace))
	x.byPath = make(map[string][]*modfile.Replace, len(f.Replace))
	for _, r := range f.Replace {
		x.replaces[r.Old] = append(x.replaces[r.Old], r)
		x.byPath[r.Old.Path] = append(x.byPath[r.Old.Path], r)
	}
	x.excludes = make(map[module.Version]*modfile.Exclude, len(f.Exclude))
	for _, e := range f.Exclude {
		if x.excludes[e.Mod] == nil {
			x.excludes[e.Mod] = e
		}
	}
	return x
}

// Required returns the module versions of the file's require lines, in file
// order: what a module graph takes from the go.mod, made once per parse
// for every graph that reads it. Never modify it.
func (x *ModIndex) Required() []module.Version { return x.required }

// Requires returns the require lines of path, in file order (more than one
// when the file requires it twice).
func (x *ModIndex) Requires(path string) []*modfile.Require { return x.requires[path] }

// Replaces returns the replace directives whose left side is exactly old
// (Version "" for those of all versions), in file order.
func (x *ModIndex) Replaces(old module.Version) []*modfile.Replace { return x.replaces[old] }

// ReplacesOfPath returns the replace directives of path at any version or
// all versions, in file order.
func (x *ModIndex) ReplacesOfPath(path string) []*modfile.Replace { return x.byPath[path] }

// Replace returns the last of Replaces(old), the one the go command keeps
// (cmd/go's toReplaceMap), or nil.
func (x *ModIndex) Replace(old module.Version) *modfile.Replace {
	if rs := x.replaces[old]; len(rs) > 0 {
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
func (x *ModIndex) Exclude(mod module.Version) *modfile.Exclude { return x.excludes[mod] }
