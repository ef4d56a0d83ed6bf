package codeactions

import (
	"path/filepath"
	"slices"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// KindSourceWorkspace is the kind of the source actions of a go.work: every
// text fix that edits the go.work (remove a use, add one, raise the go
// line), offered wherever the cursor is, with no diagnostic selected (the
// editor's "Source Action…" menu asks for kind "source").
const KindSourceWorkspace diagnostics.FixKind = "source.gomodls.workspace"

// workspaceFixes offers, in a go.work, each text fix of any diagnostic whose
// edits all lie in the go.work, whether the diagnostic is there (a use line)
// or elsewhere (a module's go.mod), in the order of the places they edit. A
// fix that also runs a command is left to its diagnostic's quick fixes.
func workspaceFixes(_ *workspace.Snapshot, diags []diagnostics.Diagnostic, req Request) []Action {
	if req.File.Kind != workspace.KindGoWork {
		return nil
	}
	var actions []Action
	for _, d := range diags {
		for _, fix := range d.Fixes {
			if fix.Command != nil || len(fix.Edits) == 0 || !editsOnly(fix.Edits, req.File) {
				continue
			}
			a := Action{Title: fix.Title, Kind: KindSourceWorkspace, Edits: fix.Edits}
			if inDocument(d, req.File) {
				a.Diagnostics = []diagnostics.Diagnostic{d}
			}
			actions = append(actions, a)
		}
	}
	slices.SortStableFunc(actions, func(a, b Action) int { return a.Edits[0].Span.Start - b.Edits[0].Span.Start })
	return actions
}

// KindSourceVerifyVendor is the kind of the source action of a
// vendor/modules.txt that compares the vendor directory with the module
// cache (diagnostics.CommandVerifyVendor): no check reads vendored files,
// so it is offered, not run on every edit.
const KindSourceVerifyVendor diagnostics.FixKind = "source.gomodls.verifyVendor"

// verifyVendorAction offers, in a vendor/modules.txt, to verify that
// vendor directory against the module cache.
func verifyVendorAction(_ *workspace.Snapshot, _ []diagnostics.Diagnostic, req Request) []Action {
	if req.File.Kind != workspace.KindVendorManifest {
		return nil
	}
	vendor := filepath.Dir(req.File.Path)
	const title = "Verify vendor/ against the module cache"
	return []Action{{Title: title, Kind: KindSourceVerifyVendor,
		Command: &diagnostics.Command{Name: diagnostics.CommandVerifyVendor, Title: title, Dir: vendor}}}
}
