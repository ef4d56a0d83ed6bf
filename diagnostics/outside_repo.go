package diagnostics

import (
	"context"
	"fmt"
	"path/filepath"

	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/workspace"
)

// Codes of the checks of directories a go.work or go.mod names outside its
// own repository.
const (
	CodeGoWorkUseOutsideRepo  = "gowork-use-outside-repo"
	CodeReplaceDirOutsideRepo = "replace-dir-outside-repo"
)

// outsideRepoCheck looks at the directories the go command reads because a
// file names them — a go.work's use lines, the directory replacements of
// go.work and of the main modules' go.mod files — and warns about those that
// exist but lie outside the version-control checkout the naming file is in
// (workspace.Snapshot.Repository). The build works on this machine, where the
// directory happens to be, and fails on every other one and in CI, which
// check out the repository alone; nothing else says so until the directory
// is gone (then gowork-use-missing-dir and replace-dir-missing do).
//
// A file in no checkout, a directory inside the file's checkout (a
// monorepo's replaces of its own modules), a missing directory, a module
// replacement and a go.mod in the module cache get nothing. Only files the
// go command reads count: a go.work in effect in its own directory, the go.mod
// files of the main modules of a build context.
var outsideRepoCheck = Check{
	Name:       "outsideRepo",
	Codes:      []string{CodeGoWorkUseOutsideRepo, CodeReplaceDirOutsideRepo},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return outsideRepo(context.Background(), snap, nil) },
	RunFocused: outsideRepo,
}

// outsideRepo is the check on the files of focus (every file when focus is nil).
func outsideRepo(ctx context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	for _, w := range worksInEffect(snap) {
		if focus.Has(w.File) {
			diags = append(diags, workOutsideRepo(snap, w)...)
		}
	}
	seen := make(map[*workspace.Module]bool)
	for _, bc := range buildContexts(snap) {
		for m := range mainsInFocus(ctx, bc, focus) {
			if !seen[m] {
				seen[m] = true
				diags = append(diags, replacesOutsideRepo(snap, m.File, m.Dir, m.Mod.Replace, false)...)
			}
		}
	}
	return diags
}

// workOutsideRepo checks w's use lines and directory replacements.
func workOutsideRepo(snap *workspace.Snapshot, w *workspace.Work) []Diagnostic {
	repo, ok := fileRepository(snap, w.Dir)
	if !ok {
		return nil
	}
	// A go.work is often kept out of version control, as the go command's
	// documentation advises (go help work), and then uses a neighbour's
	// checkout on purpose: nothing to say when git ignores it, and
	// otherwise the messages say the trouble comes with committing it.
	if snap.IgnoresGoWork(repo, w.Dir) {
		return nil
	}
	var diags []Diagnostic
	uses, _ := uniqueUses(snap, w) // a repeated line is gowork-use-duplicate-path's
	for _, wu := range uses {
		if snap.UsePathKind(wu.dir) != workspace.PathDir || workspace.Within(wu.dir, repo.Root) {
			continue
		}
		diags = append(diags, Diagnostic{
			Code:     CodeGoWorkUseOutsideRepo,
			Severity: SeverityWarning,
			File:     w.File,
			Span:     lineSpan(wu.use.Syntax),
			Message: fmt.Sprintf("directory %s is %s: it exists here, but not on other machines or in CI, where go fails with \"cannot load module %s listed in go.work file\" if this go.work is committed; commit the module into this repository, or keep go.work out of version control",
				writtenWhere(wu.use.Path, wu.dir), outsideOf(repo), goShortPath(w.Dir, wu.dir)),
		})
	}
	return append(diags, replacesOutsideRepo(snap, w.File, w.Dir, w.Work.Replace, true)...)
}

// replacesOutsideRepo checks the directory replacements reps of file, a
// go.work (inWork) or a go.mod, in dir.
func replacesOutsideRepo(snap *workspace.Snapshot, file *workspace.File, dir string, reps []*modfile.Replace, inWork bool) []Diagnostic {
	var repo workspace.Repository
	var diags []Diagnostic
	for _, r := range reps {
		// replaceDir resolves the target as the go command does (modload's
		// canonicalizeReplacePath, and the replace checks): relative to the
		// file's directory; a module version is no directory.
		target, ok := replaceDir(dir, r)
		if !ok || snap.PathKind(target) != workspace.PathDir {
			continue
		}
		if repo.Root == "" {
			if repo, ok = fileRepository(snap, dir); !ok {
				return nil
			}
		}
		if workspace.Within(target, repo.Root) {
			continue
		}
		when, remedy := "", "commit the module into this repository, or replace with a module version"
		if inWork {
			when, remedy = " if this go.work is committed", "commit the module into this repository, replace with a module version, or keep go.work out of version control"
		}
		diags = append(diags, Diagnostic{
			Code:     CodeReplaceDirOutsideRepo,
			Severity: SeverityWarning,
			File:     file,
			Span:     lineSpan(r.Syntax),
			Message: fmt.Sprintf("replacement directory %s is %s: it exists here, but not on other machines or in CI%s; %s",
				writtenWhere(r.New.Path, target), outsideOf(repo), when, remedy),
		})
	}
	return diags
}

// fileRepository is the checkout holding the file in dir; ok is false for a
// file in none, and for one in the module cache, whose files are the
// module's as published, not the user's.
func fileRepository(snap *workspace.Snapshot, dir string) (workspace.Repository, bool) {
	if inModuleCache(snap, dir) {
		return workspace.Repository{}, false
	}
	return snap.Repository(dir)
}

// writtenWhere is a directory as written in the file, followed by where it
// is when that is written relative.
func writtenWhere(written, abs string) string {
	if filepath.IsAbs(written) {
		return written
	}
	return fmt.Sprintf("%s (%s)", written, abs)
}

func outsideOf(repo workspace.Repository) string {
	return fmt.Sprintf("outside the repository at %s (it has %s)", repo.Root, repo.Marker)
}
