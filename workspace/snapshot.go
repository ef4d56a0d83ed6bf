package workspace

import (
	"context"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/internal/layered"
)

// A Snapshot is an immutable, consistent view of every module file gomodls
// knows about, parsed, plus the environment. Checks read only from a
// Snapshot; they never touch the disk. A change makes a new Snapshot with the
// next ID; the old one stays valid for anyone still reading it.
type Snapshot struct {
	ID      uint64
	Env     Env
	Folders []string // workspace folder roots, absolute and cleaned

	// The files and what they parsed to, by path (open buffers override
	// disk): layered, so that an edit's snapshot shares its predecessor's
	// maps with the edited file on top (withFile).
	files   layered.Map[string, *File]
	modules layered.Map[string, *Module]
	works   layered.Map[string, *Work]
	sums    layered.Map[string, *SumFile]
	vendors layered.Map[string, *VendorManifest]
	// lazy reads what else the snapshot needs from disk on first use (see
	// diskCache).
	lazy *diskCache
	// memo holds values derived from the snapshot (see Memo).
	memo *snapMemo
	// workFor holds WorkFor's answers by directory. It depends only on the
	// go.work files and the environment, so a snapshot made by an edit of
	// another kind of file shares its predecessor's (withFile): every check
	// asks it for every module.
	workFor *sync.Map
	// outside lists the directories of the modules no go.work applies to
	// (ModulesOutsideWorkspaces), shared like workFor: an edit of a go.mod
	// or a go.sum changes neither the go.work files nor which modules
	// there are.
	outside *outsideWorks
	// sorted holds the sorted lists Files, Modules, … return, made once:
	// every check asks for them, and at a thousand modules sorting them per
	// call cost milliseconds per snapshot.
	sorted sortedLists
}

type sortedLists struct {
	files   lazyList[File]
	skipped lazyList[File]
	modules lazyList[Module]
	works   lazyList[Work]
	sums    lazyList[SumFile]
	vendors lazyList[VendorManifest]
	// from is what the lists are made from, dropped once all six are
	// made: no snapshot keeps another's files alive through it.
	from atomic.Pointer[listSource]
	made atomic.Int32 // lists made
}

// listKinds is the number of lists in sortedLists.
const listKinds = 6

// A listSource is what a snapshot's lists are made from: for a snapshot
// made anew (newSnapshot), the previous snapshot's lists, whose order is
// mostly the new one (a change rarely adds or drops a path), found without
// comparing thousands of long paths again; for a snapshot made by edits
// (withFile), base, lists some earlier snapshot made, with what is now at
// each pending path in its place. Edits whose snapshots nobody asks for a
// list (the focused run after each keystroke asks for the go.work files
// and the skipped ones, which copy nothing) then copy no list of a
// thousand files each; the first snapshot asked copies each list it is
// asked for once.
type listSource struct {
	prev    *madeLists
	base    *madeLists
	pending []string
}

// madeLists are the lists a snapshot made, without the snapshot, or each
// snapshot would keep the one before it alive.
type madeLists struct {
	files, skipped []*File
	modules        []*Module
	works          []*Work
	sums           []*SumFile
	vendors        []*VendorManifest
}

// A lazyList is one sorted list of a snapshot, made on first use and
// shared by every caller, which must not modify it.
type lazyList[T any] struct {
	once sync.Once
	list []*T
}

// get returns the list, made from lists' source by make on first use.
func (l *lazyList[T]) get(lists *sortedLists, make func(*listSource) []*T) []*T {
	l.once.Do(func() {
		l.list = make(lists.from.Load())
		if lists.made.Add(1) == listKinds {
			lists.from.Store(nil)
		}
	})
	return l.list
}

// maxPendingPaths bounds listSource.pending: the snapshot after edits of
// more paths than this since its base makes its predecessor's lists, and
// starts from those.
const maxPendingPaths = 16

// Module is one go.mod file and what it parsed to.
type Module struct {
	Dir  string
	File *File
	// Mod is the parsed file; nil when it did not parse (see Err).
	Mod *modfile.File
	// Err is the parse error: a modfile.ErrorList whose entries carry
	// positions; or the *SkipError of a file that was not read (File.Skipped).
	// nil when the file parsed.
	Err error

	index modIndex // see Index
}

