package modgraph

import (
	"fmt"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/workspace"
)

// replacer answers which replacement applies to a module version through
// the build context's one rule (buildctx.Context.ResolveReplacement, after
// cmd/go's replacementFrom), with directory replacements absolute.
type replacer struct {
	ctx *buildctx.Context
}

// newReplacer checks the replaces of w (nil in module mode) and of the main
// modules for conflicts that make every go command fail before it looks up
// anything — two targets for one key in a file, a workspace module
// replaced at all versions in go.work, or two main modules that replace one
// module version differently where go.work does not settle it — and breaks
// the graph on the first one.
func (l *loader) newReplacer(ctx *buildctx.Context, w *workspace.Work) *replacer {
	g := l.g
	mainPaths := make(map[string]bool, len(g.mains))
	for _, m := range g.mains {
		mainPaths[m.Path] = true
	}
	replacedByWork := make(map[string]bool)
	if w != nil {
		l.checkFile(w.Work.Replace, w.Dir, "go.work")
		for _, rep := range w.Work.Replace {
			replacedByWork[rep.Old.Path] = true
			if mainPaths[rep.Old.Path] && rep.Old.Version == "" && g.broken == nil {
				g.broken = fmt.Errorf("workspace module %v is replaced at all versions in the go.work file", rep.Old.Path)
			}
		}
	}
	across := make(map[module.Version]module.Version)
	for _, m := range g.mains {
		mod := l.mainMods[m.Path]
		reps := l.checkFile(mod.Mod.Replace, mod.Dir, mod.File.Path)
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
	return &replacer{ctx: ctx}
}

// checkFile breaks the graph when one file replaces a key twice with
// different targets (cmd/go's toReplaceMap), and returns the file's
// replaces with directory targets absolute against dir.
func (l *loader) checkFile(reps []*modfile.Replace, dir, file string) map[module.Version]module.Version {
	out := make(map[module.Version]module.Version, len(reps))
	for _, rep := range reps {
		new := buildctx.ReplaceTarget(dir, rep.New)
		if prev, dup := out[rep.Old]; dup && prev != new && l.g.broken == nil {
			l.g.broken = fmt.Errorf("%s: conflicting replacements for %v:\n\t%v\n\t%v", file, rep.Old, prev, new)
		}
		out[rep.Old] = new
	}
	return out
}

// lookup returns the replacement of m, and an error where the go command
// stops with conflicting replacements in workspace modules.
func (r *replacer) lookup(m module.Version) (module.Version, bool, error) {
	rep, ok, conflict := r.ctx.ResolveReplacement(m)
	if !ok {
		return module.Version{}, false, nil
	}
	if conflict != nil {
		return rep.Target(), true, conflict
	}
	return rep.Target(), true, nil
}
