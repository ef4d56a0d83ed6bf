package workspace

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// ModuleCacheVersions lists the versions whose .mod the module cache holds,
// unescaped and sorted, and looks again only after a reported change.
func TestModuleCacheVersions(t *testing.T) {
	root := writeTree(t, map[string]string{"go.mod": "module example.com/m\n"})
	cache := t.TempDir()
	dir := filepath.Join(cache, "cache", "download", "example.com", "!upper", "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"v1.10.0.mod", "v1.2.0.mod", "v1.2.0.zip", "v1.2.0.info", "v2.0.0+incompatible.mod", "v1.3.0-!r!c1.mod", "v1.0.0-20200101000000-abcdefabcdef.mod", "list", "v1.0.mod"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := NewSession(Env{GOMODCACHE: cache}, []string{root})
	snap := s.Snapshot()
	want := []string{"v1.0.0-20200101000000-abcdefabcdef", "v1.2.0", "v1.3.0-RC1", "v1.10.0", "v2.0.0+incompatible"}
	if got := snap.ModuleCacheVersions("example.com/Upper"); !slices.Equal(got, want) {
		t.Errorf("versions = %q, want %q", got, want)
	}
	if got := snap.ModuleCacheVersions("example.com/none"); got != nil {
		t.Errorf("versions of an uncached module = %q, want none", got)
	}

	if err := os.WriteFile(filepath.Join(dir, "v1.11.0.mod"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	snap = s.Open(filepath.Join(root, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 1)
	if got := snap.ModuleCacheVersions("example.com/Upper"); !slices.Equal(got, want) {
		t.Errorf("after an edit: versions = %q, want the listing kept (%q)", got, want)
	}
	snap = s.DiskChanged([]string{filepath.Join(root, "go.sum")})
	if got := snap.ModuleCacheVersions("example.com/Upper"); !slices.Contains(got, "v1.11.0") {
		t.Errorf("after a reported change: versions = %q, want v1.11.0 among them", got)
	}

	if got := NewSession(Env{}, []string{root}).Snapshot().ModuleCacheVersions("example.com/Upper"); got != nil {
		t.Errorf("without GOMODCACHE: %q", got)
	}
}