// Work is one go.work file and what it parsed to.
type Work struct {
	Dir  string
	File *File
	// Work is the parsed file; nil when it did not parse (see Err).
	Work *modfile.WorkFile
	Err  error // as Module.Err

	uses struct { // see UseDirs and FirstUse
		once         sync.Once
		dirs, gomods []string
		first        []int          // nil when no two use lines name one directory
		lineOf       map[string]int // the first use line of each directory
	}
}

// UseDirs returns the directory of each of w's use lines (UseDir) and the
// go.mod path there, in line order; nil when w did not parse. They are
// resolved once per parse, which later snapshots share while go.work is
// unchanged: every check and build context asks, and a thousand use lines
// are a thousand path joins. Never modify what it returns.
func (w *Work) UseDirs() (dirs, gomods []string) {
	w.resolveUses()
	return w.uses.dirs, w.uses.gomods
}

// FirstUse returns the index of the first of w's use lines that names the
// same directory as line i (i itself for a directory named once or first),
// and whether any two lines of w name one directory. Like UseDirs, it is
// worked out once per parse.
func (w *Work) FirstUse(i int) (first int, repeats bool) {
	w.resolveUses()
	if w.uses.first == nil {
		return i, false
	}
	return w.uses.first[i], true
}

// UseLine returns the index of the first of w's use lines that names dir
// (as UseDirs resolves them); ok is false when none does.
func (w *Work) UseLine(dir string) (line int, ok bool) {
	w.resolveUses()
	line, ok = w.uses.lineOf[dir]
	return line, ok
}

func (w *Work) resolveUses() {
	w.uses.once.Do(func() {
		if w.Work == nil {
			return
		}
		w.uses.dirs = make([]string, len(w.Work.Use))
		w.uses.gomods = make([]string, len(w.Work.Use))
		firstOf := make(map[string]int, len(w.Work.Use))
		w.uses.lineOf = firstOf
		first := make([]int, len(w.Work.Use))
		repeats := false
		for i, u := range w.Work.Use {
			dir := UseDir(w, u.Path)
			w.uses.dirs[i] = dir
			w.uses.gomods[i] = filepath.Join(dir, "go.mod")
			if j, ok := firstOf[dir]; ok {
				first[i], repeats = j, true
			} else {
				firstOf[dir], first[i] = i, i
			}
		}
		if repeats {
			w.uses.first = first
		}
	})
}

// listsAfter returns what the lists of the snapshot made from s by an
// edit of the file at path are made from: s's base, with path added to its
// pending paths, while s has not made its lists; else s's lists.
func (s *Snapshot) listsAfter(path string) *listSource {
	if src := s.sorted.from.Load(); src != nil && src.base != nil && len(src.pending) < maxPendingPaths {
		pending := src.pending
		if !slices.Contains(pending, path) {
			pending = append(slices.Clip(pending), path)
		}
		return &listSource{base: src.base, pending: pending}
	}
	return &listSource{base: s.listsForNext(), pending: []string{path}}
}

// listsForNext returns s's lists, made, for a later snapshot to start from
// (listSource.prev or base).
func (s *Snapshot) listsForNext() *madeLists {
	return &madeLists{files: s.Files(), skipped: s.Skipped(), modules: s.Modules(), works: s.Works(), sums: s.Sums(), vendors: s.VendorManifests()}
}

// listOf makes the sorted list of m's values from src (nil: sorted from
// nothing): when src has a base, base's list (of) with what m holds at
// each pending path in its place, copied once if any differs, and sorted
// anew if base lacks one of them (not the snapshots s's were made from);
// otherwise sorted, in prev's order where it holds the same keys.
func listOf[T any](src *listSource, m layered.Map[string, *T], of func(*madeLists) []*T, key func(*T) string) []*T {
	var prev []*T
	switch {
	case src != nil && src.base != nil:
		if out, ok := replaced(of(src.base), src.pending, func(path string) *T { return at(m, path) }, key); ok {
			return out
		}
		prev = of(src.base)
	case src != nil && src.prev != nil:
		prev = of(src.prev)
	}
	return resorted(m, prev, key)
}

