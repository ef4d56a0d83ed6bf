package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// lspSession is a whole client session: initialize, initialized, shutdown,
// exit, framed as LSP base-protocol messages.
func lspSession(t *testing.T, folder string) io.Reader {
	t.Helper()
	uri := "file://" + filepath.ToSlash(folder)
	if !strings.HasPrefix(filepath.ToSlash(folder), "/") {
		uri = "file:///" + filepath.ToSlash(folder)
	}
	var b bytes.Buffer
	for _, msg := range []map[string]any{
		{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": map[string]any{
			"processId": nil, "rootUri": uri, "capabilities": map[string]any{},
			"workspaceFolders": []any{map[string]any{"uri": uri, "name": "m"}},
		}},
		{"jsonrpc": "2.0", "method": "initialized", "params": map[string]any{}},
		{"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
		{"jsonrpc": "2.0", "method": "exit"},
	} {
		body, err := json.Marshal(msg)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(body), body)
	}
	return &b
}

// readFrames splits LSP output into message bodies, failing on anything that
// is not a well-framed message: a stray log line on stdout would corrupt the
// protocol.
func readFrames(t *testing.T, out []byte) []map[string]any {
	t.Helper()
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(out)))
	var msgs []map[string]any
	for {
		header, err := r.ReadMIMEHeader()
		if err == io.EOF && len(header) == 0 {
			return msgs
		}
		if err != nil {
			t.Fatalf("stdout is not LSP frames: %v\n%s", err, out)
		}
		n, err := strconv.Atoi(header.Get("Content-Length"))
		if err != nil {
			t.Fatalf("bad Content-Length %q in stdout:\n%s", header.Get("Content-Length"), out)
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r.R, body); err != nil {
			t.Fatalf("short frame in stdout: %v", err)
		}
		var msg map[string]any
		if err := json.Unmarshal(body, &msg); err != nil {
			t.Fatalf("frame is not JSON: %v\n%s", err, body)
		}
		msgs = append(msgs, msg)
	}
}

// TestServe runs a session through `gomodls serve` and checks the wiring:
// stdout carries LSP frames and nothing else, the logs go to stderr or to
// -log-file, and a clean shutdown exits 0.
func TestServe(t *testing.T) {
	folder := t.TempDir()
	if err := os.WriteFile(filepath.Join(folder, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	logFile := filepath.Join(t.TempDir(), "gomodls.log")
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"stderr", []string{"serve", "-log-level=debug"}},
		{"log-file", []string{"-log-level=debug", "-log-file=" + logFile}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			err := run(ctx, checkEnv(), lspSession(t, folder), &stdout, &stderr, tc.args)
			if code := exitCode(&stderr, err); code != 0 {
				t.Fatalf("exit code %d (%v); stderr:\n%s", code, err, stderr.Bytes())
			}
			gotInitialize := false
			for _, msg := range readFrames(t, stdout.Bytes()) {
				if msg["jsonrpc"] != "2.0" {
					t.Errorf("not a JSON-RPC 2.0 message: %v", msg)
				}
				if id, _ := msg["id"].(float64); id == 1 && msg["result"] != nil {
					gotInitialize = true
				}
			}
			if !gotInitialize {
				t.Errorf("no result for initialize in stdout:\n%s", stdout.Bytes())
			}
			logs := stderr.String()
			if tc.name == "log-file" {
				if logs != "" {
					t.Errorf("with -log-file, stderr = %q, want nothing", logs)
				}
				data, err := os.ReadFile(logFile)
				if err != nil {
					t.Fatal(err)
				}
				logs = string(data)
			}
			if !strings.Contains(logs, "starting") {
				t.Errorf("the log has no \"starting\" line:\n%s", logs)
			}
		})
	}
}

// serve -cpuprofile writes a CPU profile of the session, and -memprofile
// the heap at shutdown, for the measurements in BENCHMARKS.md.
func TestServeProfiles(t *testing.T) {
	for _, flag := range []string{"-cpuprofile", "-memprofile"} {
		t.Run(flag, func(t *testing.T) {
			folder := t.TempDir()
			if err := os.WriteFile(filepath.Join(folder, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o666); err != nil {
				t.Fatal(err)
			}
			profile := filepath.Join(t.TempDir(), "session.prof")
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			err := run(ctx, checkEnv(), lspSession(t, folder), &stdout, &stderr, []string{"serve", flag, profile})
			if code := exitCode(&stderr, err); code != 0 {
				t.Fatalf("exit code %d (%v); stderr:\n%s", code, err, stderr.Bytes())
			}
			data, err := os.ReadFile(profile)
			if err != nil {
				t.Fatal(err)
			}
			// A profile is gzip-compressed protocol buffers.
			if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
				t.Errorf("%s is not a gzip-compressed profile (%d bytes)", profile, len(data))
			}
		})
	}
}
