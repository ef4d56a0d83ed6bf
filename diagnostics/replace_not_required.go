package diagnostics

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// CodeReplaceNotRequired is the import of a package of a module that go.mod
// replaces but does not require (cmd/go/internal/modload/import.go:
// importFromModules, ImportMissingError with replaced set).
const CodeReplaceNotRequired = "replace-not-required"

// replaceNotRequiredCheck reports, outside workspace mode, a replace line
// whose module provides a package the module's files import while no
// require names it: go finds the package in the replacement (queryImport
// tries replacements before any lookup) but will not add the requirement
// in readonly mode, so the build fails with "module P provides package X
// and is replaced but not required; to add it: go get P". An error when a
// file go build compiles imports it, a warning when only tests or files
// behind a custom build tag do, or with -mod=mod (go adds the require).
// The fix adds the require at the version go get picks: the replaced
// version, or for a replace of every version the zero pseudo-version of
// the path's major version.
var replaceNotRequiredCheck = Check{
	Name:  "replaceNotRequired",
	Codes: []string{CodeReplaceNotRequired},
	Run: func(snap *workspace.Snapshot) []Diagnostic {
		return replaceNotRequired(context.Background(), snap, nil)
	},
	RunFocused: replaceNotRequired,
}

func replaceNotRequired(ctx context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	for _, m := range focus.modules(snap) {
		if ctx.Err() != nil {
			return diags
		}
		if m.Mod == nil || m.Mod.Module == nil || len(m.Mod.Replace) == 0 || snap.WorkFor(m.Dir) != nil {
			continue
		}
		if inModuleCache(snap, m.Dir) {
			continue
		}
		in := tidyInputs{file: m.File, graph: modgraph.Module(snap, m), gen: snap.DiskGeneration()}
		diags = appendAll(diags, memoDiagnostics(snap, "diagnostics.replaceNotRequired\x00"+m.File.Path, in, func() []Diagnostic {
			return moduleReplaceNotRequired(snap, m, in.graph)
		}))
	}
	return diags
}

func moduleReplaceNotRequired(snap *workspace.Snapshot, m *workspace.Module, g *modgraph.Graph) []Diagnostic {
	if g.Incomplete() != nil {
		return nil
	}
	l := loadPackages(snap, g, m, "unused", keepUnusedSites, toolPaths(m), true)
	if len(l.absent) == 0 {
		return nil
	}
	bc := buildctx.Module(snap, m)
	imps := snap.Imports(m.Dir)
	reported := make(map[*modfile.Replace]bool)
	var diags []Diagnostic
	for _, pkg := range l.unresolvedPkgs {
		if !l.absent[pkg] {
			continue
		}
		rep, mod := replacedProvider(snap, g, m, pkg)
		if rep == nil || reported[rep] {
			continue
		}
		reported[rep] = true
		sites := importSites(snap, m, pkg)
		built := slices.ContainsFunc(imps[pkg], builtSite)
		sev := SeverityWarning
		if built && bc.Mod.Value != "mod" && !bc.Mod.Vendor() {
			sev = SeverityError
		}
		d := Diagnostic{
			Code: CodeReplaceNotRequired, Severity: sev, File: m.File, Span: lineSpan(rep.Syntax),
			Message: fmt.Sprintf("module %s provides package %s and is replaced but not required; to add it: go get %s", mod.Path, pkg, mod.Path),
			Related: sites,
			Fixes:   addRequireFix(m, mod.Path, mod.Version, false),
		}
		if sev == SeverityWarning && !built {
			d.Message += " (go build passes: only tests, or files behind a custom build tag, import it)"
		}
		diags = append(diags, d)
	}
	return diags
}

// replacedProvider finds, as queryImport does before any lookup, the
// module m replaces but does not require whose replacement holds pkg: of
// the replaced paths that are pkg's or a parent of it, the longest. It
// returns the replace line and the module version go get would require.
func replacedProvider(snap *workspace.Snapshot, g *modgraph.Graph, m *workspace.Module, pkg string) (*modfile.Replace, module.Version) {
	var best *modfile.Replace
	for _, r := range m.Mod.Replace {
		p := r.Old.Path
		if (pkg == p || strings.HasPrefix(pkg, p+"/")) && len(m.Index().Requires(p)) == 0 && (best == nil || len(p) > len(best.Old.Path)) {
			best = r
		}
	}
	if best == nil {
		return nil, module.Version{}
	}
	v := best.Old.Version
	if v == "" {
		major := "v0"
		if _, pathMajor, ok := module.SplitPathVersion(best.Old.Path); ok && pathMajor != "" {
			major = module.PathMajorPrefix(pathMajor)
		}
		v = module.ZeroPseudoVersion(major)
	}
	mod := module.Version{Path: best.Old.Path, Version: v}
	r, ok := g.Replacement(mod)
	if !ok {
		return nil, module.Version{}
	}
	root := r.Path
	if r.Version != "" {
		root = snap.ModuleCacheDir(r)
	}
	if root == "" {
		return nil, module.Version{}
	}
	dir := root
	if rel := strings.TrimPrefix(pkg, mod.Path); rel != "" {
		dir = joinPackageDir(root, rel)
	}
	if !snap.PackageImports(dir).Found {
		return nil, module.Version{} // go: "but does not contain package"
	}
	return best, mod
}
