package workspace

import (
	"errors"
	"io/fs"
	"maps"
	"path/filepath"
	"strings"
	"sync"
)

// A Session holds the mutable state behind a sequence of snapshots: the
// workspace folders, the open editor buffers and the files last read from
// disk. Each method that changes something returns the new Snapshot. A
// Session is safe for concurrent use.
type Session struct {
	mu       sync.Mutex
	env      Env
	limits   Limits
	folders  []string
	disk     map[string]*File // module files as last read from disk
	overlays map[string]*File // open editor buffers, by path
	// lazy caches what the disk holds besides module files, read on first
	// use (see diskCache); its reader reads the module files, within the
	// limits and the confinement roots for the folders and env.
	lazy  *diskCache
	stats *diskCounters // of every lazy the session has had
	snap  *Snapshot
}

// NewSession discovers and reads the module files of folders (absolute
// directory paths) and returns a session holding the first snapshot. It
// reads with DefaultLimits.
func NewSession(env Env, folders []string) *Session {
	return NewSessionWithLimits(env, folders, DefaultLimits)
}

// NewSessionWithLimits is NewSession reading within limits (a zero field
// means its default).
func NewSessionWithLimits(env Env, folders []string, limits Limits) *Session {
	limits = limits.withDefaults()
	s := &Session{
		env:      env,
		limits:   limits,
		disk:     make(map[string]*File),
		overlays: make(map[string]*File),
		stats:    new(diskCounters),
	}
	s.SetFolders(folders)
	return s
}

// Load discovers and parses the module files of folders, with no editor
// buffers: the snapshot `gomodls check` analyses.
func Load(env Env, folders []string) *Snapshot {
	return NewSession(env, folders).Snapshot()
}

// LoadWithLimits is Load reading within limits.
func LoadWithLimits(env Env, folders []string, limits Limits) *Snapshot {
	return NewSessionWithLimits(env, folders, limits).Snapshot()
}

// Snapshot returns the current snapshot.
func (s *Session) Snapshot() *Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snap
}

// SetFolders replaces the workspace folders and rediscovers every file from
// disk. Open buffers are kept.
func (s *Session) SetFolders(folders []string) *Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.setFolders(folders)
}

// SetEnv replaces the go environment (it was read again) and rediscovers
// every file from disk, since GOWORK and GOMODCACHE decide what is read.
// Open buffers are kept.
func (s *Session) SetEnv(env Env) *Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.env = env
	return s.setFolders(s.folders)
}

func (s *Session) setFolders(folders []string) *Snapshot {
	s.folders = cleanFolders(folders)
	s.disk = make(map[string]*File)
	s.lazy = newDiskCache(s.limits, s.folders, s.env, s.stats)
	for _, folder := range s.folders {
		s.walk(folder)
		s.readWorkAbove(folder)
	}
	if gowork := s.env.GOWORK; gowork != "" && gowork != "off" && gowork != "auto" && filepath.IsAbs(gowork) {
		s.readWorkAt(filepath.Dir(filepath.Clean(gowork)), filepath.Clean(gowork))
	}
	s.readUsedModules()
	return s.rebuild()
}

// Open records an editor buffer for path; its content overrides the disk.
func (s *Session) Open(path string, content []byte, version int32) *Snapshot {
	return s.setOverlay(path, content, version)
}

// Change replaces the content of an open buffer (full-document sync).
func (s *Session) Change(path string, content []byte, version int32) *Snapshot {
	return s.setOverlay(path, content, version)
}

func (s *Session) setOverlay(path string, content []byte, version int32) *Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	path = filepath.Clean(path)
	f := NewFile(path, content, version)
	s.overlays[path] = f
	if KindOf(path) == KindGoWork {
		s.readUsedModules()
		return s.rebuild()
	}
	// The common edit: a buffer the snapshot already holds changed, and
	// nothing else (every other change of disk, folders or environment
	// rebuilt s.snap at once, so s.snap holds disk and buffers as they are).
	if prev := s.snap; prev != nil && f.Kind != KindUnknown && at(prev.files, path) != nil && at(prev.files, path).Kind == f.Kind && prev.lazy == s.lazy {
		s.snap = prev.withFile(prev.ID+1, f)
		return s.snap
	}
	return s.rebuild()
}

