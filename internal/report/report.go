// Package report is the result of `gomodls check` in the machine-readable
// shape that docs/diagnostics.md (the contract) specifies:
//
//	{"version": 1, "diagnostics": [{"file", "range", "severity", "code",
//	  "source": "gomodls", "message", "related": [{"file", "range", "message"}],
//	  "fixes": [{"title", "command", "dir"}]}]}
//
// A [Report] is the one form every output format is rendered from, so the
// text, JSON and SARIF outputs cannot disagree: JSON is the Report itself,
// text and SARIF are views of it.
//
// Positions are those of the LSP: 0-based lines and 0-based columns counted
// in UTF-16 code units. File paths are relative to the checked directory and
// slash-separated; a related location outside that directory is written with
// "../" elements. A diagnostic that belongs to no file (an internal error of
// gomodls) has the file "" and a zero range.
package report

import (
	"cmp"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// Version is the version of the JSON shape; it changes only if the shape
// changes incompatibly.
const Version = 1

// Source is the "source" of every diagnostic.
const Source = "gomodls"

// Report is the result of checking one directory.
type Report struct {
	Version int `json:"version"`
	// Diagnostics is sorted by file, then position. It is never nil, so that
	// a clean run encodes as [] rather than null.
	Diagnostics []Diagnostic `json:"diagnostics"`
}

// Diagnostic is one problem, as in the contract.
type Diagnostic struct {
	File     string    `json:"file"`
	Range    Range     `json:"range"`
	Severity string    `json:"severity"` // error, warning, information or hint
	Code     string    `json:"code"`
	Source   string    `json:"source"`
	Message  string    `json:"message"`
	Related  []Related `json:"related,omitempty"`
	Fixes    []Fix     `json:"fixes,omitempty"`
}

// Related is another place that explains a diagnostic.
type Related struct {
	File    string `json:"file"`
	Range   Range  `json:"range"`
	Message string `json:"message"`
}

// Fix is one way to remove a diagnostic, as the editor offers it: a text
// edit (only its title here) or a go command that the language server runs,
// which Command and Dir spell out for running it by hand.
type Fix struct {
	Title string `json:"title"`
	// Command is the go command line, such as "go mod vendor -v"; "" for a
	// fix that edits text.
	Command string `json:"command,omitempty"`
	// Dir is where Command runs, relative to the checked directory like
	// File ("." for the directory itself); "" when Command is.
	Dir string `json:"dir,omitempty"`
}

// Range is an LSP range: Start inclusive, End exclusive.
type Range struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

// Position is an LSP position: 0-based line, 0-based UTF-16 column.
type Position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// New builds the report of diags for the directory root (absolute, clean),
// found in snap, which decides the go command a command fix runs (see
// diagnostics.Command.GoArgs; nil is allowed).
// It keeps the diagnostics whose file lies inside root, and those with no
// file; a diagnostic about a file elsewhere (a go.work in a parent
// directory, a module a go.work uses from outside) belongs to another
// directory's report.
func New(root string, snap *workspace.Snapshot, diags []diagnostics.Diagnostic) *Report {
	r := &Report{Version: Version, Diagnostics: []Diagnostic{}}
	for _, d := range diags {
		if d.File != nil && !within(d.File.Path, root) {
			continue
		}
		out := Diagnostic{
			Severity: d.Severity.String(),
			Code:     d.Code,
			Source:   Source,
			Message:  d.Message,
		}
		if d.File != nil {
			out.File, out.Range = relPath(root, d.File.Path), rangeOf(d.File, d.Span)
		}
		for _, rel := range d.Related {
			out.Related = append(out.Related, Related{
				File:    relPath(root, rel.File.Path),
				Range:   rangeOf(rel.File, rel.Span),
				Message: rel.Message,
			})
		}
		for _, f := range d.Fixes {
			fix := Fix{Title: f.Title}
			if c := f.Command; c != nil {
				if args := c.GoArgs(snap); args != nil {
					fix.Command = strings.Join(append([]string{"go"}, args...), " ")
					fix.Dir = relPath(root, c.Dir)
				}
			}
			out.Fixes = append(out.Fixes, fix)
		}
		r.Diagnostics = append(r.Diagnostics, out)
	}
	// diagnostics.Run sorts by absolute path; sort again by what is printed,
	// keeping Run's order (position, then code) among equals.
	slices.SortStableFunc(r.Diagnostics, func(a, b Diagnostic) int {
		return cmp.Or(
			strings.Compare(a.File, b.File),
			cmp.Compare(a.Range.Start.Line, b.Range.Start.Line),
			cmp.Compare(a.Range.Start.Character, b.Range.Start.Character),
		)
	})
	return r
}

// CountAtLeast returns how many diagnostics are at least as severe as min.
// A severity name it does not know counts as an error.
func (r *Report) CountAtLeast(min diagnostics.Severity) int {
	n := 0
	for _, d := range r.Diagnostics {
		sev, err := diagnostics.ParseSeverity(d.Severity)
		if err != nil || sev.AtLeast(min) {
			n++
		}
	}
	return n
}

func rangeOf(f *workspace.File, span workspace.Span) Range {
	start, end := f.Point(span.Start), f.Point(span.End)
	return Range{
		Start: Position{Line: start.Line, Character: start.UTF16},
		End:   Position{Line: end.Line, Character: end.UTF16},
	}
}

// relPath is path relative to root, slash-separated.
func relPath(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		rel = path // another volume: nothing relative to say
	}
	return filepath.ToSlash(rel)
}

// within reports whether path is root or lies beneath it.
func within(path, root string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
