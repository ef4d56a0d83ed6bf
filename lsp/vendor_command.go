package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/gocommand"
	"github.com/gomodls/gomodls/workspace"
)

// vendorFlags are the flags gomodls.vendor passes on to go mod vendor and
// go work vendor. -o is not among them: it could write anywhere.
var vendorFlags = []string{"-e", "-v"}

// vendorCommand is gomodls.vendor, the fix for every vendor diagnostic: `go
// mod vendor` in a module, or `go work vendor` in the go.work directory
// when the go command would run in workspace mode there. It refuses to run
// when an input file has unsaved changes or when cmd/go would delete the
// vendor directory and then fail (see vendorTarget.replacementsInVendor).
// Afterwards it re-reads the files go rewrote, so diagnostics clear even if
// the client's file watcher is slow.
func (s *server) vendorCommand(ctx context.Context, args commandArgs) (any, error) {
	for _, a := range args.Args {
		if !slices.Contains(vendorFlags, a) {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "gomodls.vendor: argument %q not allowed (only %s)", a, strings.Join(vendorFlags, ", "))
		}
	}
	session, snap, err := s.commandSnapshot(diagnostics.CommandVendor, args)
	if err != nil {
		return nil, err
	}
	t, err := newVendorTarget(snap, args.dir)
	if err != nil {
		return nil, s.refuse(err.Error())
	}
	title := "go " + strings.Join(t.goArgs(), " ")
	if paths := unsaved(session, snap, t.inputs()); len(paths) > 0 {
		for i, p := range paths {
			paths[i] = relTo(t.dir, p)
		}
		return nil, s.refuse(fmt.Sprintf("not running %s: save %s first (the editor's content differs from the file on disk, which is what the go command reads)", title, strings.Join(paths, ", ")))
	}
	if bad := t.replacementsInVendor(); len(bad) > 0 {
		return nil, s.refuse(fmt.Sprintf("not running %s: it would delete %s and then fail, because a replacement directory lies inside it (%s). Move the replaced module out of vendor/ first.",
			title, filepath.Join(t.dir, "vendor"), strings.Join(bad, "; ")))
	}

	err = s.runGo(ctx, title, gocommand.Invocation{Dir: t.dir, Args: append(t.goArgs(), args.Args...)})
	// Even a failed or cancelled run may have changed vendor/: cmd/go
	// removes it before it writes the new one.
	s.diskChanged(t.outputs())
	return nil, err
}

// A vendorTarget is what gomodls.vendor vendors: one module, or a workspace.
type vendorTarget struct {
	dir     string              // where go runs and vendor/ is written
	work    *workspace.Work     // the go.work in workspace mode, else nil
	modules []*workspace.Module // the main modules: the one, or those work uses
}

// newVendorTarget decides between go mod vendor and go work vendor for a
// fix whose directory is dir, as the go command run in dir would
// (buildctx.ForDir): workspace mode when the go.work in effect is in dir or
// uses dir's module.
func newVendorTarget(snap *workspace.Snapshot, dir string) (vendorTarget, error) {
	c := buildctx.ForDir(snap, dir)
	if c == nil {
		return vendorTarget{}, fmt.Errorf("no go.mod or go.work in %s to vendor", dir)
	}
	t := vendorTarget{dir: c.Root, work: c.Work, modules: c.Mains}
	if c.Work != nil {
		// Modules that do not parse too: their unsaved buffers matter.
		t.modules = snap.UsedModules(c.Work)
	}
	return t, nil
}

// goArgs is the go command: mod vendor or work vendor.
func (t vendorTarget) goArgs() []string {
	if t.work != nil {
		return []string{"work", "vendor"}
	}
	return []string{"mod", "vendor"}
}

// inputs are the files whose unsaved changes the command must not ignore.
func (t vendorTarget) inputs() []string {
	var paths []string
	if t.work != nil {
		paths = append(paths, t.work.File.Path, filepath.Join(t.work.Dir, "go.work.sum"))
	}
	for _, m := range t.modules {
		paths = append(paths, m.File.Path, filepath.Join(m.Dir, "go.sum"))
	}
	return paths
}

// outputs are the paths to re-read after the command: the module files of
// its directory, vendor/modules.txt, and vendor/ itself (to drop what a
// removed vendor directory held).
func (t vendorTarget) outputs() []string {
	var paths []string
	for _, name := range []string{"go.mod", "go.sum", "go.work", "go.work.sum"} {
		paths = append(paths, filepath.Join(t.dir, name))
	}
	vendor := filepath.Join(t.dir, "vendor")
	return append(paths, filepath.Join(vendor, "modules.txt"), vendor)
}

// replacementsInVendor returns the directory replacements, among those of
// the main modules' go.mod files and the go.work, that resolve into the
// vendor directory the command rewrites, each as "go.mod:7: ./vendor/x".
//
// cmd/go (modcmd.RunVendor) removes the vendor directory before it writes
// modules.txt, and only while writing fails with "go: replacement path %s
// inside vendor directory": the user's vendor tree — and the replaced
// module in it — would be gone. cmd/go tests the path as written (after
// making a workspace module's relative to the go.work directory); an
// absolute path into vendor/ is not caught there but is deleted all the
// same, so this checks the resolved absolute path. Replacements the build
// does not use are included: cmd/go writes them too (go ≥ 1.14).
func (t vendorTarget) replacementsInVendor() []string {
	// Resolved, as the kernel follows links when cmd/go removes the tree:
	// a replacement ./rep with rep → vendor/x is deleted all the same.
	vendor := workspace.ResolvePath(filepath.Join(t.dir, "vendor"))
	var bad []string
	check := func(f *workspace.File, reps []*modfile.Replace) {
		for _, r := range reps {
			if r.New.Version != "" {
				continue // a module version, not a directory
			}
			p := buildctx.ReplaceTarget(filepath.Dir(f.Path), r.New).Path
			if resolved := workspace.ResolvePath(p); vendor != "" && resolved != "" && workspace.Within(resolved, vendor) {
				line := 0
				if r.Syntax != nil {
					line = r.Syntax.Start.Line
				}
				bad = append(bad, fmt.Sprintf("%s:%d: %s", relTo(t.dir, f.Path), line, r.New.Path))
			}
		}
	}
	if t.work != nil && t.work.Work != nil {
		check(t.work.File, t.work.Work.Replace)
	}
	for _, m := range t.modules {
		if m.Mod != nil {
			check(m.File, m.Mod.Replace)
		}
	}
	return bad
}
