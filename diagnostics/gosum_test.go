package diagnostics

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"

	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

func modHash(t *testing.T, content string) string {
	t.Helper()
	h, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader([]byte(content))), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

const (
	depMod    = "module example.com/dep\n\ngo 1.22\n"
	nestedMod = "module example.com/nested\n\ngo 1.22\n"
	subMod    = "module example.com/nested/sub\n\ngo 1.22\n"
	otherMod  = "module example.com/other\n\ngo 1.22\n"
)

// sumFiles is a module importing dep and nested/sub, requiring nested too
// (so nested's zip is needed to rule out ambiguity), over a module cache.
var sumFiles = map[string]string{
	"m/go.mod": "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0\n\texample.com/nested v1.0.0\n\texample.com/nested/sub v1.0.0\n)\n",
	"m/m.go":   "package m\n\nimport (\n\t_ \"example.com/dep\"\n\t_ \"example.com/nested/sub\"\n)\n",

	"mod example.com/dep@v1.0.0":               depMod,
	"src example.com/dep@v1.0.0/dep.go":        "package dep\n",
	"mod example.com/nested@v1.0.0":            nestedMod,
	"src example.com/nested@v1.0.0/nested.go":  "package nested\n",
	"mod example.com/nested/sub@v1.0.0":        subMod,
	"src example.com/nested/sub@v1.0.0/sub.go": "package sub\n",
	"mod example.com/other@v1.0.0":             otherMod,
	"src example.com/other@v1.0.0/other.go":    "package other\n",
}

// fullSum is the go.sum go mod tidy writes for sumFiles (zip hashes are
// made up: the module cache in these tests holds no .ziphash unless a test
// writes one).
func fullSum(t *testing.T) string {
	return "example.com/dep v1.0.0 h1:DEPZIP=\n" +
		"example.com/dep v1.0.0/go.mod " + modHash(t, depMod) + "\n" +
		"example.com/nested v1.0.0 h1:NESTEDZIP=\n" +
		"example.com/nested v1.0.0/go.mod " + modHash(t, nestedMod) + "\n" +
		"example.com/nested/sub v1.0.0 h1:SUBZIP=\n" +
		"example.com/nested/sub v1.0.0/go.mod " + modHash(t, subMod) + "\n"
}

// gotSum lists "file:line code" for the go.sum check's diagnostics.
func gotSum(root string, diags []Diagnostic) []string {
	var out []string
	for _, d := range diags {
		r, _ := filepath.Rel(root, d.File.Path)
		out = append(out, fmt.Sprintf("%s:%d %s %s", filepath.ToSlash(r), d.File.Point(d.Span.Start).Line+1, d.Severity, d.Code))
	}
	return out
}

func dropLine(s, prefix string) string {
	var out []string
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "")
}

