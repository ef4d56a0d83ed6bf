package lsp

import (
	"context"
	"fmt"
	"path/filepath"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// verifyVendorCommand is gomodls.verifyVendor: compare the vendored
// packages of the vendor directories in or below the directory with the
// module cache (diagnostics.VerifyVendor), with progress and cancellation,
// and show what differs as vendor-modified on modules.txt until the vendor
// tree changes on disk. It reads every vendored file, which no check does.
func (s *server) verifyVendorCommand(ctx context.Context, args commandArgs) (any, error) {
	name := diagnostics.CommandVerifyVendor
	if len(args.Args) > 0 {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: argument %q not allowed", name, args.Args[0])
	}
	session := s.currentSession()
	if session == nil {
		return nil, errorf("%s: the workspace is not loaded yet", name)
	}
	snap := session.Snapshot()
	progress := s.beginWorkDone(ctx, "Verifying vendor/ against the module cache", "in "+args.dir)
	var lastPercent uint32
	diags := diagnostics.VerifyVendor(ctx, snap, args.dir, func(done, total int) {
		if p := uint32(done * 100 / max(total, 1)); p != lastPercent {
			lastPercent = p
			progress.report(fmt.Sprintf("%d of %d packages", done, total), p)
		}
	})
	if err := ctx.Err(); err != nil {
		progress.end("cancelled")
		return nil, err
	}
	var manifests []*workspace.File
	for _, v := range snap.VendorManifests() {
		if workspace.Within(v.File.Path, args.dir) {
			manifests = append(manifests, v.File)
		}
	}
	msg := "vendor/ matches the module cache"
	if len(diags) > 0 {
		msg = fmt.Sprintf("%d vendored module(s) differ from the module cache (vendor-modified on vendor/modules.txt)", len(diags))
	}
	progress.end(msg)
	s.showMessage(protocol.MessageTypeInfo, "gomodls: "+msg)
	s.diagnoser.setVerified(snap, manifests, diags)
	return nil, nil
}

// verifiedVendor is what the verify command found for one modules.txt.
type verifiedVendor struct {
	file  *workspace.File // the modules.txt it was found for
	diags []diagnostics.Diagnostic
}

// setVerified keeps diags, found in snap, for the manifests given (each
// replacing what an earlier verify found for it), and publishes again.
func (d *diagnoser) setVerified(snap *workspace.Snapshot, manifests []*workspace.File, diags []diagnostics.Diagnostic) {
	d.mu.Lock()
	if d.verified == nil {
		d.verified = make(map[string]verifiedVendor)
	}
	for _, f := range manifests {
		v := verifiedVendor{file: f}
		for _, diag := range diags {
			if diag.File == f {
				v.diags = append(v.diags, diag)
			}
		}
		d.verified[f.Path] = v
	}
	d.latest = nil // code actions see them too
	d.mu.Unlock()
	d.republish(snap)
}

// dropVerified forgets what the verify command found for a vendor
// directory a path of paths is in (or is): its files changed.
func (d *diagnoser) dropVerified(paths []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for manifest := range d.verified {
		vendor := filepath.Dir(manifest)
		for _, p := range paths {
			if workspace.Within(p, vendor) || workspace.Within(vendor, p) {
				delete(d.verified, manifest)
				d.latest = nil
				break
			}
		}
	}
}

// verifiedIn returns what the verify command found that still holds in
// snap (its modules.txt unchanged) for the files of focus.
func (d *diagnoser) verifiedIn(snap *workspace.Snapshot, focus *diagnostics.Focus) []diagnostics.Diagnostic {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []diagnostics.Diagnostic
	for _, v := range snap.VendorManifests() {
		found, ok := d.verified[v.File.Path]
		if !ok || found.file != v.File || !focus.Has(v.File) {
			continue
		}
		out = append(out, found.diags...)
	}
	return out
}
