package lsp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.lsp.dev/jsonrpc2"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/gocommand"
	"github.com/gomodls/gomodls/workspace"
)

// This file holds the go work commands: gomodls.workUse, gomodls.workSync
// and gomodls.workInit. Each runs in the directory of a go.work (the one
// to create, for init) with GOWORK naming that file, so that a GOWORK in
// the environment (off, or another file) cannot redirect it: the command
// acts on the go.work the user chose. Like gomodls.vendor, each refuses to
// run while a file the go command reads has unsaved changes, and re-reads
// what it may have rewritten afterwards.

// workUseCommand is gomodls.workUse: go work use [-r] [dir...] in the
// go.work directory. The directories are relative to it and lie inside it;
// -r . adds every module under it and drops the uses of directories that
// are gone.
func (s *server) workUseCommand(ctx context.Context, args commandArgs) (any, error) {
	name := diagnostics.CommandWorkUse
	var recursive bool
	var dirs []string
	for _, a := range args.Args {
		switch {
		case a == "-r":
			recursive = true
		case strings.HasPrefix(a, "-"):
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: argument %q not allowed (only -r and directories inside the go.work directory)", name, a)
		default:
			if err := checkLocalDir(name, a); err != nil {
				return nil, err
			}
			dirs = append(dirs, a)
		}
	}
	goArgs := []string{"work", "use"}
	if recursive {
		goArgs = append(goArgs, "-r")
	}
	goArgs = append(goArgs, dirs...)

	session, snap, err := s.commandSnapshot(name, args)
	if err != nil {
		return nil, err
	}
	w, err := existingWork(snap, args.dir)
	if err != nil {
		return nil, s.refuse(fmt.Sprintf("not running go %s: %v", strings.Join(goArgs, " "), err))
	}
	// go work use reads the go.mod of every module it keeps or adds, for
	// their go lines.
	inputs := []string{w.File.Path}
	for _, m := range snap.UsedModules(w) {
		inputs = append(inputs, m.File.Path)
	}
	for _, d := range dirs {
		abs := filepath.Join(w.Dir, filepath.FromSlash(d))
		for _, m := range snap.Modules() {
			if m.Dir == abs || recursive && workspace.Within(m.Dir, abs) {
				inputs = append(inputs, m.File.Path)
			}
		}
	}
	return nil, s.runWorkCommand(ctx, session, snap, workRun{
		dir:     w.Dir,
		goArgs:  goArgs,
		inputs:  inputs,
		outputs: workFiles(w.Dir),
		copyOf:  w.File,
	})
}

// workSyncCommand is gomodls.workSync: go work sync in the go.work
// directory. It rewrites the go.mod and go.sum of every used module, so it
// refuses to run when one of them lies outside the workspace folders
// (commandTargets).
func (s *server) workSyncCommand(ctx context.Context, args commandArgs) (any, error) {
	name := diagnostics.CommandWorkSync
	if len(args.Args) > 0 {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: argument %q not allowed (go work sync takes none)", name, args.Args[0])
	}
	goArgs := []string{"work", "sync"}
	session, snap, err := s.commandSnapshot(name, args)
	if err != nil {
		return nil, err
	}
	w, err := existingWork(snap, args.dir)
	if err != nil {
		return nil, s.refuse(fmt.Sprintf("not running go work sync: %v", err))
	}
	// Every used module lies in the workspace folders: commandSnapshot
	// refused the command otherwise.
	files := workFiles(w.Dir)
	for _, m := range snap.UsedModules(w) {
		files = append(files, m.File.Path, filepath.Join(m.Dir, "go.sum"))
	}
	return nil, s.runWorkCommand(ctx, session, snap, workRun{
		dir:          w.Dir,
		goArgs:       goArgs,
		inputs:       files,
		outputs:      files,
		editsInPlace: true,
	})
}

