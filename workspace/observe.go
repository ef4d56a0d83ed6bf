package workspace

import (
	"errors"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
)

// Every look a session takes at the disk goes through the functions of
// this file: lstat, stat, readDir, evalSymlinks and openedStat (the look
// at a file opened for reading). Nothing else in the package calls
// os.Stat, os.Lstat, os.ReadDir, filepath.EvalSymlinks or a DirEntry's
// Info (TestDiskLooksInOnePlace), but for the package index's own files,
// which are derived, never an input. So a check can write down what it
// saw (a Recording), and the next process can tell, by looking at the
// same things again, whether the disk would answer it the same
// (RecallCheck): a replayed check, as `go test` replays a test whose
// inputs are unchanged.

// An observation is one look: what was asked (op, path) and what the disk
// answered (seen: a file's type, size and modification time, a
// directory's entries as a digest, a path's resolution).
type observation struct {
	op   byte
	path string
	seen string
	// mtime is the modification time seen (Unix nanoseconds), 0 for none.
	mtime int64
}

// The ops of an observation.
const (
	opLstat   = 'l'
	opStat    = 's'
	opList    = 'd'
	opResolve = 'r'
	opType    = 't'
)

// recording is the process's Recording, while one is on.
var recording struct {
	on   atomic.Bool
	mu   sync.Mutex
	list []observation
	// newest is the latest modification time seen (Unix nanoseconds).
	newest int64
}

func note(op byte, path, seen string, mtime int64) {
	recording.mu.Lock()
	if recording.on.Load() {
		recording.list = append(recording.list, observation{op, path, seen, mtime})
		recording.newest = max(recording.newest, mtime)
	}
	recording.mu.Unlock()
}

func lstat(path string) (fs.FileInfo, error) {
	info, err := os.Lstat(path)
	if recording.on.Load() {
		noteInfo(opLstat, path, info, err)
	}
	return info, err
}

func stat(path string) (fs.FileInfo, error) {
	info, err := os.Stat(path)
	if recording.on.Load() {
		noteInfo(opStat, path, info, err)
	}
	return info, err
}

// lstatType is lstat for a caller that wants only the type of what is at
// path (is it a link?): noted as no more than that, so that a directory
// whose entries change all day (/tmp) can be on the way to a file.
func lstatType(path string) (fs.FileMode, error) {
	info, err := os.Lstat(path)
	if recording.on.Load() {
		note(opType, path, typeSeen(info, err), 0)
	}
	if err != nil {
		return 0, err
	}
	return info.Mode().Type(), nil
}

// openedStat is f.Stat() of the file f opened at path: noted as a stat of
// path, which is what a later look can repeat.
func openedStat(f *os.File, path string) (fs.FileInfo, error) {
	info, err := f.Stat()
	if recording.on.Load() {
		noteInfo(opStat, path, info, err)
	}
	return info, err
}

// entryInfo is e.Info() for the entry e of the directory dir: an lstat of
// its path.
func entryInfo(dir string, e fs.DirEntry) (fs.FileInfo, error) {
	info, err := e.Info()
	if recording.on.Load() {
		noteInfo(opLstat, filepath.Join(dir, e.Name()), info, err)
	}
	return info, err
}

func readDir(dir string) ([]fs.DirEntry, error) {
	entries, err := os.ReadDir(dir)
	if recording.on.Load() {
		note(opList, dir, listingSeen(entries, err), 0)
	}
	return entries, err
}

func evalSymlinks(path string) (string, error) {
	resolved, err := filepath.EvalSymlinks(path)
	if recording.on.Load() {
		note(opResolve, path, resolvedSeen(resolved, err), 0)
	}
	return resolved, err
}

func noteInfo(op byte, path string, info fs.FileInfo, err error) {
	var mtime int64
	if err == nil {
		mtime = info.ModTime().UnixNano()
	}
	note(op, path, infoSeen(info, err), mtime)
}

// What a look saw, as noted and as compared when it is taken again: one
// function per kind of look, for both.

// infoSeen is what a look at a file tells: its mode (type and
// permissions), size and modification time, the look the package index
// trusts for a Go file's record; or how it failed.
func infoSeen(info fs.FileInfo, err error) string {
	if err != nil {
		return errSeen(err)
	}
	b := make([]byte, 0, 40)
	b = strconv.AppendUint(b, uint64(info.Mode()), 16)
	b = append(b, ':')
	b = strconv.AppendInt(b, info.Size(), 10)
	b = append(b, ':')
	b = strconv.AppendInt(b, info.ModTime().UnixNano(), 10)
	return string(b)
}

// typeSeen is the type of what a look found, or how it failed.
func typeSeen(info fs.FileInfo, err error) string {
	if err != nil {
		return errSeen(err)
	}
	return strconv.FormatUint(uint64(info.Mode().Type()), 16)
}

// resolvedSeen is where a path's links lead, or how resolving it failed.
func resolvedSeen(resolved string, err error) string {
	if err != nil {
		return errSeen(err)
	}
	return "=" + resolved
}

// errSeen is a failed look: "-" for nothing there, "!" for any other
// error (permissions, a loop).
func errSeen(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "-"
	}
	return "!"
}

// listingSeen is a digest of a directory's entries (names and types), and
// whether the listing failed: a listing is repeated to be compared, so
// that a directory need not be old for its record to hold.
func listingSeen(entries []fs.DirEntry, err error) string {
	h := fnv.New64a()
	for _, e := range entries {
		t := uint32(e.Type())
		h.Write([]byte(e.Name()))
		h.Write([]byte{0, byte(t >> 24), byte(t >> 16), byte(t >> 8), byte(t)})
	}
	b := make([]byte, 0, 24)
	if err != nil {
		b = append(b, errSeen(err)...)
	}
	b = strconv.AppendInt(b, int64(len(entries)), 10)
	b = append(b, ':')
	b = strconv.AppendUint(b, h.Sum64(), 16)
	return string(b)
}

// lookAgain takes the look o took, and reports whether the disk answers
// the same.
func (o observation) lookAgain() bool {
	var seen string
	switch o.op {
	case opLstat:
		seen = infoSeen(os.Lstat(o.path))
	case opStat:
		seen = infoSeen(os.Stat(o.path))
	case opType:
		seen = typeSeen(os.Lstat(o.path))
	case opList:
		seen = listingSeen(os.ReadDir(o.path))
	case opResolve:
		seen = resolvedSeen(filepath.EvalSymlinks(o.path))
	default:
		return false
	}
	return seen == o.seen
}
