package workspace

import (
	"errors"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The package index also keeps what the workspace's own Go files import
// (goDir), directory by directory, for the next process: a module's Go
// files change, so each record is of one file as it was (size,
// modification time, mode) and serves only while a look at the file (the
// lstat a directory listing gives) says the same. A file modified less
// than goFileSettle before it was read is not recorded: within the
// resolution of a modification time, a second edit of the same size
// could not be told from the first (the go command's module index has
// the same rule). Only regular files are recorded (a symbolic link's own
// time says nothing of its target's).
var goDirIndex = struct {
	mu   sync.Mutex
	dirs map[goDirKey]*indexedGoDir
}{dirs: make(map[goDirKey]*indexedGoDir)}

const goDirIndexFormat = "gomodls go directory 1"

// goFileSettle is how old a file's modification time must be, when it is
// read, for its record to be kept.
const goFileSettle = 2 * time.Second

type goDirKey struct {
	dir   string // absolute, clean
	limit int64  // the read limit (Limits.FileSize)
}

// indexedGoDir is one directory's records as this process knows them: the
// file's, read on first use, then those of the directory's last read.
type indexedGoDir struct {
	load    sync.Once
	mu      sync.Mutex
	files   map[string]indexedGoFile // by name
	pending bool                     // files is not what the index file holds
}

// indexedGoFile is one Go file's record: the look it was read under, and
// what it gave (file; parsed false when it could not be parsed at all).
type indexedGoFile struct {
	size, mtime int64 // bytes; Unix nanoseconds
	mode        fs.FileMode
	parsed      bool
	file        goFile
}

// goDirRecords returns the records of dir, read from its index file on
// first use; nil when the index is off.
func goDirRecords(dir string, limit int64) (*indexedGoDir, string) {
	packageIndex.mu.Lock()
	index := packageIndex.dir
	packageIndex.mu.Unlock()
	if index == "" || strings.ContainsAny(dir, "\t\n") {
		return nil, ""
	}
	key := goDirKey{dir, limit}
	goDirIndex.mu.Lock()
	d := goDirIndex.dirs[key]
	if d == nil {
		d = new(indexedGoDir)
		goDirIndex.dirs[key] = d
	}
	goDirIndex.mu.Unlock()
	d.load.Do(func() { d.files = readGoDirIndex(goDirIndexFile(index, key)) })
	return d, index
}

// lookup returns the record of the file name if info, its look now,
// matches the one it was read under.
func (d *indexedGoDir) lookup(name string, info fs.FileInfo) (indexedGoFile, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	r, ok := d.files[name]
	return r, ok && r.size == info.Size() && r.mtime == info.ModTime().UnixNano() && r.mode == info.Mode()
}

// replace makes files the directory's records, to be written at the next
// flush if they differ from those held.
func (d *indexedGoDir) replace(files map[string]indexedGoFile) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !maps.EqualFunc(d.files, files, sameGoFileRecord) {
		d.files, d.pending = files, true
	}
}

func sameGoFileRecord(a, b indexedGoFile) bool {
	return a.size == b.size && a.mtime == b.mtime && a.mode == b.mode && a.parsed == b.parsed
}

// recordable reports whether f, read at now with this look, may be
// recorded, and in the layout of the file.
func recordable(info fs.FileInfo, f goFile, now time.Time) bool {
	if !info.Mode().IsRegular() || now.Sub(info.ModTime()) < goFileSettle || f.name != "" && strings.ContainsAny(f.name, "\t\n") {
		return false
	}
	for _, imp := range f.imports {
		if imp.path == "" || strings.ContainsAny(imp.path, " \t\n") {
			return false
		}
	}
	return true
}

// flushGoDirIndex writes the index files of the directories whose records
// changed in this process, below index.
func flushGoDirIndex(index string) error {
	goDirIndex.mu.Lock()
	type pendingDir struct {
		key   goDirKey
		files map[string]indexedGoFile
	}
	var pending []pendingDir
	for key, d := range goDirIndex.dirs {
		d.mu.Lock()
		if d.pending {
			pending = append(pending, pendingDir{key, d.files})
			d.pending = false
		}
		d.mu.Unlock()
	}
	goDirIndex.mu.Unlock()
	var errs []error
	for _, p := range pending {
		var records []string
		for _, name := range slices.Sorted(maps.Keys(p.files)) {
			r := p.files[name]
			var imps []string
			for _, imp := range r.file.imports {
				imps = append(imps, strconv.Itoa(imp.line)+":"+imp.path)
			}
			records = append(records, strings.Join([]string{
				name, strconv.FormatInt(r.size, 10), strconv.FormatInt(r.mtime, 10), strconv.FormatUint(uint64(r.mode), 10),
				flag(r.parsed), flag(r.file.custom), flag(r.file.ignored), strings.Join(imps, " "),
			}, "\t"))
		}
		if err := goDirIndexFile(index, p.key).write(records); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// The layout of a Go directory's index file:
//
//	gomodls go directory 1
//	<directory>\t<limit>
//	<name>\t<size>\t<mtime>\t<mode>\t<parsed>\t<custom tags>\t<ignored>\t<line>:<import> …
//	…
//
// with one line per Go file, sorted, and flags 0 or 1.
func goDirIndexFile(index string, key goDirKey) indexFile {
	return newIndexFile(index, "godirs", goDirIndexFormat, key.dir+"\t"+strconv.FormatInt(key.limit, 10))
}

// readGoDirIndex returns the records of f: none when it is missing or is
// not in every line what flushGoDirIndex writes.
func readGoDirIndex(f indexFile) map[string]indexedGoFile {
	files := make(map[string]indexedGoFile)
	lines, _ := f.read()
	for _, line := range lines {
		r, ok := parseGoFileRecord(line)
		if !ok {
			clear(files)
			return files
		}
		files[r.file.name] = r
	}
	return files
}

func parseGoFileRecord(line string) (indexedGoFile, bool) {
	fields := strings.Split(line, "\t")
	if len(fields) != 8 {
		return indexedGoFile{}, false
	}
	size, err1 := strconv.ParseInt(fields[1], 10, 64)
	mtime, err2 := strconv.ParseInt(fields[2], 10, 64)
	mode, err3 := strconv.ParseUint(fields[3], 10, 32)
	if err1 != nil || err2 != nil || err3 != nil {
		return indexedGoFile{}, false
	}
	r := indexedGoFile{size: size, mtime: mtime, mode: fs.FileMode(mode), parsed: fields[4] == "1",
		file: goFile{name: fields[0], custom: fields[5] == "1", ignored: fields[6] == "1"}}
	if fields[7] != "" {
		for _, imp := range strings.Split(fields[7], " ") {
			l, path, ok := strings.Cut(imp, ":")
			line, err := strconv.Atoi(l)
			if !ok || err != nil || path == "" {
				return indexedGoFile{}, false
			}
			r.file.imports = append(r.file.imports, goImport{path, line})
		}
	}
	return r, true
}
