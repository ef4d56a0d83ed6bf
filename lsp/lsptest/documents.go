package lsptest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/workspace"
)

// buffer is an open document.
type buffer struct {
	uri     protocol.DocumentURI
	version int32
	text    string
}

// replace sets the buffer's text, as the editor does on an edit, and returns
// the didChange notification that tells the server. The caller holds c.mu.
func (b *buffer) replace(text string) *fullChange {
	b.version++
	b.text = text
	return &fullChange{&protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: b.uri}, Version: b.version},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{{Text: text}},
	}}
}

// Open opens rel in the editor with its disk content, at version 1.
func (c *Client) Open(rel string) {
	c.t.Helper()
	c.OpenText(rel, c.ReadFile(rel))
}

// OpenText opens rel in the editor with text, at version 1; rel need not
// exist on disk.
func (c *Client) OpenText(rel, text string) {
	c.t.Helper()
	path := c.Path(rel)
	b := &buffer{uri: c.URI(rel), version: 1, text: text}
	c.mu.Lock()
	c.buffers[path] = b
	c.mu.Unlock()
	c.Notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: b.uri, LanguageID: protocol.LanguageIdentifier(languageID(path)), Version: b.version, Text: text,
	}})
}

// languageID is the language id VS Code's Go extension gives path.
func languageID(path string) string {
	switch workspace.KindOf(path) {
	case workspace.KindGoMod:
		return "go.mod"
	case workspace.KindGoWork:
		return "go.work"
	case workspace.KindGoSum, workspace.KindGoWorkSum:
		return "go.sum"
	}
	return "plaintext"
}

// Change replaces the text of the open buffer rel (a full-content change)
// and bumps its version.
func (c *Client) Change(rel, text string) {
	c.t.Helper()
	c.mu.Lock()
	b := c.buffers[c.Path(rel)]
	if b == nil {
		c.mu.Unlock()
		c.t.Fatalf("Change(%s): not open", rel)
		return
	}
	change := b.replace(text)
	c.mu.Unlock()
	c.Notify(protocol.MethodTextDocumentDidChange, change)
}

// fullChange sends a DidChangeTextDocumentParams without a range in its
// change, which protocol.TextDocumentContentChangeEvent cannot omit.
type fullChange struct {
	*protocol.DidChangeTextDocumentParams
}

func (f *fullChange) MarshalJSON() ([]byte, error) {
	changes := make([]map[string]string, len(f.ContentChanges))
	for i, ch := range f.ContentChanges {
		changes[i] = map[string]string{"text": ch.Text}
	}
	return json.Marshal(map[string]any{"textDocument": f.TextDocument, "contentChanges": changes})
}

// Buffer returns the text of the open buffer rel.
func (c *Client) Buffer(rel string) string {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.buffers[c.Path(rel)]
	if b == nil {
		c.t.Fatalf("Buffer(%s): not open", rel)
		return ""
	}
	return b.text
}

// Save writes the open buffer rel to disk and sends didSave.
func (c *Client) Save(rel string) {
	c.t.Helper()
	c.WriteFile(rel, c.Buffer(rel))
	c.Notify(protocol.MethodTextDocumentDidSave, &protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: c.URI(rel)}})
}

// Close closes the buffer rel without saving it.
func (c *Client) Close(rel string) {
	c.t.Helper()
	c.mu.Lock()
	delete(c.buffers, c.Path(rel))
	c.mu.Unlock()
	c.Notify(protocol.MethodTextDocumentDidClose, &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: c.URI(rel)}})
}

// CodeActions asks for the code actions at rng of rel, sending as context
// the published diagnostics that touch rng, as editors do.
func (c *Client) CodeActions(rel string, rng protocol.Range, only ...protocol.CodeActionKind) []protocol.CodeAction {
	c.t.Helper()
	params := &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: c.URI(rel)},
		Range:        rng,
		Context:      protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{}, Only: only},
	}
	if p, ok := c.LastPublish(rel); ok {
		for _, d := range p.Params.Diagnostics {
			if !before(d.Range.End, rng.Start) && !before(rng.End, d.Range.Start) {
				params.Context.Diagnostics = append(params.Context.Diagnostics, d)
			}
		}
	}
	var actions []protocol.CodeAction
	if err := c.Call(protocol.MethodTextDocumentCodeAction, params, &actions); err != nil {
		c.t.Fatalf("codeAction %s: %v", rel, err)
	}
	return actions
}

