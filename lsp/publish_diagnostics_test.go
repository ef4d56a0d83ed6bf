package lsp_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
	"github.com/gomodls/gomodls/workspace"
)

// A check that panics is reported to the user once, as an error message
// and in the client's log, and the other checks' diagnostics still arrive.
func TestPanickingCheck(t *testing.T) {
	boom := diagnostics.Check{Name: "boom", Run: func(*workspace.Snapshot) []diagnostics.Diagnostic { panic("kaboom") }}
	c := lsptest.New(t, lsptest.Config{
		Files:   "-- go.mod --\n" + brokenGoMod,
		Options: lsp.Options{Checks: append([]diagnostics.Check{boom}, diagnostics.Checks...)},
	})
	c.Initialize(lsptest.AllCapabilities)
	c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
	c.Await("the internal error message", func() bool { return len(c.ShowMessages()) > 0 })
	shown := c.ShowMessages()[0]
	if shown.Type != protocol.MessageTypeError || !strings.Contains(shown.Message, "internal error in gomodls check boom: kaboom") {
		t.Errorf("showMessage = %+v", shown)
	}
	logged := c.LogMessages()
	if !slices.ContainsFunc(logged, func(m protocol.LogMessageParams) bool { return m.Message == shown.Message }) {
		t.Errorf("logMessage = %+v, want the same message", logged)
	}
	if c.Logs().FilterMessage("check panicked").Len() == 0 {
		t.Error("the panic is not in the server's log")
	}

	// The check panics again on every snapshot; the user is told once.
	c.Open("go.mod")
	c.Change("go.mod", fixedGoMod)
	c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)
	if n := len(c.ShowMessages()); n != 1 {
		t.Errorf("%d messages shown, want 1", n)
	}
}

// relatedCheck reports go.sum's first line with related information
// pointing into go.mod.
var relatedCheck = diagnostics.Check{
	Name: "related",
	Run: func(snap *workspace.Snapshot) []diagnostics.Diagnostic {
		var diags []diagnostics.Diagnostic
		for _, m := range snap.Modules() {
			if sum := snap.GoSum(m.Dir); sum != nil {
				diags = append(diags, diagnostics.Diagnostic{
					Code: "demo", Severity: diagnostics.SeverityHint, File: sum.File, Span: sum.File.LineSpan(1),
					Message: "see go.mod", Tags: []diagnostics.Tag{diagnostics.TagUnnecessary},
					Related: []diagnostics.Related{{File: m.File, Span: m.File.LineSpan(3), Message: "this line"}},
				})
			}
		}
		return diags
	},
}

const relatedFiles = `
-- go.mod --
module example.com/m

go 1.22
-- go.sum --
example.com/a v1.0.0 h1:x=
`

// Related information and code descriptions are sent only to clients that
// support them; others read the related place in the message.
func TestClientsWithoutRelatedInformationOrCodeDescription(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: relatedFiles, Options: lsp.Options{Checks: []diagnostics.Check{relatedCheck}}})
	c.Initialize(lsptest.AllCapabilities)
	d := c.AwaitDiagnostics("go.sum", lsptest.HasCode("demo"))[0]
	wantRange := protocol.Range{Start: protocol.Position{Line: 2}, End: protocol.Position{Line: 2, Character: 7}}
	if d.Message != "see go.mod" || len(d.RelatedInformation) != 1 ||
		d.RelatedInformation[0].Location.URI != c.URI("go.mod") || d.RelatedInformation[0].Location.Range != wantRange {
		t.Errorf("with support: %+v", d)
	}
	if len(d.Tags) != 1 || d.Tags[0] != protocol.DiagnosticTagUnnecessary || d.CodeDescription == nil {
		t.Errorf("with support: tags %v, code description %v", d.Tags, d.CodeDescription)
	}

	caps := lsptest.AllCapabilities
	caps.RelatedInformation, caps.CodeDescription = false, false
	c = lsptest.New(t, lsptest.Config{Files: relatedFiles, Options: lsp.Options{Checks: []diagnostics.Check{relatedCheck}}})
	c.Initialize(caps)
	d = c.AwaitDiagnostics("go.sum", lsptest.HasCode("demo"))[0]
	if d.Message != "see go.mod\ngo.mod:3:1: this line" || d.RelatedInformation != nil || d.CodeDescription != nil {
		t.Errorf("without support: %+v", d)
	}
}

