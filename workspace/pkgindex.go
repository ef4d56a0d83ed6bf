package workspace

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// The package index keeps, across processes, what the packages of the
// module cache's extracted modules import (PackageImports of a directory
// $GOMODCACHE/<module>@<version>/…): a new process — every gomodls check,
// every server start — otherwise reads and parses the head of every Go
// file of every package a module's build needs, thousands of files, to
// learn the same answer again.
//
// Like the go command's own module index (cmd/go/internal/modindex), it
// trusts that an extracted module never changes: the go command writes it
// once, read-only, after checking the zip against go.sum, and a module
// removed by go clean -modcache comes back with the same files. So a
// record is keyed by the module cache, the module directory and the read
// limit alone, and never checked against the files. Directories outside
// the module cache (the workspace's own modules, replacement directories)
// change and are never indexed.
//
// One file per module version, holding the packages of it that some
// process has needed, so that a process reads the index of the modules it
// uses and nothing of the rest of a large, shared module cache. A file is
// written whole, to a temporary name then renamed, by FlushPackageIndex;
// a process that finds a file it cannot read as a whole ignores it, and a
// write lost to another process's rename costs that process's reads again
// next time, nothing else.
var packageIndex = struct {
	mu      sync.Mutex
	dir     string // "" when off
	modules map[indexKey]*indexedModule
}{modules: make(map[indexKey]*indexedModule)}

// packageIndexFormat is the first line of every index file. Its number
// changes whenever a record would mean something else: the file layout or
// what readPackage answers for the same files.
const packageIndexFormat = "gomodls package imports 1"

type indexKey struct {
	gomodcache string // clean, as the session's Env gives it
	root       string // the module's directory below gomodcache, slash-separated: "github.com/!foo/bar@v1.2.3"
	limit      int64  // the read limit the records were made with (Limits.FileSize)
}

// indexedModule is the index of one module version, as this process knows
// it: the file's records, read on first use, and the packages read since.
type indexedModule struct {
	load    sync.Once
	mu      sync.Mutex
	pkgs    map[string]*PackageFiles // by directory below the root, slash-separated; "" for the root
	pending bool                     // pkgs holds packages the file may not
}

// SetPackageIndexDir makes the process keep its package index in dir,
// created when first written; "" turns the index off, which is the
// default. The presenters set it (cmd/gomodls: $GOMODLS_CACHE or the
// user's cache directory); the library's tests leave it off.
func SetPackageIndexDir(dir string) {
	packageIndex.mu.Lock()
	defer packageIndex.mu.Unlock()
	if dir != packageIndex.dir {
		packageIndex.dir = dir
		clear(packageIndex.modules)
		goDirIndex.forget()
		downloadIndex.forget()
		derivedIndex.forget()
	}
}

// indexDir is the package index's directory, "" when it is off.
func indexDir() string {
	packageIndex.mu.Lock()
	defer packageIndex.mu.Unlock()
	return packageIndex.dir
}

// indexedModuleOf returns the index of the module holding dir, a package
// directory of the module cache gomodcache, and dir's path below the
// module's root; nil when the index is off or dir lies in no module
// version's directory.
func indexedModuleOf(gomodcache string, limit int64, dir string) (*indexedModule, string) {
	rel, err := filepath.Rel(gomodcache, dir)
	if err != nil {
		return nil, ""
	}
	elems := strings.Split(filepath.ToSlash(rel), "/")
	i := slices.IndexFunc(elems, func(e string) bool { return strings.Contains(e, "@") })
	if i < 0 || elems[0] == ".." || strings.ContainsAny(gomodcache, "\t\n") {
		return nil, ""
	}
	key := indexKey{gomodcache, strings.Join(elems[:i+1], "/"), limit}
	packageIndex.mu.Lock()
	defer packageIndex.mu.Unlock()
	if packageIndex.dir == "" {
		return nil, ""
	}
	m := packageIndex.modules[key]
	if m == nil {
		m = new(indexedModule)
		packageIndex.modules[key] = m
	}
	m.load.Do(func() { m.pkgs = readModuleIndex(moduleIndexFile(packageIndex.dir, key)) })
	return m, strings.Join(elems[i+1:], "/")
}

