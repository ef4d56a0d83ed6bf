// Package framing implements the LSP base protocol — a header block with a
// Content-Length, a blank line, then a JSON-RPC body — as a
// [jsonrpc2.Stream] that survives input it cannot decode.
//
// jsonrpc2's Conn ends its read loop on the first error Stream.Read returns,
// and jsonrpc2.NewStream returns one for a body that is not JSON, so one bad
// message would end a session. Here Read returns an error only when the
// transport fails (EOF, a closed pipe). A message that cannot be decoded is
// handed to a callback as an [Undecodable] and reading goes on with the next
// message; the server answers it with [Undecodable.ErrorResponse].
package framing

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
)

// MaxBodySize bounds the Content-Length a Stream accepts. A larger body is
// skipped and reported as undecodable instead of being allocated: it is far
// more likely a corrupt header than a real module file.
const MaxBodySize = 256 << 20

// maxHeaderLine bounds one header line; the rest of a longer line is skipped.
const maxHeaderLine = 4096

const contentLength = "Content-Length"

// An Undecodable is a message Read skipped.
type Undecodable struct {
	// Body is the message body, or the offending header text when the
	// header block itself was malformed.
	Body []byte
	// Code is jsonrpc2.ParseError when the body is not JSON or the header
	// block is malformed, jsonrpc2.InvalidRequest when the body is JSON but
	// not a JSON-RPC message.
	Code jsonrpc2.Code
	Err  error
}

// ErrorResponse returns the JSON-RPC error response due for u, or nil when
// none is: JSON that is not a request (it has no "method" member, so it was
// meant as a response) gets no answer, so that two peers never trade error
// replies about each other's error replies. The id is the request's when it
// can be read, otherwise null, as JSON-RPC 2.0 §5 asks.
func (u Undecodable) ErrorResponse() []byte {
	id := json.RawMessage("null")
	if u.Code == jsonrpc2.InvalidRequest {
		var probe struct {
			Method *json.RawMessage `json:"method"`
			ID     json.RawMessage  `json:"id"`
		}
		if json.Unmarshal(u.Body, &probe) != nil || probe.Method == nil {
			return nil
		}
		if isNumberOrString(probe.ID) {
			id = probe.ID
		}
	}
	resp, err := json.Marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   jsonrpc2.Error  `json:"error"`
	}{"2.0", id, jsonrpc2.Error{Code: u.Code, Message: u.Err.Error()}})
	if err != nil {
		return nil // unreachable: every part is plain data
	}
	return resp
}

func isNumberOrString(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return false
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	switch v.(type) {
	case float64, string:
		return true
	}
	return false
}

// Stream is a jsonrpc2.Stream over the LSP base protocol. Read must be
// called from one goroutine at a time (jsonrpc2.Conn does so); Write and
// WriteBody may be called concurrently with each other and with Read.
type Stream struct {
	conn        io.ReadWriteCloser
	in          *bufio.Reader
	undecodable func(Undecodable)
	writeMu     sync.Mutex
}

var _ jsonrpc2.Stream = (*Stream)(nil)

// NewStream returns a Stream on conn. undecodable, if not nil, is called
// from Read for each message it skips; it may call WriteBody.
func NewStream(conn io.ReadWriteCloser, undecodable func(Undecodable)) *Stream {
	return &Stream{
		conn:        conn,
		in:          bufio.NewReaderSize(conn, maxHeaderLine),
		undecodable: undecodable,
	}
}

// Read returns the next message that decodes. It returns an error only when
// the underlying connection fails.
func (s *Stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	var total int64
	for {
		if err := ctx.Err(); err != nil {
			return nil, total, err
		}
		body, n, bad, err := s.readFrame()
		total += n
		if err != nil {
			return nil, total, err
		}
		if bad != nil {
			s.skip(*bad)
			continue
		}
		msg, err := jsonrpc2.DecodeMessage(body)
		if err == nil {
			return msg, total, nil
		}
		// Only now tell apart "not JSON" and "not JSON-RPC": validating every
		// body up front would cost a second pass over each message.
		if !json.Valid(body) {
			s.skip(Undecodable{Body: body, Code: jsonrpc2.ParseError, Err: errors.New("parse error: message body is not valid JSON")})
		} else {
			s.skip(Undecodable{Body: body, Code: jsonrpc2.InvalidRequest, Err: fmt.Errorf("invalid request: %v", err)})
		}
	}
}

func (s *Stream) skip(u Undecodable) {
	if s.undecodable != nil {
		s.undecodable(u)
	}
}

