package explain

import (
	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/workspace"
)

// A VersionHint is what an editor shows beside a require line whose
// written version is not what the build uses: the selected version
// (Selected, "" when it is the written one) and, when the build uses
// vendor/, the vendored version that differs from it (Vendored, "" when
// it agrees). The hover on the line says the same, with why.
type VersionHint struct {
	Require  *modfile.Require
	Selected string
	Vendored string
}

// VersionHints lists the hints of the main module m's require lines: one
// graph and one read of vendor/modules.txt for the file, however many
// lines it has. A graph that is incomplete gives no selected-version
// hints (the version shown would be a guess).
func VersionHints(snap *workspace.Snapshot, m *workspace.Module) []VersionHint {
	if m.Mod == nil {
		return nil
	}
	c, g, _ := contextOf(snap, m)
	complete := g.Incomplete() == nil
	vendored := vendoredVersions(snap, c)
	var out []VersionHint
	for _, r := range m.Mod.Require {
		h := VersionHint{Require: r}
		if v, ok := g.Selected(r.Mod.Path); ok && complete && v != r.Mod.Version {
			h.Selected = v
		}
		if v, ok := vendored[r.Mod.Path]; ok && v != r.Mod.Version {
			h.Vendored = v
		}
		if h.Selected != "" || h.Vendored != "" {
			out = append(out, h)
		}
	}
	return out
}