// replaced returns list with now(path) in place of the entry whose key is
// path, for each of paths: list itself when none changes, else one copy.
// A path now(path) is nil for is left out (no entry in either list); ok is
// false when list has no entry for a path now(path) is not nil for.
func replaced[T any](list []*T, paths []string, now func(string) *T, key func(*T) string) (out []*T, ok bool) {
	out = list
	copied := false
	for _, path := range paths {
		v := now(path)
		if v == nil {
			continue
		}
		i, found := slices.BinarySearchFunc(list, path, func(e *T, path string) int { return strings.Compare(key(e), path) })
		if !found {
			return nil, false
		}
		if out[i] == v {
			continue
		}
		if !copied {
			out, copied = slices.Clone(list), true
		}
		out[i] = v
	}
	return out, true
}

// skipsChanged reports whether a file at one of paths was skipped in
// files, a base's list, or is in s: base's list of skipped files is then
// not s's.
func skipsChanged(s *Snapshot, files []*File, paths []string) bool {
	for _, path := range paths {
		if f := at(s.files, path); f != nil && f.Skipped != nil {
			return true
		}
		if i, found := slices.BinarySearchFunc(files, path, func(f *File, path string) int { return strings.Compare(f.Path, path) }); found && files[i].Skipped != nil {
			return true
		}
	}
	return false
}

func skippedOf(files []*File) []*File {
	var out []*File
	for _, f := range files {
		if f.Skipped != nil {
			out = append(out, f)
		}
	}
	return out
}

// resorted returns m's values sorted by key: in prev's order when m holds
// exactly prev's keys (key gives the key of a value), else sorted anew.
func resorted[T any](m layered.Map[string, *T], prev []*T, key func(*T) string) []*T {
	if len(prev) == m.Len() && m.Len() > 0 {
		out := make([]*T, len(prev))
		for i, p := range prev {
			v := at(m, key(p))
			if v == nil {
				return sortedValues(m)
			}
			out[i] = v
		}
		return out
	}
	return sortedValues(m)
}

// Files returns every file in the snapshot, sorted by path. The slice is
// shared: do not modify it (nor that of Modules, Works, Sums,
// VendorManifests and Skipped).
func (s *Snapshot) Files() []*File {
	return s.sorted.files.get(&s.sorted, func(src *listSource) []*File {
		return listOf(src, s.files, func(l *madeLists) []*File { return l.files }, func(f *File) string { return f.Path })
	})
}

// Skipped returns the module files that were found on disk but not read
// (File.Skipped says why), sorted by path. Each is in Files too, with no
// content, and parsed as a file that failed to parse.
func (s *Snapshot) Skipped() []*File {
	return s.sorted.skipped.get(&s.sorted, func(src *listSource) []*File {
		if src != nil && src.base != nil && !skipsChanged(s, src.base.files, src.pending) {
			return src.base.skipped
		}
		return skippedOf(s.Files())
	})
}

// File returns the file at path (absolute), or nil.
func (s *Snapshot) File(path string) *File { return at(s.files, path) }

// Modules returns every go.mod in the snapshot, sorted by directory.
func (s *Snapshot) Modules() []*Module {
	return s.sorted.modules.get(&s.sorted, func(src *listSource) []*Module {
		return listOf(src, s.modules, func(l *madeLists) []*Module { return l.modules }, func(m *Module) string { return m.File.Path })
	})
}

// Module returns the module whose go.mod is in dir, or nil.
func (s *Snapshot) Module(dir string) *Module { return at(s.modules, filepath.Join(dir, "go.mod")) }

// ModuleAt returns the module whose go.mod is at path, or nil: Module
// without the path join, for a caller that keeps the path.
func (s *Snapshot) ModuleAt(gomod string) *Module { return at(s.modules, gomod) }

// A ModulesMark marks the go.mod files of a snapshot (ModulesMark), for a
// later snapshot to tell which changed since (ChangedModules).
type ModulesMark struct{ modules layered.Map[string, *Module] }

// ModulesMark marks s's go.mod files.
func (s *Snapshot) ModulesMark() ModulesMark { return ModulesMark{s.modules} }

