package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/module"
)

// loadWithin loads folders like Load, failing the test if that takes
// longer than a generous deadline: a hang detector for reads that block
// (the blocked goroutine is left behind, but the test ends and says why).
func loadWithin(t *testing.T, env Env, folders []string, limits Limits) *Snapshot {
	t.Helper()
	done := make(chan *Snapshot, 1)
	go func() { done <- LoadWithLimits(env, folders, limits) }()
	select {
	case snap := <-done:
		return snap
	case <-time.After(30 * time.Second):
		t.Fatalf("loading %v did not finish in 30s: a read blocked", folders)
		return nil
	}
}

// skipOf returns why path was skipped, failing if it was not.
func skipOf(t *testing.T, snap *Snapshot, path string) *SkipError {
	t.Helper()
	f := snap.File(path)
	if f == nil {
		t.Fatalf("%s is not in the snapshot; want it recorded as skipped", path)
	}
	if f.Skipped == nil {
		t.Fatalf("%s was read (%d bytes); want it skipped", path, len(f.Content()))
	}
	if len(f.Content()) != 0 {
		t.Errorf("skipped %s has %d bytes of content", path, len(f.Content()))
	}
	return f.Skipped
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
}

// A go.sum committed as a link to /dev/zero was read without a limit: check
// and serve ran out of memory. It leaves the workspace, so it is not even
// opened.
func TestReadSumLinkedToDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	ws := writeTree(t, map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n"})
	symlink(t, "/dev/zero", filepath.Join(ws, "go.sum"))
	snap := loadWithin(t, Env{}, []string{ws}, Limits{})
	skip := skipOf(t, snap, filepath.Join(ws, "go.sum"))
	if skip.Reason != SkipOutside || skip.Target != "/dev/zero" {
		t.Errorf("skip = %+v, want SkipOutside to /dev/zero", skip)
	}
	if sf := snap.GoSum(ws); sf == nil || sf.Len() != 0 || sf.File.Skipped == nil {
		t.Errorf("GoSum = %+v, want an empty skipped sum file", sf)
	}
	if m := snap.Module(ws); m == nil || m.Mod == nil {
		t.Errorf("go.mod beside the skipped go.sum was not read: %+v", m)
	}
}

// A link to a device inside the workspace is refused for what it is, not
// for where it leads (GOMODCACHE pointing at /dev stands for "a device
// inside the allowed roots").
func TestReadDeviceInsideRoots(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	ws := writeTree(t, map[string]string{"go.mod": "module example.com/m\n"})
	symlink(t, "/dev/zero", filepath.Join(ws, "go.sum"))
	snap := loadWithin(t, Env{GOMODCACHE: "/dev"}, []string{ws}, Limits{})
	skip := skipOf(t, snap, filepath.Join(ws, "go.sum"))
	if skip.Reason != SkipNotRegular || !strings.Contains(skip.Error(), "character device") {
		t.Errorf("skip = %v (%+v), want SkipNotRegular, a character device", skip, skip)
	}
}

func TestReadOverLimit(t *testing.T) {
	gomod := "module example.com/m\n\ngo 1.22\n" + strings.Repeat("// padding\n", 20)
	ws := writeTree(t, map[string]string{
		"big/go.mod":   gomod,
		"big/go.sum":   strings.Repeat("example.com/x v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", 3),
		"small/go.mod": "module example.com/small\n",
		"small/go.sum": "example.com/x v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
	})
	limits := Limits{FileSize: int64(len(gomod)) - 1, SumFileSize: 100}
	snap := loadWithin(t, Env{}, []string{ws}, limits)
	if skip := skipOf(t, snap, filepath.Join(ws, "big", "go.mod")); skip.Reason != SkipTooLarge || skip.Limit != limits.FileSize || skip.Kind != KindGoMod {
		t.Errorf("big/go.mod: skip = %+v, want SkipTooLarge at %d (go.mod)", skip, limits.FileSize)
	}
	if skip := skipOf(t, snap, filepath.Join(ws, "big", "go.sum")); skip.Reason != SkipTooLarge || skip.Limit != 100 || skip.Kind != KindGoSum {
		t.Errorf("big/go.sum: skip = %+v, want SkipTooLarge at 100 (go.sum)", skip)
	}
	if m := snap.Module(filepath.Join(ws, "big")); m == nil || m.Mod != nil || m.Err == nil {
		t.Errorf("skipped go.mod: Module = %+v, want one that did not parse", m)
	}
	for _, p := range []string{"small/go.mod", "small/go.sum"} {
		if f := snap.File(filepath.Join(ws, p)); f == nil || f.Skipped != nil || len(f.Content()) == 0 {
			t.Errorf("%s within the limits: %+v, want it read", p, f)
		}
	}
	if got := len(snap.Skipped()); got != 2 {
		t.Errorf("Skipped() has %d files, want 2", got)
	}
	// Exactly at the limit is read.
	snap = loadWithin(t, Env{}, []string{filepath.Join(ws, "big")}, Limits{FileSize: int64(len(gomod))})
	if f := snap.File(filepath.Join(ws, "big", "go.mod")); f == nil || f.Skipped != nil {
		t.Errorf("go.mod of exactly the limit: %+v, want it read", f)
	}
}

