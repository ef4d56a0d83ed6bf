package lsp

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// This file holds the one confinement rule of the commands: the directory a
// go command runs in and every file it may rewrite must lie in a workspace
// folder once symbolic links are resolved (workspace.Confined). Comparing
// the paths as text let `use ./link`, with link → ../outside, run go mod
// tidy in outside/ and rewrite outside/go.mod. The same function decides
// which command fixes a code action offers and whether an executeCommand
// runs, so that an editor is never offered what the server then refuses.

// commandTargets returns the paths the command name, run for dir with args,
// would run in or may write, as the command itself (tidyCommand,
// workSyncCommand, …) would find them in snap. A path may not exist yet
// (go.sum, go.work.sum, vendor/): ResolvePath resolves its existing prefix.
func commandTargets(snap *workspace.Snapshot, name, dir string, args []string) []string {
	targets := []string{dir}
	moduleFiles := func(dir string) {
		targets = append(targets, dir, filepath.Join(dir, "go.mod"), filepath.Join(dir, "go.sum"))
	}
	// argDirs are the directories named by a go work use or init, relative
	// to dir: go records them in the go.work as use directives, and every
	// later command of that workspace would act on them.
	argDirs := func() {
		for _, a := range args {
			if !strings.HasPrefix(a, "-") {
				targets = append(targets, filepath.Join(dir, filepath.FromSlash(a)))
			}
		}
	}
	switch name {
	case diagnostics.CommandTidy, diagnostics.CommandDownload:
		// Both write go.mod and go.sum in the module's directory (the
		// files themselves may be links).
		moduleFiles(dir)
	case diagnostics.CommandWorkSync:
		// go work sync rewrites the go.mod and go.sum of every module the
		// go.work uses — every use directive, whether or not the snapshot
		// holds its go.mod (modload.UpdateWorkFile / modcmd.runSync).
		targets = append(targets, workFiles(dir)...)
		if w := snap.Work(dir); w != nil && w.Work != nil {
			for _, u := range w.Work.Use {
				moduleFiles(workspace.UseDir(w, u.Path))
			}
		}
	case diagnostics.CommandWorkUse, diagnostics.CommandWorkInit:
		targets = append(targets, workFiles(dir)...)
		argDirs()
	case diagnostics.CommandVendor:
		// go mod vendor and go work vendor write vendor/ where
		// newVendorTarget says they run, the go.work's directory for a
		// workspace. (cmd/go removes a vendor that is a link rather than
		// write through it, but a linked vendor/ is refused all the same:
		// the rule is simpler than the exceptions.)
		if t, err := newVendorTarget(snap, dir); err == nil {
			targets = append(targets, t.dir, filepath.Join(t.dir, "vendor"))
		}
	}
	return compact(targets)
}

// outsideFolders returns, for the first of paths that is not confined to
// the workspace folders, why ("…/link resolves to /x/outside, outside the
// workspace folders"), and "" when all are.
func (s *server) outsideFolders(paths []string) string {
	s.mu.Lock()
	folders := slices.Clone(s.folders)
	s.mu.Unlock()
	// Resolved once for all of paths: go work sync names three per used
	// module, and a code action asks for every command fix it offers.
	roots := workspace.ResolveRoots(folders)
	for _, p := range paths {
		if roots.Contain(p) {
			continue
		}
		switch resolved := workspace.ResolvePath(p); {
		case resolved == "":
			return fmt.Sprintf("%s cannot be resolved (a symbolic link loop, or no permission), so it may lie outside the workspace folders", p)
		case resolved != filepath.Clean(p):
			return fmt.Sprintf("%s resolves to %s, outside the workspace folders", p, resolved)
		default:
			return fmt.Sprintf("%s is outside the workspace folders", p)
		}
	}
	return ""
}

// commandOutsideFolders applies the rule to the command c in snap: why it
// must not run, or "".
func (s *server) commandOutsideFolders(snap *workspace.Snapshot, c *diagnostics.Command) string {
	return s.outsideFolders(commandTargets(snap, c.Name, c.Dir, c.Args))
}
