package lsp

import "github.com/gomodls/gomodls/workspace"

// SetNewSessionForTest makes the server build its session with f instead of
// workspace.NewSessionWithLimits (a walk that blocks, say) until restore is called.
func SetNewSessionForTest(f func(workspace.Env, []string, workspace.Limits) *workspace.Session) (restore func()) {
	old := newSession
	newSession = f
	return func() { newSession = old }
}
