package diagnostics

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gomodls/gomodls/workspace"
)

// Output bounds. A hostile or merely huge repository (a 50 MB go.sum of
// unused lines) must not flood the editor or the CI log: past these, the
// presenters show a summary instead of the rest.
const (
	// DefaultMaxPerCode is how many diagnostics of one code one file shows
	// by default (the maxDiagnosticsPerCode setting, check's -max-per-code).
	DefaultMaxPerCode = 100
	// MaxMessageBytes bounds one diagnostic's message; a longer one (a parse
	// error quoting a megabyte-long line) is cut at a rune boundary.
	MaxMessageBytes = 4096
	// MaxRelated bounds one diagnostic's related places; the message says
	// how many more there were.
	MaxRelated = 20
)

// Bound returns diags, sorted as [Run] returns them, with every message cut
// to MaxMessageBytes and every list of related places to MaxRelated, and
// with at most maxPerCode diagnostics for each file and code (0 or less: no
// limit): the first maxPerCode in file order, then one summary diagnostic
// that stands for the rest. The summary has the same code, file and the
// severity of the most severe of those it stands for (so the code's
// documentation link and severity filters apply to it), is placed on the
// first of them, says how many there are, and carries
//
//   - one fix-all fix merging their fix-all fixes (each taken whole or not
//     at all, as a fix-all action takes them), its edits sorted and those
//     that touch coalesced into one, so that source.fixAll.gomodls and the
//     summary's quick fix still fix all of them in a small edit;
//   - each command fix (with no edits) that every one of them offers, such
//     as "Run go mod tidy".
//
// Other fixes of the diagnostics it stands for are not offered until fewer
// remain. diags is not modified; the result is sorted.
func Bound(diags []Diagnostic, maxPerCode int) []Diagnostic {
	out := make([]Diagnostic, 0, min(len(diags), 1024))
	var summaries []*summary
	type groupKey struct {
		file *workspace.File
		code string
	}
	var (
		counts   map[groupKey]int
		dropped  map[groupKey]*summary
		lastPath = "\x00" // no path is this
	)
	for _, d := range diags {
		if p := path(d.File); p != lastPath {
			// Run sorts by path: a new path starts new counts.
			lastPath, counts, dropped = p, make(map[groupKey]int), make(map[groupKey]*summary)
		}
		k := groupKey{d.File, d.Code}
		counts[k]++
		if maxPerCode <= 0 || counts[k] <= maxPerCode {
			out = append(out, clipped(d))
			continue
		}
		s := dropped[k]
		if s == nil {
			s = &summary{first: d, tags: d.Tags, commands: commandFixes(d)}
			dropped[k] = s
			summaries = append(summaries, s)
		}
		s.add(d)
	}
	if len(summaries) == 0 {
		return out
	}
	for _, s := range summaries {
		out = append(out, s.diagnostic())
	}
	Sort(out)
	return out
}

// clipped returns d with its message and related places within bounds.
func clipped(d Diagnostic) Diagnostic {
	if len(d.Related) > MaxRelated {
		more := len(d.Related) - MaxRelated
		d.Related = d.Related[:MaxRelated:MaxRelated]
		d.Message += fmt.Sprintf("\n(and %s more related places)", thousands(more))
	}
	d.Message = ClipMessage(d.Message, MaxMessageBytes)
	for i, r := range d.Related {
		if len(r.Message) > MaxMessageBytes {
			if i == 0 {
				d.Related = slices.Clone(d.Related)
			}
			d.Related[i].Message = ClipMessage(r.Message, MaxMessageBytes)
		}
	}
	return d
}

// ClipMessage returns msg if it has at most max bytes, and otherwise its
// longest prefix of whole runes that leaves room for a note saying how many
// bytes were cut.
func ClipMessage(msg string, max int) string {
	if len(msg) <= max {
		return msg
	}
	const noteRoom = 48
	cut := max - noteRoom
	if cut < 0 {
		cut = 0
	}
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + fmt.Sprintf("… (message cut: %s more bytes)", thousands(len(msg)-cut))
}

