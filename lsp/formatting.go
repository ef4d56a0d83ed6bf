package lsp

import (
	"context"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// formatting answers textDocument/formatting for a go.mod or go.work with
// the edits that make it `go mod edit -fmt`'s output (diagnostics.Format).
// The options (tab size, spaces) do not apply: go.mod's format has one
// form. A file that does not parse gets no edits rather than an error, so
// that format-on-save stays quiet while the parse error's diagnostic says
// what is wrong; other documents get none either.
func (s *server) formatting(_ context.Context, params *protocol.DocumentFormattingParams) ([]protocol.TextEdit, error) {
	_, f := s.fileAt(params.TextDocument.URI)
	if f == nil || (f.Kind != workspace.KindGoMod && f.Kind != workspace.KindGoWork) {
		return []protocol.TextEdit{}, nil
	}
	edits, err := diagnostics.Format(f)
	if err != nil {
		s.log.Debug("not formatting", zap.String("file", f.Path), zap.Error(err))
		return []protocol.TextEdit{}, nil
	}
	out := make([]protocol.TextEdit, 0, len(edits))
	for _, e := range edits {
		out = append(out, protocol.TextEdit{Range: toRange(f, e.Span), NewText: e.NewText})
	}
	return out, nil
}

// fileAt returns the current snapshot and its file that a request's URI
// names; the file is nil when there is no session yet, the URI is not a
// file URI, or the snapshot does not hold the file.
func (s *server) fileAt(uri protocol.DocumentURI) (*workspace.Snapshot, *workspace.File) {
	path, err := pathFromURI(uri)
	session := s.currentSession()
	if err != nil || session == nil {
		return nil, nil
	}
	snap := session.Snapshot()
	return snap, snap.File(path)
}
