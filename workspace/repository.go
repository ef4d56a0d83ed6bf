package workspace

import (
	"os"
	"path/filepath"
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
func (s *Snapshot) Repository(dir string) (repo Repository, ok bool) {
	repo = s.lazy.deps.repository(filepath.Clean(dir))
	return repo, repo.Root != ""
}

func (c *depCache) repository(dir string) Repository {
	c.mu.Lock()
	repo, ok := c.repos[dir]
	c.mu.Unlock()
	if ok {
		return repo
	}
	if marker := repositoryMarkerIn(dir); marker != "" { // unlocked: two lookers agree
		repo = Repository{Root: dir, Marker: marker}
	} else if parent := filepath.Dir(dir); parent != dir {
		repo = c.repository(parent)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.repos[dir] = repo
	return repo
}

// repositoryMarkerIn returns the name of the first marker in dir, or "".
func repositoryMarkerIn(dir string) string {
	for _, m := range repositoryMarkers {
		info, err := os.Stat(filepath.Join(dir, m.name))
		if err != nil {
			continue
		}
		if info.IsDir() && m.dir || !info.IsDir() && m.file {
			return m.name
		}
	}
	return ""
}
