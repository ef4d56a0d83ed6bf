package diagnostics

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gomodls/gomodls/workspace"
)

// floodSum is a go.sum of n lines and, for each line, the sum-unused-lines
// diagnostic the go.sum check reports on it (with its fix-all deletion),
// except for the lines keep lists.
func floodSum(n int, keep ...int) (*workspace.File, []Diagnostic) {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "example.com/m%04d v1.0.0 h1:AAAA=\n", i)
	}
	f := workspace.NewFile("/w/go.sum", []byte(b.String()), 0)
	var diags []Diagnostic
	for i := range n {
		if slices.Contains(keep, i) {
			continue
		}
		sp := f.LineSpan(i + 1)
		diags = append(diags, Diagnostic{
			Code: CodeSumUnusedLines, Severity: SeverityHint, File: f, Span: sp, Tags: []Tag{TagUnnecessary},
			Message: fmt.Sprintf("unused line %d", i+1),
			Fixes:   []Fix{{Title: "Remove unused go.sum line", Kind: KindFixAll, Edits: []Edit{{File: f, Span: workspace.Span{Start: sp.Start, End: sp.End + 1}}}}},
		})
	}
	return f, diags
}

func TestBoundPerFileAndCode(t *testing.T) {
	f, diags := floodSum(1000, 500, 501)
	got := Bound(diags, 10)
	if len(got) != 11 {
		t.Fatalf("%d diagnostics, want 10 and a summary", len(got))
	}
	if !slices.EqualFunc(got[:10], diags[:10], func(a, b Diagnostic) bool { return a.Span == b.Span && a.Message == b.Message }) {
		t.Errorf("the first 10 are not kept as they were")
	}
	s := got[10]
	if s.Code != CodeSumUnusedLines || s.File != f || s.Severity != SeverityHint || s.Span != diags[10].Span || !slices.Equal(s.Tags, []Tag{TagUnnecessary}) {
		t.Errorf("summary %+v: want the code, file, severity, tags of the dropped and the first dropped's span", s)
	}
	if want := "and 988 more unused go.sum lines, from this one on; fix all removes them"; s.Message != want {
		t.Errorf("summary message %q, want %q", s.Message, want)
	}
	if len(s.Fixes) != 1 || s.Fixes[0].Kind != KindFixAll || s.Fixes[0].Title != "Remove 988 unused go.sum lines" {
		t.Fatalf("summary fixes %+v, want one fix-all", s.Fixes)
	}
	// Lines 11–500 and 503–1000, adjacent: two edits, not 988.
	if n := len(s.Fixes[0].Edits); n != 2 {
		t.Errorf("the summary's fix has %d edits, want 2 (coalesced)", n)
	}
	var all []Edit
	for _, d := range got {
		all = append(all, d.Fixes[0].Edits...)
	}
	slices.SortFunc(all, compareEdits)
	want := ""
	for i := range 1000 {
		if i == 500 || i == 501 {
			want += fmt.Sprintf("example.com/m%04d v1.0.0 h1:AAAA=\n", i)
		}
	}
	if out := apply(f.Content(), all); out != want {
		t.Errorf("applying every fix leaves\n%s\nwant\n%s", out, want)
	}

	// Counted per file and per code.
	g := workspace.NewFile("/w/other/go.sum", f.Content(), 0)
	var mixed []Diagnostic
	for i, d := range diags[:30] {
		other := d
		other.File = g
		mixed = append(mixed, d, other)
		if i%2 == 0 {
			d.Code = CodeSumMismatchGoSum
			d.Severity = SeverityError
			mixed = append(mixed, d)
		}
	}
	Sort(mixed)
	var counts []string
	for _, d := range Bound(mixed, 10) {
		counts = append(counts, d.File.Path+" "+d.Code)
	}
	byKey := map[string]int{}
	for _, c := range counts {
		byKey[c]++
	}
	wantCounts := map[string]int{"/w/go.sum " + CodeSumUnusedLines: 11, "/w/go.sum " + CodeSumMismatchGoSum: 11, "/w/other/go.sum " + CodeSumUnusedLines: 11}
	if fmt.Sprint(byKey) != fmt.Sprint(wantCounts) {
		t.Errorf("counts %v, want %v", byKey, wantCounts)
	}

	if got := Bound(diags, 0); len(got) != len(diags) {
		t.Errorf("no limit: %d diagnostics, want %d", len(got), len(diags))
	}
	if got := Bound(diags, len(diags)); len(got) != len(diags) {
		t.Errorf("at the limit: %d diagnostics, want %d", len(got), len(diags))
	}
}

