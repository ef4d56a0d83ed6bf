package lsp

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
)

// The watcher reports module files and directories where discovery looks,
// and nothing from the directories it skips or from inside vendor/.
func TestFileWatcherReportsWhatDiscoveryReads(t *testing.T) {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	write := func(rel string) {
		t.Helper()
		path := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("module x\n"), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	write("a/go.mod")
	write("testdata/x/go.mod")

	var mu sync.Mutex
	var reported []string
	changed := make(chan struct{}, 1)
	w, err := newFileWatcher(zap.NewNop(), time.Millisecond, func(paths []string) {
		mu.Lock()
		reported = append(reported, paths...)
		mu.Unlock()
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	if err != nil {
		t.Skipf("no file watching here: %v", err)
	}
	defer w.close()
	w.setDirs([]string{root}, nil)

	// Skipped places first; the sentinel last. inotify keeps the order, so
	// once the sentinel is reported, everything before it was handled.
	write("testdata/x/go.mod")
	write(".git/go.mod")
	write("node_modules/m/go.mod")
	write("_old/go.mod")
	write("vendor/example.com/m/go.mod")
	write("vendor/modules.txt")
	write("a/go.mod")
	write("b/c/go.mod")
	write("a/go.sum")
	write("sentinel/go.work")

	has := func(rel string) bool {
		mu.Lock()
		defer mu.Unlock()
		return slices.Contains(reported, filepath.Join(root, filepath.FromSlash(rel)))
	}
	deadline := time.After(20 * time.Second)
	for !has("sentinel") && !has("sentinel/go.work") {
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("sentinel never reported; got %v", reported)
		}
	}
	for _, rel := range []string{"vendor", "a/go.mod", "a/go.sum"} {
		if !has(rel) {
			t.Errorf("%s not reported", rel)
		}
	}
	if !has("b") && !has("b/c") && !has("b/c/go.mod") {
		t.Errorf("new directory b not reported")
	}
	for _, rel := range []string{".git", ".git/go.mod", "testdata/x/go.mod", "node_modules", "node_modules/m/go.mod", "_old", "_old/go.mod", "vendor/example.com", "vendor/example.com/m/go.mod"} {
		if has(rel) {
			t.Errorf("%s reported, though discovery skips it", rel)
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for dir := range w.watched {
		rel, _ := filepath.Rel(root, dir)
		if slices.Contains([]string{".git", "testdata", "testdata/x", "node_modules", "_old", "vendor/example.com"}, filepath.ToSlash(rel)) {
			t.Errorf("watching %s", rel)
		}
	}
	if !w.watched[filepath.Join(root, "vendor")] {
		t.Error("not watching vendor/ (for modules.txt)")
	}
}
