package diagnostics

import (
	"testing"

	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/workspace"
)

// apply applies edits (non-overlapping, any order) to content.
func apply(content []byte, edits []Edit) string {
	out := string(content)
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		out = out[:e.Span.Start] + e.NewText + out[e.Span.End:]
	}
	return out
}

func TestContentEdits(t *testing.T) {
	for _, tc := range []struct{ old, next string }{
		{"", ""},
		{"abc", "abc"},
		{"abc", "abXc"},
		{"abc", "ac"},
		{"use ./a\n", "use (\n\t./a\n\t./b\n)\n"},
		{"aaaa", "aa"},
		{"x", ""},
		{"", "y"},
	} {
		f := workspace.NewFile("/w/go.work", []byte(tc.old), 0)
		edits := contentEdits(f, []byte(tc.next))
		if got := apply(f.Content, edits); got != tc.next {
			t.Errorf("contentEdits(%q, %q) applied = %q", tc.old, tc.next, got)
		}
		if tc.old == tc.next && len(edits) != 0 {
			t.Errorf("contentEdits(%q, same) = %v, want none", tc.old, edits)
		}
		if len(edits) > 1 {
			t.Errorf("contentEdits(%q, %q) = %d edits, want at most one", tc.old, tc.next, len(edits))
		}
	}
}

func TestEditWorkKeepsComments(t *testing.T) {
	content := "// the workspace\ngo 1.22\n\nuse (\n\t./a // the app\n\t./gone\n)\n"
	f := workspace.NewFile("/w/go.work", []byte(content), 0)
	wf, err := modfile.ParseWork(f.Path, f.Content, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := &workspace.Work{Dir: "/w", File: f, Work: wf}
	edits, err := editWork(w, func(wf *modfile.WorkFile) error {
		if err := wf.DropUse("./gone"); err != nil {
			return err
		}
		return wf.AddUse("./b", "")
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "// the workspace\ngo 1.22\n\nuse (\n\t./a // the app\n\t./b\n)\n"
	if got := apply(f.Content, edits); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if len(wf.Use) != 2 || wf.Use[1].Path != "./gone" {
		t.Error("editWork modified the snapshot's parse")
	}
}
