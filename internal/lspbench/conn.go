package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// conn is the client's end of one JSON-RPC 2.0 connection in LSP's base
// protocol (Content-Length framing) to a server's standard input and
// output. It is written here rather than on go.lsp.dev/jsonrpc2 so that the
// harness times what arrives on the wire, stamping each message as soon as
// its body is read, and so that only lsp/ imports go.lsp.dev (ARCHITECTURE.md).
//
// Every request the server sends is answered (see answer): a server that
// waits for its client/registerCapability or workspace/configuration answer
// before it diagnoses would otherwise stall the benchmark.
type conn struct {
	w   io.WriteCloser
	wmu sync.Mutex // one message at a time on w

	mu        sync.Mutex
	nextID    int64
	pending   map[int64]chan response
	publishes []publish
	changed   chan struct{} // closed, and replaced, when publishes grows or the reader ends
	readErr   error         // why the reader ended; nil while it runs
	requests  map[string]int

	configuration json.RawMessage // the answer to each workspace/configuration item
}

// A publish is one textDocument/publishDiagnostics the server sent.
type publish struct {
	At          time.Time // when its body was read
	Path        string    // the file it is for, from its URI
	Version     int32     // 0 when the server did not say
	Diagnostics int
}

type response struct {
	result json.RawMessage
	err    *rpcError
}

// message is any JSON-RPC 2.0 message: a request (ID and Method), a
// notification (Method only) or a response (ID and Result or Error).
type message struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

