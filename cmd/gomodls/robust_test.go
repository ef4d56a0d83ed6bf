package main

// The robustness suite of issue 10: the built gomodls binary, driven as an
// editor drives it (`gomodls serve` over real stdin and stdout pipes) or as
// CI runs it (`gomodls check`), against hostile repositories and clients.
// Every scenario ends with the same probe (finalProbe): the server still
// publishes the right diagnostics for a go.mod it is given, answers a hover
// and shuts down cleanly. A scenario that hangs is killed after
// answerTimeout and fails (a hang detector, not a timing assertion); every
// process runs under a memory limit (robust_unix_test.go), so that a
// scenario that allocates without bound fails fast instead of taking the
// machine down.
//
// The scenarios named item<N>_… reproduce the numbered findings of issue
// 10; those named held_… are the probes that held, kept so that they keep
// holding.

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gomodls/gomodls/internal/modproxy"
)

const (
	// answerTimeout bounds every wait for the server (an answer, a
	// publish, an exit) and every write to it. gomodls answers these small
	// sessions in milliseconds; a wait this long means it hangs.
	answerTimeout = 10 * time.Second
	// checkTimeout bounds one `gomodls check` run.
	checkTimeout = answerTimeout

	// maxMessageBytes is the largest message the server may send: issue 10
	// asks that publishes never exceed a few MB.
	maxMessageBytes = 4 << 20
	// maxKeptFrame is the largest frame the client decodes; a larger one
	// (already a failure, see maxMessageBytes) is skipped, its size and
	// first bytes kept for the report.
	maxKeptFrame = 8 << 20

	// perCodeCap is maxDiagnosticsPerCode's default: at most this many
	// diagnostics per file and per code, then one summary.
	perCodeCap = 100

	// fileSkippedCode is the code of the diagnostic saying a module file
	// was not read (not a regular file, or larger than the size cap).
	// Issue 10's fix names it; change it here if the name changes.
	fileSkippedCode = "file-skipped"

	// The probe's go.mod replaces a required module by a directory that
	// does not exist: replace-dir-missing, an error gomodls reports from
	// the file alone, offline, in every trust mode.
	probeCode = "replace-dir-missing"
)

// TestRobustness runs every scenario as a subtest (go test -run
// 'TestRobustness/item5'), two at a time (the default -parallel on a
// 2-core machine): a hanging scenario costs its deadline, not CPU.
func TestRobustness(t *testing.T) {
	bins := buildRobustnessBinaries(t)
	for _, sc := range robustnessScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			sc.run(t, newRobustEnv(t, bins))
		})
	}
}

type robustScenario struct {
	name string
	run  func(t *testing.T, e *robustEnv)
}

// robustnessScenarios are the portable scenarios plus, on unix, those
// with special files and signals (specialFileScenarios).
func robustnessScenarios() []robustScenario {
	return append([]robustScenario{
		{"item1_deep_nesting", testDeepNesting},
		{"item2_gomod_over_size_cap", testGoModOverSizeCap},
		{"item5_symlink_escape", testSymlinkEscape},
		{"item6_gosum_flood", testGoSumFlood},
		{"item7_short_content_length", testShortContentLength},
		{"item8_change_unopened", testChangeUnopened},
		{"item9_modules_txt_512", testModulesTxt512},
		{"held_malformed_framing", testMalformedFraming},
		{"held_wrong_param_types", testWrongParamTypes},
		{"held_out_of_order", testOutOfOrder},
		{"held_didchange_bursts", testDidChangeBursts},
		{"held_symlink_loops", testSymlinkLoops},
		{"held_large_directory", testLargeDirectory},
		{"held_execute_command_injection", testExecuteCommandInjection},
		{"held_untrusted_no_go", testUntrustedNoGo},
		{"held_check_read_only", testCheckReadOnly},
	}, specialFileScenarios()...)
}

// robustBinaries are built once per TestRobustness run.
type robustBinaries struct {
	gomodls   string // the gomodls command
	fakeGoDir string // a directory holding the fake go command as "go"
	realGo    string // the go command the fake one hands `go env` to
}

// buildRobustnessBinaries builds gomodls and the fake go
// (testdata/fakego) with the go command in PATH. Never with -race, even
// under go test -race: the suite tests the binary as users run it, and a
// race-instrumented server would be several times slower and larger.
func buildRobustnessBinaries(t *testing.T) robustBinaries {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH to build gomodls with")
	}
	if goCmd, err = filepath.Abs(goCmd); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out") + string(filepath.Separator)
	cmd := exec.Command(goCmd, "build", "-o", out, ".", "./testdata/fakego")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	fakeGoDir := filepath.Join(dir, "fakebin")
	if err := os.Mkdir(fakeGoDir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(out, "fakego"+exe), filepath.Join(fakeGoDir, "go"+exe)); err != nil {
		t.Fatal(err)
	}
	return robustBinaries{gomodls: filepath.Join(out, "gomodls"+exe), fakeGoDir: fakeGoDir, realGo: goCmd}
}

// robustEnv is one scenario's world: a temporary root holding the
// workspace folder ws (which the scenario fills), the probe folder (the
// second workspace folder, with the probe's go.mod) and whatever the
// scenario puts beside them, and a hermetic environment whose go is the
// fake one.
type robustEnv struct {
	t       *testing.T
	bins    robustBinaries
	root    string
	ws      string
	probe   string
	goLog   string // the fake go's record of its runs
	environ []string
}

func newRobustEnv(t *testing.T, bins robustBinaries) *robustEnv {
	root := t.TempDir()
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r // the paths the server reports are resolved ones
	}
	e := &robustEnv{
		t:     t,
		bins:  bins,
		root:  root,
		ws:    filepath.Join(root, "ws"),
		probe: filepath.Join(root, "probe"),
		goLog: filepath.Join(root, "fakego.log"),
	}
	e.write("ws/.keep", "")
	e.write("probe/go.mod", probeGoMod("missing-on-disk"))
	home := filepath.Join(root, "home")
	gopath := filepath.Join(root, "gopath")
	e.environ = append([]string{
		"PATH=" + bins.fakeGoDir + string(filepath.ListSeparator) + os.Getenv("PATH"),
		"HOME=" + home,
		"USERPROFILE=" + home,
		"APPDATA=" + filepath.Join(home, "AppData", "Roaming"),
		"TMPDIR=" + filepath.Join(root, "tmp"),
		"GOMODLS_FAKEGO_LOG=" + e.goLog,
		"GOMODLS_FAKEGO_REAL=" + bins.realGo,
	}, modproxy.OfflineGoEnv(gopath, filepath.Join(root, "gocache"))...)
	if runtime.GOOS == "windows" {
		e.environ = append(e.environ, "SystemRoot="+os.Getenv("SystemRoot"))
	}
	for _, d := range []string{home, filepath.Join(root, "tmp")} {
		if err := os.MkdirAll(d, 0o777); err != nil {
			t.Fatal(err)
		}
	}
	// The real go (for go env) would record telemetry under the user
	// config directory and start a child process to upload it, which
	// outlives the scenario: turn it off, as `go telemetry off` does.
	e.environ = append(e.environ, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))
	for _, config := range []string{".config", filepath.Join("Library", "Application Support"), filepath.Join("AppData", "Roaming")} {
		e.write(filepath.ToSlash(filepath.Join("home", config, "go", "telemetry", "mode")), "off\n")
	}
	return e
}