// A link to a file outside the folders (a secret the diagnostics would
// quote) is refused; a link to a file inside is followed.
func TestReadSymlinkConfinement(t *testing.T) {
	root := writeTree(t, map[string]string{
		"ws/go.mod":          "module example.com/m\n",
		"ws/real/go.mod":     "module example.com/real\n",
		"ws/inside/.keep":    "",
		"secret/id_rsa":      "-----BEGIN OPENSSH PRIVATE KEY-----\n",
		"ws/sub/placeholder": "",
	})
	ws := filepath.Join(root, "ws")
	symlink(t, filepath.Join(root, "secret", "id_rsa"), filepath.Join(ws, "go.sum"))
	symlink(t, "../real/go.mod", filepath.Join(ws, "inside", "go.mod"))
	snap := loadWithin(t, Env{}, []string{ws}, Limits{})
	skip := skipOf(t, snap, filepath.Join(ws, "go.sum"))
	if skip.Reason != SkipOutside || skip.Target != ResolvePath(filepath.Join(root, "secret", "id_rsa")) {
		t.Errorf("skip = %+v, want SkipOutside to the secret", skip)
	}
	if f := snap.File(filepath.Join(ws, "inside", "go.mod")); f == nil || f.Skipped != nil || !strings.Contains(string(f.Content()), "example.com/real") {
		t.Errorf("link to a go.mod inside the folder: %+v, want it read", f)
	}
}

// A go.work may use a module outside the folders: a real directory there is
// read, as the go command does; a use directory that is a link out of the
// folder is not (its go.mod is recorded as skipped).
func TestReadUsedModulesOutside(t *testing.T) {
	root := writeTree(t, map[string]string{
		"ws/go.work":      "go 1.22\n\nuse ../other\nuse ./link\n",
		"other/go.mod":    "module example.com/other\n",
		"outside/go.mod":  "module example.com/outside\n",
		"outside/go.sum":  "",
		"elsewhere/x.txt": "secret\n",
	})
	ws := filepath.Join(root, "ws")
	symlink(t, filepath.Join(root, "outside"), filepath.Join(ws, "link"))
	symlink(t, filepath.Join(root, "elsewhere", "x.txt"), filepath.Join(root, "other", "go.sum"))
	snap := loadWithin(t, Env{}, []string{ws}, Limits{})
	if m := snap.Module(filepath.Join(root, "other")); m == nil || m.Mod == nil {
		t.Errorf("used module in a real directory outside the folder: %+v, want it read", m)
	}
	// other/go.sum leads out of other/: refused even outside the folders.
	if skip := skipOf(t, snap, filepath.Join(root, "other", "go.sum")); skip.Reason != SkipOutside {
		t.Errorf("other/go.sum: %+v, want SkipOutside", skip)
	}
	if skip := skipOf(t, snap, filepath.Join(ws, "link", "go.mod")); skip.Reason != SkipOutside {
		t.Errorf("link/go.mod: %+v, want SkipOutside", skip)
	}
}

