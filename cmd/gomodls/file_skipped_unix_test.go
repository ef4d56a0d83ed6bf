//go:build unix

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The tests here run the gomodls binary (the test binary under that name,
// which TestMain puts on PATH) as a separate process, so that a read that
// blocks can be killed: each bounds itself with a generous deadline.

func gomodlsBinary(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("gomodls")
	if err != nil {
		t.Skipf("no gomodls on PATH: %v", err)
	}
	return bin
}

// A FIFO named go.mod: check blocked forever in open. It must finish, with
// the FIFO reported and the rest of the tree checked.
func TestCheckFIFOGoMod(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "go.mod"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sub", "go.mod"), []byte("module example.com/sub\n\ngo 1.22\n\nnotadirective\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, gomodlsBinary(t), "check", dir)
	cmd.Env = checkEnv()
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("gomodls check did not finish in 60s (blocked on the FIFO); output:\n%s", out)
	}
	if code := exitCodeOf(err); code != 1 { // sub/go.mod's parse error
		t.Errorf("exit code %d (%v), want 1; output:\n%s", code, err, out)
	}
	for _, want := range []string{
		"go.mod:1:1: warning: go.mod is not a regular file (a named pipe); gomodls did not read it, and the checks that need it are silent (a go command reading it may block or fail) [file-skipped]",
		"sub/go.mod:5:1: error: unknown directive: notadirective [gomod-parse-error]",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// go.sum linked to /dev/stdin: the server read its own LSP stream as
// go.sum, and no request was answered again. It must skip the file, publish
// that, and answer shutdown.
func TestServeSumLinkedToStdin(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/stdin", filepath.Join(dir, "go.sum")); err != nil {
		t.Skipf("symlink: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, gomodlsBinary(t), "serve")
	cmd.Env = checkEnv()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	send := func(msg map[string]any) {
		body, _ := json.Marshal(msg)
		fmt.Fprintf(stdin, "Content-Length: %d\r\n\r\n%s", len(body), body)
	}
	uri := "file://" + dir
	send(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": map[string]any{
		"processId": nil, "rootUri": uri, "capabilities": map[string]any{},
		"workspaceFolders": []any{map[string]any{"uri": uri, "name": "m"}},
	}})
	send(map[string]any{"jsonrpc": "2.0", "method": "initialized", "params": map[string]any{}})

	msgs := make(chan map[string]any)
	go func() {
		defer close(msgs)
		r := textproto.NewReader(bufio.NewReader(stdout))
		for {
			header, err := r.ReadMIMEHeader()
			if err != nil {
				return
			}
			n, _ := strconv.Atoi(header.Get("Content-Length"))
			body := make([]byte, n)
			if _, err := io.ReadFull(r.R, body); err != nil {
				return
			}
			var msg map[string]any
			if json.Unmarshal(body, &msg) == nil {
				msgs <- msg
			}
		}
	}()
	await := func(what string, match func(map[string]any) bool) {
		t.Helper()
		for {
			select {
			case msg, ok := <-msgs:
				if !ok {
					t.Fatalf("server closed stdout before %s; stderr:\n%s", what, stderr.String())
				}
				if match(msg) {
					return
				}
			case <-ctx.Done():
				t.Fatalf("no %s in 60s (the server read its stdin as go.sum?); stderr:\n%s", what, stderr.String())
			}
		}
	}
	await("publishDiagnostics with file-skipped for go.sum", func(msg map[string]any) bool {
		if msg["method"] != "textDocument/publishDiagnostics" {
			return false
		}
		b, _ := json.Marshal(msg["params"])
		return strings.Contains(string(b), `"uri":"`+uri+`/go.sum"`) && strings.Contains(string(b), `"code":"file-skipped"`)
	})
	send(map[string]any{"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
	await("the answer to shutdown", func(msg map[string]any) bool {
		id, _ := msg["id"].(float64)
		return id == 2
	})
	send(map[string]any{"jsonrpc": "2.0", "method": "exit"})
}

// exitCodeOf is the exit code of a finished command (0 for a nil error).
func exitCodeOf(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}
