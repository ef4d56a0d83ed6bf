package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/report"
	"github.com/gomodls/gomodls/internal/sarif"
)

// A formatter writes the result of a check in one output format. The report
// is the single source of every format, so they agree on paths and positions.
type formatter interface {
	format(w io.Writer, r *report.Report) error
}

// newFormatter returns the formatter for -format name.
func newFormatter(name string) (formatter, error) {
	switch name {
	case "text":
		return textFormatter{}, nil
	case "json":
		return jsonFormatter{}, nil
	case "sarif":
		return sarifFormatter{version: moduleVersion(), checks: cliChecks}, nil
	}
	return nil, usageError("unknown -format %q (want text, json or sarif)", name)
}

// textFormatter writes one line per diagnostic, as compilers do:
// path:line:col: severity: message [code], then one indented line per related
// location, then one per fix: "fix: title", with the go command and where to
// run it for a fix that runs one, since outside the editor the reader is the
// one to run it. Lines and columns are 1-based; columns count UTF-16 code
// units.
type textFormatter struct{}

func (textFormatter) format(w io.Writer, r *report.Report) error {
	var b strings.Builder
	for _, d := range r.Diagnostics {
		if d.File == "" {
			fmt.Fprintf(&b, "gomodls: %s: %s [%s]\n", d.Severity, d.Message, d.Code)
		} else {
			fmt.Fprintf(&b, "%s: %s: %s [%s]\n", textPos(d.File, d.Range.Start), d.Severity, d.Message, d.Code)
		}
		for _, rel := range d.Related {
			fmt.Fprintf(&b, "\t%s: %s\n", textPos(rel.File, rel.Range.Start), rel.Message)
		}
		for _, fix := range d.Fixes {
			if fix.Command == "" {
				fmt.Fprintf(&b, "\tfix: %s\n", fix.Title)
			} else {
				fmt.Fprintf(&b, "\tfix: %s (%s in %s)\n", fix.Title, fix.Command, textDir(fix.Dir))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// textDir writes a relative directory as a shell user would type it:
// ./vendored, not vendored.
func textDir(dir string) string {
	if dir == "." || dir == ".." || strings.HasPrefix(dir, "../") || path.IsAbs(dir) {
		return dir
	}
	return "./" + dir
}

func textPos(file string, p report.Position) string {
	return fmt.Sprintf("%s:%d:%d", file, p.Line+1, p.Character+1)
}

// jsonFormatter writes the report itself, indented.
type jsonFormatter struct{}

func (jsonFormatter) format(w io.Writer, r *report.Report) error {
	return writeJSON(w, r)
}

// sarifFormatter writes a SARIF 2.1.0 log (see internal/sarif).
type sarifFormatter struct {
	version string
	checks  []diagnostics.Check
}

func (f sarifFormatter) format(w io.Writer, r *report.Report) error {
	return writeJSON(w, sarif.New(r, f.version, f.checks))
}

// writeJSON writes v as indented JSON without HTML escaping, so messages
// quoting go.mod lines keep their "=>" and "<" readable.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
