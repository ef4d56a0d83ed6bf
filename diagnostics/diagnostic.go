// Package diagnostics holds gomodls's checks: pure functions from a
// [workspace.Snapshot] to the problems they find, each with a stable code
// (docs/diagnostics.md), a place in a file and the fixes that would remove it.
//
// A check never does I/O and never mutates the snapshot. To add one, write a
// file in this package with a [Check] and append it to [Checks].
package diagnostics

import (
	"fmt"
	"strings"

	"github.com/gomodls/gomodls/workspace"
)

// Severity follows the LSP's DiagnosticSeverity values.
type Severity int

const (
	SeverityError       Severity = 1
	SeverityWarning     Severity = 2
	SeverityInformation Severity = 3
	SeverityHint        Severity = 4
)

var severityNames = [...]string{SeverityError: "error", SeverityWarning: "warning", SeverityInformation: "information", SeverityHint: "hint"}

func (s Severity) String() string {
	if s >= SeverityError && s <= SeverityHint {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity parses a severity name as printed by [Severity.String].
func ParseSeverity(name string) (Severity, error) {
	for s := SeverityError; s <= SeverityHint; s++ {
		if severityNames[s] == name {
			return s, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning, information or hint)", name)
}

// AtLeast reports whether s is as severe as min or more (errors are the most severe).
func (s Severity) AtLeast(min Severity) bool { return s <= min }

// Tag follows the LSP's DiagnosticTag values.
type Tag int

const (
	TagUnnecessary Tag = 1
	TagDeprecated  Tag = 2
)

// A Diagnostic is one problem at one place.
type Diagnostic struct {
	Code     string // stable id from docs/diagnostics.md; the LSP code and SARIF ruleId
	Severity Severity
	// File is where the problem is. It is nil only for an internal error
	// that belongs to no file.
	File    *workspace.File
	Span    workspace.Span // byte range in File.Content
	Message string
	Related []Related
	Tags    []Tag
	Fixes   []Fix
}

// Related points at another place that explains a diagnostic.
type Related struct {
	File    *workspace.File
	Span    workspace.Span
	Message string
}

// FixKind is the LSP code action kind a fix is offered as.
type FixKind string

const (
	KindQuickFix FixKind = "quickfix"
	// KindFixAll marks a fix safe to apply on save without review
	// (source.fixAll.gomodls). Such a fix must be a pure text edit.
	KindFixAll FixKind = "source.fixAll.gomodls"
)

// A Fix removes its diagnostic by editing text, by running a go command, or
// both (edits first).
type Fix struct {
	Title   string
	Kind    FixKind
	Edits   []Edit
	Command *Command
}

// Edit replaces Span of File (the exact content the snapshot holds, so the
// LSP layer can version the edit) with NewText.
type Edit struct {
	File    *workspace.File
	Span    workspace.Span
	NewText string
}

// Command is an allow-listed go command run by the server
// (workspace/executeCommand), such as gomodls.vendor.
type Command struct {
	Name  string // e.g. "gomodls.vendor"
	Title string
	Dir   string // absolute directory to run in
	Args  []string
}

// DocURL is where a code is documented; it is the LSP codeDescription.href
// and the SARIF helpUri.
func DocURL(code string) string {
	return "https://github.com/gomodls/gomodls/blob/main/docs/diagnostics.md#" + strings.ToLower(code)
}