// probeGoMod is the probe's go.mod: one replace-dir-missing error naming
// ./<missing>, which lets the probe tell a fresh publish from an old one.
func probeGoMod(missing string) string {
	return "module example.com/probe\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep v1.0.0 => ./" + missing + "\n"
}

// path returns the absolute path of a slash-separated path under root.
func (e *robustEnv) path(rel string) string {
	return filepath.Join(e.root, filepath.FromSlash(rel))
}

// on returns e for subtest t, which then reports e's failures.
func (e *robustEnv) on(t *testing.T) *robustEnv {
	sub := *e
	sub.t = t
	return &sub
}

func (e *robustEnv) write(rel, content string) {
	e.t.Helper()
	p := e.path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
		e.t.Fatal(err)
	}
}

func (e *robustEnv) read(rel string) string {
	e.t.Helper()
	b, err := os.ReadFile(e.path(rel))
	if err != nil {
		e.t.Fatal(err)
	}
	return string(b)
}

// symlink makes rel a symbolic link to target (as written, relative or
// not), skipping the scenario where the system cannot.
func (e *robustEnv) symlink(target, rel string) {
	e.t.Helper()
	p := e.path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		e.t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		e.t.Skipf("cannot create symbolic links here: %v", err)
	}
}

// goRun is one run the fake go recorded.
type goRun struct {
	Dir  string   `json:"dir"`
	Args []string `json:"args"`
}

func (r goRun) String() string { return "go " + strings.Join(r.Args, " ") + " (in " + r.Dir + ")" }

// goRuns returns what the fake go recorded, in order.
func (e *robustEnv) goRuns() []goRun {
	e.t.Helper()
	data, err := os.ReadFile(e.goLog)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		e.t.Fatal(err)
	}
	var runs []goRun
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var r goRun
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			e.t.Fatalf("fake go log line %q: %v", line, err)
		}
		runs = append(runs, r)
	}
	return runs
}

// goCommandsRun returns the recorded runs other than `go env`: the
// commands that may write files.
func (e *robustEnv) goCommandsRun() []goRun {
	var runs []goRun
	for _, r := range e.goRuns() {
		if len(r.Args) == 0 || r.Args[0] != "env" {
			runs = append(runs, r)
		}
	}
	return runs
}

// uri is the file URI of an absolute path.
func uri(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// pathOfURI is uri's inverse ("" for what is not a file URI).
func pathOfURI(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "file" {
		return ""
	}
	p := u.Path
	if runtime.GOOS == "windows" && len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:]
	}
	return filepath.Clean(filepath.FromSlash(p))
}

// ---- gomodls check ----

// checkResult is one finished `gomodls check` run.
type checkResult struct {
	code           int
	stdout, stderr string
}

// check runs `gomodls check args...` in the scenario's environment and
// returns when it exits; after checkTimeout it kills it and fails.
func (e *robustEnv) check(args ...string) checkResult {
	e.t.Helper()
	var stdout, stderr tailBuffer
	cmd := e.command(append([]string{"check"}, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Dir = e.root
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	var err error
	exited := make(chan struct{})
	go func() {
		err = cmd.Wait()
		killProcess(cmd) // whatever it started that outlived it
		close(exited)
	}()
	select {
	case <-exited:
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			e.t.Fatalf("gomodls check %s: %v", strings.Join(args, " "), err)
		}
		return checkResult{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
	case <-time.After(checkTimeout):
		dumpAndKill(cmd, exited)
		<-exited
		e.t.Fatalf("gomodls check %s did not end within %s (hang; killed)\nstderr:\n%s", strings.Join(args, " "), checkTimeout, stderrReport(stderr.String(), 12))
		return checkResult{}
	}
}

// crashed says whether a run died in the runtime (out of memory, stack
// overflow) rather than returning an exit code of its own.
func (r checkResult) crashed() bool {
	return strings.Contains(r.stderr, "fatal error:") || strings.Contains(r.stderr, "panic:") || r.code < 0
}

// ---- gomodls serve: a small LSP client over real pipes ----

// lspMessage is one message the server sent.
type lspMessage struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  *lspError       `json:"error"`

	size int    // the body's length
	head []byte // the first bytes of a frame too large to decode
}

type lspError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *lspError) String() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%d %s", e.Code, e.Message)
}

func (m lspMessage) isResponse() bool { return m.Method == "" && len(m.ID) > 0 }

// JSON-RPC and LSP error codes the suite expects.
const (
	codeParseError           = -32700
	codeInvalidRequest       = -32600
	codeMethodNotFound       = -32601
	codeInvalidParams        = -32602
	codeInternalError        = -32603
	codeServerNotInitialized = -32002
)

type lspDiagnostic struct {
	Range struct {
		Start struct{ Line, Character int } `json:"start"`
	} `json:"range"`
	Severity int    `json:"severity"`
	Code     any    `json:"code"`
	Message  string `json:"message"`
}

func (d lspDiagnostic) code() string {
	if d.Code == nil {
		return ""
	}
	return fmt.Sprint(d.Code)
}

type publishParams struct {
	URI         string          `json:"uri"`
	Version     int             `json:"version"`
	Diagnostics []lspDiagnostic `json:"diagnostics"`
}

// lspClient is one `gomodls serve` process and the client end of its
// pipes. A reader goroutine records every message; the test waits for
// conditions on them (await). The server's own requests get a null result.
type lspClient struct {
	t      *testing.T
	e      *robustEnv
	cmd    *exec.Cmd
	stdin  *os.File
	stderr *tailBuffer

	// timeout bounds each wait (await); answerTimeout unless a scenario
	// with a large input sets more before it starts waiting.
	timeout time.Duration

	writeMu sync.Mutex

	mu      sync.Mutex
	msgs    []lspMessage
	changed chan struct{} // closed and replaced when msgs or readErr change
	readErr error         // why the reader stopped
	nextID  int

	exited  chan struct{} // closed when the process has been waited for
	waitErr error
}

// serve starts `gomodls serve` (with extra arguments) in the scenario's
// environment. Cleanup ends the process: closed stdin, then a kill.
func (e *robustEnv) serve(args ...string) *lspClient {
	t := e.t
	t.Helper()
	stdinR, stdinW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdoutR, stdoutW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &lspClient{
		t:       t,
		e:       e,
		cmd:     e.command(append([]string{"serve"}, args...)...),
		stdin:   stdinW,
		stderr:  &tailBuffer{},
		changed: make(chan struct{}),
		exited:  make(chan struct{}),
		nextID:  1,
		timeout: answerTimeout,
	}
	c.cmd.Stdin, c.cmd.Stdout, c.cmd.Stderr = stdinR, stdoutW, c.stderr
	c.cmd.Dir = e.root
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stdinR.Close()
	stdoutW.Close()
	go c.readLoop(stdoutR)
	go func() {
		c.waitErr = c.cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		c.stdin.Close()
		select {
		case <-c.exited:
		case <-time.After(2 * time.Second):
		}
		// Also whatever it started that outlived it.
		killProcess(c.cmd)
		<-c.exited
	})
	return c
}

