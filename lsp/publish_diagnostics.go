package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// wholeRunSettle is how long the whole run of a snapshot waits after its
// edited buffers were published from a focused run: typing sends a change
// every few tens of milliseconds at most, and a burst then costs a focused
// run per change and one whole run at its end, while the other files are
// still published well within a keystroke's time.
const wholeRunSettle = 10 * time.Millisecond

// diagnoser runs the checks on the newest snapshot and publishes the
// results, on its own goroutine: a slow check never holds up reading
// messages, and snapshots made while it works are coalesced into the newest
// (every snapshot includes all changes before it).
type diagnoser struct {
	s    *server
	wake chan struct{} // capacity 1: a pending wake-up is never lost
	done chan struct{}
	stop func()

	mu      sync.Mutex
	pending *workspace.Snapshot // newest snapshot not yet diagnosed
	latest  *diagnosed          // newest snapshot whose diagnostics were asked for
	// running is the ID of the snapshot the loop is diagnosing, and
	// cancelRunning stops its checks: a newer snapshot makes them moot, and
	// a burst of keystrokes must not queue a full run per keystroke.
	running       uint64
	cancelRunning context.CancelFunc

	// verified holds what the verify command found, by modules.txt path
	// (verify_vendor_command.go), merged into every run while it holds;
	// force makes the loop publish a snapshot it has published already.
	verified map[string]verifiedVendor
	force    bool
	// pulledAt holds, by path, the buffer version of the last pull the
	// server answered for an open document (pull_diagnostics.go).
	pulledAt map[string]int32

	// Owned by the loop goroutine.
	published      map[string]published // by path
	internalErrors map[string]bool      // internal-error messages of the last snapshot
}

// diagnosed holds the diagnostics of one snapshot, computed once for both
// publishing and code actions (unless the computation was cancelled; the
// next caller computes them then).
type diagnosed struct {
	snap  *workspace.Snapshot
	mu    sync.Mutex
	done  bool
	diags []diagnostics.Diagnostic
}

// published is what the client was last sent for one file.
type published struct {
	uri     protocol.DocumentURI
	file    *workspace.File // the content the ranges were computed on
	version int32
	diags   []diagnostics.Diagnostic
	// pulled: the file is open in a client that pulls its diagnostics;
	// diags are what the whole run found, never sent.
	pulled bool
}

func newDiagnoser(s *server) *diagnoser {
	d := &diagnoser{
		s:         s,
		wake:      make(chan struct{}, 1),
		done:      make(chan struct{}),
		published: make(map[string]published),
	}
	// Stopping also cancels the checks running: the session is over, and
	// a whole run of a thousand modules would otherwise hold Serve in its
	// drain after exit.
	d.stop = sync.OnceFunc(func() {
		close(d.done)
		d.mu.Lock()
		if d.cancelRunning != nil {
			d.cancelRunning()
		}
		d.mu.Unlock()
	})
	return d
}

func (d *diagnoser) start() {
	d.s.goBackground("diagnoser", d.loop)
}

// schedule asks for snap's diagnostics to be published, unless a newer
// snapshot's are asked for before the diagnoser gets to it.
func (d *diagnoser) schedule(snap *workspace.Snapshot) {
	if snap == nil {
		return
	}
	d.mu.Lock()
	if d.pending == nil || snap.ID > d.pending.ID {
		d.pending = snap
	}
	if d.cancelRunning != nil && snap.ID > d.running {
		d.cancelRunning()
	}
	d.mu.Unlock()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *diagnoser) loop() {
	var lastID uint64
	diagnosedAny := false
	for {
		select {
		case <-d.done:
			return
		case <-d.wake:
		}
		d.mu.Lock()
		snap, force := d.pending, d.force
		d.pending, d.force = nil, false
		d.mu.Unlock()
		if snap == nil || (diagnosedAny && snap.ID <= lastID && !force) {
			continue
		}
		lastID, diagnosedAny = snap.ID, true
		ctx, cancel := context.WithCancel(context.Background())
		d.mu.Lock()
		d.running, d.cancelRunning = snap.ID, cancel
		if (d.pending != nil && d.pending.ID > snap.ID) || isClosed(d.done) {
			cancel() // superseded already, or stopped
		}
		d.mu.Unlock()
		func() {
			defer d.s.recoverPanic("publishing diagnostics")
			d.publish(ctx, snap)
		}()
		d.mu.Lock()
		d.cancelRunning = nil
		d.mu.Unlock()
		cancel()
	}
}

