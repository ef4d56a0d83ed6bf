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
//
// A Content-Length that disagrees with its body costs at most that message.
// When it is shorter, the body is cut (a parse error) and its rest is read
// as header text: Read skips text until a line holding a Content-Length
// header, even one that follows the rest of the body on the same line. When
// it is longer, the body holds the whole message and then the start of what
// followed it; the message is read and what came after it in the body is
// read again, as the start of the next frame, so nothing is lost.
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

// maxHeaderLine bounds one header line; only the end of a longer line is kept.
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
// can be read, otherwise null, as JSON-RPC 2.0 §5 asks; for a body that is
// not JSON (cut short, or nested too deep to decode) it is read by
// [requestID], without decoding.
func (u Undecodable) ErrorResponse() []byte {
	id := json.RawMessage("null")
	if u.Code == jsonrpc2.ParseError {
		if known := requestID(u.Body); known != nil {
			id = known
		}
	}
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
	src         *source // what in reads: bytes given back, then conn
	in          *bufio.Reader
	undecodable func(Undecodable)
	// resyncing is set after a body that is not JSON: its frame was
	// probably cut short, so the text up to the next Content-Length header
	// is the rest of it, and is skipped without another error.
	resyncing bool
	writeMu   sync.Mutex
}

// source serves the bytes a Stream gave back (see unread) before reading
// on from the connection.
type source struct {
	pending []byte
	conn    io.Reader
}

func (r *source) Read(p []byte) (int, error) {
	if len(r.pending) == 0 {
		return r.conn.Read(p)
	}
	n := copy(p, r.pending)
	r.pending = r.pending[n:]
	if len(r.pending) == 0 {
		r.pending = nil // let a large body go
	}
	return n, nil
}

var _ jsonrpc2.Stream = (*Stream)(nil)

// NewStream returns a Stream on conn. undecodable, if not nil, is called
// from Read for each message it skips; it may call WriteBody.
func NewStream(conn io.ReadWriteCloser, undecodable func(Undecodable)) *Stream {
	src := &source{conn: conn}
	return &Stream{
		conn:        conn,
		src:         src,
		in:          bufio.NewReaderSize(src, maxHeaderLine),
		undecodable: undecodable,
	}
}

// unread puts b back in front of what is still to be read.
func (s *Stream) unread(b []byte) {
	buffered, _ := s.in.Peek(s.in.Buffered())
	pending := make([]byte, 0, len(b)+len(buffered)+len(s.src.pending))
	pending = append(pending, b...)
	pending = append(pending, buffered...)
	pending = append(pending, s.src.pending...)
	s.src.pending = pending
	s.in.Reset(s.src)
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
		shape := scanJSON(body)
		if rest := s.overrun(body, shape); rest >= 0 {
			s.unread(body[rest:])
			total -= int64(len(body) - rest)
			body = body[:rest]
		}
		if shape.tooDeep {
			s.resyncing = true
			s.skip(Undecodable{Body: body, Code: jsonrpc2.ParseError, Err: fmt.Errorf("parse error: message nests arrays and objects more than %d deep", maxNesting)})
			continue
		}
		msg, err := jsonrpc2.DecodeMessage(body)
		if err == nil {
			return msg, total, nil
		}
		// Only now tell apart "not JSON" and "not JSON-RPC": validating every
		// body up front would cost a second pass over each message.
		if !json.Valid(body) {
			s.resyncing = true
			s.skip(Undecodable{Body: body, Code: jsonrpc2.ParseError, Err: errors.New("parse error: message body is not valid JSON")})
		} else {
			s.skip(Undecodable{Body: body, Code: jsonrpc2.InvalidRequest, Err: fmt.Errorf("invalid request: %v", err)})
		}
	}
}

// overrun returns where, in a body whose Content-Length was too long, the
// bytes of what followed the message begin, or -1.
//
// When the body's first value is whole (shape.end), what follows it was not
// part of the message: JSON-RPC sends one value per frame. If it is the
// start of a header block (it holds a Content-Length header, or it is the
// beginning of one, cut inside the name), it is given back, to be read as
// the next frame, whose header the bytes still to be read complete. Other
// trailing bytes are dropped, as the decoder always did. When the body's
// value never ends, the body is broken anyway, and the first Content-Length
// header in it, if any, is taken for the next frame's: a false one (text in
// a string of a cut body) costs nothing that was not lost already, since
// what is given back is read again with the resynchronising header scan.
func (s *Stream) overrun(body []byte, shape jsonShape) int {
	if shape.end >= 0 {
		rest := bytes.TrimLeft(body[shape.end:], " \t\r\n")
		if len(rest) == 0 {
			return -1
		}
		if indexContentLength(rest) >= 0 || isHeaderPrefix(rest, contentLengthColon) || isHeaderPrefix(rest, "content-type:") {
			return len(body) - len(rest)
		}
		return -1
	}
	if json.Valid(body) {
		return -1 // a scalar: no frame boundary inside it
	}
	return indexContentLength(body)
}

