package workspace

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// sumFileCases are go.sum contents for the tests holding a go.sum read
// from disk, which keeps no bytes, to one made from its bytes.
var sumFileCases = map[string]string{
	"empty":              "",
	"one line":           "example.com/a v1.0.0 h1:aaa=\n",
	"no final newline":   "example.com/a v1.0.0 h1:aaa=\nexample.com/a v1.0.0/go.mod h1:bbb=",
	"blank lines":        "\n\nexample.com/a v1.0.0 h1:aaa=\n\n",
	"crlf":               "example.com/a v1.0.0 h1:aaa=\r\nexample.com/a v1.0.0/go.mod h1:bbb=\r\n",
	"malformed":          "  example.com/b v1.0.0 h1:ccc= extra\nlonely\r\nexample.com/a v1.0.0 h1:aaa=\n",
	"empty go.mod hash":  "example.com/c v1.0.0/go.mod " + emptyGoModHash + "\n",
	"tabs and non-ascii": "\tpäth.example/ü v1.0.0\th1:ÿ=\n𝔘 v1 h\n",
	"a repeated line":    "example.com/a v1.0.0 h1:aaa=\nexample.com/a v1.0.0 h1:aaa=\n",
}

func TestDiskGoSumKeepsNoBytes(t *testing.T) {
	for name, content := range sumFileCases {
		t.Run(name, func(t *testing.T) {
			disk := newDiskFile("/w/go.sum", []byte(content))
			if disk.content != nil {
				t.Fatalf("a go.sum read from disk keeps its bytes")
			}
			sameFile(t, disk, NewFile("/w/go.sum", []byte(content), 0))
		})
	}
	// Bytes of the same size whose lines break elsewhere are other bytes.
	disk := newDiskFile("/w/go.sum", []byte("a b c\nd e f\n"))
	for _, other := range []string{"a b c d e f\n", "a b c\nd e\nf", "a b c\nd e f\n"[:11] + " "} {
		if disk.HasContent([]byte(other)) {
			t.Errorf("%q has the content %q", disk.Content(), other)
		}
	}
	// A line too long for the table: the file keeps its bytes.
	long := "example.com/" + strings.Repeat("x", maxInternedSumLine) + " v1.0.0 h1:x=\n"
	if f := newDiskFile("/w/go.sum", []byte(long)); f.content == nil || f.sumText != nil {
		t.Errorf("a go.sum with a %d-byte line was interned", len(long))
	}
	// Other module files keep their bytes.
	if f := newDiskFile("/w/go.mod", []byte("module m\n")); f.content == nil {
		t.Errorf("a go.mod read from disk keeps no bytes")
	}
}

// sameFile holds got, a go.sum read from disk, to want, made from the same
// bytes: its content, its parse and every position it converts.
func sameFile(t *testing.T, got, want *File) {
	t.Helper()
	content := want.Content()
	if c := got.Content(); string(c) != string(content) {
		t.Fatalf("Content %q, want %q", c, content)
	}
	if got.Size() != want.Size() || got.LineCount() != want.LineCount() {
		t.Errorf("Size %d, LineCount %d; want %d, %d", got.Size(), got.LineCount(), want.Size(), want.LineCount())
	}
	if !got.HasContent(content) || !got.SameContent(want) || !want.SameContent(got) || got.HasContent(append(slices.Clip(content), 'x')) {
		t.Errorf("HasContent or SameContent denies the same bytes, or accepts others")
	}
	if b := got.AppendContent([]byte("x")); string(b) != "x"+string(content) {
		t.Errorf("AppendContent %q", b)
	}
	for i := range want.LineCount() {
		if got.LineText(i) != want.LineText(i) || got.LineSpan(i+1) != want.LineSpan(i+1) {
			t.Errorf("line %d: %q %v, want %q %v", i, got.LineText(i), got.LineSpan(i+1), want.LineText(i), want.LineSpan(i+1))
		}
		for col := range len(want.LineText(i)) + 2 {
			if g, w := got.Offset(i, col), want.Offset(i, col); g != w {
				t.Errorf("Offset(%d, %d) = %d, want %d", i, col, g, w)
			}
		}
	}
	for off := -1; off <= len(content)+1; off++ {
		if g, w := got.Point(off), want.Point(off); g != w {
			t.Errorf("Point(%d) = %v, want %v", off, g, w)
		}
	}
	gs, ws := ParseSum(got), ParseSum(want)
	if g, w := sumDump(gs), sumDump(ws); g != w {
		t.Errorf("ParseSum:\n%s\nwant:\n%s", g, w)
	}
}

func sumDump(sf *SumFile) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d lines\n", sf.Len())
	for i, l := range sf.Lines() {
		fmt.Fprintf(&b, "%d %+v %v %+v\n", i, l, sf.Span(l), sf.Line(i))
	}
	for _, e := range sf.Errors {
		fmt.Fprintf(&b, "error %+v\n", e)
	}
	return b.String()
}

// TestSumTextsConcurrent reads go.sum files on many goroutines at once, as
// a snapshot's reads do; -race checks the table's locking.
func TestSumTextsConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				content := fmt.Sprintf("example.com/g%d v1.0.%d h1:x=\nexample.com/shared v1.0.0 h1:y=\n", g, i%5)
				f := newDiskFile("/w/go.sum", []byte(content))
				if string(f.Content()) != content || ParseSum(f).Len() != 2 {
					t.Errorf("%q read as %q", content, f.Content())
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestSumTextsBounded: past its bound the table takes no new lines, and a
// file with a line it does not hold keeps its bytes.
func TestSumTextsBounded(t *testing.T) {
	table := sumTextTable{max: 64}
	first := []byte("example.com/a v1.0.0 h1:aaa=\nexample.com/a v1.0.0/go.mod h1:bbb=\n")
	if _, ok := table.intern(NewFile("/w/go.sum", first, 0)); !ok {
		t.Fatalf("%d bytes refused below a bound of %d", len(first), table.max)
	}
	held := len(table.texts)
	if _, ok := table.intern(NewFile("/w/go.sum", []byte("example.com/b v1.0.0 h1:ccc=\n"), 0)); ok {
		t.Errorf("a line past the bound was taken (%d bytes held)", table.bytes)
	}
	if len(table.texts) != held {
		t.Errorf("a refused file added %d lines", len(table.texts)-held)
	}
	// Lines already held still intern.
	if ids, ok := table.intern(NewFile("/w/go.sum", first[:29], 0)); !ok || len(ids) != 2 {
		t.Errorf("a file of held lines refused: %v %v", ids, ok)
	}
}
