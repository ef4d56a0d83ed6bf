package workspace

import (
	"bytes"
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

// intern returns the numbers of data's lines (strings.Split(data, "\n")),
// adding the ones not yet in the table; ok false, and nothing added, when
// a line is too long to intern or the new ones do not fit in the table.
func (t *sumTextTable) intern(data []byte) (ids []uint32, ok bool) {
	n := 1
	for i, start := 0, 0; i <= len(data); i++ {
		if i == len(data) || data[i] == '\n' {
			if i-start > maxInternedSumLine {
				return nil, false
			}
			if i < len(data) {
				n++
			}
			start = i + 1
		}
	}
	ids = make([]uint32, 0, n)
	type line struct{ i, start, end int }
	var missing []line // lines not found under the read lock
	t.mu.RLock()
	for start := 0; ; {
		end := len(data)
		if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
			end = start + i
		}
		id, found := t.ids[string(data[start:end])]
		if !found {
			missing = append(missing, line{len(ids), start, end})
		}
		ids = append(ids, id)
		if end == len(data) {
			break
		}
		start = end + 1
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
	for _, l := range missing {
		added += l.end - l.start
	}
	if t.bytes+added > t.max {
		return nil, false
	}
	for _, l := range missing {
		id, found := t.ids[string(data[l.start:l.end])]
		if !found {
			// Its own bytes: a view of data would keep the whole file.
			text := string(data[l.start:l.end])
			id = uint32(len(t.texts))
			t.texts = append(t.texts, sumText{text: text, parse: parseSumLine(text)})
			t.ids[text] = id
			t.bytes += len(text)
		}
		ids[l.i] = id
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
