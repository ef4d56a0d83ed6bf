package lsp

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"strconv"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/gomodls/gomodls/diagnostics"
)

// Pull diagnostics (LSP 3.17's textDocument/diagnostic), for the clients
// that ask for them (VS Code, Neovim 0.10+, Helix, Zed). A client that
// pulls gets an open document's diagnostics only by pulling: publishing
// them too would show each one twice (clients keep the two apart). Files
// that are not open are still published, and when a change elsewhere (a
// disk change, another buffer) changes an open document's diagnostics the
// server asks the client to pull again (workspace/diagnostic/refresh).
// A client that cannot be asked to refresh is only published to.

// codeServerCancelled is LSP 3.17's ServerCancelled: a newer change made
// the answer moot; the client asks again.
const codeServerCancelled jsonrpc2.Code = -32802

// diagnosticProvider is the capability announced to a client with caps;
// nil (none) for a client that does not pull.
func diagnosticProvider(caps clientCapabilities) *diagnosticOptions {
	if !caps.pullDiagnostics {
		return nil
	}
	return &diagnosticOptions{InterFileDependencies: true}
}

// documentDiagnostic answers textDocument/diagnostic with the diagnostics
// of the document in the current snapshot, from a run of the checks
// focused on it (the whole run's for that file). Its resultId is a hash
// of what it holds, so that a pull that would change nothing is answered
// "unchanged".
func (s *server) documentDiagnostic(ctx context.Context, params *documentDiagnosticParams) (*documentDiagnosticReport, error) {
	report := &documentDiagnosticReport{Kind: "full", Items: []protocol.Diagnostic{}}
	snap, f := s.fileAt(params.TextDocument.URI)
	if f == nil {
		return report, nil
	}
	diags, ok := s.diagnoser.run(ctx, snap, diagnostics.FocusOn(f.Path))
	if !ok {
		return nil, jsonrpc2.NewError(codeServerCancelled, "a newer change superseded this request")
	}
	s.mu.Lock()
	caps := s.caps
	open := s.open
	uriOf := func(path string) protocol.DocumentURI {
		if uri, ok := open[path]; ok {
			return uri
		}
		return uriFromPath(path)
	}
	for _, dg := range diags {
		if dg.File != nil && dg.File.Path == f.Path {
			report.Items = append(report.Items, toProtocolDiagnostic(dg, caps, uriOf))
		}
	}
	s.mu.Unlock()
	s.diagnoser.pulled(f.Path, f.Version)
	report.Items = limitPublish(report.Items, maxPublishBytes)
	report.ResultID = resultID(report.Items)
	if params.PreviousResultID == report.ResultID {
		return &documentDiagnosticReport{Kind: "unchanged", ResultID: report.ResultID}, nil
	}
	return report, nil
}

// resultID names a list of diagnostics by its content.
func resultID(items []protocol.Diagnostic) string {
	h := fnv.New64a()
	_ = json.NewEncoder(h).Encode(items)
	return strconv.FormatUint(h.Sum64(), 36)
}

// refreshDiagnostics asks a pulling client to pull its open documents'
// diagnostics again.
func (s *server) refreshDiagnostics() { s.askRefresh(methodDiagnosticRefresh) }

// askRefresh sends one of LSP 3.17's refresh requests (method, without
// params), which ask the client to request what they name again. It waits
// for the answer, so it runs off the reader.
func (s *server) askRefresh(method string) {
	s.goBackground("sending "+method, func() {
		if _, err := s.conn.Call(s.ctx, method, nil, nil); err != nil && s.ctx.Err() == nil {
			s.log.Debug(method, zap.Error(err))
		}
	})
}