// readLoop records the server's messages until stdout ends.
func (c *lspClient) readLoop(r io.ReadCloser) {
	defer r.Close()
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		m, err := readMessage(br)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				err = fmt.Errorf("stdout is not LSP frames: %w", err)
				io.Copy(io.Discard, br) // keep the server from blocking on a full pipe
			}
			c.mu.Lock()
			c.readErr = err
			close(c.changed)
			c.changed = make(chan struct{})
			c.mu.Unlock()
			return
		}
		if m.Method != "" && len(m.ID) > 0 {
			// A request from the server: answer it off this goroutine, so
			// that a server that stops reading cannot block the reader.
			go c.writeMessage(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": nil}, false)
		}
		c.mu.Lock()
		c.msgs = append(c.msgs, m)
		close(c.changed)
		c.changed = make(chan struct{})
		c.mu.Unlock()
	}
}

// readMessage reads one frame: headers, a blank line, a body of
// Content-Length bytes.
func readMessage(br *bufio.Reader) (lspMessage, error) {
	length := -1
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			if err == io.EOF && line == "" && length < 0 {
				return lspMessage{}, io.EOF
			}
			return lspMessage{}, fmt.Errorf("reading header: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return lspMessage{}, fmt.Errorf("header line %q", line)
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			if length, err = strconv.Atoi(strings.TrimSpace(value)); err != nil || length < 0 {
				return lspMessage{}, fmt.Errorf("Content-Length %q", value)
			}
		}
	}
	if length < 0 {
		return lspMessage{}, errors.New("no Content-Length")
	}
	if length > maxKeptFrame {
		head := make([]byte, 200)
		if _, err := io.ReadFull(br, head); err != nil {
			return lspMessage{}, err
		}
		if _, err := io.CopyN(io.Discard, br, int64(length-len(head))); err != nil {
			return lspMessage{}, err
		}
		return lspMessage{size: length, head: head}, nil
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(br, body); err != nil {
		return lspMessage{}, fmt.Errorf("reading a %d-byte body: %w", length, err)
	}
	var m lspMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return lspMessage{}, fmt.Errorf("body is not JSON-RPC: %v: %.200s", err, body)
	}
	m.size = length
	return m, nil
}

// writeRaw writes b to the server's stdin. A write the server does not
// take within answerTimeout (it stopped reading, the pipe is full) kills
// it and fails.
func (c *lspClient) writeRaw(b []byte) {
	c.t.Helper()
	if err := c.write(b); err != nil {
		c.fatalf("writing %d bytes to the server: %v", len(b), err)
	}
}

func (c *lspClient) write(b []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	stuck := time.AfterFunc(answerTimeout, func() { killProcess(c.cmd) })
	_, err := c.stdin.Write(b)
	if !stuck.Stop() {
		return fmt.Errorf("the server took none of it for %s (stopped reading?): killed", answerTimeout)
	}
	return err
}

// frame is msg as an LSP base-protocol message.
func frame(msg any) []byte {
	body, err := json.Marshal(msg)
	if err != nil {
		panic(err)
	}
	return frameBody(body)
}

func frameBody(body []byte) []byte {
	return append(fmt.Appendf(nil, "Content-Length: %d\r\n\r\n", len(body)), body...)
}

func (c *lspClient) writeMessage(msg any, mustSucceed bool) {
	if err := c.write(frame(msg)); err != nil && mustSucceed {
		c.fatalf("writing to the server: %v", err)
	}
}

func (c *lspClient) newID() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nextID++
	return c.nextID
}

// notify sends a notification.
func (c *lspClient) notify(method string, params any) {
	c.t.Helper()
	c.writeMessage(map[string]any{"jsonrpc": "2.0", "method": method, "params": params}, true)
}

// start sends a request and returns its id without waiting.
func (c *lspClient) start(method string, params any) int {
	c.t.Helper()
	id := c.newID()
	msg := map[string]any{"jsonrpc": "2.0", "id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	c.writeMessage(msg, true)
	return id
}

// call sends a request and waits for its response.
func (c *lspClient) call(method string, params any) lspMessage {
	c.t.Helper()
	return c.response(c.start(method, params), method)
}

// response waits for the response to request id.
func (c *lspClient) response(id int, what string) lspMessage {
	c.t.Helper()
	want := strconv.Itoa(id)
	var got lspMessage
	c.await("the answer to "+what+" (id "+want+")", func(msgs []lspMessage) bool {
		for _, m := range msgs {
			if m.isResponse() && string(m.ID) == want {
				got = m
				return true
			}
		}
		return false
	})
	return got
}

// await waits until cond holds for the messages received so far. It fails
// when the server exits or its output stops being LSP, when it sends a
// message larger than maxMessageBytes, and, killing it, after c.timeout.
func (c *lspClient) await(what string, cond func([]lspMessage) bool) {
	c.t.Helper()
	c.awaitOr(what, cond, nil)
}

// awaitOr is await whose timeout report adds state(msgs): what the server
// did send instead.
func (c *lspClient) awaitOr(what string, cond func([]lspMessage) bool, state func([]lspMessage) string) {
	c.t.Helper()
	timer := time.NewTimer(c.timeout)
	defer timer.Stop()
	for {
		c.mu.Lock()
		msgs, changed, readErr := c.msgs, c.changed, c.readErr
		c.mu.Unlock()
		for _, m := range msgs {
			if m.size > maxMessageBytes {
				c.fatalf("the server sent a %d-byte message (at most %d allowed) while the test waited for %s: %q…", m.size, maxMessageBytes, what, firstBytes(m))
			}
		}
		if cond(msgs) {
			return
		}
		if readErr != nil {
			c.fatalf("server output ended (%v) before %s", readErr, what)
		}
		select {
		case <-changed:
		case <-timer.C:
			got := ""
			if state != nil {
				got = "\ninstead: " + state(msgs)
			}
			dumpAndKill(c.cmd, c.exited)
			c.fatalf("no %s within %s (killed)%s", what, c.timeout, got)
		}
	}
}

func firstBytes(m lspMessage) []byte {
	if m.head != nil {
		return m.head
	}
	b, _ := json.Marshal(m)
	return b[:min(len(b), 200)]
}

// fatalf fails the scenario with the server's state: whether and how it
// exited, and the end of its stderr (a crash's fatal error is there).
func (c *lspClient) fatalf(format string, args ...any) {
	c.t.Helper()
	msg := fmt.Sprintf(format, args...)
	select {
	case <-c.exited:
	case <-time.After(time.Second):
	}
	state := "still running"
	select {
	case <-c.exited:
		state = "exited: " + c.cmd.ProcessState.String()
	default:
	}
	c.t.Fatalf("%s\nserver %s\nstderr:\n%s", msg, state, stderrReport(c.stderr.String(), 12))
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// initialize runs the initialize handshake with the scenario's ws and
// probe folders and the given initializationOptions (nil: none).
func (c *lspClient) initialize(initOptions any) {
	c.t.Helper()
	resp := c.call("initialize", c.initializeParams(initOptions))
	if resp.Error != nil || string(resp.Result) == "null" {
		c.fatalf("initialize answered %s, result %s", resp.Error, resp.Result)
	}
	c.notify("initialized", map[string]any{})
}

func (c *lspClient) initializeParams(initOptions any) map[string]any {
	params := map[string]any{
		"processId":        nil,
		"rootUri":          uri(c.e.ws),
		"capabilities":     map[string]any{},
		"workspaceFolders": []any{map[string]any{"uri": uri(c.e.ws), "name": "ws"}, map[string]any{"uri": uri(c.e.probe), "name": "probe"}},
	}
	if initOptions != nil {
		params["initializationOptions"] = initOptions
	}
	return params
}

// publishes returns the publishDiagnostics for path received so far, in
// order.
func publishes(msgs []lspMessage, path string) []publishParams {
	var out []publishParams
	for _, m := range msgs {
		if m.Method != "textDocument/publishDiagnostics" {
			continue
		}
		var p publishParams
		if json.Unmarshal(m.Params, &p) == nil && pathOfURI(p.URI) == filepath.Clean(path) {
			out = append(out, p)
		}
	}
	return out
}

// awaitDiagnostics waits until the latest publish for path satisfies ok,
// and returns its diagnostics.
func (c *lspClient) awaitDiagnostics(path, what string, ok func([]lspDiagnostic) bool) []lspDiagnostic {
	c.t.Helper()
	var got []lspDiagnostic
	c.awaitOr(what+" published for "+path, func(msgs []lspMessage) bool {
		ps := publishes(msgs, path)
		if len(ps) == 0 {
			return false
		}
		got = ps[len(ps)-1].Diagnostics
		return ok(got)
	}, func(msgs []lspMessage) string {
		ps := publishes(msgs, path)
		if len(ps) == 0 {
			return "no publish for it at all"
		}
		return fmt.Sprintf("the last of %d publishes for it has\n%s", len(ps), describe(ps[len(ps)-1].Diagnostics))
	})
	return got
}

func hasCode(ds []lspDiagnostic, code string) bool {
	return slices.ContainsFunc(ds, func(d lspDiagnostic) bool { return d.code() == code })
}

func countCode(ds []lspDiagnostic, code string) int {
	n := 0
	for _, d := range ds {
		if d.code() == code {
			n++
		}
	}
	return n
}

func describe(ds []lspDiagnostic) string {
	var b strings.Builder
	for i, d := range ds {
		if i == 5 {
			fmt.Fprintf(&b, "\t… and %d more\n", len(ds)-i)
			break
		}
		fmt.Fprintf(&b, "\t%d:%d [%s] %s\n", d.Range.Start.Line, d.Range.Start.Character, d.code(), d.Message)
	}
	return b.String()
}

// awaitFileSkipped waits for the diagnostic that says path was not read.
// It may be published on path itself or, naming it, on a file next to it.
func (c *lspClient) awaitFileSkipped(path string) {
	c.t.Helper()
	c.awaitOr(fileSkippedCode+" for "+path, func(msgs []lspMessage) bool {
		for _, m := range msgs {
			if m.Method != "textDocument/publishDiagnostics" {
				continue
			}
			var p publishParams
			if json.Unmarshal(m.Params, &p) != nil {
				continue
			}
			for _, d := range p.Diagnostics {
				if d.code() == fileSkippedCode && (pathOfURI(p.URI) == path || strings.Contains(d.Message, filepath.Base(path))) {
					return true
				}
			}
		}
		return false
	}, func(msgs []lspMessage) string {
		ps := publishes(msgs, path)
		if len(ps) == 0 {
			return "no publish for it at all"
		}
		return fmt.Sprintf("the last of %d publishes for it has\n%s", len(ps), describe(ps[len(ps)-1].Diagnostics))
	})
}

// didOpen opens path with text.
func (c *lspClient) didOpen(path, text string) {
	c.t.Helper()
	lang := "go.mod"
	switch filepath.Base(path) {
	case "go.work":
		lang = "go.work"
	case "go.sum":
		lang = "go.sum"
	}
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri(path), "languageId": lang, "version": 1, "text": text,
	}})
}

