package workspace

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
)

// workspaceIndexes are the package index's files of one kind that are kept
// per workspace (the download index, the Go directory index), as the
// process has opened them: each holds records by directory, read from its
// file on first use, and says which of them the process used since. A
// file is written again (flush) when a record was added or changed, or
// when it holds one the process did not use: it holds what the process
// used, and no more, so a workspace's file does not grow with what it
// no longer needs.
type workspaceIndexes[R any] struct {
	kind, format string // the index's subdirectory and its files' first line
	// parse returns the records of a file's lines; ok false (a line not
	// in the layout) makes the file count as empty.
	parse func(lines []string) (records map[string]R, ok bool)
	// lines are a record's lines in the layout, none to leave it out.
	lines func(dir string, r R) []string

	mu    sync.Mutex
	files map[indexOpening]*workspaceIndex[R]
}

// indexOpening is what names a workspace's index file: the package index's
// directory and the workspace key. open looks it up before it makes the
// file's name, a hash of the key, which it is asked for once per directory
// of a walk.
type indexOpening struct{ dir, key string }

// workspaceIndex is one workspace's file of an index kind. mu guards the
// maps and pending; what a record holds is its kind's business.
type workspaceIndex[R any] struct {
	file    indexFile
	mu      sync.Mutex
	records map[string]R
	inFile  map[string]bool // what the file holds, as last read or written
	used    map[string]bool
	pending bool // a record was put or changed since the file was read or written
}

// open returns the index of the workspace key, its file read on first use;
// nil when the package index is off or key does not fit on the file's
// key line.
func (x *workspaceIndexes[R]) open(key string) *workspaceIndex[R] {
	index := indexDir()
	if index == "" || strings.Contains(key, "\n") {
		return nil
	}
	// The file is read under x.mu, before the index is in x.files: flush
	// (or another open) never sees an index half read.
	x.mu.Lock()
	defer x.mu.Unlock()
	w := x.files[indexOpening{index, key}]
	if w == nil {
		w = &workspaceIndex[R]{file: newIndexFile(index, x.kind, x.format, key), used: make(map[string]bool)}
		lines, _ := w.file.read()
		records, ok := x.parse(lines)
		if !ok || records == nil {
			records = make(map[string]R)
		}
		w.records, w.inFile = records, make(map[string]bool, len(records))
		for dir := range records {
			w.inFile[dir] = true
		}
		x.files[indexOpening{index, key}] = w
	}
	return w
}

// forget drops every index the process opened (not their files).
func (x *workspaceIndexes[R]) forget() {
	x.mu.Lock()
	defer x.mu.Unlock()
	clear(x.files)
}

// useIf returns the record of dir, marked used, if there is one and valid
// says it still holds.
func (w *workspaceIndex[R]) useIf(dir string, valid func(R) bool) (R, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	r, ok := w.records[dir]
	if !ok || !valid(r) {
		var none R
		return none, false
	}
	w.used[dir] = true
	return r, true
}

// use marks the record of dir used, made by fresh when there is none, and
// returns it.
func (w *workspaceIndex[R]) use(dir string, fresh func() R) R {
	w.mu.Lock()
	defer w.mu.Unlock()
	r, ok := w.records[dir]
	if !ok {
		r = fresh()
		w.records[dir] = r
	}
	w.used[dir] = true
	return r
}

// put makes r the record of dir, used, and to be written.
func (w *workspaceIndex[R]) put(dir string, r R) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.records[dir], w.used[dir], w.pending = r, true, true
}

// changed says the content of a record changed, to be written.
func (w *workspaceIndex[R]) changed() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pending = true
}

// stale reports whether flush would write a file.
func (x *workspaceIndexes[R]) stale() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, w := range x.files {
		w.mu.Lock()
		stale := w.staleLocked()
		w.mu.Unlock()
		if stale {
			return true
		}
	}
	return false
}

// staleLocked reports whether w's file does not hold what the process
// used: a record put or changed, or one held that was not used. w.mu is
// held.
func (w *workspaceIndex[R]) staleLocked() bool {
	if w.pending {
		return true
	}
	for dir := range w.inFile {
		if !w.used[dir] {
			return true
		}
	}
	return false
}

// flush writes the files that do not hold what the process used.
func (x *workspaceIndexes[R]) flush() error {
	type pendingFile struct {
		file  indexFile
		lines []string
	}
	var pending []pendingFile
	x.mu.Lock()
	for _, w := range x.files {
		w.mu.Lock()
		if w.staleLocked() {
			var lines []string
			w.inFile = make(map[string]bool)
			for _, dir := range slices.Sorted(maps.Keys(w.used)) {
				if l := x.lines(dir, w.records[dir]); len(l) > 0 {
					lines = append(lines, l...)
					w.inFile[dir] = true
				}
			}
			maps.DeleteFunc(w.records, func(dir string, _ R) bool { return !w.used[dir] })
			w.pending = false
			pending = append(pending, pendingFile{w.file, lines})
		}
		w.mu.Unlock()
	}
	x.mu.Unlock()
	var errs []error
	for _, p := range pending {
		if err := p.file.write(p.lines); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