// diagnosticsFor returns the diagnostics of snap, bounded by the
// maxDiagnosticsPerCode setting, running the checks unless they already ran
// on it. ok is false when ctx was done before the checks finished.
func (d *diagnoser) diagnosticsFor(ctx context.Context, snap *workspace.Snapshot) (diags []diagnostics.Diagnostic, ok bool) {
	d.mu.Lock()
	r := d.latest
	if r == nil || r.snap != snap {
		r = &diagnosed{snap: snap}
		if d.latest == nil || snap.ID > d.latest.snap.ID {
			d.latest = r
		}
	}
	d.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return r.diags, true
	}
	// Bounded once here, so that publishing and code actions agree: a
	// quick fix or fix-all acts on what the editor shows.
	if r.diags, r.done = d.run(ctx, snap, nil); !r.done {
		return nil, false
	}
	return r.diags, true
}

// publish sends the diagnostics of snap: to every file that has some now,
// every file that had some in the last publish (an empty list clears them)
// and every open buffer whose version changed (so the client learns that
// version was checked). A file whose diagnostics are unchanged is skipped.
// Diagnostics without a file (internal errors) are shown as messages.
//
// The open buffers the client is waiting for (their version changed) come
// first, and from a run of the checks focused on them
// (diagnostics.RunFocused: the edited go.mod's module, not the thousand
// others); then every file from the whole run, the other open ones before
// the rest. When ctx is done before the checks finish (a newer snapshot
// came), what is not yet sent is not sent.
func (d *diagnoser) publish(ctx context.Context, snap *workspace.Snapshot) {
	s := d.s
	s.mu.Lock()
	caps := s.caps
	open := maps.Clone(s.open)
	s.mu.Unlock()

	if waiting := d.waiting(snap, open); len(waiting) > 0 && !d.diagnosed(snap) {
		focused, ok := d.run(ctx, snap, diagnostics.FocusOn(waiting...))
		if !ok {
			return
		}
		d.send(snap, focused, waiting, open, caps)
		// A keystroke rarely comes alone: let the next one of a burst
		// arrive (and cancel this) before the whole run starts, so that it
		// does not wait for a check of the whole run in flight.
		select {
		case <-ctx.Done():
			return
		case <-time.After(wholeRunSettle):
		}
	}
	diags, ok := d.diagnosticsFor(ctx, snap)
	if !ok {
		return
	}
	internal := make(map[string]bool)
	for _, dg := range diags {
		if dg.File == nil {
			internal[dg.Message] = true
		}
	}
	d.showInternalErrors(internal)
	d.send(snap, diags, nil, open, caps)
	// What the run read of the module cache's packages serves the next
	// process too (workspace.FlushPackageIndex); nothing to do when it
	// read nothing new.
	if err := workspace.FlushPackageIndex(); err != nil {
		s.log.Debug("writing the package index", zap.Error(err))
	}
}

// waiting returns the open buffers of snap whose version the client has
// not yet been sent diagnostics for, sorted.
func (d *diagnoser) waiting(snap *workspace.Snapshot, open map[string]protocol.DocumentURI) []string {
	var out []string
	for path := range open {
		if f := snap.File(path); f != nil && f.Version != d.published[path].version {
			out = append(out, path)
		}
	}
	slices.Sort(out)
	return out
}

