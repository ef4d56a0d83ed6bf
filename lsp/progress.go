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
}

// beginWorkDone asks the client for a progress token and reports the start
// of an operation titled title. It waits for the client's answer, which
// arrives on the connection's reader goroutine: call it only from an async
// handler or a command, never from a handler that holds that goroutine.
func (s *server) beginWorkDone(ctx context.Context, title, message string) *workDone {
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
	w.token = token
	w.send(&protocol.WorkDoneProgressBegin{Kind: protocol.WorkDoneProgressKindBegin, Title: title, Message: message})
	return w
}

// report updates the operation's message and, if percentage is in 1..100,
// its percentage.
func (w *workDone) report(message string, percentage uint32) {
	w.send(&protocol.WorkDoneProgressReport{Kind: protocol.WorkDoneProgressKindReport, Message: message, Percentage: min(percentage, 100)})
}

// end reports the operation finished.
func (w *workDone) end(message string) {
	w.send(&protocol.WorkDoneProgressEnd{Kind: protocol.WorkDoneProgressKindEnd, Message: message})
}

func (w *workDone) send(value any) {
	if w.token == nil {
		return
	}
	w.s.notify(protocol.MethodProgress, &protocol.ProgressParams{Token: *w.token, Value: value})
}
