package diagnostics

import (
	"context"
	"fmt"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// Codes of the retraction and deprecation check
// (cmd/go/internal/modload/modfile.go: CheckRetractions, CheckDeprecation).
const (
	CodeRetractedVersion = "retracted-version"
	CodeDeprecatedModule = "deprecated-module"
)

// retractCheck warns about a require of a version its author retracted, or
// of a module its author deprecated, as go list -m -u and go get tell: both
// come from the go.mod of the module's latest version (its retract lines,
// the "// Deprecated:" comment on its module line). gomodls never asks the
// network: "latest" is the latest version whose go.mod the module cache
// holds (the highest release, else prerelease, else any), so it says
// nothing about a module the cache knows nothing of, and may miss a
// retraction published since. The go command's build, test and tidy do not
// fail on either (they never look), hence a warning.
//
// A deprecation is reported on direct requirements only, as go get reports
// it: an indirect one is a dependency's choice, which the module cannot
// change. A retracted requirement, direct or not, gets a fix that raises it
// to the newest cached version that is above it and not retracted. A module that every version
// of is replaced is skipped, as go skips it.
var retractCheck = Check{
	Name:       "retract",
	Codes:      []string{CodeRetractedVersion, CodeDeprecatedModule},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return retract(context.Background(), snap, nil) },
	RunFocused: retract,
}

// retract is the check on the files of focus (every file when focus is nil).
func retract(ctx context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	for _, bc := range userContexts(snap) {
		for m := range mainsInFocus(ctx, bc, focus) {
			in := retractInputs{file: m.File, gen: snap.DiskGeneration(), modcache: snap.Env.GOMODCACHE, wild: bc.WildReplacesKey()}
			diags = appendAll(diags, memoDiagnostics(snap, "retract\x00"+bc.Root+"\x00"+m.File.Path, in, func() []Diagnostic {
				return retractions(snap, bc, m)
			}))
		}
	}
	return diags
}

// retractInputs are what the retract diagnostics of one main module are
// computed from: its go.mod, the module cache (read under one disk
// generation) and which paths the context replaces entirely. An edit of
// another module's requirements leaves them equal, so a thousand-module
// workspace pays for the edited module only.
type retractInputs struct {
	file     *workspace.File
	gen      uint64
	modcache string
	wild     uint64 // buildctx.Context.WildReplacesKey
}

func retractions(snap *workspace.Snapshot, bc buildContext, m *workspace.Module) []Diagnostic {
	var diags []Diagnostic
	upgrade := newRequireVersionEditor(m)
	for _, r := range m.Mod.Require {
		if bc.ReplacedEntirely(r.Mod.Path) { // go then loads no retractions for it
			continue
		}
		latest, gm := modgraph.Latest(snap, r.Mod.Path)
		if gm == nil {
			continue
		}
		if rat, ok := modgraph.RetractedBy(gm, r.Mod.Version); ok {
			diags = append(diags, retractedDiagnostic(m, upgrade, r, latest, rat, upgradeTarget(m, gm, r.Mod, snap.ModuleCacheVersions(r.Mod.Path))))
		}
		if gm.Module != nil && gm.Module.Deprecated != "" && !r.Indirect {
			diags = append(diags, Diagnostic{
				Code:     CodeDeprecatedModule,
				Severity: SeverityWarning,
				File:     m.File,
				Span:     lineSpan(r.Syntax),
				Message:  fmt.Sprintf("module %s is deprecated: %s (the go.mod of %s, its latest version in the module cache, says so)", r.Mod.Path, modgraph.ShortMessage(gm.Module.Deprecated), latest),
				Tags:     []Tag{TagDeprecated},
			})
		}
	}
	return diags
}

func retractedDiagnostic(m *workspace.Module, upgrade *requireVersionEditor, r *modfile.Require, latest, rationale, target string) Diagnostic {
	msg := fmt.Sprintf("%s: %s (retracted in the go.mod of %s, its latest version in the module cache)",
		r.Mod, retractedError(rationale), latest)
	var fixes []Fix
	if target != "" {
		msg += "; to switch to the latest unretracted version: go get " + r.Mod.Path + "@latest"
		edits, err := upgrade.setVersion(r.Mod.Path, target)
		fixes = textFix(fmt.Sprintf("Upgrade %s to %s", r.Mod.Path, target), edits, err)
	}
	return Diagnostic{
		Code:     CodeRetractedVersion,
		Severity: SeverityWarning,
		File:     m.File,
		Span:     lineSpan(r.Syntax),
		Message:  msg,
		Fixes:    fixes,
	}
}

// upgradeTarget is the newest cached version of req above req's version
// that gm does not retract and m does not exclude, preferring releases:
// "" if there is none.
func upgradeTarget(m *workspace.Module, gm *modfile.File, req module.Version, versions []string) string {
	var best string
	for _, v := range versions {
		if semver.Compare(v, req.Version) <= 0 || module.IsPseudoVersion(v) {
			continue
		}
		if _, retracted := modgraph.RetractedBy(gm, v); retracted || m.Index().Exclude(module.Version{Path: req.Path, Version: v}) != nil {
			continue
		}
		if best == "" || semver.Prerelease(best) != "" && semver.Prerelease(v) == "" || (semver.Prerelease(best) == "") == (semver.Prerelease(v) == "") && semver.Compare(v, best) > 0 {
			best = v
		}
	}
	return best
}

// retractedError is modload's ModuleRetractedError text after the version.
func retractedError(rationale string) string {
	if s := modgraph.ShortMessage(rationale); s != "" {
		return "retracted by module author: " + s
	}
	return "retracted by module author"
}
