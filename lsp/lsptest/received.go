package lsptest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap/zaptest/observer"

	"github.com/gomodls/gomodls/lsp/internal/framing"
)

// A Publish is one textDocument/publishDiagnostics the client received.
type Publish struct {
	Params protocol.PublishDiagnosticsParams
	Raw    json.RawMessage // as sent, to check what decoding hides (null vs [])
}

// A Notification is one notification the client received.
type Notification struct {
	Method string
	Params json.RawMessage
}

func (c *Client) formatLogs() string {
	var b strings.Builder
	for _, e := range c.logs.All() {
		fmt.Fprintf(&b, "%s %s", e.Level, e.Message)
		for k, v := range e.ContextMap() {
			fmt.Fprintf(&b, " %s=%v", k, v)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// Logs returns the server's log so far.
func (c *Client) Logs() *observer.ObservedLogs { return c.logs }

// HasCode matches diagnostics that include one with code.
func HasCode(code string) func([]protocol.Diagnostic) bool {
	return func(diags []protocol.Diagnostic) bool {
		return slices.ContainsFunc(diags, func(d protocol.Diagnostic) bool { return d.Code == code })
	}
}

// NoDiagnostics matches an empty list.
func NoDiagnostics(diags []protocol.Diagnostic) bool { return len(diags) == 0 }

// AwaitDiagnostics waits until the diagnostics last published for rel
// satisfy match, and returns them. For an open buffer only a publish for
// its current version counts.
func (c *Client) AwaitDiagnostics(rel string, match func([]protocol.Diagnostic) bool) []protocol.Diagnostic {
	c.t.Helper()
	path := c.Path(rel)
	var got []protocol.Diagnostic
	c.Await("diagnostics for "+rel, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		ps := c.publishes[path]
		if len(ps) == 0 {
			return false
		}
		last := ps[len(ps)-1].Params
		if b := c.buffers[path]; b != nil && int64(last.Version) != int64(b.version) {
			return false
		}
		got = last.Diagnostics
		return match(got)
	})
	return got
}

// LastPublish returns the last publishDiagnostics for rel.
func (c *Client) LastPublish(rel string) (Publish, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ps := c.publishes[c.Path(rel)]
	if len(ps) == 0 {
		return Publish{}, false
	}
	return ps[len(ps)-1], true
}

// Await waits until cond holds, re-checking it after every message from the
// server and every few milliseconds (for conditions on the disk or the log).
func (c *Client) Await(what string, cond func() bool) {
	c.t.Helper()
	deadline := time.NewTimer(Timeout)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		c.mu.Lock()
		changed := c.changed
		c.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-changed:
		case <-tick.C:
		case <-deadline.C:
			c.t.Fatalf("timed out after %v waiting for %s; received:\n%s", Timeout, what, c.describe())
		}
	}
}

// describe summarizes what the client received, for failure messages.
func (c *Client) describe() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	for _, path := range slices.Sorted(maps.Keys(c.publishes)) {
		ps := c.publishes[path]
		fmt.Fprintf(&b, "  %s: %d publishes, last: %s\n", path, len(ps), ps[len(ps)-1].Raw)
	}
	for _, n := range c.notifications {
		if n.Method != protocol.MethodTextDocumentPublishDiagnostics {
			fmt.Fprintf(&b, "  %s %s\n", n.Method, n.Params)
		}
	}
	return b.String()
}

// Notifications returns the params of every notification received with
// method, in order.
func (c *Client) Notifications(method string) []json.RawMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []json.RawMessage
	for _, n := range c.notifications {
		if n.Method == method {
			out = append(out, n.Params)
		}
	}
	return out
}

// ShowMessages returns every window/showMessage received.
func (c *Client) ShowMessages() []protocol.ShowMessageParams {
	return decodeAll[protocol.ShowMessageParams](c, protocol.MethodWindowShowMessage)
}

// LogMessages returns every window/logMessage received.
func (c *Client) LogMessages() []protocol.LogMessageParams {
	return decodeAll[protocol.LogMessageParams](c, protocol.MethodWindowLogMessage)
}

func decodeAll[T any](c *Client, method string) []T {
	var out []T
	for _, raw := range c.Notifications(method) {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			c.t.Errorf("decoding %s %s: %v", method, raw, err)
			continue
		}
		out = append(out, v)
	}
	return out
}

