package workspace

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/module"
)

// downloadArea writes a module cache holding files (paths below its
// download area), every file and directory modified an hour ago, as a
// module cache is by the time a check reads it.
func downloadArea(t *testing.T, files map[string]string) string {
	t.Helper()
	gomodcache := t.TempDir()
	download := filepath.Join(gomodcache, "cache", "download")
	for name, content := range files {
		path := filepath.Join(download, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	age(t, download, time.Hour)
	return gomodcache
}

// age sets the modification time of everything below root to d ago.
func age(t *testing.T, root string, d time.Duration) {
	t.Helper()
	then := time.Now().Add(-d)
	err := filepath.Walk(root, func(path string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(path, then, then)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// twoModules is a download area of two module paths: a's v1.0.0 (a go.mod
// requiring b, a zip hash) and v1.1.0 (a go.mod), b's v1.0.0 (a go.mod).
var twoModules = map[string]string{
	"example.com/a/@v/v1.0.0.mod":     "module example.com/a\n\nrequire example.com/b v1.0.0\n",
	"example.com/a/@v/v1.0.0.ziphash": "h1:zip=\n",
	"example.com/a/@v/v1.1.0.mod":     "module example.com/a\n",
	"example.com/a/@v/list":           "v1.0.0\nv1.1.0\n",
	"example.com/b/@v/v1.0.0.mod":     "module example.com/b\n",
}

// downloadAnswers is what a snapshot says of the download area's files.
type downloadAnswers struct {
	modHash, zipHash, missingZip string
	versions                     []string
	require                      int
}

func askDownloads(s *Snapshot) downloadAnswers {
	var a downloadAnswers
	a.modHash, _ = s.ModuleCacheSum(module.Version{Path: "example.com/a", Version: "v1.0.0/go.mod"})
	a.zipHash, _ = s.ModuleCacheSum(module.Version{Path: "example.com/a", Version: "v1.0.0"})
	a.missingZip, _ = s.ModuleCacheSum(module.Version{Path: "example.com/b", Version: "v1.0.0"})
	if h, ok := s.ModuleCacheSum(module.Version{Path: "example.com/none", Version: "v1.0.0"}); ok {
		a.missingZip += " none:" + h
	}
	a.versions = s.ModuleCacheVersions("example.com/a")
	if f := s.DependencyGoMod(s.ModuleCacheGoMod(module.Version{Path: "example.com/a", Version: "v1.0.0"})); f != nil {
		a.require = len(f.Require)
	}
	return a
}

func sameDownloadAnswers(a, b downloadAnswers) bool {
	return a.modHash == b.modHash && a.zipHash == b.zipHash && a.missingZip == b.missingZip && a.require == b.require && slices.Equal(a.versions, b.versions)
}

// A new process answers from the download index what the module cache's
// download area holds — a version's go.mod and its hash, a zip's hash, the
// versions, what is missing — reading none of its files, while each @v
// directory is as it was; a directory that changed is read again.
func TestDownloadIndexServesTheNextProcess(t *testing.T) {
	gomodcache := downloadArea(t, twoModules)
	root := writeTree(t, map[string]string{"go.mod": "module example.com/m\n"})
	index := t.TempDir()
	useIndex(t, index)
	env := Env{GOMODCACHE: gomodcache}

	first := NewSession(env, []string{root}).Snapshot()
	want := askDownloads(first)
	if want.modHash == "" || want.zipHash != "h1:zip=" || want.missingZip != "" || !slices.Equal(want.versions, []string{"v1.0.0", "v1.1.0"}) || want.require != 1 {
		t.Fatalf("first process: %+v", want)
	}
	if got := diskStat(first.DiskStats(), "module cache .mod"); got.Reads != 1 || got.Indexed != 0 {
		t.Errorf("first process, .mod: %+v, want 1 read", got)
	}
	if err := FlushPackageIndex(); err != nil {
		t.Fatal(err)
	}
	if files, _ := os.ReadDir(filepath.Join(index, "downloads")); len(files) != 1 {
		t.Fatalf("index holds %d download files, want one for the workspace", len(files))
	}

	// The go command never rewrites a version's file; rewriting one in
	// place, the directory's time kept, shows the next process does not
	// read it.
	dirA := filepath.Join(gomodcache, "cache", "download", "example.com", "a", "@v")
	before, err := os.Stat(dirA)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dirA, "v1.0.0.mod"), []byte("module example.com/a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(dirA, before.ModTime(), before.ModTime()); err != nil {
		t.Fatal(err)
	}
	forgetModuleCache(t)
	next := NewSession(env, []string{root}).Snapshot()
	if got := askDownloads(next); !sameDownloadAnswers(got, want) {
		t.Errorf("next process: %+v, first %+v", got, want)
	}
	for _, kind := range []string{"module cache .mod", "module cache .ziphash", "module cache versions"} {
		if got := diskStat(next.DiskStats(), kind); got.Reads != 0 || got.Indexed == 0 {
			t.Errorf("next process, %s: %+v, want every answer indexed", kind, got)
		}
	}
	if err := FlushPackageIndex(); err != nil {
		t.Fatal(err)
	}

	// A download changes the directory: it is listed and read again.
	if err := os.WriteFile(filepath.Join(dirA, "v1.2.0.mod"), []byte("module example.com/a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	forgetModuleCache(t)
	after := askDownloads(NewSession(env, []string{root}).Snapshot())
	if !slices.Equal(after.versions, []string{"v1.0.0", "v1.1.0", "v1.2.0"}) || after.modHash == want.modHash || after.require != 0 {
		t.Errorf("after a download: %+v, want v1.2.0 listed and v1.0.0.mod read again", after)
	}
}

// A directory modified within goFileSettle of its listing, or holding
// anything but regular files, is not recorded; with the index off nothing
// is written. Each is read as without an index.
func TestDownloadIndexRecordsSettledDirectoriesOnly(t *testing.T) {
	files := twoModules
	root := writeTree(t, map[string]string{"go.mod": "module example.com/m\n"})
	plain := downloadArea(t, files)
	forgetModuleCache(t)
	want := askDownloads(NewSession(Env{GOMODCACHE: plain}, []string{root}).Snapshot())

	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, download string)
		off     bool
	}{
		{name: "just modified", prepare: func(t *testing.T, download string) {
			age(t, download, time.Hour)
			now := time.Now()
			for _, m := range []string{"a", "b"} {
				if err := os.Chtimes(filepath.Join(download, "example.com", m, "@v"), now, now); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{name: "a link", prepare: func(t *testing.T, download string) {
			for _, m := range []string{"a", "b"} {
				if err := os.Symlink("v1.0.0.mod", filepath.Join(download, "example.com", m, "@v", "link.mod")); err != nil {
					t.Skip(err)
				}
			}
			age(t, download, time.Hour)
		}},
		{name: "index off", off: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gomodcache := downloadArea(t, files)
			if tc.prepare != nil {
				tc.prepare(t, filepath.Join(gomodcache, "cache", "download"))
			}
			index := t.TempDir()
			if tc.off {
				forgetModuleCache(t)
				SetPackageIndexDir("")
			} else {
				useIndex(t, index)
			}
			got := askDownloads(NewSession(Env{GOMODCACHE: gomodcache}, []string{root}).Snapshot())
			if err := FlushPackageIndex(); err != nil {
				t.Fatal(err)
			}
			want := want
			if tc.name == "a link" {
				want.versions = []string{"v1.0.0", "v1.1.0"} // link.mod is no version
			}
			if !sameDownloadAnswers(got, want) {
				t.Errorf("%+v, want %+v", got, want)
			}
			indexFiles, _ := os.ReadDir(filepath.Join(index, "downloads"))
			for _, f := range indexFiles {
				data, _ := os.ReadFile(filepath.Join(index, "downloads", f.Name()))
				if lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n"); len(lines) > 2 {
					t.Errorf("recorded %q", lines[2:])
				}
			}
		})
	}
}

// A download index file that is not in every line what the layout says is
// ignored: the files are read.
func TestDownloadIndexIgnoresBadFiles(t *testing.T) {
	gomodcache := downloadArea(t, twoModules)
	root := writeTree(t, map[string]string{"go.mod": "module example.com/m\n"})
	index := t.TempDir()
	useIndex(t, index)
	env := Env{GOMODCACHE: gomodcache}
	want := askDownloads(NewSession(env, []string{root}).Snapshot())
	if err := FlushPackageIndex(); err != nil {
		t.Fatal(err)
	}
	files, _ := os.ReadDir(filepath.Join(index, "downloads"))
	if len(files) != 1 {
		t.Fatalf("%d index files, want 1", len(files))
	}
	name := filepath.Join(index, "downloads", files[0].Name())
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{
		string(data) + "example.com/c/@v\tnot a time\t\n",
		string(data) + "example.com/c/@v\t1\tv1.0.0.mod\tv1.0.0.mod \"unterminated\n",
		string(data[:len(data)-1]), // cut short
	} {
		if err := os.WriteFile(name, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		forgetModuleCache(t)
		s := NewSession(env, []string{root}).Snapshot()
		if got := askDownloads(s); !sameDownloadAnswers(got, want) {
			t.Errorf("%q: %+v, want %+v", bad, got, want)
		}
		if got := diskStat(s.DiskStats(), "module cache .mod"); got.Reads != 1 {
			t.Errorf("%q: .mod %+v, want it read", bad, got)
		}
	}
}

// A file read from a directory the index already holds is added to its
// record for the next process.
func TestDownloadIndexRecordsFilesReadLater(t *testing.T) {
	gomodcache := downloadArea(t, map[string]string{
		"example.com/a/@v/v1.0.0.mod":     "module example.com/a\n",
		"example.com/a/@v/v1.0.0.ziphash": "h1:zip=\n",
	})
	root := writeTree(t, map[string]string{"go.mod": "module example.com/m\n"})
	useIndex(t, t.TempDir())
	env := Env{GOMODCACHE: gomodcache}
	zip := module.Version{Path: "example.com/a", Version: "v1.0.0"}
	process := func(ask func(*Snapshot)) DiskStat {
		t.Helper()
		forgetModuleCache(t)
		s := NewSession(env, []string{root}).Snapshot()
		ask(s)
		if err := FlushPackageIndex(); err != nil {
			t.Fatal(err)
		}
		return diskStat(s.DiskStats(), "module cache .ziphash")
	}
	process(func(s *Snapshot) { s.ModuleCacheSum(module.Version{Path: "example.com/a", Version: "v1.0.0/go.mod"}) })
	if got := process(func(s *Snapshot) { s.ModuleCacheSum(zip) }); got.Reads != 1 {
		t.Errorf("second process: .ziphash %+v, want it read", got)
	}
	if got := process(func(s *Snapshot) { s.ModuleCacheSum(zip) }); got.Reads != 0 || got.Indexed != 1 {
		t.Errorf("third process: .ziphash %+v, want it indexed", got)
	}
}