// workInitCommand is gomodls.workInit: go work init [dir...] in a
// directory without a go.work. The directories are relative to it and lie
// inside it. As GOWORK names the new file, go creates it even beneath the
// directory of another go.work (where go work init alone would say that
// one "already exists"): a nested go.work, which then governs dir.
func (s *server) workInitCommand(ctx context.Context, args commandArgs) (any, error) {
	name := diagnostics.CommandWorkInit
	for _, a := range args.Args {
		if strings.HasPrefix(a, "-") {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: argument %q not allowed (only directories inside the directory of the new go.work)", name, a)
		}
		if err := checkLocalDir(name, a); err != nil {
			return nil, err
		}
	}
	goArgs := append([]string{"work", "init"}, args.Args...)
	session, snap, err := s.commandSnapshot(name, args)
	if err != nil {
		return nil, err
	}
	gowork := filepath.Join(args.dir, "go.work")
	_, statErr := os.Lstat(gowork)
	if snap.File(gowork) != nil || statErr == nil {
		return nil, s.refuse(fmt.Sprintf("not running go work init: %s already exists", gowork))
	}
	var inputs []string // go work init reads the go lines of the modules it uses
	for _, a := range args.Args {
		if m := snap.Module(filepath.Join(args.dir, filepath.FromSlash(a))); m != nil {
			inputs = append(inputs, m.File.Path)
		}
	}
	return nil, s.runWorkCommand(ctx, session, snap, workRun{
		dir:     args.dir,
		goArgs:  goArgs,
		inputs:  inputs,
		outputs: workFiles(args.dir),
	})
}

// A workRun is one go work command, checked and ready to run.
type workRun struct {
	dir     string   // the go.work's directory, where go runs
	goArgs  []string // after "go"
	inputs  []string // files the command reads: no unsaved changes allowed
	outputs []string // files to re-read afterwards
	// copyOf, when set, is the go.work go is to write a private copy of
	// instead (private_copy.go): GOWORK names a copy beside it, so that its
	// relative paths mean the same.
	copyOf *workspace.File
	// editsInPlace: go rewrites the outputs themselves (go work sync writes
	// every module's go.mod, and no flag redirects those); those open in
	// the editor are put back and reach it as edits (keepEditorInStep).
	editsInPlace bool
}

// runWorkCommand refuses r when one of its inputs has unsaved changes,
// else runs it with GOWORK set to the go.work in r.dir (or its private
// copy) and brings its outputs to the editor and the session, even after
// a failure or a cancel when go wrote them in place: it may have written
// some.
func (s *server) runWorkCommand(ctx context.Context, session *workspace.Session, snap *workspace.Snapshot, r workRun) error {
	title := "go " + strings.Join(r.goArgs, " ")
	if paths := unsaved(session, snap, compact(r.inputs)); len(paths) > 0 {
		for i, p := range paths {
			paths[i] = relTo(r.dir, p)
		}
		return s.refuse(fmt.Sprintf("not running %s: save %s first (the editor's content differs from the file on disk, which is what the go command reads)", title, strings.Join(paths, ", ")))
	}
	inv := gocommand.Invocation{Dir: r.dir, Args: r.goArgs, Env: []string{"GOWORK=" + filepath.Join(r.dir, "go.work")}}
	if r.copyOf != nil {
		copyPath := filepath.Join(r.dir, fmt.Sprintf(".gomodls-%d-%d.go.work", os.Getpid(), s.progressTokens.Add(1)))
		cp, err := newModuleFileCopy(r.copyOf, r.copyOf.Path+".sum", copyPath)
		if err != nil {
			return err
		}
		defer cp.remove()
		inv.Env = []string{"GOWORK=" + cp.copyFile}
		return s.runGoThen(ctx, title, inv, func() (string, error) { return s.applyCopy(ctx, snap, cp) })
	}
	var after func() (string, error)
	var open map[string]*workspace.File
	if r.editsInPlace {
		open = s.openFiles(snap, r.outputs)
		after = func() (string, error) { return s.keepEditorInStep(ctx, snap, r.dir, open) }
	}
	err := s.runGoThen(ctx, title, inv, after)
	// Re-read the rest (go.sum files, go.mod files not open), and after a
	// failure all: go may have written some before it failed.
	s.diskChanged(compact(r.outputs))
	return err
}