// Close forgets the editor buffer for path; the disk content (re-read now,
// since the buffer may have been saved or discarded) applies again.
func (s *Session) Close(path string) *Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	path = filepath.Clean(path)
	delete(s.overlays, path)
	s.reread(path)
	return s.rebuild()
}

// IsOpen reports whether path has an editor buffer.
func (s *Session) IsOpen(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.overlays[filepath.Clean(path)]
	return ok
}

// DiskChanged re-reads paths from disk after a file watcher reported them
// created, changed or deleted. A path may be a directory: a deleted directory
// drops every file beneath it (clients do not always report nested deletes),
// a created one is searched for module files. Paths with an open buffer keep
// the buffer's content. What snapshots read on first use is read again
// where the change may have made it stale (see diskCache.without); first,
// so that the files reread here resolve their links afresh.
func (s *Session) DiskChanged(paths []string) *Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lazy = s.lazy.without(paths)
	for _, p := range paths {
		s.reread(filepath.Clean(p))
	}
	s.readUsedModules()
	return s.rebuild()
}

// reread brings s.disk up to date for path, a file or a directory.
func (s *Session) reread(path string) {
	info, err := stat(path)
	switch {
	case err != nil:
		// Gone (or unreadable): forget it and anything beneath it.
		for p := range s.disk {
			if Within(p, path) {
				delete(s.disk, p)
			}
		}
	case info.IsDir():
		if s.discoverable(path) {
			s.walk(path)
		}
	case KindOf(path) != KindUnknown:
		if _, known := s.disk[path]; known || s.discoverable(path) {
			s.read(path)
		}
	}
}

// rebuild makes the next snapshot from the disk files and overlays.
func (s *Session) rebuild() *Snapshot {
	files := maps.Clone(s.disk)
	for p, f := range s.overlays {
		if f.Kind != KindUnknown {
			files[p] = f
		}
	}
	var id uint64
	if s.snap != nil {
		id = s.snap.ID + 1
	}
	s.snap = newSnapshot(s.snap, id, s.env, s.folders, files, s.lazy)
	return s.snap
}

// read reads one module file into s.disk, or drops it if it cannot be read.
// A file readModuleFile refuses is kept as a skipped File (see
// File.Skipped). An unchanged file keeps its *File so that its parse is
// reused.
func (s *Session) read(path string) {
	data, err := s.readDisk(path)
	var skip *SkipError
	switch {
	case errors.As(err, &skip):
		if old := s.disk[path]; old != nil && old.Skipped != nil && *old.Skipped == *skip {
			return
		}
		s.disk[path] = newSkippedFile(path, skip)
		return
	case err != nil:
		delete(s.disk, path)
		return
	}
	if old := s.disk[path]; old != nil && old.Skipped == nil && old.HasContent(data) {
		return
	}
	s.disk[path] = newDiskFile(path, data)
}

// readDisk reads the module file at path through readModuleFile, within the
// session's limits and confinement roots.
func (s *Session) readDisk(path string) ([]byte, error) {
	return s.lazy.reader.readModuleFile(path, KindOf(path))
}

// ReadDisk reads a module file from disk as the session does, for a
// presenter comparing a buffer with the disk: nil with an error when the
// file is missing or refused.
func (s *Session) ReadDisk(path string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.readDisk(filepath.Clean(path))
}

