package workspace

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// A workspace index file holds what the last process used: records put or
// changed are written, records no process used are dropped, and a file
// that already holds what a process used is not written again.
func TestWorkspaceIndexHoldsWhatWasUsed(t *testing.T) {
	index := t.TempDir()
	useIndex(t, index)
	x := &workspaceIndexes[string]{
		kind: "test", format: "gomodls test 1",
		parse: func(lines []string) (map[string]string, bool) {
			m := make(map[string]string)
			for _, l := range lines {
				k, v, ok := strings.Cut(l, "=")
				if !ok {
					return nil, false
				}
				m[k] = v
			}
			return m, true
		},
		lines: func(dir, r string) []string { return []string{dir + "=" + r} },
		files: make(map[indexOpening]*workspaceIndex[string]),
	}
	held := func() map[string]string {
		t.Helper()
		lines, ok := newIndexFile(index, x.kind, x.format, "w").read()
		if !ok {
			t.Fatal("no index file")
		}
		m, _ := x.parse(lines)
		return m
	}
	valid := func(string) bool { return true }
	if x.open("a\nkey") != nil {
		t.Error("a key of two lines opened an index")
	}
	SetPackageIndexDir("")
	if x.open("w") != nil {
		t.Error("with the package index off, an index opened")
	}
	SetPackageIndexDir(index)

	w := x.open("w")
	w.put("/a", "1")
	w.put("/b", "2")
	if err := x.flush(); err != nil {
		t.Fatal(err)
	}
	if got := held(); !maps.Equal(got, map[string]string{"/a": "1", "/b": "2"}) {
		t.Errorf("after the first process: %v", got)
	}

	x.forget()
	w = x.open("w")
	if r, ok := w.useIf("/a", valid); !ok || r != "1" {
		t.Errorf("next process: /a is %q, %v", r, ok)
	}
	if _, ok := w.useIf("/b", func(string) bool { return false }); ok {
		t.Error("an invalid record is used")
	}
	if err := x.flush(); err != nil {
		t.Fatal(err)
	}
	if got := held(); !maps.Equal(got, map[string]string{"/a": "1"}) {
		t.Errorf("after a process that used /a only: %v", got)
	}

	x.forget()
	w = x.open("w")
	w.useIf("/a", valid)
	name := newIndexFile(index, x.kind, x.format, "w").name
	old := time.Now().Add(-10 * time.Minute).Truncate(time.Second)
	if err := os.Chtimes(name, old, old); err != nil {
		t.Fatal(err)
	}
	if err := x.flush(); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(name); err != nil || !info.ModTime().Equal(old) {
		t.Errorf("a file holding what was used was written again (%v)", err)
	}
	if got := slices.Sorted(maps.Keys(held())); !slices.Equal(got, []string{"/a"}) {
		t.Errorf("held %v", got)
	}
}
