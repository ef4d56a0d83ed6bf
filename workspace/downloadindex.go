package workspace

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The package index also keeps, for the next process, what the module
// cache's download area holds: for each @v directory a check used (one
// per module path), its entries' names and the .mod and .ziphash files
// read from it. A check of a workspace otherwise reads a thousand small
// files there — the go.mod of every version in the module graph, the
// ziphash of every go.sum line, most of them missing — each costing a
// symbolic-link resolution, a stat, an open and a read: more than all the
// rest of what it reads.
//
// The go command writes a version's files there once, each under a
// temporary name renamed into place, and never rewrites them; adding or
// removing one (a download, go clean -modcache) changes the directory's
// modification time. So a record is of one directory as it was (its
// modification time) and serves only while a look at it (one lstat per
// process, and again after any reported change, since nothing watches the
// module cache) finds the same time; then the names say what is missing
// without a look, and the recorded files are what reading them would
// give. As for Go files (goFileSettle), a directory modified less than
// goFileSettle before its listing is not recorded, and one holding
// anything but regular files is never recorded.
//
// An answer from a record reads nothing, so it does not go through the
// confinement rule: it is what reading the file through the rule gave
// when recorded (a file that resolved outside the module cache is not
// recorded).
//
// One index file per workspace (module cache, read limit and the
// session's folders), holding the directories its last whole run used:
// a shared module cache holds many workspaces' modules, of which one
// check needs a few hundred directories.
var downloadIndex = struct {
	mu    sync.Mutex
	files map[downloadIndexKey]*indexedDownloads
}{files: make(map[downloadIndexKey]*indexedDownloads)}

const downloadIndexFormat = "gomodls module downloads 1"

type downloadIndexKey struct {
	download string // the download area, $GOMODCACHE/cache/download, clean
	limit    int64  // the read limit (Limits.FileSize)
	folders  string // the session's folders, tab-separated
}

// indexedDownloads is one workspace's download index as this process knows
// it: the file's records, read on first use, and those recorded since.
type indexedDownloads struct {
	load sync.Once
	mu   sync.Mutex
	dirs map[string]*downloadDir // by @v directory below the download area, slash-separated
	used map[string]bool         // the directories this process looked at
	// pending says the file does not hold what the process used: a
	// directory recorded or a file added since it was read, or records
	// no look used.
	pending bool
}

// downloadDir is one @v directory as a look found it. files grows as the
// directory's files are read, under the indexedDownloads' mu.
type downloadDir struct {
	mtime int64    // Unix nanoseconds
	names []string // its entries, sorted
	files map[string]string
}

// noDownloads is the record of a missing @v directory: nothing there.
var noDownloads = &downloadDir{}

// downloadView is what a session knows of one @v directory from the
// index; the zero view knows nothing (the index is off, or the directory
// cannot be recorded), and every file is to be read.
type downloadView struct {
	idx *indexedDownloads
	dir *downloadDir
}

func (v downloadView) known() bool { return v.dir != nil }

// has reports whether the directory holds name.
func (v downloadView) has(name string) bool {
	_, ok := slices.BinarySearch(v.dir.names, name)
	return ok
}

// file returns the recorded content of name.
func (v downloadView) file(name string) (string, bool) {
	v.idx.mu.Lock()
	defer v.idx.mu.Unlock()
	data, ok := v.dir.files[name]
	return data, ok
}

// record keeps data, just read from name, for the next process.
func (v downloadView) record(name string, data []byte) {
	if !v.known() || !v.has(name) {
		return
	}
	v.idx.mu.Lock()
	defer v.idx.mu.Unlock()
	if _, ok := v.dir.files[name]; !ok {
		v.dir.files[name] = string(data)
		v.idx.pending = true
	}
}

// versions lists the versions whose .mod the directory holds, as
// readCachedVersions would.
func (v downloadView) versions() []string {
	var names []string
	for _, n := range v.dir.names {
		if strings.HasSuffix(n, ".mod") {
			names = append(names, n)
		}
	}
	return cachedVersions(names)
}

// downloadDir returns the index's view of dir, an @v directory of the
// download area, looked at once for the cache's life (every reported
// change looks again).
func (c *diskCache) downloadDir(dir string) downloadView {
	return lookup(c, diskDownloadDir, dir, func() (downloadView, diskRead) {
		v, indexed := c.reader.lookDownloadDir(dir)
		return v, diskRead{indexed: indexed}
	})
}

