package gocommand

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for the go command: with
// GOCOMMAND_FAKE set it does what the variable says instead of testing.
func TestMain(m *testing.M) {
	switch os.Getenv("GOCOMMAND_FAKE") {
	case "":
		os.Exit(m.Run())
	case "print":
		// Both streams, a CRLF line and a last line without a newline.
		fmt.Fprint(os.Stdout, "out 1\r\nout 2\n")
		fmt.Fprint(os.Stderr, "err 1\nerr 2")
		os.Exit(0)
	case "fail":
		for i := 1; i <= 12; i++ {
			fmt.Fprintf(os.Stderr, "go: line %d\n", i)
		}
		os.Exit(1)
	case "hang":
		// Tell the test who we are, then wait to be killed.
		pidFile := os.Getenv("GOCOMMAND_FAKE_PIDFILE")
		_ = os.WriteFile(pidFile+".tmp", []byte(fmt.Sprint(os.Getpid())), 0o666)
		_ = os.Rename(pidFile+".tmp", pidFile)
		time.Sleep(time.Hour)
		os.Exit(3)
	}
}

// fakeEnv is the environment for the test binary as the go command: mode
// (GOCOMMAND_FAKE) and the variables it needs.
func fakeEnv(mode string, more ...string) []string {
	// A -race binary otherwise sleeps a second before exiting.
	return append(append(os.Environ(), "GOCOMMAND_FAKE="+mode, "GORACE=atexit_sleep_ms=0"), more...)
}

func fakeGo(t *testing.T) Runner {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Runner{GoCommand: exe}
}

