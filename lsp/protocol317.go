package lsp

import (
	"encoding/json"

	"go.lsp.dev/protocol"
)

// go.lsp.dev/protocol models LSP 3.16. The few 3.17 types the server
// uses — inlay hints and pull diagnostics — are defined here, with the
// JSON names of the specification, and the capabilities that announce
// them ride beside protocol.ServerCapabilities.

// The 3.17 methods.
const (
	methodTextDocumentInlayHint  = "textDocument/inlayHint"
	methodTextDocumentDiagnostic = "textDocument/diagnostic"
	methodDiagnosticRefresh      = "workspace/diagnostic/refresh"
	methodInlayHintRefresh       = "workspace/inlayHint/refresh"
)

// serverCapabilities is protocol.ServerCapabilities with the 3.17
// providers.
type serverCapabilities struct {
	protocol.ServerCapabilities
	InlayHintProvider  bool               `json:"inlayHintProvider,omitempty"`
	DiagnosticProvider *diagnosticOptions `json:"diagnosticProvider,omitempty"`
}

// initializeResult is protocol.InitializeResult with serverCapabilities.
type initializeResult struct {
	Capabilities serverCapabilities   `json:"capabilities"`
	ServerInfo   *protocol.ServerInfo `json:"serverInfo,omitempty"`
}

// inlayHintParams are textDocument/inlayHint's params.
type inlayHintParams struct {
	TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
	Range        protocol.Range                  `json:"range"`
}

// inlayHint is one InlayHint with a plain label.
type inlayHint struct {
	Position    protocol.Position `json:"position"`
	Label       string            `json:"label"`
	Kind        int               `json:"kind,omitempty"` // 1 Type, 2 Parameter
	Tooltip     string            `json:"tooltip,omitempty"`
	PaddingLeft bool              `json:"paddingLeft,omitempty"`
}

// diagnosticOptions announce textDocument/diagnostic.
type diagnosticOptions struct {
	// InterFileDependencies: a change to one module file changes other
	// files' diagnostics (a go.mod edit, the go.work's).
	InterFileDependencies bool `json:"interFileDependencies"`
	WorkspaceDiagnostics  bool `json:"workspaceDiagnostics"`
}

// documentDiagnosticParams are textDocument/diagnostic's params.
type documentDiagnosticParams struct {
	TextDocument     protocol.TextDocumentIdentifier `json:"textDocument"`
	PreviousResultID string                          `json:"previousResultId,omitempty"`
}

// documentDiagnosticReport is a full or an unchanged report. A full one
// always has items, [] when there are none (clients take its length); an
// unchanged one has none.
type documentDiagnosticReport struct {
	Kind     string                `json:"kind"` // "full" or "unchanged"
	ResultID string                `json:"resultId,omitempty"`
	Items    []protocol.Diagnostic `json:"items"`
}

func (r documentDiagnosticReport) MarshalJSON() ([]byte, error) {
	type report documentDiagnosticReport // without the method
	if r.Kind == "unchanged" {
		return json.Marshal(struct {
			Kind     string `json:"kind"`
			ResultID string `json:"resultId"`
		}{r.Kind, r.ResultID})
	}
	if r.Items == nil {
		r.Items = []protocol.Diagnostic{}
	}
	return json.Marshal(report(r))
}
