package lsp

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// A workDone reports the progress of one long operation to the client with
// $/progress (server-initiated work done progress). When the client does
// not support it, or refuses the token, its methods do nothing, so callers
// need not care.
type workDone struct {
	s     *server
	token *protocol.ProgressToken // nil: report nothing
	key   string                  // the token as a string, for s.progressCancels
}

// beginWorkDone asks the client for a progress token and reports the start
// of an operation titled title. It waits for the client's answer, which
// arrives on the connection's reader goroutine: call it only from an async
// handler or a command, never from a handler that holds that goroutine.
func (s *server) beginWorkDone(ctx context.Context, title, message string) *workDone {
	return s.beginCancellableWorkDone(ctx, title, message, nil)
}

// beginCancellableWorkDone is beginWorkDone for an operation the user may
// stop from the editor's progress (its cancel button): the client's
// window/workDoneProgress/cancel for the token calls cancel. end forgets
// it.
func (s *server) beginCancellableWorkDone(ctx context.Context, title, message string, cancel context.CancelFunc) *workDone {
	s.mu.Lock()
	supported := s.caps.workDoneProgress
	s.mu.Unlock()
	w := &workDone{s: s}
	if !supported {
		return w
	}
	token := protocol.NewProgressToken(fmt.Sprintf("gomodls-%d", s.progressTokens.Add(1)))
	// Params by pointer: ProgressToken marshals through a pointer method.
	if _, err := s.conn.Call(ctx, protocol.MethodWorkDoneProgressCreate, &protocol.WorkDoneProgressCreateParams{Token: *token}, nil); err != nil {
		s.log.Warn("client refused a progress token", zap.Error(err))
		return w
	}
	w.token, w.key = token, token.String()
	if cancel != nil {
		s.mu.Lock()
		s.progressCancels[w.key] = cancel
		s.mu.Unlock()
	}
	w.send(&protocol.WorkDoneProgressBegin{Kind: protocol.WorkDoneProgressKindBegin, Title: title, Message: message, Cancellable: cancel != nil})
	return w
}

// workDoneProgressCancel stops the operation whose progress the user
// cancelled in the editor; a token that has ended (or was never
// cancellable) is ignored.
func (s *server) workDoneProgressCancel(_ context.Context, params *protocol.WorkDoneProgressCancelParams) {
	s.mu.Lock()
	cancel := s.progressCancels[params.Token.String()]
	s.mu.Unlock()
	if cancel != nil {
		s.log.Info("progress cancelled by the client", zap.String("token", params.Token.String()))
		cancel()
	}
}

// report updates the operation's message and, if percentage is in 1..100,
// its percentage.
func (w *workDone) report(message string, percentage uint32) {
	w.send(&protocol.WorkDoneProgressReport{Kind: protocol.WorkDoneProgressKindReport, Message: message, Percentage: min(percentage, 100)})
}

// end reports the operation finished.
func (w *workDone) end(message string) {
	if w.token != nil {
		w.s.mu.Lock()
		delete(w.s.progressCancels, w.key)
		w.s.mu.Unlock()
	}
	w.send(&protocol.WorkDoneProgressEnd{Kind: protocol.WorkDoneProgressKindEnd, Message: message})
}

func (w *workDone) send(value any) {
	if w.token == nil {
		return
	}
	w.s.notify(protocol.MethodProgress, &protocol.ProgressParams{Token: *w.token, Value: value})
}
