package workspace

import (
	"errors"
	"io/fs"
	"maps"
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
// rest of what it reads. A .mod file some graph parsed is kept as the
// digest of its parse instead (goModDigest), which also spares the next
// process the parse.
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
var downloadIndex = &workspaceIndexes[*downloadDir]{
	kind: "downloads", format: "gomodls module downloads 2",
	parse: parseDownloadIndex,
	lines: func(rel string, d *downloadDir) []string { return []string{d.line(rel)} },
	files: make(map[indexOpening]*workspaceIndex[*downloadDir]),
}

// downloadDir is one @v directory as a look found it. files grows as the
// directory's files are read, digests as its .mod files are parsed (a
// file with a digest has no content kept).
type downloadDir struct {
	mtime   int64    // Unix nanoseconds
	names   []string // its entries, sorted
	mu      sync.Mutex
	files   map[string]string
	digests map[string]string
}

// noDownloads is the record of a missing @v directory: nothing there.
var noDownloads = &downloadDir{}

// downloadView is what a session knows of one @v directory from the
// index; the zero view knows nothing (the index is off, or the directory
// cannot be recorded), and every file is to be read.
type downloadView struct {
	index *workspaceIndex[*downloadDir]
	dir   *downloadDir
}

func (v downloadView) known() bool { return v.dir != nil }

// has reports whether the directory holds name.
func (v downloadView) has(name string) bool {
	_, ok := slices.BinarySearch(v.dir.names, name)
	return ok
}

// file returns the recorded content of name.
func (v downloadView) file(name string) (string, bool) {
	v.dir.mu.Lock()
	defer v.dir.mu.Unlock()
	data, ok := v.dir.files[name]
	return data, ok
}

// digest returns the recorded digest of name (goModDigest).
func (v downloadView) digest(name string) (string, bool) {
	v.dir.mu.Lock()
	defer v.dir.mu.Unlock()
	d, ok := v.dir.digests[name]
	return d, ok
}

// recordDigest keeps digest, made from name, for the next process in
// place of name's content.
func (v downloadView) recordDigest(name, digest string) {
	if !v.known() || !v.has(name) {
		return
	}
	v.dir.mu.Lock()
	changed := v.dir.digests[name] != digest
	if changed {
		if v.dir.digests == nil {
			v.dir.digests = make(map[string]string)
		}
		v.dir.digests[name] = digest
		delete(v.dir.files, name)
	}
	v.dir.mu.Unlock()
	if changed {
		v.index.changed()
	}
}

// record keeps data, just read from name, for the next process.
func (v downloadView) record(name string, data []byte) {
	if !v.known() || !v.has(name) {
		return
	}
	v.dir.mu.Lock()
	_, had := v.dir.files[name]
	if _, digested := v.dir.digests[name]; digested {
		had = true
	}
	if !had {
		v.dir.files[name] = string(data)
	}
	v.dir.mu.Unlock()
	if !had {
		v.index.changed()
	}
}

// versions lists the versions whose .mod the directory holds, as
// readCachedVersions would.
func (v downloadView) versions() []string { return cachedVersions(v.dir.names) }

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
	if idx == nil || filepath.Base(dir) != "@v" || !Within(dir, r.download) {
		return downloadView{}, false
	}
	rel, err := filepath.Rel(r.download, dir)
	if err != nil || strings.ContainsAny(rel, " \t\n") {
		return downloadView{}, false
	}
	rel = filepath.ToSlash(rel)
	info, err := lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		// Nothing downloaded for the module path (a go.work.sum names many
		// such): every file is missing, without a look at each.
		return downloadView{dir: noDownloads}, false
	}
	if err != nil || !info.IsDir() {
		return downloadView{}, false
	}
	mtime := info.ModTime().UnixNano()
	if d, ok := idx.useIf(rel, func(d *downloadDir) bool { return d.mtime == mtime }); ok {
		return downloadView{idx, d}, true
	}
	if time.Since(info.ModTime()) < goFileSettle {
		return downloadView{}, false
	}
	entries, err := readDir(dir)
	if err != nil {
		return downloadView{}, false
	}
	d := &downloadDir{mtime: mtime, files: make(map[string]string)}
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.ContainsAny(e.Name(), " \t\n") || strings.HasPrefix(e.Name(), "=") {
			return downloadView{}, false
		}
		d.names = append(d.names, e.Name())
	}
	idx.put(rel, d)
	return downloadView{idx, d}, false
}

// downloadIndex returns the download index of r's workspace; nil when the
// index is off or r has no module cache.
func (r diskReader) downloadIndex() *workspaceIndex[*downloadDir] {
	if r.download == "" {
		return nil
	}
	return downloadIndex.open(r.downloadKey)
}

// The layout of a workspace's download index file:
//
//	gomodls module downloads 2
//	<download area>\t<limit>\t<folder>\t<folder>…
//	<@v directory below the download area>\t<mtime>\t<names>[\t<name> <quoted content>|\t=<name> <digest>]…
//	…
//
// with one line per directory, sorted; names are space-separated (none
// begins with "="), a file's content is quoted as strconv.Quote does, and
// a digest (goModDigest) holds no tab or newline.

// line is d's line in the layout of the file, for the directory rel.
func (d *downloadDir) line(rel string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
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
	for _, name := range slices.Sorted(maps.Keys(d.digests)) {
		b.WriteString("\t=")
		b.WriteString(name)
		b.WriteByte(' ')
		b.WriteString(d.digests[name])
	}
	return b.String()
}

// parseDownloadIndex returns the records of a download index file's
// lines; ok false when a line is not what the layout says.
func parseDownloadIndex(lines []string) (map[string]*downloadDir, bool) {
	dirs := make(map[string]*downloadDir)
	for _, line := range lines {
		rel, d, ok := parseDownloadDir(line)
		if !ok {
			return nil, false
		}
		dirs[rel] = d
	}
	return dirs, true
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
		if digested, ok := strings.CutPrefix(f, "="); ok {
			name, digest, ok := strings.Cut(digested, " ")
			if !ok || strings.ContainsAny(digest, "\n") {
				return "", nil, false
			}
			if d.digests == nil {
				d.digests = make(map[string]string)
			}
			d.digests[name] = digest
			continue
		}
		name, quoted, ok := strings.Cut(f, " ")
		data, err := strconv.Unquote(quoted)
		if !ok || err != nil {
			return "", nil, false
		}
		d.files[name] = data
	}
	return fields[0], d, true
}

// DownloadsLook returns a token for what the module cache's download area
// holds for the module path: equal tokens, in this process or another,
// mean the same files there, whose contents never change (see the download
// index). "" when that cannot be told: the package index is off, GOMODCACHE
// is unknown, or the directory cannot be recorded (modified too recently,
// holding anything but regular files). A result derived from those files
// (ModuleCacheSum's answers) holds while the tokens of the paths it read
// are the same.
func (s *Snapshot) DownloadsLook(path string) string {
	dir, ok := s.downloadDirOf(path)
	if !ok {
		return ""
	}
	v := s.lazy.downloadDir(dir)
	switch {
	case !v.known():
		return ""
	case v.dir == noDownloads:
		return "none"
	}
	return strconv.FormatInt(v.dir.mtime, 10)
}
