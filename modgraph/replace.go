package modgraph

import (
	"fmt"
	"path/filepath"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/workspace"
)

// replacer answers which replacement applies to a module version, as
// cmd/go's replacementFrom does. Directory replacements are absolute.
type replacer struct {
	work      map[module.Version]module.Version   // the go.work's replaces
	mods      []map[module.Version]module.Version // each main module's, in order
	mainPaths map[string]bool
	paths     map[string]bool // every path some replace names
}

// newReplacer indexes the replaces of w (nil in module mode) and of the main
// modules. A conflict that makes every go command fail (two targets for one
// key in a file, or in two main modules that go.work does not settle)
// breaks the graph.
func (l *loader) newReplacer(w *workspace.Work) *replacer {
	g := l.g
	r := &replacer{mainPaths: make(map[string]bool), paths: make(map[string]bool)}
	for _, m := range g.mains {
		r.mainPaths[m.Path] = true
	}
	replacedByWork := make(map[string]bool)
	if w != nil {
		r.work = l.replaceMap(r.paths, w.Work.Replace, w.Dir, "go.work")
		for _, rep := range w.Work.Replace {
			replacedByWork[rep.Old.Path] = true
			if r.mainPaths[rep.Old.Path] && rep.Old.Version == "" && g.broken == nil {
				g.broken = fmt.Errorf("workspace module %v is replaced at all versions in the go.work file", rep.Old.Path)
			}
		}
	}
	across := make(map[module.Version]module.Version)
	for _, m := range g.mains {
		mod := l.mainMods[m.Path]
		reps := l.replaceMap(r.paths, mod.Mod.Replace, mod.Dir, mod.File.Path)
		r.mods = append(r.mods, reps)
		if w == nil {
			continue
		}
		for old, new := range reps {
			if replacedByWork[old.Path] {
				continue
			}
			if prev, ok := across[old]; ok && prev != new && g.broken == nil {
				g.broken = fmt.Errorf("conflicting replacements for %v:\n\t%v\n\t%v", old, prev, new)
			}
			across[old] = new
		}
	}
	return r
}

// replaceMap indexes the replaces of one file (toReplaceMap), making
// directory targets absolute against dir.
func (l *loader) replaceMap(paths map[string]bool, reps []*modfile.Replace, dir, file string) map[module.Version]module.Version {
	out := make(map[module.Version]module.Version, len(reps))
	for _, rep := range reps {
		paths[rep.Old.Path] = true
		new := rep.New
		if new.Version == "" && !filepath.IsAbs(new.Path) {
			new.Path = filepath.Join(dir, filepath.FromSlash(new.Path))
		}
		if prev, dup := out[rep.Old]; dup && prev != new && l.g.broken == nil {
			l.g.broken = fmt.Errorf("%s: conflicting replacements for %v:\n\t%v\n\t%v", file, rep.Old, prev, new)
		}
		out[rep.Old] = new
	}
	return out
}

// lookup returns the replacement of m, and an error when two main modules
// replace it differently (one at its version, one at all versions).
func (r *replacer) lookup(m module.Version) (module.Version, bool, error) {
	if !r.paths[m.Path] || m.Version == "" && r.mainPaths[m.Path] {
		return module.Version{}, false, nil // (a main module is never replaced)
	}
	if to, _, ok := replacementIn(m, r.work); ok {
		return to, true, nil
	}
	var found module.Version
	foundFrom, ok := "", false
	for _, reps := range r.mods {
		to, from, hit := replacementIn(m, reps)
		if !hit {
			continue
		}
		if ok && foundFrom != from && found != to {
			return found, true, fmt.Errorf("conflicting replacements found for %v in workspace modules", m)
		}
		found, foundFrom, ok = to, from, true
	}
	return found, ok, nil
}

// replacementIn is cmd/go's replacement: the replace of m's exact version,
// else of all its versions; from is the version the replace names.
func replacementIn(m module.Version, reps map[module.Version]module.Version) (to module.Version, from string, ok bool) {
	if to, ok := reps[m]; ok {
		return to, m.Version, true
	}
	if to, ok := reps[module.Version{Path: m.Path}]; ok {
		return to, "", true
	}
	return module.Version{}, "", false
}
