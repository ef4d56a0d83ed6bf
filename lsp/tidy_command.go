package lsp

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.lsp.dev/jsonrpc2"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/gocommand"
)

// tidyCommand is gomodls.tidy: go mod tidy in the directory of a go.mod. It
// rewrites go.mod and go.sum, so it refuses to run while either has unsaved
// changes. go mod tidy ignores go.work (it always acts on the one module);
// GOWORK=off makes that explicit, so that a GOWORK naming a broken go.work
// cannot get in the way.
func (s *server) tidyCommand(ctx context.Context, args commandArgs) (any, error) {
	name := diagnostics.CommandTidy
	if len(args.Args) > 0 {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: argument %q not allowed (go mod tidy takes none here)", name, args.Args[0])
	}
	session, snap, err := s.commandSnapshot(name, args)
	if err != nil {
		return nil, err
	}
	const title = "go mod tidy"
	m := snap.Module(args.dir)
	if m == nil {
		return nil, s.refuse(fmt.Sprintf("not running %s: no go.mod in %s", title, args.dir))
	}
	files := []string{m.File.Path, filepath.Join(m.Dir, "go.sum")}
	if paths := unsaved(session, snap, files); len(paths) > 0 {
		for i, p := range paths {
			paths[i] = relTo(m.Dir, p)
		}
		return nil, s.refuse(fmt.Sprintf("not running %s: save %s first (the editor's content differs from the file on disk, which is what the go command reads)", title, strings.Join(paths, ", ")))
	}
	// go writes a private copy (private_copy.go): -modfile outside the
	// module, its go.sum beside it.
	tmp, err := os.MkdirTemp("", "gomodls-tidy-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	cp, err := newModuleFileCopy(m.File, files[1], filepath.Join(tmp, "go.mod"))
	if err != nil {
		return nil, err
	}
	defer cp.remove()
	return nil, s.runGoThen(ctx, title, gocommand.Invocation{Dir: m.Dir, Args: []string{"mod", "tidy", "-modfile=" + cp.copyFile}, Env: []string{"GOWORK=off"}},
		func() (string, error) { return s.applyCopy(ctx, snap, cp) })
}
