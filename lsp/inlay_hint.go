package lsp

import (
	"context"
	"path/filepath"

	"github.com/gomodls/gomodls/explain"
	"github.com/gomodls/gomodls/workspace"
)

// inlayHint answers textDocument/inlayHint on a go.mod: after the version
// of each require line in the range whose build uses another version,
// "→ v1.3.0" (the version minimal version selection picks, in the
// workspace when a go.work uses the module), and "vendored v1.0.0" where
// vendor/modules.txt records another version than the line. The hover on
// the line says the same with why, for editors without inlay hints.
func (s *server) inlayHint(_ context.Context, params *inlayHintParams) ([]inlayHint, error) {
	hints := []inlayHint{}
	snap, f := s.fileAt(params.TextDocument.URI)
	if f == nil || f.Kind != workspace.KindGoMod {
		return hints, nil
	}
	m := snap.Module(filepath.Dir(f.Path))
	if m == nil || m.Mod == nil {
		return hints, nil
	}
	within := fromRange(f, params.Range)
	for _, h := range explain.VersionHints(snap, m) {
		end := h.Require.Syntax.End.Byte
		if end < within.Start || h.Require.Syntax.Start.Byte > within.End {
			continue
		}
		at := toPosition(f, end) // the version's end: a // comment is not part of the line's syntax
		if h.Selected != "" {
			hints = append(hints, inlayHint{Position: at, Label: "→ " + h.Selected, Kind: 1, PaddingLeft: true,
				Tooltip: "The build uses " + h.Selected + ": minimal version selection picks it over " + h.Require.Mod.Version + ". Hover the line for who requires it."})
		}
		if h.Vendored != "" {
			hints = append(hints, inlayHint{Position: at, Label: "vendored " + h.Vendored, Kind: 1, PaddingLeft: true,
				Tooltip: "inconsistent vendoring: go.mod requires " + h.Require.Mod.Version + ", vendor/modules.txt has " + h.Vendored + "; run go mod vendor"})
		}
	}
	return hints, nil
}

// refreshInlayHints asks the client to ask for the inlay hints of its open
// documents again (workspace/inlayHint/refresh): they depend on files the
// client does not know they depend on — vendor/modules.txt, other go.mod
// files, the module cache.
func (s *server) refreshInlayHints() { s.askRefresh(methodInlayHintRefresh) }
