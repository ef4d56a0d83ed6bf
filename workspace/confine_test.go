package workspace

import (
	"os"
	"path/filepath"
	"testing"
)

func TestConfined(t *testing.T) {
	root := t.TempDir()
	ws := filepath.Join(root, "ws")
	outside := filepath.Join(root, "outside")
	for _, d := range []string{filepath.Join(ws, "a"), outside} {
		if err := os.MkdirAll(d, 0o777); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("../outside", filepath.Join(ws, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a", filepath.Join(ws, "inner")); err != nil {
		t.Fatal(err)
	}
	// The folder itself opened through a symlink.
	wsLink := filepath.Join(root, "wslink")
	if err := os.Symlink("ws", wsLink); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop", filepath.Join(ws, "loop")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path  string
		roots []string
		want  bool
	}{
		{filepath.Join(ws, "a"), []string{ws}, true},
		{filepath.Join(ws, "a", "go.mod"), []string{ws}, true}, // does not exist yet
		{filepath.Join(ws, "link"), []string{ws}, false},
		{filepath.Join(ws, "link", "go.mod"), []string{ws}, false},
		{filepath.Join(ws, "inner", "go.mod"), []string{ws}, true},
		{filepath.Join(ws, "a"), []string{wsLink}, true},
		{filepath.Join(wsLink, "a"), []string{ws}, true},
		{filepath.Join(wsLink, "link"), []string{wsLink}, false},
		{filepath.Join(ws, "loop"), []string{ws}, false},
		{filepath.Join(ws, "a", "..", "..", "outside"), []string{ws}, false},
		{outside, []string{ws, outside}, true},
		{outside, nil, false},
	} {
		if got := Confined(tc.path, tc.roots); got != tc.want {
			t.Errorf("Confined(%s, %v) = %v, want %v", tc.path, tc.roots, got, tc.want)
		}
	}
}
