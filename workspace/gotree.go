package workspace

import (
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/scanner"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

func (c *diskCache) vendorTree(dir string) *VendorTree {
	vendor := filepath.Join(dir, "vendor")
	return lookup(c, diskVendorTree, vendor, func() (*VendorTree, diskRead) {
		t := readVendorTree(vendor)
		return t, diskRead{missing: len(t.Packages) == 0}
	})
}

func (c *diskCache) imports(dir string) Imports {
	return lookup(c, diskModuleImports, dir, func() (Imports, diskRead) {
		return c.walkImports(dir), diskRead{}
	})
}

// goDir is one directory's Go files as read on first use (diskGoDir), for
// both readers of a workspace's Go files: the module walk (Imports) and
// the package load (PackageImports). A package of one workspace module
// that another imports is read once, not once for each.
func (c *diskCache) goDir(dir string) *goDir {
	return lookup(c, diskGoDir, dir, func() (*goDir, diskRead) {
		records := goDirRecords(c.reader.folders, dir, c.reader.limits.FileSize)
		d := readGoDir(dir, c.takeListing(dir), c.reader.limits.FileSize, records)
		return d, diskRead{bytes: d.bytes, missing: d.missing, indexed: d.indexed}
	})
}

// VendorTree is what a vendor directory holds on disk: the import paths of
// its directories that contain a .go file, which is what the go command
// checks when it resolves an import in vendor mode (fsys.IsGoDir).
//
// It is read on first use and again after a watcher reports a change to
// vendor/modules.txt or to the directory itself (go mod vendor rewrites
// both); edits deep inside vendor/ by hand are seen at the next such change.
type VendorTree struct {
	Dir      string          // the vendor directory
	Packages map[string]bool // import paths, slash-separated
}

// readVendorTree walks dir (a vendor directory) for directories holding
// regular .go files (or symlinks to them), as filepath.WalkDir would
// (entries by name, no link to a directory followed, a directory that
// cannot be listed skipped), with each listing a look (readDir).
func readVendorTree(dir string) *VendorTree {
	t := &VendorTree{Dir: dir, Packages: make(map[string]bool)}
	if info, err := lstat(dir); err != nil || !info.IsDir() {
		return t
	}
	var walk func(path, rel string)
	walk = func(path, rel string) {
		entries, _ := readDir(path)
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() {
				walk(filepath.Join(path, name), rel+"/"+name)
				continue
			}
			if rel == "" || t.Packages[rel[1:]] || !strings.HasSuffix(name, ".go") {
				continue
			}
			if !e.Type().IsRegular() {
				if info, err := stat(filepath.Join(path, name)); err != nil || !info.Mode().IsRegular() {
					continue
				}
			}
			t.Packages[rel[1:]] = true
		}
	}
	walk(dir, "")
	return t
}

// ImportSite is one import of a package by a Go file of a module.
type ImportSite struct {
	File string // absolute path of the .go file
	Line int    // 1-based line of the import path
	// CustomTags reports that the file's //go:build line names a tag that
	// no platform sets (such as "tools" or "ignore"), so only a build with
	// -tags ever compiles it.
	CustomTags bool
	// Ignored reports that the file's build constraint is false even with
	// every tag but "ignore" set (//go:build ignore): no build, go mod tidy
	// or go work sync ever reads it (see AnyTagsBuild).
	Ignored bool
}

// Imports maps each import path to where a module's Go files import it.
// Like go mod tidy, it ignores build constraints and includes test files:
// go test and go vet need those imports too.
type Imports map[string][]ImportSite

