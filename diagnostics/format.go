package diagnostics

import (
	"fmt"

	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/workspace"
)

// Format returns the edits that turn f, a go.mod or go.work, into what
// `go mod edit -fmt` (`go work edit -fmt`) writes for it: modfile's parse
// of a private copy, then SortBlocks, Cleanup and Format, as cmd/go's
// edit commands do. The edits replace whole lines, one per changed run
// (lineHunks), so that the editor keeps the cursor and the marks on the
// lines formatting leaves alone; none when f is formatted. A file that
// does not parse is an error: the go command refuses to format it too.
func Format(f *workspace.File) ([]Edit, error) {
	var out []byte
	switch f.Kind {
	case workspace.KindGoMod:
		mf, err := modfile.Parse(f.Path, f.Content(), nil)
		if err != nil {
			return nil, err
		}
		mf.SortBlocks()
		mf.Cleanup()
		if out, err = mf.Format(); err != nil {
			return nil, err
		}
	case workspace.KindGoWork:
		wf, err := modfile.ParseWork(f.Path, f.Content(), nil)
		if err != nil {
			return nil, err
		}
		wf.SortBlocks()
		wf.Cleanup()
		out = modfile.Format(wf.Syntax)
	default:
		return nil, fmt.Errorf("%s: only go.mod and go.work files are formatted", f.Path)
	}
	return lineHunks(f, out), nil
}