// ChangedModules returns the paths of the go.mod files whose Module differs
// between the snapshot mark was made from and s — parsed again, come or
// gone — when s and that snapshot were made from one another by edits of
// open buffers (the usual case: their modules share one map, see
// layered.Map). ok is false otherwise, and every module must be compared. A
// computation kept across snapshots (a module graph) checks its inputs
// against the edited modules only, instead of a thousand.
func (s *Snapshot) ChangedModules(mark ModulesMark) (paths []string, ok bool) {
	return s.modules.ChangedSince(mark.modules, func(a, b *Module) bool { return a == b })
}

// at is the value of m at path, or nil.
func at[V any](m layered.Map[string, *V], path string) *V {
	v, _ := m.Get(path)
	return v
}

// Work returns the go.work in dir, or nil.
func (s *Snapshot) Work(dir string) *Work { return at(s.works, filepath.Join(dir, "go.work")) }

// UsedModules returns the modules w's use directives name that the
// snapshot holds (a use of a directory without a go.mod is skipped), in the
// order of the use lines. It is empty when w did not parse.
//
// It is made once per snapshot, and after an edit of a few go.mod files
// from the previous snapshot's list with their entries replaced
// (ChangedModules): the build context of a thousand-module workspace asks
// for it after every edit, and looking up each used module was a tenth of
// a focused run. Never modify what it returns.
func (s *Snapshot) UsedModules(w *Work) []*Module {
	if w == nil || w.Work == nil {
		return nil
	}
	if s.Work(w.Dir) != w { // a go.work not of s: never kept
		return usedModules(s, w).mods
	}
	return s.Memo("workspace.UsedModules\x00"+w.File.Path, func(prev any) any {
		if p, ok := prev.(*usedList); ok && p.work == w {
			if u, ok := p.patched(s); ok {
				return u
			}
		}
		return usedModules(s, w)
	}).(*usedList).mods
}

// usedList is UsedModules' answer for one snapshot: the modules, and for
// each use line the index in mods of its module (-1 when the snapshot
// holds no go.mod there).
type usedList struct {
	work *Work
	mark ModulesMark
	mods []*Module
	at   []int
}

func usedModules(s *Snapshot, w *Work) *usedList {
	_, gomods := w.UseDirs()
	u := &usedList{work: w, mark: s.ModulesMark(), at: make([]int, len(gomods))}
	for i, gomod := range gomods {
		u.at[i] = -1
		if m := at(s.modules, gomod); m != nil {
			u.at[i] = len(u.mods)
			u.mods = append(u.mods, m)
		}
	}
	return u
}

// patched is u for s, a later snapshot of the same go.work: u's list with
// the modules s parsed again in place. ok is false when the changed use
// lines cannot be told (ChangedUseLines), or when a go.mod came or went.
func (u *usedList) patched(s *Snapshot) (*usedList, bool) {
	lines, ok := s.ChangedUseLines(u.work, u.mark)
	if !ok {
		return nil, false
	}
	_, gomods := u.work.UseDirs()
	next := *u
	next.mark = s.ModulesMark()
	cloned := false
	for _, line := range lines {
		m, i := at(s.modules, gomods[line]), u.at[line]
		if (m == nil) != (i < 0) {
			return nil, false // come or gone: the indexes move
		}
		if m == nil {
			continue
		}
		if !cloned {
			next.mods, cloned = slices.Clone(u.mods), true
		}
		next.mods[i] = m
	}
	return &next, true
}

// ChangedUseLines returns the use lines of w (indexes into UseDirs) whose
// go.mod changed between the snapshot mark was made from and s
// (ChangedModules): what a list derived from every use line, kept from
// an earlier snapshot, must look at again. ok is false when that cannot
// be told, or when w names a directory twice (a line is then not the only
// one a go.mod changes).
func (s *Snapshot) ChangedUseLines(w *Work, mark ModulesMark) (lines []int, ok bool) {
	changed, ok := s.ChangedModules(mark)
	if !ok {
		return nil, false
	}
	if _, repeats := w.FirstUse(0); repeats {
		return nil, false
	}
	for _, gomod := range changed {
		if line, used := w.UseLine(filepath.Dir(gomod)); used {
			lines = append(lines, line)
		}
	}
	return lines, true
}

