package workspace

import (
	"path/filepath"
	"strings"
)

// A Repository is the version-control checkout a directory lies in: the
// nearest directory at or above it that holds a checkout's root marker.
type Repository struct {
	Root   string // the checkout's root directory, absolute and clean
	Marker string // the entry in Root that makes it a root: ".git", ".hg", …
}

// A repositoryMarker is an entry whose presence in a directory makes it the
// root of a checkout, and what it may be on disk: a directory, something
// else (a file), or either.
type repositoryMarker struct {
	name      string
	dir, file bool
}

// repositoryMarkers are the checkout roots cmd/go recognizes
// (cmd/go/internal/vcs/vcs.go: vcsList, each Cmd's RootNames, tested by
// isVCSRoot), in its order, plus two it does not stamp builds from: a .git
// that is a file (a linked worktree or a submodule: cmd/go wants a
// directory, but git treats the file's directory as the checkout's root),
// and Jujutsu's .jj directory. In one directory the first one found wins.
var repositoryMarkers = []repositoryMarker{
	{name: ".hg", dir: true},
	{name: ".git", dir: true, file: true},
	{name: ".svn", dir: true},
	{name: ".bzr", dir: true},
	{name: ".fslckout", file: true},
	{name: "_FOSSIL_", file: true},
	{name: ".jj", dir: true},
}

// Repository returns the checkout that dir, an absolute directory, lies in:
// the nearest of dir and its parents holding a marker (repositoryMarkers),
// as cmd/go's vcs.FromDir looks for one, nearest first, so a submodule or a
// nested checkout is its own repository. ok is false when dir is in none.
//
// It stats a few entries in each directory on the way up, so it is read on
// first use, one answer per directory shared by the directories beneath it,
// and remembered like PathKind until a watcher reports a change.
// IgnoresGoWork's .gitignore files likewise.
func (s *Snapshot) Repository(dir string) (repo Repository, ok bool) {
	repo = s.lazy.repository(filepath.Clean(dir))
	return repo, repo.Root != ""
}

func (c *diskCache) repository(dir string) Repository {
	return lookup(c, diskRepository, dir, func() (Repository, diskRead) {
		if marker := repositoryMarkerIn(dir); marker != "" {
			return Repository{Root: dir, Marker: marker}, diskRead{}
		}
		if parent := filepath.Dir(dir); parent != dir {
			return c.repository(parent), diskRead{}
		}
		return Repository{}, diskRead{missing: true}
	})
}

// repositoryMarkerIn returns the name of the first marker in dir, or "".
func repositoryMarkerIn(dir string) string {
	for _, m := range repositoryMarkers {
		info, err := stat(filepath.Join(dir, m.name))
		if err != nil {
			continue
		}
		if info.IsDir() && m.dir || !info.IsDir() && m.file {
			return m.name
		}
	}
	return ""
}

// maxIgnoreFile bounds how much of a .gitignore IgnoresGoWork reads.
const maxIgnoreFile = 1 << 20

// IgnoresGoWork reports whether git is told to ignore the go.work in dir,
// inside repo: a .gitignore in dir or a directory above it up to repo's
// root, or the root's .git/info/exclude, lists go.work by one of the
// patterns people write for it (go.work, /go.work in dir itself, go.work*,
// *.work, **/go.work). It is a deliberately small reading of gitignore:
// a go.work it cannot tell about counts as committed. The go command's
// documentation advises keeping go.work out of version control (go help
// work), and such a go.work may use a neighbour's checkout on purpose.
func (s *Snapshot) IgnoresGoWork(repo Repository, dir string) bool {
	if repo.Marker != ".git" {
		return false
	}
	dir = filepath.Clean(dir)
	files := []string{filepath.Join(repo.Root, ".git", "info", "exclude")}
	for d := dir; Within(d, repo.Root); d = filepath.Dir(d) {
		files = append(files, filepath.Join(d, ".gitignore"))
		if d == repo.Root {
			break
		}
	}
	for _, f := range files {
		if s.lazy.ignoreFile(f).ignores(filepath.Dir(f) == dir) {
			return true
		}
	}
	return false
}

// ignoreFile is what one .gitignore (or .git/info/exclude) says of go.work.
type ignoreFile struct {
	anywhere bool  // a pattern that matches go.work in any directory below
	here     bool  // "/go.work": only in the file's own directory
	size     int64 // bytes read
}

// ignores reports whether the file ignores a go.work in sameDir (the
// file's own directory) or else in a directory below it.
func (ig ignoreFile) ignores(sameDir bool) bool { return ig.anywhere || ig.here && sameDir }

// ignoresGoWork reads path and reports whether it ignores a go.work, uncached.
func ignoresGoWork(path string, sameDir bool) bool {
	ig, _ := readIgnoreFile(path)
	return ig.ignores(sameDir)
}

// ignoreFile reads path on first use. No watcher reports a .gitignore
// changed, so any reported change reads it again (scopeAny); an edit of a
// module file in the editor does not.
func (c *diskCache) ignoreFile(path string) ignoreFile {
	return lookup(c, diskGitignore, path, func() (ignoreFile, diskRead) {
		ig, err := readIgnoreFile(path)
		return ig, diskRead{bytes: ig.size, missing: err != nil}
	})
}

// readIgnoreFile reads the go.work patterns of a .gitignore, through
// readRegular and up to maxIgnoreFile bytes.
func readIgnoreFile(path string) (ignoreFile, error) {
	var ig ignoreFile
	data, err := readRegular(path, maxIgnoreFile, true)
	if err != nil {
		return ig, err
	}
	ig.size = int64(len(data))
	for _, line := range strings.Split(string(data), "\n") {
		switch strings.TrimSpace(line) {
		case "go.work", "go.work*", "*.work", "**/go.work", "/**/go.work":
			ig.anywhere = true
		case "/go.work":
			ig.here = true
		}
	}
	return ig, nil
}