// hover asks for the hover at line:character of path and returns the
// result, failing on an error answer.
func (c *lspClient) hover(path string, line, character int) json.RawMessage {
	c.t.Helper()
	resp := c.call("textDocument/hover", map[string]any{
		"textDocument": map[string]any{"uri": uri(path)},
		"position":     map[string]any{"line": line, "character": character},
	})
	if resp.Error != nil {
		c.fatalf("hover on %s:%d:%d answered error %s", path, line, character, resp.Error)
	}
	return resp.Result
}

// finalProbe is how every serve scenario ends: the server still publishes
// correct diagnostics (the probe go.mod, opened with a fresh replacement
// path, gets its replace-dir-missing error naming that path), answers a
// hover on its module line, and shuts down cleanly (exit code 0).
func (c *lspClient) finalProbe() {
	c.t.Helper()
	path := filepath.Join(c.e.probe, "go.mod")
	missing := fmt.Sprintf("missing-probe-%d", c.newID())
	c.didOpen(path, probeGoMod(missing))
	c.awaitDiagnostics(path, probeCode+" naming ./"+missing, func(ds []lspDiagnostic) bool {
		return slices.ContainsFunc(ds, func(d lspDiagnostic) bool {
			return d.code() == probeCode && strings.Contains(d.Message, missing)
		})
	})
	if h := c.hover(path, 0, 3); len(h) == 0 || string(h) == "null" || !bytes.Contains(h, []byte("contents")) {
		c.fatalf("probe: hover on the module line of %s answered %s, want the explanation", path, h)
	}
	c.shutdown()
}

// shutdown sends shutdown and exit and waits for exit code 0.
func (c *lspClient) shutdown() {
	c.t.Helper()
	if resp := c.call("shutdown", nil); resp.Error != nil {
		c.fatalf("shutdown answered %s", resp.Error)
	}
	c.notify("exit", nil)
	select {
	case <-c.exited:
	case <-time.After(answerTimeout):
		killProcess(c.cmd)
		c.fatalf("the server did not exit within %s of exit (killed)", answerTimeout)
	}
	if code := c.cmd.ProcessState.ExitCode(); code != 0 {
		c.fatalf("the server exited with %s after shutdown and exit, want 0", c.cmd.ProcessState)
	}
}

// tailBuffer is an io.Writer keeping the first 8 KiB and the last 64
// KiB written, safe for concurrent use: a process's stderr, where a
// crash's fatal error comes first and its goroutine dump after.
type tailBuffer struct {
	mu      sync.Mutex
	head    []byte
	tail    []byte
	dropped bool
}

const (
	headSize = 8 << 10
	tailSize = 64 << 10
)

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := len(p)
	if room := headSize - len(b.head); room > 0 {
		k := min(room, len(p))
		b.head = append(b.head, p[:k]...)
		p = p[k:]
	}
	b.tail = append(b.tail, p...)
	if len(b.tail) > tailSize {
		b.tail = append([]byte(nil), b.tail[len(b.tail)-tailSize:]...)
		b.dropped = true
	}
	return n, nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dropped {
		return string(b.head) + "\n[…]\n" + string(b.tail)
	}
	return string(b.head) + string(b.tail)
}

// crashLines returns the lines of s in which the Go runtime says why a
// process died.
func crashLines(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "fatal error:") || strings.HasPrefix(line, "panic:") || strings.HasPrefix(line, "runtime: ") || strings.HasPrefix(line, "SIGQUIT:") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// stderrReport is a process's stderr for a failure message: the runtime's
// reason for a crash, if any, and where gomodls's goroutines were (after
// a crash or the SIGQUIT of dumpAndKill), else the last lines.
func stderrReport(s string, n int) string {
	crash := crashLines(s)
	if crash == "" {
		return lastLines(s, n)
	}
	if where := goroutineSummary(s); where != "" {
		return crash + "\n" + where
	}
	return crash + "\n…\n" + lastLines(s, n)
}

