package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// A workload is what one run does to a server.
type workload struct {
	Workspace   string // absolute: the root and only workspace folder
	File        string // absolute: the go.mod opened and edited
	Plan        editPlan
	Edits       int
	Env         []string // added to the harness's environment
	InitTimeout time.Duration
	EditTimeout time.Duration
	// Settle bounds how long the server is left alone after the last
	// edit's diagnostics, before shutdown, for it to become idle
	// (waitIdle).
	Settle time.Duration
	// Configuration is the answer to each workspace/configuration item.
	Configuration json.RawMessage
}

// A measurement is one run of the workload on one server.
type measurement struct {
	Initialize       time.Duration // initialize sent → its answer
	FirstPublish     time.Duration // initialize sent → the first publishDiagnostics, any file
	FirstFilePublish time.Duration // initialize sent → the first for the opened file, after didOpen
	Edits            []time.Duration
	Timeouts         int   // edits whose publish did not come within EditTimeout
	PeakRSS          int64 // bytes: the server's VmHWM, or ru_maxrss where there is no /proc
	TreePeakRSS      int64 // bytes: the server and its children together, sampled (0 without /proc)
	ChildMaxRSS      int64 // bytes: wait4's ru_maxrss, the largest of the server and its waited-for children
	Publishes        int   // publishDiagnostics received, all files
	Settled          bool  // the server became idle within Settle
	FileDiagnostics  int   // on the opened file, in its last publish
	ServerRequests   map[string]int
}

// runOnce starts the server argv in the workspace, runs the workload and
// shuts the server down.
func runOnce(ctx context.Context, argv []string, w workload, log io.Writer) (m measurement, err error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = w.Workspace
	cmd.Env = append(os.Environ(), w.Env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return m, err
	}
	// Not StdoutPipe: Wait would close it under the reader.
	stdout, serverOut, err := os.Pipe()
	if err != nil {
		return m, err
	}
	defer stdout.Close()
	cmd.Stdout = serverOut
	serverLog := &tailBuffer{max: 16 << 10}
	cmd.Stderr = serverLog
	err = cmd.Start()
	serverOut.Close() // the server's now
	if err != nil {
		return m, err
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	mem := watchMemory(cmd.Process.Pid, 20*time.Millisecond)
	stopped := false
	defer func() {
		if !stopped {
			_ = cmd.Process.Kill()
			<-exited
			mem.Stop()
		}
		if err != nil {
			if tail := serverLog.String(); tail != "" {
				err = fmt.Errorf("%w\nthe server's standard error ends with:\n%s", err, tail)
			}
		}
	}()

	c := newConn(stdin, stdout, w.Configuration)
	root := uriOf(w.Workspace)
	start := time.Now()
	initCtx, cancel := context.WithTimeout(ctx, w.InitTimeout)
	defer cancel()
	if _, err := c.call(initCtx, "initialize", initializeParams(root, filepath.Base(w.Workspace))); err != nil {
		return m, err
	}
	m.Initialize = time.Since(start)
	if err := c.notify("initialized", struct{}{}); err != nil {
		return m, err
	}
	content := w.Plan.text(0)
	opened := c.published()
	if err := c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uriOf(w.File), "languageId": "go.mod", "version": 1, "text": content,
	}}); err != nil {
		return m, err
	}
	first, _, err := c.waitPublish(initCtx, opened, forVersion(w.File, 1))
	if err != nil {
		return m, fmt.Errorf("waiting for the first diagnostics of %s: %w", w.File, err)
	}
	m.FirstFilePublish = first.At.Sub(start)
	m.FirstPublish = c.allPublishes()[0].At.Sub(start)
	fmt.Fprintf(log, "  first diagnostics for the file after %v\n", m.FirstFilePublish.Round(time.Millisecond))

	for n := 1; n <= w.Edits; n++ {
		version := int32(n + 1)
		from := c.published()
		sent := time.Now()
		if err := c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uriOf(w.File), "version": version},
			"contentChanges": []map[string]any{{"text": w.Plan.text(n)}},
		}); err != nil {
			return m, err
		}
		editCtx, cancel := context.WithTimeout(ctx, w.EditTimeout)
		p, _, err := c.waitPublish(editCtx, from, forVersion(w.File, version))
		cancel()
		switch {
		case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
			m.Timeouts++
			fmt.Fprintf(log, "  edit %d: no diagnostics within %v\n", n, w.EditTimeout)
			continue
		case err != nil:
			return m, fmt.Errorf("edit %d: %w", n, err)
		}
		m.Edits = append(m.Edits, p.At.Sub(sent))
	}

	if w.Settle > 0 {
		idle, err := waitIdle(ctx, cmd.Process.Pid, w.Settle)
		if err != nil {
			return m, err
		}
		m.Settled = idle
		if !idle {
			fmt.Fprintf(log, "  the server was still busy %v after the last edit\n", w.Settle)
		}
	}
	mem.Sample()
	m.ServerRequests = c.serverRequests()
	all := c.allPublishes()
	m.Publishes = len(all)
	for _, p := range all {
		if p.Path == filepath.Clean(w.File) {
			m.FileDiagnostics = p.Diagnostics
		}
	}

	// Shut down as a client does, then insist.
	shutCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, shutErr := c.call(shutCtx, "shutdown", nil)
	_ = c.notify("exit", nil)
	_ = stdin.Close()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
		if shutErr == nil {
			shutErr = errors.New("the server did not exit within 10s of exit")
		}
	}
	stopped = true
	m.PeakRSS, m.TreePeakRSS = mem.Stop()
	if cmd.ProcessState != nil {
		m.ChildMaxRSS = maxRSS(cmd.ProcessState)
	}
	if m.PeakRSS == 0 { // no /proc: ru_maxrss is the best there is
		m.PeakRSS = m.ChildMaxRSS
	}
	if shutErr != nil {
		return m, fmt.Errorf("shutting down: %w", shutErr)
	}
	if waitErr != nil {
		fmt.Fprintf(log, "  the server exited: %v\n", waitErr)
	}
	return m, nil
}

