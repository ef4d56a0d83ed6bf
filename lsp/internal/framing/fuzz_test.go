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

// FuzzStream reads arbitrary bytes as a client's stream. Read must never
// panic, must read the input to its end (its only error is the end of the
// input: io.EOF, or io.ErrUnexpectedEOF inside a body), and every error
// response it asks for must be a valid JSON-RPC error response.
func FuzzStream(f *testing.F) {
	for _, seed := range []string{
		frame(shutdown),
		frame(hover) + frame(exit),
		"Content-Length: 10\r\n\r\n" + hover + frame(shutdown),
		"Content-Length: 300\r\n\r\n" + hover + frame(shutdown) + frame(exit),
		"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}",
		frame(`{"jsonrpc":"2.0","id":1,"method":"x","params":` + strings.Repeat("[", 1200) + `}`),
		frame(`{"jsonrpc":"2.0","id":"a\"\\","method":"x",`),
		frame(`[1,2]`) + frame(`{"jsonrpc":"2.0","id":2,"result":null}`),
		"garbage\r\n\r\n}Content-Length: 2\r\n\r\n{}",
		"Content-Length: -1\r\n\r\ncontent-length: 99999999999\r\n\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := bytes.NewReader(data)
		s := NewStream(&rwc{in: in}, func(u Undecodable) { checkErrorResponse(t, u) })
		for reads := 0; ; reads++ {
			if reads > len(data)+1 {
				t.Fatalf("%d reads of %d bytes: Read does not advance", reads, len(data))
			}
			msg, _, err := s.Read(context.Background())
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("Read: %v, want only the end of the input", err)
				}
				if in.Len() != 0 || len(s.src.pending) != 0 {
					t.Fatalf("Read ended with %d bytes unread: %v", in.Len()+len(s.src.pending), err)
				}
				return
			}
			if msg == nil {
				t.Fatal("Read returned neither a message nor an error")
			}
		}
	})
}

// checkErrorResponse fails t unless u's error response, if any, is one
// JSON-RPC 2.0 error response with u's code and a number, string or null id.
func checkErrorResponse(t *testing.T, u Undecodable) {
	t.Helper()
	resp := u.ErrorResponse()
	if resp == nil {
		if u.Code != jsonrpc2.InvalidRequest {
			t.Fatalf("no error response for code %d (%v)", u.Code, u.Err)
		}
		return
	}
	if !json.Valid(resp) {
		t.Fatalf("error response is not JSON: %q", resp)
	}
	var r struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   *jsonrpc2.Error `json:"error"`
	}
	if err := json.Unmarshal(resp, &r); err != nil {
		t.Fatalf("error response %q: %v", resp, err)
	}
	if r.JSONRPC != "2.0" || r.Error == nil || r.Error.Code != u.Code {
		t.Fatalf("error response %q, want a JSON-RPC 2.0 error with code %d", resp, u.Code)
	}
	if string(r.ID) != "null" && !isNumberOrString(r.ID) {
		t.Fatalf("error response %q: id is neither null, a number nor a string", resp)
	}
}

// FuzzStreamResync sends a request whose Content-Length is off by delta,
// then two good messages. The request is cut (delta < 0: a ParseError) or
// swallows what follows (delta > 0: still read); either way both good
// messages must be read.
func FuzzStreamResync(f *testing.F) {
	f.Add("", -1)
	f.Add("go.mod", 7)
	f.Add(`a "quoted" \ string {[`, -20)
	f.Add(strings.Repeat("é", 3000), -4000)
	f.Add("}\r\n\r\n", 1000)
	f.Fuzz(func(t *testing.T, params string, delta int) {
		body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "x", "params": params})
		if err != nil {
			t.Fatal(err)
		}
		if indexContentLength(body) >= 0 {
			t.Skip("the body holds a Content-Length header of its own")
		}
		rest := frame(shutdown) + frame(exit)
		// delta in [-(len(body)-1), len(rest)]: the length stays positive
		// and does not reach past the input.
		span := len(body) - 1 + len(rest) + 1
		delta = ((delta%span)+span)%span - (len(body) - 1)
		input := "Content-Length: " + strconv.Itoa(len(body)+delta) + "\r\n\r\n" + string(body) + rest

		var bad []Undecodable
		s := NewStream(&rwc{in: strings.NewReader(input)}, func(u Undecodable) { bad = append(bad, u) })
		var got []string
		for {
			msg, _, err := s.Read(context.Background())
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("delta %d: Read: %v", delta, err)
			}
			got = append(got, methods([]jsonrpc2.Message{msg})...)
		}
		want, wantBad := "x shutdown exit", 0
		if delta < 0 {
			want, wantBad = "shutdown exit", 1
		}
		if strings.Join(got, " ") != want || len(bad) != wantBad {
			t.Fatalf("delta %d: read %q and %d undecodable, want %q and %d", delta, got, len(bad), want, wantBad)
		}
		if delta < 0 {
			checkErrorResponse(t, bad[0])
			var r struct{ ID json.RawMessage }
			if err := json.Unmarshal(bad[0].ErrorResponse(), &r); err != nil || (string(r.ID) != "1" && string(r.ID) != "null") {
				t.Fatalf("delta %d: error response %s, want id 1 or null", delta, bad[0].ErrorResponse())
			}
		}
	})
}
