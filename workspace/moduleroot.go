package workspace

import (
	"path/filepath"
)

// FindGoMod returns the go.mod the go command uses when run in dir, read
// from disk as cmd/go's modload.findModuleRoot does: the nearest regular
// file named go.mod in dir or a parent directory; "" when there is none.
// It is for presenters explaining a directory that may lie below or above
// the workspace folders; checks read the snapshot instead.
func FindGoMod(dir string) string {
	for d := filepath.Clean(dir); ; {
		if path := filepath.Join(d, "go.mod"); isGoMod(path) {
			return path
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}
