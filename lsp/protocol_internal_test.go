package lsp

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/workspace"
)

func TestURIRoundTrip(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix paths")
	}
	for _, path := range []string{"/w/go.mod", "/with space/go.mod", "/ünï/cøde/go.work", "/a#b/c?d/go.sum", "/50%/go.mod"} {
		uri := uriFromPath(path)
		got, err := pathFromURI(uri)
		if err != nil || got != filepath.Clean(path) {
			t.Errorf("pathFromURI(uriFromPath(%q) = %q) = %q, %v", path, uri, got, err)
		}
	}
	if got, err := pathFromURI("file://localhost/w/go.mod"); err != nil || got != "/w/go.mod" {
		t.Errorf("localhost URI: %q, %v", got, err)
	}
	for _, bad := range []protocol.DocumentURI{"untitled:Untitled-1", "file://server/share/go.mod", "file:go.mod", "%zz"} {
		if got, err := pathFromURI(bad); err == nil {
			t.Errorf("pathFromURI(%q) = %q, want an error", bad, got)
		}
	}
}

func TestRangesAreUTF16(t *testing.T) {
	f := workspace.NewFile("/w/go.mod", []byte("// 𝄞é\nmodule x\n"), 0)
	// "𝄞" is 4 bytes and 2 UTF-16 units, "é" 2 bytes and 1 unit.
	r := toRange(f, workspace.Span{Start: 3, End: 9})
	want := protocol.Range{Start: protocol.Position{Line: 0, Character: 3}, End: protocol.Position{Line: 0, Character: 6}}
	if r != want {
		t.Errorf("toRange = %+v, want %+v", r, want)
	}
	if sp := fromRange(f, want); sp != (workspace.Span{Start: 3, End: 9}) {
		t.Errorf("fromRange = %+v", sp)
	}
	// Past the end of a line clamps to it; reversed ranges are put right.
	rev := protocol.Range{Start: protocol.Position{Line: 1, Character: 99}, End: protocol.Position{Line: 1, Character: 0}}
	if sp := fromRange(f, rev); sp != (workspace.Span{Start: 10, End: 18}) {
		t.Errorf("fromRange(reversed, past the end) = %+v", sp)
	}
}

func TestApplyChanges(t *testing.T) {
	f := workspace.NewFile("/w/go.mod", []byte("module a\n"), 1)
	rng := func(l1, c1, l2, c2 uint32) *protocol.Range {
		return &protocol.Range{Start: protocol.Position{Line: l1, Character: c1}, End: protocol.Position{Line: l2, Character: c2}}
	}
	tests := []struct {
		name    string
		changes []contentChange
		want    string
	}{
		{"full", []contentChange{{Text: "module b\n"}}, "module b\n"},
		{"last full wins", []contentChange{{Text: "module b\n"}, {Text: "module c\n"}}, "module c\n"},
		{"ranged after full", []contentChange{{Text: "module b\n"}, {Range: rng(0, 7, 0, 8), Text: "bee"}}, "module bee\n"},
		{"ranged only", []contentChange{{Range: rng(1, 0, 1, 0), Text: "go 1.22\n"}}, "module a\ngo 1.22\n"},
	}
	for _, tt := range tests {
		got, err := applyChanges(f, tt.changes)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	if string(f.Content()) != "module a\n" {
		t.Errorf("applyChanges modified the snapshot's content: %q", f.Content())
	}
	if _, err := applyChanges(nil, []contentChange{{Range: rng(0, 0, 0, 0), Text: "x"}}); err == nil {
		t.Error("ranged change without content: no error")
	}
}

// Folders come from workspaceFolders, else rootUri, else rootPath.
func TestInitialFolders(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix paths")
	}
	s, _, _ := testServer(t)
	tests := []struct {
		name   string
		params initializeParams
		want   []string
	}{
		{"workspaceFolders", initializeParams{
			WorkspaceFolders: []protocol.WorkspaceFolder{{URI: "file:///a"}, {URI: "file:///b"}, {URI: "file:///a"}, {URI: "untitled:x"}},
			RootURI:          "file:///ignored",
		}, []string{"/a", "/b"}},
		{"rootUri", initializeParams{RootURI: "file:///r", RootPath: "/ignored"}, []string{"/r"}},
		{"rootPath", initializeParams{RootPath: "/p"}, []string{"/p"}},
		{"none", initializeParams{}, nil},
	}
	for _, tt := range tests {
		if got := s.initialFolders(&tt.params); !slices.Equal(got, tt.want) {
			t.Errorf("%s: folders = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// Capabilities of an unexpected shape read as unsupported, and do not fail
// initialize.
func TestParseCapabilities(t *testing.T) {
	caps := parseCapabilities([]byte(`{
		"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}, "workspaceEdit": true},
		"textDocument": {"publishDiagnostics": {"relatedInformation": "yes", "codeDescriptionSupport": true}},
		"window": null}`))
	want := clientCapabilities{dynamicWatchers: true, codeDescription: true}
	if caps != want {
		t.Errorf("caps = %+v, want %+v", caps, want)
	}
	if caps := parseCapabilities([]byte(`[1]`)); caps != (clientCapabilities{}) {
		t.Errorf("caps of an array = %+v", caps)
	}
}

// A publish whose diagnostics exceed maxPublishBytes keeps those that fit
// and ends with one that says how many were left out.
func TestLimitPublish(t *testing.T) {
	long := strings.Repeat("x", 4000)
	var diags []protocol.Diagnostic
	for i := range 3000 {
		sev := protocol.DiagnosticSeverityHint
		if i == 2999 {
			sev = protocol.DiagnosticSeverityError
		}
		diags = append(diags, protocol.Diagnostic{Severity: sev, Code: "c", Message: long})
	}
	got := limitPublish(slices.Clone(diags), maxPublishBytes)
	data, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > maxPublishBytes {
		t.Errorf("%d bytes, want at most %d", len(data), maxPublishBytes)
	}
	last := got[len(got)-1]
	if want := fmt.Sprintf("and %d more diagnostics in this file", 3000-len(got)+1); !strings.HasPrefix(last.Message, want) || last.Severity != protocol.DiagnosticSeverityError {
		t.Errorf("last = %q (severity %v), want %q… as an error", last.Message, last.Severity, want)
	}
	if got := limitPublish(diags[:10], maxPublishBytes); len(got) != 10 {
		t.Errorf("10 small diagnostics became %d", len(got))
	}
}