func TestSumMissing(t *testing.T) {
	full := fullSum(t)
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{name: "complete", files: with(sumFiles, "m/go.sum", full)},
		{
			name:  "go.mod hash of a package's module",
			files: with(sumFiles, "m/go.sum", dropLine(full, "example.com/dep v1.0.0/go.mod")),
			want:  []string{"m/go.mod:6 error sum-missing-gomod", "m/go.sum:2 error sum-missing-gomod"},
		},
		{
			name:  "zip hash of a package's module",
			files: with(sumFiles, "m/go.sum", dropLine(full, "example.com/nested/sub v1.0.0 h1")),
			want:  []string{"m/go.mod:8 error sum-missing-zip", "m/go.sum:5 error sum-missing-zip"},
		},
		{
			name:  "zip hash of a prefix module",
			files: with(sumFiles, "m/go.sum", dropLine(full, "example.com/nested v1.0.0 h1")),
			want:  []string{"m/go.mod:7 error sum-missing-ambiguity", "m/go.sum:3 error sum-missing-ambiguity"},
		},
		{
			name:  "no go.sum: on go.mod only",
			files: with(sumFiles, "m/go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n", "m/m.go", "package m\n\nimport _ \"example.com/dep\"\n"),
			want:  []string{"m/go.mod:5 error sum-missing-gomod", "m/go.mod:5 error sum-missing-zip"},
		},
		{
			name:  "a build constraint no platform sets: not built",
			files: with(sumFiles, "m/go.sum", dropLine(full, "example.com/dep v1.0.0 h1"), "m/m.go", "package m\n\nimport _ \"example.com/nested/sub\"\n", "m/tools.go", "//go:build tools\n\npackage m\n\nimport _ \"example.com/dep\"\n"),
		},
		{
			name:  "workspace mode: go fetches into go.work.sum",
			files: with(sumFiles, "go.work", "go 1.22\n\nuse ./m\n", "m/go.sum", dropLine(full, "example.com/dep v1.0.0")),
		},
		{
			// Without the graph, what go.mod alone tells: the lines of the
			// root the build imports from (coldMissingSums).
			name:  "incomplete graph: the imported root's lines",
			files: with(sumFiles, "m/go.sum", dropLine(full, "example.com/dep v1.0.0"), "mod example.com/dep@v1.0.0", ""),
			want:  []string{"m/go.mod:6 error sum-missing-gomod", "m/go.mod:6 error sum-missing-zip", "m/go.sum:1 error sum-missing-gomod", "m/go.sum:1 error sum-missing-zip"},
		},
		{
			name:  "incomplete graph, lines present: silent",
			files: with(sumFiles, "m/go.sum", full, "mod example.com/dep@v1.0.0", ""),
		},
		{
			name:  "vendor directory in use: go.sum not read",
			files: with(sumFiles, "m/go.sum", dropLine(full, "example.com/dep v1.0.0"), "m/vendor/modules.txt", "# example.com/dep v1.0.0\n## explicit\nexample.com/dep\n"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, snap := loadWithCache(t, workspace.Env{}, tt.files)
			diags := goSumCheck.Run(snap)
			Sort(diags)
			var got []string
			for _, g := range gotSum(root, diags) {
				if !strings.Contains(g, "sum-unused") {
					got = append(got, g)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
			for _, d := range diags {
				if !strings.HasPrefix(d.Code, "sum-missing") {
					continue
				}
				if len(d.Fixes) != 2 || d.Fixes[0].Command == nil || d.Fixes[0].Command.Name != CommandDownload || d.Fixes[1].Command == nil || d.Fixes[1].Command.Name != CommandTidy {
					t.Errorf("fixes of %s = %+v, want go mod download and go mod tidy", d.Code, d.Fixes)
				}
				if d.Fixes[0].Command.Dir != filepath.Join(root, "m") {
					t.Errorf("download runs in %s", d.Fixes[0].Command.Dir)
				}
			}
		})
	}
}

func TestSumMissingMessages(t *testing.T) {
	full := fullSum(t)
	root, snap := loadWithCache(t, workspace.Env{}, with(sumFiles, "m/go.sum", dropLine(dropLine(full, "example.com/dep v1.0.0/go.mod"), "example.com/nested v1.0.0 h1")))
	_ = root
	var msgs []string
	for _, d := range goSumCheck.Run(snap) {
		if d.File.Path == filepath.Join(root, "m", "go.mod") {
			msgs = append(msgs, d.Message)
			if got := d.Fixes[0].Command.Args; len(got) != 1 {
				t.Errorf("download args %q", got)
			}
		}
	}
	want := []string{
		"example.com/dep@v1.0.0: missing go.sum entry for go.mod file; to add it:\n\tgo mod download example.com/dep",
		"missing go.sum entry needed to verify package example.com/nested/sub (imported by example.com/m) is provided by exactly one module; to add:\n\tgo get example.com/m",
	}
	if !slices.Equal(msgs, want) {
		t.Errorf("messages %q\nwant %q", msgs, want)
	}
}

func TestSumMismatch(t *testing.T) {
	files := with(sumFiles, "m/go.sum",
		"example.com/dep v1.0.0 h1:DEPZIP=\n"+
			"example.com/dep v1.0.0/go.mod h1:WRONG=\n"+
			"example.com/nested v1.0.0 h1:NESTEDZIP=\n"+
			"example.com/nested v1.0.0/go.mod "+modHash(t, nestedMod)+"\n"+
			"example.com/nested/sub v1.0.0 h1:SUBZIP=\n"+
			"example.com/nested/sub v1.0.0/go.mod "+modHash(t, subMod)+"\n"+
			"example.com/notcached v1.0.0/go.mod h1:ANY=\n")
	root, snap := loadWithCache(t, workspace.Env{}, files)
	// The .ziphash the go command writes next to a downloaded zip.
	for mv, h := range map[string]string{"dep/@v/v1.0.0": "h1:DEPZIP=", "nested/@v/v1.0.0": "h1:OTHERZIP="} {
		p := filepath.Join(snap.Env.GOMODCACHE, "cache", "download", "example.com", filepath.FromSlash(mv)+".ziphash")
		if err := os.WriteFile(p, []byte(h+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, d := range goSumCheck.Run(snap) {
		if d.Code != CodeSumMismatchGoSum {
			continue
		}
		got = append(got, gotSum(root, []Diagnostic{d})...)
		if len(d.Fixes) != 0 {
			t.Errorf("a mismatch has fixes: %+v", d.Fixes)
		}
		if !strings.Contains(d.Message, "SECURITY ERROR") || !strings.Contains(d.Message, "checksum mismatch") {
			t.Errorf("message %q", d.Message)
		}
	}
	want := []string{"m/go.sum:2 error sum-mismatch-gosum", "m/go.sum:3 error sum-mismatch-gosum"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestSumMismatchSeverity(t *testing.T) {
	// other@v1.0.0 is in the module cache; the go.sum lines for it are wrong.
	badOther := "example.com/other v1.0.0/go.mod h1:WRONG=\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name:  "a version the build uses: error",
			files: with(sumFiles, "m/go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/other v1.0.0\n", "m/go.sum", badOther),
			want:  []string{"m/go.sum:1 error sum-mismatch-gosum"},
		},
		{
			name:  "a version no graph has: warning",
			files: with(sumFiles, "m/go.sum", badOther),
			want:  []string{"m/go.sum:1 warning sum-mismatch-gosum"},
		},
		{
			name:  "the module version replacing a required one is used",
			files: with(sumFiles, "m/go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/old v1.0.0\n\nreplace example.com/old => example.com/other v1.0.0\n", "m/go.sum", badOther),
			want:  []string{"m/go.sum:1 error sum-mismatch-gosum"},
		},
		{
			name:  "an incomplete graph cannot tell: error",
			files: with(sumFiles, "m/go.sum", badOther, "mod example.com/dep@v1.0.0", ""),
			want:  []string{"m/go.sum:1 error sum-mismatch-gosum"},
		},
		{
			name:  "a stray go.sum, which no build reads: warning",
			files: with(sumFiles, "stray/go.sum", "example.com/dep v1.0.0/go.mod h1:WRONG=\n"),
			want:  []string{"stray/go.sum:1 warning sum-mismatch-gosum"},
		},
		{
			name: "in a workspace every module's go.sum is read: used by another module",
			files: with(sumFiles, "go.work", "go 1.22\n\nuse (\n\t./m\n\t./o\n)\n", "m/go.sum", badOther,
				"o/go.mod", "module example.com/o\n\ngo 1.22\n\nrequire example.com/other v1.0.0\n"),
			want: []string{"m/go.sum:1 error sum-mismatch-gosum"},
		},
		{
			name:  "in a workspace that does not use the version: warning",
			files: with(sumFiles, "go.work", "go 1.22\n\nuse ./m\n", "m/go.sum", badOther),
			want:  []string{"m/go.sum:1 warning sum-mismatch-gosum"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, snap := loadWithCache(t, workspace.Env{}, tc.files)
			var got []string
			for _, d := range goSumCheck.Run(snap) {
				if d.Code != CodeSumMismatchGoSum {
					continue
				}
				got = append(got, gotSum(root, []Diagnostic{d})...)
				if !strings.Contains(d.Message, "tampered with") || !strings.Contains(d.Message, "SECURITY ERROR") {
					t.Errorf("message %q does not say it may be tampering", d.Message)
				}
				if unused := strings.Contains(d.Message, "no build that reads this go.sum uses"); unused != (d.Severity == SeverityWarning) {
					t.Errorf("%v with message %q", d.Severity, d.Message)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestSumUnused(t *testing.T) {
	full := fullSum(t)
	extra := full + "example.com/other v1.0.0 h1:OTHERZIP=\nexample.com/other v1.0.0/go.mod " + modHash(t, otherMod) + "\n"
	tidyMod := "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0\n\texample.com/nested/sub v1.0.0\n)\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name:  "a module no graph has",
			files: with(sumFiles, "m/go.mod", tidyMod, "m/go.sum", extra),
			want:  []string{"m/go.sum:3 hint sum-unused-lines", "m/go.sum:4 hint sum-unused-lines", "m/go.sum:7 hint sum-unused-lines", "m/go.sum:8 hint sum-unused-lines"},
		},
		{
			name:  "a prefix module that is required: kept",
			files: with(sumFiles, "m/go.sum", extra),
			// nested is a direct requirement that provides no package: tidy
			// would drop it, and its lines: silent.
		},
		{
			name:  "go 1.17 to 1.20: tidy keeps the go 1.16 graph's sums",
			files: with(sumFiles, "m/go.mod", strings.Replace(tidyMod, "go 1.22", "go 1.19", 1), "m/go.sum", extra),
		},
		{
			name:  "a package not found: silent",
			files: with(sumFiles, "m/go.mod", tidyMod, "m/go.sum", extra, "m/x.go", "package m\n\nimport _ \"example.com/missing\"\n"),
		},
		{
			name:  "incomplete graph: silent",
			files: with(sumFiles, "m/go.mod", tidyMod, "m/go.sum", extra, "mod example.com/dep@v1.0.0", ""),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, snap := loadWithCache(t, workspace.Env{}, tt.files)
			var got []string
			for _, d := range goSumCheck.Run(snap) {
				if d.Code != CodeSumUnusedLines {
					continue
				}
				got = append(got, gotSum(root, []Diagnostic{d})...)
				if !slices.Equal(d.Tags, []Tag{TagUnnecessary}) || len(d.Fixes) != 1 || d.Fixes[0].Kind != KindFixAll {
					t.Errorf("tags %v fixes %+v", d.Tags, d.Fixes)
				}
				e := d.Fixes[0].Edits[0]
				if e.NewText != "" || e.Span.Start != d.Span.Start || d.File.Content()[e.Span.End-1] != '\n' {
					t.Errorf("edit %+v does not delete the line", e)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// The unused lines of a go.sum are computed once and reused by the next
// snapshots while the go.sum and the lines kept are the same (issue 10: an
// edit elsewhere must not pay again for a flooded go.sum), and computed
// again when the go.sum changes.
func TestSumUnusedReused(t *testing.T) {
	tidyMod := "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0\n\texample.com/nested/sub v1.0.0\n)\n"
	extra := fullSum(t) + "example.com/other v1.0.0 h1:OTHERZIP=\nexample.com/other v1.0.0/go.mod " + modHash(t, otherMod) + "\n"
	root, snap := loadWithCache(t, workspace.Env{}, with(sumFiles, "m/go.mod", tidyMod, "m/go.sum", extra))
	sess := workspace.NewSession(snap.Env, []string{root})
	unused := func(snap *workspace.Snapshot) []Diagnostic {
		var out []Diagnostic
		for _, d := range goSumCheck.Run(snap) {
			if d.Code == CodeSumUnusedLines {
				out = append(out, d)
			}
		}
		return out
	}
	first := unused(sess.Snapshot())
	if len(first) != 4 {
		t.Fatalf("%d unused lines, want 4", len(first))
	}
	gomod := filepath.Join(root, "m", "go.mod")
	next := unused(sess.Open(gomod, []byte(tidyMod+"// a comment\n"), 1))
	if len(next) != 4 || &next[0].Fixes[0] != &first[0].Fixes[0] {
		t.Errorf("an edit that keeps the same lines computed them again")
	}
	gosum := filepath.Join(root, "m", "go.sum")
	after := unused(sess.Open(gosum, []byte(dropLine(extra, "example.com/other v1.0.0 h1:")), 1))
	if got := gotSum(root, after); !slices.Equal(got, []string{"m/go.sum:3 hint sum-unused-lines", "m/go.sum:4 hint sum-unused-lines", "m/go.sum:7 hint sum-unused-lines"}) {
		t.Errorf("after an edit of go.sum: %q", got)
	}
}

// TestSumInsertAt: the binary search over a sorted go.sum finds the place
// the scan finds.
func TestSumInsertAt(t *testing.T) {
	content := "example.com/a v1.0.0 h1:x=\nexample.com/a v1.0.0/go.mod h1:x=\nexample.com/a v1.2.0/go.mod h1:x=\nexample.com/c v0.1.0 h1:x=\nexample.com/c v0.1.0/go.mod h1:x=\n"
	sf := workspace.ParseSum(workspace.NewFile("/w/go.sum", []byte(content), 0))
	sorted := &sumIndex{sf: sf, sorted: true}
	scanned := &sumIndex{sf: sf}
	for _, key := range []module.Version{
		{Path: "example.com/0", Version: "v1.0.0"}, {Path: "example.com/a", Version: "v0.9.0"},
		{Path: "example.com/a", Version: "v1.0.0"}, {Path: "example.com/a", Version: "v1.0.0/go.mod"},
		{Path: "example.com/a", Version: "v1.1.0/go.mod"}, {Path: "example.com/b", Version: "v1.0.0"},
		{Path: "example.com/c", Version: "v0.1.0/go.mod"}, {Path: "example.com/d", Version: "v1.0.0"},
	} {
		if got, want := sorted.insertAt(key), scanned.insertAt(key); got != want {
			t.Errorf("insertAt(%v) = %d searching, %d scanning", key, got, want)
		}
	}
}

// sumIndex.has answers from a search of a sorted go.sum's lines and from a
// map for an unsorted one, the same way: h1: lines only, duplicates and
// /go.mod keys told apart.
func TestSumIndexHas(t *testing.T) {
	snap := workspace.NewSession(workspace.Env{}, []string{t.TempDir()}).Snapshot()
	lines := []string{
		"example.com/a v1.0.0 h1:a=",
		"example.com/a v1.0.0/go.mod h1:b=",
		"example.com/b v1.2.0/go.mod h1:c=",
		"example.com/b v1.10.0 h1:d=",
		"example.com/c v1.0.0 h2:e=",
	}
	unsorted := []string{lines[3], lines[0], lines[4], lines[2], lines[1]}
	for name, content := range map[string][]string{"sorted": lines, "unsorted": unsorted} {
		sf := workspace.ParseSum(workspace.NewFile("/w/"+name+"/go.sum", []byte(strings.Join(content, "\n")+"\n"), 0))
		x := indexSum(snap, sf)
		if x.sorted != (name == "sorted") {
			t.Fatalf("%s: sorted = %v", name, x.sorted)
		}
		for key, want := range map[string]bool{
			"example.com/a v1.0.0": true, "example.com/a v1.0.0/go.mod": true,
			"example.com/b v1.2.0/go.mod": true, "example.com/b v1.2.0": false,
			"example.com/b v1.10.0": true, "example.com/c v1.0.0": false, "example.com/d v1.0.0": false,
		} {
			path, version, _ := strings.Cut(key, " ")
			if got := x.has(module.Version{Path: path, Version: version}); got != want {
				t.Errorf("%s: has(%s) = %v, want %v", name, key, got, want)
			}
		}
	}
}

func TestJoinPackageDir(t *testing.T) {
	for _, tc := range []struct{ root, rel string }{
		{"/m", "/a/b"},
		{"/m", "/a//b"},
		{"/m", "/a/./b"},
		{"/m", "/a/../b"},
		{"/m", "/a/b/"},
		{"/m", "/.hidden"},
		{"/", "/a"},
		{"/m@v1.0.0", "/a"},
	} {
		if got, want := joinPackageDir(tc.root, tc.rel), filepath.Join(tc.root, filepath.FromSlash(tc.rel)); got != want {
			t.Errorf("joinPackageDir(%q, %q) = %q, want filepath.Join's %q", tc.root, tc.rel, got, want)
		}
	}
}

// A load after an edit of a require's version starts from the previous
// load (loadBase) and must find what a load from nothing finds: the
// packages of the module whose version changed resolved again (dep v1.1.0
// no longer imports other), the others taken over.
func TestLoadAfterVersionEdits(t *testing.T) {
	gomodAt := func(depVersion string) string {
		return "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep " + depVersion + "\n\texample.com/nested/sub v1.0.0\n\texample.com/other v1.0.0\n)\n"
	}
	files := with(sumFiles,
		"m/go.mod", gomodAt("v1.0.0"),
		"src example.com/dep@v1.0.0/dep.go", "package dep\n\nimport _ \"example.com/other\"\n",
		"mod example.com/dep@v1.1.0", depMod,
		"src example.com/dep@v1.1.0/dep.go", "package dep\n",
	)
	root, snap := loadWithCache(t, workspace.Env{}, files)
	sess := workspace.NewSession(snap.Env, []string{root})
	gomod := filepath.Join(root, "m", "go.mod")
	load := func(snap *workspace.Snapshot) (*sumLoad, *modgraph.Graph, *workspace.Module) {
		m := snap.ModuleAt(gomod)
		g := modgraph.Module(snap, m)
		return loadPackages(snap, g, m, "test", keepUnusedSites, nil, true), g, m
	}
	prev, _, _ := load(sess.Snapshot())
	for i, v := range []string{"v1.1.0", "v1.0.0", "v1.1.0"} {
		snap := sess.Open(gomod, []byte(gomodAt(v)), int32(i+1))
		m := snap.ModuleAt(gomod)
		g := modgraph.Module(snap, m)
		base := newLoadBase(prev, g, m, true)
		if base == nil || !slices.Equal(base.changed, []string{"example.com/dep"}) {
			t.Fatalf("dep %s: base %+v, want one whose changed paths are example.com/dep", v, base)
		}
		got, _, _ := load(snap)
		fresh := computeLoadPackages(snap, g, m, "test", keepUnusedSites, nil, true, 0, nil)
		if !maps.Equal(got.pkgs, fresh.pkgs) || !maps.Equal(got.importer, fresh.importer) ||
			!maps.Equal(got.inAll, fresh.inAll) || !maps.Equal(got.testOnly, fresh.testOnly) || got.unresolved != fresh.unresolved {
			t.Errorf("dep %s: the load from the previous one\n\tpkgs %v importer %v\nwant a fresh load's\n\tpkgs %v importer %v", v, got.pkgs, got.importer, fresh.pkgs, fresh.importer)
		}
		_, otherLoaded := got.pkgs["example.com/other"]
		if want := v == "v1.0.0"; otherLoaded != want {
			t.Errorf("dep %s: example.com/other loaded %v, want %v", v, otherLoaded, want)
		}
		prev = got
	}
}
