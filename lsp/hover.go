package lsp

import (
	"context"
	"path/filepath"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/explain"
	"github.com/gomodls/gomodls/workspace"
)

// hover answers on the module line of a go.mod and on the go line of a
// go.work with what the go command does there and why (explain.Summary,
// the wording `gomodls explain` prints), as markdown. Elsewhere, and for a
// document the snapshot does not hold, there is no hover (null).
func (s *server) hover(_ context.Context, params *protocol.HoverParams) (*protocol.Hover, error) {
	path, err := pathFromURI(params.TextDocument.URI)
	session := s.currentSession()
	if err != nil || session == nil {
		return nil, nil
	}
	snap := session.Snapshot()
	f := snap.File(path)
	if f == nil {
		return nil, nil
	}
	offset := f.Offset(int(params.Position.Line), int(params.Position.Character))
	line, ok := explainedLine(snap, f)
	if !ok || offset < line.Start || offset > line.End {
		return nil, nil
	}
	e := explain.For(snap, filepath.Dir(path))
	rng := toRange(f, line)
	return &protocol.Hover{
		Contents: protocol.MarkupContent{Kind: protocol.Markdown, Value: explain.Markdown(e)},
		Range:    &rng,
	}, nil
}

// explainedLine is the span of the line that carries the explanation in
// f: go.mod's module line, go.work's go line.
func explainedLine(snap *workspace.Snapshot, f *workspace.File) (workspace.Span, bool) {
	dir := filepath.Dir(f.Path)
	switch f.Kind {
	case workspace.KindGoMod:
		if m := snap.Module(dir); m != nil && m.Mod != nil && m.Mod.Module != nil {
			l := m.Mod.Module.Syntax
			return workspace.Span{Start: l.Start.Byte, End: l.End.Byte}, true
		}
	case workspace.KindGoWork:
		if w := snap.Work(dir); w != nil && w.Work != nil && w.Work.Go != nil {
			l := w.Work.Go.Syntax
			return workspace.Span{Start: l.Start.Byte, End: l.End.Byte}, true
		}
	}
	return workspace.Span{}, false
}
