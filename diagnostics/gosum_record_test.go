package diagnostics

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gomodls/gomodls/workspace"
)

// recordFiles is sumFiles with a local replacement (loc, a directory
// beside m that m imports), nested no longer required, and other required
// as indirect but imported by nothing: its zip line is unused until
// something imports it.
func recordFiles(t *testing.T) map[string]string {
	gomod := "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0\n\texample.com/loc v0.0.0\n\texample.com/nested/sub v1.0.0\n\texample.com/other v1.0.0 // indirect\n)\n\nreplace example.com/loc => ../loc\n"
	sum := fullSum(t) + "example.com/other v1.0.0 h1:OTHERZIP=\nexample.com/other v1.0.0/go.mod " + modHash(t, otherMod) + "\n"
	return with(sumFiles,
		"m/go.mod", gomod,
		"m/go.sum", sum,
		"m/m.go", "package m\n\nimport (\n\t_ \"example.com/dep\"\n\t_ \"example.com/loc\"\n\t_ \"example.com/nested/sub\"\n)\n",
		"loc/go.mod", "module example.com/loc\n\ngo 1.22\n",
		"loc/loc.go", "package loc\n",
	)
}

// unusedLines runs the go.sum check on a new snapshot of root (a new
// session: what a new process sees) and lists its unused lines.
func unusedLines(t *testing.T, env workspace.Env, root string) []string {
	t.Helper()
	snap := workspace.Load(env, []string{root})
	var got []string
	for _, d := range goSumCheck.Run(snap) {
		if d.Code == CodeSumUnusedLines {
			got = append(got, gotSum(root, []Diagnostic{d})...)
		}
	}
	return got
}

// useDerivedResults turns derived results on for the test; each subtest
// names its own package index (SetPackageIndexDir). Both are off after.
func useDerivedResults(t *testing.T) {
	workspace.KeepDerivedResults(true)
	t.Cleanup(func() {
		workspace.KeepDerivedResults(false)
		workspace.SetPackageIndexDir("")
	})
}

// newProcess writes what this process kept and forgets it, as a process
// that ends and the next that starts.
func newProcess(t *testing.T, index string) {
	t.Helper()
	if err := workspace.FlushPackageIndex(); err != nil {
		t.Fatal(err)
	}
	workspace.SetPackageIndexDir("")
	workspace.SetPackageIndexDir(index)
}

// tamperLines drops the kept results' lines that start with prefix, so
// that a recalled result shows.
func tamperLines(t *testing.T, index, prefix string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(index, "derived", "*"))
	if len(files) != 1 {
		t.Fatalf("derived results: %d files, want 1", len(files))
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, l := range strings.SplitAfter(string(data), "\n") {
		if !strings.HasPrefix(l, prefix) {
			kept = append(kept, l)
		}
	}
	if len(kept) == strings.Count(string(data), "\n")+1 {
		t.Fatalf("no %q line kept to tamper with", prefix)
	}
	if err := os.WriteFile(files[0], []byte(strings.Join(kept, "")), 0o600); err != nil {
		t.Fatal(err)
	}
}

// What tidy keeps of a go.sum is recalled by the next process while
// everything it was derived from is the same, and derived again when one
// of its inputs changes: the module's Go files, a replacement directory's
// packages, the module cache's extracted modules, the go.mod. A tampered
// record shows which: recalled, its answer (every line unused) comes out.
func TestSumUnusedRecalled(t *testing.T) {
	useDerivedResults(t)
	tamperedAll := []string{"m/go.sum:1 hint sum-unused-lines", "m/go.sum:2 hint sum-unused-lines", "m/go.sum:3 hint sum-unused-lines",
		"m/go.sum:4 hint sum-unused-lines", "m/go.sum:5 hint sum-unused-lines", "m/go.sum:6 hint sum-unused-lines",
		"m/go.sum:7 hint sum-unused-lines", "m/go.sum:8 hint sum-unused-lines"}
	// nested's lines (3 and 4: m requires nested/sub only) and other's
	// zip (7).
	unused := []string{"m/go.sum:3 hint sum-unused-lines", "m/go.sum:4 hint sum-unused-lines", "m/go.sum:7 hint sum-unused-lines"}
	otherUsed := unused[:2]

	tests := []struct {
		name   string
		change func(root, modcache string) error
		want   []string // after the change
	}{
		{
			name:   "nothing changed: recalled",
			change: func(string, string) error { return nil },
			want:   tamperedAll,
		},
		{
			name: "a package of the replacement directory imports other",
			change: func(root, _ string) error {
				return os.WriteFile(filepath.Join(root, "loc", "loc.go"), []byte("package loc\n\nimport _ \"example.com/other\"\n"), 0o644)
			},
			want: otherUsed,
		},
		{
			name: "a command of the module, which no package imports, imports other",
			change: func(root, _ string) error {
				dir := filepath.Join(root, "m", "cmd", "x")
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return err
				}
				return os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nimport _ \"example.com/other\"\n\nfunc main() {}\n"), 0o644)
			},
			want: otherUsed,
		},
		{
			name: "a module's extracted files are gone",
			change: func(_, modcache string) error {
				return os.RemoveAll(filepath.Join(modcache, "example.com", "dep@v1.0.0"))
			},
			// dep's package cannot be found: silent
		},
		{
			name: "the go.mod changed",
			change: func(root, _ string) error {
				gomod := filepath.Join(root, "m", "go.mod")
				data, err := os.ReadFile(gomod)
				if err != nil {
					return err
				}
				return os.WriteFile(gomod, append(data, "// a comment\n"...), 0o644)
			},
			want: unused,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			index := t.TempDir()
			workspace.SetPackageIndexDir(index)
			root, snap := loadWithCache(t, workspace.Env{}, recordFiles(t))
			if got := unusedLines(t, snap.Env, root); !slices.Equal(got, unused) {
				t.Fatalf("first check: %q, want %q", got, unused)
			}
			newProcess(t, index)
			tamperLines(t, index, "k\t") // every go.sum line then unused
			if err := tt.change(root, snap.Env.GOMODCACHE); err != nil {
				t.Fatal(err)
			}
			if got := unusedLines(t, snap.Env, root); !slices.Equal(got, tt.want) {
				t.Errorf("after the change: %q, want %q", got, tt.want)
			}
		})
	}
}