// SkipDir reports whether discovery skips a directory of this name, as the go
// command's "./..." pattern does (plus node_modules). A file watcher uses it
// to watch what discovery reads; vendor is the exception it must handle, since
// vendor/modules.txt matters.
func SkipDir(name string) bool {
	return name == "vendor" || name == "testdata" || name == "node_modules" ||
		strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

// discoverable reports whether discovery would reach path (a directory, or a
// module file): it lies in a workspace folder and no directory between the
// folder and path is skipped. For a vendor manifest the "vendor" element
// itself is allowed.
func (s *Session) discoverable(path string) bool {
	if KindOf(path) == KindVendorManifest {
		path = filepath.Dir(filepath.Dir(path))
	} else if KindOf(path) != KindUnknown {
		path = filepath.Dir(path)
	}
	for _, folder := range s.folders {
		if !Within(path, folder) {
			continue
		}
		rel, err := filepath.Rel(folder, path)
		if err != nil {
			continue
		}
		if rel == "." {
			return true
		}
		ok := true
		for _, elem := range strings.Split(rel, string(filepath.Separator)) {
			if SkipDir(elem) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// walk finds the module files under root. Besides go.mod, go.work and their
// sums it reads vendor/modules.txt next to each go.mod and go.work, the only
// place the go command looks for one. It walks as filepath.WalkDir would
// (entries by name, no link followed, a directory that cannot be listed
// skipped but for root's entries listed before the error), and keeps each
// listing for the first read of the directory's Go files
// (diskCache.keepListing).
func (s *Session) walk(root string) {
	// A folder opened through a link is the directory it names, under the
	// folder's own path: no link is followed below the root, but "root/"
	// is resolved by the kernel.
	if info, err := lstat(root); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		root += string(filepath.Separator)
	}
	var visit func(dir string)
	visit = func(dir string) {
		l := readListing(dir)
		s.lazy.keepListing(cleanPath(dir), l) // root may end in a separator
		if l.err != nil && dir != root {
			return
		}
		// Most entries are neither directories nor module files: their
		// paths are never built. dir is clean but for root's trailing
		// separator, which joinClean keeps single.
		for _, e := range l.entries {
			name := e.Name()
			if e.IsDir() {
				if !SkipDir(name) {
					visit(joinClean(dir, name))
				}
				continue
			}
			switch name {
			case "go.mod", "go.work":
				s.read(joinClean(dir, name))
				s.readIfExists(joinClean(dir, "vendor", "modules.txt"))
			case "go.sum", "go.work.sum":
				s.read(joinClean(dir, name))
			}
		}
	}
	visit(root)
}

func (s *Session) readIfExists(path string) {
	if _, err := lstat(path); err == nil {
		s.read(path) // a link too: read decides whether to follow it
	} else if errors.Is(err, fs.ErrNotExist) {
		delete(s.disk, path)
	}
}

// readWorkAbove reads the nearest go.work in a parent of folder, the one the
// go command would use when run inside it (a go.work inside the folder is
// found by walk). It stops before entering GOROOT, as findWorkspaceFile does.
func (s *Session) readWorkAbove(folder string) {
	for dir := filepath.Dir(folder); ; dir = filepath.Dir(dir) {
		if s.env.GOROOT != "" && Within(dir, s.env.GOROOT) {
			return
		}
		path := filepath.Join(dir, "go.work")
		if info, err := stat(path); err == nil && info.Mode().IsRegular() {
			s.readWorkAt(dir, path)
			return
		}
		if filepath.Dir(dir) == dir {
			return
		}
	}
}

// readWorkAt reads a go.work outside the folders with its go.work.sum and
// vendor manifest, and the modules it uses.
func (s *Session) readWorkAt(dir, path string) {
	s.read(path)
	s.readIfExists(filepath.Join(dir, "go.work.sum"))
	s.readIfExists(filepath.Join(dir, "vendor", "modules.txt"))
	s.readUsedModules()
}

// readUsedModules reads go.mod and go.sum of every directory a known go.work
// uses that discovery did not reach (a module outside the workspace folders),
// so that workspace checks see the whole workspace.
func (s *Session) readUsedModules() {
	for _, files := range []map[string]*File{s.disk, s.overlays} {
		for _, f := range files {
			if f.Kind != KindGoWork {
				continue
			}
			wf := parseWork(f)
			if wf.Work == nil {
				continue
			}
			for _, u := range wf.Work.Use {
				dir := UseDir(wf, u.Path)
				gomod := filepath.Join(dir, "go.mod")
				if _, ok := s.disk[gomod]; ok {
					continue
				}
				s.readIfExists(gomod)
				s.readIfExists(filepath.Join(dir, "go.sum"))
			}
		}
	}
}

func cleanFolders(folders []string) []string {
	out := make([]string, 0, len(folders))
	for _, f := range folders {
		if abs, err := filepath.Abs(f); err == nil {
			out = append(out, abs)
		}
	}
	return out
}

// PathKind is what a path names on disk.
type PathKind int

const (
	PathUnknown PathKind = iota // not looked at
	PathMissing                 // nothing there (or it cannot be read)
	PathFile                    // something other than a directory
	PathDir
)

func pathKind(path string) PathKind {
	info, err := stat(path)
	switch {
	case err != nil:
		return PathMissing
	case info.IsDir():
		return PathDir
	}
	return PathFile
}
