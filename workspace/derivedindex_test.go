package workspace

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// A derived result kept by one process is recalled by the next on the same
// workspace, and only there; nothing is kept while derived results are off,
// nor what does not fit the file; a file cut short recalls nothing.
func TestDerivedResultsServeTheNextProcess(t *testing.T) {
	root := writeTree(t, map[string]string{"go.mod": "module example.com/m\n"})
	other := writeTree(t, map[string]string{"go.mod": "module example.com/other\n"})
	index := t.TempDir()
	useIndex(t, index)
	snapOf := func(dir string) *Snapshot { return NewSession(Env{}, []string{dir}).Snapshot() }
	nextProcess := func() {
		t.Helper()
		if err := FlushPackageIndex(); err != nil {
			t.Fatal(err)
		}
		forgetModuleCache(t)
	}
	lines := []string{"h\tdigest", "k\texample.com/a v1.0.0", ""}

	snapOf(root).Keep("off", lines)
	if snapOf(root).DerivedResults() {
		t.Error("derived results on by default")
	}
	KeepDerivedResults(true)
	t.Cleanup(func() { KeepDerivedResults(false) })
	snap := snapOf(root)
	snap.Keep("result", lines)
	snap.Keep("bad\tname", lines)
	snap.Keep("bad line", []string{"\tstarts with a tab"})
	snap.Keep("bad newline", []string{"a\nb"})
	if got, ok := snap.Recall("result"); !ok || !slices.Equal(got, lines) {
		t.Errorf("same process: %q %v, want %q", got, ok, lines)
	}
	nextProcess()

	snap = snapOf(root)
	for _, name := range []string{"off", "bad\tname", "bad line", "bad newline", "missing"} {
		if got, ok := snap.Recall(name); ok {
			t.Errorf("Recall(%q) = %q, want none", name, got)
		}
	}
	if got, ok := snap.Recall("result"); !ok || !slices.Equal(got, lines) {
		t.Errorf("next process: %q %v, want %q", got, ok, lines)
	}
	if got, ok := snapOf(other).Recall("result"); ok {
		t.Errorf("another workspace recalled %q", got)
	}
	nextProcess()

	files, _ := filepath.Glob(filepath.Join(index, "derived", "*"))
	if len(files) != 1 {
		t.Fatalf("%d derived-results files, want one for the workspace", len(files))
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(files[0], data[:len(data)-3], 0o600); err != nil {
		t.Fatal(err)
	}
	if got, ok := snapOf(root).Recall("result"); ok {
		t.Errorf("a file cut short recalled %q", got)
	}
}

// A result not recalled nor kept by a process is dropped from the file
// when it is written again, like the other per-workspace index files.
func TestDerivedResultsKeepWhatWasUsed(t *testing.T) {
	root := writeTree(t, map[string]string{"go.mod": "module example.com/m\n"})
	useIndex(t, t.TempDir())
	KeepDerivedResults(true)
	t.Cleanup(func() { KeepDerivedResults(false) })
	snap := NewSession(Env{}, []string{root}).Snapshot()
	snap.Keep("a", []string{"1"})
	snap.Keep("b", []string{"2"})
	if err := FlushPackageIndex(); err != nil {
		t.Fatal(err)
	}
	forgetModuleCache(t)
	snap = NewSession(Env{}, []string{root}).Snapshot()
	snap.Recall("a")
	snap.Keep("c", []string{"3"})
	if err := FlushPackageIndex(); err != nil {
		t.Fatal(err)
	}
	forgetModuleCache(t)
	snap = NewSession(Env{}, []string{root}).Snapshot()
	for name, want := range map[string]bool{"a": true, "b": false, "c": true} {
		if _, ok := snap.Recall(name); ok != want {
			t.Errorf("Recall(%q): %v, want %v", name, ok, want)
		}
	}
}
