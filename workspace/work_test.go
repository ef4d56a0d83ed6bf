package workspace

import (
	"path/filepath"
	"testing"
)

// FirstUse names, for each use line, the first line naming the same
// directory, as the go command resolves them (./a and a/ are one
// directory), and says whether any line repeats one.
func TestFirstUse(t *testing.T) {
	dir := t.TempDir()
	parse := func(content string) *Work {
		t.Helper()
		w := parseWork(NewFile(filepath.Join(dir, "go.work"), []byte(content), 0))
		if w.Err != nil {
			t.Fatal(w.Err)
		}
		return w
	}
	w := parse("go 1.22\n\nuse (\n\t./a\n\t./b\n)\n")
	for i := range 2 {
		if first, repeats := w.FirstUse(i); first != i || repeats {
			t.Errorf("no repeats: FirstUse(%d) = %d, %v; want %d, false", i, first, repeats, i)
		}
	}
	w = parse("go 1.22\n\nuse (\n\t./a\n\t./b\n\ta/\n\t./b\n\t./c\n)\n")
	for i, want := range []int{0, 1, 0, 1, 4} {
		if first, repeats := w.FirstUse(i); first != want || !repeats {
			t.Errorf("FirstUse(%d) = %d, %v; want %d, true", i, first, repeats, want)
		}
	}
}