// A summary keeps what every dropped diagnostic shares: the most severe
// severity, their common tags and command fixes; a fix-all fix that
// overlaps one taken is left out, and the message says how many are fixed.
func TestBoundSummaryOfMixed(t *testing.T) {
	f := workspace.NewFile("/w/go.mod", []byte(strings.Repeat("require example.com/x v1.0.0\n", 10)), 0)
	tidy := Fix{Title: "Run go mod tidy", Kind: KindQuickFix, Command: &Command{Name: CommandTidy, Title: "Run go mod tidy", Dir: "/w"}}
	var diags []Diagnostic
	for i := range 6 {
		sp := f.LineSpan(i + 1)
		d := Diagnostic{Code: "some-code", Severity: SeverityWarning, File: f, Span: sp, Message: "m", Tags: []Tag{TagDeprecated},
			Fixes: []Fix{{Title: "Delete", Kind: KindFixAll, Edits: []Edit{{File: f, Span: sp}}}, tidy,
				{Title: "Download", Kind: KindQuickFix, Command: &Command{Name: CommandDownload, Dir: "/w", Args: []string{fmt.Sprint(i)}}}}}
		switch i {
		case 3:
			d.Severity = SeverityError
			d.Tags = nil
		case 4: // overlaps line 3's deletion
			d.Fixes[0].Edits[0].Span = workspace.Span{Start: sp.Start - 2, End: sp.End}
		}
		diags = append(diags, d)
	}
	got := Bound(diags, 2)
	if len(got) != 3 {
		t.Fatalf("%d diagnostics, want 3", len(got))
	}
	s := got[2]
	if s.Severity != SeverityError || len(s.Tags) != 0 {
		t.Errorf("severity %v tags %v, want error and none", s.Severity, s.Tags)
	}
	if want := "and 4 more some-code diagnostics in this file, from this one on; fix all fixes 3 of them"; s.Message != want {
		t.Errorf("message %q, want %q", s.Message, want)
	}
	var titles []string
	for _, fx := range s.Fixes {
		titles = append(titles, fx.Title)
	}
	if want := []string{"Fix 3 more some-code diagnostics", "Run go mod tidy"}; !slices.Equal(titles, want) {
		t.Errorf("fixes %q, want %q", titles, want)
	}
	// The deletions leave the newlines between the lines: they do not
	// touch, and stay three edits.
	if n := len(s.Fixes[0].Edits); n != 3 {
		t.Errorf("%d edits, want 3: %+v", n, s.Fixes[0].Edits)
	}
}

func TestBoundClipsMessagesAndRelated(t *testing.T) {
	f := workspace.NewFile("/w/go.mod", []byte("module m\n"), 0)
	long := strings.Repeat("é", MaxMessageBytes)
	var related []Related
	for range MaxRelated + 5 {
		related = append(related, Related{File: f, Message: long})
	}
	got := Bound([]Diagnostic{{Code: "c", File: f, Message: long, Related: related}}, DefaultMaxPerCode)[0]
	if len(got.Message) > MaxMessageBytes || !utf8.ValidString(got.Message) || !strings.HasSuffix(got.Message, "more bytes)") {
		t.Errorf("message of %d bytes, valid %v: …%s", len(got.Message), utf8.ValidString(got.Message), got.Message[len(got.Message)-60:])
	}
	if len(got.Related) != MaxRelated {
		t.Errorf("%d related, want %d", len(got.Related), MaxRelated)
	}
	for _, r := range got.Related {
		if len(r.Message) > MaxMessageBytes {
			t.Errorf("related message of %d bytes", len(r.Message))
		}
	}
	if len(related[0].Message) != len(long) {
		t.Errorf("Bound modified its input")
	}
}

func TestMergeEdits(t *testing.T) {
	f := workspace.NewFile("/w/go.mod", []byte(strings.Repeat("x", 100)), 0)
	e := func(start, end int, text string) Edit {
		return Edit{File: f, Span: workspace.Span{Start: start, End: end}, NewText: text}
	}
	var edits []Edit
	for _, add := range [][]Edit{{e(50, 60, "")}, {e(10, 20, "a")}, {e(60, 60, "i")}, {e(10, 20, "a")}, {e(30, 40, ""), e(80, 90, "")}, {e(55, 56, "")}, {e(35, 45, "")}} {
		edits, _ = MergeEdits(edits, add)
	}
	var got []string
	for _, x := range edits {
		got = append(got, fmt.Sprintf("%d-%d%q", x.Span.Start, x.Span.End, x.NewText))
	}
	want := []string{`10-20"a"`, `30-40""`, `50-60""`, `60-60"i"`, `80-90""`}
	if !slices.Equal(got, want) {
		t.Errorf("merged %v, want %v", got, want)
	}
	var co []string
	for _, x := range coalesce(edits) {
		co = append(co, fmt.Sprintf("%d-%d%q", x.Span.Start, x.Span.End, x.NewText))
	}
	if want := []string{`10-20"a"`, `30-40""`, `50-60"i"`, `80-90""`}; !slices.Equal(co, want) {
		t.Errorf("coalesced %v, want %v", co, want)
	}
}

func TestEditsOverlap(t *testing.T) {
	tests := []struct {
		a, b workspace.Span
		want bool
	}{
		{workspace.Span{Start: 0, End: 5}, workspace.Span{Start: 5, End: 9}, false},
		{workspace.Span{Start: 0, End: 6}, workspace.Span{Start: 5, End: 9}, true},
		{workspace.Span{Start: 3, End: 3}, workspace.Span{Start: 3, End: 3}, false},
		{workspace.Span{Start: 3, End: 3}, workspace.Span{Start: 0, End: 3}, false},
		{workspace.Span{Start: 2, End: 2}, workspace.Span{Start: 0, End: 3}, true},
	}
	for _, tt := range tests {
		if got := EditsOverlap(tt.a, tt.b); got != tt.want {
			t.Errorf("EditsOverlap(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := EditsOverlap(tt.b, tt.a); got != tt.want {
			t.Errorf("EditsOverlap(%v, %v) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 714272: "714,272", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
