package framing

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
)

// rwc is an in-memory connection: reads come from in, writes go to out.
type rwc struct {
	in  io.Reader
	out bytes.Buffer
}

func (c *rwc) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c *rwc) Write(p []byte) (int, error) { return c.out.Write(p) }
func (c *rwc) Close() error                { return nil }

func frame(body string) string {
	return "Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
}

const shutdown = `{"jsonrpc":"2.0","id":7,"method":"shutdown"}`

// TestReadSkipsWhatItCannotDecode feeds every kind of bad input followed by a
// good request: Read must report each bad one and then return the request.
func TestReadSkipsWhatItCannotDecode(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		wantCode jsonrpc2.Code
		wantID   string // id of the error response; "" when none is due
	}{
		{"not JSON", frame(`{"jsonrpc":"2.0","id":1,`), jsonrpc2.ParseError, "null"},
		{"JSON but no request", frame(`[1,2,3]`), jsonrpc2.InvalidRequest, ""},
		{"bad jsonrpc version", frame(`{"jsonrpc":"1.0","id":3,"method":"x"}`), jsonrpc2.InvalidRequest, "3"},
		{"missing Content-Length", "Content-Type: x\r\n\r\n", jsonrpc2.ParseError, "null"},
		{"malformed header", "hello\r\n\r\n", jsonrpc2.ParseError, "null"},
		{"negative length", "Content-Length: -4\r\n\r\n", jsonrpc2.ParseError, "null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &rwc{in: strings.NewReader(tt.input + frame(shutdown))}
			var got []Undecodable
			s := NewStream(c, func(u Undecodable) { got = append(got, u) })
			msg, _, err := s.Read(context.Background())
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if call, ok := msg.(*jsonrpc2.Call); !ok || call.Method() != "shutdown" {
				t.Fatalf("Read = %#v, want the shutdown call", msg)
			}
			if len(got) != 1 || got[0].Code != tt.wantCode {
				t.Fatalf("undecodable = %+v, want one with code %d", got, tt.wantCode)
			}
			resp := got[0].ErrorResponse()
			if tt.wantID == "" {
				if resp != nil {
					t.Fatalf("ErrorResponse = %s, want none", resp)
				}
				return
			}
			var r struct {
				ID    json.RawMessage
				Error jsonrpc2.Error
			}
			if err := json.Unmarshal(resp, &r); err != nil {
				t.Fatalf("ErrorResponse %s: %v", resp, err)
			}
			if string(r.ID) != tt.wantID || r.Error.Code != tt.wantCode {
				t.Errorf("ErrorResponse = %s, want id %s and code %d", resp, tt.wantID, tt.wantCode)
			}
		})
	}
}

// TestReadResyncsAfterBodyWithoutHeader: a body sent without its header runs
// into the next header line; Read must find that header and go on.
func TestReadResyncsAfterBodyWithoutHeader(t *testing.T) {
	c := &rwc{in: strings.NewReader(`{"stray":true}` + frame(shutdown))}
	s := NewStream(c, nil)
	msg, _, err := s.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if call, ok := msg.(*jsonrpc2.Call); !ok || call.Method() != "shutdown" {
		t.Fatalf("Read = %#v, want the shutdown call", msg)
	}
}

func TestReadReturnsTransportErrors(t *testing.T) {
	s := NewStream(&rwc{in: strings.NewReader("Content-Length: 10\r\n\r\n{}")}, nil)
	if _, _, err := s.Read(context.Background()); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("Read of a truncated body = %v, want io.ErrUnexpectedEOF", err)
	}
	s = NewStream(&rwc{in: strings.NewReader("")}, nil)
	if _, _, err := s.Read(context.Background()); !errors.Is(err, io.EOF) {
		t.Fatalf("Read at EOF = %v, want io.EOF", err)
	}
}

