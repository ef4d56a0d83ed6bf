package lsp

import (
	"context"
	"path/filepath"
	"slices"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// watchedFileGlobs are the files whose changes on disk the server must see:
// the module files, and Go files, whose imports decide what go mod tidy
// writes (a saved .go file makes its own directory's imports read again,
// not its module's; the buffers of .go files are gopls's, never read).
var watchedFileGlobs = []string{"**/go.mod", "**/go.work", "**/go.sum", "**/go.work.sum", "**/vendor/modules.txt", "**/*.go"}

// vendorDirGlob is watched for deletion only: when a directory is deleted,
// clients may report just the directory, not each file in it (VS Code
// does so), and deleting vendor/ changes what the go command does.
const vendorDirGlob = "**/vendor"

const watchRegistrationID = "gomodls-watched-files"

// fileSystemWatchers are the watchers registered with a client that can
// watch files for the server.
func fileSystemWatchers() []protocol.FileSystemWatcher {
	var ws []protocol.FileSystemWatcher
	for _, g := range watchedFileGlobs {
		ws = append(ws, protocol.FileSystemWatcher{GlobPattern: g})
	}
	return append(ws, protocol.FileSystemWatcher{GlobPattern: vendorDirGlob, Kind: protocol.WatchKindDelete})
}

// startWatching arranges to hear of changes on disk: from the client's
// watchers when it can register them dynamically, otherwise (Neovim on
// Linux, for one) from the server's own, which it also falls back to when
// the client refuses the registration.
func (s *server) startWatching() {
	s.mu.Lock()
	dynamic, started := s.caps.dynamicWatchers, s.watchStarted
	s.watchStarted = true
	s.mu.Unlock()
	if started {
		return // a second initialized
	}
	if !dynamic {
		s.goBackground("starting the file watcher", s.startServerWatcher)
		return
	}
	// Registering waits for the client's answer, which the reader
	// goroutine (running this handler) must be free to read.
	s.goBackground("registering file watchers", func() {
		params := &protocol.RegistrationParams{Registrations: []protocol.Registration{{
			ID:              watchRegistrationID,
			Method:          protocol.MethodWorkspaceDidChangeWatchedFiles,
			RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: fileSystemWatchers()},
		}}}
		if _, err := s.conn.Call(s.ctx, protocol.MethodClientRegisterCapability, params, nil); err != nil {
			if s.ctx.Err() != nil {
				return
			}
			s.log.Warn("client refused file watchers; watching with fsnotify", zap.Error(err))
			s.startServerWatcher()
			return
		}
		s.log.Info("watching files through the client", zap.Strings("globs", watchedFileGlobs))
	})
}

// startServerWatcher starts watching the workspace folders with fsnotify.
// Failing to is logged and shown in the client's log, never fatal: open
// buffers are still checked, and saves are still seen.
func (s *server) startServerWatcher() {
	w, err := newFileWatcher(s.log, s.debounce, s.diskChanged)
	if err != nil {
		s.log.Warn("cannot watch files", zap.Error(err))
		s.logMessage(protocol.MessageTypeWarning, "gomodls: cannot watch files ("+err.Error()+"); changes made outside the editor are seen only when a file is saved or reopened")
		return
	}
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		w.close()
		return
	}
	s.watcher = w
	s.mu.Unlock()
	s.updateWatchedDirs()
	s.log.Info("watching files with fsnotify")
}

// updateWatchedDirs points the server's watcher, if there is one, at the
// current folders, and at the directories of files outside them that the
// snapshot holds (a go.work above the folder, modules it uses).
func (s *server) updateWatchedDirs() {
	s.watchedDirsMu.Lock()
	defer s.watchedDirsMu.Unlock()
	s.mu.Lock()
	w, folders, session := s.watcher, slices.Clone(s.folders), s.session
	s.mu.Unlock()
	if w == nil {
		return
	}
	var outside []string
	if session != nil {
		snap := session.Snapshot()
		for _, f := range snap.Files() {
			if !snap.InFolders(f.Path) {
				outside = append(outside, filepath.Dir(f.Path))
			}
		}
	}
	w.setDirs(folders, outside)
}

// diskChanged re-reads paths after the server's watcher saw them change.
func (s *server) diskChanged(paths []string) {
	session := s.currentSession()
	if session == nil {
		return
	}
	s.log.Debug("files changed on disk", zap.Strings("paths", paths))
	s.diagnoser.dropVerified(paths)
	s.diagnoser.schedule(session.DiskChanged(paths))
	s.updateWatchedDirs()
}

// didChangeWatchedFiles re-reads what the client's watchers saw change.
// Open buffers keep precedence over the disk: the session sees to that.
func (s *server) didChangeWatchedFiles(_ context.Context, params *protocol.DidChangeWatchedFilesParams) {
	session := s.currentSession()
	if session == nil {
		return
	}
	var paths []string
	for _, c := range params.Changes {
		if c == nil {
			continue
		}
		path, err := pathFromURI(c.URI)
		if err != nil {
			s.log.Debug("ignoring watched file event", zap.Error(err))
			continue
		}
		paths = append(paths, path)
	}
	if len(paths) > 0 {
		s.diagnoser.dropVerified(paths)
		s.diagnoser.schedule(session.DiskChanged(paths))
	}
}
