package lsp

import (
	"context"
	"maps"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/codeactions"
	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// codeAction answers from the current snapshot's diagnostics: package
// codeactions chooses the actions, this converts them. A document the
// snapshot does not hold (outside every folder and not open, or not a
// module file) gets an empty list.
func (s *server) codeAction(_ context.Context, params *protocol.CodeActionParams) ([]protocol.CodeAction, error) {
	actions := []protocol.CodeAction{}
	path, err := pathFromURI(params.TextDocument.URI)
	session := s.currentSession()
	if err != nil || session == nil {
		return actions, nil
	}
	snap := session.Snapshot()
	f := snap.File(path)
	if f == nil {
		return actions, nil
	}
	req := codeactions.Request{File: f, Span: fromRange(f, params.Range)}
	for _, d := range params.Context.Diagnostics {
		if code, ok := d.Code.(string); ok {
			req.Diagnostics = append(req.Diagnostics, codeactions.Ref{Code: code, Span: fromRange(f, d.Range)})
		}
	}
	for _, k := range params.Context.Only {
		req.Only = append(req.Only, diagnostics.FixKind(k))
	}

	commandsAllowed := s.commandsRefusal() == ""
	s.mu.Lock()
	caps := s.caps
	open := maps.Clone(s.open)
	s.mu.Unlock()
	uriOf := func(path string) protocol.DocumentURI {
		if uri, ok := open[path]; ok {
			return uri
		}
		return uriFromPath(path)
	}
	diags, _ := s.diagnoser.diagnosticsFor(context.Background(), snap)
	for _, a := range codeactions.For(snap, diags, req) {
		if a.Command != nil && !commandsAllowed && !readOnlyCommands[a.Command.Name] {
			// It would run go (see settings): not offered at all,
			// rather than offered and refused.
			continue
		}
		if a.Command != nil && s.commandOutsideFolders(snap, a.Command) != "" {
			// executeCommand would refuse it (confinement.go): a
			// module reached through a link out of the folders.
			continue
		}
		ca := protocol.CodeAction{
			Title:       a.Title,
			Kind:        protocol.CodeActionKind(a.Kind),
			IsPreferred: a.Preferred,
		}
		for _, d := range a.Diagnostics {
			ca.Diagnostics = append(ca.Diagnostics, toProtocolDiagnostic(d, caps, uriOf))
		}
		if len(a.Edits) > 0 {
			ca.Edit = toWorkspaceEdit(a.Edits, caps, uriOf, func(f *workspace.File) bool { _, ok := open[f.Path]; return ok })
		}
		if c := a.Command; c != nil {
			ca.Command = toCommand(c, a.Title)
		}
		actions = append(actions, ca)
	}
	return actions, nil
}

// toWorkspaceEdit converts edits, grouped by file in their order, into
// versioned documentChanges when the client supports them (null version for
// a file not open in the editor: its disk content is what the edit was
// computed on) and plain changes otherwise.
func toWorkspaceEdit(edits []diagnostics.Edit, caps clientCapabilities, uriOf func(string) protocol.DocumentURI, isOpen func(*workspace.File) bool) *protocol.WorkspaceEdit {
	var order []*workspace.File
	byFile := make(map[*workspace.File][]protocol.TextEdit)
	for _, e := range edits {
		if _, ok := byFile[e.File]; !ok {
			order = append(order, e.File)
		}
		byFile[e.File] = append(byFile[e.File], protocol.TextEdit{Range: toRange(e.File, e.Span), NewText: e.NewText})
	}
	we := &protocol.WorkspaceEdit{}
	for _, f := range order {
		uri := uriOf(f.Path)
		if !caps.documentChanges {
			if we.Changes == nil {
				we.Changes = make(map[protocol.DocumentURI][]protocol.TextEdit)
			}
			we.Changes[uri] = append(we.Changes[uri], byFile[f]...)
			continue
		}
		id := protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri}}
		// An open buffer may legitimately be at version 0 (Neovim starts
		// there), so "open" decides, not the version's value.
		if f.Version > 0 || isOpen(f) {
			v := f.Version
			id.Version = &v
		}
		we.DocumentChanges = append(we.DocumentChanges, protocol.TextDocumentEdit{TextDocument: id, Edits: byFile[f]})
	}
	return we
}
