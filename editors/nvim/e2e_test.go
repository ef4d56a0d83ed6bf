// Package nvim tests the Neovim configuration in this directory in a real,
// headless Neovim (0.7+, Debian's package in CI).
package nvim_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const installHint = "install Neovim 0.7 or later (Debian/Ubuntu: apt-get install -y neovim; .ci/run does this)"

// requireNvim returns the path of nvim, skipping the test when it is
// missing, unless CI=true or GOMODLS_E2E=1 make that a failure.
func requireNvim(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("nvim")
	if err == nil {
		out, verr := exec.Command(path, "--version").Output()
		// 0.x before 0.7 lacks vim.filetype and vim.diagnostic as used here.
		if m := regexp.MustCompile(`NVIM v0\.(\d+)\.`).FindSubmatch(out); verr == nil && m != nil {
			if minor, _ := strconv.Atoi(string(m[1])); minor < 7 {
				err = errors.New(strings.SplitN(string(out), "\n", 2)[0] + " is too old")
			}
		}
	}
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" || os.Getenv("GOMODLS_E2E") == "1" {
		t.Fatalf("nvim: %v; %s", err, installHint)
	}
	t.Skipf("nvim: %v; %s (with CI=true or GOMODLS_E2E=1 this fails)", err, installHint)
	return ""
}

// TestNeovim opens a go.work that uses a missing directory in headless
// Neovim with gomodls attached, waits for the diagnostic, lists the code
// actions, saves through the documented fix-on-save recipe and checks the
// file on disk; then removes a module's go.mod on disk and sees gomodls
// (which watches files itself for Neovim) report it. testdata/e2e.lua
// drives the editor; its log is this test's log.
func TestNeovim(t *testing.T) {
	nvim := requireNvim(t)
	tmp := t.TempDir()

	bin := filepath.Join(tmp, "gomodls")
	build := exec.Command("go", "build", "-o", bin, "github.com/gomodls/gomodls/cmd/gomodls")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	statInputs(t, filepath.Join("..", ".."))
	if _, err := os.Stat(filepath.Join("testdata", "e2e.lua")); err != nil {
		t.Fatal(err)
	}

	work := filepath.Join(tmp, "work")
	if err := os.CopyFS(work, os.DirFS(filepath.Join("testdata", "broken-gowork"))); err != nil {
		t.Fatal(err)
	}
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(tmp, "e2e.log")
	serverLog := filepath.Join(tmp, "gomodls.log")

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n",
		"-c", "luafile "+filepath.Join(here, "testdata", "e2e.lua"))
	cmd.Dir = work
	cmd.Env = append(environ(),
		"HOME="+tmp,
		"XDG_CONFIG_HOME="+filepath.Join(tmp, "config"),
		"XDG_DATA_HOME="+filepath.Join(tmp, "data"),
		"XDG_STATE_HOME="+filepath.Join(tmp, "state"),
		"XDG_CACHE_HOME="+filepath.Join(tmp, "cache"),
		"GOTOOLCHAIN=local",
		"GOFLAGS=",
		"GOMODLS_BIN="+bin,
		"GOMODLS_NVIM_DIR="+here,
		"GOMODLS_WORK="+work,
		"GOMODLS_LOG="+logPath,
		"GOMODLS_SERVER_LOG="+serverLog,
	)
	cmd.WaitDelay = 5 * time.Second
	out, runErr := cmd.CombinedOutput()

	logText, _ := os.ReadFile(logPath)
	t.Logf("neovim e2e log:\n%s", logText)
	// .ci/run prints the log from here: go test shows a passing test's
	// output only with -v.
	if dir := os.Getenv("GOMODLS_E2E_ARTIFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Error(err)
		} else if err := os.WriteFile(filepath.Join(dir, "nvim-e2e.log"), logText, 0o644); err != nil {
			t.Error(err)
		}
	}
	if runErr != nil || !bytes.HasSuffix(logText, []byte("PASS\n")) {
		if ctx.Err() != nil {
			runErr = errors.New("nvim did not finish within 2 minutes")
		}
		serverText, _ := os.ReadFile(serverLog)
		t.Fatalf("nvim: %v\nnvim output:\n%s\ngomodls log:\n%s", runErr, out, serverText)
	}

	got, err := os.ReadFile(filepath.Join(work, "go.work"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "broken-gowork.fixed"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("go.work on disk after fix on save:\n%q\nwant:\n%q", got, want)
	}
	t.Logf("go.work on disk after fix on save, as expected:\n%s", got)
}

// environ is the test's environment without the variables that would
// change which go.work gomodls (and go) use.
func environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "GOWORK", "GOFLAGS", "GOTOOLCHAIN", "HOME", "VIMINIT", "MYVIMRC", "NVIM", "NVIM_LISTEN_ADDRESS", "NVIM_APPNAME":
			continue
		}
		if strings.HasPrefix(name, "XDG_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// statInputs stats the module's Go files and this directory's Lua files, so
// that go test's cache, which knows only the files a test opens or stats,
// reruns this test when the server or the Neovim config changes.
func statInputs(t *testing.T, root string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".lua") || name == "go.mod" || name == "go.sum" {
			_, err = os.Stat(path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