type rpcError struct {
	Code    int64  `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("%s (code %d)", e.Message, e.Code) }

// newConn starts reading r; configuration is the answer to each
// workspace/configuration item (nil: null).
func newConn(w io.WriteCloser, r io.Reader, configuration json.RawMessage) *conn {
	if len(configuration) == 0 {
		configuration = json.RawMessage("null")
	}
	c := &conn{w: w, pending: make(map[int64]chan response), changed: make(chan struct{}), requests: make(map[string]int), configuration: configuration}
	go c.read(r)
	return c
}

// read reads messages until r ends or holds something that is not a
// message, which ends the connection: a server writing garbage on its
// stdout is not one to benchmark.
func (c *conn) read(r io.Reader) {
	br := bufio.NewReaderSize(r, 64<<10)
	var err error
	for {
		var body []byte
		if body, err = readFrame(br); err != nil {
			break
		}
		at := time.Now()
		var m message
		if err = json.Unmarshal(body, &m); err != nil {
			err = fmt.Errorf("server sent a body that is not JSON: %v: %.200q", err, body)
			break
		}
		switch {
		case m.Method != "" && len(m.ID) > 0:
			c.mu.Lock()
			c.requests[m.Method]++
			c.mu.Unlock()
			go c.answer(m) // not on the reader: writing may wait for the server to read
		case m.Method == "textDocument/publishDiagnostics":
			c.recordPublish(at, m.Params)
		case m.Method == "":
			c.deliver(m)
		}
	}
	c.mu.Lock()
	c.readErr = err
	for id, ch := range c.pending {
		close(ch)
		delete(c.pending, id)
	}
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

// readFrame reads one message body: headers up to an empty line, of which
// only Content-Length counts, then that many bytes.
func readFrame(br *bufio.Reader) ([]byte, error) {
	length := -1
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			if err == io.EOF && line == "" && length < 0 {
				return nil, io.EOF
			}
			return nil, fmt.Errorf("reading a header: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			if length < 0 {
				return nil, errors.New("message without a Content-Length header")
			}
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 {
				return nil, fmt.Errorf("bad Content-Length header %q", line)
			}
			length = n
		}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(br, body); err != nil {
		return nil, fmt.Errorf("reading a %d-byte body: %w", length, err)
	}
	return body, nil
}

func (c *conn) recordPublish(at time.Time, params json.RawMessage) {
	var p struct {
		URI         string            `json:"uri"`
		Version     *int32            `json:"version"`
		Diagnostics []json.RawMessage `json:"diagnostics"`
	}
	if err := json.Unmarshal(params, &p); err != nil {
		return // not a publish the benchmark can match
	}
	pub := publish{At: at, Path: pathOfURI(p.URI), Diagnostics: len(p.Diagnostics)}
	if p.Version != nil {
		pub.Version = *p.Version
	}
	c.mu.Lock()
	c.publishes = append(c.publishes, pub)
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

func (c *conn) deliver(m message) {
	id, err := strconv.ParseInt(string(m.ID), 10, 64)
	if err != nil {
		return // not the answer to a request of ours: we only send numbers
	}
	c.mu.Lock()
	ch := c.pending[id]
	delete(c.pending, id)
	c.mu.Unlock()
	if ch != nil {
		ch <- response{result: m.Result, err: m.Error}
	}
}

// answer replies to a request from the server as a client that supports
// what it advertised but has nothing to say: workspace/configuration gets
// c.configuration (by default null: the server's defaults) for each item
// asked, everything else
// (client/registerCapability, window/workDoneProgress/create,
// window/showMessageRequest, …) a null result.
func (c *conn) answer(m message) {
	result := json.RawMessage("null")
	if m.Method == "workspace/configuration" {
		var p struct {
			Items []json.RawMessage `json:"items"`
		}
		_ = json.Unmarshal(m.Params, &p) // no items: an empty list
		items := make([]json.RawMessage, len(p.Items))
		for i := range items {
			items[i] = c.configuration
		}
		result, _ = json.Marshal(items) // RawMessages already valid

	}
	_ = c.write(message{JSONRPC: "2.0", ID: m.ID, Result: result}) // a server gone is seen by the reader
}

func (c *conn) write(m message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "Content-Length: %d\r\n\r\n", len(body))
	buf.Write(body)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err = c.w.Write(buf.Bytes())
	return err
}

// notify sends a notification.
func (c *conn) notify(method string, params any) error {
	raw, err := json.Marshal(params)
	if err != nil {
		return err
	}
	return c.write(message{JSONRPC: "2.0", Method: method, Params: raw})
}

// call sends a request and waits for its answer.
func (c *conn) call(ctx context.Context, method string, params any) (json.RawMessage, error) {
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	ch := make(chan response, 1)
	c.mu.Lock()
	if c.readErr != nil {
		c.mu.Unlock()
		return nil, c.closedError()
	}
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	c.mu.Unlock()
	if err := c.write(message{JSONRPC: "2.0", ID: json.RawMessage(strconv.FormatInt(id, 10)), Method: method, Params: raw}); err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	select {
	case r, ok := <-ch:
		if !ok {
			return nil, fmt.Errorf("%s: %w", method, c.closedError())
		}
		if r.err != nil {
			return nil, fmt.Errorf("%s: %w", method, r.err)
		}
		return r.result, nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return nil, fmt.Errorf("%s: no answer: %w", method, ctx.Err())
	}
}

func (c *conn) closedError() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.readErr == nil || errors.Is(c.readErr, io.EOF) {
		return errors.New("the server closed its output")
	}
	return c.readErr
}

// published returns the number of publishes received so far, the cursor
// waitPublish starts from to see only those that come after.
func (c *conn) published() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.publishes)
}

// allPublishes returns a copy of every publish received so far.
func (c *conn) allPublishes() []publish {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]publish(nil), c.publishes...)
}

// waitPublish waits for the first publish at or after index from that
// match accepts, and returns it with its index.
func (c *conn) waitPublish(ctx context.Context, from int, match func(publish) bool) (publish, int, error) {
	for {
		c.mu.Lock()
		for i := from; i < len(c.publishes); i++ {
			if match(c.publishes[i]) {
				p := c.publishes[i]
				c.mu.Unlock()
				return p, i, nil
			}
		}
		from = len(c.publishes)
		changed, ended := c.changed, c.readErr != nil
		c.mu.Unlock()
		if ended {
			return publish{}, 0, c.closedError()
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return publish{}, 0, ctx.Err()
		}
	}
}

// serverRequests returns how many requests of each method the server sent.
func (c *conn) serverRequests() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.requests))
	for k, v := range c.requests {
		out[k] = v
	}
	return out
}

// uriOf is the file URI of an absolute path.
func uriOf(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

// pathOfURI is the cleaned path of a file URI, so that URIs escaped
// differently by the server name the same file; anything else stays as is.
func pathOfURI(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return uri
	}
	return filepath.Clean(filepath.FromSlash(u.Path))
}
