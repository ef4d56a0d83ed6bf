package workspace

import (
	"net/url"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// ModuleCacheVersions returns the versions of the module path whose go.mod
// the module cache holds ($GOMODCACHE/cache/download/<escaped path>/@v/
// <version>.mod, see ModuleCacheGoMod), sorted from lowest to highest: what
// gomodls can know offline of the module's history, such as the latest
// go.mod a retraction or a deprecation comes from. It is nil when
// GOMODCACHE is unknown or holds nothing for path.
//
// The listing is read on first use and kept while the snapshot's disk
// cache lives (DiskGeneration): a watcher's report of any change reads it
// again, so a go command that fills the module cache is seen at the next
// such change, as with DependencyGoMod. Unlike a version's files, the
// listing is never kept for the process.
func (s *Snapshot) ModuleCacheVersions(path string) []string {
	dir, ok := s.downloadDirOf(path)
	if !ok {
		return nil
	}
	return lookup(s.lazy, diskModuleCacheList, dir, func() ([]string, diskRead) {
		if view := s.lazy.downloadDir(dir); view.known() {
			vs := view.versions()
			return vs, diskRead{missing: vs == nil, indexed: true}
		}
		vs := readCachedVersions(dir)
		return vs, diskRead{missing: vs == nil}
	})
}

// downloadDirOf is the @v directory of module path in the download area;
// ok is false when GOMODCACHE is unknown or path cannot be escaped.
func (s *Snapshot) downloadDirOf(path string) (dir string, ok bool) {
	if s.Env.GOMODCACHE == "" {
		return "", false
	}
	if d, ok := s.lazy.downloadDirs.Load(path); ok {
		return d.(string), d != ""
	}
	if escaped, ok := escapedPath(path); ok {
		dir = moduleCachePath(s.Env.GOMODCACHE, "cache", "download", filepath.FromSlash(escaped), "@v")
	}
	s.lazy.downloadDirs.Store(path, dir)
	return dir, dir != ""
}

// readCachedVersions lists the versions of the .mod files in dir, a module's
// @v directory of the module cache's download area.
func readCachedVersions(dir string) []string {
	entries, err := readDir(dir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return cachedVersions(names)
}

// cachedVersions are the versions of the .mod files among names, the files
// of an @v directory, sorted.
func cachedVersions(names []string) []string {
	var vs []string
	for _, n := range names {
		name, ok := strings.CutSuffix(n, ".mod")
		if !ok {
			continue
		}
		v, err := module.UnescapeVersion(name)
		if err != nil || semver.Canonical(v) != strings.TrimSuffix(v, "+incompatible") {
			continue
		}
		vs = append(vs, v)
	}
	semver.Sort(vs)
	return vs
}

// ModuleCacheHas reports whether the module cache holds mod's files for a
// build: extracted ($GOMODCACHE/<module>@<version>, ModuleCacheDir) or
// downloaded ($GOMODCACHE/cache/download/<module>/@v/<version>.zip), from
// which the go command extracts it without the network. Looked at on first
// use, like PathKind.
func (s *Snapshot) ModuleCacheHas(mod module.Version) bool {
	path, vers, ok := s.escapedForCache(mod)
	if !ok {
		return false
	}
	return s.PathKind(s.ModuleCacheDir(mod)) == PathDir ||
		s.PathKind(filepath.Join(s.Env.GOMODCACHE, "cache", "download", filepath.FromSlash(path), "@v", vers+".zip")) == PathFile
}

// FileProxyHas reports whether the file:// GOPROXY entry proxyURL serves
// mod's zip (<dir>/<module>/@v/<version>.zip, the layout of the module
// proxy protocol): reading it is a look at the disk, not the network, made
// on first use like PathKind. It is false for any other URL.
func (s *Snapshot) FileProxyHas(proxyURL string, mod module.Version) bool {
	u, err := url.Parse(proxyURL)
	if err != nil || u.Scheme != "file" {
		return false
	}
	path, err := module.EscapePath(mod.Path)
	if err != nil {
		return false
	}
	vers, err := module.EscapeVersion(mod.Version)
	if err != nil {
		return false
	}
	dir := filepath.FromSlash(u.Path)
	if !filepath.IsAbs(dir) {
		return false
	}
	return s.PathKind(filepath.Join(dir, filepath.FromSlash(path), "@v", vers+".zip")) == PathFile
}

// A CachedPath is one entry of the module cache's download area below a
// module path prefix: the next path element, and whether a module of that
// path is downloaded (its directory has an @v directory).
type CachedPath struct {
	Path   string // the prefix's directory's path joined with the element
	Module bool
}

// ModuleCachePathsUnder lists the module paths one element below dir (a
// module path prefix ending before a slash, "" for the top) that the
// module cache's download area holds, sorted, for completion. It reads
// the disk every time: it answers a keystroke, not a check, and the
// snapshot caches nothing of it.
func (s *Snapshot) ModuleCachePathsUnder(dir string) []CachedPath {
	if s.Env.GOMODCACHE == "" {
		return nil
	}
	escaped := ""
	if dir != "" {
		var ok bool
		if escaped, ok = escapedPath(dir); !ok {
			return nil
		}
	}
	base := moduleCachePath(s.Env.GOMODCACHE, "cache", "download", filepath.FromSlash(escaped))
	entries, err := readDir(base)
	if err != nil {
		return nil
	}
	var out []CachedPath
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "@v" || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		escapedChild := e.Name()
		if escaped != "" {
			escapedChild = escaped + "/" + e.Name()
		}
		p, err := module.UnescapePath(escapedChild)
		if err != nil {
			continue
		}
		_, err = lstat(filepath.Join(base, e.Name(), "@v"))
		out = append(out, CachedPath{Path: p, Module: err == nil})
	}
	return out
}
