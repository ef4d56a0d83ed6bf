package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/report"
	"github.com/gomodls/gomodls/workspace"
)

// goldenReport is a report with what the parse checks alone never produce:
// related locations (one outside the checked directory), every severity, an
// internal error, a column after a character outside the BMP, a diagnostic
// outside the checked directory (dropped), and fixes: a text edit, go
// commands (in a subdirectory and in the checked directory) and one with a
// title only.
func goldenReport() *report.Report {
	root := filepath.FromSlash("/ws/repo")
	file := func(rel, content string) *workspace.File {
		return workspace.NewFile(filepath.Join(root, filepath.FromSlash(rel)), []byte(content), 0)
	}
	gomod := file("a/go.mod", "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.2.0 // 🚀 fast\n")
	other := file("b/go.mod", "module example.com/b\n\ngo 1.22\n\nrequire example.com/dep v1.3.0\n")
	outside := file("../go.work", "go 1.22\n\nuse ./repo/a\n")
	sum := file("a/go.sum", "example.com/dep v1.2.0 h1:x=\n")
	span := func(f *workspace.File, line int, text string) workspace.Span {
		ls := f.LineSpan(line)
		start := ls.Start + bytes.Index(f.Content()[ls.Start:ls.End], []byte(text))
		return workspace.Span{Start: start, End: start + len(text)}
	}
	diags := []diagnostics.Diagnostic{
		{Code: diagnostics.CodeInternalError, Severity: diagnostics.SeverityError, Message: "internal error in gomodls check vendor: boom (please report this bug)"},
		{
			Code: "version-skew", Severity: diagnostics.SeverityWarning, File: gomod,
			Span:    span(gomod, 5, "example.com/dep v1.2.0"),
			Message: "example.com/dep is required at v1.2.0 here but the workspace selects v1.3.0",
			Related: []diagnostics.Related{
				{File: other, Span: span(other, 5, "example.com/dep v1.3.0"), Message: "v1.3.0 is required here"},
				{File: outside, Span: span(outside, 3, "./repo/a"), Message: "the workspace that uses this module"},
			},
			Fixes: []diagnostics.Fix{
				{Title: "Run go work sync", Kind: diagnostics.KindQuickFix, Command: &diagnostics.Command{Name: diagnostics.CommandWorkSync, Dir: root}},
				{Title: "Run go mod download example.com/dep", Kind: diagnostics.KindQuickFix,
					Command: &diagnostics.Command{Name: diagnostics.CommandDownload, Dir: filepath.Join(root, "a"), Args: []string{"example.com/dep"}}},
			},
		},
		{Code: "toolchain-note", Severity: diagnostics.SeverityInformation, File: gomod, Span: span(gomod, 5, "fast"), Message: "a column after U+1F680 <information>",
			Fixes: []diagnostics.Fix{{Title: "Run go mod init example.com/a", Kind: diagnostics.KindQuickFix}}},
		{Code: "sum-unused-lines", Severity: diagnostics.SeverityHint, File: sum, Span: span(sum, 1, "example.com/dep v1.2.0 h1:x="), Message: "unused go.sum line",
			Fixes: []diagnostics.Fix{{Title: "Remove unused go.sum line", Kind: diagnostics.KindFixAll, Edits: []diagnostics.Edit{{File: sum, Span: sum.LineSpan(1)}}}}},
		{Code: "gowork-parse-error", Severity: diagnostics.SeverityError, File: outside, Span: span(outside, 1, "go 1.22"), Message: "not in the checked directory"},
	}
	diagnostics.Sort(diags)
	return report.New(root, nil, diags)
}

func TestFormatGolden(t *testing.T) {
	checks := []diagnostics.Check{{Name: "golden", Codes: []string{"version-skew", "sum-unused-lines", "toolchain-note", "gowork-parse-error"}}}
	for _, tc := range []struct {
		golden string
		format formatter
	}{
		{"report.txt", textFormatter{}},
		{"report.json", jsonFormatter{}},
		{"report.sarif", sarifFormatter{version: "v1.2.3", checks: checks}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var got bytes.Buffer
			if err := tc.format.format(&got, goldenReport()); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "format", tc.golden)
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o666); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s output differs from %s (rerun with -update if the change is intended):\n%s", tc.golden, golden, got.Bytes())
			}
		})
	}
}

// TestNewFormatter: one switch picks the format, and anything else is a
// usage error (exit code 2).
func TestNewFormatter(t *testing.T) {
	for _, name := range []string{"text", "json", "sarif"} {
		if _, err := newFormatter(name); err != nil {
			t.Errorf("newFormatter(%q): %v", name, err)
		}
	}
	_, err := newFormatter("xml")
	if code := exitCode(&bytes.Buffer{}, err); code != 2 {
		t.Errorf("newFormatter(\"xml\"): exit code %d, want 2", code)
	}
}