// readFrame reads one header block and its body. A malformed header block
// yields bad (and no body); err is set only for transport failures.
func (s *Stream) readFrame() (body []byte, n int64, bad *Undecodable, err error) {
	length := int64(-1)
	var problem error
	var badText []byte
	sawHeader := false
	for {
		line, ln, err := s.readLine()
		n += ln
		if err != nil {
			return nil, n, nil, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			if !sawHeader {
				continue // tolerate stray blank lines between messages
			}
			break
		}
		sawHeader = true
		name, value, ok := strings.Cut(string(line), ":")
		if !ok || strings.ContainsAny(name, " \t{\"") {
			// Not a header. If a Content-Length header follows garbage on
			// the same line (a body without its header, say), resync there.
			if i := bytes.Index(line, []byte(contentLength+":")); i > 0 {
				name, value, _ = strings.Cut(string(line[i:]), ":")
			} else {
				problem = fmt.Errorf("parse error: malformed header line %q", truncate(line))
				badText = append(badText, line...)
				continue
			}
		}
		if !strings.EqualFold(strings.TrimSpace(name), contentLength) {
			continue // Content-Type and unknown headers carry nothing we need
		}
		v, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
		if err != nil || v < 0 {
			problem = fmt.Errorf("parse error: invalid %s %q", contentLength, strings.TrimSpace(value))
			badText = append(badText, line...)
			continue
		}
		length = v
	}
	if length < 0 {
		if problem == nil {
			problem = fmt.Errorf("parse error: missing %s header", contentLength)
		}
		return nil, n, &Undecodable{Body: badText, Code: jsonrpc2.ParseError, Err: problem}, nil
	}
	if length > MaxBodySize {
		skipped, err := io.CopyN(io.Discard, s.in, length)
		n += skipped
		if err != nil {
			return nil, n, nil, fmt.Errorf("skipping oversized message: %w", err)
		}
		return nil, n, &Undecodable{Code: jsonrpc2.ParseError, Err: fmt.Errorf("parse error: message of %d bytes exceeds the limit of %d", length, MaxBodySize)}, nil
	}
	body = make([]byte, length)
	read, err := io.ReadFull(s.in, body)
	n += int64(read)
	if err != nil {
		return nil, n, nil, fmt.Errorf("reading message body: %w", err)
	}
	return body, n, nil, nil
}

// readLine returns the next line without its terminator, at most
// maxHeaderLine bytes of it.
func (s *Stream) readLine() ([]byte, int64, error) {
	var n int64
	line, err := s.in.ReadSlice('\n')
	n += int64(len(line))
	if errors.Is(err, bufio.ErrBufferFull) {
		line = append([]byte(nil), line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			var rest []byte
			rest, err = s.in.ReadSlice('\n')
			n += int64(len(rest))
		}
	}
	if err != nil {
		return nil, n, err
	}
	return bytes.TrimRight(line, "\r\n"), n, nil
}

func truncate(b []byte) string {
	const max = 80
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}

// Write sends msg with a Content-Length header.
func (s *Stream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	// jsonrpc2's messages marshal themselves; calling that directly skips
	// the pass in which json.Marshal re-validates and compacts the output.
	var body []byte
	var err error
	if m, ok := msg.(json.Marshaler); ok {
		body, err = m.MarshalJSON()
	} else {
		body, err = json.Marshal(msg)
	}
	if err != nil {
		return 0, fmt.Errorf("marshaling message: %w", err)
	}
	return s.writeFrame(body)
}

// WriteBody sends body, which must be one JSON-RPC message, with a
// Content-Length header. It lets a server answer an undecodable message
// (whose id may be null, which jsonrpc2.ID cannot express) and lets tests
// send raw bytes.
func (s *Stream) WriteBody(body []byte) error {
	_, err := s.writeFrame(body)
	return err
}

func (s *Stream) writeFrame(body []byte) (int64, error) {
	frame := make([]byte, 0, len(body)+32)
	frame = append(frame, contentLength+": "...)
	frame = strconv.AppendInt(frame, int64(len(body)), 10)
	frame = append(frame, "\r\n\r\n"...)
	frame = append(frame, body...)
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	n, err := s.conn.Write(frame)
	if err != nil {
		return int64(n), fmt.Errorf("writing message: %w", err)
	}
	return int64(n), nil
}

// WriteRaw writes b to the connection as it is, with no header: for tests
// that exercise framing errors.
func (s *Stream) WriteRaw(b []byte) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_, err := s.conn.Write(b)
	return err
}

// Close closes the connection; a blocked Read returns an error.
func (s *Stream) Close() error { return s.conn.Close() }