// Only files whose diagnostics changed are published again.
func TestUnchangedDiagnosticsAreNotRepublished(t *testing.T) {
	c := lsptest.New(t, lsptest.Config{Files: "-- a/go.mod --\n" + brokenGoMod + "-- b/go.mod --\n" + brokenGoMod})
	c.Initialize(lsptest.AllCapabilities)
	c.AwaitDiagnostics("b/go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
	c.Open("a/go.mod")
	c.Change("a/go.mod", fixedGoMod)
	c.AwaitDiagnostics("a/go.mod", lsptest.NoDiagnostics)
	// Diagnostics are published in path order: any republish of b for the
	// snapshot of version 2 came before a's publish for version 3.
	c.Change("a/go.mod", brokenGoMod)
	c.AwaitDiagnostics("a/go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
	if n := countPublishes(c, "b/go.mod"); n != 1 {
		t.Errorf("b/go.mod published %d times, want 1", n)
	}
}

func countPublishes(c *lsptest.Client, rel string) int {
	n := 0
	for _, raw := range c.Notifications(protocol.MethodTextDocumentPublishDiagnostics) {
		if strings.Contains(string(raw), `"uri":"`+string(c.URI(rel))+`"`) {
			n++
		}
	}
	return n
}

// A snapshot replaced while its checks run has the rest of its checks
// cancelled: a burst of keystrokes costs the checks of the last one, not a
// full run for each (issue 11). The first checks, one for each goroutine
// the checks run on, block on the snapshot whose buffer says "slow" until
// a newer snapshot is on its way; the last must then never run on it.
func TestNewerSnapshotCancelsChecks(t *testing.T) {
	const gomod = "module example.com/m\n\ngo 1.22\n"
	gates := runtime.GOMAXPROCS(0)
	entered, release := make(chan struct{}, gates), make(chan struct{})
	isSlow := func(snap *workspace.Snapshot) bool {
		m := snap.Module(snap.Folders[0])
		return m != nil && strings.Contains(string(m.File.Content()), "slow")
	}
	gate := diagnostics.Check{Name: "gate", Run: func(snap *workspace.Snapshot) []diagnostics.Diagnostic {
		if isSlow(snap) {
			entered <- struct{}{}
			select {
			case <-release:
			case <-time.After(10 * time.Second): // a hang detector, not a timing assertion
				t.Error("the test never released the gate")
			}
		}
		return nil
	}}
	var mu sync.Mutex
	var ranOnSlow bool
	after := diagnostics.Check{Name: "after", Run: func(snap *workspace.Snapshot) []diagnostics.Diagnostic {
		mu.Lock()
		defer mu.Unlock()
		ranOnSlow = ranOnSlow || isSlow(snap)
		return nil
	}}
	checks := append(slices.Repeat([]diagnostics.Check{gate}, gates), after)
	c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\n" + gomod, Options: lsp.Options{Checks: checks}})
	c.Initialize(lsptest.AllCapabilities)
	c.Open("go.mod")
	c.AwaitDiagnostics("go.mod", lsptest.NoDiagnostics)
	c.Change("go.mod", gomod+"// slow\n")
	for range gates {
		<-entered
	}
	c.Change("go.mod", gomod+"// fast\n")
	// The server reads the change, then cancels; give it the change before
	// the gate opens by waiting for a request answered after it.
	c.Call("textDocument/hover", &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: c.URI("go.mod")}}}, nil)
	close(release)
	c.Await("the last version's diagnostics", func() bool {
		p, ok := c.LastPublish("go.mod")
		return ok && p.Params.Version == 3
	})
	mu.Lock()
	defer mu.Unlock()
	if ranOnSlow {
		t.Error("the check after the gate ran on the snapshot a newer one replaced")
	}
}

