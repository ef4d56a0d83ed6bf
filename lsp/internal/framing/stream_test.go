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