// lookDownloadDir looks at dir and returns the record that matches what it
// finds, recording a new one if none does; indexed says the record came
// from the index file or an earlier look of the process.
func (r diskReader) lookDownloadDir(dir string) (downloadView, bool) {
	idx := r.downloadIndex()
	if idx == nil || filepath.Base(dir) != "@v" {
		return downloadView{}, false
	}
	rel, err := filepath.Rel(r.download, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || strings.ContainsAny(rel, " \t\n") {
		return downloadView{}, false
	}
	rel = filepath.ToSlash(rel)
	info, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		// Nothing downloaded for the module path (a go.work.sum names many
		// such): every file is missing, without a look at each.
		return downloadView{dir: noDownloads}, false
	}
	if err != nil || !info.IsDir() {
		return downloadView{}, false
	}
	mtime := info.ModTime().UnixNano()
	idx.mu.Lock()
	if d := idx.dirs[rel]; d != nil && d.mtime == mtime {
		if !idx.used[rel] {
			idx.used[rel] = true
		}
		idx.mu.Unlock()
		return downloadView{idx, d}, true
	}
	idx.mu.Unlock()
	if time.Since(info.ModTime()) < goFileSettle {
		return downloadView{}, false
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return downloadView{}, false
	}
	d := &downloadDir{mtime: mtime, files: make(map[string]string)}
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.ContainsAny(e.Name(), " \t\n") {
			return downloadView{}, false
		}
		d.names = append(d.names, e.Name())
	}
	idx.mu.Lock()
	idx.dirs[rel] = d
	idx.used[rel] = true
	idx.pending = true
	idx.mu.Unlock()
	return downloadView{idx, d}, false
}

// downloadIndex returns the download index of r's workspace, read from its
// file on first use; nil when the index is off or r has no module cache.
func (r diskReader) downloadIndex() *indexedDownloads {
	packageIndex.mu.Lock()
	index := packageIndex.dir
	packageIndex.mu.Unlock()
	if index == "" || r.download == "" {
		return nil
	}
	key := downloadIndexKey{r.download, r.limits.FileSize, strings.Join(r.folders, "\t")}
	if strings.ContainsAny(key.download+key.folders, "\n") {
		return nil
	}
	downloadIndex.mu.Lock()
	idx := downloadIndex.files[key]
	if idx == nil {
		idx = &indexedDownloads{used: make(map[string]bool)}
		downloadIndex.files[key] = idx
	}
	downloadIndex.mu.Unlock()
	idx.load.Do(func() { idx.dirs = readDownloadIndex(downloadIndexFile(index, key)) })
	return idx
}

// flushDownloadIndex writes the download index files that do not hold
// what this process used: the directories it looked at, and no others.
func flushDownloadIndex(index string) error {
	type pendingFile struct {
		key     downloadIndexKey
		records []string
	}
	var pending []pendingFile
	downloadIndex.mu.Lock()
	for key, idx := range downloadIndex.files {
		idx.mu.Lock()
		if idx.pending || len(idx.dirs) != len(idx.used) {
			var records []string
			for _, rel := range slices.Sorted(maps.Keys(idx.used)) {
				records = append(records, idx.dirs[rel].line(rel))
			}
			maps.DeleteFunc(idx.dirs, func(rel string, _ *downloadDir) bool { return !idx.used[rel] })
			idx.pending = false
			pending = append(pending, pendingFile{key, records})
		}
		idx.mu.Unlock()
	}
	downloadIndex.mu.Unlock()
	var errs []error
	for _, p := range pending {
		if err := downloadIndexFile(index, p.key).write(p.records); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// The layout of a workspace's download index file:
//
//	gomodls module downloads 1
//	<download area>\t<limit>\t<folder>\t<folder>…
//	<@v directory below the download area>\t<mtime>\t<names>[\t<name> <quoted content>]…
//	…
//
// with one line per directory, sorted; names are space-separated, and a
// file's content is quoted as strconv.Quote does.
func downloadIndexFile(index string, key downloadIndexKey) indexFile {
	return newIndexFile(index, "downloads", downloadIndexFormat, key.download+"\t"+strconv.FormatInt(key.limit, 10)+"\t"+key.folders)
}

// line is d's line in the layout of the file, for the directory rel.
func (d *downloadDir) line(rel string) string {
	var b strings.Builder
	b.WriteString(rel)
	b.WriteByte('\t')
	b.WriteString(strconv.FormatInt(d.mtime, 10))
	b.WriteByte('\t')
	b.WriteString(strings.Join(d.names, " "))
	for _, name := range slices.Sorted(maps.Keys(d.files)) {
		b.WriteByte('\t')
		b.WriteString(name)
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(d.files[name]))
	}
	return b.String()
}

// readDownloadIndex returns the records of f: none when it is missing or is
// not in every line what flushDownloadIndex writes.
func readDownloadIndex(f indexFile) map[string]*downloadDir {
	dirs := make(map[string]*downloadDir)
	lines, _ := f.read()
	for _, line := range lines {
		rel, d, ok := parseDownloadDir(line)
		if !ok {
			clear(dirs)
			return dirs
		}
		dirs[rel] = d
	}
	return dirs
}

func parseDownloadDir(line string) (string, *downloadDir, bool) {
	fields := strings.Split(line, "\t")
	if len(fields) < 3 || fields[0] == "" {
		return "", nil, false
	}
	mtime, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		return "", nil, false
	}
	d := &downloadDir{mtime: mtime, files: make(map[string]string)}
	if fields[2] != "" {
		d.names = strings.Split(fields[2], " ")
	}
	if !slices.IsSorted(d.names) {
		return "", nil, false
	}
	for _, f := range fields[3:] {
		name, quoted, ok := strings.Cut(f, " ")
		data, err := strconv.Unquote(quoted)
		if !ok || err != nil {
			return "", nil, false
		}
		d.files[name] = data
	}
	return fields[0], d, true
}