// Registrations returns every capability the server registered.
func (c *Client) Registrations() []protocol.Registration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.registrations)
}

// ProgressTokens returns the tokens of every window/workDoneProgress/create.
func (c *Client) ProgressTokens() []json.RawMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.progress)
}

// ErrorReplies returns the error responses that answered no request of the
// client: what a server sends, with id null, for a message it could not
// read.
func (c *Client) ErrorReplies() []jsonrpc2.Error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.errorReplies)
}

// signal wakes Await; c.mu must be held.
func (c *Client) signal() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// undecodable records error responses with a null id, which jsonrpc2 cannot
// decode, and ignores anything else it cannot read.
func (c *Client) undecodable(u framing.Undecodable) {
	var resp struct {
		ID    json.RawMessage `json:"id"`
		Error *jsonrpc2.Error `json:"error"`
	}
	if json.Unmarshal(u.Body, &resp) != nil || resp.Error == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errorReplies = append(c.errorReplies, *resp.Error)
	c.signal()
}

// handle serves the server's requests and records its notifications. It
// runs on the connection's reader goroutine and must not call c.t. It
// always returns nil (see the end).
func (c *Client) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	params := json.RawMessage(slices.Clone(req.Params()))
	_, isCall := req.(*jsonrpc2.Call)
	var result any
	var err error
	switch req.Method() {
	case protocol.MethodClientRegisterCapability:
		var p protocol.RegistrationParams
		if err = json.Unmarshal(params, &p); err == nil {
			c.mu.Lock()
			c.registrations = append(c.registrations, p.Registrations...)
			c.signal()
			c.mu.Unlock()
		}
	case protocol.MethodClientUnregisterCapability:
	case protocol.MethodWorkDoneProgressCreate:
		var p struct{ Token json.RawMessage }
		if err = json.Unmarshal(params, &p); err == nil {
			c.mu.Lock()
			c.progress = append(c.progress, p.Token)
			c.signal()
			c.mu.Unlock()
		}
	case protocol.MethodWorkspaceApplyEdit:
		var p protocol.ApplyWorkspaceEditParams
		if err = json.Unmarshal(params, &p); err == nil {
			resp := &protocol.ApplyWorkspaceEditResponse{Applied: true}
			if aerr := c.applyEdit(&p.Edit); aerr != nil {
				resp = &protocol.ApplyWorkspaceEditResponse{Applied: false, FailureReason: aerr.Error()}
			}
			result = resp
		}
	case "workspace/diagnostic/refresh", "workspace/inlayHint/refresh": // LSP 3.17: kept with the notifications, to count
		c.record(req.Method(), params)
	case protocol.MethodWorkspaceConfiguration:
		var p protocol.ConfigurationParams
		if err = json.Unmarshal(params, &p); err == nil {
			result = make([]any, len(p.Items))
		}
	default:
		if isCall {
			_ = reply(ctx, nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method not found: %s", req.Method()))
		} else {
			c.record(req.Method(), params)
		}
		return nil
	}
	if err != nil {
		err = jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%v", err)
	}
	// A failed reply means the connection is gone, which the reader sees
	// too. Returning an error here would make jsonrpc2 record a second,
	// differently typed failure in an atomic.Value, which panics.
	_ = reply(ctx, result, err)
	return nil
}

// record keeps a notification; publishDiagnostics are also kept by file.
func (c *Client) record(method string, params json.RawMessage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.notifications = append(c.notifications, Notification{Method: method, Params: params})
	if method == protocol.MethodTextDocumentPublishDiagnostics {
		var p protocol.PublishDiagnosticsParams
		if json.Unmarshal(params, &p) == nil {
			if path, err := pathOf(p.URI); err == nil {
				c.publishes[path] = append(c.publishes[path], Publish{Params: p, Raw: params})
			}
		}
	}
	c.signal()
}

func pathOf(uri protocol.DocumentURI) (string, error) {
	u, err := url.Parse(string(uri))
	if err != nil {
		return "", err
	}
	if u.Scheme != "file" {
		return "", errors.New("not a file URI")
	}
	return filepath.Clean(filepath.FromSlash(u.Path)), nil
}