// goroutineSummary condenses a Go traceback: for each goroutine, its
// header and the innermost gomodls function it is in, so that a hang
// report says what the server was blocked on.
func goroutineSummary(s string) string {
	var out []string
	for _, block := range strings.Split(s, "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		if len(lines) == 0 || !strings.HasPrefix(lines[0], "goroutine ") {
			continue
		}
		for _, l := range lines[1:] {
			if strings.HasPrefix(l, "github.com/gomodls/gomodls/") {
				out = append(out, lines[0]+" in "+l)
				break
			}
		}
	}
	if len(out) > 12 {
		out = append(out[:12], fmt.Sprintf("… and %d more goroutines", len(out)-12))
	}
	return strings.Join(out, "\n")
}

// dumpAndKill ends a process that hangs: first SIGQUIT, on which the Go
// runtime prints every goroutine's stack (for the report) and exits, then,
// after a grace period, a kill of its process group.
func dumpAndKill(cmd *exec.Cmd, exited <-chan struct{}) {
	quitProcess(cmd)
	select {
	case <-exited:
	case <-time.After(3 * time.Second):
	}
	killProcess(cmd)
}

// ---- item scenarios ----

// item 1: params nested 2,000,000 deep (4 MB) must get a ParseError answer,
// not a stack overflow in the JSON decoder.
func testDeepNesting(t *testing.T, e *robustEnv) {
	e.write("ws/go.mod", "module example.com/m\n\ngo 1.22\n")
	c := e.serve()
	c.initialize(nil)
	const depth = 2_000_000
	var body bytes.Buffer
	body.WriteString(`{"jsonrpc":"2.0","id":100000,"method":"textDocument/hover","params":`)
	body.Write(bytes.Repeat([]byte("["), depth))
	body.Write(bytes.Repeat([]byte("]"), depth))
	body.WriteString("}")
	c.writeRaw(frameBody(body.Bytes()))
	c.await("a ParseError answer to the deeply nested message", func(msgs []lspMessage) bool {
		return slices.ContainsFunc(msgs, func(m lspMessage) bool {
			return m.isResponse() && (string(m.ID) == "100000" || string(m.ID) == "null") && m.Error != nil && m.Error.Code == codeParseError
		})
	})
	c.finalProbe()
}

// item 2, the size cap: a regular go.mod larger than maxFileSize's default
// (4 MiB) is not read; check and serve say it was skipped and go on.
func testGoModOverSizeCap(t *testing.T, e *robustEnv) {
	var gomod strings.Builder
	gomod.WriteString("module example.com/m\n\ngo 1.22\n")
	for gomod.Len() <= 5<<20 {
		gomod.WriteString("// a comment line that makes this go.mod larger than the cap\n")
	}
	e.write("ws/go.mod", gomod.String())
	t.Run("check", func(t *testing.T) {
		r := e.on(t).check("-fail-on", "hint", "ws")
		if r.crashed() || r.code == 2 {
			t.Fatalf("check crashed (exit %d):\n%s", r.code, stderrReport(r.stderr, 8))
		}
		if !strings.Contains(r.stdout, "go.mod") || !strings.Contains(r.stdout, "["+fileSkippedCode+"]") {
			t.Errorf("check says nothing about skipping the %d-byte go.mod ([%s]):\n%.2000s", gomod.Len(), fileSkippedCode, r.stdout)
		}
	})
	t.Run("serve", func(t *testing.T) {
		c := e.on(t).serve()
		c.initialize(nil)
		c.awaitFileSkipped(filepath.Join(e.ws, "go.mod"))
		c.finalProbe()
	})
}

// item 5: ws/link → ../outside, used by go.work. No command may run go in
// outside/ or let it rewrite outside/go.mod: the workspace-folder rule must
// compare resolved paths.
func testSymlinkEscape(t *testing.T, e *robustEnv) {
	outsideGoMod := "module example.com/outside\n\ngo 1.22\n"
	e.write("outside/go.mod", outsideGoMod)
	e.write("ws/go.work", "go 1.22\n\nuse ./link\n")
	e.symlink(filepath.Join("..", "outside"), "ws/link")
	c := e.serve()
	c.initialize(nil)
	link := filepath.Join(e.ws, "link")
	for _, cmd := range []struct {
		name string
		dir  string
		args []string
	}{
		{"gomodls.tidy", link, []string{}},
		{"gomodls.download", link, []string{"example.com/dep"}},
		{"gomodls.workInit", link, []string{}},
		{"gomodls.workSync", e.ws, []string{}},
	} {
		resp := c.call("workspace/executeCommand", map[string]any{
			"command":   cmd.name,
			"arguments": []any{map[string]any{"dir": uri(cmd.dir), "args": cmd.args}},
		})
		if resp.Error == nil {
			t.Errorf("%s in %s was not refused (result %s): its go command acts on %s, outside the workspace folders", cmd.name, cmd.dir, resp.Result, e.path("outside"))
		}
	}
	if runs := e.goCommandsRun(); len(runs) > 0 {
		t.Errorf("go ran where it must not: %v", runs)
	}
	if got := e.read("outside/go.mod"); got != outsideGoMod {
		t.Errorf("outside/go.mod was rewritten:\n%s", got)
	}
	if _, err := os.Lstat(e.path("outside/go.work")); err == nil {
		t.Errorf("outside/go.work was created")
	}
	c.finalProbe()
}

// item 6: a large go.sum of unused lines (6 MB, 2 MB with -short: today
// 75,000 diagnostics in a 26 MB publish). The publish is bounded: at most
// perCodeCap sum-unused-lines plus one summary, and a message of a few MB
// at most (await fails on a larger one).
func testGoSumFlood(t *testing.T, e *robustEnv) {
	size := 6 << 20 // 75,000 lines
	if testing.Short() {
		size = 2 << 20
	}
	e.write("ws/go.mod", "module example.com/m\n\ngo 1.22\n")
	var sum bytes.Buffer
	hash := "h1:" + strings.Repeat("A", 43) + "="
	for i := 0; sum.Len() < size; i++ {
		fmt.Fprintf(&sum, "example.com/unused%06d v1.0.0 %s\nexample.com/unused%06d v1.0.0/go.mod %s\n", i, hash, i, hash)
	}
	lines := bytes.Count(sum.Bytes(), []byte("\n"))
	e.write("ws/go.sum", sum.String())
	c := e.serve()
	c.timeout = 3 * answerTimeout // checking every line of a large go.sum takes a while on a busy machine
	c.initialize(nil)
	gosum := filepath.Join(e.ws, "go.sum")
	ds := c.awaitDiagnostics(gosum, "sum-unused-lines", func(ds []lspDiagnostic) bool { return hasCode(ds, "sum-unused-lines") })
	if n := countCode(ds, "sum-unused-lines"); n > perCodeCap+1 || len(ds) > perCodeCap+1 {
		t.Errorf("go.sum of %d unused lines: %d diagnostics published (%d sum-unused-lines), want at most %d and one summary", lines, len(ds), n, perCodeCap)
	}
	c.timeout = answerTimeout
	c.finalProbe()
}