func TestWriteFrames(t *testing.T) {
	c := &rwc{in: strings.NewReader("")}
	s := NewStream(c, nil)
	n, err := jsonrpc2.NewNotification("exit", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	back := NewStream(&rwc{in: bytes.NewReader(c.out.Bytes())}, nil)
	msg, _, err := back.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := msg.(*jsonrpc2.Notification); !ok || got.Method() != "exit" {
		t.Fatalf("round trip = %#v", msg)
	}
}

// readAll reads messages until the input ends, returning what Read returned
// and what it reported as undecodable.
func readAll(t *testing.T, input string) (msgs []jsonrpc2.Message, bad []Undecodable) {
	t.Helper()
	s := NewStream(&rwc{in: strings.NewReader(input)}, func(u Undecodable) { bad = append(bad, u) })
	for {
		msg, _, err := s.Read(context.Background())
		if errors.Is(err, io.EOF) {
			return msgs, bad
		}
		if err != nil {
			t.Fatalf("Read after %d messages: %v", len(msgs), err)
		}
		msgs = append(msgs, msg)
	}
}

func methods(msgs []jsonrpc2.Message) []string {
	var names []string
	for _, m := range msgs {
		if r, ok := m.(jsonrpc2.Request); ok {
			names = append(names, r.Method())
		} else {
			names = append(names, "(response)")
		}
	}
	return names
}

const (
	hover = `{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///w/go.mod"},"position":{"line":0,"character":0}}}`
	exit  = `{"jsonrpc":"2.0","method":"exit"}`
)

// TestReadRejectsDeepNesting: the JSON decoder under jsonrpc2
// (github.com/segmentio/encoding/json) recurses once per nesting level with
// no limit, so 2,000,000 levels overflowed the goroutine stack and killed the
// process. Such a body is a parse error, answered with the request's id when
// it can be read without decoding, and the next message is read.
func TestReadRejectsDeepNesting(t *testing.T) {
	deep := strings.Repeat("[", 2_000_000) + strings.Repeat("]", 2_000_000)
	tests := []struct {
		name   string
		body   string
		wantID string
	}{
		{"id before params", `{"jsonrpc":"2.0","id":5,"method":"x","params":` + deep + `}`, "5"},
		{"id after params", `{"jsonrpc":"2.0","method":"x","params":` + deep + `,"id":"a"}`, `"a"`},
		{"a response", `{"jsonrpc":"2.0","id":5,"result":` + deep + `}`, "null"},
		{"unclosed", `{"jsonrpc":"2.0","id":6,"method":"x","params":` + strings.Repeat("[", 2_000_000), "6"},
		{"objects", `{"jsonrpc":"2.0","id":7,"method":"x","params":` + strings.Repeat(`{"a":`, 1_000_000) + "1" + strings.Repeat("}", 1_000_000) + "}", "7"},
		{"top level", deep, "null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs, bad := readAll(t, frame(tt.body)+frame(shutdown))
			if got := methods(msgs); len(got) != 1 || got[0] != "shutdown" {
				t.Fatalf("read %v, want the shutdown call alone", got)
			}
			if len(bad) != 1 || bad[0].Code != jsonrpc2.ParseError {
				t.Fatalf("undecodable = %d, want one ParseError", len(bad))
			}
			var r struct {
				ID    json.RawMessage
				Error jsonrpc2.Error
			}
			if err := json.Unmarshal(bad[0].ErrorResponse(), &r); err != nil {
				t.Fatal(err)
			}
			if string(r.ID) != tt.wantID || r.Error.Code != jsonrpc2.ParseError {
				t.Errorf("error response id %s code %d, want id %s and ParseError", r.ID, r.Error.Code, tt.wantID)
			}
		})
	}
}

// TestReadAcceptsNestingUpToTheLimit: the limit rejects only what no LSP
// message needs; strings holding brackets do not count.
func TestReadAcceptsNestingUpToTheLimit(t *testing.T) {
	params := strings.Repeat("[", maxNesting-1) + `"[[[[\"\\"` + strings.Repeat("]", maxNesting-1)
	msgs, bad := readAll(t, frame(`{"jsonrpc":"2.0","id":1,"method":"x","params":`+params+`}`))
	if len(msgs) != 1 || len(bad) != 0 {
		t.Fatalf("read %d messages and %d undecodable, want the one message", len(msgs), len(bad))
	}
	_, bad = readAll(t, frame(`{"jsonrpc":"2.0","id":1,"method":"x","params":[`+params+`]}`))
	if len(bad) != 1 {
		t.Fatalf("one level deeper: %d undecodable, want 1", len(bad))
	}
}

