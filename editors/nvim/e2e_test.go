// Package nvim tests the Neovim configuration in this directory in real,
// headless Neovims, one subtest per recipe of README.md:
//
//   - start_client: Neovim 0.7–0.10 with vim.lsp.start_client, the older
//     recipe. It runs the nvim on PATH, or $GOMODLS_NVIM07 when set. In CI
//     that is Debian bookworm's 0.7.2, which .ci/install-neovim installs
//     with apt-get.
//   - enable: Neovim 0.11+ with vim.lsp.enable('gomodls') and
//     lsp/gomodls.lua found on 'runtimepath'. It runs $GOMODLS_NVIM012 when
//     set, else ${GOMODLS_E2E_CACHE:-$HOME/.cache/gomodls-e2e}/neovim-0.12/bin/nvim,
//     where .ci/install-neovim-0.12 (run by .ci/install-neovim) puts Debian
//     sid's 0.12.
//
// A subtest whose Neovim is missing skips, unless CI=true or GOMODLS_E2E=1
// make that a failure.
package nvim_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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

// An editor is one Neovim and the recipe the e2e runs on it.
type editor struct {
	name   string // the subtest
	recipe string // GOMODLS_RECIPE of testdata/e2e.lua
	// find returns the nvim to run and where it came from (for messages).
	find         func() (path, from string)
	minMinor     int    // 0.minMinor <= version <= 0.maxMinor
	maxMinor     int    // -1: no upper bound
	want, script string // for the skip or failure message
}

var editors = []editor{{
	name:   "start_client",
	recipe: "start_client",
	find: func() (string, string) {
		if p := os.Getenv("GOMODLS_NVIM07"); p != "" {
			return p, "$GOMODLS_NVIM07"
		}
		p, err := exec.LookPath("nvim")
		if err != nil {
			return "", "PATH"
		}
		return p, "PATH"
	},
	minMinor: 7, maxMinor: 10,
	// 0.x before 0.7 lacks vim.filetype and vim.diagnostic as used here;
	// 0.11 deprecates vim.lsp.start_client.
	want:   "Neovim 0.7–0.10 as nvim on PATH or $GOMODLS_NVIM07",
	script: ".ci/install-neovim installs Debian's 0.7.2 (apt-get install -y neovim)",
}, {
	name:   "enable",
	recipe: "enable",
	find: func() (string, string) {
		if p := os.Getenv("GOMODLS_NVIM012"); p != "" {
			return p, "$GOMODLS_NVIM012"
		}
		cache := os.Getenv("GOMODLS_E2E_CACHE")
		if cache == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", "$HOME/.cache/gomodls-e2e"
			}
			cache = filepath.Join(home, ".cache", "gomodls-e2e")
		}
		return filepath.Join(cache, "neovim-0.12", "bin", "nvim"), "the e2e cache"
	},
	minMinor: 11, maxMinor: -1,
	want:   "Neovim 0.11+ at $GOMODLS_NVIM012 or ${GOMODLS_E2E_CACHE:-~/.cache/gomodls-e2e}/neovim-0.12/bin/nvim",
	script: ".ci/install-neovim-0.12 (run by .ci/install-neovim) installs Debian sid's 0.12 there",
}}

// require returns the path of e's nvim and its version line, skipping the
// test when it is missing or of another version, unless CI=true or
// GOMODLS_E2E=1 make that a failure.
func (e editor) require(t *testing.T) (path, version string) {
	t.Helper()
	path, from := e.find()
	var err error
	// The Stat also tells go test's cache to rerun when nvim appears.
	if path == "" {
		err = fmt.Errorf("no nvim on %s", from)
	} else if _, serr := os.Stat(path); serr != nil {
		err = fmt.Errorf("no nvim at %s (from %s)", path, from)
	} else {
		var out []byte
		out, err = exec.Command(path, "--version").Output()
		version, _, _ = strings.Cut(string(out), "\n")
		if err != nil {
			err = fmt.Errorf("%s (from %s): %v", path, from, err)
		} else if m := regexp.MustCompile(`^NVIM v0\.(\d+)\.`).FindStringSubmatch(version); m == nil {
			err = fmt.Errorf("%s (from %s): unknown version %q", path, from, version)
		} else if minor, _ := strconv.Atoi(m[1]); minor < e.minMinor || e.maxMinor >= 0 && minor > e.maxMinor {
			err = fmt.Errorf("%s (from %s) is %s", path, from, version)
		}
	}
	if err == nil {
		return path, version
	}
	if os.Getenv("CI") == "true" || os.Getenv("GOMODLS_E2E") == "1" {
		t.Fatalf("%v; want %s: %s", err, e.want, e.script)
	}
	t.Skipf("%v; want %s: %s (with CI=true or GOMODLS_E2E=1 this fails)", err, e.want, e.script)
	return "", ""
}

