package workspace

import (
	"errors"
	"io/fs"
	"path/filepath"
)

// ResolvePath returns the absolute, clean path with every symbolic link in it
// resolved, as the kernel would when opening it. A path that does not exist
// (yet) keeps its missing tail: the longest existing prefix is resolved and
// the rest appended, so that "where would go create this" is answered too.
// It is the first half of the one confinement rule (see [Confined]); text
// comparison of unresolved paths is what let `use ./link` with link →
// ../outside run a command outside the workspace.
func ResolvePath(path string) string {
	path = filepath.Clean(path)
	if resolved, err := evalSymlinks(path); err == nil {
		if abs, err := filepath.Abs(resolved); err == nil {
			return abs
		}
		return resolved
	} else if !errors.Is(err, fs.ErrNotExist) {
		// A loop or a permission error: nothing sensible to resolve to, and
		// the caller must not treat the text as inside anything.
		return ""
	}
	parent := filepath.Dir(path)
	if parent == path {
		return path
	}
	base := ResolvePath(parent)
	if base == "" {
		return ""
	}
	return filepath.Join(base, filepath.Base(path))
}

// Confined reports whether path, with its symbolic links resolved, lies in
// one of roots, each with its own links resolved (a workspace folder opened
// through a symlink is still that folder). This is the one rule for "inside
// the workspace" that commands and reads share: the directory a go command
// runs in and every file it may rewrite, and a module file reached through a
// symlink, must pass it.
func Confined(path string, roots []string) bool {
	return ResolveRoots(roots).Contain(path)
}

// Roots are directories with their links resolved, once, for asking
// Confined's question of many paths: resolving a root costs a system call
// per path element, and a session reads thousands of files under the same
// few roots.
type Roots []string

// ResolveRoots resolves each of dirs (ResolvePath), leaving out empty and
// unresolvable ones.
func ResolveRoots(dirs []string) Roots {
	var out Roots
	for _, d := range dirs {
		if d == "" {
			continue
		}
		if root := ResolvePath(d); root != "" {
			out = append(out, root)
		}
	}
	return out
}

// Contain reports whether path, with its links resolved, lies in one of r.
func (r Roots) Contain(path string) bool { return r.hold(ResolvePath(path)) }

// hold reports whether target, a path with its links resolved, lies in one
// of r.
func (r Roots) hold(target string) bool {
	if target == "" {
		return false
	}
	for _, root := range r {
		if Within(target, root) {
			return true
		}
	}
	return false
}