// UsePathKind says what the directory dir, named by a use directive of a
// go.work in the snapshot (see UseDir), is on disk. The go command needs a
// directory holding a go.mod there. It is looked at on first use, like
// PathKind, but on disk only: a go.mod the snapshot holds there does not
// make it a directory.
func (s *Snapshot) UsePathKind(dir string) PathKind { return s.lazy.pathKind(filepath.Clean(dir)) }

// UseDir resolves a go.work use path against the go.work's directory.
func UseDir(w *Work, path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(w.Dir, path)
}

// Works returns every go.work in the snapshot, sorted by directory.
func (s *Snapshot) Works() []*Work {
	return s.sorted.works.get(&s.sorted, func(src *listSource) []*Work {
		return listOf(src, s.works, func(l *madeLists) []*Work { return l.works }, func(w *Work) string { return w.File.Path })
	})
}

// Sums returns every go.sum and go.work.sum in the snapshot, sorted by path.
func (s *Snapshot) Sums() []*SumFile {
	return s.sorted.sums.get(&s.sorted, func(src *listSource) []*SumFile {
		return listOf(src, s.sums, func(l *madeLists) []*SumFile { return l.sums }, func(f *SumFile) string { return f.File.Path })
	})
}

// VendorManifests returns every vendor/modules.txt in the snapshot, sorted by path.
func (s *Snapshot) VendorManifests() []*VendorManifest {
	return s.sorted.vendors.get(&s.sorted, func(src *listSource) []*VendorManifest {
		return listOf(src, s.vendors, func(l *madeLists) []*VendorManifest { return l.vendors }, func(v *VendorManifest) string { return v.File.Path })
	})
}

// SumAt returns the go.sum or go.work.sum at path, or nil.
func (s *Snapshot) SumAt(path string) *SumFile { return at(s.sums, path) }

// GoSum returns the go.sum next to the go.mod in dir, or nil.
func (s *Snapshot) GoSum(dir string) *SumFile { return at(s.sums, filepath.Join(dir, "go.sum")) }

// VendorManifest returns dir/vendor/modules.txt, or nil.
func (s *Snapshot) VendorManifest(dir string) *VendorManifest {
	return at(s.vendors, filepath.Join(dir, "vendor", "modules.txt"))
}

// HasVendorDir reports whether dir, the directory of a go.mod or go.work in
// the snapshot, has a vendor subdirectory (with or without modules.txt): the
// go command's vendor mode depends on the directory existing, modules.txt
// or not. Looked at on first use, like PathKind.
func (s *Snapshot) HasVendorDir(dir string) bool {
	return s.lazy.pathKind(filepath.Join(dir, "vendor")) == PathDir
}

// VendorTree returns the packages on disk in dir/vendor, where dir is the
// directory of a go.mod or go.work; nil when there is no vendor directory.
// The tree is read on first use (a large vendor directory takes tens of
// milliseconds), then shared by every snapshot until a watcher reports the
// vendor directory changed.
func (s *Snapshot) VendorTree(dir string) *VendorTree {
	if !s.HasVendorDir(dir) {
		return nil
	}
	return s.lazy.vendorTree(dir)
}

// Imports returns the imports of the Go files of the module in dir, read on
// first use like VendorTree.
func (s *Snapshot) Imports(dir string) Imports { return s.lazy.imports(dir) }

// ReadAhead starts reading, in the background, the disk reads the checks
// make whatever the module graph says: the imports of every module's Go
// files (Imports), a listing of each directory and a look at each Go
// file. A check asking for one being read waits for it (the disk cache
// reads each entry once), so a presenter that runs every check (gomodls
// check) lets the first checks, which need the module graph and no Go
// file, run beside the reads the go.sum check then finds done. The
// channel is closed when they are, or ctx is.
func (s *Snapshot) ReadAhead(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, m := range s.Modules() {
			if ctx.Err() != nil {
				return
			}
			s.Imports(m.Dir)
		}
	}()
	return done
}

