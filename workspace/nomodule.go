package workspace

import (
	"bufio"
	"bytes"
	"path/filepath"
	"slices"
	"strings"
)

// A GoDirWithoutModule is a directory of a workspace folder that holds Go
// files but has no go.mod in it or any parent directory: the go command run
// there in module mode finds no main module (modload.Init: findModuleRoot
// returns "") and fails.
type GoDirWithoutModule struct {
	Dir string
	// File is the first .go file of Dir in name order, as on disk.
	File *File
	// Repo is the directory holding the .git/config that the go command
	// names in its error for Dir (modload's findAltConfig: Dir or its
	// nearest parent with one, never inside GOROOT); "" when there is none.
	Repo string
	// RemoteURL is the url of Repo's "origin" remote in .git/config, or of
	// its first remote when none is called origin; "" when it has none.
	RemoteURL string
}

// GoDirsWithoutModule returns the directories of the workspace folders
// that hold Go files outside every module, sorted by directory. Discovery
// skips the same directories as for module files (SkipDir) and the module
// cache, and does not descend below a go.mod: everything beneath one is in
// a module. A folder inside a module (a go.mod above it) has none.
//
// Only `gomodls check` asks: a language server reporting every stray
// directory of scripts would be noise. The directories are read on the
// first call and kept for the snapshot's disk cache, like VendorTree.
func (s *Snapshot) GoDirsWithoutModule() []*GoDirWithoutModule {
	return s.lazy.goDirsWithoutModule(s.Env, s.Folders)
}

func (c *diskCache) goDirsWithoutModule(env Env, folders []string) []*GoDirWithoutModule {
	return lookup(c, diskNoModule, strings.Join(folders, string(filepath.ListSeparator)), func() ([]*GoDirWithoutModule, diskRead) {
		dirs, n := readGoDirsWithoutModule(env, folders, c.reader.limits.FileSize)
		return dirs, diskRead{bytes: n}
	})
}

// readGoDirsWithoutModule walks each folder that no go.mod above contains,
// and returns what it found and the bytes it read.
func readGoDirsWithoutModule(env Env, folders []string, limit int64) ([]*GoDirWithoutModule, int64) {
	r := &noModuleReader{env: env, limit: limit, seen: make(map[string]bool), remotes: make(map[string]string)}
	for _, folder := range folders {
		if moduleRootAbove(folder) {
			continue
		}
		r.walk(folder, r.repoAbove(folder))
	}
	slices.SortFunc(r.dirs, func(a, b *GoDirWithoutModule) int { return strings.Compare(a.Dir, b.Dir) })
	return r.dirs, r.bytes
}

type noModuleReader struct {
	env     Env
	limit   int64 // how much of a Go file is read (readRegular)
	bytes   int64 // read so far
	dirs    []*GoDirWithoutModule
	seen    map[string]bool   // directories walked (folders may nest)
	remotes map[string]string // remote URL by repository directory
}

// moduleRootAbove reports whether a parent directory of folder holds a
// go.mod, a regular file (as findModuleRoot wants); folder's own go.mod is
// walk's business.
func moduleRootAbove(folder string) bool { return FindGoMod(filepath.Dir(folder)) != "" }

func isGoMod(path string) bool {
	info, err := stat(path)
	return err == nil && !info.IsDir()
}

// repoAbove is the directory of the nearest .git/config above folder, as
// findAltConfig searches (folder itself is walk's business).
func (r *noModuleReader) repoAbove(folder string) string {
	for dir := filepath.Dir(folder); ; dir = filepath.Dir(dir) {
		if r.hasGitConfig(dir) {
			return dir
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// hasGitConfig reports whether dir holds a regular .git/config that
// findAltConfig would name: it never suggests a repository in or above
// GOROOT (a dir whose relation to GOROOT search.InDir finds).
func (r *noModuleReader) hasGitConfig(dir string) bool {
	if goroot := r.env.GOROOT; goroot != "" && (Within(dir, goroot) || Within(goroot, dir)) {
		return false
	}
	info, err := stat(filepath.Join(dir, ".git", "config"))
	return err == nil && info.Mode().IsRegular()
}

// walk records dir if it holds Go files and descends into its
// subdirectories; repo is the repository dir lies in so far.
func (r *noModuleReader) walk(dir, repo string) {
	if r.seen[dir] {
		return
	}
	r.seen[dir] = true
	if isGoMod(filepath.Join(dir, "go.mod")) {
		return
	}
	if r.hasGitConfig(dir) {
		repo = dir
	}
	entries, err := readDir(dir)
	if err != nil {
		return
	}
	recorded := false
	var subdirs []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			sub := filepath.Join(dir, name)
			if !SkipDir(name) && !(r.env.GOMODCACHE != "" && Within(sub, filepath.Clean(r.env.GOMODCACHE))) {
				subdirs = append(subdirs, sub)
			}
			continue
		}
		if recorded || !isGoFileName(name) {
			continue
		}
		path := filepath.Join(dir, name)
		content, err := readRegular(path, r.limit, true)
		if err != nil {
			continue
		}
		r.bytes += int64(len(content))
		d := &GoDirWithoutModule{Dir: dir, File: NewFile(path, content, 0), Repo: repo}
		if repo != "" {
			d.RemoteURL = r.remoteURL(repo)
		}
		r.dirs = append(r.dirs, d)
		recorded = true
	}
	for _, sub := range subdirs {
		r.walk(sub, repo)
	}
}

// isGoFileName reports whether the go command builds a file of this name:
// a .go file whose name does not start with "_" or "." (go/build ignores
// those).
func isGoFileName(name string) bool {
	return strings.HasSuffix(name, ".go") && !strings.HasPrefix(name, "_") && !strings.HasPrefix(name, ".")
}

// maxGitConfig bounds how much of a .git/config remoteURL reads.
const maxGitConfig = 1 << 20

func (r *noModuleReader) remoteURL(repo string) string {
	url, ok := r.remotes[repo]
	if !ok {
		data, _ := readRegular(filepath.Join(repo, ".git", "config"), maxGitConfig, false)
		r.bytes += int64(len(data))
		url = gitRemoteURL(data)
		r.remotes[repo] = url
	}
	return url
}

// gitRemoteURL returns the url of the "origin" remote of a git config file,
// or of the first remote with a url when there is no origin. It reads the
// subset of git-config(1) syntax that git writes itself: [section
// "subsection"] headers and key = value lines, keys case-insensitive,
// values possibly quoted, comments after # or ;.
func gitRemoteURL(config []byte) string {
	var first, origin, remote string
	sc := bufio.NewScanner(bytes.NewReader(config))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			remote = ""
			header, _, ok := strings.Cut(line[1:], "]")
			if !ok {
				continue
			}
			section, sub, _ := strings.Cut(header, " ")
			if strings.EqualFold(section, "remote") {
				remote = strings.Trim(strings.TrimSpace(sub), `"`)
			}
			continue
		}
		if remote == "" {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(key), "url") {
			continue
		}
		value = gitConfigValue(strings.TrimSpace(value))
		if value == "" {
			continue
		}
		if first == "" {
			first = value
		}
		if remote == "origin" && origin == "" {
			origin = value
		}
	}
	if origin != "" {
		return origin
	}
	return first
}

// gitConfigValue strips a trailing comment and the quotes from a value.
func gitConfigValue(v string) string {
	if strings.HasPrefix(v, `"`) {
		if end := strings.Index(v[1:], `"`); end >= 0 {
			return v[1 : 1+end]
		}
		return strings.TrimPrefix(v, `"`)
	}
	if i := strings.IndexAny(v, "#;"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v
}