// forVersion matches the publish for path at version, or any publish for
// path if the server does not say which version it checked (LSP makes the
// version optional; 0 is what an omitted one decodes to).
func forVersion(path string, version int32) func(publish) bool {
	path = filepath.Clean(path)
	return func(p publish) bool {
		return p.Path == path && (p.Version == version || p.Version == 0)
	}
}

// initializeParams are those of a client that gopls and gomodls both adapt
// to as they do to VS Code: versioned publishDiagnostics, workspace
// folders, dynamically registered file watchers, configuration and work
// done progress — so that both send the server→client requests an editor
// sees, which conn answers.
func initializeParams(rootURI, name string) map[string]any {
	return map[string]any{
		"processId":        os.Getpid(),
		"clientInfo":       map[string]any{"name": "lspbench"},
		"rootUri":          rootURI,
		"workspaceFolders": []map[string]any{{"uri": rootURI, "name": name}},
		"capabilities": map[string]any{
			"workspace": map[string]any{
				"workspaceFolders":       true,
				"configuration":          true,
				"didChangeWatchedFiles":  map[string]any{"dynamicRegistration": true, "relativePatternSupport": true},
				"didChangeConfiguration": map[string]any{"dynamicRegistration": true},
				"workspaceEdit":          map[string]any{"documentChanges": true},
			},
			"textDocument": map[string]any{
				"synchronization": map[string]any{"dynamicRegistration": true, "didSave": true},
				"publishDiagnostics": map[string]any{
					"versionSupport":         true,
					"relatedInformation":     true,
					"codeDescriptionSupport": true,
					"tagSupport":             map[string]any{"valueSet": []int{1, 2}},
				},
			},
			"window": map[string]any{"workDoneProgress": true},
		},
	}
}

// tailBuffer keeps the last max bytes written to it: the end of a server's
// log, for the error when it fails.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