func before(a, b protocol.Position) bool {
	return a.Line < b.Line || (a.Line == b.Line && a.Character < b.Character)
}

// ApplyEdit applies edit as an editor does: to the open buffer of a file
// (sending didChange) or else to the file on disk.
func (c *Client) ApplyEdit(edit *protocol.WorkspaceEdit) {
	c.t.Helper()
	if err := c.applyEdit(edit); err != nil {
		c.t.Fatalf("applying edit: %v", err)
	}
}

// ExecuteCommand runs cmd on the server and returns its raw result.
func (c *Client) ExecuteCommand(cmd *protocol.Command) (json.RawMessage, error) {
	var result json.RawMessage
	err := c.Call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: cmd.Command, Arguments: cmd.Arguments}, &result)
	return result, err
}

// applyEdit applies edit to open buffers (sending didChange) or to disk.
// It may run on the reader goroutine: it must not call c.t.
func (c *Client) applyEdit(edit *protocol.WorkspaceEdit) error {
	type fileEdits struct {
		uri     protocol.DocumentURI
		version *int32
		edits   []protocol.TextEdit
	}
	var all []fileEdits
	for _, dc := range edit.DocumentChanges {
		all = append(all, fileEdits{dc.TextDocument.URI, dc.TextDocument.Version, dc.Edits})
	}
	for _, uri := range slices.Sorted(maps.Keys(edit.Changes)) {
		all = append(all, fileEdits{uri, nil, edit.Changes[uri]})
	}
	for _, fe := range all {
		path, err := pathOf(fe.uri)
		if err != nil {
			return err
		}
		c.mu.Lock()
		b := c.buffers[path]
		c.mu.Unlock()
		if b != nil {
			if fe.version != nil && *fe.version != b.version {
				return fmt.Errorf("%s: edit for version %d, buffer is at %d", path, *fe.version, b.version)
			}
			text, err := applyTextEdits(b.text, fe.edits)
			if err != nil {
				return fmt.Errorf("%s: %v", path, err)
			}
			c.mu.Lock()
			change := b.replace(text)
			c.mu.Unlock()
			if err := c.conn.Notify(context.Background(), protocol.MethodTextDocumentDidChange, change); err != nil {
				return err
			}
			continue
		}
		if fe.version != nil {
			return fmt.Errorf("%s: versioned edit (version %d) for a file that is not open", path, *fe.version)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text, err := applyTextEdits(string(data), fe.edits)
		if err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
		if err := os.WriteFile(path, []byte(text), 0o666); err != nil {
			return err
		}
	}
	return nil
}

// applyTextEdits applies LSP text edits (non-overlapping; ranges in the
// original text, UTF-16 columns) to text.
func applyTextEdits(text string, edits []protocol.TextEdit) (string, error) {
	f := workspace.NewFile("", []byte(text), 0)
	type span struct {
		start, end int
		newText    string
	}
	spans := make([]span, len(edits))
	for i, e := range edits {
		spans[i] = span{
			f.Offset(int(e.Range.Start.Line), int(e.Range.Start.Character)),
			f.Offset(int(e.Range.End.Line), int(e.Range.End.Character)),
			e.NewText,
		}
	}
	slices.SortStableFunc(spans, func(a, b span) int { return a.start - b.start })
	var out strings.Builder
	last := 0
	for _, s := range spans {
		if s.start < last || s.end < s.start {
			return "", errors.New("overlapping or inverted edits")
		}
		out.WriteString(text[last:s.start])
		out.WriteString(s.newText)
		last = s.end
	}
	out.WriteString(text[last:])
	return out.String(), nil
}
