package diagnostics

import (
	"context"
	"fmt"
	"go/version"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/workspace"
)

// CodeVendorModified is a vendored file that is not the module cache's
// copy: the build compiles what vendor/ holds, and neither go build nor go
// mod verify compares it with anything (golang/go#27348).
const CodeVendorModified = "vendor-modified"

// maxVendoredFilesNamed bounds the files one vendor-modified message names.
const maxVendoredFilesNamed = 10

// VerifyVendor compares every vendored package of snap's vendor
// directories with the module cache's copy of its module version (which
// the go command checked against go.sum when it extracted it): a file
// whose bytes differ, one go mod vendor copies that the vendored package
// lacks, one it has that the module's package does not (see
// workspace.CompareVendored). One warning per module section of
// modules.txt, on its "# path version" line, naming the files. A module
// the cache does not hold at that version, or replaced by a directory, is
// not compared. It reads every vendored file: `gomodls check -verify` and
// the server's verify command ask for it, no check does. progress, if
// not nil, is told how many packages of how many are compared. within,
// when not "", limits it to the vendor directories in or below it.
func VerifyVendor(ctx context.Context, snap *workspace.Snapshot, within string, progress func(done, total int)) []Diagnostic {
	type job struct {
		v      *workspace.VendorManifest
		vm     *workspace.VendorModule
		mod    module.Version // the module version vendored: vm's, or its replacement
		orig   string         // mod's directory in the module cache
		strip  bool
		vendor string // the vendor directory
	}
	var jobs []job
	total := 0
	for _, v := range snap.VendorManifests() {
		if within != "" && !workspace.Within(v.File.Path, within) {
			continue
		}
		vendorDir := filepath.Dir(v.File.Path)
		owner := filepath.Dir(vendorDir)
		goLine := ""
		if v.Workspace {
			if w := snap.WorkFor(owner); w != nil && w.Work != nil && w.Work.Go != nil {
				goLine = w.Work.Go.Version
			}
		} else if m := snap.ModuleAt(filepath.Join(owner, "go.mod")); m != nil && m.Mod != nil && m.Mod.Go != nil {
			goLine = m.Mod.Go.Version
		}
		strip := goLine != "" && version.Compare("go"+goLine, "go1.17") >= 0
		for _, vm := range v.Modules {
			mod := vm.Mod
			if vm.Replacement.Path != "" {
				if vm.Replacement.Version == "" {
					continue // a directory: no copy in the module cache
				}
				mod = vm.Replacement
			}
			if mod.Version == "" || len(vm.Packages) == 0 {
				continue
			}
			orig := snap.ModuleCacheDir(mod)
			if orig == "" || snap.PathKind(orig) != workspace.PathDir {
				continue
			}
			jobs = append(jobs, job{v, vm, mod, orig, strip, vendorDir})
			total += len(vm.Packages)
		}
	}
	var diags []Diagnostic
	done := 0
	for _, j := range jobs {
		var changed []string
		for _, pkg := range j.vm.Packages {
			if ctx.Err() != nil {
				return diags
			}
			done++
			if progress != nil {
				progress(done, total)
			}
			rel := strings.TrimPrefix(pkg.Path, j.vm.Mod.Path)
			if rel != "" && !strings.HasPrefix(rel, "/") {
				continue // not a package of this module
			}
			dir := filepath.Join(j.vendor, filepath.FromSlash(pkg.Path))
			orig := j.orig
			if rel != "" {
				orig = filepath.Join(j.orig, filepath.FromSlash(rel[1:]))
			}
			if snap.PathKind(dir) != workspace.PathDir || snap.PathKind(orig) != workspace.PathDir {
				continue // vendor-package-missing-on-disk, or no such package at that version
			}
			files, err := workspace.CompareVendored(dir, orig, j.strip)
			if err != nil {
				continue
			}
			for _, f := range files {
				changed = append(changed, fmt.Sprintf("vendor/%s/%s (%s)", pkg.Path, f.Name, f.Change))
			}
		}
		if len(changed) == 0 {
			continue
		}
		named := changed
		if len(named) > maxVendoredFilesNamed {
			named = append(named[:maxVendoredFilesNamed:maxVendoredFilesNamed], fmt.Sprintf("and %d more", len(changed)-maxVendoredFilesNamed))
		}
		cmdDir := filepath.Dir(j.vendor)
		title := "Run go mod vendor"
		if j.v.Workspace {
			title = "Run go work vendor"
		}
		diags = append(diags, Diagnostic{
			Code: CodeVendorModified, Severity: SeverityWarning, File: j.v.File, Span: j.vm.Span,
			Message: fmt.Sprintf("vendored files of %s are not the module cache's copy of %s (which go checked against go.sum): %s; the build compiles what vendor/ holds, and go mod verify does not look there", j.vm.Mod.Path, j.mod, strings.Join(named, ", ")),
			Fixes:   []Fix{{Title: title, Kind: KindQuickFix, Command: &Command{Name: CommandVendor, Title: title, Dir: cmdDir}}},
		})
	}
	return diags
}