func TestWithoutModFlag(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"-trimpath", "-trimpath"},
		{"  -trimpath\t-v  ", "  -trimpath\t-v  "}, // nothing dropped: unchanged
		{"-mod=vendor", ""},
		{"-mod=mod -trimpath", "-trimpath"},
		{"-trimpath -mod=readonly -v", "-trimpath -v"},
		{"--mod=vendor -v", "-v"},
		{"-mod vendor -v", "-v"}, // invalid for go, dropped anyway
		{"-mod -v", "-v"},        // no value to drop with it
		{"-modcacherw -mod=vendor", "-modcacherw"},
		{"-modfile=alt.mod", "-modfile=alt.mod"},
		{`'-ldflags=-s -w' -mod=vendor`, `'-ldflags=-s -w'`},
		{`"-mod=vendor" -v`, "-v"},
		{`-mod=vendor '-ldflags=-s`, `-mod=vendor '-ldflags=-s`}, // unterminated: go reports it
		{"-tags=mod -mod=mod", "-tags=mod"},
	}
	for _, tt := range tests {
		if got := WithoutModFlag(tt.in); got != tt.want {
			t.Errorf("WithoutModFlag(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEnviron(t *testing.T) {
	tests := []struct {
		name    string
		environ []string
		want    map[string]string // effective values (the last one wins)
	}{
		{"defaults", []string{"HOME=/h"}, map[string]string{"HOME": "/h", "GOTOOLCHAIN": "local", "GOFLAGS": ""}},
		{"explicit toolchain wins", []string{"GOTOOLCHAIN=go1.30.0+auto"}, map[string]string{"GOTOOLCHAIN": "go1.30.0+auto"}},
		{"empty toolchain is unset", []string{"GOTOOLCHAIN="}, map[string]string{"GOTOOLCHAIN": "local"}},
		{"mod flag dropped", []string{"GOFLAGS=-mod=vendor -trimpath"}, map[string]string{"GOFLAGS": "-trimpath"}},
		{"last GOFLAGS counts", []string{"GOFLAGS=-v", "GOFLAGS=-mod=mod"}, map[string]string{"GOFLAGS": ""}},
	}
	for _, tt := range tests {
		orig := slices.Clone(tt.environ)
		got := Environ(tt.environ)
		if !slices.Equal(tt.environ, orig) {
			t.Errorf("%s: Environ modified its argument", tt.name)
		}
		for k, v := range tt.want {
			if g := Getenv(got, k); g != v {
				t.Errorf("%s: %s=%q, want %q (env %q)", tt.name, k, g, v, got)
			}
		}
	}
}

func TestRunStreamsLines(t *testing.T) {
	r := fakeGo(t)
	var lines []string
	res, err := r.Run(context.Background(), Invocation{
		Dir:    t.TempDir(),
		Args:   []string{"mod", "vendor"},
		Env:    fakeEnv("print"),
		Output: func(line string) { lines = append(lines, line) },
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines) // the two streams interleave in any order
	if want := []string{"err 1", "err 2", "out 1", "out 2"}; !slices.Equal(lines, want) {
		t.Errorf("lines = %q, want %q", lines, want)
	}
	if res.Stdout != "out 1\r\nout 2\n" || res.Stderr != "err 1\nerr 2" {
		t.Errorf("result = %+v", res)
	}
}

func TestRunFailure(t *testing.T) {
	r := fakeGo(t)
	_, err := r.Run(context.Background(), Invocation{Dir: t.TempDir(), Args: []string{"mod", "vendor"}, Env: fakeEnv("fail")})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want an *Error", err)
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("err = %v, want exit status 1", err)
	}
	if len(e.Stderr) != tailLines || e.Stderr[0] != "go: line 3" || e.Stderr[tailLines-1] != "go: line 12" {
		t.Errorf("stderr tail = %q, want lines 3..12", e.Stderr)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "go mod vendor: exit status 1\ngo: line 3\n") || !strings.HasSuffix(msg, "go: line 12") {
		t.Errorf("message = %q", msg)
	}

	r.GoCommand = filepath.Join(t.TempDir(), "no-such-go")
	if _, err := r.Run(context.Background(), Invocation{Dir: t.TempDir(), Args: []string{"version"}}); !errors.As(err, &e) {
		t.Errorf("missing go command: err = %v, want an *Error", err)
	}
}

// Cancelling the context and the timeout both kill the process.
func TestRunStops(t *testing.T) {
	for _, how := range []string{"cancel", "timeout"} {
		t.Run(how, func(t *testing.T) {
			r := fakeGo(t)
			pidFile := filepath.Join(t.TempDir(), "pid")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if how == "timeout" {
				r.Timeout = time.Millisecond // too short for anything, then killed
			} else {
				go func() {
					waitForFile(t, pidFile)
					cancel()
				}()
			}
			_, err := r.Run(ctx, Invocation{Dir: t.TempDir(), Args: []string{"mod", "vendor"},
				Env: fakeEnv("hang", "GOCOMMAND_FAKE_PIDFILE="+pidFile)})
			want := context.Canceled
			if how == "timeout" {
				want = context.DeadlineExceeded
			}
			if !errors.Is(err, want) {
				t.Fatalf("err = %v, want %v", err, want)
			}
			if how == "timeout" && !strings.Contains(err.Error(), "timed out after 1ms") {
				t.Errorf("message = %q", err)
			}
			if how == "cancel" {
				assertGone(t, pidFile)
			}
		})
	}
}

// waitForFile polls, boundedly, until path exists.
func waitForFile(t *testing.T, path string) {
	for range 2000 {
		if _, err := os.Stat(path); err == nil {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Errorf("%s never appeared", path)
}

// assertGone checks that the process whose pid is in pidFile has ended (and
// was reaped): Run must not return while it lives.
func assertGone(t *testing.T, pidFile string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return // no signal 0 to probe with
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	if _, err := fmt.Sscan(string(data), &pid); err != nil {
		t.Fatal(err)
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return // not found: gone
	}
	if err := p.Signal(syscall.Signal(0)); err == nil {
		t.Errorf("process %d still exists after Run returned", pid)
	}
}

// The real go command gets GOTOOLCHAIN=local and GOFLAGS without -mod.
func TestRunRealGo(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	r := Runner{GoCommand: goCmd}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOTOOLCHAIN=") && !strings.HasPrefix(kv, "GOFLAGS=") {
			env = append(env, kv)
		}
	}
	res, err := r.Run(context.Background(), Invocation{
		Dir:  t.TempDir(),
		Args: []string{"env", "GOTOOLCHAIN", "GOFLAGS"},
		Env:  append(env, "GOFLAGS=-mod=vendor -trimpath"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stdout != "local\n-trimpath\n" {
		t.Errorf("go env GOTOOLCHAIN GOFLAGS printed %q, want local and -trimpath", res.Stdout)
	}
}
