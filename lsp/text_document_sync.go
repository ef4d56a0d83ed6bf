package lsp

import (
	"context"
	"errors"
	"slices"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/gomodls/gomodls/workspace"
)

// moduleFilePath returns the path of a document the server tracks: a file
// URI naming one of the module file kinds. Clients send other documents
// too (every language, untitled buffers); those are ignored.
func (s *server) moduleFilePath(uri protocol.DocumentURI) (string, bool) {
	path, err := pathFromURI(uri)
	if err != nil {
		s.log.Debug("ignoring document", zap.Error(err))
		return "", false
	}
	if workspace.KindOf(path) == workspace.KindUnknown {
		s.log.Debug("ignoring document that is no module file", zap.String("path", path))
		return "", false
	}
	return path, true
}

// didOpen makes the buffer's content override the disk's.
func (s *server) didOpen(_ context.Context, params *protocol.DidOpenTextDocumentParams) {
	doc := params.TextDocument
	path, ok := s.moduleFilePath(doc.URI)
	if !ok {
		return
	}
	session := s.ensureSession()
	s.mu.Lock()
	s.open[path] = doc.URI
	s.mu.Unlock()
	s.diagnoser.schedule(session.Open(path, []byte(doc.Text), doc.Version))
}

// didChangeParams is DidChangeTextDocumentParams with each change's range
// optional: protocol.TextDocumentContentChangeEvent cannot tell a full
// replacement (no range) from an insertion at 0:0.
type didChangeParams struct {
	TextDocument   protocol.VersionedTextDocumentIdentifier `json:"textDocument"`
	ContentChanges []contentChange                          `json:"contentChanges"`
}

type contentChange struct {
	Range *protocol.Range `json:"range"`
	Text  string          `json:"text"`
}

// openPath is moduleFilePath for a notification that only applies to an
// open document: for any other it logs and reports false. A didChange for a
// document never opened must not create a buffer, since only didClose drops
// one and none will come: the disk would stay hidden behind it for good.
func (s *server) openPath(method string, uri protocol.DocumentURI) (string, *workspace.Session, bool) {
	path, ok := s.moduleFilePath(uri)
	if !ok {
		return "", nil, false
	}
	session := s.ensureSession()
	if !session.IsOpen(path) {
		s.log.Warn("ignoring notification for a document that is not open", zap.String("method", method), zap.String("path", path))
		return "", nil, false
	}
	return path, session, true
}

// didChange replaces the buffer's content. The server asks for full
// syncing, so the last change without a range is the new content; ranged
// changes after it (from a client that sends them anyway) are applied to it.
// Notifications are handled one at a time, so the document cannot close
// between openPath and Change.
func (s *server) didChange(_ context.Context, params *didChangeParams) {
	path, session, ok := s.openPath(protocol.MethodTextDocumentDidChange, params.TextDocument.URI)
	if !ok {
		return
	}
	content, err := applyChanges(session.Snapshot().File(path), params.ContentChanges)
	if err != nil {
		s.log.Error("cannot apply change", zap.String("path", path), zap.Error(err))
		return
	}
	s.diagnoser.schedule(session.Change(path, content, params.TextDocument.Version))
}

// applyChanges returns the content of a document after changes. f is the
// document's current content, nil if the server holds none.
func applyChanges(f *workspace.File, changes []contentChange) ([]byte, error) {
	first := 0
	for i, c := range changes {
		if c.Range == nil {
			first = i
		}
	}
	var content []byte
	switch {
	case len(changes) == 0:
		return nil, errors.New("no content changes")
	case changes[first].Range == nil:
		content = []byte(changes[first].Text)
		first++
	case f == nil:
		return nil, errors.New("ranged change to a document the server does not hold")
	default:
		content = f.Content()
	}
	for _, c := range changes[first:] {
		sp := fromRange(workspace.NewFile("", content, 0), *c.Range)
		content = slices.Concat(content[:sp.Start:sp.Start], []byte(c.Text), content[sp.End:])
	}
	return content, nil
}

// didClose drops the buffer: the file's disk content applies again.
func (s *server) didClose(_ context.Context, params *protocol.DidCloseTextDocumentParams) {
	path, session, ok := s.openPath(protocol.MethodTextDocumentDidClose, params.TextDocument.URI)
	if !ok {
		return
	}
	s.mu.Lock()
	delete(s.open, path)
	s.mu.Unlock()
	s.diagnoser.schedule(session.Close(path))
}

// didSave re-reads the saved file from disk. The buffer still wins while it
// is open; this keeps the session's disk copy current for clients whose file
// watchers miss the write, and re-reads the modules a saved go.work uses.
// Only an open document is saved, so a didSave for another one is ignored.
func (s *server) didSave(_ context.Context, params *protocol.DidSaveTextDocumentParams) {
	path, session, ok := s.openPath(protocol.MethodTextDocumentDidSave, params.TextDocument.URI)
	if !ok {
		return
	}
	s.diagnoser.schedule(session.DiskChanged([]string{path}))
}