// DependencyGoVersion returns the go line of a dependency's go.mod: the one
// at gomod, an absolute path, normally in the module cache (see
// ModuleCacheGoMod) or in a replacement directory. found is false when the
// file is missing or does not parse. It reads through DependencyGoMod, so
// the file is parsed once, whichever of the two asks first.
func (s *Snapshot) DependencyGoVersion(gomod string) (version string, found bool) {
	f := s.DependencyGoMod(gomod)
	switch {
	case f == nil:
		return "", false
	case f.Go != nil:
		return f.Go.Version, true
	}
	return "", true
}

// ModuleCacheGoMod is where the go command keeps the go.mod of mod:
// $GOMODCACHE/cache/download/<escaped path>/@v/<escaped version>.mod. It is
// "" when GOMODCACHE is unknown or mod cannot be escaped.
func (s *Snapshot) ModuleCacheGoMod(mod module.Version) string {
	return s.lazy.downloadFiles(s.Env.GOMODCACHE, mod, s.escapedForCache).gomod
}

// downloadFiles is where the module cache's download area keeps mod's
// .mod and .ziphash, made once per disk cache: the module graphs and the
// go.sum checks ask for the same few hundred module versions' files a
// quarter of a million times on a cold start of a thousand-module
// workspace, and building the path each time was a sixth of what it
// allocated.
func (c *diskCache) downloadFiles(gomodcache string, mod module.Version, escape func(module.Version) (string, string, bool)) downloadFiles {
	key := downloadKey{gomodcache, mod}
	c.downloads.RLock()
	f, ok := c.downloads.m[key]
	c.downloads.RUnlock()
	if ok {
		return f
	}
	if path, vers, ok := escape(mod); ok {
		f.gomod = moduleCachePath(gomodcache, "cache", "download", filepath.FromSlash(path), "@v", vers+".mod")
		f.ziphash = strings.TrimSuffix(f.gomod, ".mod") + ".ziphash"
	}
	c.downloads.Lock()
	if len(c.downloads.m) < maxEscapedPaths { // bounded like escapedPaths
		c.downloads.m[key] = f
	}
	c.downloads.Unlock()
	return f
}

// downloadFiles are a module version's files in the download area; "" when
// GOMODCACHE is unknown or the version cannot be escaped.
type downloadFiles struct{ gomod, ziphash string }

type downloadKey struct {
	gomodcache string
	mod        module.Version
}

// moduleCachePath is filepath.Join(root, elems...) for elements that
// module.EscapePath and EscapeVersion checked (joinClean's plain names):
// when root is clean too, the joined path is, and cleaning it again, for
// each of the hundred thousand module cache paths a cold start asks for,
// is wasted.
func moduleCachePath(root string, elems ...string) string {
	if !filepath.IsAbs(root) || filepath.Clean(root) != root || root == string(filepath.Separator) {
		return filepath.Join(append([]string{root}, elems...)...)
	}
	return joinClean(root, elems...)
}

// WorkFor returns the go.work that the go command would use when run in dir,
// following cmd/go's findWorkspaceFile: nil with GOWORK=off; the file GOWORK
// names if it is set (nil if the snapshot does not hold it); otherwise the
// nearest go.work in dir or a parent directory, never searching inside
// GOROOT.
func (s *Snapshot) WorkFor(dir string) *Work {
	if w, ok := s.workFor.Load(dir); ok {
		return w.(*Work)
	}
	w := s.findWork(dir)
	s.workFor.Store(dir, w)
	return w
}

// outsideWorks is Snapshot.outside.
type outsideWorks struct {
	once sync.Once
	dirs []string
}

// ModulesOutsideWorkspaces returns the modules no go.work applies to
// (WorkFor of their directory is nil), sorted by path: the modules the go
// command builds in single-module mode. Which they are is found once and
// shared by the snapshots of the edits that change no go.work, so that a
// thousand-module workspace's edit does not ask of every module again.
func (s *Snapshot) ModulesOutsideWorkspaces() []*Module {
	s.outside.once.Do(func() {
		for _, m := range s.Modules() {
			if s.WorkFor(m.Dir) == nil {
				s.outside.dirs = append(s.outside.dirs, m.Dir)
			}
		}
	})
	mods := make([]*Module, 0, len(s.outside.dirs))
	for _, dir := range s.outside.dirs {
		if m := s.ModuleAt(filepath.Join(dir, "go.mod")); m != nil {
			mods = append(mods, m)
		}
	}
	return mods
}

