package lsp

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// $/cancelRequest cancels the context of the async request it names (by a
// number or a string ID), which is then answered RequestCancelled; other
// IDs change nothing.
func TestCancelRequest(t *testing.T) {
	started := make(chan context.Context, 1)
	methods["test/wait"] = asyncRequest(func(_ *server, ctx context.Context, _ *struct{}) (any, error) {
		started <- ctx
		<-ctx.Done()
		return nil, ctx.Err()
	})
	defer delete(methods, "test/wait")
	s, _, _ := testServer(t)

	for _, id := range []jsonrpc2.ID{jsonrpc2.NewNumberID(7), jsonrpc2.NewStringID("seven")} {
		call, err := jsonrpc2.NewCall(id, "test/wait", nil)
		if err != nil {
			t.Fatal(err)
		}
		replied := make(chan error, 1)
		_ = s.handle(context.Background(), func(_ context.Context, _ any, err error) error { replied <- err; return nil }, call)
		ctx := <-started

		// Cancelling happens in handle, on the reader goroutine.
		for _, other := range []jsonrpc2.ID{jsonrpc2.NewNumberID(8), jsonrpc2.NewStringID("7")} {
			note, _ := jsonrpc2.NewNotification(protocol.MethodCancelRequest, map[string]any{"id": &other})
			_ = s.handle(context.Background(), nil, note)
		}
		if ctx.Err() != nil {
			t.Fatalf("request %v cancelled by a $/cancelRequest for other IDs", id)
		}

		note, _ := jsonrpc2.NewNotification(protocol.MethodCancelRequest, map[string]any{"id": &id})
		_ = s.handle(context.Background(), nil, note)
		var rpcErr *jsonrpc2.Error
		if err := <-replied; !errors.As(err, &rpcErr) || rpcErr.Code != protocol.CodeRequestCancelled {
			t.Errorf("request %v answered %v, want RequestCancelled", id, err)
		}
	}
	// The registration goes just after the answer: poll, boundedly.
	for i := 0; ; i++ {
		s.mu.Lock()
		n := len(s.inflight)
		s.mu.Unlock()
		if n == 0 {
			break
		}
		if i == 1000 {
			t.Fatalf("%d requests still registered after their answers", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
