package workspace

import (
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// diskCache holds everything a snapshot reads from disk on first use,
// besides the module files the session reads when it builds the snapshot:
// dependencies' go.mod files, the module cache's hashes and version lists,
// what a path names, version-control checkouts, .gitignore files, vendor
// trees, Go files' imports, Go directories outside every module, and the
// symbolic links the confinement rule resolves on the way to each file.
// These are costly on large repositories and needed only by some checks in
// some states, so each is read once, when first asked, and the cost of each
// kind is counted (DiskStats).
//
// One discipline for every kind: an entry is looked up under mu, and
// computed outside it, at most once (under the entry's own mutex: a second
// asker of the same entry waits for the first; askers of other entries do
// not), so no lock is held during I/O but the entry's being read.
//
// A snapshot sees one diskCache for its whole life, so what it read once
// it reads the same way again. When a watcher reports a change, the session
// makes a new cache holding the entries the change cannot have made stale
// (without, by each kind's scope), so older snapshots keep what they read.
//
// Module-cache content that never changes (a path@version's .mod and
// .ziphash, an extracted module's packages) is also kept for the process,
// shared by every session (sharedCache).
type diskCache struct {
	gen    uint64 // distinct for each diskCache of the process (DiskGeneration)
	reader diskReader
	stats  *diskCounters // shared by the caches of one session
	mu     sync.Mutex
	tables [numDiskKinds]map[string]*diskEntry
	// downloads are the download area's file names by module version
	// (downloadFiles): names, not reads, so never stale.
	downloads struct {
		sync.RWMutex
		m map[downloadKey]downloadFiles
	}
	// downloadDirs are the @v directories of module paths
	// (Snapshot.downloadDirOf), "" for a path that cannot be escaped: the
	// go.sum checks ask for each path of each go.sum, hundreds of times
	// the same in a workspace.
	downloadDirs sync.Map
	// listings are the directory listings discovery read (Session.walk),
	// each kept for the one read of that directory's Go files that
	// follows (goDir, walkImports), which takes it: a check of every
	// module's imports would otherwise list each directory of the
	// workspace a second time, and see (by a stat each) the go.mod
	// files discovery had just seen. Not carried by without: a listing
	// is as old as the discovery that read it.
	//
	// Each listing is also queued (queue) for a goroutine that reads the
	// directory's Go files (goDir) while discovery goes on: discovery is
	// one goroutine, and the module walks that follow it read the Go
	// files of the very directories it lists, so on two cores most of
	// their reading is done by the time the walks ask. draining says the
	// goroutine runs.
	listings struct {
		sync.Mutex
		m        map[string]dirListing
		queue    []string
		draining bool
	}
}

// listingReads counts the goroutines reading queued listings, in every
// disk cache: FlushPackageIndex waits for them, so that the Go directory
// index it writes holds every directory they read. It is not a
// sync.WaitGroup: one session may start a reader (Add from zero) while
// another's publication waits, which a WaitGroup forbids.
var listingReads = newReaderCount()

// readerCount counts running goroutines; wait returns once none runs.
type readerCount struct {
	mu      sync.Mutex
	idle    *sync.Cond // signalled when running drops to zero
	running int
}

func newReaderCount() *readerCount {
	r := &readerCount{}
	r.idle = sync.NewCond(&r.mu)
	return r
}

func (r *readerCount) add() {
	r.mu.Lock()
	r.running++
	r.mu.Unlock()
}

func (r *readerCount) done() {
	r.mu.Lock()
	r.running--
	if r.running == 0 {
		r.idle.Broadcast()
	}
	r.mu.Unlock()
}

func (r *readerCount) wait() {
	r.mu.Lock()
	for r.running > 0 {
		r.idle.Wait()
	}
	r.mu.Unlock()
}

// dirListing is one directory as os.ReadDir read it: its entries by name,
// and the error that cut the listing short (entries may be partial).
type dirListing struct {
	entries []fs.DirEntry
	err     error
}

// keepListing records dir's listing, as discovery read it, for takeListing.
func (c *diskCache) keepListing(dir string, l dirListing) {
	c.listings.Lock()
	if c.listings.m == nil {
		c.listings.m = make(map[string]dirListing)
	}
	c.listings.m[dir] = l
	c.listings.queue = append(c.listings.queue, dir)
	start := !c.listings.draining
	if start {
		c.listings.draining = true
		listingReads.add()
	}
	c.listings.Unlock()
	if start {
		go c.drainListings()
	}
}

// drainListings reads the Go files of each queued directory (goDir) in
// the order discovery listed them, until the queue is empty. A directory
// a module walk reaches first is read once all the same (lookup).
func (c *diskCache) drainListings() {
	defer listingReads.done()
	for {
		c.listings.Lock()
		if len(c.listings.queue) == 0 {
			c.listings.queue, c.listings.draining = nil, false
			c.listings.Unlock()
			return
		}
		dir := c.listings.queue[0]
		c.listings.queue = c.listings.queue[1:]
		c.listings.Unlock()
		c.goDir(dir)
	}
}

// takeListing returns dir's listing, the one discovery kept (forgotten
// now: the goDir read from it is cached instead) or a new one.
func (c *diskCache) takeListing(dir string) dirListing {
	c.listings.Lock()
	l, ok := c.listings.m[dir]
	if ok {
		delete(c.listings.m, dir)
	}
	c.listings.Unlock()
	if !ok {
		l = readListing(dir)
	}
	return l
}

func readListing(dir string) dirListing {
	entries, err := readDir(dir)
	return dirListing{entries, err}
}

// diskEntry is one answer read from disk. value's type is its kind's.
type diskEntry struct {
	mu   sync.Mutex  // held while the value is read
	done atomic.Bool // value is set
	// missing says the answer is "nothing there", which a later look may
	// change at any time (a go command filling the module cache): such
	// an answer is forgotten at every reported change.
	missing bool
	value   any
}

var diskCacheGen atomic.Uint64

func newDiskCache(limits Limits, folders []string, env Env, stats *diskCounters) *diskCache {
	c := &diskCache{gen: diskCacheGen.Add(1), stats: stats}
	diskCachesMade.Add(1)
	c.downloads.m = make(map[downloadKey]downloadFiles)
	c.reader = newReader(limits, folders, env, c)
	for k := range c.tables {
		c.tables[k] = make(map[string]*diskEntry)
	}
	return c
}

// diskKind is one kind of disk read. Each has its own table, counters and
// scope.
type diskKind int

const (
	diskDependencyGoMod diskKind = iota // a go.mod outside the module cache and the snapshot (a replacement directory): *modfile.File
	diskModuleCacheMod                  // $GOMODCACHE/cache/download/…/@v/<v>.mod, parsed and hashed: *moduleCacheMod
	diskModuleCacheZip                  // …/@v/<v>.ziphash: string
	diskModuleCacheList                 // the versions whose .mod an @v directory holds: []string
	diskPackage                         // one package directory's imports (PackageImports): *PackageFiles
	diskModuleImports                   // the imports of a module's Go files (Imports): Imports
	diskGoDir                           // one directory of the workspace's Go files, for both of those: *goDir
	diskVendorTree                      // a vendor directory's packages: *VendorTree
	diskPathKind                        // what a path names (one stat): PathKind
	diskRepository                      // the checkout a directory lies in: Repository
	diskGitignore                       // what a .gitignore or .git/info/exclude says of go.work: ignoreFile
	diskNoModule                        // Go directories outside every module: []*GoDirWithoutModule
	diskResolvedDir                     // a directory with its symbolic links resolved: string
	diskDownloadDir                     // an @v directory of the download area, as the package index knows it: downloadView
	numDiskKinds
)

// diskScope says which reported changes make an entry stale, by where the
// changed path lies relative to the entry's key (a path).
type diskScope int

const (
	// scopeFile: a change at or above the entry's path (the file, or a
	// directory holding it).
	scopeFile diskScope = iota
	// scopeTree: a change at, above or below the entry's path (a summary
	// of a directory tree).
	scopeTree
	// scopeGoTree: scopeTree, counting only changes to paths that are not
	// module files: a saved go.mod does not change what the Go files
	// import, and rereading every Go file of a large module on each save
	// would cost more than it tells.
	scopeGoTree
	// scopeGoDir: scopeGoTree, but of the directory alone: a change at or
	// above it, or of one of its entries (a Go file saved, a subdirectory
	// made), not one deeper down.
	scopeGoDir
	// scopeAny: every change. The answer is one stat or a short listing,
	// cheap to look at again, and depends on what no watcher reports (the
	// module cache, a replacement directory outside the folders, a
	// symbolic link, a .gitignore).
	scopeAny
)

// diskKinds describes each kind: its name in DiskStats and its scope.
var diskKinds = [numDiskKinds]struct {
	name  string
	scope diskScope
}{
	diskDependencyGoMod: {"dependency go.mod", scopeFile},
	diskModuleCacheMod:  {"module cache .mod", scopeFile},
	diskModuleCacheZip:  {"module cache .ziphash", scopeFile},
	diskModuleCacheList: {"module cache versions", scopeAny},
	diskPackage:         {"package imports", scopeTree},
	diskModuleImports:   {"module imports", scopeGoTree},
	diskGoDir:           {"Go directory", scopeGoDir},
	diskVendorTree:      {"vendor tree", scopeTree},
	diskPathKind:        {"path kind", scopeAny},
	diskRepository:      {"repository", scopeAny},
	diskGitignore:       {"gitignore", scopeAny},
	diskNoModule:        {"Go dirs without module", scopeAny},
	diskResolvedDir:     {"symlink resolution", scopeAny},
	diskDownloadDir:     {"module cache @v directory", scopeAny},
}

// diskRead is what one read cost and found.
type diskRead struct {
	bytes   int64 // read from files
	missing bool  // nothing there (see diskEntry.missing)
	shared  bool  // answered by sharedCache, not the disk
	indexed bool  // answered by the package index (see packageIndex)
	// unshared keeps a module-cache answer out of sharedCache.
	unshared bool
	// held estimates the memory the answer takes, for sharedCache's
	// bound; bytes when zero.
	held int64
}

// lookup returns kind's entry for key, reading it with read on first use.
// (The entry's own mutex rather than a sync.Once: read is then called, not
// captured by a closure, so that a hit allocates nothing.)
func lookup[T any](c *diskCache, kind diskKind, key string, read func() (T, diskRead)) T {
	c.mu.Lock()
	e := c.tables[kind][key]
	if e == nil {
		e = new(diskEntry)
		c.tables[kind][key] = e
	}
	c.mu.Unlock()
	if !e.done.Load() {
		e.mu.Lock()
		if !e.done.Load() {
			start := time.Now()
			v, r := read()
			e.value, e.missing = v, r.missing
			e.done.Store(true)
			e.mu.Unlock()
			c.stats.count(kind, r, time.Since(start))
			return v
		}
		e.mu.Unlock()
	}
	c.stats.kinds[kind].hits.Add(1)
	return e.value.(T)
}

// without returns a cache holding c's entries except those a change to
// paths may have made stale (each kind's scope), and every missing answer.
// Symbolic links are resolved afresh: no watcher reports a link replaced.
func (c *diskCache) without(paths []string) *diskCache {
	changed := make([]string, len(paths))
	for i, p := range paths {
		changed[i] = filepath.Clean(p)
	}
	n := &diskCache{gen: diskCacheGen.Add(1), stats: c.stats}
	n.reader = c.reader
	n.reader.cache = n
	c.downloads.RLock()
	n.downloads.m = maps.Clone(c.downloads.m)
	c.downloads.RUnlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	for kind, table := range c.tables {
		n.tables[kind] = make(map[string]*diskEntry)
		scope := diskKinds[kind].scope
		if scope == scopeAny {
			continue
		}
		for key, e := range table {
			if e.done.Load() && !e.missing && !stale(scope, key, changed) {
				n.tables[kind][key] = e
			}
		}
	}
	return n
}

// stale reports whether a change to one of changed may alter an entry of
// the scope for key.
func stale(scope diskScope, key string, changed []string) bool {
	for _, p := range changed {
		goOnly := scope == scopeGoTree || scope == scopeGoDir
		switch {
		case Within(key, p):
			if !goOnly || KindOf(p) == KindUnknown {
				return true
			}
		case scope == scopeGoDir:
			if filepath.Dir(p) == key && KindOf(p) == KindUnknown {
				return true
			}
		case scope != scopeFile && Within(p, key):
			if !goOnly || KindOf(p) == KindUnknown {
				return true
			}
		}
	}
	return false
}

// DiskStat is what one kind of disk read has cost a session.
type DiskStat struct {
	Kind  string // what is read: "module cache .mod", "package imports", …
	Reads int64  // answers read from disk
	// Hits counts answers given without reading: from the session's cache,
	// from the process's cache of module-cache content (Shared of them) or
	// from the package index on disk (Indexed of them; one index file
	// read per module version holds many).
	Hits    int64
	Shared  int64
	Indexed int64
	Bytes   int64 // read from files
	// Time is spent reading, summed over goroutines. A read that needs
	// another includes it: a repository its parent's, a file its
	// directory's symlink resolution.
	Time time.Duration
}

// DiskStats is one DiskStat per kind of disk read, in a fixed order.
type DiskStats []DiskStat

// String is one line for a log: each kind that was asked for, with its
// reads, hits, bytes and time.
func (ds DiskStats) String() string {
	var b strings.Builder
	for _, d := range ds {
		if d.Reads == 0 && d.Hits == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %d reads (%d B, %v), %d hits", d.Kind, d.Reads, d.Bytes, d.Time.Round(time.Microsecond), d.Hits)
		if d.Shared > 0 {
			fmt.Fprintf(&b, " (%d shared)", d.Shared)
		}
		if d.Indexed > 0 {
			fmt.Fprintf(&b, " (%d indexed)", d.Indexed)
		}
	}
	return b.String()
}

// diskCounters are a session's DiskStats as they accumulate.
type diskCounters struct {
	kinds [numDiskKinds]struct {
		reads, hits, shared, indexed, bytes, nanos atomic.Int64
	}
}

func (dc *diskCounters) count(kind diskKind, r diskRead, d time.Duration) {
	k := &dc.kinds[kind]
	switch {
	case r.shared:
		k.hits.Add(1)
		k.shared.Add(1)
		return
	case r.indexed:
		k.hits.Add(1)
		k.indexed.Add(1)
		k.nanos.Add(int64(d))
		return
	}
	k.reads.Add(1)
	k.bytes.Add(r.bytes)
	k.nanos.Add(int64(d))
}

func (dc *diskCounters) snapshot() DiskStats {
	out := make(DiskStats, numDiskKinds)
	for i := range dc.kinds {
		k := &dc.kinds[i]
		out[i] = DiskStat{Kind: diskKinds[i].name, Reads: k.reads.Load(), Hits: k.hits.Load(), Shared: k.shared.Load(), Indexed: k.indexed.Load(), Bytes: k.bytes.Load(), Time: time.Duration(k.nanos.Load())}
	}
	return out
}

// DiskStats returns what the disk reads behind s have cost its session so
// far (every snapshot of a session shares one count), by kind.
func (s *Snapshot) DiskStats() DiskStats { return s.lazy.stats.snapshot() }

// DiskStats returns what the session's disk reads on first use have cost
// so far, by kind.
func (s *Session) DiskStats() DiskStats { return s.stats.snapshot() }

// DiskGeneration identifies the disk cache s reads through. It changes
// when a watcher reports a change on disk; two snapshots with the same
// generation read the same content for every dependency go.mod the
// snapshots do not hold, and the same answer to every other read on first
// use.
func (s *Snapshot) DiskGeneration() uint64 { return s.lazy.gen }

// sharedCache holds module-cache content for the process: a module
// version's files in the module cache never change (the go command writes
// them once, read-only), so every session, for any folders, reuses what one
// has read. A missing file is not kept here (go mod download may bring it
// at any time). It is bounded, since a module cache can be huge: once full,
// it keeps what it holds and new content stays in each session's cache.
var sharedCache = struct {
	mu      sync.Mutex
	entries map[sharedKey]sharedEntry
	bytes   int64
}{entries: make(map[sharedKey]sharedEntry)}

// Bounds of sharedCache: the size counted is an estimate of the memory
// each answer takes (diskRead.held).
const (
	maxSharedEntries = 100_000
	maxSharedBytes   = 64 << 20
)

type sharedKey struct {
	kind diskKind
	path string
	// limit is the read limit in effect: a session reading with a lower
	// one must not see a file it would refuse, or more of a Go file than
	// it would read.
	limit int64
}

type sharedEntry struct {
	value any
	size  int64
}

func sharedGet(k sharedKey) (any, bool) {
	sharedCache.mu.Lock()
	defer sharedCache.mu.Unlock()
	e, ok := sharedCache.entries[k]
	return e.value, ok
}

func sharedPut(k sharedKey, v any, size int64) {
	sharedCache.mu.Lock()
	defer sharedCache.mu.Unlock()
	if _, ok := sharedCache.entries[k]; ok || len(sharedCache.entries) >= maxSharedEntries || sharedCache.bytes+size > maxSharedBytes {
		return
	}
	sharedCache.entries[k] = sharedEntry{v, size}
	sharedCache.bytes += size
}

// viaShared reads through sharedCache when share says the answer is
// module-cache content: from it if it holds the answer, else with read,
// keeping what read found.
func viaShared[T any](k sharedKey, share bool, read func() (T, diskRead)) (T, diskRead) {
	if share {
		if v, ok := sharedGet(k); ok {
			return v.(T), diskRead{shared: true}
		}
	}
	v, r := read()
	if share && !r.missing && !r.unshared {
		size := r.held
		if size == 0 {
			size = r.bytes
		}
		sharedPut(k, v, size)
	}
	return v, r
}