// openFiles returns those of paths that are go.mod or go.work files open
// in the editor, as snap has them; none when the client cannot apply
// edits (go's result then stays on disk, where it wrote it).
func (s *server) openFiles(snap *workspace.Snapshot, paths []string) map[string]*workspace.File {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]*workspace.File)
	if !s.caps.applyEdit {
		return out
	}
	for _, p := range paths {
		if _, ok := s.open[p]; !ok || strings.HasSuffix(p, ".sum") {
			continue
		}
		if f := snap.File(p); f != nil {
			out[p] = f
		}
	}
	return out
}

// keepEditorInStep puts back on disk each open file (as snap had it) that
// go rewrote in place, and gives the editor go's content as an edit of its
// buffer instead (applyModuleFileEdit): the buffer then holds go's result,
// unsaved, with an undo step. When the editor does not take the edit, go's
// content goes back on disk: nothing go wrote is lost.
func (s *server) keepEditorInStep(ctx context.Context, snap *workspace.Snapshot, dir string, open map[string]*workspace.File) (string, error) {
	var notes []string
	var errs []error
	for _, path := range slices.Sorted(maps.Keys(open)) {
		f := open[path]
		after, err := os.ReadFile(path)
		if err != nil || bytes.Equal(after, f.Content()) {
			continue
		}
		if err := writeFileAtomically(path, f.Content()); err != nil {
			errs = append(errs, err)
			continue
		}
		note, err := s.applyModuleFileEdit(ctx, snap, path, f.Content(), f.Version, after)
		if err != nil {
			errs = append(errs, err)
			if werr := writeFileAtomically(path, after); werr != nil {
				errs = append(errs, werr)
			}
			continue
		}
		if note != "" {
			notes = append(notes, relTo(dir, path))
		}
	}
	if len(errs) > 0 {
		return "", errors.Join(errs...)
	}
	if len(notes) == 0 {
		return "", nil
	}
	return strings.Join(notes, ", ") + " edited in the editor: save them", nil
}

// commandSnapshot returns the session and its current snapshot, or the
// error for a command that arrives before the workspace is loaded, or that
// would run or write outside the workspace folders in that snapshot (see
// commandTargets): the refusal names the path and what it resolves to.
func (s *server) commandSnapshot(name string, args commandArgs) (*workspace.Session, *workspace.Snapshot, error) {
	session := s.currentSession()
	if session == nil {
		return nil, nil, errorf("%s: the workspace is not loaded yet", name)
	}
	snap := session.Snapshot()
	c := &diagnostics.Command{Name: name, Dir: args.dir, Args: args.Args}
	if why := s.commandOutsideFolders(snap, c); why != "" {
		return nil, nil, s.refuse(fmt.Sprintf("not running go %s: %s", strings.Join(c.GoArgs(snap), " "), why))
	}
	return session, snap, nil
}

// existingWork returns the go.work in dir.
func existingWork(snap *workspace.Snapshot, dir string) (*workspace.Work, error) {
	if w := snap.Work(dir); w != nil {
		return w, nil
	}
	return nil, fmt.Errorf("no go.work in %s", dir)
}

// checkLocalDir accepts a directory argument that names dir itself or a
// directory beneath it: relative, without .. leading out. The go command
// resolves it against the directory it runs in, the go.work's.
func checkLocalDir(name, arg string) error {
	if !filepath.IsLocal(filepath.FromSlash(arg)) {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: directory %q not allowed (only relative paths inside the go.work directory)", name, arg)
	}
	return nil
}

// workFiles are the workspace files of the go.work directory dir.
func workFiles(dir string) []string {
	return []string{filepath.Join(dir, "go.work"), filepath.Join(dir, "go.work.sum")}
}

// compact returns paths sorted and without duplicates.
func compact(paths []string) []string {
	paths = slices.Clone(paths)
	slices.Sort(paths)
	return slices.Compact(paths)
}
