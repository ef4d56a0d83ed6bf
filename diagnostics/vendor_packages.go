package diagnostics

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gomodls/gomodls/workspace"
)

// Codes of the vendored-package checks: where the go command looks for an
// imported package in the vendor directory, and which vendored packages it
// ignores (cmd/go/internal/modload/import.go: importFromModules).
const (
	CodeVendorPackageMissingOnDisk   = "vendor-package-missing-on-disk"
	CodeVendorPackageNotInModulesTxt = "vendor-package-not-in-modules-txt"
)

// explicitModulesTxtImportVersion is the go line from which the go command
// ignores vendored packages that modules.txt does not list
// (gover.ExplicitModulesTxtImportVersion).
const explicitModulesTxtImportVersion = "1.23"

// packages compares what modules.txt lists with what the vendor directory
// holds and what the main modules import. In vendor mode the go command
// resolves an import only from vendor/<path>, and (go ≥ 1.23) only if
// modules.txt lists the package; it says nothing about packages that no one
// imports, so neither does this, beyond a warning for a listed package that
// is missing.
func (c *vendorComparison) packages() {
	tree := c.snap.VendorTree(c.bc.Root)
	if c.vm == nil || tree == nil {
		return
	}
	imports := c.mainImports()
	listed := make(map[string]bool)
	for _, e := range c.vm.Modules {
		for _, p := range e.Packages {
			listed[p.Path] = true
			if tree.Packages[p.Path] {
				continue
			}
			d := Diagnostic{
				Code: CodeVendorPackageMissingOnDisk, File: c.vm.File, Span: p.Span, Fixes: c.bc.vendorFix(),
				Message: fmt.Sprintf("package %s is listed in vendor/modules.txt, but vendor/%s holds no .go files", p.Path, p.Path),
			}
			built, tagged := splitSites(imports[p.Path])
			switch {
			case len(built) > 0:
				d.Severity = SeverityError
				d.Message += fmt.Sprintf("; %s imports it, so the build fails: cannot find module providing package %s: import lookup disabled by -mod=vendor",
					c.site(built[0]), p.Path)
			case len(tagged) > 0:
				d.Severity = SeverityWarning
				d.Message += fmt.Sprintf("; only %s imports it, a file built only with -tags, where the build fails", c.site(tagged[0]))
			default:
				d.Severity = SeverityWarning
				d.Message += "; nothing in the main modules imports it, so go does not fail yet"
			}
			c.diags = append(c.diags, d)
		}
	}

	goVers, _, _ := c.bc.GoVersion()
	local := strings.TrimPrefix(c.snap.Env.GOVERSION, "go")
	if goVers == "" || goLess(goVers, explicitModulesTxtImportVersion) || (local != "" && goLess(local, explicitModulesTxtImportVersion)) {
		return // such packages are used silently
	}
	paths := make([]string, 0, len(imports))
	for p := range imports {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		built, _ := splitSites(imports[p])
		if listed[p] || !tree.Packages[p] || len(built) == 0 {
			continue
		}
		e := c.moduleProviding(p)
		sp := c.vm.File.LineSpan(1)
		if e != nil {
			sp = e.Span
		}
		c.diags = append(c.diags, Diagnostic{
			Code: CodeVendorPackageNotInModulesTxt, Severity: SeverityError, File: c.vm.File, Span: sp, Fixes: c.bc.vendorFix(),
			Message: fmt.Sprintf("package %s exists in the vendor directory but is missing from vendor/modules.txt; go %s and later ignore it, so the import in %s fails; run go %s vendor",
				p, explicitModulesTxtImportVersion, c.site(built[0]), c.bc.Subcommand()),
		})
	}
}

// mainImports returns the imports of the main modules' Go files that the
// vendor directory would have to provide: not the standard library's, not
// the main modules' own packages.
func (c *vendorComparison) mainImports() workspace.Imports {
	out := make(workspace.Imports)
	for _, m := range c.bc.Mains {
		for p, sites := range c.snap.Imports(m.Dir) {
			if isStandard(p) || c.isMainPackage(p) {
				continue
			}
			out[p] = append(out[p], sites...)
		}
	}
	return out
}

func (c *vendorComparison) isMainPackage(path string) bool {
	for _, m := range c.bc.Mains {
		if m.Mod.Module == nil {
			continue
		}
		mp := m.Mod.Module.Mod.Path
		if path == mp || strings.HasPrefix(path, mp+"/") {
			return true
		}
	}
	return false
}

// isStandard reports whether an import path is the standard library's (or
// cgo's "C"): its first element has no dot, as the go command decides.
func isStandard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// moduleProviding returns the modules.txt section of the module with the
// longest path that is a prefix of pkg, or nil.
func (c *vendorComparison) moduleProviding(pkg string) *workspace.VendorModule {
	var best *workspace.VendorModule
	for _, e := range c.vm.Modules {
		if e.Mod.Version == "" || !(pkg == e.Mod.Path || strings.HasPrefix(pkg, e.Mod.Path+"/")) {
			continue
		}
		if best == nil || len(e.Mod.Path) > len(best.Mod.Path) {
			best = e
		}
	}
	return best
}

// site names an import for a message: file:line relative to the context root.
func (c *vendorComparison) site(s workspace.ImportSite) string {
	return fmt.Sprintf("%s:%d", shortPath(c.bc.Root, s.File), s.Line)
}

// splitSites separates imports from files every build compiles (for some
// platform) from those in files built only with -tags.
func splitSites(sites []workspace.ImportSite) (built, tagged []workspace.ImportSite) {
	for _, s := range sites {
		if s.CustomTags {
			tagged = append(tagged, s)
		} else {
			built = append(built, s)
		}
	}
	return built, tagged
}
