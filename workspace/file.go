package workspace

import (
	"bytes"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Kind says which of the files gomodls understands a path is.
type Kind int

const (
	KindUnknown Kind = iota
	KindGoMod
	KindGoWork
	KindGoSum     // go.sum
	KindGoWorkSum // go.work.sum
	KindVendorManifest
)

func (k Kind) String() string {
	switch k {
	case KindGoMod:
		return "go.mod"
	case KindGoWork:
		return "go.work"
	case KindGoSum:
		return "go.sum"
	case KindGoWorkSum:
		return "go.work.sum"
	case KindVendorManifest:
		return "vendor/modules.txt"
	}
	return "unknown"
}

// KindOf classifies path by its name alone (it never touches the disk). Only
// modules.txt directly inside a directory named vendor is a vendor manifest.
func KindOf(path string) Kind {
	switch filepath.Base(path) {
	case "go.mod":
		return KindGoMod
	case "go.work":
		return KindGoWork
	case "go.sum":
		return KindGoSum
	case "go.work.sum":
		return KindGoWorkSum
	case "modules.txt":
		if filepath.Base(filepath.Dir(path)) == "vendor" {
			return KindVendorManifest
		}
	}
	return KindUnknown
}

// A File is the content of one file as gomodls saw it: from an open editor
// buffer or from disk. Files are immutable.
type File struct {
	Path string // absolute, cleaned
	Kind Kind
	// content is the file's bytes (Content), nil for a go.sum read from
	// disk whose lines are in sumTexts: sumText then numbers its lines.
	content []byte
	sumText []uint32
	// Version is the editor buffer's version, 0 for disk contents. An open
	// buffer may be at version 0 too (Neovim starts there): ask the Session
	// (IsOpen) whether a path is open, not the version.
	Version int32
	// Skipped says why the file on disk was not read (it is not a regular
	// file, is larger than its limit, or is a link leading out of the
	// workspace); its content is then empty. The snapshot still holds the file,
	// parsed as one that failed to parse, so that checks depending on it stay
	// silent rather than report what its absence would mean, and so that the
	// file-skipped diagnostic has a file to be placed on.
	Skipped *SkipError

	// lineStarts are the byte offsets of the start of each line. int32:
	// a file is at most the largest message the server accepts (256 MiB)
	// or the read limit (at most 1 GiB), and a thousand go.sum files hold
	// a hundred thousand lines.
	lineStarts []int32
}

// NewFile returns a File for content. It indexes line starts so that
// positions can be converted cheaply; content must not be modified after.
func NewFile(path string, content []byte, version int32) *File {
	f := &File{Path: path, Kind: KindOf(path), content: content, Version: version}
	// Exactly sized: a guess from the length held a quarter of every
	// go.sum's size again (its lines are a hundred bytes, not thirty-two).
	f.lineStarts = append(make([]int32, 0, bytes.Count(content, []byte{'\n'})+1), 0)
	for i, b := range content {
		if b == '\n' {
			f.lineStarts = append(f.lineStarts, int32(i+1))
		}
	}
	return f
}

// newDiskFile is the File for data read from disk at path. A go.sum or
// go.work.sum keeps the numbers of its lines in sumTexts instead of its
// bytes (see sumTexts), unless a line is too long for the table.
func newDiskFile(path string, data []byte) *File {
	f := NewFile(path, data, 0)
	if f.Kind == KindGoSum || f.Kind == KindGoWorkSum {
		if ids, ok := sumTexts.intern(f); ok {
			f.sumText, f.content = ids, nil
		}
	}
	return f
}

// Content returns the file's bytes, which the caller must not modify. A
// go.sum read from disk keeps none (newDiskFile): its bytes are made again
// on every call, so a caller asking for one line uses LineText, and one
// asking for the size Size.
func (f *File) Content() []byte {
	if f.sumText == nil {
		return f.content
	}
	return f.AppendContent(make([]byte, 0, f.Size()))
}

// AppendContent appends the file's bytes to dst.
func (f *File) AppendContent(dst []byte) []byte {
	if f.sumText == nil {
		return append(dst, f.content...)
	}
	sumTexts.each(f.sumText, func(i int, st *sumText) {
		if i > 0 {
			dst = append(dst, '\n')
		}
		dst = append(dst, st.text...)
	})
	return dst
}

// Size is the length of the file's content in bytes.
func (f *File) Size() int {
	if f.sumText == nil {
		return len(f.content)
	}
	last := len(f.lineStarts) - 1
	return int(f.lineStarts[last]) + len(sumTexts.text(f.sumText[last]).text)
}

// HasContent reports whether the file's content is data.
func (f *File) HasContent(data []byte) bool {
	if f.sumText == nil {
		return bytes.Equal(f.content, data)
	}
	if f.Size() != len(data) {
		return false
	}
	same := true
	sumTexts.each(f.sumText, func(i int, st *sumText) {
		start := int(f.lineStarts[i])
		end := start + len(st.text)
		// Each line but the last ends in a newline there.
		same = same && string(data[start:end]) == st.text && (end == len(data) || data[end] == '\n')
	})
	return same
}

// SameContent reports whether f and g have the same content.
func (f *File) SameContent(g *File) bool {
	if f.sumText != nil && g.sumText != nil {
		return slices.Equal(f.sumText, g.sumText)
	}
	return f.HasContent(g.Content())
}

// LineText returns the text of 0-based line i with its terminator ("\n")
// left out (a "\r" of CRLF endings stays).
func (f *File) LineText(i int) string {
	if f.sumText != nil {
		return sumTexts.text(f.sumText[i]).text
	}
	end := len(f.content)
	if i+1 < len(f.lineStarts) {
		end = int(f.lineStarts[i+1]) - 1
	}
	return unsafe.String(unsafe.SliceData(f.content[f.lineStarts[i]:]), end-int(f.lineStarts[i]))
}

// newSkippedFile is the File for a file of disk that was not read.
func newSkippedFile(path string, why *SkipError) *File {
	f := NewFile(path, nil, 0)
	f.Skipped = why
	return f
}

// Span is a half-open byte range [Start, End) in a File's content.
type Span struct {
	Start, End int
}

// LineCount is the number of lines in the file (a final line without a
// newline counts; an empty file has one empty line).
func (f *File) LineCount() int { return len(f.lineStarts) }

// LineSpan returns the span of 1-based line n without its line terminator
// (a trailing "\r" of CRLF endings is excluded too). Out-of-range lines clamp
// to the first or last line.
func (f *File) LineSpan(n int) Span {
	if n < 1 {
		n = 1
	}
	if n > len(f.lineStarts) {
		n = len(f.lineStarts)
	}
	start := int(f.lineStarts[n-1])
	text := f.LineText(n - 1)
	end := start + len(strings.TrimSuffix(text, "\r"))
	return Span{start, end}
}

// Point is a position within a file in the forms presenters need.
type Point struct {
	Line  int // 0-based line
	UTF16 int // 0-based column in UTF-16 code units (LSP's unit)
	Rune  int // 0-based column in runes
}

// Point converts a byte offset into a line and column. Offsets are clamped
// into the content, and invalid UTF-8 counts one column per byte.
func (f *File) Point(offset int) Point {
	if offset < 0 {
		offset = 0
	}
	if size := f.Size(); offset > size {
		offset = size
	}
	line := sort.Search(len(f.lineStarts), func(i int) bool { return int(f.lineStarts[i]) > offset }) - 1
	p := Point{Line: line}
	for b := f.LineText(line)[:offset-int(f.lineStarts[line])]; len(b) > 0; {
		r, size := utf8.DecodeRuneInString(b)
		b = b[size:]
		p.Rune++
		if r >= 0x10000 {
			p.UTF16 += 2
		} else {
			p.UTF16++
		}
	}
	return p
}

// Offset converts a 0-based line and UTF-16 column (an LSP position) into a
// byte offset. Columns past the end of the line clamp to the line's end, as
// the LSP specification asks.
func (f *File) Offset(line, utf16Col int) int {
	if line < 0 {
		return 0
	}
	if line >= len(f.lineStarts) {
		return f.Size()
	}
	ls := f.LineSpan(line + 1)
	text := f.LineText(line)
	off := ls.Start
	for col := 0; col < utf16Col && off < ls.End; {
		r, size := utf8.DecodeRuneInString(text[off-ls.Start:])
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
		off += size
	}
	return off
}

// LineStart returns a File standing for a file gomodls does not read (a
// .go file: gopls owns those) and the empty span at the start of its line
// n (1-based), for a diagnostic's related place. The File holds n empty
// lines and nothing else: a position at a line's start is the same in any
// content, so presenters convert it like any other, and it must not be
// read for the file's text.
func LineStart(path string, n int) (*File, Span) {
	n = max(n, 1)
	f := NewFile(path, bytes.Repeat([]byte{'\n'}, n-1), 0)
	return f, Span{Start: n - 1, End: n - 1}
}