// TestReadResyncsAfterShortContentLength: a Content-Length shorter than the
// body makes that message an error, and the rest of its body, read as
// header text, must not hide the next message's Content-Length — whatever
// the rest is (down to a lone "}") and wherever it breaks lines.
func TestReadResyncsAfterShortContentLength(t *testing.T) {
	pretty := "{\n  \"jsonrpc\": \"2.0\",\n\n  \"id\": 3,\n  \"method\": \"x\"\n}\n"
	for _, body := range []string{hover, pretty} {
		for short := 1; short < len(body); short++ {
			input := "Content-Length: " + strconv.Itoa(len(body)-short) + "\r\n\r\n" + body + frame(shutdown) + frame(exit)
			msgs, bad := readAll(t, input)
			if strings.TrimSpace(body[len(body)-short:]) == "" {
				// Only white space after the message was cut: nothing is lost.
				if got := strings.Join(methods(msgs), " "); got != "x shutdown exit" || len(bad) != 0 {
					t.Fatalf("body %q short by %d: read %q and %d undecodable, want x shutdown exit", body, short, got, len(bad))
				}
				continue
			}
			if got := strings.Join(methods(msgs), " "); got != "shutdown exit" {
				t.Fatalf("body %q short by %d: read %q, want shutdown exit", body, short, got)
			}
			if len(bad) != 1 || bad[0].Code != jsonrpc2.ParseError {
				t.Fatalf("body %q short by %d: undecodable %+v, want one ParseError", body, short, bad)
			}
		}
	}
}

// TestReadRecoversFromLongContentLength: a Content-Length longer than the
// body swallows the start of what follows. The first message is whole, so it
// is read; what its frame held after it is read again as the start of the
// next frame, so no message is lost however much was swallowed.
func TestReadRecoversFromLongContentLength(t *testing.T) {
	rest := frame(shutdown) + frame(exit)
	for long := 1; long <= len(rest); long++ {
		input := "Content-Length: " + strconv.Itoa(len(hover)+long) + "\r\n\r\n" + hover + rest
		msgs, bad := readAll(t, input)
		if got := strings.Join(methods(msgs), " "); got != "textDocument/hover shutdown exit" {
			t.Fatalf("long by %d: read %q, want hover shutdown exit", long, got)
		}
		if len(bad) != 0 {
			t.Fatalf("long by %d: undecodable %+v", long, bad)
		}
	}
}

// TestReadRecoversAfterBrokenLongBody: a body that is not JSON and runs
// into the next frame's header is an error, and that header is read again.
func TestReadRecoversAfterBrokenLongBody(t *testing.T) {
	broken := `{"jsonrpc":"2.0","id":4,"method":"x","params":[}`
	next := frame(shutdown)
	input := "Content-Length: " + strconv.Itoa(len(broken)+len(next)/2) + "\r\n\r\n" + broken + next + frame(exit)
	msgs, bad := readAll(t, input)
	if got := strings.Join(methods(msgs), " "); got != "shutdown exit" {
		t.Fatalf("read %q, want shutdown exit", got)
	}
	if len(bad) != 1 || bad[0].Code != jsonrpc2.ParseError || string(bad[0].Body) != broken {
		t.Fatalf("undecodable %+v, want one ParseError for the broken body", bad)
	}
	var r struct{ ID json.RawMessage }
	if err := json.Unmarshal(bad[0].ErrorResponse(), &r); err != nil || string(r.ID) != "4" {
		t.Errorf("error response %s, want id 4", bad[0].ErrorResponse())
	}
}

// TestReadResyncsAfterLongLeftover: the rest of a cut body may be longer
// than a header line is allowed to be; the Content-Length at its end still
// counts.
func TestReadResyncsAfterLongLeftover(t *testing.T) {
	body := `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"text":"` + strings.Repeat("é", 10_000) + `"}}`
	input := "Content-Length: " + strconv.Itoa(len(body)/2) + "\r\n\r\n" + body + frame(shutdown)
	msgs, bad := readAll(t, input)
	if got := strings.Join(methods(msgs), " "); got != "shutdown" || len(bad) != 1 {
		t.Fatalf("read %q and %d undecodable, want shutdown and one", got, len(bad))
	}
}

// TestReadDropsTrailingGarbage: bytes after the message inside its frame
// that are no header are dropped, as they always were, and the next frame
// is read.
func TestReadDropsTrailingGarbage(t *testing.T) {
	for _, garbage := range []string{"xyz", "\r\nxyz\r\n", "}}", "Content-Lengthy"} {
		msgs, bad := readAll(t, frame(hover+garbage)+frame(shutdown))
		if got := strings.Join(methods(msgs), " "); got != "textDocument/hover shutdown" || len(bad) != 0 {
			t.Errorf("garbage %q: read %q and %d undecodable, want hover shutdown", garbage, got, len(bad))
		}
	}
}
