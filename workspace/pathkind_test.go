package workspace

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPathKind(t *testing.T) {
	root := writeTree(t, map[string]string{
		"go.mod":       "module example.com/m\n",
		"sub/go.mod":   "module example.com/sub\n",
		"plain/README": "no go.mod\n",
	})
	s := NewSession(Env{}, []string{root})
	snap := s.SetFolders([]string{root})
	for path, want := range map[string]PathKind{
		"sub":           PathDir,
		"sub/go.mod":    PathFile,
		"plain":         PathDir,
		"plain/go.mod":  PathMissing,
		"plain/README":  PathFile,
		"nonexistent":   PathMissing,
		"sub/../plain/": PathDir,
	} {
		if got := snap.PathKind(filepath.Join(root, path)); got != want {
			t.Errorf("PathKind(%s) = %v, want %v", path, got, want)
		}
	}
	// Remembered until a watcher reports a change.
	if err := os.MkdirAll(filepath.Join(root, "nonexistent"), 0o777); err != nil {
		t.Fatal(err)
	}
	if got := snap.PathKind(filepath.Join(root, "nonexistent")); got != PathMissing {
		t.Errorf("before the change is reported: %v, want PathMissing", got)
	}
	snap = s.DiskChanged([]string{filepath.Join(root, "nonexistent")})
	if got := snap.PathKind(filepath.Join(root, "nonexistent")); got != PathDir {
		t.Errorf("after the change is reported: %v, want PathDir", got)
	}
}

// cleanPath is filepath.Clean, whichever path it is given.
func TestCleanPathIsClean(t *testing.T) {
	for _, p := range []string{
		"", ".", "/", "//", "/a", "/a/", "/a//b", "/a/./b", "/a/../b", "/a/.", "/a/..", "/a/.hidden",
		"/a/b.go", "a", "a/b", "./a", "../a", "/a/b/", "/a/b//", "/.", "/..", "/a.b/c..d",
	} {
		if got, want := cleanPath(p), filepath.Clean(p); got != want {
			t.Errorf("cleanPath(%q) = %q, want %q", p, got, want)
		}
	}
}
