package workspace

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/mod/module"
)

func TestModuleCacheSum(t *testing.T) {
	cache := t.TempDir()
	dl := filepath.Join(cache, "cache", "download", "example.com", "!dep", "@v")
	if err := os.MkdirAll(dl, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"v1.0.0.mod":     "module example.com/Dep\n\ngo 1.22\n",
		"v1.0.0.ziphash": "h1:ZIP=\n",
		"v1.1.0.ziphash": "not a hash\n",
	} {
		if err := os.WriteFile(filepath.Join(dl, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	snap := Load(Env{GOMODCACHE: cache}, []string{t.TempDir()})
	for _, tt := range []struct {
		version, want string
		ok            bool
	}{
		// The hash go.sum records for a go.mod: dirhash.Hash1 over the file named
		// go.mod (checked with sha256sum and base64).
		{"v1.0.0/go.mod", "h1:ncgL6da29UyNGRWURo/VibKiLleMId9kWZPRbp6B/Gc=", true},
		{"v1.0.0", "h1:ZIP=", true},
		{"v1.1.0", "", false},        // malformed .ziphash
		{"v1.1.0/go.mod", "", false}, // not cached
		{"v1.2.0", "", false},
	} {
		got, ok := snap.ModuleCacheSum(module.Version{Path: "example.com/Dep", Version: tt.version})
		if got != tt.want || ok != tt.ok {
			t.Errorf("ModuleCacheSum(%s) = %q, %t; want %q, %t", tt.version, got, ok, tt.want, tt.ok)
		}
	}
	if _, ok := Load(Env{}, []string{t.TempDir()}).ModuleCacheSum(module.Version{Path: "example.com/Dep", Version: "v1.0.0"}); ok {
		t.Errorf("found a sum without GOMODCACHE")
	}
}
