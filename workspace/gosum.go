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
	// File's content: a thousand go.sum files hold a hundred thousand lines,
	// and three strings a line were twice the size (SumLine is made from
	// them when asked for). A file keeping no bytes (File.sumText) has
	// interned instead.
	lines    []sumLine
	interned []internedSumLine
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

// An internedSumLine is a SumLine as its line number and the number of its
// text in sumTexts, whose parse gives the fields.
type internedSumLine struct {
	line int32
	id   uint32
}

// A field is the bytes [start, end) of a go.sum file, or of one line.
type field struct{ start, end int32 }

// fieldOf is the field of data that s, a substring of data, is.
func fieldOf(data, s string) field {
	start := int32(uintptr(unsafe.Pointer(unsafe.StringData(s))) - uintptr(unsafe.Pointer(unsafe.StringData(data))))
	return field{start, start + int32(len(s))}
}

func (f field) in(data string) string { return data[f.start:f.end] }

func (f field) plus(n int32) field { return field{f.start + n, f.end + n} }

// Len is the number of well-formed lines.
func (sf *SumFile) Len() int { return len(sf.lines) + len(sf.interned) }

// Line returns the i'th well-formed line (0-based, in file order).
func (sf *SumFile) Line(i int) SumLine {
	if sf.interned != nil {
		l := sf.interned[i]
		st := sumTexts.text(l.id)
		return st.parse.sumLine(st.text, l.line)
	}
	l := sf.lines[i]
	data := unsafe.String(unsafe.SliceData(sf.File.content), len(sf.File.content))
	return SumLine{
		Mod:  module.Version{Path: l.path.in(data), Version: l.ver.in(data)},
		Hash: l.hash.in(data),
		Line: l.line,
	}
}

// Lines yields the well-formed lines with their indexes, in file order.
func (sf *SumFile) Lines() iter.Seq2[int, SumLine] {
	return func(yield func(int, SumLine) bool) {
		for i := range sf.Len() {
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
	if f.sumText != nil {
		// Each distinct line was parsed when the table first saw it.
		n := 0
		sumTexts.each(f.sumText, func(i int, st *sumText) {
			if st.parse.kind == sumWellFormed {
				n++
			}
		})
		if n > 0 {
			sf.interned = make([]internedSumLine, 0, n)
		}
		sumTexts.each(f.sumText, func(i int, st *sumText) {
			switch st.parse.kind {
			case sumWellFormed:
				sf.interned = append(sf.interned, internedSumLine{line: int32(i + 1), id: f.sumText[i]})
			case sumMalformed:
				sf.Errors = append(sf.Errors, st.parse.error(f, i+1))
			}
		})
		return sf
	}
	// The content itself, which every field below is a substring of, and
	// one allocation for the lines: a thousand go.sum files of a workspace
	// are held by every snapshot, and a string per line and a doubling
	// slice made them a quarter of the server's heap, and a copy of the
	// content another 7 MB at N=1000. Files are immutable (no one writes
	// into their content), so the strings may share its bytes.
	data := unsafe.String(unsafe.SliceData(f.content), len(f.content))
	sf.lines = make([]sumLine, 0, strings.Count(data, "\n")+1)
	for lineno, start := 1, 0; start < len(data); lineno++ {
		end := strings.IndexByte(data[start:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += start
		}
		line := data[start:end]
		switch p := parseSumLine(line); p.kind {
		case sumMalformed:
			sf.Errors = append(sf.Errors, p.error(f, lineno))
		case sumWellFormed:
			at := int32(start)
			sf.lines = append(sf.lines, sumLine{line: int32(lineno), path: p.path.plus(at), ver: p.ver.plus(at), hash: p.hash.plus(at)})
		}
		start = end + 1
	}
	if len(sf.lines) == 0 {
		sf.lines = nil // the capacity made for a file of malformed lines
	}
	return sf
}

// How readGoSum sees one line.
type sumLineKind uint8

const (
	sumBlank      sumLineKind = iota
	sumMalformed              // not three fields
	sumEmptyGoMod             // the hash of an empty go.mod, dropped
	sumWellFormed
)

// A sumLineParse is how readGoSum sees one line: its kind, the fields of a
// well-formed line and, of a malformed one, how many fields it has and
// where the first starts (in bytes and runes), all relative to the line.
type sumLineParse struct {
	kind            sumLineKind
	path, ver, hash field
	fields          int32
	col, colRunes   int32
}

func parseSumLine(line string) sumLineParse {
	fields := strings.Fields(line)
	switch {
	case len(fields) == 0:
		return sumLineParse{kind: sumBlank}
	case len(fields) != 3:
		// Point at the first field so the editor underlines the text, not
		// the leading blanks.
		col := strings.Index(line, fields[0])
		return sumLineParse{kind: sumMalformed, fields: int32(len(fields)), col: int32(col), colRunes: int32(len([]rune(line[:col])))}
	case fields[2] == emptyGoModHash:
		return sumLineParse{kind: sumEmptyGoMod}
	}
	return sumLineParse{kind: sumWellFormed, path: fieldOf(line, fields[0]), ver: fieldOf(line, fields[1]), hash: fieldOf(line, fields[2])}
}

// sumLine is the SumLine of line number lineno, whose text is line.
func (p *sumLineParse) sumLine(line string, lineno int32) SumLine {
	return SumLine{
		Mod:  module.Version{Path: p.path.in(line), Version: p.ver.in(line)},
		Hash: p.hash.in(line),
		Line: lineno,
	}
}

// error is the error of a malformed line, number lineno of f.
func (p *sumLineParse) error(f *File, lineno int) modfile.Error {
	return modfile.Error{
		Filename: f.Path,
		Pos:      modfile.Position{Line: lineno, LineRune: 1 + int(p.colRunes), Byte: int(f.lineStarts[lineno-1]) + int(p.col)},
		Err:      fmt.Errorf("wrong number of fields %d", p.fields),
	}
}
