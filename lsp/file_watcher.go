package lsp

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
	"go.uber.org/zap"

	"github.com/gomodls/gomodls/workspace"
)

// fileWatcher watches the workspace folders with fsnotify, for clients that
// cannot register file watchers. fsnotify watches directories, not trees,
// so it holds one watch per directory that workspace discovery searches
// (see skipDir), plus vendor directories (for modules.txt and their
// deletion, not their contents), and adds watches as directories appear.
//
// Events are coalesced: after one, the watcher waits until none has come
// for the debounce interval (and no longer than maxDelayFactor intervals
// after the first), then reports every changed path in one call, so that
// `go mod vendor` rewriting thousands of files makes one snapshot.
type fileWatcher struct {
	log      *zap.Logger
	fs       *fsnotify.Watcher
	debounce time.Duration
	onChange func(paths []string)
	done     chan struct{}
	loopDone chan struct{}
	stop     sync.Once

	mu        sync.Mutex
	roots     []string        // watched with their subdirectories
	alone     map[string]bool // watched without their subdirectories
	watched   map[string]bool // every directory with a watch
	addFailed int             // watches that could not be added
}

// maxDelayFactor bounds how long a continuous burst of events can postpone
// the report: maxDelayFactor debounce intervals after its first event.
const maxDelayFactor = 10

// newFileWatcher starts a watcher that calls onChange, on its own goroutine,
// with the paths that changed: module files and directories, created,
// written or removed. It watches nothing until setDirs is called.
func newFileWatcher(log *zap.Logger, debounce time.Duration, onChange func(paths []string)) (*fileWatcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &fileWatcher{
		log:      log,
		fs:       fsw,
		debounce: debounce,
		onChange: onChange,
		done:     make(chan struct{}),
		loopDone: make(chan struct{}),
		alone:    make(map[string]bool),
		watched:  make(map[string]bool),
	}
	go w.loop()
	return w, nil
}

// close stops the watcher and waits for its goroutine. It is idempotent.
func (w *fileWatcher) close() {
	w.stop.Do(func() {
		close(w.done)
		<-w.loopDone
		if err := w.fs.Close(); err != nil {
			w.log.Debug("closing the file watcher", zap.Error(err))
		}
	})
}

// setDirs watches roots with their subdirectories and each of alone by
// itself, and stops watching what is neither any more.
func (w *fileWatcher) setDirs(roots, alone []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	wantAlone := make(map[string]bool)
	for _, d := range alone {
		wantAlone[d] = true
	}
	keep := func(dir string) bool {
		return wantAlone[dir] || slices.ContainsFunc(roots, func(r string) bool { return workspace.Within(dir, r) })
	}
	for _, dir := range slices.Sorted(maps.Keys(w.watched)) {
		if !keep(dir) {
			w.remove(dir)
		}
	}
	for _, r := range roots {
		if !slices.Contains(w.roots, r) {
			w.addTree(r, true)
		}
	}
	for d := range wantAlone {
		w.add(d)
	}
	w.roots, w.alone = slices.Clone(roots), wantAlone
}

// watchable reports whether a new directory dir gets a watch: it lies in a
// root, and no directory from the root down to it is skipped, except that
// dir itself may be a vendor directory.
func (w *fileWatcher) watchable(dir string) bool {
	for _, r := range w.roots {
		rel, err := filepath.Rel(r, dir)
		if err != nil || !workspace.Within(dir, r) {
			continue
		}
		if rel == "." {
			return true
		}
		elems := strings.Split(rel, string(filepath.Separator))
		last := len(elems) - 1
		ok := true
		for i, e := range elems {
			if workspace.SkipDir(e) && !(i == last && e == "vendor") {
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

// addTree watches dir and the subdirectories discovery would search. A
// vendor directory that is not a root is watched without its contents.
func (w *fileWatcher) addTree(dir string, isRoot bool) {
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if path == dir && isRoot {
			w.add(path)
			return nil
		}
		if name := d.Name(); workspace.SkipDir(name) {
			if name == "vendor" {
				w.add(path)
			}
			return fs.SkipDir
		}
		w.add(path)
		return nil
	})
}

func (w *fileWatcher) add(dir string) {
	if w.watched[dir] {
		return
	}
	if err := w.fs.Add(dir); err != nil {
		w.addFailed++
		if w.addFailed == 1 {
			msg := "cannot watch a directory; changes beneath it will be missed"
			if errors.Is(err, syscall.ENOSPC) {
				msg += " (the inotify watch limit is reached: raise fs.inotify.max_user_watches)"
			}
			w.log.Warn(msg, zap.String("dir", dir), zap.Error(err))
		} else {
			w.log.Debug("cannot watch a directory", zap.String("dir", dir), zap.Error(err))
		}
		return
	}
	w.watched[dir] = true
}

func (w *fileWatcher) remove(dir string) {
	delete(w.watched, dir)
	if err := w.fs.Remove(dir); err != nil && !errors.Is(err, fsnotify.ErrNonExistentWatch) {
		w.log.Debug("removing a watch", zap.String("dir", dir), zap.Error(err))
	}
}

func (w *fileWatcher) loop() {
	defer close(w.loopDone)
	pending := make(map[string]bool)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var first time.Time // of the pending burst; zero when none
	arm := func() {
		if len(pending) == 0 {
			return
		}
		now := time.Now()
		if first.IsZero() {
			first = now
		}
		wait := min(w.debounce, first.Add(maxDelayFactor*w.debounce).Sub(now))
		timer.Reset(max(wait, 0))
	}
	for {
		select {
		case <-w.done:
			timer.Stop()
			return
		case ev, ok := <-w.fs.Events:
			if !ok {
				return
			}
			w.event(ev, pending)
			arm()
		case err, ok := <-w.fs.Errors:
			if !ok {
				return
			}
			w.log.Warn("file watcher error", zap.Error(err))
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost: re-read everything.
				w.mu.Lock()
				for _, r := range w.roots {
					pending[r] = true
				}
				w.mu.Unlock()
			}
			arm()
		case <-timer.C:
			paths := slices.Sorted(maps.Keys(pending))
			clear(pending)
			first = time.Time{}
			w.report(paths)
		}
	}
}

func (w *fileWatcher) report(paths []string) {
	defer func() {
		if r := recover(); r != nil {
			w.log.Error("panic handling file changes", zap.Any("panic", r), zap.StackSkip("stack", 1))
		}
	}()
	w.onChange(paths)
}

// event records in pending what ev means for the session: a module file
// that changed, a directory that appeared (the session searches it, which
// also finds files created before its watch was added) or a watched
// directory that went away (the session forgets what was in it).
func (w *fileWatcher) event(ev fsnotify.Event, pending map[string]bool) {
	path := filepath.Clean(ev.Name)
	w.mu.Lock()
	defer w.mu.Unlock()
	if ev.Has(fsnotify.Create) {
		if info, err := os.Lstat(path); err == nil && info.IsDir() {
			if w.watchable(path) {
				w.addTree(path, false)
				pending[path] = true
			}
			return
		}
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		if w.watched[path] {
			for dir := range w.watched {
				if workspace.Within(dir, path) {
					w.remove(dir)
				}
			}
			pending[path] = true
			return
		}
	}
	if (workspace.KindOf(path) != workspace.KindUnknown || strings.HasSuffix(path, ".go")) && ev.Op&(fsnotify.Create|fsnotify.Write|fsnotify.Remove|fsnotify.Rename) != 0 {
		pending[path] = true
	}
}