// isHeaderPrefix reports whether b is the beginning of header, in any case,
// or begins with all of it.
func isHeaderPrefix(b []byte, header string) bool {
	n := min(len(b), len(header))
	return equalFoldASCII(b[:n], header[:n])
}

func (s *Stream) skip(u Undecodable) {
	if s.undecodable != nil {
		s.undecodable(u)
	}
}

// readFrame reads one header block and its body. A malformed header block
// yields bad (and no body); err is set only for transport failures. While
// s.resyncing, every line before a valid Content-Length header is skipped.
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
			if !sawHeader || s.resyncing {
				continue // tolerate stray blank lines between messages
			}
			break
		}
		v, kind := parseHeaderLine(line)
		if s.resyncing && kind != contentLengthHeader {
			continue
		}
		sawHeader = true
		switch kind {
		case contentLengthHeader:
			length = v
			s.resyncing = false
		case otherHeader:
			// Content-Type and unknown headers carry nothing we need.
		case badContentLength:
			problem = fmt.Errorf("parse error: invalid %s header %q", contentLength, truncate(line))
			badText = appendBounded(badText, line)
		case notAHeader:
			problem = fmt.Errorf("parse error: malformed header line %q", truncate(line))
			badText = appendBounded(badText, line)
		}
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

// appendBounded appends line to the text of a malformed header block, which
// keeps at most maxHeaderLine bytes: a client sending line after line of
// garbage must not grow it without end.
func appendBounded(text, line []byte) []byte {
	if room := maxHeaderLine - len(text); room < len(line) {
		line = line[:max(room, 0)]
	}
	return append(text, line...)
}

type headerKind int

const (
	notAHeader headerKind = iota
	otherHeader
	contentLengthHeader
	badContentLength
)

// parseHeaderLine classifies one header line and returns the length a
// Content-Length header gives. A line that is not a header may end with one:
// the rest of a body longer than its Content-Length said runs into the next
// message's header line. A JSON-RPC message ends with "}", so the last
// Content-Length in a line counts when the byte before it cannot end a
// header name ("X-Content-Length" is another header).
func parseHeaderLine(line []byte) (int64, headerKind) {
	if i := lastIndexContentLength(line); i > 0 && !isTokenByte(line[i-1]) {
		if v, ok := parseLength(line[i+len(contentLengthColon):]); ok {
			return v, contentLengthHeader
		}
	}
	name, value, ok := bytes.Cut(line, []byte(":"))
	name = bytes.TrimSpace(name)
	switch {
	case !ok || !isToken(name):
		return 0, notAHeader
	case !strings.EqualFold(string(name), contentLength):
		return 0, otherHeader
	}
	if v, ok := parseLength(value); ok {
		return v, contentLengthHeader
	}
	return 0, badContentLength
}

func parseLength(value []byte) (int64, bool) {
	v, err := strconv.ParseInt(string(bytes.TrimSpace(value)), 10, 64)
	return v, err == nil && v >= 0
}

// isToken reports whether name is an HTTP header name (RFC 9110 §5.1).
func isToken(name []byte) bool {
	if len(name) == 0 {
		return false
	}
	for _, c := range name {
		if !isTokenByte(c) {
			return false
		}
	}
	return true
}

func isTokenByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// contentLengthColon is the header name and its colon, lower case.
const contentLengthColon = "content-length:"

// indexContentLength returns the index of the first "Content-Length:" in b,
// in any case, or -1. It looks for the '-' with bytes.IndexByte, which is
// fast on a long body.
func indexContentLength(b []byte) int {
	const dash = len("content")
	for from := dash; from < len(b); {
		j := bytes.IndexByte(b[from:], '-')
		if j < 0 {
			return -1
		}
		at := from + j - dash
		if at+len(contentLengthColon) <= len(b) && equalFoldASCII(b[at:at+len(contentLengthColon)], contentLengthColon) {
			return at
		}
		from += j + 1
	}
	return -1
}

// lastIndexContentLength is indexContentLength's last match, for a header
// line (at most maxHeaderLine bytes).
func lastIndexContentLength(line []byte) int {
	for at := len(line) - len(contentLengthColon); at >= 0; at-- {
		if equalFoldASCII(line[at:at+len(contentLengthColon)], contentLengthColon) {
			return at
		}
	}
	return -1
}

// equalFoldASCII reports whether b is lower, ignoring ASCII case only (the
// Unicode folding of bytes.EqualFold would let other bytes match).
func equalFoldASCII(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// readLine returns the next line without its terminator, at most
// maxHeaderLine bytes of it: the last ones, since a line that long is no
// header but may end with one (the rest of a cut body runs into the next
// message's Content-Length).
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
			line = append(line, rest...)
			if len(line) > maxHeaderLine {
				line = line[:copy(line, line[len(line)-maxHeaderLine:])]
			}
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
