package lsptest

import (
	"context"
	"encoding/json"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/lsp/internal/framing"
)

// A PendingCall is a request sent with Start whose answer has not been
// waited for.
type PendingCall struct {
	// ID is the request's ID, what $/cancelRequest names.
	ID     jsonrpc2.ID
	done   chan struct{}
	result json.RawMessage
	err    error
}

// Start sends a request without waiting for the answer, so that the test
// can act (cancel it, say) while the server works on it.
func (c *Client) Start(method string, params any) *PendingCall {
	c.t.Helper()
	p := &PendingCall{done: make(chan struct{})}
	sent := make(chan jsonrpc2.ID, 1)
	c.mu.Lock()
	c.onCall = func(call *jsonrpc2.Call) {
		if call.Method() == method {
			select {
			case sent <- call.ID():
			default:
			}
		}
	}
	c.mu.Unlock()
	go func() {
		defer close(p.done)
		ctx, cancel := context.WithTimeout(context.Background(), Timeout)
		defer cancel()
		_, p.err = c.conn.Call(ctx, method, params, &p.result)
	}()
	select {
	case p.ID = <-sent:
	case <-p.done: // not sent: Wait reports why
	}
	c.mu.Lock()
	c.onCall = nil
	c.mu.Unlock()
	return p
}

// Cancel sends $/cancelRequest for p.
func (c *Client) Cancel(p *PendingCall) {
	c.t.Helper()
	c.Notify(protocol.MethodCancelRequest, map[string]any{"id": &p.ID}) // ID marshals through a pointer
}

// Wait waits for the answer to p (at most Timeout) and decodes its result
// into result, if not nil. The error of a failed request is a
// *jsonrpc2.Error.
func (p *PendingCall) Wait(result any) error {
	<-p.done
	if p.err != nil || result == nil || len(p.result) == 0 {
		return p.err
	}
	return json.Unmarshal(p.result, result)
}

// callStream is the client's end of the connection. It shows Start the ID
// jsonrpc2 gives a request, which jsonrpc2's Call only returns with the
// answer.
type callStream struct {
	*framing.Stream
	c *Client
}

func (s callStream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	if call, ok := msg.(*jsonrpc2.Call); ok {
		s.c.mu.Lock()
		onCall := s.c.onCall
		s.c.mu.Unlock()
		if onCall != nil {
			onCall(call)
		}
	}
	return s.Stream.Write(ctx, msg)
}

// A Progress is one $/progress notification the server sent.
type Progress struct {
	Token   json.RawMessage
	Kind    string // begin, report or end
	Title   string // of begin
	Message string
	// Cancellable is begin's: the editor shows a cancel button, which
	// sends window/workDoneProgress/cancel.
	Cancellable bool
}

// Progress returns every $/progress received, in order.
func (c *Client) Progress() []Progress {
	var out []Progress
	for _, p := range decodeAll[struct {
		Token json.RawMessage
		Value struct {
			Kind, Title, Message string
			Cancellable          bool
		}
	}](c, protocol.MethodProgress) {
		out = append(out, Progress{Token: p.Token, Kind: p.Value.Kind, Title: p.Value.Title, Message: p.Value.Message, Cancellable: p.Value.Cancellable})
	}
	return out
}