// GOWORK names a file the user chose: it is read wherever its link leads.
func TestReadExplicitGOWORK(t *testing.T) {
	root := writeTree(t, map[string]string{
		"ws/a/go.mod":          "module example.com/a\n",
		"dotfiles/go.work":     "go 1.22\n\nuse ../ws/a\n",
		"config/placeholder":   "",
		"dotfiles/go.work.sum": "",
	})
	gowork := filepath.Join(root, "config", "go.work")
	symlink(t, filepath.Join(root, "dotfiles", "go.work"), gowork)
	snap := loadWithin(t, Env{GOWORK: gowork}, []string{filepath.Join(root, "ws")}, Limits{})
	if w := snap.Work(filepath.Join(root, "config")); w == nil || w.Work == nil {
		t.Fatalf("GOWORK's go.work (a link out of everything): %+v, want it read", w)
	}
}

// A dependency's go.mod in the module cache larger than the limit is not
// read: the graph is incomplete (and the checks using it silent), never a
// huge allocation.
func TestReadDependencyGoModOverLimit(t *testing.T) {
	cache := t.TempDir()
	ws := writeTree(t, map[string]string{"go.mod": "module example.com/m\n"})
	small := module.Version{Path: "example.com/small", Version: "v1.0.0"}
	big := module.Version{Path: "example.com/big", Version: "v1.0.0"}
	snap := loadWithin(t, Env{GOMODCACHE: cache}, []string{ws}, Limits{FileSize: 200})
	for _, c := range []struct {
		mod     module.Version
		content string
	}{
		{small, "module example.com/small\n\ngo 1.21\n"},
		{big, "module example.com/big\n\ngo 1.21\n" + strings.Repeat("// padding\n", 100)},
	} {
		p := snap.ModuleCacheGoMod(c.mod)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if v, ok := snap.DependencyGoVersion(snap.ModuleCacheGoMod(small)); !ok || v != "1.21" {
		t.Errorf("small dependency go.mod: %q %v, want 1.21", v, ok)
	}
	if f := snap.DependencyGoMod(snap.ModuleCacheGoMod(big)); f != nil {
		t.Errorf("dependency go.mod over the limit was parsed: %+v", f.Module)
	}
	if _, ok := snap.ModuleCacheSum(module.Version{Path: big.Path, Version: big.Version + "/go.mod"}); ok {
		t.Errorf("the hash of a cached go.mod over the limit was computed")
	}
}

func TestReadRegular(t *testing.T) {
	dir := writeTree(t, map[string]string{"f": "0123456789"})
	f := filepath.Join(dir, "f")
	if data, err := readRegular(f, 10, false); err != nil || string(data) != "0123456789" {
		t.Errorf("at the limit: %q %v", data, err)
	}
	var skip *SkipError
	if _, err := readRegular(f, 9, false); !errors.As(err, &skip) || skip.Reason != SkipTooLarge {
		t.Errorf("over the limit: %v, want SkipTooLarge", err)
	}
	if data, err := readRegular(f, 4, true); err != nil || string(data) != "0123" {
		t.Errorf("truncated: %q %v, want 0123", data, err)
	}
	if _, err := readRegular(dir, 10, false); !errors.Is(err, errIsDir) {
		t.Errorf("directory: %v, want errIsDir", err)
	}
	if _, err := readRegular(filepath.Join(dir, "missing"), 10, false); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v, want ErrNotExist", err)
	}
}

// A skipped file that becomes a regular one is read at the next change a
// watcher reports, and an editor buffer for it wins over the skip.
func TestReadSkippedThenFixed(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	ws := writeTree(t, map[string]string{"go.mod": "module example.com/m\n"})
	sum := filepath.Join(ws, "go.sum")
	symlink(t, "/dev/zero", sum)
	s := NewSession(Env{}, []string{ws})
	if f := s.Snapshot().File(sum); f == nil || f.Skipped == nil {
		t.Fatalf("go.sum -> /dev/zero: %+v, want skipped", f)
	}
	if f := s.Open(sum, []byte("x v1.0.0 h1:=\n"), 1).File(sum); f.Skipped != nil || len(f.Content()) == 0 {
		t.Errorf("open buffer over a skipped file: %+v, want the buffer", f)
	}
	s.Close(sum)
	if err := os.Remove(sum); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sum, []byte("x v1.0.0 h1:=\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	snap := s.DiskChanged([]string{sum})
	if f := snap.File(sum); f == nil || f.Skipped != nil || len(snap.Skipped()) != 0 {
		t.Errorf("after the link became a file: %+v, want it read", f)
	}
}
