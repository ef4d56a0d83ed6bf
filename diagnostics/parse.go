package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/workspace"
)

// Codes of the syntax checks.
const (
	CodeGoModParseError    = "gomod-parse-error"
	CodeGoWorkParseError   = "gowork-parse-error"
	CodeSumMalformed       = "sum-malformed"
	CodeVendorTxtMalformed = "vendor-modules-txt-malformed"
)

// parseErrorsCheck reports what the parsers rejected: every error modfile
// collected for go.mod and go.work, every go.sum line with the wrong number
// of fields, every modules.txt line the go command ignores.
var parseErrorsCheck = Check{
	Name:       "parse",
	Codes:      []string{CodeGoModParseError, CodeGoWorkParseError, CodeSumMalformed, CodeVendorTxtMalformed},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return parseErrors(context.Background(), snap, nil) },
	RunFocused: parseErrors,
}

// parseErrors is the parse check of the files in focus: a focused run
// after an edit looks at the edited file's module, not at each of a
// thousand go.mod and go.sum files.
func parseErrors(_ context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	// A file that was not read (file-skipped says why) has no parse
	// error to report.
	for _, m := range focus.modules(snap) {
		if m.File.Skipped == nil {
			diags = append(diags, modfileErrors(m.File, m.Err, CodeGoModParseError, SeverityError)...)
		}
	}
	for _, w := range snap.Works() {
		if w.File.Skipped == nil && focus.Has(w.File) {
			diags = append(diags, modfileErrors(w.File, w.Err, CodeGoWorkParseError, SeverityError)...)
		}
	}
	for _, s := range focus.sums(snap) {
		// Before the severity, which looks at every main module of the
		// builds that read s: asked for each of a thousand go.sum files
		// of a workspace, that is a million lookups for nothing.
		if len(s.Errors) == 0 {
			continue
		}
		sev, note := sumReadSeverity(snap, s), " (go reads this file only once a dependency needs a checksum, and then fails)"
		if !sumBesideItsFile(snap, s) {
			sev, note = SeverityInformation, " (the go command does not read this "+s.File.Kind.String()+" because no "+sumOwnerName(s)+" is beside it)"
		}
		// A go.sum of a million malformed lines must not cost a million
		// diagnostics again on every edit elsewhere.
		diags = appendAll(diags, memoDiagnostics(snap, "diagnostics.sumMalformed:"+s.File.Path, sumMalformedInputs{s, sev, note}, func() []Diagnostic {
			var diags []Diagnostic
			for _, e := range s.Errors {
				d := errorDiagnostic(s.File, &e, CodeSumMalformed, sev)
				d.Message = "malformed " + s.File.Kind.String() + ": " + d.Message
				if sev != SeverityError {
					d.Message += note
				}
				diags = append(diags, d)
			}
			return diags
		}))
	}
	for _, v := range snap.VendorManifests() {
		if !focus.Has(v.File) {
			continue
		}
		for _, e := range v.Ignored {
			// The go command skips these lines without a word; the cost
			// comes later, as "inconsistent vendoring" about whatever the
			// line meant to say. Hence a warning, not an error.
			diags = append(diags, errorDiagnostic(v.File, &e, CodeVendorTxtMalformed, SeverityWarning))
		}
	}
	return diags
}

// sumMalformedInputs are what the sum-malformed diagnostics of one file
// are computed from.
type sumMalformedInputs struct {
	sum  *workspace.SumFile
	sev  Severity
	note string
}

// sumBesideItsFile reports whether the go command can read sum at all: it
// reads a go.sum only as the checksum file of the go.mod beside it, and a
// go.work.sum only as that of the go.work beside it (cmd/go/internal/modload
// init.go: loadModFile names the sum file after modFilePath of each module
// root, or after the go.work's path plus ".sum"). Any other is a stray file,
// left behind by a moved module or a copied sample, that no build reads.
func sumBesideItsFile(snap *workspace.Snapshot, sum *workspace.SumFile) bool {
	dir := filepath.Dir(sum.File.Path)
	if sum.File.Kind == workspace.KindGoWorkSum {
		return snap.Work(dir) != nil
	}
	return snap.Module(dir) != nil
}

// sumOwnerName is the file whose checksums sum holds.
func sumOwnerName(sum *workspace.SumFile) string {
	if sum.File.Kind == workspace.KindGoWorkSum {
		return "go.work"
	}
	return "go.mod"
}

