package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/gocommand"
)

// downloadCommand is gomodls.download: go mod download <module path>... in
// the directory of a go.mod, which adds the go.sum lines of the named
// modules at the versions the module selects. It refuses flags and anything
// that is not a module path, and to run while go.mod has unsaved changes.
func (s *server) downloadCommand(ctx context.Context, args commandArgs) (any, error) {
	name := diagnostics.CommandDownload
	if len(args.Args) == 0 {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: name the modules to download", name)
	}
	for _, a := range args.Args {
		if strings.HasPrefix(a, "-") || module.CheckPath(a) != nil {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: argument %q not allowed (only module paths)", name, a)
		}
	}
	goArgs := append([]string{"mod", "download"}, args.Args...)
	session, snap, err := s.commandSnapshot(name, args)
	if err != nil {
		return nil, err
	}
	m := snap.Module(args.dir)
	if m == nil {
		return nil, s.refuse(fmt.Sprintf("not running go %s: no go.mod in %s", strings.Join(goArgs, " "), args.dir))
	}
	title := "go " + strings.Join(goArgs, " ")
	if paths := unsaved(session, snap, []string{m.File.Path}); len(paths) > 0 {
		return nil, s.refuse(fmt.Sprintf("not running %s: save go.mod first (the editor's content differs from the file on disk, which is what the go command reads)", title))
	}
	err = s.runGo(ctx, title, gocommand.Invocation{Dir: m.Dir, Args: goArgs})
	s.diskChanged([]string{m.File.Path, filepath.Join(m.Dir, "go.sum")})
	return nil, err
}