// summary gathers the diagnostics of one file and code past the limit.
type summary struct {
	first    Diagnostic // the first one dropped: the summary's place
	n        int
	severity Severity
	tags     []Tag // those every one has
	commands []Fix // the command fixes every one offers
	edits    []Edit
	fixed    int // how many had a fix-all fix taken
}

func (s *summary) add(d Diagnostic) {
	if s.n == 0 || d.Severity.AtLeast(s.severity) {
		s.severity = d.Severity
	}
	s.n++
	if s.n > 1 {
		lacks := func(t Tag) bool { return !slices.Contains(d.Tags, t) }
		if slices.ContainsFunc(s.tags, lacks) {
			s.tags = slices.DeleteFunc(slices.Clone(s.tags), lacks)
		}
		s.commands = slices.DeleteFunc(s.commands, func(f Fix) bool {
			return !slices.ContainsFunc(d.Fixes, func(g Fix) bool { return sameCommandFix(f, g) })
		})
	}
	took := false
	for _, fix := range d.Fixes {
		if fix.Kind != KindFixAll || fix.Command != nil || len(fix.Edits) == 0 {
			continue
		}
		if s.extend(fix.Edits) {
			took = true
			continue
		}
		if merged, ok := MergeEdits(s.edits, fix.Edits); ok {
			s.edits, took = merged, true
		}
	}
	if took {
		s.fixed++
	}
}

// extend takes a fix of one deletion that starts where the last edit taken
// ends, as the deletions of a run of unused lines do, by extending that
// edit: a summary of a hundred thousand of them then holds one edit, not a
// hundred thousand to coalesce.
func (s *summary) extend(edits []Edit) bool {
	if len(edits) != 1 || len(s.edits) == 0 {
		return false
	}
	e, last := edits[0], &s.edits[len(s.edits)-1]
	if e.NewText != "" || last.NewText != "" || e.File != last.File || e.Span.Start != last.Span.End || e.Span.End <= e.Span.Start {
		return false
	}
	last.Span.End = e.Span.End
	return true
}

// diagnostic is the summary diagnostic.
func (s *summary) diagnostic() Diagnostic {
	d := Diagnostic{
		Code:     s.first.Code,
		Severity: s.severity,
		File:     s.first.File,
		Span:     s.first.Span,
		Tags:     s.tags,
	}
	what, fixTitle := summaryWording(s.first)
	d.Message = fmt.Sprintf("and %s more %s", thousands(s.n), what)
	verb := "fixes"
	if s.first.Code == CodeSumUnusedLines {
		verb = "removes"
	}
	switch {
	case s.fixed == s.n:
		d.Message += "; fix all " + verb + " them"
	case s.fixed > 0:
		d.Message += fmt.Sprintf("; fix all %s %s of them", verb, thousands(s.fixed))
	}
	if len(s.edits) > 0 {
		d.Fixes = append(d.Fixes, Fix{Title: fmt.Sprintf(fixTitle, thousands(s.fixed)), Kind: KindFixAll, Edits: coalesce(s.edits)})
	}
	d.Fixes = append(d.Fixes, s.commands...)
	return d
}

// summaryWording says what the diagnostics a summary stands for are, for
// its message ("and N more <what>") and the title of its fix (a format
// taking the number fixed), in the words of the code where they are
// natural.
func summaryWording(first Diagnostic) (what, fixTitle string) {
	switch first.Code {
	case CodeSumUnusedLines:
		name := filepath.Base(path(first.File))
		return "unused " + name + " lines, from this one on", "Remove %s unused " + name + " lines"
	}
	if first.File == nil {
		return first.Code + " diagnostics", "Fix %s " + first.Code + " diagnostics"
	}
	return first.Code + " diagnostics in this file, from this one on", "Fix %s more " + first.Code + " diagnostics"
}

// commandFixes returns d's fixes that only run a command.
func commandFixes(d Diagnostic) []Fix {
	var out []Fix
	for _, f := range d.Fixes {
		if f.Command != nil && len(f.Edits) == 0 {
			out = append(out, f)
		}
	}
	return out
}

