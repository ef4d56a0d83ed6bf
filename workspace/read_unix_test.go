//go:build unix

package workspace

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A FIFO named go.mod blocked discovery forever in open (no writer ever
// comes). It is refused as not a regular file, without being opened.
func TestReadFIFOGoMod(t *testing.T) {
	ws := writeTree(t, map[string]string{"sub/go.mod": "module example.com/sub\n"})
	fifo := filepath.Join(ws, "go.mod")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	// If the load blocks in open (the bug), a writer opening the FIFO when
	// the test ends lets the goroutine go.
	t.Cleanup(func() {
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	snap := loadWithin(t, Env{}, []string{ws}, Limits{})
	skip := skipOf(t, snap, fifo)
	if skip.Reason != SkipNotRegular || skip.Error() != fifo+" is not a regular file (a named pipe)" {
		t.Errorf("skip = %q (%+v), want not a regular file (a named pipe)", skip, skip)
	}
	if m := snap.Module(filepath.Join(ws, "sub")); m == nil || m.Mod == nil {
		t.Errorf("discovery stopped at the FIFO: sub/go.mod = %+v", m)
	}

	// The same through a watcher's report, and a FIFO for a Go file, a
	// .gitignore and an env file: nothing waits.
	s := NewSession(Env{}, []string{ws})
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.DiskChanged([]string{fifo})
		readRegular(fifo, 100, true)
		readEnvFile(fifo)
		ignoresGoWork(fifo, true)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("re-reading a FIFO blocked for 30s")
	}
}

// stdinChildEnv marks the subprocess of TestReadSumLinkedToStdin.
const stdinChildEnv = "GOMODLS_TEST_STDIN_CHILD"

// A go.sum linked to /dev/stdin made the server read its own LSP stream as
// go.sum: every later message was lost. The test runs a copy of the test
// binary whose stdin is a pipe with a message in it and held open (as a
// client holds the server's), loads a folder whose go.sum links to
// /dev/stdin, then reads its stdin: the message must be all there.
func TestReadSumLinkedToStdin(t *testing.T) {
	if os.Getenv(stdinChildEnv) != "" {
		stdinChild()
		return
	}
	if _, err := os.Stat("/dev/stdin"); err != nil {
		t.Skip("no /dev/stdin")
	}
	ws := writeTree(t, map[string]string{"go.mod": "module example.com/m\n"})
	symlink(t, "/dev/stdin", filepath.Join(ws, "go.sum"))

	cmd := exec.Command(os.Args[0], "-test.run=^TestReadSumLinkedToStdin$")
	cmd.Env = append(os.Environ(), stdinChildEnv+"="+ws)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const message = "Content-Length: 2\r\n\r\n{}"
	if _, err := io.WriteString(stdin, message); err != nil {
		t.Fatal(err)
	}
	// stdin stays open until the child says it has read the message: a
	// child reading /dev/stdin to EOF waits here, and the deadline ends it.
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		stdin.Close()
		if err != nil {
			t.Fatalf("child failed: %v\n%s", err, out.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("child did not finish in 30s (it read its stdin as go.sum):\n%s", out.String())
	}
	if want := fmt.Sprintf("stdin intact: %q", message); !bytes.Contains(out.Bytes(), []byte(want)) {
		t.Errorf("child output:\n%s\nwant %s", out.String(), want)
	}
}

func stdinChild() {
	ws := os.Getenv(stdinChildEnv)
	snap := Load(Env{}, []string{ws})
	f := snap.File(filepath.Join(ws, "go.sum"))
	if f == nil || f.Skipped == nil {
		fmt.Printf("go.sum not skipped: %+v\n", f)
		os.Exit(1)
	}
	buf := make([]byte, 64)
	n, _ := io.ReadAtLeast(os.Stdin, buf, len("Content-Length: 2\r\n\r\n{}"))
	fmt.Printf("skipped: %v\nstdin intact: %q\n", f.Skipped, buf[:n])
	os.Exit(0)
}
