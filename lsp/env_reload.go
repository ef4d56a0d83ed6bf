package lsp

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
	"go.uber.org/zap"
)

// reloadEnv reads the go environment again (the env file changed, or the
// client's settings did) and, if anything in it changed, rebuilds the
// snapshot with it and re-checks everything: a GOFLAGS removed with go env
// -u must not leave its diagnostic behind.
func (s *server) reloadEnv(ctx context.Context, why string) {
	if s.fixedEnv != nil {
		return
	}
	// One reload at a time, so that an older reading never replaces a
	// newer one (the env file watcher and didChangeConfiguration race).
	s.envReload.Lock()
	defer s.envReload.Unlock()
	s.mu.Lock()
	st := s.settings
	s.mu.Unlock()
	env := s.loadEnv(ctx, st)
	s.mu.Lock()
	changed := !env.Equal(s.env)
	if changed {
		s.env = env
	}
	session := s.session
	s.mu.Unlock()
	if !changed {
		s.log.Debug("go environment unchanged", zap.String("why", why))
		return
	}
	s.log.Info("go environment changed; checking again", zap.String("why", why), zap.String("GOFLAGS", env.GOFLAGS), zap.String("GOENV", env.GOENV))
	s.watchEnvFile(env.GOENV)
	if session == nil {
		return
	}
	// SetEnv walks the folders again, under the session's lock: as a load
	// (load.go), so that messages wait behind it in order rather than the
	// reader goroutine on the lock.
	s.startLoad(ctx, func(context.Context) {
		s.diagnoser.schedule(session.SetEnv(env))
		s.updateWatchedDirs()
	})
}

// didChangeConfigurationParams are workspace/didChangeConfiguration's:
// settings is whatever the client sends, here {"gomodls": {"env": {…}}}
// or the gomodls section itself.
type didChangeConfigurationParams struct {
	Settings json.RawMessage `json:"settings"`
}

// didChangeConfiguration takes a new gomodls.env from the settings, if
// they hold one, and reads the go environment again either way: the
// client may have changed what go env sees in ways it does not send.
func (s *server) didChangeConfiguration(_ context.Context, params *didChangeConfigurationParams) {
	if env, ok := settingsEnv(params.Settings); ok {
		s.mu.Lock()
		s.settings.env = env
		s.mu.Unlock()
	}
	s.goBackground("reading the go environment", func() { s.reloadEnv(s.ctx, "didChangeConfiguration") })
}

// settingsEnv finds gomodls.env in settings, as KEY=VALUE sorted by key.
func settingsEnv(raw json.RawMessage) ([]string, bool) {
	var top map[string]json.RawMessage
	if json.Unmarshal(raw, &top) != nil {
		return nil, false
	}
	if section, ok := top["gomodls"]; ok {
		top = nil
		if json.Unmarshal(section, &top) != nil {
			return nil, false
		}
	}
	rawEnv, ok := top["env"]
	if !ok {
		return nil, false
	}
	var env map[string]string
	if json.Unmarshal(rawEnv, &env) != nil {
		return nil, false
	}
	return envSetting(env), true
}

// envFileWatcher watches the go command's env file (go env -w writes it
// by renaming a temporary file into place, so the directory is what is
// watched). When the directory does not exist yet it watches the nearest
// ancestor that does, and moves down as directories appear.
type envFileWatcher struct {
	fs   *fsnotify.Watcher
	path string
	dir  string // the directory watched
	done chan struct{}
	stop sync.Once
}

// watchEnvFile watches path (the env file, "" for none), replacing any
// earlier watch of another path.
func (s *server) watchEnvFile(path string) {
	s.mu.Lock()
	old := s.envWatcher
	if s.stopped || (old != nil && old.path == path) {
		s.mu.Unlock()
		return
	}
	s.envWatcher = nil
	s.mu.Unlock()
	if old != nil {
		old.close()
	}
	if path == "" {
		return
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		s.log.Warn("cannot watch the go env file", zap.String("path", path), zap.Error(err))
		return
	}
	w := &envFileWatcher{fs: fsw, path: path, done: make(chan struct{})}
	if err := w.rearm(); err != nil {
		s.log.Warn("cannot watch the go env file", zap.String("path", path), zap.Error(err))
		fsw.Close()
		return
	}
	s.mu.Lock()
	if s.stopped || s.envWatcher != nil {
		s.mu.Unlock()
		w.close()
		return
	}
	s.envWatcher = w
	s.mu.Unlock()
	s.log.Info("watching the go env file", zap.String("path", path), zap.String("dir", w.dir))
	s.goBackground("watching the go env file", func() { w.loop(s) })
}

// rearm watches the nearest existing directory on the way to the file.
// A directory nearer the file may appear between looking and adding the
// watch (go env -w creates them all at once), and its creation then
// reaches no watch: so rearm looks again after each watch it adds, until
// the nearest existing directory is the watched one.
func (w *envFileWatcher) rearm() error {
	for {
		dir := nearestExistingDir(filepath.Dir(w.path))
		if dir == w.dir {
			return nil
		}
		if w.dir != "" {
			_ = w.fs.Remove(w.dir)
		}
		if err := w.fs.Add(dir); err != nil {
			return err
		}
		w.dir = dir
	}
}

// nearestExistingDir is dir, or the nearest of its parents that exists.
func nearestExistingDir(dir string) string {
	for {
		if info, err := os.Stat(dir); err == nil && info.IsDir() {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return dir
		}
		dir = parent
	}
}

// loop reloads the environment after events on the way to the env file,
// coalesced over the server's debounce interval.
func (w *envFileWatcher) loop(s *server) {
	var timer <-chan time.Time
	for {
		select {
		case <-w.done:
			return
		case <-s.ctx.Done():
			return
		case ev, ok := <-w.fs.Events:
			if !ok {
				return
			}
			if ev.Name == w.path || slices.Contains(ancestors(w.path), ev.Name) {
				if filepath.Dir(w.path) != w.dir {
					_ = w.rearm()
				}
				timer = time.After(s.debounce)
			}
		case err, ok := <-w.fs.Errors:
			if !ok {
				return
			}
			s.log.Debug("go env file watcher", zap.Error(err))
		case <-timer:
			timer = nil
			s.reloadEnv(s.ctx, "the go env file changed")
		}
	}
}

func (w *envFileWatcher) close() {
	w.stop.Do(func() {
		close(w.done)
		_ = w.fs.Close()
	})
}

// ancestors lists the directories above path, nearest first.
func ancestors(path string) []string {
	var out []string
	for d := filepath.Dir(path); ; d = filepath.Dir(d) {
		out = append(out, d)
		if filepath.Dir(d) == d {
			return out
		}
	}
}