// item 7: a Content-Length shorter than its body loses that message only;
// the valid request after it is answered. The leftover of the short body
// runs into the next message's header line; the reader must find that
// Content-Length there. Two shapes of leftover: one that starts with the
// ':' after "jsonrpc" (the text before it, empty, passes for a header
// name), and one whose last line is the closing brace of a body with
// line breaks ("}Content-Length: …" passes for a header too).
func testShortContentLength(t *testing.T, e *robustEnv) {
	e.write("ws/go.mod", "module example.com/m\n\ngo 1.22\n")
	c := e.serve()
	c.initialize(nil)
	params := fmt.Sprintf(`{"textDocument":{"uri":%q},"position":{"line":0,"character":0}}`, uri(filepath.Join(e.ws, "go.mod")))
	hover := func(id int, sep string) []byte {
		return fmt.Appendf(nil, `{"jsonrpc":"2.0",%s"id":%d,%s"method":"textDocument/hover",%s"params":%s%s}`, sep, id, sep, sep, params, sep)
	}
	for _, sep := range []string{"", "\n"} {
		short := hover(c.newID(), sep)
		c.writeRaw(append([]byte("Content-Length: 10\r\n\r\n"), short...)) // 10 bytes: {"jsonrpc"
		id := c.newID()
		c.writeRaw(frameBody(hover(id, "")))
		c.response(id, fmt.Sprintf("the valid request after a message whose Content-Length is shorter than its body (%q…)", short[10:min(len(short), 40)]))
	}
	c.finalProbe()
}

// item 8: didChange for a document never opened must not create a buffer:
// the diagnostics then follow the disk.
func testChangeUnopened(t *testing.T, e *robustEnv) {
	broken := "module example.com/m\n\ngo 1.22\n\nrequir example.com/x v1.0.0\n"
	e.write("ws/go.mod", broken)
	c := e.serve()
	c.initialize(nil)
	gomod := filepath.Join(e.ws, "go.mod")
	c.awaitDiagnostics(gomod, "gomod-parse-error", func(ds []lspDiagnostic) bool { return hasCode(ds, "gomod-parse-error") })
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri(gomod), "version": 2},
		"contentChanges": []any{map[string]any{"text": strings.Replace(broken, "example.com/x", "example.com/y", 1)}},
	})
	e.write("ws/go.mod", "module example.com/m\n\ngo 1.22\n")
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": uri(gomod), "type": 2}}})
	c.awaitDiagnostics(gomod, "diagnostics of the fixed go.mod on disk (no gomod-parse-error)", func(ds []lspDiagnostic) bool {
		return !hasCode(ds, "gomod-parse-error")
	})
	c.finalProbe()
}

// item 9: go decides whether vendor/modules.txt is a workspace's from its
// first 512 bytes only (cmd/go/internal/modload: modulesTextIsForWorkspace
// reads one 512-byte buffer and cuts the first line there). A "workspace"
// entry beyond byte 512 does not count: ws/a's vendor directory is used
// (go list -m all says "can't compute 'all' using the vendor directory"),
// so gomodls must not say it is ignored. One inside the first 512 bytes
// does count: ws/b's is ignored outside workspace mode, as go says.
func testModulesTxt512(t *testing.T, e *robustEnv) {
	pad := strings.Repeat("x;", 300) // 600 bytes
	e.write("ws/a/go.mod", "module example.com/a\n\ngo 1.22\n")
	e.write("ws/a/vendor/modules.txt", "## "+pad+" workspace\n")
	e.write("ws/b/go.mod", "module example.com/b\n\ngo 1.22\n")
	e.write("ws/b/vendor/modules.txt", "## workspace; "+pad+"\n")
	c := e.serve()
	c.initialize(nil)
	bGoMod := filepath.Join(e.ws, "b", "go.mod")
	c.awaitDiagnostics(bGoMod, "vendor-ignored (the workspace entry is in the first 512 bytes)", func(ds []lspDiagnostic) bool {
		return hasCode(ds, "vendor-ignored")
	})
	// Publishes of one pass go out in path order: a's came before b's.
	aGoMod := filepath.Join(e.ws, "a", "go.mod")
	h := c.hover(aGoMod, 0, 3)
	c.mu.Lock()
	msgs := c.msgs
	c.mu.Unlock()
	for _, p := range []string{aGoMod, filepath.Join(e.ws, "a", "vendor", "modules.txt")} {
		if ps := publishes(msgs, p); len(ps) > 0 && hasCode(ps[len(ps)-1].Diagnostics, "vendor-ignored") {
			t.Errorf("%s: vendor-ignored, but go reads only the first 512 bytes of modules.txt, where there is no workspace entry, and uses the vendor directory:\n%s", p, describe(ps[len(ps)-1].Diagnostics))
		}
	}
	if !bytes.Contains(h, []byte("-mod=vendor")) {
		t.Errorf("hover on ws/a/go.mod does not say -mod=vendor (go uses the vendor directory):\n%s", h)
	}
	c.finalProbe()
}

// ---- probes that held ----

// Malformed framing and JSON: each bad message is answered (or dropped)
// on its own and the next one is read.
func testMalformedFraming(t *testing.T, e *robustEnv) {
	e.write("ws/go.mod", "module example.com/m\n\ngo 1.22\n")
	c := e.serve()
	c.initialize(nil)
	hover := func(id int) []byte {
		b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": map[string]any{
			"textDocument": map[string]any{"uri": uri(filepath.Join(e.ws, "go.mod"))},
			"position":     map[string]any{"line": 2, "character": 0},
		}})
		return b
	}
	var in bytes.Buffer
	in.Write(frameBody([]byte(`{"jsonrpc":"2.0","id":`)))                 // not JSON: ParseError
	in.WriteString("this is not a header\r\n\r\n")                        // malformed header: ParseError
	in.WriteString("Content-Length: -5\r\n\r\n")                          // bad length: ParseError
	in.WriteString("Content-Length: 12abc\r\n\r\n")                       // bad length: ParseError
	in.Write(frameBody([]byte(`{"jsonrpc":"2.0","id":901,"method":42}`))) // JSON, not JSON-RPC
	in.Write(frameBody([]byte(`[1,2,3]`)))                                // no method: no answer
	in.Write(frameBody([]byte(`{"jsonrpc":"2.0","id":999,"result":1}`)))  // a response to nothing
	in.Write(frameBody([]byte("{\"jsonrpc\":\"2.0\",\"method\":\"\xff\xfe\"}")))
	in.WriteString("\r\n\r\n") // stray blank lines
	in.Write(frameBody([]byte(`{"jsonrpc":"2.0","method":"no/such/notification","params":{}}`)))
	in.Write(frameBody([]byte(`{"jsonrpc":"2.0","id":903,"method":"no/such/request"}`)))
	b := hover(902)
	fmt.Fprintf(&in, "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Unknown: 1\r\nContent-Length: %d\r\n\r\n%s", len(b), b)
	b = hover(904)
	fmt.Fprintf(&in, "content-length:%d\r\n\r\n%s", len(b), b)
	c.writeRaw(in.Bytes())

	if r := c.response(901, "a message whose method is a number"); r.Error == nil || r.Error.Code != codeInvalidRequest {
		t.Errorf("method 42: answered %s, want InvalidRequest", r.Error)
	}
	if r := c.response(902, "a request with extra headers"); r.Error != nil {
		t.Errorf("hover with extra headers: %s", r.Error)
	}
	if r := c.response(903, "an unknown request"); r.Error == nil || r.Error.Code != codeMethodNotFound {
		t.Errorf("unknown request: answered %s, want MethodNotFound", r.Error)
	}
	if r := c.response(904, "a request with a lower-case header"); r.Error != nil {
		t.Errorf("hover with a lower-case header: %s", r.Error)
	}
	// The four malformed frames come in a row: after the body that is not
	// JSON the reader skips to the next valid Content-Length, so they cost
	// one ParseError answer, not four — and nothing after them.
	c.await("a ParseError answer (id null) to the malformed frames", func(msgs []lspMessage) bool {
		n := 0
		for _, m := range msgs {
			if m.isResponse() && string(m.ID) == "null" && m.Error != nil && m.Error.Code == codeParseError {
				n++
			}
		}
		return n >= 1
	})
	c.finalProbe()
}