// walkImports gathers the imports of the Go files of the module in dir:
// every package directory below it except vendor, testdata, dot- and
// underscore-directories and nested modules (directories with a go.mod),
// in the order of a walk of the tree (filepath.WalkDir's: a directory's
// entries by name). Files that do not parse contribute the imports read
// before the error.
func (c *diskCache) walkImports(dir string) Imports {
	imports := make(Imports)
	var walk func(dir string)
	walk = func(dir string) {
		d := c.goDir(dir)
		files, subdirs := d.files, d.subdirs
		for len(files) > 0 || len(subdirs) > 0 {
			if len(subdirs) == 0 || len(files) > 0 && files[0].name < subdirs[0] {
				f := files[0]
				files = files[1:]
				if len(f.imports) == 0 {
					continue
				}
				path := joinClean(dir, f.name) // dir is clean, f.name one element
				for _, imp := range f.imports {
					imports[imp.path] = append(imports[imp.path], ImportSite{File: path, Line: imp.line, CustomTags: f.custom, Ignored: f.ignored})
				}
				continue
			}
			name := subdirs[0]
			subdirs = subdirs[1:]
			if SkipDir(name) {
				continue
			}
			sub := joinClean(dir, name)
			if c.goDir(sub).goMod {
				continue // another module
			}
			walk(sub)
		}
	}
	walk(dir)
	return imports
}

// goDir is what one directory holds for the readers of Go files.
type goDir struct {
	files   []goFile // its .go files that are not directories and parse, by name
	subdirs []string // the names of its subdirectories, sorted
	found   bool     // it holds a .go file (parsed or not)
	missing bool     // it could not be read
	// goMod says it holds an entry named go.mod that os.Stat finds (any
	// file type, a symbolic link followed): another module's root, where
	// a module walk stops.
	goMod   bool
	bytes   int64 // read from its files
	indexed bool  // every Go file's imports came from the index
}

// goFile is one Go file's imports and build constraint.
type goFile struct {
	name    string
	imports []goImport
	custom  bool // hasCustomTags
	ignored bool // !AnyTagsBuild
}

type goImport struct {
	path string
	line int // 1-based, of the import path
}

// readGoDir reads the imports of the Go files of the directory dir, whose
// listing is l, each read through parseGoImports up to limit bytes, or
// taken from records (the index's, nil when none) where a file's look
// matches its record. Then records becomes what this read found.
func readGoDir(dir string, l dirListing, limit int64, records *indexedGoDir) *goDir {
	d := new(goDir)
	entries := l.entries
	if l.err != nil {
		// A listing cut short may lack the go.mod a stat finds.
		_, err := stat(filepath.Join(dir, "go.mod"))
		d.goMod = err == nil
	}
	if l.err != nil && len(entries) == 0 {
		d.missing = true
		return d
	}
	var fset *token.FileSet
	var now time.Time
	// What this read found of the records (hits) and read anew (fresh):
	// the records are replaced only when they differ, and in a warm
	// workspace every file hits, so no map is made for them.
	var hits, fresh []indexedGoFile
	if records != nil {
		now = time.Now()
	}
	d.indexed = records != nil
	for _, e := range entries {
		name := e.Name()
		if name == "go.mod" && !d.goMod {
			if e.Type()&fs.ModeSymlink == 0 {
				d.goMod = true
			} else {
				_, err := stat(filepath.Join(dir, name))
				d.goMod = err == nil
			}
		}
		if e.IsDir() {
			d.subdirs = append(d.subdirs, name)
			continue
		}
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		d.found = true
		var info fs.FileInfo
		if records != nil && e.Type().IsRegular() {
			info, _ = entryInfo(dir, e)
		}
		if info != nil {
			if r, ok := records.lookup(name, info); ok {
				hits = append(hits, r)
				if r.parsed {
					d.files = append(d.files, r.file)
				}
				continue
			}
		}
		d.indexed = false
		if fset == nil {
			fset = token.NewFileSet()
		}
		f := parseGoImports(fset, filepath.Join(dir, name), limit, &d.bytes)
		var gf goFile
		if f != nil {
			gf = goFile{name: name, custom: hasCustomTags(f), ignored: !AnyTagsBuild(f)}
			for _, spec := range f.Imports {
				if p, err := strconv.Unquote(spec.Path.Value); err == nil {
					gf.imports = append(gf.imports, goImport{p, fset.Position(spec.Path.Pos()).Line})
				}
			}
			d.files = append(d.files, gf)
		}
		if info != nil && recordable(info, gf, now) {
			gf.name = name
			fresh = append(fresh, indexedGoFile{size: info.Size(), mtime: info.ModTime().UnixNano(), mode: info.Mode(), parsed: f != nil, file: gf})
		}
	}
	if records != nil && (len(fresh) > 0 || records.count() != len(hits)) {
		found := make(map[string]indexedGoFile, len(hits)+len(fresh))
		for _, r := range slices.Concat(hits, fresh) {
			found[r.file.name] = r
		}
		records.replace(found)
	}
	d.indexed = d.indexed && d.found
	return d
}

