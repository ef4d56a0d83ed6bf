package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// cachedGoMods writes n dependency go.mod files into a module cache below a
// home-like directory and returns the folder, the cache and the files.
func cachedGoMods(b *testing.B, n int) (folder, cache string, paths []string) {
	root := b.TempDir()
	folder = filepath.Join(root, "home", "user", "src", "project")
	cache = filepath.Join(root, "home", "user", "go", "pkg", "mod")
	if err := os.MkdirAll(folder, 0o777); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		p := filepath.Join(cache, "cache", "download", "example.com", fmt.Sprintf("dep%d", i), "@v", "v1.0.0.mod")
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("module example.com/dep\n\ngo 1.22\n"), 0o666); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, p)
	}
	return folder, cache, paths
}

// BenchmarkReadModuleFile reads 100 dependency go.mod files from a module
// cache as the session's lazy reads do, confinement rule included: it runs
// on every read, so its cost per file is paid thousands of times in a large
// module graph. Compare with BenchmarkReadRegular, the read alone.
func BenchmarkReadModuleFile(b *testing.B) {
	folder, cache, paths := cachedGoMods(b, 100)
	r := newDiskReader(DefaultLimits, []string{folder}, Env{GOMODCACHE: cache})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range paths {
			if _, err := r.readModuleFile(p, KindGoMod); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkReadRegular is BenchmarkReadModuleFile without the confinement
// rule.
func BenchmarkReadRegular(b *testing.B) {
	_, _, paths := cachedGoMods(b, 100)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range paths {
			if _, err := readRegular(p, DefaultLimits.FileSize, false); err != nil {
				b.Fatal(err)
			}
		}
	}
}
