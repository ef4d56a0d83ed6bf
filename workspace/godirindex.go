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
//
// One index file per workspace (the session's folders and the read
// limit), holding the records of the directories the process read: a
// check reads one file, not one per directory (a few hundred on etcd).
var goDirIndex = struct {
	mu    sync.Mutex
	files map[goDirIndexKey]*indexedGoDirs
}{files: make(map[goDirIndexKey]*indexedGoDirs)}

const goDirIndexFormat = "gomodls go directories 2"

// goFileSettle is how old a file's modification time must be, when it is
// read, for its record to be kept.
const goFileSettle = 2 * time.Second

type goDirIndexKey struct {
	folders string // the session's folders, tab-separated
	limit   int64  // the read limit (Limits.FileSize)
}

// indexedGoDirs is one workspace's Go directory index as this process
// knows it: the file's records, read on first use, then those of each
// directory's last read.
type indexedGoDirs struct {
	load sync.Once
	mu   sync.Mutex
	dirs map[string]*indexedGoDir // by absolute, clean directory
	// inFile are the directories the file holds records of, and used
	// those the process read: the file is written again when a read
	// changed a directory's records or a directory in it was not read.
	inFile, used map[string]bool
}

// indexedGoDir is one directory's records as this process knows them.
type indexedGoDir struct {
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

// goDirRecords returns the records of dir for a session with these
// folders, read from the workspace's index file on first use; nil when
// the index is off.
func goDirRecords(folders []string, dir string, limit int64) *indexedGoDir {
	packageIndex.mu.Lock()
	index := packageIndex.dir
	packageIndex.mu.Unlock()
	key := goDirIndexKey{strings.Join(folders, "\t"), limit}
	if index == "" || strings.ContainsAny(dir, "\t\n") || strings.Contains(key.folders, "\n") {
		return nil
	}
	goDirIndex.mu.Lock()
	idx := goDirIndex.files[key]
	if idx == nil {
		idx = &indexedGoDirs{used: make(map[string]bool)}
		goDirIndex.files[key] = idx
	}
	goDirIndex.mu.Unlock()
	idx.load.Do(func() {
		idx.dirs = readGoDirIndex(goDirIndexFile(index, key))
		idx.inFile = make(map[string]bool, len(idx.dirs))
		for dir := range idx.dirs {
			idx.inFile[dir] = true
		}
	})
	idx.mu.Lock()
	defer idx.mu.Unlock()
	d := idx.dirs[dir]
	if d == nil {
		d = new(indexedGoDir)
		idx.dirs[dir] = d
	}
	idx.used[dir] = true
	return d
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

// flushGoDirIndex writes the workspaces' index files whose records changed
// in this process, below index: the records of the directories the
// process read, and no others.
func flushGoDirIndex(index string) error {
	type pendingFile struct {
		key     goDirIndexKey
		records []string
	}
	var pending []pendingFile
	goDirIndex.mu.Lock()
	for key, idx := range goDirIndex.files {
		idx.mu.Lock()
		changed := false
		for dir := range idx.inFile {
			changed = changed || !idx.used[dir]
		}
		for dir := range idx.used {
			d := idx.dirs[dir]
			d.mu.Lock()
			changed = changed || d.pending
			d.mu.Unlock()
		}
		if changed {
			var records []string
			idx.inFile = make(map[string]bool)
			for _, dir := range slices.Sorted(maps.Keys(idx.used)) {
				d := idx.dirs[dir]
				d.mu.Lock()
				d.pending = false
				if len(d.files) > 0 {
					records = append(records, "\t"+dir)
					records = append(records, goFileLines(d.files)...)
					idx.inFile[dir] = true
				}
				d.mu.Unlock()
			}
			maps.DeleteFunc(idx.dirs, func(dir string, _ *indexedGoDir) bool { return !idx.used[dir] })
			pending = append(pending, pendingFile{key, records})
		}
		idx.mu.Unlock()
	}
	goDirIndex.mu.Unlock()
	var errs []error
	for _, p := range pending {
		if err := goDirIndexFile(index, p.key).write(p.records); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// goFileLines are the lines of files in the layout of the index file.
func goFileLines(files map[string]indexedGoFile) []string {
	var lines []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		r := files[name]
		var imps []string
		for _, imp := range r.file.imports {
			imps = append(imps, strconv.Itoa(imp.line)+":"+imp.path)
		}
		lines = append(lines, strings.Join([]string{
			name, strconv.FormatInt(r.size, 10), strconv.FormatInt(r.mtime, 10), strconv.FormatUint(uint64(r.mode), 10),
			flag(r.parsed), flag(r.file.custom), flag(r.file.ignored), strings.Join(imps, " "),
		}, "\t"))
	}
	return lines
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// The layout of a workspace's Go directory index file:
//
//	gomodls go directories 2
//	<folder>\t<folder>…\t<limit>
//	\t<directory>
//	<name>\t<size>\t<mtime>\t<mode>\t<parsed>\t<custom tags>\t<ignored>\t<line>:<import> …
//	…
//
// with a line for each directory (a tab, then the directory; a name is
// never empty), sorted, each followed by one line per Go file of it,
// sorted, and flags 0 or 1.
func goDirIndexFile(index string, key goDirIndexKey) indexFile {
	return newIndexFile(index, "godirs", goDirIndexFormat, key.folders+"\t"+strconv.FormatInt(key.limit, 10))
}

// readGoDirIndex returns the records of f: none when it is missing or is
// not in every line what flushGoDirIndex writes.
func readGoDirIndex(f indexFile) map[string]*indexedGoDir {
	dirs := make(map[string]*indexedGoDir)
	lines, _ := f.read()
	var d *indexedGoDir
	for _, line := range lines {
		if dir, ok := strings.CutPrefix(line, "\t"); ok {
			if dir == "" || dirs[dir] != nil {
				clear(dirs)
				return dirs
			}
			d = &indexedGoDir{files: make(map[string]indexedGoFile)}
			dirs[dir] = d
			continue
		}
		r, ok := parseGoFileRecord(line)
		if !ok || d == nil {
			clear(dirs)
			return dirs
		}
		d.files[r.file.name] = r
	}
	return dirs
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
