// Package codeactions decides which actions an editor is offered for a
// place in a module file: the quick fixes of the diagnostics there; one
// "fix all" action that applies, at once, every fix in the document that is
// marked safe to apply without review ([diagnostics.KindFixAll]); and, in a
// go.work, its text fixes as source actions ([KindSourceWorkspace]).
//
// It is LSP-agnostic and pure: it reads a snapshot's diagnostics and speaks
// in byte spans of [workspace.File]s and [diagnostics.Fix]es; package lsp
// converts positions, edits and commands to and from the wire.
//
// Actions come from producers, each offering one kind of action. To offer
// actions that are not fixes of a diagnostic (a refactoring, say), write a
// producer and add it to producers.
package codeactions

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// A Request says where the editor asks for actions.
type Request struct {
	File *workspace.File // the document, as the snapshot holds it
	Span workspace.Span  // the selection or cursor, in File's bytes
	// Diagnostics are those the editor sent as context (the ones it shows
	// at the selection). A snapshot diagnostic with the same code and span
	// has its fixes offered even if it does not touch Span.
	Diagnostics []Ref
	// Only restricts the kinds offered, as LSP's CodeActionContext.only
	// does: kind K is offered when K equals an entry or begins with an entry
	// followed by "." ("source.fixAll" selects "source.fixAll.gomodls").
	// Empty means the kinds offered by default: the quick fixes. The fix-all
	// action is computed only when asked for by kind, as editors do on save,
	// so that it does not put a light bulb on every line.
	Only []diagnostics.FixKind
}

// A Ref identifies a diagnostic the editor holds.
type Ref struct {
	Code string
	Span workspace.Span
}

// An Action is one entry of the editor's code action menu.
type Action struct {
	Title string
	Kind  diagnostics.FixKind
	// Diagnostics are the diagnostics the action resolves.
	Diagnostics []diagnostics.Diagnostic
	// Edits are applied first, then Command is run; either may be empty.
	Edits     []diagnostics.Edit
	Command   *diagnostics.Command
	Preferred bool // the obvious fix: editors apply it on "auto fix"
}

// A producer offers the actions of one kind.
type producer struct {
	kind diagnostics.FixKind
	// onlyWhenAsked keeps the producer out of requests whose Only is empty.
	onlyWhenAsked bool
	produce       func(snap *workspace.Snapshot, diags []diagnostics.Diagnostic, req Request) []Action
}

var producers = []producer{
	{kind: diagnostics.KindQuickFix, produce: quickFixes},
	{kind: diagnostics.KindFixAll, onlyWhenAsked: true, produce: fixAll},
	{kind: KindSourceWorkspace, onlyWhenAsked: true, produce: workspaceFixes},
	{kind: KindSourceVerifyVendor, onlyWhenAsked: true, produce: verifyVendorAction},
}

// For returns the actions for req, given every diagnostic of snap (as
// [diagnostics.Run] returns them), in producer order and then in document
// order. Identical actions offered by several diagnostics are merged into
// one that lists them all.
func For(snap *workspace.Snapshot, diags []diagnostics.Diagnostic, req Request) []Action {
	if req.File == nil {
		return nil
	}
	var actions []Action
	for _, p := range producers {
		if wanted(p.kind, p.onlyWhenAsked, req.Only) {
			actions = append(actions, p.produce(snap, diags, req)...)
		}
	}
	return dedup(actions)
}

// wanted reports whether actions of kind are offered for only.
func wanted(kind diagnostics.FixKind, onlyWhenAsked bool, only []diagnostics.FixKind) bool {
	if len(only) == 0 {
		return !onlyWhenAsked
	}
	for _, o := range only {
		if o == "" || o == kind || strings.HasPrefix(string(kind), string(o)+".") {
			return true
		}
	}
	return false
}

// quickFixes offers every fix of every diagnostic at the selection, each as
// a quick fix (a fix-all-safe fix is also a fine quick fix for its own
// diagnostic).
func quickFixes(_ *workspace.Snapshot, diags []diagnostics.Diagnostic, req Request) []Action {
	var actions []Action
	refs := make(map[Ref]bool, len(req.Diagnostics)) // a set: a scan per diagnostic costs diagnostics × references
	for _, r := range req.Diagnostics {
		refs[r] = true
	}
	for _, d := range diags {
		if !inDocument(d, req.File) || !(touches(d.Span, req.Span) || refs[Ref{Code: d.Code, Span: d.Span}]) {
			continue
		}
		for _, fix := range d.Fixes {
			actions = append(actions, Action{
				Title:       fix.Title,
				Kind:        diagnostics.KindQuickFix,
				Diagnostics: []diagnostics.Diagnostic{d},
				Edits:       fix.Edits,
				Command:     fix.Command,
				Preferred:   len(d.Fixes) == 1,
			})
		}
	}
	return actions
}

