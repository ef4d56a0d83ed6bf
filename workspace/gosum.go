package workspace

import (
	"fmt"
	"iter"
	"strings"
	"unsafe"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// SumLine is one well-formed line of a go.sum or go.work.sum file:
// "path version hash", where version may end in "/go.mod". Its strings are
// the file's own bytes.
type SumLine struct {
	Mod  module.Version // Version keeps a "/go.mod" suffix for go.mod hashes
	Hash string
	Line int32 // 1-based
}

// SumFile is a parsed go.sum or go.work.sum.
type SumFile struct {
	File *File
	// lines are the well-formed lines, in file order, as offsets into
	// File.Content: a thousand go.sum files hold a hundred thousand lines,
	// and three strings a line were twice the size (SumLine is made from
	// them when asked for).
	lines []sumLine
	// Errors holds one error per malformed line, in file order. The go command
	// stops at the first (readGoSum in cmd/go/internal/modfetch); we collect
	// them all so the user can fix them in one pass.
	Errors modfile.ErrorList
}

// A sumLine is a SumLine as the byte offsets of its three fields.
type sumLine struct {
	line            int32
	path, ver, hash field
}

// A field is the bytes [start, end) of a go.sum file.
type field struct{ start, end int32 }

// fieldOf is the field of data that s, a substring of data, is.
func fieldOf(data, s string) field {
	start := int32(uintptr(unsafe.Pointer(unsafe.StringData(s))) - uintptr(unsafe.Pointer(unsafe.StringData(data))))
	return field{start, start + int32(len(s))}
}

func (f field) in(data string) string { return data[f.start:f.end] }

// Len is the number of well-formed lines.
func (sf *SumFile) Len() int { return len(sf.lines) }

// Line returns the i'th well-formed line (0-based, in file order).
func (sf *SumFile) Line(i int) SumLine {
	l := sf.lines[i]
	data := unsafe.String(unsafe.SliceData(sf.File.Content), len(sf.File.Content))
	return SumLine{
		Mod:  module.Version{Path: l.path.in(data), Version: l.ver.in(data)},
		Hash: l.hash.in(data),
		Line: l.line,
	}
}

// Lines yields the well-formed lines with their indexes, in file order.
func (sf *SumFile) Lines() iter.Seq2[int, SumLine] {
	return func(yield func(int, SumLine) bool) {
		for i := range sf.lines {
			if !yield(i, sf.Line(i)) {
				return
			}
		}
	}
}

// Span is the span of l, a line of sf, without its terminator.
func (sf *SumFile) Span(l SumLine) Span { return sf.File.LineSpan(int(l.Line)) }

// emptyGoModHash is the hash of an empty go.mod. An old go command bug wrote
// such lines; readGoSum drops them silently and so do we.
const emptyGoModHash = "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY="

// ParseSum parses a go.sum or go.work.sum file the way cmd/go's readGoSum
// does: lines split on "\n", blank lines skipped, every other line must have
// exactly three space-separated fields. Malformed lines become Errors whose
// message matches the go command's ("wrong number of fields N").
func ParseSum(f *File) *SumFile {
	sf := &SumFile{File: f}
	// The content itself, which every field below is a substring of, and
	// one allocation for the lines: a thousand go.sum files of a workspace
	// are held by every snapshot, and a string per line and a doubling
	// slice made them a quarter of the server's heap, and a copy of the
	// content another 7 MB at N=1000. Files are immutable (no one writes
	// into File.Content), so the strings may share its bytes.
	data := unsafe.String(unsafe.SliceData(f.Content), len(f.Content))
	sf.lines = make([]sumLine, 0, strings.Count(data, "\n")+1)
	for lineno, start := 1, 0; start < len(data); lineno++ {
		end := strings.IndexByte(data[start:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += start
		}
		line := data[start:end]
		fields := strings.Fields(line)
		switch {
		case len(fields) == 0:
		case len(fields) != 3:
			// Point at the first field so the editor underlines the text, not
			// the leading blanks.
			col := strings.Index(line, fields[0])
			sf.Errors = append(sf.Errors, modfile.Error{
				Filename: f.Path,
				Pos:      modfile.Position{Line: lineno, LineRune: 1 + len([]rune(line[:col])), Byte: start + col},
				Err:      fmt.Errorf("wrong number of fields %d", len(fields)),
			})
		case fields[2] == emptyGoModHash:
		default:
			sf.lines = append(sf.lines, sumLine{
				line: int32(lineno),
				path: fieldOf(data, fields[0]), ver: fieldOf(data, fields[1]), hash: fieldOf(data, fields[2]),
			})
		}
		start = end + 1
	}
	if len(sf.lines) == 0 {
		sf.lines = nil // the capacity made for a file of malformed lines
	}
	return sf
}
