package buildctx

import (
	"path/filepath"

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
	// module replacement): relative paths are relative to File's directory.
	Dir string
}

// Replacement returns the replace that applies to mod in c, as cmd/go's
// modload.replacementFrom chooses it: none for a main module's own path;
// go.work's replaces first; then the main modules' in order; within a file
// the replace of mod's exact version before one of all its versions, and
// the last of duplicates.
func (c *Context) Replacement(mod module.Version) (Replacement, bool) {
	for _, m := range c.Mains {
		if m.Mod.Module != nil && m.Mod.Module.Mod.Path == mod.Path && mod.Version == "" {
			return Replacement{}, false
		}
	}
	if c.Work != nil && c.Work.Work != nil {
		if r := replaceOf(c.Work.Work.Replace, mod); r != nil {
			return newReplacement(r, c.Work.File), true
		}
	}
	for _, m := range c.Mains {
		if r := replaceOf(m.Mod.Replace, mod); r != nil {
			return newReplacement(r, m.File), true
		}
	}
	return Replacement{}, false
}

func newReplacement(r *modfile.Replace, f *workspace.File) Replacement {
	rep := Replacement{Replace: r, File: f}
	if r.New.Version == "" {
		rep.Dir = r.New.Path
		if !filepath.IsAbs(rep.Dir) {
			rep.Dir = filepath.Join(filepath.Dir(f.Path), filepath.FromSlash(rep.Dir))
		}
	}
	return rep
}

func replaceOf(reps []*modfile.Replace, mod module.Version) *modfile.Replace {
	var exact, wild *modfile.Replace
	for _, r := range reps {
		switch {
		case r.Old == mod:
			exact = r
		case r.Old.Path == mod.Path && r.Old.Version == "":
			wild = r
		}
	}
	if exact != nil {
		return exact
	}
	return wild
}
