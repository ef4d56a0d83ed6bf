package diagnostics

import (
	"context"
	"fmt"
	"go/version"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// Codes of the go.mod consistency check: gomod-dirty is errGoModDirty
// (cmd/go/internal/modload/init.go: goModDirtyError), which
// commitRequirements returns when go.mod would change; excluded-requirement
// is the "ignoring requirement on excluded version" of modload/init.go:
// rootsFromModFile.
const (
	CodeGoModDirty          = "gomod-dirty"
	CodeExcludedRequirement = "excluded-requirement"
)

// goModDirtyError is the error go prints when a readonly build would have
// to rewrite go.mod (modload's goModDirtyError), on one line: with -mod set
// in GOFLAGS it names the flag, and in vendor mode chosen by go itself it
// gives the reason.
func goModDirtyError(snap *workspace.Snapshot, vendor bool) string {
	switch flag := goflagsMod(snap.Env); {
	case flag != "":
		return "updates to go.mod needed, disabled by -mod=" + flag + "; to update it: go mod tidy"
	case vendor:
		return "updates to go.mod needed, disabled by -mod=vendor (Go version in go.mod is at least 1.14 and vendor directory exists.) to update it: go mod tidy"
	}
	return "updates to go.mod needed; to update it: go mod tidy"
}

// goModDirtyCheck predicts "go: updates to go.mod needed": outside
// workspace mode (go never rewrites a go.mod in workspace mode:
// cmd/go/internal/modload/init.go: commitRequirements writes only
// go.work.sum there), a build in readonly or vendor mode fails when
// the go.mod go would write differs from the one on disk. Each cause is
// reported on the line to edit, with its own message:
//
//   - a path required twice (the line go mod tidy drops: all but the first
//     of the highest version);
//   - a require of a version the same go.mod excludes (with
//     excluded-requirement, go's "ignoring requirement on excluded
//     version" warning, which is also all that happens in workspace mode
//     or with -mod=mod: a warning there);
//   - a toolchain line go drops: "default", the go line's own version,
//     older than go1.21, or not a toolchain name;
//   - in a pruned module (go ≥ 1.17; go accepts both in an unpruned one),
//     a go line below the go line (1.21 or later) of a module in the graph,
//     and a require below the version the module graph selects (modgraph:
//     silent when a go.mod it needs is not in the module cache).
//
// In vendor mode go reads no module graph, so only the causes in go.mod
// itself fail; a vendored module that is not required is reported by the
// vendor check (vendor-module-not-required). With GOFLAGS=-mod=mod go rewrites go.mod
// silently instead of failing: each cause is then a warning.
//
// Text fixes make the edit go mod tidy would make for that cause; every
// diagnostic also offers to run go mod tidy.
var goModDirtyCheck = Check{
	Name:  "gomodDirty",
	Codes: []string{CodeGoModDirty, CodeExcludedRequirement},
	Run: func(snap *workspace.Snapshot) []Diagnostic {
		return goModDirtyDiagnostics(context.Background(), snap, nil)
	},
	RunFocused: goModDirtyDiagnostics,
}

// goModDirtyDiagnostics is the check on the files of focus (every file when focus is nil).
func goModDirtyDiagnostics(ctx context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	for _, bc := range userContexts(snap) {
		if bc.Work != nil {
			diags = append(diags, excludedInWorkspace(bc, focus)...)
			continue
		}
		if focus.HasModule(bc.Mains[0]) {
			diags = append(diags, goModDirty(snap, bc)...)
		}
	}
	return diags
}

// tidyFix runs go mod tidy in m's directory.
func tidyFix(m *workspace.Module) Fix {
	title := "Run go mod tidy"
	return Fix{Title: title, Kind: KindQuickFix, Command: &Command{Name: CommandTidy, Title: title, Dir: m.Dir}}
}

type dirtyChecker struct {
	snap  *workspace.Snapshot
	m     *workspace.Module
	sev   Severity
	err   string // goModDirtyError
	diags []Diagnostic
}

func (c *dirtyChecker) report(line *modfile.Line, cause string, related []Related, fixes ...Fix) {
	c.diags = append(c.diags, Diagnostic{
		Code:     CodeGoModDirty,
		Severity: c.sev,
		File:     c.m.File,
		Span:     lineSpan(line),
		Message:  cause + ": " + c.err,
		Related:  related,
		Fixes:    append(fixes, tidyFix(c.m)),
	})
}

// textFix is a quick fix with edits, or nothing when there are none.
func textFix(title string, edits []Edit, err error) []Fix {
	if err != nil || len(edits) == 0 {
		return nil
	}
	return []Fix{{Title: title, Kind: KindQuickFix, Edits: edits}}
}

func goModDirty(snap *workspace.Snapshot, bc buildContext) []Diagnostic {
	m := bc.Mains[0]
	if m.Mod.Module == nil {
		return nil
	}
	vendor := bc.Mod.Vendor()
	c := &dirtyChecker{snap: snap, m: m, sev: SeverityError, err: goModDirtyError(snap, vendor)}
	if goflagsMod(snap.Env) == "mod" {
		// go rewrites go.mod silently.
		c.sev, c.err = SeverityWarning, fmt.Sprintf("go rewrites go.mod (%s); go mod tidy makes the same change", setting(snap.Env, "GOFLAGS"))
	}
	skip := c.duplicates()
	for p := range c.excluded() {
		skip[p] = true
	}
	c.toolchain()
	if !vendor {
		// In vendor mode go loads no module graph (modules.txt stands
		// for it), so nothing the graph would raise fails the build.
		c.graph(skip)
	}
	return c.diags
}

// duplicates reports each require line of a path required more than once
// but the one go mod tidy keeps (the first at the highest version), and
// returns the paths involved.
func (c *dirtyChecker) duplicates() map[string]bool {
	mf := c.m.Mod
	byPath := make(map[string][]*modfile.Require)
	var order []string
	for _, r := range mf.Require {
		if byPath[r.Mod.Path] == nil {
			order = append(order, r.Mod.Path)
		}
		byPath[r.Mod.Path] = append(byPath[r.Mod.Path], r)
	}
	dups := make(map[string]bool)
	for _, p := range order {
		rs := byPath[p]
		if len(rs) < 2 {
			continue
		}
		dups[p] = true
		keep := rs[0]
		for _, r := range rs[1:] {
			if semver.Compare(r.Mod.Version, keep.Mod.Version) > 0 {
				keep = r
			}
		}
		for _, r := range rs {
			if r == keep {
				continue
			}
			cause := fmt.Sprintf("%s is required twice, here at %s and on line %d at %s", p, r.Mod.Version, keep.Syntax.Start.Line, keep.Mod.Version)
			title := "Remove duplicate requirement"
			if r.Mod.Version != keep.Mod.Version {
				title = fmt.Sprintf("Remove requirement on %s %s (%s is required)", p, r.Mod.Version, keep.Mod.Version)
			}
			c.report(r.Syntax, cause,
				[]Related{{File: c.m.File, Span: lineSpan(keep.Syntax), Message: fmt.Sprintf("%s %s is required here", p, keep.Mod.Version)}},
				Fix{Title: title, Kind: KindQuickFix, Edits: []Edit{removeLine(c.m.File, r.Syntax)}})
		}
	}
	return dups
}

// excluded reports each require of a version that the go.mod excludes, and
// returns the paths involved.
func (c *dirtyChecker) excluded() map[string]bool {
	paths := make(map[string]bool)
	for _, r := range c.m.Mod.Require {
		x := c.m.Index().Exclude(r.Mod)
		if x == nil {
			continue
		}
		paths[r.Mod.Path] = true
		rel := []Related{{File: c.m.File, Span: lineSpan(x.Syntax), Message: fmt.Sprintf("%s %s is excluded here", r.Mod.Path, r.Mod.Version)}}
		verb := "ignoring"
		if c.sev != SeverityError {
			verb = "dropping"
		}
		c.diags = append(c.diags, Diagnostic{
			Code:     CodeExcludedRequirement,
			Severity: c.sev,
			File:     c.m.File,
			Span:     lineSpan(r.Syntax),
			Message:  fmt.Sprintf("%s requirement on excluded version %s %s; go mod tidy requires the next version that is not excluded", verb, r.Mod.Path, r.Mod.Version),
			Related:  rel,
			Fixes:    []Fix{tidyFix(c.m)},
		})
		c.report(r.Syntax, fmt.Sprintf("%s %s is excluded", r.Mod.Path, r.Mod.Version), rel)
	}
	return paths
}

// excludedInWorkspace: in workspace mode go ignores a used module's
// requirement on a version it excludes, silently.
func excludedInWorkspace(bc buildContext, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	for _, m := range bc.Mains {
		if len(m.Mod.Exclude) == 0 || !focus.Has(m.File) {
			continue
		}
		for _, r := range m.Mod.Require {
			x := m.Index().Exclude(r.Mod)
			if x == nil {
				continue
			}
			diags = append(diags, Diagnostic{
				Code:     CodeExcludedRequirement,
				Severity: SeverityWarning,
				File:     m.File,
				Span:     lineSpan(r.Syntax),
				Message:  fmt.Sprintf("requirement on excluded version %s %s is ignored (silently, in workspace mode); go mod tidy requires the next version that is not excluded", r.Mod.Path, r.Mod.Version),
				Related:  []Related{{File: m.File, Span: lineSpan(x.Syntax), Message: fmt.Sprintf("%s %s is excluded here", r.Mod.Path, r.Mod.Version)}},
				Fixes:    []Fix{tidyFix(m)},
			})
		}
	}
	return diags
}

// toolchain reports a toolchain line that modload's UpdateGoModFromReqs
// drops: "default", "go"+the go line, a toolchain older than go1.21, or one
// whose version cannot be read.
func (c *dirtyChecker) toolchain() {
	mf := c.m.Mod
	t := mf.Toolchain
	if t == nil {
		return
	}
	goVers := modGoVersion(mf)
	tv := toolchainVersion(t.Name)
	var cause string
	switch {
	case t.Name == "default":
		cause = "toolchain default is not written in go.mod (go drops the line)"
	case tv == "":
		cause = fmt.Sprintf("toolchain %s is not a toolchain name go can read (go drops the line)", t.Name)
	case t.Name == "go"+goVers:
		cause = fmt.Sprintf("toolchain %s repeats the go line (go drops the line)", t.Name)
	case goLess(tv, firstToolchainLineVersion):
		cause = fmt.Sprintf("toolchain %s is older than go1.21, the first toolchain go.mod can name (go drops the line)", t.Name)
	default:
		return
	}
	c.report(t.Syntax, cause, nil, Fix{Title: "Remove toolchain line", Kind: KindQuickFix, Edits: []Edit{removeLine(c.m.File, t.Syntax)}})
}

// graph reports what the module graph raises: the go line, and, in a pruned
// module, requirements (except on the paths in skip, reported otherwise).
func (c *dirtyChecker) graph(skip map[string]bool) {
	mf := c.m.Mod
	g := modgraph.Module(c.snap, c.m)
	if g.Incomplete() != nil {
		return
	}
	if goLess(modGoVersion(mf), "1.17") {
		// Unpruned: go accepts requirements below the selected versions,
		// and a go line below a dependency's.
		return
	}
	c.goLine(g)
	raise := newRequireVersionEditor(c.m)
	for _, r := range mf.Require {
		sel, ok := g.Selected(r.Mod.Path)
		if !ok || skip[r.Mod.Path] || g.IsMain(r.Mod.Path) || sel == "" || semver.Compare(r.Mod.Version, sel) >= 0 {
			continue
		}
		selMod := module.Version{Path: r.Mod.Path, Version: sel}
		by := "the module graph"
		for _, q := range g.Requirers(selMod) {
			if !g.IsMain(q.Path) {
				by = q.String()
				break
			}
		}
		edits, err := raise.setVersion(r.Mod.Path, sel)
		c.report(r.Syntax, fmt.Sprintf("%s %s is required here, but the module graph selects %s (required by %s)", r.Mod.Path, r.Mod.Version, sel, by), nil,
			textFix(fmt.Sprintf("Require %s %s", r.Mod.Path, sel), edits, err)...)
	}
}

// goLine reports a go line below the go version the module graph selects
// (the highest go line, 1.21 or later, of a module it reads).
func (c *dirtyChecker) goLine(g *modgraph.Graph) {
	mf := c.m.Mod
	target := g.GoVersion()
	cur := modGoVersion(mf)
	if mf.Go == nil || target == "" || !goLess(cur, target) {
		return // without a go line, go writes none in readonly mode
	}
	// A dependency too new for the running go is go-too-new: go stops
	// there, unless it can switch toolchains.
	if tc, ok := runningToolchain(c.snap.Env); ok && !tc.canSwitch && goLess(tc.running, target) {
		return
	}
	by := "a dependency"
	for _, dep := range g.BuildList() {
		if gm := g.GoMod(dep); dep.Version != "" && gm != nil && gm.Go != nil && version.Compare("go"+gm.Go.Version, "go"+target) == 0 {
			by = dep.String()
			break
		}
	}
	line := moduleGoLine(c.m)
	edits, err := editMod(c.m, func(f *modfile.File) error { return updateModGoVersion(f, target) })
	c.report(line, fmt.Sprintf("go line %s is below go %s, which %s requires", cur, target, by), nil,
		textFix("Raise go line to "+target, edits, err)...)
}

// moduleGoLine is the go line of m, else its module line.
func moduleGoLine(m *workspace.Module) *modfile.Line {
	if m.Mod.Go != nil {
		return m.Mod.Go.Syntax
	}
	return m.Mod.Module.Syntax
}

// updateModGoVersion raises mf's go line to v as go mod tidy does (Go
// 1.25+: without adding a toolchain line), dropping a toolchain line the new
// go line makes redundant.
func updateModGoVersion(mf *modfile.File, v string) error {
	if err := mf.AddGoStmt(v); err != nil {
		return err
	}
	if t := mf.Toolchain; t != nil {
		tv := toolchainVersion(t.Name)
		if t.Name == "go"+v || tv == "" || goLess(tv, firstToolchainLineVersion) {
			mf.DropToolchainStmt()
		}
	}
	return nil
}

// setRequireVersion sets the version of the require lines of path (one, as
// duplicates are reported otherwise), keeping their comments.
func setRequireVersion(mf *modfile.File, path, v string) error {
	for _, r := range mf.Require {
		if r.Mod.Path == path {
			r.Mod.Version = v
			r.Syntax.Token[len(r.Syntax.Token)-1] = modfile.AutoQuote(v)
		}
	}
	return nil
}
