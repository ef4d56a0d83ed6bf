package lsp

import (
	"context"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/explain"
	"github.com/gomodls/gomodls/workspace"
)

// documentLink answers textDocument/documentLink:
//   - in go.mod and go.work, a directory replacement's target and a use
//     line's directory link to the go.mod there (to the directory when it
//     has none), and the module path of a require, replace or exclude to
//     its documentation page on pkg.go.dev (not for modules GOPRIVATE
//     matches, whose documentation is not public);
//   - in vendor/modules.txt, each "# path version" line's path links to
//     the vendored directory of the module, when there is one.
//
// Nothing is fetched or stat'ed but through the snapshot.
func (s *server) documentLink(_ context.Context, params *protocol.DocumentLinkParams) ([]protocol.DocumentLink, error) {
	links := []protocol.DocumentLink{}
	snap, f := s.fileAt(params.TextDocument.URI)
	if f == nil {
		return links, nil
	}
	dir := filepath.Dir(f.Path)
	content := string(f.Content())
	add := func(sp workspace.Span, target protocol.DocumentURI, tooltip string) {
		if sp.End > sp.Start {
			links = append(links, protocol.DocumentLink{Range: toRange(f, sp), Target: target, Tooltip: tooltip})
		}
	}
	doc := func(l *modfile.Line, path string) {
		if u := explain.DocURL(snap.Env, path, ""); u != "" {
			add(tokenSpan(content, l, path, 0), protocol.DocumentURI(u), "Documentation of "+path)
		}
	}
	local := func(l *modfile.Line, written string, from int) {
		target := written
		if !filepath.IsAbs(target) {
			target = filepath.Join(dir, filepath.FromSlash(target))
		}
		tip := "Open " + target
		if snap.UsePathKind(filepath.Join(target, "go.mod")) == workspace.PathFile {
			target = filepath.Join(target, "go.mod")
			tip = "Open " + target
		}
		add(tokenSpan(content, l, written, from), uriFromPath(target), tip)
	}
	replace := func(r *modfile.Replace) {
		doc(r.Syntax, r.Old.Path)
		if r.New.Version == "" {
			local(r.Syntax, r.New.Path, strings.Index(content[r.Syntax.Start.Byte:r.Syntax.End.Byte], "=>"))
		} else {
			doc(r.Syntax, r.New.Path)
		}
	}
	switch f.Kind {
	case workspace.KindGoMod:
		m := snap.Module(dir)
		if m == nil || m.Mod == nil {
			return links, nil
		}
		for _, r := range m.Mod.Require {
			doc(r.Syntax, r.Mod.Path)
		}
		for _, r := range m.Mod.Exclude {
			doc(r.Syntax, r.Mod.Path)
		}
		for _, r := range m.Mod.Replace {
			replace(r)
		}
	case workspace.KindGoWork:
		w := snap.Work(dir)
		if w == nil || w.Work == nil {
			return links, nil
		}
		for _, u := range w.Work.Use {
			local(u.Syntax, u.Path, 0)
		}
		for _, r := range w.Work.Replace {
			replace(r)
		}
	case workspace.KindVendorManifest:
		vm := snap.VendorManifest(filepath.Dir(dir))
		if vm == nil {
			return links, nil
		}
		vendor := dir
		for _, e := range vm.Modules {
			if e.Mod.Version == "" {
				continue
			}
			target := filepath.Join(vendor, filepath.FromSlash(e.Mod.Path))
			if snap.UsePathKind(target) != workspace.PathDir {
				continue
			}
			line := content[e.Span.Start:e.Span.End]
			if i := strings.Index(line, e.Mod.Path); i >= 0 {
				start := e.Span.Start + i
				add(workspace.Span{Start: start, End: start + len(e.Mod.Path)}, uriFromPath(target), "Reveal the vendored copy of "+e.Mod.Path)
			}
		}
	}
	return links, nil
}

// tokenSpan is the span of the token tok of l at or after byte from of
// the line (its text as written: quoted or not); empty when it is not
// there.
func tokenSpan(content string, l *modfile.Line, tok string, from int) workspace.Span {
	start, end := l.Start.Byte, l.End.Byte
	if start < 0 || end > len(content) || start > end || from < 0 || start+from > end {
		return workspace.Span{}
	}
	text := content[start+from : end]
	for _, written := range []string{tok, `"` + tok + `"`} {
		for i := 0; ; {
			j := strings.Index(text[i:], written)
			if j < 0 {
				break
			}
			at := i + j
			before := at == 0 || strings.ContainsRune(" \t(", rune(text[at-1]))
			afterIdx := at + len(written)
			after := afterIdx == len(text) || strings.ContainsRune(" \t)", rune(text[afterIdx]))
			if before && after {
				s := start + from + at
				return workspace.Span{Start: s, End: s + len(written)}
			}
			i = at + 1
		}
	}
	return workspace.Span{}
}