// Wrong param types: requests are answered (InvalidParams or a result,
// never a recovered panic), notifications are dropped.
func testWrongParamTypes(t *testing.T, e *robustEnv) {
	e.write("ws/go.mod", "module example.com/m\n\ngo 1.22\n")
	gomod := uri(filepath.Join(e.ws, "go.mod"))
	c := e.serve()
	c.initialize(nil)
	for _, n := range []struct {
		method string
		params any
	}{
		{"textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": 7, "text": []int{1}}}},
		{"textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": "http://example.com/go.mod", "version": 1, "text": "module x\n"}}},
		{"textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": "file:relative/go.mod", "version": 1, "text": "module x\n"}}},
		{"textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": "file://host/share/go.mod", "version": 1, "text": "module x\n"}}},
		{"textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": gomod}, "contentChanges": "x"}},
		{"textDocument/didClose", "not an object"},
		{"workspace/didChangeWatchedFiles", map[string]any{"changes": 3}},
		{"workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": "::", "type": 99}}}},
		{"workspace/didChangeWorkspaceFolders", map[string]any{"event": []int{}}},
		{"workspace/didChangeConfiguration", []int{1}},
		{"$/cancelRequest", map[string]any{"id": map[string]any{}}},
	} {
		c.notify(n.method, n.params)
	}
	for _, r := range []struct {
		method string
		params any
	}{
		{"textDocument/hover", map[string]any{"textDocument": 5, "position": "x"}},
		{"textDocument/hover", []int{}},
		{"textDocument/hover", "string"},
		{"textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": gomod}, "position": map[string]any{"line": 1_000_000_000, "character": 1_000_000_000}}},
		{"textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": gomod}, "position": map[string]any{"line": -1, "character": -5}}},
		{"textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": 123}, "range": nil, "context": map[string]any{"diagnostics": "no"}}},
		{"textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": gomod}, "range": map[string]any{"start": map[string]any{"line": 9, "character": 0}, "end": map[string]any{"line": 0, "character": 0}}, "context": map[string]any{"diagnostics": []any{}}}},
		{"workspace/executeCommand", map[string]any{"command": 5}},
		{"workspace/executeCommand", map[string]any{"command": "gomodls.tidy", "arguments": map[string]any{"dir": 1}}},
		{"workspace/executeCommand", map[string]any{"command": "gomodls.tidy", "arguments": []any{"x", "y"}}},
	} {
		raw, _ := json.Marshal(r.params)
		resp := c.call(r.method, r.params)
		if resp.Error != nil && resp.Error.Code == codeInternalError {
			t.Errorf("%s %s: internal error (a recovered panic): %s", r.method, raw, resp.Error)
		}
	}
	c.finalProbe()
}

// Requests out of order: before initialize, initialize twice, initialized
// twice, cancel and close of what does not exist.
func testOutOfOrder(t *testing.T, e *robustEnv) {
	e.write("ws/go.mod", "module example.com/m\n\ngo 1.22\n")
	gomod := filepath.Join(e.ws, "go.mod")
	c := e.serve()
	resp := c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri(gomod)}, "position": map[string]any{"line": 0, "character": 0}})
	if resp.Error == nil || resp.Error.Code != codeServerNotInitialized {
		t.Errorf("hover before initialize: answered %s, want ServerNotInitialized", resp.Error)
	}
	c.notify("initialized", map[string]any{})
	c.didOpen(gomod, "module example.com/m\n")
	if resp := c.call("shutdown", nil); resp.Error == nil {
		t.Errorf("shutdown before initialize was accepted")
	}
	c.initialize(nil)
	if resp := c.call("initialize", c.initializeParams(nil)); resp.Error == nil || resp.Error.Code != codeInvalidRequest {
		t.Errorf("second initialize: answered %s, want InvalidRequest", resp.Error)
	}
	c.notify("initialized", map[string]any{})
	c.notify("$/cancelRequest", map[string]any{"id": 123456})
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri(filepath.Join(e.ws, "never", "go.mod"))}})
	c.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri(filepath.Join(e.ws, "never", "go.mod"))}})
	c.finalProbe()
}

// 17,000 didChange in bursts: the last publish is for the last version,
// and no publish is ever older than one before it.
func testDidChangeBursts(t *testing.T, e *robustEnv) {
	const bursts, perBurst = 17, 1000
	gomod := filepath.Join(e.ws, "go.mod")
	text := func(v int) string { return probeGoMod(fmt.Sprintf("missing-%d", v)) }
	e.write("ws/go.mod", text(1))
	c := e.serve()
	c.initialize(nil)
	c.didOpen(gomod, text(1))
	v := 1
	for range bursts {
		var burst bytes.Buffer
		for range perBurst {
			v++
			burst.Write(frame(map[string]any{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": map[string]any{
				"textDocument":   map[string]any{"uri": uri(gomod), "version": v},
				"contentChanges": []any{map[string]any{"text": text(v)}},
			}}))
		}
		c.writeRaw(burst.Bytes())
		c.hover(gomod, 0, 3) // a request between bursts, answered in turn
	}
	last := v
	c.awaitDiagnostics(gomod, fmt.Sprintf("the diagnostics of version %d", last), func(ds []lspDiagnostic) bool {
		return slices.ContainsFunc(ds, func(d lspDiagnostic) bool { return strings.Contains(d.Message, fmt.Sprintf("missing-%d)", last)) })
	})
	c.finalProbe()
	seen := regexp.MustCompile(`missing-(\d+)\)`)
	prev := 0
	c.mu.Lock()
	msgs := c.msgs
	c.mu.Unlock()
	for _, p := range publishes(msgs, gomod) {
		n := 0
		for _, d := range p.Diagnostics {
			if m := seen.FindStringSubmatch(d.Message); m != nil {
				n, _ = strconv.Atoi(m[1])
			}
		}
		if n == 0 {
			continue
		}
		if n < prev {
			t.Errorf("stale publish: the diagnostics of version %d after those of version %d", n, prev)
		}
		if p.Version != 0 && p.Version != n {
			t.Errorf("publish for version %d carries the diagnostics of version %d", p.Version, n)
		}
		prev = n
	}
	if prev != last {
		t.Errorf("the last publish is for version %d, want %d", prev, last)
	}
}

