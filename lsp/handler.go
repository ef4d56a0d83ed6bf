package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	segmentiojson "github.com/segmentio/encoding/json"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// codeRequestFailed is LSP 3.17's RequestFailed: the request was understood
// and well-formed, but could not be carried out.
const codeRequestFailed jsonrpc2.Code = -32803

// codeRequestCancelled answers a request the client cancelled with
// $/cancelRequest before it was done.
const codeRequestCancelled = protocol.CodeRequestCancelled // -32800

// errCancelledByClient is the cause of a request context that
// $/cancelRequest ended (the session ending is another cause).
var errCancelledByClient = errors.New("request cancelled by the client")

// A handler serves one LSP method.
type handler struct {
	// fn decodes the params and, for a request, returns the result.
	fn func(s *server, ctx context.Context, params json.RawMessage) (any, error)
	// async handlers run on their own goroutine: they may take long or call
	// the client, whose answer arrives on the reader goroutine and so could
	// never be read while a handler holds it.
	async bool
	// lifecycle handlers run on the reader goroutine even while a
	// workspace load runs, which queues every other message (load.go):
	// shutdown, exit and $/cancelRequest must never wait for a walk.
	lifecycle bool
	// startsSession handlers need the session and create it if there is
	// none yet: the first of them starts the load and waits behind it.
	startsSession bool
}

// methods maps every LSP method the server implements to its handler. Any
// other request is answered MethodNotFound, any other notification ignored.
//
// It is a table rather than an implementation of protocol.Server because
// that interface's dispatcher sends unknown methods to Server.Request, and
// a server type embedding a nil protocol.Server panics there.
var methods = map[string]handler{
	protocol.MethodInitialize:                         onReader(request((*server).initialize)),
	protocol.MethodInitialized:                        startsSession(notification((*server).initialized)),
	protocol.MethodShutdown:                           onReader(request((*server).shutdown)),
	protocol.MethodExit:                               onReader(notification((*server).exit)),
	protocol.MethodTextDocumentDidOpen:                startsSession(notification((*server).didOpen)),
	protocol.MethodTextDocumentDidChange:              startsSession(notification((*server).didChange)),
	protocol.MethodTextDocumentDidClose:               startsSession(notification((*server).didClose)),
	protocol.MethodTextDocumentDidSave:                startsSession(notification((*server).didSave)),
	protocol.MethodTextDocumentCodeAction:             request((*server).codeAction),
	protocol.MethodTextDocumentHover:                  request((*server).hover),
	protocol.MethodTextDocumentFormatting:             request((*server).formatting),
	protocol.MethodTextDocumentCompletion:             request((*server).completion),
	protocol.MethodTextDocumentDocumentLink:           request((*server).documentLink),
	methodTextDocumentInlayHint:                       request((*server).inlayHint),
	methodTextDocumentDiagnostic:                      asyncRequest((*server).documentDiagnostic),
	protocol.MethodWorkspaceExecuteCommand:            asyncRequest((*server).executeCommand),
	protocol.MethodWorkspaceDidChangeWatchedFiles:     notification((*server).didChangeWatchedFiles),
	protocol.MethodWorkspaceDidChangeWorkspaceFolders: notification((*server).didChangeWorkspaceFolders),
	protocol.MethodCancelRequest:                      onReader(notification((*server).cancelRequest)),
	protocol.MethodWorkDoneProgressCancel:             onReader(notification((*server).workDoneProgressCancel)),
	protocol.MethodWorkspaceDidChangeConfiguration:    notification((*server).didChangeConfiguration),
}

// onReader marks h as a lifecycle handler (see handler.lifecycle).
func onReader(h handler) handler {
	h.lifecycle = true
	return h
}

// startsSession marks h as needing the session (see handler.startsSession).
func startsSession(h handler) handler {
	h.startsSession = true
	return h
}

// request adapts a typed request handler.
func request[P, R any](fn func(*server, context.Context, *P) (R, error)) handler {
	return handler{fn: func(s *server, ctx context.Context, raw json.RawMessage) (any, error) {
		var params P
		if err := decodeParams(raw, &params); err != nil {
			return nil, err
		}
		return fn(s, ctx, &params)
	}}
}

// asyncRequest is request for a handler that runs on its own goroutine.
func asyncRequest[P, R any](fn func(*server, context.Context, *P) (R, error)) handler {
	h := request(fn)
	h.async = true
	return h
}

// notification adapts a typed notification handler. Notifications have no
// one to report an error to, so their handlers log what goes wrong.
func notification[P any](fn func(*server, context.Context, *P)) handler {
	return handler{fn: func(s *server, ctx context.Context, raw json.RawMessage) (any, error) {
		var params P
		if err := decodeParams(raw, &params); err != nil {
			return nil, err
		}
		fn(s, ctx, &params)
		return nil, nil
	}}
}

// decodeParams decodes raw (absent or null for a method without params)
// into params, ignoring members it does not know. It uses the JSON package
// jsonrpc2 uses, segmentio's, a drop-in for encoding/json that decodes a
// full go.mod or modules.txt in a didChange several times faster.
func decodeParams(raw json.RawMessage, params any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := segmentiojson.Unmarshal(raw, params); err != nil {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %v", err)
	}
	return nil
}

