package lsp

import (
	"context"
	"path/filepath"

	"go.lsp.dev/protocol"
	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/explain"
	"github.com/gomodls/gomodls/workspace"
)

// hover answers, as markdown, on the line under the cursor:
//   - go.mod's module line and go.work's go line: what the go command does
//     there and why (explain.Summary, the wording `gomodls explain` prints);
//   - a require line: the version the build selects and who raises it, the
//     workspace modules' requirements, its replacement, vendored version,
//     retraction, deprecation, go line, why it is required and its
//     documentation (explain.RequirementOf);
//   - a replace line: whether it applies, and what it replaces;
//   - a go.work use line: the module there and its go line;
//   - a go.sum or go.work.sum line: which builds need it.
//
// Elsewhere, and for a document the snapshot does not hold, there is no
// hover (null).
func (s *server) hover(_ context.Context, params *protocol.HoverParams) (*protocol.Hover, error) {
	snap, f := s.fileAt(params.TextDocument.URI)
	if f == nil {
		return nil, nil
	}
	offset := f.Offset(int(params.Position.Line), int(params.Position.Character))
	text, sp, ok := hoverText(snap, f, offset)
	if !ok {
		return nil, nil
	}
	rng := toRange(f, sp)
	return &protocol.Hover{
		Contents: protocol.MarkupContent{Kind: protocol.Markdown, Value: text},
		Range:    &rng,
	}, nil
}

// hoverText is the hover's markdown at offset of f, and the span of the
// line it is about.
func hoverText(snap *workspace.Snapshot, f *workspace.File, offset int) (string, workspace.Span, bool) {
	dir := filepath.Dir(f.Path)
	var at *modfile.Line
	within := func(l *modfile.Line) bool {
		if l != nil && offset >= l.Start.Byte && offset <= l.End.Byte {
			at = l
			return true
		}
		return false
	}
	span := func() workspace.Span { return workspace.Span{Start: at.Start.Byte, End: at.End.Byte} }
	switch f.Kind {
	case workspace.KindGoMod:
		m := snap.Module(dir)
		if m == nil || m.Mod == nil {
			return "", workspace.Span{}, false
		}
		if m.Mod.Module != nil && within(m.Mod.Module.Syntax) {
			return explain.Markdown(explain.For(snap, dir)), span(), true
		}
		for _, r := range m.Mod.Require {
			if within(r.Syntax) {
				return explain.RequirementOf(snap, m, r).Markdown(), span(), true
			}
		}
		for _, r := range m.Mod.Replace {
			if within(r.Syntax) {
				return explain.ReplaceLineOf(snap, f, r).Markdown(), span(), true
			}
		}
	case workspace.KindGoWork:
		w := snap.Work(dir)
		if w == nil || w.Work == nil {
			return "", workspace.Span{}, false
		}
		if w.Work.Go != nil && within(w.Work.Go.Syntax) {
			return explain.Markdown(explain.For(snap, dir)), span(), true
		}
		for _, u := range w.Work.Use {
			if within(u.Syntax) {
				return explain.UseLineMarkdown(snap, u.Path, workspace.UseDir(w, u.Path)), span(), true
			}
		}
		for _, r := range w.Work.Replace {
			if within(r.Syntax) {
				return explain.ReplaceLineOf(snap, f, r).Markdown(), span(), true
			}
		}
	case workspace.KindGoSum, workspace.KindGoWorkSum:
		sf := snap.SumAt(f.Path)
		if sf == nil {
			return "", workspace.Span{}, false
		}
		line := int32(f.Point(offset).Line + 1)
		for _, l := range sf.Lines() {
			if l.Line == line {
				return explain.SumLineMarkdown(snap, f.Path, l.Mod), sf.Span(l), true
			}
		}
	}
	return "", workspace.Span{}, false
}