// indexedPackage returns the index's record of the package in dir, a
// directory of an extracted module of gomodcache.
func indexedPackage(gomodcache string, limit int64, dir string) (*PackageFiles, bool) {
	m, sub := indexedModuleOf(gomodcache, limit, dir)
	if m == nil {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	pf, ok := m.pkgs[sub]
	return pf, ok
}

// indexPackage records pf, just read from dir, for FlushPackageIndex to
// write. Only a directory holding Go files is recorded (a missing one may
// be a module not yet extracted), and only when every import path can be
// written in the file's layout, as every valid one can.
func indexPackage(gomodcache string, limit int64, dir string, pf *PackageFiles) {
	if !pf.Found || slices.ContainsFunc(slices.Concat(pf.Imports, pf.TestImports), func(p string) bool {
		return p == "" || strings.ContainsAny(p, " \t\n")
	}) {
		return
	}
	m, sub := indexedModuleOf(gomodcache, limit, dir)
	if m == nil || strings.ContainsAny(sub, "\t\n") {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pkgs[sub] = pf
	m.pending = true
}

// FlushPackageIndex writes what this process read that the package index
// did not hold: the files of the module versions whose packages it read,
// each merged with what the file holds by then (another process may have
// written it), and those of the workspace's Go directories it read again
// (goDirIndex). Nothing depends on its success; the error is for the log.
func FlushPackageIndex() error {
	listingReads.wait()
	packageIndex.mu.Lock()
	dir := packageIndex.dir
	type pendingModule struct {
		key  indexKey
		pkgs map[string]*PackageFiles
	}
	var pending []pendingModule
	for key, m := range packageIndex.modules {
		m.mu.Lock()
		if m.pending {
			pending = append(pending, pendingModule{key, maps.Clone(m.pkgs)})
			m.pending = false
		}
		m.mu.Unlock()
	}
	packageIndex.mu.Unlock()
	var errs []error
	for _, p := range pending {
		f := moduleIndexFile(dir, p.key)
		for sub, pf := range readModuleIndex(f) {
			if _, ok := p.pkgs[sub]; !ok {
				p.pkgs[sub] = pf
			}
		}
		var records []string
		for _, sub := range slices.Sorted(maps.Keys(p.pkgs)) {
			pf := p.pkgs[sub]
			records = append(records, sub+"\t"+strings.Join(pf.Imports, " ")+"\t"+strings.Join(pf.TestImports, " "))
		}
		if err := f.write(records); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, goDirIndex.flush(), downloadIndex.flush(), derivedIndex.flush())
	errs = append(errs, trimIndex(dir, time.Now()))
	return errors.Join(errs...)
}

// packageIndexStale reports whether FlushPackageIndex would write a file:
// the process read what the index did not hold, or no longer needs what
// it holds.
func packageIndexStale() bool {
	listingReads.wait()
	packageIndex.mu.Lock()
	for _, m := range packageIndex.modules {
		m.mu.Lock()
		pending := m.pending
		m.mu.Unlock()
		if pending {
			packageIndex.mu.Unlock()
			return true
		}
	}
	packageIndex.mu.Unlock()
	return goDirIndex.stale() || downloadIndex.stale() || derivedIndex.stale()
}

// The index is trimmed like the go command's build cache: a file not read
// for indexUnused is removed (a module version no longer used, a deleted
// directory), at most once every indexTrimEvery, by the first flush after.
const (
	indexMarkEvery = time.Hour
	indexUnused    = 5 * 24 * time.Hour
	indexTrimEvery = 24 * time.Hour
)

// trimIndex removes the files of the index in dir not used for
// indexUnused, unless it did so less than indexTrimEvery before now (the
// time of dir/trim.txt says when).
func trimIndex(dir string, now time.Time) error {
	if dir == "" {
		return nil
	}
	marker := filepath.Join(dir, "trim.txt")
	if info, err := os.Stat(marker); err == nil && now.Sub(info.ModTime()) < indexTrimEvery {
		return nil
	}
	for _, kind := range []string{"pkgimports", "godirs", "downloads", "goenv", "derived", "checks"} {
		entries, err := os.ReadDir(filepath.Join(dir, kind))
		if err != nil {
			continue
		}
		for _, e := range entries {
			if info, err := e.Info(); err == nil && info.Mode().IsRegular() && now.Sub(info.ModTime()) > indexUnused {
				os.Remove(filepath.Join(dir, kind, e.Name()))
			}
		}
	}
	if err := os.WriteFile(marker, []byte("the last trim of this index, by gomodls\n"), 0o666); err != nil {
		return err
	}
	return os.Chtimes(marker, now, now)
}

// The layout of a module version's index file:
//
//	gomodls package imports 1
//	<gomodcache>\t<module directory>\t<limit>
//	<package directory below the module>\t<imports>\t<test imports>
//	…
//
// imports are space-separated, and the package lines sorted.
func moduleIndexFile(dir string, key indexKey) indexFile {
	return newIndexFile(dir, "pkgimports", packageIndexFormat, key.gomodcache+"\t"+key.root+"\t"+strconv.FormatInt(key.limit, 10))
}

// readModuleIndex returns the records of f: none when it is missing or is
// not in every line what FlushPackageIndex writes.
func readModuleIndex(f indexFile) map[string]*PackageFiles {
	pkgs := make(map[string]*PackageFiles)
	records, _ := f.read()
	for _, line := range records {
		fields := strings.Split(line, "\t")
		if len(fields) != 3 {
			clear(pkgs)
			return pkgs
		}
		pkgs[fields[0]] = &PackageFiles{Found: true, Imports: importList(fields[1]), TestImports: importList(fields[2])}
	}
	return pkgs
}

func importList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, " ")
}

