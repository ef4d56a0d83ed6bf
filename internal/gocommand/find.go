package gocommand

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// Find returns the path of the go command that name stands for, in the
// environment environ (KEY=VALUE, as os.Environ returns it), or an error
// saying why there is none.
//
// A name with a path separator is that file; "~/" at its start is $HOME.
// A bare name ("go") is looked up in environ's PATH — not the process's:
// an editor's settings may set PATH for the go command (gomodls.env)
// without the server having been started with it, and exec.Command would
// look in the server's own. Relative PATH entries are skipped, as
// exec.LookPath refuses what they find (exec.ErrDot): a workspace must not
// be able to plant the go the server runs.
func Find(name string, environ []string) (string, error) {
	if name == "" {
		name = "go"
	}
	if strings.HasPrefix(name, "~/") {
		home := Getenv(environ, "HOME")
		if home == "" {
			return "", fmt.Errorf("%s: HOME is not set", name)
		}
		name = filepath.Join(home, name[2:])
	}
	if strings.ContainsRune(name, filepath.Separator) || strings.ContainsRune(name, '/') {
		if !filepath.IsAbs(name) {
			return "", fmt.Errorf("%s: a relative path; give the go command's absolute path, or a name to look up in PATH", name)
		}
		return exec.LookPath(name)
	}
	path := Getenv(environ, "PATH")
	for _, dir := range filepath.SplitList(path) {
		if !filepath.IsAbs(dir) {
			continue
		}
		if bin, err := exec.LookPath(filepath.Join(dir, name)); err == nil {
			return bin, nil
		}
	}
	if path == "" {
		return "", fmt.Errorf("%q is not in PATH: PATH is empty", name)
	}
	return "", fmt.Errorf("%q is not in PATH (%s)", name, path)
}