// The edited buffer's diagnostics come from a run focused on it, before
// the whole run that the other files wait for, and are not sent again when
// the whole run agrees. The gated check's whole run blocks until the test
// lets it go; its focused run does not.
func TestEditedBufferIsPublishedBeforeTheWholeRun(t *testing.T) {
	gate := make(chan struct{})
	var blocking atomic.Bool
	seen := func(_ context.Context, snap *workspace.Snapshot, focus *diagnostics.Focus) []diagnostics.Diagnostic {
		var version int32
		for _, m := range snap.Modules() {
			if strings.HasSuffix(m.Dir, "a") {
				version = m.File.Version
			}
		}
		var diags []diagnostics.Diagnostic
		for _, m := range snap.Modules() {
			if focus.Has(m.File) {
				diags = append(diags, diagnostics.Diagnostic{Code: "seen", Severity: diagnostics.SeverityHint, File: m.File, Span: m.File.LineSpan(1),
					Message: fmt.Sprintf("a/go.mod at version %d", version)})
			}
		}
		return diags
	}
	gated := diagnostics.Check{
		Name: "gated",
		Run: func(snap *workspace.Snapshot) []diagnostics.Diagnostic {
			if blocking.Load() {
				<-gate
			}
			return seen(context.Background(), snap, nil)
		},
		RunFocused: seen,
	}
	c := lsptest.New(t, lsptest.Config{
		Files:   "-- a/go.mod --\n" + fixedGoMod + "-- b/go.mod --\n" + fixedGoMod,
		Options: lsp.Options{Checks: []diagnostics.Check{gated}},
	})
	c.Initialize(lsptest.AllCapabilities)
	message := func(msg string) func([]protocol.Diagnostic) bool {
		return func(diags []protocol.Diagnostic) bool { return len(diags) == 1 && diags[0].Message == msg }
	}
	c.Open("a/go.mod")
	c.AwaitDiagnostics("b/go.mod", message("a/go.mod at version 1"))

	blocking.Store(true)
	c.Change("a/go.mod", fixedGoMod+"\n")
	c.AwaitDiagnostics("a/go.mod", message("a/go.mod at version 2")) // while the whole run waits
	close(gate)
	c.AwaitDiagnostics("b/go.mod", message("a/go.mod at version 2"))
	n := 0
	for _, raw := range c.Notifications(protocol.MethodTextDocumentPublishDiagnostics) {
		if strings.Contains(string(raw), `"uri":"`+string(c.URI("a/go.mod"))+`"`) && strings.Contains(string(raw), "at version 2") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("a/go.mod's diagnostics of version 2 published %d times, want 1", n)
	}
}

// Shutdown stops the checks still running: an editor that closes must not
// leave the server working, on a whole run of a thousand modules, until
// Serve's drain gives up on it. The check's whole run ends only when its
// context does.
func TestShutdownCancelsTheRunningChecks(t *testing.T) {
	started := make(chan struct{})
	var once sync.Once
	waits := diagnostics.Check{
		Name: "waits",
		Run:  func(*workspace.Snapshot) []diagnostics.Diagnostic { return nil },
		RunFocused: func(ctx context.Context, _ *workspace.Snapshot, focus *diagnostics.Focus) []diagnostics.Diagnostic {
			if focus == nil {
				once.Do(func() { close(started) })
				<-ctx.Done()
			}
			return nil
		},
	}
	c := lsptest.New(t, lsptest.Config{
		Files:   "-- a/go.mod --\n" + fixedGoMod,
		Options: lsp.Options{Checks: []diagnostics.Check{waits}},
	})
	c.Initialize(lsptest.AllCapabilities)
	c.Open("a/go.mod")
	<-started
	if err := c.Exit(false); err != nil {
		t.Fatalf("Serve returned %v", err)
	}
	if n := c.Logs().FilterMessage("session ended with work still running").Len(); n != 0 {
		t.Errorf("the session ended with its checks still running (logged %d times)", n)
	}
}