// sumReadSeverity says how bad a malformed line in sum is. The go command
// reads checksums lazily, the first time it needs one, and then reads every
// sum file of the build at once (in workspace mode: go.work.sum and each
// workspace module's go.sum). So a malformed line fails the build only when
// some main module of a build that reads this file requires a module that is
// not replaced by a directory; otherwise it is a warning.
func sumReadSeverity(snap *workspace.Snapshot, sum *workspace.SumFile) Severity {
	dir := filepath.Dir(sum.File.Path)
	var mains []*workspace.Module
	switch w := snap.WorkFor(dir); {
	case sum.File.Kind == workspace.KindGoWorkSum:
		mains = snap.UsedModules(snap.Work(dir))
	case w != nil && slices.Contains(snap.UsedModules(w), snap.Module(dir)):
		mains = snap.UsedModules(w)
	case snap.Module(dir) != nil:
		mains = []*workspace.Module{snap.Module(dir)}
	}
	for _, m := range mains {
		if m.Mod != nil && needsChecksum(m) {
			return SeverityError
		}
	}
	return SeverityWarning
}

// needsChecksum reports whether building module m needs a go.sum line: it
// requires some module that is not replaced by a directory (a replace of
// that version or of all versions; the go.mod's index, not a scan of the
// replaces per require).
func needsChecksum(m *workspace.Module) bool {
	x := m.Index()
	dirReplace := func(old module.Version) bool {
		return slices.ContainsFunc(x.Replaces(old), func(rep *modfile.Replace) bool { return rep.New.Version == "" })
	}
	for _, r := range m.Mod.Require {
		if !dirReplace(r.Mod) && !dirReplace(module.Version{Path: r.Mod.Path}) {
			return true
		}
	}
	return false
}

// modfileErrors turns the error of modfile.Parse or ParseWork into
// diagnostics, one per entry of the ErrorList.
func modfileErrors(f *workspace.File, err error, code string, sev Severity) []Diagnostic {
	if err == nil {
		return nil
	}
	var list modfile.ErrorList
	if !errors.As(err, &list) {
		var one *modfile.Error
		if errors.As(err, &one) {
			list = modfile.ErrorList{*one}
		} else {
			list = modfile.ErrorList{{Pos: modfile.Position{Line: 1, LineRune: 1}, Err: err}}
		}
	}
	diags := make([]Diagnostic, 0, len(list))
	for i := range list {
		diags = append(diags, errorDiagnostic(f, &list[i], code, sev))
	}
	return diags
}

// errorDiagnostic places e on f: from e's line and column to the end of the
// line (without trailing blanks), so the editor underlines what is wrong. The
// message is e's without the file:line prefix, which the presenters add.
func errorDiagnostic(f *workspace.File, e *modfile.Error, code string, sev Severity) Diagnostic {
	line := e.Pos.Line
	if line < 1 {
		line = 1
	}
	ls := f.LineSpan(line)
	text := f.LineText(line - 1)[:ls.End-ls.Start]
	start := ls.Start
	// Walk LineRune-1 runes into the line rather than trusting e.Pos.Byte,
	// which some modfile errors leave unset.
	for n := 1; n < e.Pos.LineRune && start < ls.End; n++ {
		_, size := utf8.DecodeRuneInString(text[start-ls.Start:])
		start += size
	}
	end := start + len(strings.TrimRight(text[start-ls.Start:], " \t"))
	msg := *e
	msg.Filename, msg.Pos = "", modfile.Position{}
	return Diagnostic{
		Code:     code,
		Severity: sev,
		File:     f,
		Span:     workspace.Span{Start: start, End: end},
		Message:  msg.Error() + majorVersionHint(e),
	}
}

// majorVersionHint says what modfile's "should be v0 or v1, not v2" means
// for a require: from v2 on, the major version is part of the module path
// (or the module has no go.mod and the version is +incompatible).
func majorVersionHint(e *modfile.Error) string {
	var ive *module.InvalidVersionError
	if e.Verb != "require" || e.ModPath == "" || !errors.As(e.Err, &ive) || ive.Err == nil {
		return ""
	}
	major, ok := strings.CutPrefix(ive.Err.Error(), "should be v0 or v1, not ")
	if !ok || strings.HasPrefix(e.ModPath, "gopkg.in/") {
		return ""
	}
	return fmt.Sprintf(" (a %s module's path ends in /%s: require %s/%s %s; a module without a go.mod is required as %s+incompatible)", major, major, e.ModPath, major, ive.Version, ive.Version)
}
