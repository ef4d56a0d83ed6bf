package diagnostics

import (
	"reflect"
	"testing"

	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/workspace"
)

func TestLineHunks(t *testing.T) {
	for _, tc := range []struct {
		old, next string
		hunks     int
	}{
		{"a\nb\n", "a\nb\n", 0},
		{"go 1.21\n\nuse ./a\n", "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n", 2},
		{"go 1.21\n\nuse (\n\t./a\n)\n", "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n", 2},
		{"x\na\na\ny\n", "x\na\ny\n", 1},
		{"a", "a\nb\n", 1},
		{"", "go 1.22\n", 1},
		{"go 1.22\n", "", 1},
		{"abc\n", "abXc\n", 1},
		{"no newline", "no newline\nadded\n", 1},
		{"", "", 0},
	} {
		f := workspace.NewFile("/w/go.work", []byte(tc.old), 0)
		edits := lineHunks(f, []byte(tc.next))
		if got := apply(f.Content(), edits); got != tc.next {
			t.Errorf("lineHunks(%q, %q) applied = %q", tc.old, tc.next, got)
		}
		if len(edits) != tc.hunks {
			t.Errorf("lineHunks(%q, %q) = %d hunks, want %d: %+v", tc.old, tc.next, len(edits), tc.hunks, edits)
		}
		for _, e := range edits {
			if (e.Span.Start > 0 && f.Content()[e.Span.Start-1] != '\n') || (e.Span.End < len(f.Content()) && f.Content()[e.Span.End-1] != '\n') {
				t.Errorf("lineHunks(%q, %q): edit %+v is not whole lines", tc.old, tc.next, e)
			}
		}
	}
}

func TestEditWorkKeepsComments(t *testing.T) {
	content := "// the workspace\ngo 1.22\n\nuse (\n\t./a // the app\n\t./gone\n)\n"
	f := workspace.NewFile("/w/go.work", []byte(content), 0)
	wf, err := modfile.ParseWork(f.Path, f.Content(), nil)
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
	if got := apply(f.Content(), edits); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if len(wf.Use) != 2 || wf.Use[1].Path != "./gone" {
		t.Error("editWork modified the snapshot's parse")
	}
}

// TestRequireVersionEditor: the editor's edits, made from the require line
// alone when it can, are the ones editMod computes from a re-parse and
// Format of the whole file.
func TestRequireVersionEditor(t *testing.T) {
	for i, content := range []string{
		// Formatted: the edit is made from the line.
		"module m\n\ngo 1.22\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b v1.0.0 // indirect\n)\n",
		"module m\n\ngo 1.22\n\nrequire example.com/a v1.0.0\n\nrequire example.com/b v1.0.0 // a comment\n",
		"module m\n\ngo 1.22\n\nrequire (\n\texample.com/a \"v1.0.0\"\n\texample.com/b v1.0.0\n)\n",
		// Duplicates: both lines change.
		"module m\n\ngo 1.22\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b v1.0.0\n\texample.com/a v1.0.0\n)\n",
		// Not formatted: editMod's fix formats the rest too.
		"module m\ngo 1.22\nrequire (\n  example.com/a   v1.0.0\n\texample.com/b v1.0.0\n)\n",
		"module m\n\ngo 1.22\n\nrequire example.com/a v1.0.0\nrequire example.com/b v1.0.0",
		"module m\r\n\r\ngo 1.22\r\n\r\nrequire example.com/a v1.0.0\r\nrequire example.com/b v1.0.0\r\n",
		"module m\n\ngo 1.22\n\nrequire (\n\t// before\n\texample.com/a v1.0.0 // after\n\n\texample.com/b v1.0.0\n)\n",
	} {
		root, snap := load(t, map[string]string{"go.mod": content})
		m := snap.Module(root)
		if m.Mod == nil {
			t.Fatalf("%q: %v", content, m.Err)
		}
		e := newRequireVersionEditor(m)
		if i < 2 && !e.formatted() {
			t.Errorf("%q is formatted, but the editor says not", content)
		}
		for _, c := range []struct{ path, v string }{
			{"example.com/a", "v1.2.0"}, {"example.com/b", "v1.2.0"}, {"example.com/a", "v1.0.0"},
			{"example.com/b", "v1.3.0+incompatible"}, {"example.com/none", "v1.0.0"},
		} {
			got, gotErr := e.setVersion(c.path, c.v)
			want, wantErr := editMod(m, func(f *modfile.File) error { return setRequireVersion(f, c.path, c.v) })
			if !reflect.DeepEqual(got, want) || (gotErr == nil) != (wantErr == nil) {
				t.Errorf("%q: setVersion(%s, %s) = %+v, %v; editMod = %+v, %v", content, c.path, c.v, got, gotErr, want, wantErr)
			}
		}
	}
}