// diagnosed reports whether the whole run on snap is done already (a code
// action asked for it): then it is what is published, at no cost.
func (d *diagnoser) diagnosed(snap *workspace.Snapshot) bool {
	d.mu.Lock()
	r := d.latest
	d.mu.Unlock()
	if r == nil || r.snap != snap {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.done
}

// run runs the checks on snap, focused (nil: every file), bounded by the
// maxDiagnosticsPerCode setting (per file and code, so a focused run's are
// the whole run's for its files); ok is false when ctx was done before the
// checks finished.
func (d *diagnoser) run(ctx context.Context, snap *workspace.Snapshot, focus *diagnostics.Focus) (diags []diagnostics.Diagnostic, ok bool) {
	d.s.mu.Lock()
	maxPerCode := d.s.settings.maxPerCode
	d.s.mu.Unlock()
	all, err := diagnostics.RunFocused(ctx, snap, d.s.checks, focus, func(check string, panicked any, stack []byte) {
		d.s.log.Error("check panicked", zap.String("check", check), zap.Any("panic", panicked), zap.ByteString("stack", stack))
	})
	if err != nil {
		return nil, false
	}
	if v := d.verifiedIn(snap, focus); len(v) > 0 {
		all = append(all, v...)
		diagnostics.Sort(all)
	}
	return diagnostics.Bound(all, maxPerCode), true
}

// republish publishes snap again, though it was published already: what
// is merged into its diagnostics changed.
func (d *diagnoser) republish(snap *workspace.Snapshot) {
	d.mu.Lock()
	if d.pending == nil || snap.ID >= d.pending.ID {
		d.pending, d.force = snap, true
	}
	d.mu.Unlock()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// send publishes diags to the files at only (every file concerned when
// only is nil: those with diagnostics, those published before and the open
// ones), skipping a file whose published diagnostics would not change.
func (d *diagnoser) send(snap *workspace.Snapshot, diags []diagnostics.Diagnostic, only []string, open map[string]protocol.DocumentURI, caps clientCapabilities) {
	s := d.s
	byPath := make(map[string][]diagnostics.Diagnostic)
	for _, dg := range diags {
		if dg.File != nil {
			byPath[dg.File.Path] = append(byPath[dg.File.Path], dg)
		}
	}
	uriOf := func(path string) protocol.DocumentURI {
		if uri, ok := open[path]; ok {
			return uri
		}
		return uriFromPath(path)
	}
	paths := only
	if paths == nil {
		paths = slices.Collect(maps.Keys(byPath))
		paths = slices.AppendSeq(paths, maps.Keys(d.published))
		paths = slices.AppendSeq(paths, maps.Keys(open))
		slices.Sort(paths)
		paths = slices.Compact(paths)
	}
	rank := func(path string) int {
		if _, isOpen := open[path]; !isOpen {
			return 2
		}
		if f := snap.File(path); f != nil && f.Version != d.published[path].version {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(paths, func(a, b string) int { return rank(a) - rank(b) })
	refresh := false
	// elsewhere: a file's diagnostics changed while its content did not —
	// another file changed (vendor/, a go.mod, the module cache), which
	// may change its inlay hints too.
	elsewhere := false
	for _, path := range paths {
		f := snap.File(path)
		now := published{uri: uriOf(path), file: f, diags: byPath[path]}
		_, isOpen := open[path]
		if isOpen && f != nil {
			now.version = f.Version
		}
		prev, had := d.published[path]
		// An open document of a pulling client is never published to
		// (pull_diagnostics.go): what was published before it was opened
		// is cleared, and a change of its diagnostics that its own edit
		// did not cause (its content is the same) asks for a pull.
		now.pulled = isOpen && caps.pullDiagnostics
		if had && prev.pulled != now.pulled {
			if !prev.pulled && len(prev.diags) > 0 {
				s.notify(protocol.MethodTextDocumentPublishDiagnostics, &protocol.PublishDiagnosticsParams{URI: prev.uri, Diagnostics: []protocol.Diagnostic{}})
			}
			delete(d.published, path)
			had = false
		}
		changedElsewhere := had && prev.file == now.file && !slices.EqualFunc(prev.diags, now.diags, samePublished)
		elsewhere = elsewhere || changedElsewhere
		if now.pulled {
			switch {
			case changedElsewhere:
				refresh = true
			case !had && d.pulledVersion(path) == now.version:
				// Pulled before this loop first saw it open (its first
				// publish and a later change came as one): what the
				// pull answered is unknown here, so pull again.
				refresh = true
			}
			d.published[path] = now
			continue
		}
		switch {
		case had && unchanged(prev, now):
			continue
		case !had && len(now.diags) == 0 && !isOpen:
			continue // nothing shown, nothing to show
		}
		if had && prev.uri != now.uri && len(prev.diags) > 0 {
			s.notify(protocol.MethodTextDocumentPublishDiagnostics, &protocol.PublishDiagnosticsParams{URI: prev.uri, Diagnostics: []protocol.Diagnostic{}})
		}
		params := &protocol.PublishDiagnosticsParams{
			URI:         now.uri,
			Version:     uint32(max(now.version, 0)),
			Diagnostics: make([]protocol.Diagnostic, 0, len(now.diags)), // [] clears; null is not allowed
		}
		for _, dg := range now.diags {
			params.Diagnostics = append(params.Diagnostics, toProtocolDiagnostic(dg, caps, uriOf))
		}
		params.Diagnostics = limitPublish(params.Diagnostics, maxPublishBytes)
		s.notify(protocol.MethodTextDocumentPublishDiagnostics, params)
		if len(now.diags) == 0 && !isOpen {
			delete(d.published, path)
		} else {
			d.published[path] = now
		}
	}
	if refresh {
		s.refreshDiagnostics()
	}
	if elsewhere && caps.inlayHintRefresh {
		s.refreshInlayHints()
	}
}

// pulled records that the client pulled path's diagnostics at version.
func (d *diagnoser) pulled(path string, version int32) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pulledAt == nil {
		d.pulledAt = make(map[string]int32)
	}
	d.pulledAt[path] = version
}

// pulledVersion is the buffer version of path's last pull, or -1 if none
// (versions are positive; 0 is the disk's content).
func (d *diagnoser) pulledVersion(path string) int32 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if v, ok := d.pulledAt[path]; ok {
		return v
	}
	return -1
}

// showInternalErrors shows each internal-error message that the previous
// snapshot did not already show, so that a check that keeps panicking on
// every keystroke does not pop up a message each time. The log has them all.
func (d *diagnoser) showInternalErrors(messages map[string]bool) {
	for _, msg := range slices.Sorted(maps.Keys(messages)) {
		if !d.internalErrors[msg] {
			d.s.showMessage(protocol.MessageTypeError, "gomodls: "+msg)
		}
	}
	d.internalErrors = messages
}

// unchanged reports whether publishing now would tell the client nothing
// new after prev.
func unchanged(prev, now published) bool {
	if prev.uri != now.uri || prev.version != now.version {
		return false
	}
	if len(prev.diags) == 0 && len(now.diags) == 0 {
		return true
	}
	// Equal spans in different content may be different positions.
	return prev.file == now.file && slices.EqualFunc(prev.diags, now.diags, samePublished)
}

// samePublished reports whether two diagnostics of the same content look
// the same to the client.
func samePublished(a, b diagnostics.Diagnostic) bool {
	return a.Code == b.Code && a.Severity == b.Severity && a.Span == b.Span && a.Message == b.Message &&
		slices.Equal(a.Tags, b.Tags) && slices.Equal(a.Related, b.Related)
}

// toProtocolDiagnostic converts d for a client with caps. Related
// information the client cannot show is appended to the message.
func toProtocolDiagnostic(d diagnostics.Diagnostic, caps clientCapabilities, uriOf func(string) protocol.DocumentURI) protocol.Diagnostic {
	pd := protocol.Diagnostic{
		Range:    toRange(d.File, d.Span),
		Severity: protocol.DiagnosticSeverity(d.Severity),
		Source:   "gomodls",
		Message:  d.Message,
	}
	if d.Code != "" {
		pd.Code = d.Code
		if caps.codeDescription {
			pd.CodeDescription = &protocol.CodeDescription{Href: protocol.URI(diagnostics.DocURL(d.Code))}
		}
	}
	for _, t := range d.Tags {
		pd.Tags = append(pd.Tags, protocol.DiagnosticTag(t))
	}
	for _, r := range d.Related {
		if caps.relatedInformation && r.File != nil {
			pd.RelatedInformation = append(pd.RelatedInformation, protocol.DiagnosticRelatedInformation{
				Location: protocol.Location{URI: uriOf(r.File.Path), Range: toRange(r.File, r.Span)},
				Message:  r.Message,
			})
			continue
		}
		pd.Message += "\n" + relatedText(d.File, r)
	}
	return pd
}

// relatedText renders related information inline, as path:line:col:
// message with the path relative to the diagnostic's file.
func relatedText(from *workspace.File, r diagnostics.Related) string {
	if r.File == nil {
		return r.Message
	}
	path := r.File.Path
	if rel, err := filepath.Rel(filepath.Dir(from.Path), path); err == nil {
		path = filepath.ToSlash(rel)
	}
	p := r.File.Point(r.Span.Start)
	return fmt.Sprintf("%s:%d:%d: %s", path, p.Line+1, p.Rune+1, r.Message)
}

// maxPublishBytes bounds the diagnostics of one publishDiagnostics, as
// JSON. diagnostics.Bound already keeps each file to a hundred diagnostics
// a code, each message to 4 KiB and each list of related places to 20; this
// is the last guard, for a file with many codes at once (or a client
// without relatedInformation, whose related places are appended to the
// message), so that no publish exceeds a few MB.
const maxPublishBytes = 4 << 20

// limitPublish returns diags, or, if their JSON exceeds max bytes, the
// longest prefix that fits (with room for one more) and a last diagnostic,
// at the start of the file and as severe as the most severe left out, that
// says how many were left out and why.
func limitPublish(diags []protocol.Diagnostic, max int) []protocol.Diagnostic {
	size := 0
	for i, d := range diags {
		data, err := json.Marshal(d)
		if err != nil {
			continue
		}
		size += len(data) + 1 // and a comma
		if size <= max-1024 {
			continue
		}
		rest := diags[i:]
		sev := rest[0].Severity
		for _, r := range rest {
			if r.Severity != 0 && (sev == 0 || r.Severity < sev) {
				sev = r.Severity
			}
		}
		return append(diags[:i:i], protocol.Diagnostic{
			Severity: sev,
			Source:   "gomodls",
			Message:  fmt.Sprintf("and %d more diagnostics in this file, not shown: one publishDiagnostics carries at most %d MiB (gomodls check lists them all)", len(rest), max>>20),
		})
	}
	return diags
}