// handle is the connection's jsonrpc2.Handler. It never returns an error:
// jsonrpc2's Conn closes the connection when a handler does, and records
// the error in an atomic.Value that panics when the read error that follows
// has another type.
func (s *server) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	method := req.Method()
	_, isCall := req.(*jsonrpc2.Call)
	h, known := methods[method]
	if !known {
		if isCall {
			s.reply(ctx, reply, method, nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method not found: %s", method))
		} else if !strings.HasPrefix(method, "$/") {
			// "$/" notifications ($/cancelRequest, $/setTrace) may be
			// ignored by protocol; others are worth a debug line.
			s.log.Debug("ignoring unknown notification", zap.String("method", method))
		}
		return nil
	}
	if err := s.admit(method); err != nil {
		if isCall {
			s.reply(ctx, reply, method, nil, err)
		} else {
			s.log.Debug("dropping notification", zap.String("method", method), zap.Error(err))
		}
		return nil
	}
	if !h.lifecycle {
		if h.startsSession && s.currentSession() == nil {
			s.startLoad(ctx, func(context.Context) { s.ensureSession() })
		}
		if s.queueBehindLoad(ctx, h, reply, req, isCall) {
			return nil
		}
	}
	if h.async {
		ctx, done := s.cancellable(ctx, req)
		if !s.goBackground(method, func() { defer done(); s.run(ctx, h, reply, req, isCall) }) {
			done()
		}
		return nil
	}
	s.run(ctx, h, reply, req, isCall)
	return nil
}

// admit enforces the lifecycle: nothing but initialize (and exit) before
// initialize, nothing but exit (and a repeated shutdown) after shutdown.
func (s *server) admit(method string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.state {
	case awaitingInitialize:
		if method != protocol.MethodInitialize && method != protocol.MethodExit {
			return jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "server not initialized: send initialize first")
		}
	case running:
		if method == protocol.MethodInitialize {
			return jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize was already received")
		}
	case shutDown:
		if method != protocol.MethodExit && method != protocol.MethodShutdown {
			return jsonrpc2.NewError(jsonrpc2.InvalidRequest, "server is shut down: only exit is accepted")
		}
	}
	return nil
}

// run calls h and answers a request. A panic is logged and, for a request
// not yet answered, answered with InternalError; the session goes on.
func (s *server) run(ctx context.Context, h handler, reply jsonrpc2.Replier, req jsonrpc2.Request, isCall bool) {
	method := req.Method()
	replied := false
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		s.log.Error("handler panicked", zap.String("method", method), zap.Any("panic", r), zap.StackSkip("stack", 1))
		if isCall && !replied {
			s.reply(ctx, reply, method, nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error in gomodls handling %s: %v (please report this bug)", method, r))
		}
	}()
	result, err := h.fn(s, ctx, json.RawMessage(req.Params()))
	if err != nil && context.Cause(ctx) == errCancelledByClient {
		err = jsonrpc2.NewError(codeRequestCancelled, method+" cancelled")
	}
	if !isCall {
		if err != nil {
			s.log.Warn("notification failed", zap.String("method", method), zap.Error(err))
		}
		return
	}
	// Not ctx: a cancelled request still gets its answer.
	s.reply(context.WithoutCancel(ctx), reply, method, result, err)
	replied = true
}

// reply answers a request, giving an error that is not already a JSON-RPC
// error the RequestFailed code.
func (s *server) reply(ctx context.Context, reply jsonrpc2.Replier, method string, result any, err error) {
	if err != nil {
		var rpcErr *jsonrpc2.Error
		if !errors.As(err, &rpcErr) {
			err = jsonrpc2.NewError(codeRequestFailed, err.Error())
		}
		s.log.Debug("request failed", zap.String("method", method), zap.Error(err))
	}
	if werr := reply(ctx, result, err); werr != nil {
		s.log.Warn("replying", zap.String("method", method), zap.Error(werr))
	}
}

// errorf returns a RequestFailed error.
func errorf(format string, args ...any) error {
	return jsonrpc2.NewError(codeRequestFailed, fmt.Sprintf(format, args...))
}

// cancellable returns the context for an async request, which
// $/cancelRequest with the request's ID cancels, and the function to call
// once the request is answered. It runs on the reader goroutine, so the
// request is registered before a $/cancelRequest for it can be read.
// Synchronous requests are answered before the next message is read: by
// the time their cancellation arrives there is nothing left to cancel.
func (s *server) cancellable(ctx context.Context, req jsonrpc2.Request) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	call, ok := req.(*jsonrpc2.Call)
	if !ok {
		return ctx, func() { cancel(nil) }
	}
	id := call.ID()
	s.mu.Lock()
	s.inflight[id] = cancel
	s.mu.Unlock()
	return ctx, func() {
		s.mu.Lock()
		delete(s.inflight, id)
		s.mu.Unlock()
		cancel(nil)
	}
}

// cancelParams is CancelParams with an ID jsonrpc2 can compare: a number or
// a string.
type cancelParams struct {
	ID jsonrpc2.ID `json:"id"`
}

// cancelRequest cancels the request with the given ID: one waiting for a
// workspace load is answered RequestCancelled now (cancelQueued); an async
// one still running has its context cancelled and then answers
// RequestCancelled (unless it finishes first, which the protocol allows).
func (s *server) cancelRequest(_ context.Context, params *cancelParams) {
	if s.cancelQueued(params.ID) {
		return
	}
	s.mu.Lock()
	cancel := s.inflight[params.ID]
	s.mu.Unlock()
	if cancel != nil {
		s.log.Debug("cancelling request", zap.String("id", fmt.Sprint(params.ID)))
		cancel(errCancelledByClient)
	}
}
