package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// fakeConn records what the server sends the client.
type fakeConn struct {
	jsonrpc2.Conn // not called: only Call and Notify are used
	mu            sync.Mutex
	sent          []string // method and JSON params
	callErr       error
}

func (c *fakeConn) Call(_ context.Context, method string, params, _ any) (jsonrpc2.ID, error) {
	c.record(method, params)
	return jsonrpc2.NewNumberID(1), c.callErr
}

func (c *fakeConn) Notify(_ context.Context, method string, params any) error {
	c.record(method, params)
	return nil
}

func (c *fakeConn) record(method string, params any) {
	data, err := json.Marshal(params)
	if err != nil {
		data = []byte(err.Error())
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = append(c.sent, method+" "+string(data))
}

func testServer(t *testing.T) (*server, *fakeConn, *observer.ObservedLogs) {
	core, logs := observer.New(zap.DebugLevel)
	s := newServer(context.Background(), Options{Logger: zap.New(core)})
	conn := &fakeConn{}
	s.conn = conn
	s.state = running
	return s, conn, logs
}

// reply captures a handler's answer.
type reply struct {
	calls  int
	result any
	err    error
}

func (r *reply) replier(_ context.Context, result any, err error) error {
	r.calls++
	r.result, r.err = result, err
	return nil
}

// A handler that panics is logged, answered with InternalError exactly
// once, and the server goes on.
func TestHandlerPanicIsAnsweredInternalError(t *testing.T) {
	methods["test/panic"] = request(func(*server, context.Context, *struct{}) (any, error) { panic("handler bug") })
	defer delete(methods, "test/panic")
	s, _, logs := testServer(t)

	call, err := jsonrpc2.NewCall(jsonrpc2.NewNumberID(1), "test/panic", nil)
	if err != nil {
		t.Fatal(err)
	}
	var r reply
	if err := s.handle(context.Background(), r.replier, call); err != nil {
		t.Fatalf("handle returned %v: the connection would close", err)
	}
	var rpcErr *jsonrpc2.Error
	if r.calls != 1 || !errors.As(r.err, &rpcErr) || rpcErr.Code != jsonrpc2.InternalError || !strings.Contains(rpcErr.Message, "handler bug") {
		t.Errorf("replied %d times with %v, want one InternalError", r.calls, r.err)
	}
	if logs.FilterMessage("handler panicked").Len() != 1 {
		t.Error("panic not logged")
	}

	// The same for a notification, which gets no answer.
	methods["test/panic"] = notification(func(*server, context.Context, *struct{}) { panic("handler bug") })
	note, _ := jsonrpc2.NewNotification("test/panic", nil)
	r = reply{}
	if err := s.handle(context.Background(), r.replier, note); err != nil || r.calls != 0 {
		t.Errorf("notification: handle = %v, %d replies", err, r.calls)
	}
}

// Invalid params are InvalidParams, not a crash.
func TestInvalidParams(t *testing.T) {
	s, _, _ := testServer(t)
	call, _ := jsonrpc2.NewCall(jsonrpc2.NewNumberID(1), protocol.MethodTextDocumentCodeAction, []int{1, 2})
	var r reply
	_ = s.handle(context.Background(), r.replier, call)
	var rpcErr *jsonrpc2.Error
	if !errors.As(r.err, &rpcErr) || rpcErr.Code != jsonrpc2.InvalidParams {
		t.Errorf("reply = %v, want InvalidParams", r.err)
	}
}

func TestWorkDoneProgress(t *testing.T) {
	s, conn, _ := testServer(t)
	s.beginWorkDone(context.Background(), "nothing", "").end("done")
	if len(conn.sent) != 0 {
		t.Fatalf("sent %q to a client without workDoneProgress", conn.sent)
	}

	s.caps.workDoneProgress = true
	w := s.beginWorkDone(context.Background(), "Vendoring", "go mod vendor")
	w.report("copying", 50)
	w.end("done")
	want := []string{
		`window/workDoneProgress/create {"token":"gomodls-1"}`,
		`$/progress {"token":"gomodls-1","value":{"kind":"begin","title":"Vendoring","message":"go mod vendor"}}`,
		`$/progress {"token":"gomodls-1","value":{"kind":"report","message":"copying","percentage":50}}`,
		`$/progress {"token":"gomodls-1","value":{"kind":"end","message":"done"}}`,
	}
	if strings.Join(conn.sent, "\n") != strings.Join(want, "\n") {
		t.Errorf("sent:\n%s\nwant:\n%s", strings.Join(conn.sent, "\n"), strings.Join(want, "\n"))
	}

	// A client that refuses the token gets no progress.
	conn.sent, conn.callErr = nil, errors.New("no")
	s.beginWorkDone(context.Background(), "x", "").end("y")
	if len(conn.sent) != 1 {
		t.Errorf("sent %q after the client refused the token", conn.sent)
	}
}

func TestDecodeCommandArgs(t *testing.T) {
	s, _, _ := testServer(t)
	s.folders = []string{"/w"}
	tests := []struct {
		args    string
		wantErr string
	}{
		{`[{"dir":"file:///w/sub","args":["-v"]}]`, ""},
		{`[{"dir":"file:///w"}]`, ""},
		{`[{"dir":"file:///elsewhere"}]`, "outside the workspace folders"},
		{`[{"dir":"file:///w2"}]`, "outside the workspace folders"},
		{`[]`, "want one argument object"},
		{`[{"dir":"untitled:x"}]`, "invalid command directory"},
		{`[{"dir":7}]`, "invalid command argument"},
	}
	for _, tt := range tests {
		var raw []json.RawMessage
		if err := json.Unmarshal([]byte(tt.args), &raw); err != nil {
			t.Fatal(err)
		}
		_, err := s.decodeCommandArgs(raw)
		if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("decodeCommandArgs(%s) = %v, want error %q", tt.args, err, tt.wantErr)
		}
	}
}