func (s *Snapshot) findWork(dir string) *Work {
	switch gowork := s.Env.GOWORK; {
	case gowork == "off":
		return nil
	case gowork != "" && gowork != "auto":
		return at(s.works, filepath.Clean(gowork))
	}
	for d := filepath.Clean(dir); ; {
		if s.Env.GOROOT != "" && Within(d, s.Env.GOROOT) {
			return nil
		}
		if w := at(s.works, joinClean(d, "go.work")); w != nil {
			return w
		}
		parent := filepath.Dir(d)
		if parent == d {
			return nil
		}
		d = parent
	}
}

// joinClean is filepath.Join(dir, elems...) for a clean dir and elements
// that are plain names (no empty, "." or ".." element, no separator at
// either end), without cleaning the result again: the joined path is clean
// already, and WorkFor and the module cache paths ask for hundreds of
// thousands of them.
// cleanPath is filepath.Clean(path), without Clean's pass over a path that
// is plainly clean already: absolute, with no empty, "." or ".." element and
// no trailing separator. Most paths asked about are made clean (joinClean,
// moduleCachePath), and Clean's pass over each was several percent of a
// check.
func cleanPath(path string) string {
	if filepath.Separator == '/' && len(path) > 1 && path[0] == '/' && path[len(path)-1] != '/' &&
		!strings.Contains(path, "//") && !strings.Contains(path, "/.") {
		return path
	}
	return filepath.Clean(path)
}

func joinClean(dir string, elems ...string) string {
	n := len(dir)
	for _, e := range elems {
		n += 1 + len(e)
	}
	b := make([]byte, 0, n)
	b = append(b, dir...)
	for _, e := range elems {
		if len(b) == 0 || b[len(b)-1] != filepath.Separator {
			b = append(b, filepath.Separator)
		}
		b = append(b, e...)
	}
	return string(b)
}

// InFolders reports whether path lies inside one of the workspace folders.
func (s *Snapshot) InFolders(path string) bool {
	for _, f := range s.Folders {
		if Within(path, f) {
			return true
		}
	}
	return false
}

// Within reports whether path is dir or lies beneath it (both clean and
// absolute): the one rule for "inside a folder" that discovery, the watcher
// and the command runner share.
func Within(path, dir string) bool {
	if path == dir {
		return true
	}
	if strings.HasSuffix(dir, string(filepath.Separator)) { // the root
		return strings.HasPrefix(path, dir)
	}
	// Compared in place: dir + separator would allocate, and Within is
	// asked for every cached read.
	return len(path) > len(dir) && path[len(dir)] == filepath.Separator && strings.HasPrefix(path, dir)
}

func sortedValues[T any](m layered.Map[string, *T]) []*T {
	keys := make([]string, 0, m.Len())
	for k := range m.All() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*T, len(keys))
	for i, k := range keys {
		out[i] = at(m, k)
	}
	return out
}

// parsedMaps are the maps of a snapshot being built (newSnapshot).
type parsedMaps struct {
	modules map[string]*Module
	works   map[string]*Work
	sums    map[string]*SumFile
	vendors map[string]*VendorManifest
}

// add puts f, at path, into the maps of a snapshot being built: parsed, or
// prev's parse if prev holds the same *File.
func (into parsedMaps) add(prev *Snapshot, path string, f *File) {
	switch f.Kind {
	case KindGoMod:
		if prev != nil && at(prev.modules, path) != nil && at(prev.modules, path).File == f {
			into.modules[path] = at(prev.modules, path)
		} else {
			into.modules[path] = parseModule(f)
		}
	case KindGoWork:
		if prev != nil && at(prev.works, path) != nil && at(prev.works, path).File == f {
			into.works[path] = at(prev.works, path)
		} else {
			into.works[path] = parseWork(f)
		}
	case KindGoSum, KindGoWorkSum:
		if prev != nil && at(prev.sums, path) != nil && at(prev.sums, path).File == f {
			into.sums[path] = at(prev.sums, path)
		} else {
			into.sums[path] = ParseSum(f)
		}
	case KindVendorManifest:
		if prev != nil && at(prev.vendors, path) != nil && at(prev.vendors, path).File == f {
			into.vendors[path] = at(prev.vendors, path)
		} else {
			into.vendors[path] = ParseVendorManifest(f)
		}
	}
}