// parseGoImports parses the package clause and imports of the Go file at
// path, read through readRegular: a special file named x.go is not opened
// for reading, and a huge generated file is read up to limit bytes (its
// imports come first). nil when it cannot be read or parsed at all. The
// bytes read are added to *bytes.
//
// Like the go command, which reads a file only up to the end of its imports
// (cmd/go/internal/imports: ReadImports), it reads the first goHeadSize
// bytes and the rest only when the imports do not end in them: a package's
// files are mostly code, and reading them whole was most of what a cold
// check of a module graph cost.
func parseGoImports(fset *token.FileSet, path string, limit int64, bytes *int64) *ast.File {
	head := min(goHeadSize, limit)
	src, err := readRegular(path, head, true)
	if err != nil {
		return nil
	}
	*bytes += int64(len(src))
	if int64(len(src)) < head || head == limit {
		f, _ := parser.ParseFile(fset, path, src, parser.ImportsOnly|parser.ParseComments)
		return f
	}
	if f := parseHead(fset, path, src); f != nil {
		return f
	}
	if src, err = readRegular(path, limit, true); err != nil {
		return nil
	}
	*bytes += int64(len(src))
	f, _ := parser.ParseFile(fset, path, src, parser.ImportsOnly|parser.ParseComments)
	return f
}

// goHeadSize is how much of a Go file parseGoImports reads first: the
// comments, package clause and imports of nearly every file fit (4 KiB
// read 15 MB of etcd's module graph, 16 KiB 29 MB, whole files 51 MB).
const goHeadSize = 4 << 10

// parseHead parses src, the first bytes of a longer Go file, and returns
// the file when the imports are certainly all in it: it parses, and after
// the last import (or the package clause) comes a token that is neither an
// import nor cut by the end of src. Go requires every import before any
// other declaration, so the rest of the file holds no more. nil otherwise.
func parseHead(fset *token.FileSet, path string, src []byte) *ast.File {
	f, err := parser.ParseFile(fset, path, src, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		return nil
	}
	end := f.Name.End()
	if len(f.Decls) > 0 {
		end = f.Decls[len(f.Decls)-1].End()
	}
	rest := src[fset.File(end).Offset(end):]
	var sc scanner.Scanner
	file := token.NewFileSet().AddFile("", -1, len(rest))
	sc.Init(file, rest, nil, 0)
	for {
		pos, tok, lit := sc.Scan()
		if tok == token.SEMICOLON {
			continue
		}
		if tok == token.EOF || tok == token.IMPORT {
			return nil
		}
		if lit == "" {
			lit = tok.String()
		}
		if file.Offset(pos)+len(lit) >= len(rest) {
			return nil // perhaps cut: "imp" of "import"
		}
		return f
	}
}

// hasCustomTags reports whether f's //go:build constraint names a tag other
// than those the go command sets by itself: an operating system, an
// architecture, unix, cgo, a compiler, a go1.N release or a goexperiment.
func hasCustomTags(f *ast.File) bool {
	for _, g := range f.Comments {
		if g.Pos() > f.Package {
			break
		}
		for _, c := range g.List {
			if !constraint.IsGoBuild(c.Text) {
				continue
			}
			expr, err := constraint.Parse(c.Text)
			if err != nil {
				return false
			}
			custom := false
			expr.Eval(func(tag string) bool {
				if !builtinTags[tag] && !strings.HasPrefix(tag, "go1.") && !strings.HasPrefix(tag, "goexperiment.") {
					custom = true
				}
				return true
			})
			return custom
		}
	}
	return false
}

// builtinTags are the build tags the go command may set without -tags
// (go/build's known operating systems and architectures, and the rest).
var builtinTags = func() map[string]bool {
	m := make(map[string]bool)
	for _, t := range strings.Fields(`aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd
		openbsd plan9 solaris wasip1 windows zos
		386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32
		mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm
		unix cgo gc gccgo`) {
		m[t] = true
	}
	return m
}()