func sameCommandFix(a, b Fix) bool {
	if a.Title != b.Title || a.Kind != b.Kind || len(a.Edits) != 0 || len(b.Edits) != 0 || (a.Command == nil) != (b.Command == nil) {
		return false
	}
	if a.Command == nil {
		return true
	}
	return a.Command.Name == b.Command.Name && a.Command.Dir == b.Command.Dir && slices.Equal(a.Command.Args, b.Command.Args)
}

// MergeEdits returns edits plus add, sorted by file and position, or false
// (and edits) if an edit of add overlaps one of edits (see [EditsOverlap];
// an identical edit is not an overlap: two fixes may make the same edit).
// edits must be sorted and free of overlaps, as MergeEdits leaves them; it
// may be reused for the result. In the common case, fixes met in file
// order, add lies after all of edits and is appended, so merging n fixes
// costs O(n), not O(n²).
func MergeEdits(edits, add []Edit) ([]Edit, bool) {
	if slices.IsSortedFunc(add, compareEdits) && (len(edits) == 0 || afterAll(edits, add[0])) {
		return append(edits, add...), true
	}
	out := slices.Clone(edits)
	for _, e := range add {
		i, _ := slices.BinarySearchFunc(out, e, compareEdits)
		// out does not overlap itself, so its ends grow with its starts:
		// only the neighbours of i that reach e can overlap it.
		dup, clash := false, false
		check := func(have Edit) {
			if sameEditOf(have, e) {
				dup = true
			} else if EditsOverlap(have.Span, e.Span) {
				clash = true
			}
		}
		for j := i - 1; j >= 0 && path(out[j].File) == path(e.File) && out[j].Span.End >= e.Span.Start; j-- {
			check(out[j])
		}
		for j := i; j < len(out) && path(out[j].File) == path(e.File) && out[j].Span.Start <= e.Span.End; j++ {
			check(out[j])
		}
		if clash {
			return edits, false
		}
		if !dup {
			out = slices.Insert(out, i, e)
		}
	}
	return out, true
}

// afterAll reports whether e comes after every edit of sorted edits (in a
// later file, or at or after the end of the last one) and is not the last
// one again.
func afterAll(edits []Edit, e Edit) bool {
	last := edits[len(edits)-1]
	if p, q := path(last.File), path(e.File); p != q {
		return p < q
	}
	return last.Span.End <= e.Span.Start && !sameEditOf(last, e)
}

func compareEdits(a, b Edit) int {
	if c := strings.Compare(path(a.File), path(b.File)); c != 0 {
		return c
	}
	if a.Span.Start != b.Span.Start {
		return a.Span.Start - b.Span.Start
	}
	return a.Span.End - b.Span.End
}

func sameEditOf(a, b Edit) bool {
	return path(a.File) == path(b.File) && a.Span == b.Span && a.NewText == b.NewText
}

// EditsOverlap reports whether applying two edits of one file is
// ambiguous: their spans share a byte, or one is an insertion strictly
// inside the other. Insertions at the same point, or at a boundary, do not
// overlap: LSP applies them in order.
func EditsOverlap(a, b workspace.Span) bool {
	if a.Start == a.End || b.Start == b.End {
		return (a.Start > b.Start && a.Start < b.End) || (b.Start > a.Start && b.Start < a.End)
	}
	return a.Start < b.End && b.Start < a.End
}

// coalesce joins sorted, non-overlapping edits that touch (one ends where
// the next starts, in the same file) into one edit, so that deleting a
// run of 100,000 adjacent lines is one edit, not 100,000.
func coalesce(edits []Edit) []Edit {
	out := make([]Edit, 0, len(edits))
	var text strings.Builder
	flush := func(e Edit, joined bool) {
		if joined {
			e.NewText = text.String()
		}
		out = append(out, e)
	}
	var cur Edit
	joined := false
	for i, e := range edits {
		if i > 0 && path(e.File) == path(cur.File) && cur.Span.End == e.Span.Start {
			if !joined {
				text.Reset()
				text.WriteString(cur.NewText)
				joined = true
			}
			text.WriteString(e.NewText)
			cur.Span.End = e.Span.End
			continue
		}
		if i > 0 {
			flush(cur, joined)
		}
		cur, joined = e, false
	}
	if len(edits) > 0 {
		flush(cur, joined)
	}
	return slices.Clip(out)
}

// thousands formats n with commas: 714,272.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
