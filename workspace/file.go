package workspace

import (
	"bytes"
	"path/filepath"
	"sort"
	"unicode/utf8"
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
	Path    string // absolute, cleaned
	Kind    Kind
	Content []byte
	// Version is the editor buffer's version, 0 for disk contents. An open
	// buffer may be at version 0 too (Neovim starts there): ask the Session
	// (IsOpen) whether a path is open, not the version.
	Version int32
	// Skipped says why the file on disk was not read (it is not a regular
	// file, is larger than its limit, or is a link leading out of the
	// workspace); Content is then empty. The snapshot still holds the file,
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
	f := &File{Path: path, Kind: KindOf(path), Content: content, Version: version}
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
	end := len(f.Content)
	if n < len(f.lineStarts) {
		end = int(f.lineStarts[n]) - 1
	}
	if end > start && f.Content[end-1] == '\r' {
		end--
	}
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
	if offset > len(f.Content) {
		offset = len(f.Content)
	}
	line := sort.Search(len(f.lineStarts), func(i int) bool { return int(f.lineStarts[i]) > offset }) - 1
	p := Point{Line: line}
	for b := f.Content[f.lineStarts[line]:offset]; len(b) > 0; {
		r, size := utf8.DecodeRune(b)
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
		return len(f.Content)
	}
	ls := f.LineSpan(line + 1)
	off := ls.Start
	for col := 0; col < utf16Col && off < ls.End; {
		r, size := utf8.DecodeRune(f.Content[off:])
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
		off += size
	}
	return off
}
