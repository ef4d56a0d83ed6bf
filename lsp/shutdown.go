package lsp

import "context"

// shutdown stops the file watchers and diagnostics; afterwards the server
// accepts only exit. A second shutdown is answered the same way.
func (s *server) shutdown(context.Context, *struct{}) (any, error) {
	s.stopBackground()
	if s.onShutdown != nil {
		s.onShutdown()
	}
	s.mu.Lock()
	s.state = shutDown
	s.mu.Unlock()
	s.log.Info("shutdown")
	return nil, nil
}

// exit ends Serve, with or without a shutdown before it.
func (s *server) exit(context.Context, *struct{}) {
	s.exitOnce.Do(func() { close(s.exited) })
}
