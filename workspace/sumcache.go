package workspace

import (
	"bytes"
	"io"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
)

// ModuleCacheSum returns the hash the module cache holds for a go.sum key:
// for "path version/go.mod", the h1: hash of the cached
// cache/download/<path>/@v/<version>.mod (dirhash.Hash1 over its raw bytes,
// as cmd/go's goModSum computes it); for "path version", the content of the
// cached <version>.ziphash that the go command wrote when it downloaded the
// zip. ok is false when GOMODCACHE is unknown or the file is not cached.
// Read on first use and kept for the session like DependencyGoMod (a
// module version's files never change in the cache; a missing one is looked
// for again after a change a watcher reports).
func (s *Snapshot) ModuleCacheSum(mod module.Version) (hash string, ok bool) {
	vers, isMod := strings.CutSuffix(mod.Version, "/go.mod")
	files := s.lazy.downloadFiles(s.Env.GOMODCACHE, module.Version{Path: mod.Path, Version: vers}, s.escapedForCache)
	if files.gomod == "" {
		return "", false
	}
	var h string
	if isMod {
		h = s.lazy.moduleCacheMod(files.gomod).hash
	} else {
		h = s.lazy.zipHash(files.ziphash)
	}
	return h, h != ""
}

// zipHash is the hash a .ziphash file of the module cache holds, "" when
// it is missing or malformed.
func (c *diskCache) zipHash(file string) string {
	return lookup(c, diskModuleCacheZip, file, func() (string, diskRead) {
		h, r := readModuleCache(c.reader, diskModuleCacheZip, file, func(data []byte, _ func(string)) string {
			h := strings.TrimSpace(string(data))
			if !strings.HasPrefix(h, "h1:") || strings.ContainsAny(h, " \n") {
				return ""
			}
			return h
		}, nil, "")
		r.missing = r.missing || h == ""
		return h, r
	})
}

// goModHash is the hash go.sum records for a go.mod of this content: dirhash.Hash1 over
// one file named go.mod, as cmd/go's goModSum computes it.
func goModHash(data []byte) string {
	h, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	})
	if err != nil {
		return ""
	}
	return h
}
