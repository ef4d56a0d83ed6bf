package workspace

import (
	"strings"
	"sync"
)

// sumTexts holds, once for the process, each distinct line of the go.sum
// and go.work.sum files read from disk. A file whose lines are all here
// keeps only their numbers (File.sumText), not its bytes: the go.sum files
// of one workspace repeat each other's lines (etcd's 14 hold 1,182 lines,
// 220 distinct; the thousand of the N = 1,000 benchmark workspace hold
// 86,000, 1,200 distinct), and their bytes were a fifth of the server's
// live heap. A line is parsed once, when it is first seen (sumText.parse),
// so a file's parse is a lookup per line.
//
// The table only grows. It holds lines of files read from disk, never of
// buffers being typed into, so what it holds is the distinct lines of the
// go.sum files the process has seen on disk — a tidy that rewrites them
// adds the lines it added — and at most maxSumTextBytes of them: past
// that, a file with a line not yet held keeps its bytes, so that a
// generated or hostile go.sum (up to the 32 MiB read limit) of lines no
// other file has is freed with the file, as before.
var sumTexts = sumTextTable{max: maxSumTextBytes}

type sumTextTable struct {
	mu    sync.RWMutex
	ids   map[string]uint32
	texts []sumText
	bytes int // the length of every text held
	max   int // at most this many
}

// maxSumTextBytes bounds the texts the table holds: a hundred times
// etcd's distinct lines, ten times the N = 1,000 workspace's.
const maxSumTextBytes = 2 << 20

// A sumText is one distinct line, without its "\n" (a "\r" of a CRLF file
// is part of it), and how readGoSum sees it.
type sumText struct {
	text  string
	parse sumLineParse
}

// maxInternedSumLine is the longest line the table takes. A well-formed
// line is a module path (at most a few hundred bytes), a version and a
// hash; a file with a longer line keeps its bytes, so that what a hostile
// or corrupt file holds does not stay for the process's life.
const maxInternedSumLine = 2048

// intern returns the numbers of f's lines (its line index's, so
// strings.Split(content, "\n")), adding the ones not yet in the table; ok
// false, and nothing added, when a line is too long to intern or the new
// ones do not fit in the table. f still holds its bytes.
func (t *sumTextTable) intern(f *File) (ids []uint32, ok bool) {
	ids = make([]uint32, f.LineCount())
	var missing []int // lines not found under the read lock
	t.mu.RLock()
	for i := range ids {
		text := f.LineText(i) // a view of f's bytes: the lookup copies nothing
		if len(text) > maxInternedSumLine {
			t.mu.RUnlock()
			return nil, false
		}
		id, found := t.ids[text]
		if !found {
			missing = append(missing, i)
		}
		ids[i] = id
	}
	t.mu.RUnlock()
	if len(missing) == 0 {
		return ids, true
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ids == nil {
		t.ids = make(map[string]uint32)
	}
	added := 0 // at most: a line may repeat, or be added meanwhile
	for _, i := range missing {
		added += len(f.LineText(i))
	}
	if t.bytes+added > t.max {
		return nil, false
	}
	for _, i := range missing {
		id, found := t.ids[f.LineText(i)]
		if !found {
			// Its own bytes: a view of f's would keep the whole file.
			text := strings.Clone(f.LineText(i))
			id = uint32(len(t.texts))
			t.texts = append(t.texts, sumText{text: text, parse: parseSumLine(text)})
			t.ids[text] = id
			t.bytes += len(text)
		}
		ids[i] = id
	}
	return ids, true
}

// text returns the line numbered id.
func (t *sumTextTable) text(id uint32) sumText {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.texts[id]
}

// each calls fn with the lines numbered ids, in order, under one lock; fn
// must not call the table.
func (t *sumTextTable) each(ids []uint32, fn func(i int, st *sumText)) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for i, id := range ids {
		fn(i, &t.texts[id])
	}
}