// ageDownloads sets every directory of the module cache's download area an
// hour back: the download index records only directories that settled.
func ageDownloads(t *testing.T, modcache string) {
	t.Helper()
	long := time.Now().Add(-time.Hour)
	err := filepath.WalkDir(filepath.Join(modcache, "cache", "download"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			err = os.Chtimes(path, long, long)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The comparison of a go.sum with the module cache is recalled while the
// go.sum and the download area's directories of its modules are the same,
// and made again when either changes. Tampered (its mismatches dropped), a
// recalled record reports none.
func TestSumMismatchRecalled(t *testing.T) {
	useDerivedResults(t)
	sum := "example.com/dep v1.0.0 h1:DEPZIP=\n" +
		"example.com/dep v1.0.0/go.mod h1:WRONG=\n" +
		"example.com/nested v1.0.0/go.mod " + modHash(t, nestedMod) + "\n"
	mismatches := func(env workspace.Env, root string) []string {
		var got []string
		for _, d := range goSumCheck.Run(workspace.Load(env, []string{root})) {
			if d.Code == CodeSumMismatchGoSum {
				got = append(got, gotSum(root, []Diagnostic{d})...)
			}
		}
		return got
	}
	wrongMod := []string{"m/go.sum:2 error sum-mismatch-gosum"}
	tests := []struct {
		name   string
		change func(root, modcache string) error
		want   []string
	}{
		{
			name:   "nothing changed: recalled",
			change: func(string, string) error { return nil },
		},
		{
			name: "a zip downloaded",
			change: func(_, modcache string) error {
				return os.WriteFile(filepath.Join(modcache, "cache", "download", "example.com", "dep", "@v", "v1.0.0.ziphash"), []byte("h1:OTHER=\n"), 0o644)
			},
			want: []string{"m/go.sum:1 error sum-mismatch-gosum", "m/go.sum:2 error sum-mismatch-gosum"},
		},
		{
			name: "the go.sum changed, naming the same modules",
			change: func(root, _ string) error {
				return os.WriteFile(filepath.Join(root, "m", "go.sum"), []byte(strings.Replace(sum, modHash(t, nestedMod), "h1:WRONG=", 1)), 0o644)
			},
			want: []string{"m/go.sum:2 error sum-mismatch-gosum", "m/go.sum:3 error sum-mismatch-gosum"},
		},
		{
			name: "the go.sum names another module",
			change: func(root, _ string) error {
				return os.WriteFile(filepath.Join(root, "m", "go.sum"), []byte(sum+"example.com/notcached v1.0.0/go.mod h1:ANY=\n"), 0o644)
			},
			want: wrongMod,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			index := t.TempDir()
			workspace.SetPackageIndexDir(index)
			root, snap := loadWithCache(t, workspace.Env{}, with(sumFiles, "m/go.sum", sum))
			ageDownloads(t, snap.Env.GOMODCACHE)
			if got := mismatches(snap.Env, root); !slices.Equal(got, wrongMod) {
				t.Fatalf("first check: %q, want %q", got, wrongMod)
			}
			newProcess(t, index)
			tamperLines(t, index, "m\t")
			if err := tt.change(root, snap.Env.GOMODCACHE); err != nil {
				t.Fatal(err)
			}
			if got := mismatches(snap.Env, root); !slices.Equal(got, tt.want) {
				t.Errorf("after the change: %q, want %q", got, tt.want)
			}
		})
	}
}

// A download directory modified within the last moments cannot be told
// from one modified again after (the download index's rule): no comparison
// that read from one is kept.
func TestSumMismatchNotKeptFromUnsettledDownloads(t *testing.T) {
	index := t.TempDir()
	workspace.SetPackageIndexDir(index)
	useDerivedResults(t)
	root, snap := loadWithCache(t, workspace.Env{}, with(sumFiles, "m/go.sum", fullSum(t)))
	goSumCheck.Run(workspace.Load(snap.Env, []string{root}))
	if err := workspace.FlushPackageIndex(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(index, "derived", "*"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if strings.Contains(string(data), "\tgosum mismatches ") {
			t.Errorf("kept a comparison that read unsettled directories:\n%s", data)
		}
	}
}
