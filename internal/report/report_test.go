package report

import (
	"path/filepath"
	"testing"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

func TestNewKeepsOnlyFilesInsideRoot(t *testing.T) {
	root := filepath.FromSlash("/ws/repo")
	file := func(path string) *workspace.File {
		return workspace.NewFile(filepath.FromSlash(path), []byte("module example.com/m\n"), 0)
	}
	diags := []diagnostics.Diagnostic{
		{Code: "a", Severity: diagnostics.SeverityWarning, File: file("/ws/repo/go.mod")},
		{Code: "b", Severity: diagnostics.SeverityError, File: file("/ws/repo/sub/go.mod")},
		{Code: "c", Severity: diagnostics.SeverityError, File: file("/ws/repo2/go.mod")}, // a sibling sharing the prefix
		{Code: "d", Severity: diagnostics.SeverityError, File: file("/ws/go.mod")},
		{Code: "e", Severity: diagnostics.SeverityHint}, // no file: kept
	}
	r := New(root, nil, diags)
	var got []string
	for _, d := range r.Diagnostics {
		got = append(got, d.Code+":"+d.File)
	}
	want := []string{"e:", "a:go.mod", "b:sub/go.mod"}
	if len(got) != len(want) {
		t.Fatalf("New kept %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("New kept %v, want %v", got, want)
		}
	}
	for _, tc := range []struct {
		min  diagnostics.Severity
		want int
	}{
		{diagnostics.SeverityError, 1},
		{diagnostics.SeverityWarning, 2},
		{diagnostics.SeverityHint, 3},
	} {
		if n := r.CountAtLeast(tc.min); n != tc.want {
			t.Errorf("CountAtLeast(%v) = %d, want %d", tc.min, n, tc.want)
		}
	}
}

func TestNewCleanReportHasEmptyList(t *testing.T) {
	r := New(filepath.FromSlash("/ws"), nil, nil)
	if r.Diagnostics == nil || len(r.Diagnostics) != 0 || r.Version != 1 {
		t.Errorf("New(nil) = %+v, want version 1 and an empty, non-nil list", r)
	}
}
