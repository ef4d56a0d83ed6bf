//go:build unix

package main

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// memoryLimitKiB caps each gomodls process's address space (ulimit -v):
// a scenario that allocates without bound (go.sum → /dev/zero) then dies
// in a second with "fatal error: out of memory" instead of taking the
// machine's memory. The Go runtime reserves about 1 GiB of address space
// up front; 3 GiB leaves it some 2 GiB to use.
const memoryLimitKiB = 3 << 20

// command is gomodls with args in the scenario's environment, under the
// memory limit, in a process group of its own so that killProcess also
// ends the go commands it started.
func (e *robustEnv) command(args ...string) *exec.Cmd {
	script := "ulimit -v " + strconv.Itoa(memoryLimitKiB) + ` 2>/dev/null; exec "$0" "$@"`
	cmd := exec.Command("/bin/sh", append([]string{"-c", script, e.bins.gomodls}, args...)...)
	cmd.Env = e.environ
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

// killProcess kills cmd's process group (the sh above execs gomodls, so
// its pid is the group's).
func killProcess(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// quitProcess sends SIGQUIT to gomodls alone (not to the go commands it
// runs): the Go runtime prints all goroutines' stacks and exits.
func quitProcess(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Signal(syscall.SIGQUIT)
	}
}

// specialFileScenarios are the items whose module files are devices or
// FIFOs, and the one about signals.
func specialFileScenarios() []robustScenario {
	return []robustScenario{
		{"item2_gosum_dev_zero", testGoSumDevZero},
		{"item3_fifo_gomod", testFIFOGoMod},
		{"item4_gosum_dev_stdin", testGoSumDevStdin},
	}
}

// item 2: a go.sum that is a symbolic link to /dev/zero (a link can be
// committed). check and serve read at most the size cap, skip the file
// with a diagnostic saying so, and go on; they do not run out of memory.
func testGoSumDevZero(t *testing.T, e *robustEnv) {
	e.write("ws/go.mod", "module example.com/m\n\ngo 1.22\n")
	e.symlink("/dev/zero", "ws/go.sum")
	t.Run("check", func(t *testing.T) {
		r := e.on(t).check("-fail-on", "hint", "ws")
		if r.crashed() || r.code == 2 {
			t.Fatalf("check crashed (exit %d):\n%s", r.code, stderrReport(r.stderr, 8))
		}
		if !strings.Contains(r.stdout, "go.sum") || !strings.Contains(r.stdout, "["+fileSkippedCode+"]") {
			t.Errorf("check says nothing about skipping go.sum ([%s]):\n%s", fileSkippedCode, r.stdout)
		}
	})
	t.Run("serve", func(t *testing.T) {
		c := e.on(t).serve()
		c.initialize(nil)
		c.awaitFileSkipped(filepath.Join(e.ws, "go.sum"))
		c.finalProbe()
	})
}

// item 3: a FIFO named go.mod. check ends without a writer on the FIFO,
// SIGTERM ends it promptly with exit code 2, and serve goes on answering
// after initialize.
func testFIFOGoMod(t *testing.T, e *robustEnv) {
	if err := syscall.Mkfifo(e.path("ws/go.mod"), 0o666); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	t.Run("check", func(t *testing.T) {
		r := e.on(t).check("ws")
		if r.crashed() || r.code == 2 {
			t.Errorf("check: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, stderrReport(r.stderr, 8))
		}
	})
	t.Run("check_sigterm", func(t *testing.T) {
		cmd := e.on(t).command("check", "ws")
		cmd.Dir = e.root
		var stderr tailBuffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); killProcess(cmd); close(done) }()
		select {
		case <-done:
			t.Logf("check ended on its own (%s) before SIGTERM: nothing to terminate", cmd.ProcessState)
			return
		case <-time.After(500 * time.Millisecond):
		}
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		const grace = 5 * time.Second
		select {
		case <-done:
			if code := cmd.ProcessState.ExitCode(); code != 2 {
				t.Errorf("check after SIGTERM: %s, want exit code 2\nstderr:\n%s", cmd.ProcessState, lastLines(stderr.String(), 8))
			}
		case <-time.After(grace):
			dumpAndKill(cmd, done)
			<-done
			t.Errorf("check ignored SIGTERM for %s (killed)\nstderr:\n%s", grace, stderrReport(stderr.String(), 8))
		}
	})
	t.Run("serve", func(t *testing.T) {
		c := e.on(t).serve()
		c.initialize(nil)
		c.finalProbe()
	})
}

// item 4: a go.sum that is a symbolic link to /dev/stdin, which in serve
// is the LSP stream: the server must not read its own input as go.sum.
func testGoSumDevStdin(t *testing.T, e *robustEnv) {
	e.write("ws/go.mod", "module example.com/m\n\ngo 1.22\n")
	e.symlink("/dev/stdin", "ws/go.sum")
	c := e.serve()
	c.initialize(nil)
	c.awaitFileSkipped(filepath.Join(e.ws, "go.sum"))
	c.finalProbe()
}