// fixAll merges the edits of every fix-all-safe fix of the document into one
// action: the fixes of its diagnostics, and the fixes of diagnostics
// elsewhere that edit only this document (a go.mod's "add to go.work" in
// the go.work). A fix is taken whole or not at all: one whose edits overlap
// those already taken is left for the user to apply after. Fixes that run
// a command are not safe to apply unreviewed and are left out. The action
// lists the diagnostics of the document it resolves. (A file with thousands
// of them shows a bounded number, and a summary whose one fix stands for the
// rest: diagnostics.Bound.)
func fixAll(_ *workspace.Snapshot, diags []diagnostics.Diagnostic, req Request) []Action {
	var fixed []diagnostics.Diagnostic
	var edits []diagnostics.Edit
	for _, d := range diags {
		here := inDocument(d, req.File)
		took := false
		for _, fix := range d.Fixes {
			if fix.Kind != diagnostics.KindFixAll || fix.Command != nil || len(fix.Edits) == 0 {
				continue
			}
			if !here && !editsOnly(fix.Edits, req.File) {
				continue
			}
			if merged, ok := diagnostics.MergeEdits(edits, fix.Edits); ok {
				edits, took = merged, true
			}
		}
		if took && here {
			fixed = append(fixed, d)
		}
	}
	if len(edits) == 0 {
		return nil
	}
	return []Action{{
		Title:       "Apply all safe gomodls fixes",
		Kind:        diagnostics.KindFixAll,
		Diagnostics: fixed,
		Edits:       edits,
	}}
}

// editsOnly reports whether every edit is to f.
func editsOnly(edits []diagnostics.Edit, f *workspace.File) bool {
	for _, e := range edits {
		if path(e.File) != f.Path {
			return false
		}
	}
	return true
}

func inDocument(d diagnostics.Diagnostic, f *workspace.File) bool {
	return d.File != nil && d.File.Path == f.Path
}

// touches reports whether a diagnostic's span and the selection meet. The
// ends count, so a cursor just after the underlined text still gets its
// fixes, as it does in every editor.
func touches(diag, sel workspace.Span) bool {
	return diag.Start <= sel.End && sel.Start <= diag.End
}

// dedup merges actions that would do the same thing, keeping the first's
// place and collecting the diagnostics of all.
//
// The diagnostics an action already has are a set per action, not a scan:
// one fix ("Run go mod tidy") shared by thousands of diagnostics in the
// range would otherwise cost the square of their number.
func dedup(actions []Action) []Action {
	var out []Action
	index := make(map[string]int)
	var has []map[diagnosticKey]bool // per action of out, built when a second action merges into it
	for _, a := range actions {
		k := key(a)
		if i, ok := index[k]; ok {
			if has[i] == nil {
				has[i] = make(map[diagnosticKey]bool, len(out[i].Diagnostics))
				for _, d := range out[i].Diagnostics {
					has[i][keyOf(d)] = true
				}
			}
			for _, d := range a.Diagnostics {
				if dk := keyOf(d); !has[i][dk] {
					has[i][dk] = true
					out[i].Diagnostics = append(out[i].Diagnostics, d)
				}
			}
			out[i].Preferred = out[i].Preferred && a.Preferred
			continue
		}
		index[k] = len(out)
		a.Diagnostics = slices.Clip(a.Diagnostics)
		out = append(out, a)
		has = append(has, nil)
	}
	return out
}

// diagnosticKey says when two diagnostics are the same one for dedup: the
// code, the file, the span and the message.
type diagnosticKey struct {
	code, path, message string
	span                workspace.Span
}

func keyOf(d diagnostics.Diagnostic) diagnosticKey {
	return diagnosticKey{code: d.Code, path: path(d.File), message: d.Message, span: d.Span}
}

// key identifies what an action does: its kind, title, edits and command.
func key(a Action) string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	field(string(a.Kind))
	field(a.Title)
	for _, e := range a.Edits {
		field(path(e.File))
		field(strconv.Itoa(e.Span.Start))
		field(strconv.Itoa(e.Span.End))
		field(e.NewText)
	}
	if c := a.Command; c != nil {
		field("command")
		field(c.Name)
		field(c.Dir)
		for _, arg := range c.Args {
			field(arg)
		}
	}
	return b.String()
}

func path(f *workspace.File) string {
	if f == nil {
		return ""
	}
	return f.Path
}