// indexFile is one file of the index: where it lives, and the two lines it
// opens with, its format and its key, which a reader requires.
type indexFile struct{ name, head string }

// newIndexFile is the file for key, below dir/kind: a name made from the
// whole key, so that no two keys share a file (the file repeats its key,
// which read checks).
func newIndexFile(dir, kind, format, key string) indexFile {
	sum := sha256.Sum256([]byte(key))
	return indexFile{filepath.Join(dir, kind, hex.EncodeToString(sum[:16])), format + "\n" + key + "\n"}
}

// read returns f's record lines; ok is false (and there are none) when f
// is missing, cut short, or of another format or key. A file read is
// marked used (its modification time, at most once an hour), so that
// trimming keeps it.
func (f indexFile) read() (records []string, ok bool) {
	data, modTime, err := readIndexFile(f.name)
	if err != nil || !strings.HasPrefix(data, f.head) || data[len(data)-1] != '\n' {
		return nil, false
	}
	if time.Since(modTime) > indexMarkEvery {
		now := time.Now()
		os.Chtimes(f.name, now, now)
	}
	if len(data) == len(f.head) {
		return nil, true
	}
	return strings.Split(data[len(f.head):len(data)-1], "\n"), true
}

// readIndexFile returns the content of the index file name, and its
// modification time from the same open file. The content is made a string
// without a copy (unsafe.String): its bytes are never written after the
// read, and the records are substrings of it. A check reads a few hundred
// kilobytes of index files, and copying them was a tenth of what a
// process allocated.
func readIndexFile(name string) (string, time.Time, error) {
	file, err := os.Open(name)
	if err != nil {
		return "", time.Time{}, err
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		return "", time.Time{}, err
	}
	// One byte more than the size, to see the end of a file that grew.
	buf := make([]byte, 0, info.Size()+1)
	for {
		n, err := file.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", time.Time{}, err
		}
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, 4096)
		}
	}
	if len(buf) == 0 {
		return "", info.ModTime(), nil
	}
	return unsafe.String(&buf[0], len(buf)), info.ModTime(), nil
}

// write writes f with records, each a line: whole or not at all, as far as
// a reader can tell (a temporary file, renamed).
func (f indexFile) write(records []string) error {
	var b strings.Builder
	b.WriteString(f.head)
	for _, r := range records {
		b.WriteString(r)
		b.WriteByte('\n')
	}
	dir := filepath.Dir(f.name)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.WriteString(b.String())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.name)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
