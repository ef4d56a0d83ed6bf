package lsp

import (
	"context"
	"slices"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// didChangeWorkspaceFolders rediscovers the workspace for the new folder
// list (open buffers are kept) and re-points the server's watcher.
func (s *server) didChangeWorkspaceFolders(ctx context.Context, params *protocol.DidChangeWorkspaceFoldersParams) {
	paths := func(folders []protocol.WorkspaceFolder) []string {
		var out []string
		for _, f := range folders {
			path, err := pathFromURI(protocol.DocumentURI(f.URI))
			if err != nil {
				s.log.Warn("ignoring workspace folder", zap.Error(err))
				continue
			}
			out = append(out, path)
		}
		return out
	}
	removed, added := paths(params.Event.Removed), paths(params.Event.Added)

	s.mu.Lock()
	folders := slices.DeleteFunc(slices.Clone(s.folders), func(f string) bool { return slices.Contains(removed, f) })
	for _, f := range added {
		if !slices.Contains(folders, f) {
			folders = append(folders, f)
		}
	}
	s.folders = folders
	s.mu.Unlock()

	s.log.Info("workspace folders changed", zap.Strings("folders", folders))
	session := s.currentSession()
	if session == nil {
		return // initialized loads the folders
	}
	// The walk runs off the reader goroutine; later messages wait for it
	// (load.go).
	s.startLoad(ctx, func(context.Context) {
		s.diagnoser.schedule(session.SetFolders(folders))
		s.updateWatchedDirs()
	})
}