// withFile is the snapshot after prev with f in place of the file prev
// holds at f's path (of the same kind): an edit of one buffer. It shares
// prev's maps, with f and its parse on top (layered.Map), instead of adding a
// thousand modules' files one by one.
func (prev *Snapshot) withFile(id uint64, f *File) *Snapshot {
	s := &Snapshot{
		ID:      id,
		Env:     prev.Env,
		Folders: prev.Folders,
		files:   prev.files.With(f.Path, f),
		lazy:    prev.lazy,
		memo:    newSnapMemo(prev),
		workFor: prev.workFor,
		outside: prev.outside,
		modules: prev.modules,
		works:   prev.works,
		sums:    prev.sums,
		vendors: prev.vendors,
	}
	switch f.Kind {
	case KindGoMod:
		s.modules = prev.modules.With(f.Path, parseModule(f))
	case KindGoWork:
		s.works = prev.works.With(f.Path, parseWork(f))
	case KindGoSum, KindGoWorkSum:
		s.sums = prev.sums.With(f.Path, ParseSum(f))
	case KindVendorManifest:
		s.vendors = prev.vendors.With(f.Path, ParseVendorManifest(f))
	}
	s.sorted.from.Store(prev.listsAfter(f.Path))
	if f.Kind == KindGoWork {
		s.workFor = new(sync.Map) // (Session never does this: see setOverlay)
		s.outside = new(outsideWorks)
	}
	return s
}

// newSnapshot builds the snapshot for files, reusing prev's parse results for
// every file whose *File is unchanged, so an edit to one file re-parses only
// that file.
func newSnapshot(prev *Snapshot, id uint64, env Env, folders []string, files map[string]*File, lazy *diskCache) *Snapshot {
	s := &Snapshot{
		ID:      id,
		Env:     env,
		Folders: folders,
		files:   layered.Of(files),
		lazy:    lazy,
		memo:    newSnapMemo(prev),
		workFor: new(sync.Map),
		outside: new(outsideWorks),
	}
	// Sized as the previous snapshot's: a change rarely adds or drops a
	// path, and growing four maps of a thousand entries each was half of
	// an edit's snapshot.
	var into parsedMaps
	if prev != nil {
		into = parsedMaps{
			modules: make(map[string]*Module, prev.modules.Len()),
			works:   make(map[string]*Work, prev.works.Len()),
			sums:    make(map[string]*SumFile, prev.sums.Len()),
			vendors: make(map[string]*VendorManifest, prev.vendors.Len()),
		}
		s.sorted.from.Store(&listSource{prev: prev.listsForNext()})
	} else {
		into = parsedMaps{make(map[string]*Module), make(map[string]*Work), make(map[string]*SumFile), make(map[string]*VendorManifest)}
	}
	for path, f := range files {
		into.add(prev, path, f)
	}
	s.modules, s.works, s.sums, s.vendors = layered.Of(into.modules), layered.Of(into.works), layered.Of(into.sums), layered.Of(into.vendors)
	return s
}

func parseModule(f *File) *Module {
	m := &Module{Dir: filepath.Dir(f.Path), File: f}
	if f.Skipped != nil {
		m.Err = f.Skipped
		return m
	}
	// No version fixer: the go command resolves a non-canonical version ("v1.2",
	// a branch name) through the module proxy, which gomodls never calls on
	// the diagnostic path, so such a version is reported as modfile reports it.
	//
	// The file is named by its base name: modfile puts the name inside some
	// messages ("unterminated block started at go.mod:3:1"), and the
	// diagnostic already says which file it is about.
	m.Mod, m.Err = modfile.Parse(filepath.Base(f.Path), f.Content(), nil)
	return m
}

func parseWork(f *File) *Work {
	w := &Work{Dir: filepath.Dir(f.Path), File: f}
	if f.Skipped != nil {
		w.Err = f.Skipped
		return w
	}
	w.Work, w.Err = modfile.ParseWork(filepath.Base(f.Path), f.Content(), nil) // named as in parseModule
	return w
}
