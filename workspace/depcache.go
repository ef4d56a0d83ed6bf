package workspace

import (
	"go/ast"
	"go/build/constraint"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// DependencyGoMod returns the go.mod at gomod, an absolute path, as the go
// command reads a dependency's go.mod for the module graph (see the modgraph
// package): the snapshot's parse when gomod is a go.mod the snapshot holds
// (a module of the workspace, as edited, used as a replacement directory),
// otherwise the file on disk — in the module cache (ModuleCacheGoMod) or a
// replacement directory outside the folders — parsed leniently
// (modfile.ParseLax), read on first use and kept for the session like
// DependencyGoVersion (one from the module cache for the process, see
// diskCache). It is nil when the file is missing or does not parse.
//
// The result is shared by every caller and every later snapshot while the
// file is unchanged, so the pointer identifies the content: callers compare
// pointers to tell whether what they derived from it still holds. It must not
// be modified.
func (s *Snapshot) DependencyGoMod(gomod string) *modfile.File {
	if m := at(s.modules, gomod); m != nil {
		return m.Mod
	}
	return s.lazy.goMod(gomod)
}

// goMod is a dependency's go.mod, read on first use: from the module cache
// through moduleCacheMod, from elsewhere (a replacement directory) as the
// kind diskDependencyGoMod. A missing one is remembered (nil) but only
// until the next change a watcher reports (see without): a go command run
// by the user may have filled the module cache since, and looking again
// costs one stat.
func (c *diskCache) goMod(path string) *modfile.File {
	if c.reader.inModuleCacheDownload(path) {
		return c.moduleCacheMod(path).file()
	}
	return lookup(c, diskDependencyGoMod, path, func() (*modfile.File, diskRead) {
		data, err := c.reader.readModuleFile(path, KindOf(path))
		if err != nil {
			return nil, diskRead{missing: true}
		}
		f, _ := modfile.ParseLax(path, data, nil)
		return f, diskRead{bytes: int64(len(data)), missing: f == nil}
	})
}

// moduleCacheMod is a module version's .mod file in the module cache's
// download area, as both the module graph (its parse) and the go.sum checks
// (its hash) need it: read once for both, and parsed only when asked (the
// go.sum checks hash every version a go.sum names, most of which no graph
// reads). The parse is lean (leanGoMod); once made, it is kept for the next
// process as a digest in the download index (keep), and a digest read from
// there, parsed when read, serves instead of the file.
type moduleCacheMod struct {
	path  string
	hash  string // dirhash.Hash1 of the content; "" when missing
	parse sync.Once
	data  []byte        // the content, until parsed; nil when from a digest
	keep  func(string)  // records the digest of the parse; nil when it cannot be recorded
	f     *modfile.File // nil when missing or unparsable
}

// file is the parsed .mod, nil when missing or unparsable.
func (m *moduleCacheMod) file() *modfile.File {
	m.parse.Do(func() {
		if m.data != nil { // else from a digest, or missing: f is made
			f, _ := modfile.ParseLax(m.path, m.data, nil)
			m.f = leanGoMod(f)
			if m.keep != nil && m.hash != "" {
				m.keep(goModDigest(m.hash, m.f))
			}
			m.data, m.keep = nil, nil
		}
	})
	return m.f
}

func (c *diskCache) moduleCacheMod(path string) *moduleCacheMod {
	return lookup(c, diskModuleCacheMod, path, func() (*moduleCacheMod, diskRead) {
		return readModuleCache(c.reader, diskModuleCacheMod, path, func(data []byte, keep func(string)) *moduleCacheMod {
			return &moduleCacheMod{path: path, data: data, hash: goModHash(data), keep: keep}
		}, func(digest string) (*moduleCacheMod, bool) {
			return moduleCacheModFromDigest(path, digest)
		}, &moduleCacheMod{})
	})
}

// moduleCacheModFromDigest is the .mod at path as the download index's
// digest says; ok is false when the digest is not one goModDigest writes
// (then the file is read). A digest is read whole at once: it costs a
// small part of a parse, and telling it valid reads all of it anyway.
func moduleCacheModFromDigest(path, digest string) (*moduleCacheMod, bool) {
	hash, f, ok := parseGoModDigest(digest)
	if !ok {
		return nil, false
	}
	return &moduleCacheMod{path: path, hash: hash, f: f}, true
}

// inModuleCacheDownload reports whether path is a file of the module
// cache's download area ($GOMODCACHE/cache/download/…), whose files for a
// module version never change once written (except the list files, which
// nothing here reads through this cache).
func (r diskReader) inModuleCacheDownload(path string) bool {
	return r.download != "" && Within(path, r.download)
}

// readModuleCache reads path, a file of the module cache's download area
// read as kind, through readConfined, and makes it into a value with parse;
// none is the value of a missing or refused file. A file that resolves
// inside the module cache is shared by every session (sharedCache): no
// session's confinement rule refuses what lies in its own module cache.
//
// parse is also given keep, which records a digest of the file in the
// download index for the next process (nil when none can be recorded);
// fromDigest, when not nil, makes the value from such a digest instead of
// the file.
func readModuleCache[T any](r diskReader, kind diskKind, path string, parse func(data []byte, keep func(digest string)) T, fromDigest func(string) (T, bool), none T) (T, diskRead) {
	k := sharedKey{kind: kind, path: path, limit: r.limits.FileSize}
	return viaShared(k, r.modcache != "", func() (T, diskRead) {
		var view downloadView
		name := filepath.Base(path)
		if r.cache != nil {
			view = r.cache.downloadDir(filepath.Dir(path))
		}
		keep := func(digest string) { view.recordDigest(name, digest) }
		if view.known() {
			if !view.has(name) {
				return none, diskRead{missing: true, indexed: true}
			}
			if digest, ok := view.digest(name); ok && fromDigest != nil {
				if v, ok := fromDigest(digest); ok {
					return v, diskRead{indexed: true, held: 2 * int64(len(digest))}
				}
			}
			if data, ok := view.file(name); ok {
				return parse([]byte(data), keep), diskRead{indexed: true, held: 4 * int64(len(data))}
			}
		}
		data, target, err := r.readConfined(path, KindOf(path))
		if err != nil {
			return none, diskRead{missing: true}
		}
		// A link out of the module cache is this session's business: another
		// session's confinement rule may refuse it. A parse takes a few
		// times the file's size (held).
		unshared := !Within(target, r.modcache)
		if unshared {
			keep = nil
		} else {
			view.record(name, data)
		}
		return parse(data, keep), diskRead{bytes: int64(len(data)), held: 4 * int64(len(data)), unshared: unshared}
	})
}

// PathKind says what path, an absolute path, names on disk — a directory, a
// file, nothing — for a check that needs to know whether a directory named
// in a file exists (a replacement directory, or its go.mod). A file the
// snapshot holds is a file and the directory of a module it holds a
// directory, without looking; anything else is looked at on first use and
// remembered until a watcher reports a change (then every answer is looked
// at again: one stat each).
func (s *Snapshot) PathKind(path string) PathKind {
	path = cleanPath(path)
	if at(s.files, path) != nil {
		return PathFile
	}
	if at(s.modules, joinClean(path, "go.mod")) != nil {
		return PathDir
	}
	return s.lazy.pathKind(path)
}

func (c *diskCache) pathKind(path string) PathKind {
	return lookup(c, diskPathKind, path, func() (PathKind, diskRead) {
		k := pathKind(path)
		return k, diskRead{missing: k == PathMissing}
	})
}

// ModuleCacheDir is where the go command extracts the files of mod:
// $GOMODCACHE/<escaped path>@<escaped version>. It is "" when GOMODCACHE is
// unknown or mod cannot be escaped. The directory exists only once a go
// command has needed the module's packages.
func (s *Snapshot) ModuleCacheDir(mod module.Version) string {
	path, vers, ok := s.escapedForCache(mod)
	if !ok {
		return ""
	}
	return moduleCachePath(s.Env.GOMODCACHE, filepath.FromSlash(path)+"@"+vers)
}

// escapedForCache is mod's path and version as the module cache spells them
// (module.EscapePath, EscapeVersion); ok is false when GOMODCACHE is unknown
// or mod cannot be escaped.
func (s *Snapshot) escapedForCache(mod module.Version) (path, vers string, ok bool) {
	if s.Env.GOMODCACHE == "" {
		return "", "", false
	}
	path, ok = escapedPath(mod.Path)
	if !ok {
		return "", "", false
	}
	vers, err := module.EscapeVersion(mod.Version)
	if err != nil {
		return "", "", false
	}
	return path, vers, true
}

// escapedPaths remembers module.EscapePath's answers for the process: it
// checks the whole path before escaping it, and the checks ask for the
// module cache's files of the same few hundred paths a hundred thousand
// times on a cold start of a thousand-module workspace (a sixth of it).
// Bounded like sharedCache: once full, answers are computed, not kept.
var escapedPaths = struct {
	sync.RWMutex
	m map[string]string // "" for a path that cannot be escaped
}{m: make(map[string]string)}

const maxEscapedPaths = 100_000

func escapedPath(path string) (string, bool) {
	escapedPaths.RLock()
	e, ok := escapedPaths.m[path]
	escapedPaths.RUnlock()
	if ok {
		return e, e != ""
	}
	e, err := module.EscapePath(path)
	if err != nil {
		e = ""
	}
	escapedPaths.Lock()
	if len(escapedPaths.m) < maxEscapedPaths {
		escapedPaths.m[path] = e
	}
	escapedPaths.Unlock()
	return e, e != ""
}

// PackageFiles is what the Go files of one package directory import, as the
// go command reads them to load the "all" pattern (go mod tidy, go work
// sync): every build tag set but "ignore" (AnyTagsBuild), files whose name
// starts with "_" or "." left out.
type PackageFiles struct {
	Found       bool     // the directory holds a .go file
	Imports     []string // of its non-test files, sorted, once each
	TestImports []string // of its _test.go files
}

// PackageImports returns what the package in dir imports: a directory of
// the module cache (ModuleCacheDir) or of a module on disk; Go files are
// always read from disk, never from editor buffers. It is read on first use
// and kept for the session, except that a change a watcher reports in or
// above dir reads it again; a directory of the module cache is kept for the
// process (see diskCache).
func (s *Snapshot) PackageImports(dir string) *PackageFiles { return s.lazy.pkg(dir) }

func (c *diskCache) pkg(dir string) *PackageFiles {
	return lookup(c, diskPackage, dir, func() (*PackageFiles, diskRead) {
		limit := c.reader.limits.FileSize
		extracted := c.reader.inExtractedModule(dir)
		return viaShared(sharedKey{kind: diskPackage, path: dir, limit: limit}, extracted, func() (*PackageFiles, diskRead) {
			if extracted {
				if pf, ok := indexedPackage(c.reader.gomodcache, limit, dir); ok {
					return pf, diskRead{held: heldBy(dir, pf), indexed: true}
				}
			}
			if !extracted {
				// The workspace's own packages (and replacement
				// directories): read once for this and the module walk.
				pf := packageOf(c.goDir(dir))
				return pf, diskRead{missing: !pf.Found}
			}
			d := readGoDir(dir, readListing(dir), limit, nil)
			pf := packageOf(d)
			indexPackage(c.reader.gomodcache, limit, dir, pf)
			return pf, diskRead{bytes: d.bytes, held: heldBy(dir, pf), missing: !pf.Found}
		})
	})
}

// heldBy estimates the memory pf, the package in dir, takes.
func heldBy(dir string, pf *PackageFiles) int64 {
	held := int64(len(dir))
	for _, p := range slices.Concat(pf.Imports, pf.TestImports) {
		held += int64(len(p)) + 16
	}
	return held
}

// inExtractedModule reports whether dir lies in a module the go command
// extracted into the module cache ($GOMODCACHE/<module>@<version>, see
// ModuleCacheDir), which it never changes once written.
func (r diskReader) inExtractedModule(dir string) bool {
	return r.gomodcache != "" && Within(dir, r.gomodcache) && dir != r.gomodcache && !Within(dir, filepath.Join(r.gomodcache, "cache"))
}

// packageOf is the package d holds, as PackageImports says it: files
// whose name starts with "_" or "." left out, and those no build reads.
func packageOf(d *goDir) *PackageFiles {
	// Slices sorted and compacted, not sets: a workspace has a package
	// per directory, each with a few dozen imports, and growing two maps
	// for each was most of what making them cost.
	pf := &PackageFiles{Found: d.found}
	for _, f := range d.files {
		if strings.HasPrefix(f.name, "_") || strings.HasPrefix(f.name, ".") || f.ignored {
			continue
		}
		into := &pf.Imports
		if strings.HasSuffix(f.name, "_test.go") {
			into = &pf.TestImports
		}
		for _, imp := range f.imports {
			*into = append(*into, imp.path)
		}
	}
	for _, imps := range []*[]string{&pf.Imports, &pf.TestImports} {
		slices.Sort(*imps)
		*imps = slices.Clip(slices.Compact(*imps))
	}
	return pf
}

// AnyTagsBuild reports whether the go command reads f when it gathers every
// possible import (cmd/go's imports.AnyTags, used by go mod tidy and go work
// sync): each build tag but "ignore" counts as satisfied whichever way the
// constraint needs it, so only a constraint that requires "ignore" (such as
// //go:build ignore) leaves the file out. Without a //go:build line, the
// // +build lines count, all of them.
func AnyTagsBuild(f *ast.File) bool {
	var plus []constraint.Expr
	for _, g := range f.Comments {
		if g.Pos() > f.Package {
			break
		}
		for _, c := range g.List {
			switch {
			case constraint.IsGoBuild(c.Text):
				x, err := constraint.Parse(c.Text)
				return err == nil && evalAnyTags(x, true)
			case constraint.IsPlusBuild(c.Text):
				if x, err := constraint.Parse(c.Text); err == nil {
					plus = append(plus, x)
				}
			}
		}
	}
	for _, x := range plus {
		if !evalAnyTags(x, true) {
			return false
		}
	}
	return true
}

// evalAnyTags is cmd/go's imports.eval with the tags {"*": true}.
func evalAnyTags(x constraint.Expr, prefer bool) bool {
	switch x := x.(type) {
	case *constraint.TagExpr:
		return x.Tag != "ignore" && prefer
	case *constraint.NotExpr:
		return !evalAnyTags(x.X, !prefer)
	case *constraint.AndExpr:
		return evalAnyTags(x.X, prefer) && evalAnyTags(x.Y, prefer)
	case *constraint.OrExpr:
		return evalAnyTags(x.X, prefer) || evalAnyTags(x.Y, prefer)
	}
	return false
}

// Memo returns a value derived from the snapshot, computed at most once per
// snapshot under key (concurrent callers wait for the first). compute
// receives the value last computed under key by this snapshot's session (by
// an earlier snapshot, or nil) and returns it again when it still holds for
// s, or a new value. A derived value that is costly and depends on few files
// (the module graph of a workspace depends on its go.mod and go.work files,
// not on go.sum) is thus carried from snapshot to snapshot until one of its
// inputs changes; the value itself must record what it was computed from.
//
// A session keeps one value per key, the latest.
func (s *Snapshot) Memo(key string, compute func(prev any) any) any {
	s.memo.mu.Lock()
	e := s.memo.entries[key]
	if e == nil {
		e = new(memoEntry)
		s.memo.entries[key] = e
	}
	s.memo.mu.Unlock()
	e.once.Do(func() {
		prev := s.memo.session.get(key)
		e.value = compute(prev)
		s.memo.session.put(key, s.ID, e.value)
	})
	return e.value
}

// snapMemo is one snapshot's memo table; session is shared by every
// snapshot of a session.
type snapMemo struct {
	mu      sync.Mutex
	entries map[string]*memoEntry
	session *sessionMemo
}

type memoEntry struct {
	once  sync.Once
	value any
}

func newSnapMemo(prev *Snapshot) *snapMemo {
	m := &snapMemo{entries: make(map[string]*memoEntry)}
	if prev != nil && prev.memo != nil {
		m.session = prev.memo.session
	} else {
		m.session = &sessionMemo{latest: make(map[string]sessionValue)}
	}
	return m
}

// sessionMemo holds, for each key, the value computed by the newest
// snapshot that asked.
type sessionMemo struct {
	mu     sync.Mutex
	latest map[string]sessionValue
}

type sessionValue struct {
	id    uint64 // of the snapshot that computed it
	value any
}

func (m *sessionMemo) get(key string) any {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.latest[key].value
}

func (m *sessionMemo) put(key string, id uint64, v any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.latest[key]; !ok || old.id <= id {
		m.latest[key] = sessionValue{id, v}
	}
}
