package workspace

import (
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
var goDirIndex = &workspaceIndexes[*indexedGoDir]{
	kind: "godirs", format: "gomodls go directories 2",
	parse: parseGoDirIndex,
	lines: func(dir string, d *indexedGoDir) []string { return d.lines(dir) },
	files: make(map[indexOpening]*workspaceIndex[*indexedGoDir]),
}

// goFileSettle is how old a file's modification time must be, when it is
// read, for its record to be kept.
const goFileSettle = 2 * time.Second

// indexedGoDir is one directory's records as this process knows them.
type indexedGoDir struct {
	mu    sync.Mutex
	files map[string]indexedGoFile // by name
	index *workspaceIndex[*indexedGoDir]
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
// folders, from the workspace's index file; nil when the index is off.
func goDirRecords(folders []string, dir string, limit int64) *indexedGoDir {
	if strings.ContainsAny(dir, "\t\n") {
		return nil
	}
	w := goDirIndex.open(strings.Join(folders, "\t") + "\t" + strconv.FormatInt(limit, 10))
	if w == nil {
		return nil
	}
	d := w.use(dir, func() *indexedGoDir { return new(indexedGoDir) })
	d.mu.Lock()
	d.index = w // the index whose file replace makes stale
	d.mu.Unlock()
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

// count is the number of files d holds a record of.
func (d *indexedGoDir) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.files)
}

// replace makes files the directory's records, to be written at the next
// flush if they differ from those held.
func (d *indexedGoDir) replace(files map[string]indexedGoFile) {
	d.mu.Lock()
	changed := !maps.EqualFunc(d.files, files, sameGoFileRecord)
	if changed {
		d.files = files
	}
	index := d.index
	d.mu.Unlock()
	if changed {
		index.changed()
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

// lines are d's lines in the layout of the index file, for the directory
// dir: none when it holds no Go file.
func (d *indexedGoDir) lines(dir string) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.files) == 0 {
		return nil
	}
	lines := []string{"\t" + dir}
	for _, name := range slices.Sorted(maps.Keys(d.files)) {
		r := d.files[name]
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

// parseGoDirIndex returns the records of a Go directory index file's
// lines; ok false when a line is not what the layout says.
func parseGoDirIndex(lines []string) (map[string]*indexedGoDir, bool) {
	dirs := make(map[string]*indexedGoDir)
	var d *indexedGoDir
	for _, line := range lines {
		if dir, ok := strings.CutPrefix(line, "\t"); ok {
			if dir == "" || dirs[dir] != nil {
				return nil, false
			}
			d = &indexedGoDir{files: make(map[string]indexedGoFile)}
			dirs[dir] = d
			continue
		}
		r, ok := parseGoFileRecord(line)
		if !ok || d == nil {
			return nil, false
		}
		d.files[r.file.name] = r
	}
	return dirs, true
}

func parseGoFileRecord(line string) (indexedGoFile, bool) {
	// Cut, not Split: an index holds a line for each Go file of the
	// workspace, read by every new process, and a slice per line and per
	// import list was most of the reading's allocations.
	var fields [8]string
	rest := line
	for i := range 7 {
		var ok bool
		if fields[i], rest, ok = strings.Cut(rest, "\t"); !ok {
			return indexedGoFile{}, false
		}
	}
	if strings.Contains(rest, "\t") {
		return indexedGoFile{}, false
	}
	fields[7] = rest
	size, err1 := strconv.ParseInt(fields[1], 10, 64)
	mtime, err2 := strconv.ParseInt(fields[2], 10, 64)
	mode, err3 := strconv.ParseUint(fields[3], 10, 32)
	if err1 != nil || err2 != nil || err3 != nil {
		return indexedGoFile{}, false
	}
	r := indexedGoFile{size: size, mtime: mtime, mode: fs.FileMode(mode), parsed: fields[4] == "1",
		file: goFile{name: fields[0], custom: fields[5] == "1", ignored: fields[6] == "1"}}
	if imps := fields[7]; imps != "" {
		if strings.HasSuffix(imps, " ") {
			return indexedGoFile{}, false // an empty import, as Split would have found
		}
		r.file.imports = make([]goImport, 0, strings.Count(imps, " ")+1)
		for imps != "" {
			var imp string
			imp, imps, _ = strings.Cut(imps, " ")
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
