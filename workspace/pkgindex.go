package workspace

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	}
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
	m.load.Do(func() { m.pkgs = readIndexFile(indexFileName(packageIndex.dir, key), key) })
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

// FlushPackageIndex writes the index files of the module versions whose
// packages this process read and the index did not hold, each merged with
// what the file holds by then (another process may have written it).
// Nothing depends on its success; the error is for the log.
func FlushPackageIndex() error {
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
		name := indexFileName(dir, p.key)
		for sub, pf := range readIndexFile(name, p.key) {
			if _, ok := p.pkgs[sub]; !ok {
				p.pkgs[sub] = pf
			}
		}
		if err := writeIndexFile(name, p.key, p.pkgs); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// indexFileName is where the index of key's module lives below dir: a
// name made from the whole key, so that no two module caches, module
// versions or limits share a file (the file repeats its key, which
// readIndexFile checks).
func indexFileName(dir string, key indexKey) string {
	sum := sha256.Sum256([]byte(key.gomodcache + "\x00" + key.root + "\x00" + strconv.FormatInt(key.limit, 10)))
	return filepath.Join(dir, "pkgimports", hex.EncodeToString(sum[:16]))
}

// The layout of an index file:
//
//	gomodls package imports 1
//	<gomodcache>\t<module directory>\t<limit>
//	<package directory below the module>\t<imports>\t<test imports>
//	…
//
// imports are space-separated, each line ends in a newline, and the
// package lines are sorted.
func indexKeyLine(key indexKey) string {
	return key.gomodcache + "\t" + key.root + "\t" + strconv.FormatInt(key.limit, 10)
}

// readIndexFile returns the records of the index file name for key: none
// when it is missing, or is not in every line what writeIndexFile writes
// for key (cut short, another format, another key).
func readIndexFile(name string, key indexKey) map[string]*PackageFiles {
	pkgs := make(map[string]*PackageFiles)
	data, err := os.ReadFile(name)
	if err != nil || len(data) == 0 || data[len(data)-1] != '\n' {
		return pkgs
	}
	lines := strings.Split(string(data[:len(data)-1]), "\n")
	if len(lines) < 2 || lines[0] != packageIndexFormat || lines[1] != indexKeyLine(key) {
		return pkgs
	}
	for _, line := range lines[2:] {
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

// writeIndexFile writes pkgs as key's index file name: whole or not at
// all, as far as a reader can tell (a temporary file renamed).
func writeIndexFile(name string, key indexKey, pkgs map[string]*PackageFiles) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n", packageIndexFormat, indexKeyLine(key))
	for _, sub := range slices.Sorted(maps.Keys(pkgs)) {
		pf := pkgs[sub]
		fmt.Fprintf(&b, "%s\t%s\t%s\n", sub, strings.Join(pf.Imports, " "), strings.Join(pf.TestImports, " "))
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.WriteString(b.String())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
