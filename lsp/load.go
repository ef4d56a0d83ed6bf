package lsp

import (
	"context"
	"sync"
	"sync/atomic"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"

	"github.com/gomodls/gomodls/workspace"
)

// This file keeps the workspace loads — the walk of the folders that
// builds the session (the first message that needs it), and those that
// rebuild it for new folders (didChangeWorkspaceFolders) or a new go
// environment (reloadEnv) — off the
// connection's reader goroutine. A walk can take long (a huge tree, a slow
// network file system) or block for good (a special file, on a kernel that
// never answers); on the reader it stopped every later message from being
// read, shutdown and $/cancelRequest included.
//
// The ordering guarantee of type server still holds: while a load runs,
// every message but the lifecycle ones (initialize, shutdown, exit,
// $/cancelRequest: handler.lifecycle) is queued, and the loader runs them
// after the load, in the order they were read, as the reader would have
// (async ones are started then). Once the queue is empty the reader runs
// messages itself again. So a message sees the effects of every message
// before it; what changes is only that shutdown, exit and $/cancelRequest
// do not wait — a queued request that $/cancelRequest names is answered
// RequestCancelled at once, without running.

// newSession is workspace.NewSessionWithLimits; a test stands in for it with a walk
// that blocks.
var newSession = workspace.NewSessionWithLimits

// loader is the queue of loads and of the messages that wait for them.
type loader struct {
	mu     sync.Mutex
	active bool // drainLoads runs: messages go to queue
	queue  []*queued
	// calls are the queued requests, by ID, for $/cancelRequest.
	calls map[jsonrpc2.ID]*queued
}

// A queued item is a load or a message.
type queued struct {
	load func(ctx context.Context) // a load; nil for a message

	ctx    context.Context
	h      handler
	reply  jsonrpc2.Replier
	req    jsonrpc2.Request
	isCall bool
	done   func() // ends the request's registration (cancellable)
	// claimed is set by whichever answers the request first: the loader
	// running it or $/cancelRequest.
	claimed atomic.Bool
}

// onLoaderKey marks the context of a message the loader runs: a load it
// starts runs there and then, before the messages queued behind it.
type onLoaderKey struct{}

// startLoad runs load off the reader goroutine, queuing the messages that
// arrive meanwhile (see the file comment). Called by a message the loader
// runs, it runs load inline: that message's successors are queued already.
func (s *server) startLoad(ctx context.Context, load func(ctx context.Context)) {
	if ctx.Value(onLoaderKey{}) != nil {
		load(ctx)
		return
	}
	s.loads.mu.Lock()
	s.loads.queue = append(s.loads.queue, &queued{load: load})
	if s.loads.active {
		s.loads.mu.Unlock()
		return
	}
	s.loads.active = true
	s.loads.mu.Unlock()
	if !s.goBackground("loading the workspace", s.drainLoads) {
		s.loads.mu.Lock()
		s.loads.active, s.loads.queue = false, nil
		s.loads.mu.Unlock()
	}
}

// queueBehindLoad queues a message while a load runs and reports whether it
// did; otherwise the reader runs the message itself. A request is
// registered for $/cancelRequest.
func (s *server) queueBehindLoad(ctx context.Context, h handler, reply jsonrpc2.Replier, req jsonrpc2.Request, isCall bool) bool {
	s.loads.mu.Lock()
	defer s.loads.mu.Unlock()
	if !s.loads.active {
		return false
	}
	q := &queued{ctx: ctx, h: h, reply: reply, req: req, isCall: isCall, done: func() {}}
	if call, ok := req.(*jsonrpc2.Call); ok {
		q.ctx, q.done = s.cancellable(ctx, req)
		if s.loads.calls == nil {
			s.loads.calls = make(map[jsonrpc2.ID]*queued)
		}
		s.loads.calls[call.ID()] = q
	}
	s.loads.queue = append(s.loads.queue, q)
	return true
}

// drainLoads runs the queue until it is empty, then hands the messages
// back to the reader. Once the session is over it drops what is left.
func (s *server) drainLoads() {
	for {
		s.loads.mu.Lock()
		if len(s.loads.queue) == 0 {
			s.loads.active = false
			s.loads.mu.Unlock()
			return
		}
		q := s.loads.queue[0]
		s.loads.queue = s.loads.queue[1:]
		if call, ok := q.req.(*jsonrpc2.Call); ok {
			delete(s.loads.calls, call.ID())
		}
		s.loads.mu.Unlock()
		if s.ctx.Err() != nil {
			if q.done != nil {
				q.done()
			}
			continue
		}
		s.runQueued(q)
	}
}

func (s *server) runQueued(q *queued) {
	if q.load != nil {
		func() {
			defer s.recoverPanic("loading the workspace")
			q.load(context.WithValue(s.ctx, onLoaderKey{}, true))
		}()
		return
	}
	if !q.claimed.CompareAndSwap(false, true) {
		return // answered by $/cancelRequest
	}
	if q.h.async {
		if !s.goBackground(q.req.Method(), func() { defer q.done(); s.run(q.ctx, q.h, q.reply, q.req, q.isCall) }) {
			q.done()
		}
		return
	}
	defer q.done()
	s.run(context.WithValue(q.ctx, onLoaderKey{}, true), q.h, q.reply, q.req, q.isCall)
}

// cancelQueued answers RequestCancelled for the queued request id, if it
// has not started, and reports whether it did.
func (s *server) cancelQueued(id jsonrpc2.ID) bool {
	s.loads.mu.Lock()
	q := s.loads.calls[id]
	delete(s.loads.calls, id)
	s.loads.mu.Unlock()
	if q == nil || !q.claimed.CompareAndSwap(false, true) {
		return false
	}
	method := q.req.Method()
	s.log.Debug("cancelling a request waiting for the workspace load", zap.String("method", method))
	s.reply(context.WithoutCancel(q.ctx), q.reply, method, nil, jsonrpc2.NewError(codeRequestCancelled, method+" cancelled"))
	q.done()
	return true
}
