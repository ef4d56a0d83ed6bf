package workspace

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/mod/module"
)

// statOf returns the DiskStat of kind in ds.
func statOf(t *testing.T, ds DiskStats, kind diskKind) DiskStat {
	t.Helper()
	for _, d := range ds {
		if d.Kind == diskKinds[kind].name {
			return d
		}
	}
	t.Fatalf("no %q in %v", diskKinds[kind].name, ds)
	return DiskStat{}
}

// writeModuleCache writes files (slash-separated, relative to the download
// area) into a new module cache and returns it.
func writeModuleCache(t *testing.T, files map[string]string) string {
	t.Helper()
	cache := t.TempDir()
	for name, content := range files {
		p := filepath.Join(cache, "cache", "download", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return cache
}

// A module cache .mod is read once for its parse and its hash, counted as
// one read of its size, and the other asks are hits.
func TestDiskStats(t *testing.T) {
	const gomod = "module example.com/dep\n\ngo 1.22\n"
	cache := writeModuleCache(t, map[string]string{"example.com/dep/@v/v1.0.0.mod": gomod})
	s := NewSession(Env{GOMODCACHE: cache}, []string{t.TempDir()})
	snap := s.Snapshot()
	dep := module.Version{Path: "example.com/dep", Version: "v1.0.0"}
	if f := snap.DependencyGoMod(snap.ModuleCacheGoMod(dep)); f == nil || f.Go.Version != "1.22" {
		t.Fatalf("DependencyGoMod = %v", f)
	}
	if _, ok := snap.ModuleCacheSum(module.Version{Path: dep.Path, Version: dep.Version + "/go.mod"}); !ok {
		t.Fatal("no go.mod hash")
	}
	st := statOf(t, s.DiskStats(), diskModuleCacheMod)
	if st.Reads+st.Shared != 1 || st.Hits != 1+st.Shared || st.Reads == 1 && st.Bytes != int64(len(gomod)) {
		t.Errorf("module cache .mod: %+v, want one read of %d bytes (or one shared hit) and one hit", st, len(gomod))
	}
	if snap.DiskStats().String() == "" {
		t.Error("DiskStats.String is empty after reads")
	}
}

// Module cache files are shared by every session of the process, except a
// missing one, which a later session looks for again; a session reading
// with a lower limit does not see a file it would refuse.
func TestModuleCacheShared(t *testing.T) {
	cache := writeModuleCache(t, map[string]string{"example.com/dep/@v/v1.0.0.mod": "module example.com/dep\n\ngo 1.22\n"})
	gomod := filepath.Join(cache, "cache", "download", "example.com", "dep", "@v", "v1.0.0.mod")
	later := filepath.Join(cache, "cache", "download", "example.com", "dep", "@v", "v1.1.0.mod")
	env := Env{GOMODCACHE: cache}
	first := NewSession(env, []string{t.TempDir()}).Snapshot()
	f := first.DependencyGoMod(gomod)
	if f == nil {
		t.Fatal("not read")
	}
	if first.DependencyGoMod(later) != nil {
		t.Fatal("a missing file parsed")
	}
	if err := os.WriteFile(later, []byte("module example.com/dep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := NewSession(env, []string{t.TempDir()})
	second := s.Snapshot()
	if second.DependencyGoMod(gomod) != f {
		t.Error("a second session read the module cache again")
	}
	if second.DependencyGoMod(later) == nil {
		t.Error("a file missing for the first session is missing for the second")
	}
	if st := statOf(t, s.DiskStats(), diskModuleCacheMod); st.Shared != 1 || st.Reads != 1 {
		t.Errorf("second session: %+v, want one shared hit and one read", st)
	}
	small := NewSessionWithLimits(env, []string{t.TempDir()}, Limits{FileSize: 8}).Snapshot()
	if small.DependencyGoMod(gomod) != nil {
		t.Error("a session with an 8-byte limit got a larger file from another session")
	}
}

// An entry is dropped when a change is reported where its kind's scope
// says it may have changed, and kept otherwise.
func TestDiskScopes(t *testing.T) {
	const key = "/w/m"
	for _, tc := range []struct {
		scope   diskScope
		changed string
		stale   bool
	}{
		{scopeFile, "/w/m", true},
		{scopeFile, "/w", true},
		{scopeFile, "/w/m/x", false},
		{scopeFile, "/w/other", false},
		{scopeFile, "/w/mm", false},
		{scopeTree, "/w/m/x/y.go", true},
		{scopeTree, "/w", true},
		{scopeTree, "/w/other", false},
		{scopeGoTree, "/w/m/p/p.go", true},
		{scopeGoTree, "/w/m/p", true},
		{scopeGoTree, "/w/m/go.mod", false},
		{scopeGoTree, "/w/m/sub/go.sum", false},
	} {
		if got := stale(tc.scope, filepath.FromSlash(key), []string{filepath.FromSlash(tc.changed)}); got != tc.stale {
			t.Errorf("stale(%d, %s, %s) = %v, want %v", tc.scope, key, tc.changed, got, tc.stale)
		}
	}
}

// The reader's memoized resolution answers as ResolvePath does: through a
// linked directory, a missing tail, a loop, a file used as a directory.
func TestReaderResolve(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"real/sub", "other"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{"real/up": "../other", "dirlink": "real", "loop": "loop", "real/sub/abs": filepath.Join(root, "other")} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "real", "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := newDiskReader(DefaultLimits, []string{root}, Env{})
	for _, rel := range []string{
		"real/sub/go.mod", "dirlink/sub/go.mod", "dirlink/up/go.mod", "real/sub/abs/x/y",
		"missing/a/b", "loop/go.mod", "real/file/go.mod", "dirlink/../other/go.mod", "real",
	} {
		p := filepath.Join(root, filepath.FromSlash(rel))
		for range 2 { // resolved, then remembered
			if got, want := r.resolve(p), ResolvePath(p); got != want {
				t.Errorf("resolve(%s) = %q, ResolvePath = %q", rel, got, want)
			}
		}
	}
}

// A directory replaced by a link out of the folders after it was resolved
// is resolved again once a change is reported: the go.mod beneath it is
// then refused.
func TestResolveAfterChange(t *testing.T) {
	root := t.TempDir()
	ws, outside := filepath.Join(root, "ws"), filepath.Join(root, "outside")
	for _, d := range []string{filepath.Join(ws, "a"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{filepath.Join(ws, "a"), outside} {
		if err := os.WriteFile(filepath.Join(d, "go.mod"), []byte("module example.com/a\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := NewSession(Env{}, []string{ws})
	gomod := filepath.Join(ws, "a", "go.mod")
	if f := s.Snapshot().File(gomod); f == nil || f.Skipped != nil {
		t.Fatalf("a/go.mod = %+v", f)
	}
	if err := os.RemoveAll(filepath.Join(ws, "a")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(ws, "a")); err != nil {
		t.Fatal(err)
	}
	f := s.DiskChanged([]string{gomod}).File(gomod)
	if f == nil || f.Skipped == nil || f.Skipped.Reason != SkipOutside {
		t.Errorf("a/go.mod through a link out of the folder = %+v, want skipped as outside", f)
	}
}

func TestWithin(t *testing.T) {
	for _, tc := range []struct {
		path, dir string
		want      bool
	}{
		{"/a/b", "/a/b", true},
		{"/a/b/c", "/a/b", true},
		{"/a/bc", "/a/b", false},
		{"/a", "/a/b", false},
		{"/a", "/", true},
		{"/", "/", true},
		{"/a/b/", "/a/b", true},
	} {
		if got := Within(filepath.FromSlash(tc.path), filepath.FromSlash(tc.dir)); got != tc.want {
			t.Errorf("Within(%s, %s) = %v, want %v", tc.path, tc.dir, got, tc.want)
		}
	}
}

// An entry is read once however many ask at the same time, and a read in
// progress holds up only the askers of its own entry.
func TestLookupOnce(t *testing.T) {
	c := newDiskCache(DefaultLimits, nil, Env{}, new(diskCounters))
	release := make(chan struct{})
	var calls atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := lookup(c, diskPathKind, "/slow", func() (PathKind, diskRead) {
				calls.Add(1)
				<-release
				return PathDir, diskRead{}
			})
			if v != PathDir {
				t.Errorf("got %v", v)
			}
		}()
	}
	// While /slow is being read, another entry answers.
	for calls.Load() == 0 {
		runtime.Gosched()
	}
	if v := lookup(c, diskPathKind, "/fast", func() (PathKind, diskRead) { return PathFile, diskRead{} }); v != PathFile {
		t.Errorf("fast = %v", v)
	}
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("read %d times", n)
	}
	if st := statOf(t, c.stats.snapshot(), diskPathKind); st.Reads != 2 || st.Hits != 7 {
		t.Errorf("stats %+v, want 2 reads and 7 hits", st)
	}
}