// Symbolic-link loops: a directory linked to itself and to its parent,
// two links to each other, a go.sum linked to itself. Discovery ends.
func testSymlinkLoops(t *testing.T, e *robustEnv) {
	e.write("ws/go.mod", "module example.com/m\n\ngo 1.22\n")
	e.symlink(".", "ws/self")
	e.symlink("..", "ws/sub/up")
	e.symlink("y", "ws/x")
	e.symlink("x", "ws/y")
	e.write("ws/loopsum/go.mod", "module example.com/loopsum\n\ngo 1.22\n")
	e.symlink("go.sum", "ws/loopsum/go.sum")
	if r := e.check("ws"); r.crashed() || r.code == 2 {
		t.Errorf("check over symbolic-link loops: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	c := e.serve()
	c.initialize(nil)
	c.finalProbe()
}

// A directory of many entries in the workspace folder: discovery walks it
// and the server answers. Issue 10 probed 100,000; here 20,000 (2,000 with
// -short), hard links to one empty file, because creating 100,000 inodes
// takes tens of seconds on a busy disk and the walk is linear in the
// entries either way.
func testLargeDirectory(t *testing.T, e *robustEnv) {
	n := 20_000
	if testing.Short() {
		n = 2_000
	}
	e.write("ws/go.mod", "module example.com/m\n\ngo 1.22\n")
	e.write("ws/big/empty", "")
	big := filepath.Join(e.ws, "big")
	for i := range n {
		name := filepath.Join(big, fmt.Sprintf("f%06d", i))
		if err := os.Link(filepath.Join(big, "empty"), name); err != nil {
			// No hard links here: an empty file of its own.
			if err := os.WriteFile(name, nil, 0o666); err != nil {
				t.Fatal(err)
			}
		}
	}
	c := e.serve()
	c.initialize(nil)
	c.finalProbe()
}

// executeCommand with directories outside the folders (traversal, an
// absolute path, a host), flags and shell metacharacters: every one is
// refused, go never runs, no shell ever runs.
func testExecuteCommandInjection(t *testing.T, e *robustEnv) {
	outsideGoMod := "module example.com/outside\n\ngo 1.22\n"
	e.write("outside/go.mod", outsideGoMod)
	e.write("ws/go.mod", "module example.com/m\n\ngo 1.22\n")
	e.write("ws/go.work", "go 1.22\n\nuse .\n")
	c := e.serve()
	c.initialize(nil)
	ws := uri(e.ws)
	for _, cmd := range []struct {
		name string
		dir  string
		args []string
	}{
		{"gomodls.tidy", ws + "/../outside", []string{}},
		{"gomodls.tidy", ws + "/%2e%2e/outside", []string{}},
		{"gomodls.tidy", uri(e.path("outside")), []string{}},
		{"gomodls.tidy", "file://host" + strings.TrimPrefix(ws, "file://"), []string{}},
		{"gomodls.tidy", "../outside", []string{}},
		{"gomodls.tidy", ws, []string{"-modfile=../outside/go.mod"}},
		{"gomodls.download", ws, []string{"-x"}},
		{"gomodls.download", ws, []string{"example.com/m;touch PWNED"}},
		{"gomodls.download", ws, []string{"$(touch PWNED)"}},
		{"gomodls.download", ws, []string{"`touch PWNED`"}},
		{"gomodls.download", ws, []string{"example.com/m", "-modfile=x"}},
		{"gomodls.download", ws, []string{"example.com/m|touch PWNED"}},
		{"gomodls.workUse", ws, []string{"../outside"}},
		{"gomodls.workUse", ws, []string{"-json"}},
		{"gomodls.workUse", ws, []string{e.path("outside")}},
		{"gomodls.workInit", ws, []string{"../outside"}},
		{"gomodls.workSync", ws + "/../outside", []string{}},
		{"gomodls.vendor", ws + "/../outside", []string{}},
		{"gomodls.shell", ws, []string{"touch PWNED"}},
	} {
		resp := c.call("workspace/executeCommand", map[string]any{
			"command":   cmd.name,
			"arguments": []any{map[string]any{"dir": cmd.dir, "args": cmd.args}},
		})
		if resp.Error == nil {
			t.Errorf("%s dir=%s args=%q was not refused (result %s)", cmd.name, cmd.dir, cmd.args, resp.Result)
		}
	}
	if runs := e.goCommandsRun(); len(runs) > 0 {
		t.Errorf("go ran: %v", runs)
	}
	if got := e.read("outside/go.mod"); got != outsideGoMod {
		t.Errorf("outside/go.mod was rewritten:\n%s", got)
	}
	for _, dir := range []string{e.root, e.ws, e.path("outside")} {
		if _, err := os.Lstat(filepath.Join(dir, "PWNED")); err == nil {
			t.Errorf("a shell ran: %s exists", filepath.Join(dir, "PWNED"))
		}
	}
	c.finalProbe()
}

// Untrusted mode: no go process at all, not even go env, and the commands
// refuse.
func testUntrustedNoGo(t *testing.T, e *robustEnv) {
	e.write("ws/go.mod", "module example.com/m\n\ngo 1.22\n\ntoolchain go1.99.0\n")
	c := e.serve()
	c.initialize(map[string]any{"trusted": false})
	resp := c.call("workspace/executeCommand", map[string]any{
		"command":   "gomodls.tidy",
		"arguments": []any{map[string]any{"dir": uri(e.ws), "args": []string{}}},
	})
	if resp.Error == nil {
		t.Errorf("gomodls.tidy ran in an untrusted workspace")
	}
	c.finalProbe()
	if runs := e.goRuns(); len(runs) > 0 {
		t.Errorf("an untrusted workspace, yet go ran: %v", runs)
	}
}

// check reads and never writes: the checked tree is byte for byte and mtime for
// mtime the same after check in every format, and only go env ran.
func testCheckReadOnly(t *testing.T, e *robustEnv) {
	e.write("ws/go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep v1.0.0 => ./missing\n")
	e.write("ws/go.sum", "example.com/unused v1.0.0/go.mod h1:"+strings.Repeat("A", 43)+"=\n")
	e.write("ws/vendor/modules.txt", "# example.com/other v1.0.0\n## explicit\n")
	e.write("ws/sub/go.mod", "module example.com/m/sub\n\ngo 1.22\n\nrequir x\n")
	before := treeState(t, e.ws)
	for _, format := range []string{"text", "json", "sarif"} {
		r := e.check("-format", format, "ws")
		if r.code != 1 || r.crashed() {
			t.Errorf("check -format %s: exit %d, want 1 (errors found)\nstderr:\n%s", format, r.code, r.stderr)
		}
	}
	after := treeState(t, e.ws)
	for p, st := range after {
		if before[p] != st {
			t.Errorf("check changed %s: %s → %s", p, before[p], st)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			t.Errorf("check removed %s", p)
		}
	}
	if runs := e.goCommandsRun(); len(runs) > 0 {
		t.Errorf("check ran go commands other than go env: %v", runs)
	}
}

// treeState maps each path under root (slash-separated, relative) to its
// mode, size, modification time and content hash.
func treeState(t *testing.T, root string) map[string]string {
	t.Helper()
	state := make(map[string]string)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		st := fmt.Sprintf("%v %d %d", info.Mode(), info.Size(), info.ModTime().UnixNano())
		if info.Mode().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			st += fmt.Sprintf(" %x", sha256.Sum256(data))
		}
		state[filepath.ToSlash(rel)] = st
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return state
}
