//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hangDeadline bounds each wait on a gomodls process: a hang detector (the
// process is killed and the test fails), not a timing assertion.
const hangDeadline = 30 * time.Second

// gomodlsProcess is gomodls, this test binary under that name in PATH
// (testscript.Main), running with args and the extra environment.
type gomodlsProcess struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan error
}

func startGomodls(t *testing.T, env []string, args ...string) *gomodlsProcess {
	t.Helper()
	exe, err := exec.LookPath("gomodls")
	if err != nil {
		t.Skipf("no gomodls in PATH: %v", err)
	}
	p := &gomodlsProcess{cmd: exec.Command(exe, args...), done: make(chan error, 1)}
	p.cmd.Env = append(checkEnv(), env...)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// wait returns the exit code, failing the test (and killing the process)
// if it does not end within hangDeadline.
func (p *gomodlsProcess) wait(t *testing.T, what string) int {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err // for Cleanup
		var exitErr *exec.ExitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &exitErr):
			return exitErr.ExitCode() // -1 when a signal killed it
		}
		t.Fatalf("%s: %v", what, err)
	case <-time.After(hangDeadline):
		_ = p.cmd.Process.Kill()
		t.Fatalf("%s: still running after %v (killed)\nstderr: %s", what, hangDeadline, p.stderr.String())
	}
	return 0
}

// awaitFile waits for path to exist, or for the process to end.
func (p *gomodlsProcess) awaitFile(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(hangDeadline)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		select {
		case err := <-p.done:
			t.Fatalf("gomodls ended (%v) before %s appeared\nstderr: %s", err, path, p.stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not appear within %v", path, hangDeadline)
		}
	}
}

// A FIFO named go.mod, with no writer: opening or reading it blocks and
// sees no context, so on the code where SIGTERM only cancelled a context
// `gomodls check` never ended. Now it exits 2, "interrupted", within the
// grace period. The test holds a writer open once the check is at the FIFO
// (a non-blocking open for writing succeeds only while a reader is there),
// so the check stays blocked, in its read. If the check never opens the
// FIFO (reads skip special files), there is nothing to interrupt: it must
// then simply end.
func TestCheckFIFOGoModInterrupted(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "go.mod")
	if err := syscall.Mkfifo(fifo, 0o666); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	p := startGomodls(t, nil, "check", dir)
	deadline := time.Now().Add(hangDeadline)
	for {
		w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err == nil {
			defer w.Close()
			break // the check is blocked at the FIFO
		}
		select {
		case err := <-p.done:
			p.done <- err
			t.Logf("check ended (%v) without opening the FIFO: nothing to interrupt\nstderr: %s", err, p.stderr.String())
			return
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = p.cmd.Process.Kill()
			t.Fatalf("check neither opened the FIFO nor ended within %v", hangDeadline)
		}
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, "check after SIGTERM"); code != 2 || !strings.Contains(p.stderr.String(), "gomodls: interrupted") {
		t.Errorf("check after SIGTERM: exit %d, stderr %q; want 2 and gomodls: interrupted", code, p.stderr.String())
	}
}

// check and explain end with exit 2 on SIGTERM and SIGINT while their load
// blocks for good (installLoadHook).
func TestInterruptedWhileLoadBlocks(t *testing.T) {
	for _, cmd := range []string{"check", "explain"} {
		for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
			t.Run(cmd+"/"+sig.String(), func(t *testing.T) {
				t.Parallel() // each waits out the grace period
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o666); err != nil {
					t.Fatal(err)
				}
				started := filepath.Join(t.TempDir(), "started")
				p := startGomodls(t, []string{"GOMODLS_TEST_LOAD_STARTED=" + started, "GOMODLS_TEST_LOAD=block"}, cmd, dir)
				p.awaitFile(t, started)
				if err := p.cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
				if code := p.wait(t, cmd+" after "+sig.String()); code != 2 || p.stderr.String() != "gomodls: interrupted\n" {
					t.Errorf("%s after %v: exit %d, stderr %q; want 2 and only gomodls: interrupted", cmd, sig, code, p.stderr.String())
				}
			})
		}
	}
}
