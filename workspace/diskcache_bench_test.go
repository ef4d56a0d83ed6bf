package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/mod/module"
)

// moduleCacheFixture writes a module cache of n module versions, each with
// its .mod, .ziphash and an extracted package of one Go file, and returns
// the cache and the versions.
func moduleCacheFixture(b *testing.B, n int) (cache string, mods []module.Version) {
	cache = filepath.Join(b.TempDir(), "home", "user", "go", "pkg", "mod")
	for i := range n {
		mod := module.Version{Path: fmt.Sprintf("example.com/dep%d", i), Version: "v1.0.0"}
		dl := filepath.Join(cache, "cache", "download", "example.com", fmt.Sprintf("dep%d", i), "@v")
		src := filepath.Join(cache, "example.com", fmt.Sprintf("dep%d@v1.0.0", i))
		for _, d := range []string{dl, src} {
			if err := os.MkdirAll(d, 0o777); err != nil {
				b.Fatal(err)
			}
		}
		for p, content := range map[string]string{
			filepath.Join(dl, "v1.0.0.mod"):     fmt.Sprintf("module %s\n\ngo 1.22\n\nrequire example.com/dep%d v1.0.0\n", mod.Path, (i+1)%n),
			filepath.Join(dl, "v1.0.0.ziphash"): "h1:AAAA=\n",
			filepath.Join(src, "p.go"):          "package p\n\nimport (\n\t\"fmt\"\n\t\"example.com/other\"\n)\n\nfunc F() { fmt.Println(other.X) }\n",
		} {
			if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
				b.Fatal(err)
			}
		}
		mods = append(mods, mod)
	}
	return cache, mods
}

// BenchmarkNewSessionModuleCache is what a new session (SetFolders,
// SetEnv, a second `gomodls check` in one process) pays to read the module
// cache content a graph of 200 dependencies needs: each version's go.mod
// (parse and hash), .ziphash, and its extracted package's imports.
func BenchmarkNewSessionModuleCache(b *testing.B) {
	cache, mods := moduleCacheFixture(b, 200)
	env := Env{GOMODCACHE: cache}
	folder := b.TempDir()
	var reads int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := NewSession(env, []string{folder})
		snap := s.Snapshot()
		for _, m := range mods {
			if snap.DependencyGoMod(snap.ModuleCacheGoMod(m)) == nil {
				b.Fatal("go.mod not read")
			}
			if _, ok := snap.ModuleCacheSum(module.Version{Path: m.Path, Version: m.Version + "/go.mod"}); !ok {
				b.Fatal("no go.mod hash")
			}
			if _, ok := snap.ModuleCacheSum(m); !ok {
				b.Fatal("no zip hash")
			}
			if !snap.PackageImports(snap.ModuleCacheDir(m)).Found {
				b.Fatal("package not read")
			}
		}
		for _, d := range s.DiskStats() {
			reads += d.Reads
		}
	}
	b.ReportMetric(float64(reads)/float64(b.N), "reads/op")
}