// TestNeovim runs testdata/e2e.lua in each Neovim of editors, which
// starts gomodls by that editor's recipe (with the configs' own
// cmd = { 'gomodls' }, found on PATH), opens a go.work that uses a missing
// directory, waits for the diagnostic, lists the code actions, saves
// through the documented fix-on-save recipe and checks the file on disk;
// then removes a module's go.mod on disk and sees gomodls (which watches
// files itself for Neovim) report it. With vim.lsp.enable it also checks
// that the config came from lsp/gomodls.lua on 'runtimepath', that one
// client serves every module file of the workspace, and the hover on the
// go.work go line. The script's logs are this test's log (and, with
// $GOMODLS_E2E_ARTIFACTS, nvim-e2e.log there).
func TestNeovim(t *testing.T) {
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "gomodls-bin")
	build := exec.Command("go", "build", "-o", bin, "github.com/gomodls/gomodls/cmd/gomodls")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	statInputs(t, filepath.Join("..", ".."))
	if _, err := os.Stat(filepath.Join("testdata", "e2e.lua")); err != nil {
		t.Fatal(err)
	}
	// .ci/run prints the logs from here: go test shows a passing test's
	// output only with -v.
	artifact := ""
	if dir := os.Getenv("GOMODLS_E2E_ARTIFACTS"); dir != "" {
		artifact = filepath.Join(dir, "nvim-e2e.log")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(artifact, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range editors {
		t.Run(e.name, func(t *testing.T) {
			nvim, version := e.require(t)
			runE2E(t, e, nvim, version, bin, artifact)
		})
	}
}

// runE2E runs testdata/e2e.lua in nvim with e's recipe, gomodls being bin.
func runE2E(t *testing.T, e editor, nvim, version, bin, artifact string) {
	tmp := t.TempDir()
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

	// The configs' cmd is { 'gomodls' }: a gomodls on PATH that serves
	// with a debug log.
	pathDir := filepath.Join(tmp, "bin")
	if err := os.Mkdir(pathDir, 0o755); err != nil {
		t.Fatal(err)
	}
	wrapper := "#!/bin/sh\nexec " + shQuote(bin) + " serve -log-file " + shQuote(serverLog) + " -log-level debug \"$@\"\n"
	if err := os.WriteFile(filepath.Join(pathDir, "gomodls"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n",
		"-c", "luafile "+filepath.Join(here, "testdata", "e2e.lua"))
	cmd.Dir = work
	cmd.Env = append(environ(),
		"PATH="+pathDir+string(filepath.ListSeparator)+os.Getenv("PATH"),
		"HOME="+tmp,
		"XDG_CONFIG_HOME="+filepath.Join(tmp, "config"),
		"XDG_DATA_HOME="+filepath.Join(tmp, "data"),
		"XDG_STATE_HOME="+filepath.Join(tmp, "state"),
		"XDG_CACHE_HOME="+filepath.Join(tmp, "cache"),
		"GOTOOLCHAIN=local",
		"GOFLAGS=",
		"GOMODLS_RECIPE="+e.recipe,
		"GOMODLS_NVIM_DIR="+here,
		"GOMODLS_WORK="+work,
		"GOMODLS_LOG="+logPath,
	)
	cmd.WaitDelay = 5 * time.Second
	out, runErr := cmd.CombinedOutput()

	logText, _ := os.ReadFile(logPath)
	t.Logf("%s (%s), neovim e2e log:\n%s", version, nvim, logText)
	if artifact != "" {
		f, err := os.OpenFile(artifact, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err == nil {
			_, err = fmt.Fprintf(f, "== %s: %s (%s)\n%s", t.Name(), version, nvim, logText)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
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

// shQuote quotes s for sh.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// environ is the test's environment without the variables that would
// change which go.work gomodls (and go) use, or which runtime and config
// Neovim loads; and without PATH, which runE2E sets.
func environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "PATH", "GOWORK", "GOFLAGS", "GOTOOLCHAIN", "HOME", "VIM", "VIMRUNTIME", "VIMINIT", "MYVIMRC", "NVIM", "NVIM_LISTEN_ADDRESS", "NVIM_APPNAME":
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
