package diagnostics_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// The benchmarks of one go.mod with thousands of requires or replaces: the
// cost of a snapshot must grow linearly with them (issue 11: a scan of the
// file's directives per directive made 32k requires 4× as costly as 16k).
// The fixture is generated here, over a module cache that holds the go.mod
// of every module it names, so the module graph, the retraction and
// deprecation check and the go.sum checks all do their work:
//
//   - requires=N: a main module requiring N modules, one in 64 of them
//     retracted by a newer cached version, one in 64 deprecated, with their
//     go.sum lines (one in 128 missing);
//   - replaces=N: the same requires but 2 in 8, and N replaces of them,
//     alternating directory replacements outside the workspace folder and
//     module replacements by cached forks; the 2 in 8 not required are
//     unused (a directory that does not exist, a fork): the graph is
//     complete. Half the replaces are in a block, half on lines of their own;
//   - missing=N: N requires, each replaced by a directory that does not
//     exist or by a fork the module cache lacks: a graph missing N go.mod
//     files, each an error on its replace line.
//
// With -short (CI runs every benchmark once that way) the sizes are 1,000
// and 2,000: writing the 32k fixtures' module cache alone takes minutes.
var largeSizes = []int{8000, 16000, 32000}

// BenchmarkLargeGoMod: cold is a new session and every check; edit is one
// keystroke in the go.mod (the first requirement's version changes, back and
// forth between two cached versions) and every check. The module cache is
// shared by the sub-benchmarks and grows with the largest size run.
func BenchmarkLargeGoMod(b *testing.B) {
	cache := &largeCache{dir: b.TempDir()}
	for _, phase := range []string{"cold", "edit"} {
		for _, kind := range []string{"requires", "replaces", "missing"} {
			sizes := largeSizes
			if testing.Short() {
				sizes = []int{1000, 2000}
			}
			for _, n := range sizes {
				b.Run(fmt.Sprintf("%s/%s=%d", phase, kind, n), func(b *testing.B) {
					fx := cache.fixture(b, kind, n)
					var diags []diagnostics.Diagnostic
					if phase == "cold" {
						for b.Loop() {
							sess := workspace.NewSession(fx.env, []string{fx.root})
							diags = diagnostics.Run(sess.Snapshot(), diagnostics.Checks, nil)
						}
					} else {
						sess := workspace.NewSession(fx.env, []string{fx.root})
						diagnostics.Run(sess.Snapshot(), diagnostics.Checks, nil)
						edited := bytes.Replace(fx.gomod, []byte(largeDep(0)+" v1.0.0"), []byte(largeDep(0)+" v1.1.0"), 1)
						contents := [][]byte{fx.gomod, edited}
						sess.Open(fx.gomodPath, contents[0], 1)
						i := 0
						for b.Loop() {
							i++
							snap := sess.Change(fx.gomodPath, contents[i%2], int32(i+1))
							diags = diagnostics.Run(snap, diagnostics.Checks, nil)
						}
					}
					b.ReportMetric(float64(len(diags)), "diagnostics")
				})
			}
		}
	}
}

func largeDep(i int) string  { return fmt.Sprintf("example.com/dep%05d", i) }
func largeFork(i int) string { return fmt.Sprintf("example.com/fork%05d", i) }

// largeCache is the module cache and the replacement directories of the
// fixtures, written up to the n of the largest fixture asked for: the go.mod
// of dep i at v1.0.0 (deprecated when i%64 == 1) and, when i%64 == 0, at
// v1.1.0 retracting v1.0.0; of fork i (odd i) at v1.0.0; and the directory
// local/d<i> holding dep i's go.mod (even i, except i%8 == 6).
type largeCache struct {
	dir     string
	n       int
	depSum  []string // the go.sum line of dep i's v1.0.0 go.mod
	forkSum []string // of fork i's, for odd i
}

func (c *largeCache) modcache() string { return filepath.Join(c.dir, "modcache") }

func (c *largeCache) grow(b *testing.B, n int) {
	cacheMod := func(path, version, content string) string {
		escaped, err := module.EscapePath(path)
		if err != nil {
			b.Fatal(err)
		}
		writeBenchFile(b, filepath.Join(c.modcache(), "cache", "download", filepath.FromSlash(escaped), "@v", version+".mod"), content)
		h, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(content)), nil })
		if err != nil {
			b.Fatal(err)
		}
		return fmt.Sprintf("%s %s/go.mod %s\n", path, version, h)
	}
	for i := c.n; i < n; i++ {
		dep := largeDep(i)
		gomod := fmt.Sprintf("module %s\n\ngo 1.22\n", dep)
		if i%64 == 1 {
			gomod = fmt.Sprintf("// Deprecated: use %s instead.\nmodule %s\n\ngo 1.22\n", largeDep(i+1), dep)
		}
		c.depSum = append(c.depSum, cacheMod(dep, "v1.0.0", gomod))
		if i%64 == 0 {
			cacheMod(dep, "v1.1.0", gomod+"\nretract v1.0.0 // broken\n")
		}
		var forkSum string
		switch {
		case i%2 == 1:
			forkSum = cacheMod(largeFork(i), "v1.0.0", fmt.Sprintf("module %s\n\ngo 1.22\n", largeFork(i)))
		case i%8 != 6:
			writeBenchFile(b, filepath.Join(c.dir, "local", fmt.Sprintf("d%05d", i), "go.mod"), gomod)
		}
		c.forkSum = append(c.forkSum, forkSum)
	}
	c.n = max(c.n, n)
}

type largeFixture struct {
	root, gomodPath string
	gomod           []byte
	env             workspace.Env
}

// fixture writes a new workspace folder holding the go.mod and go.sum of
// kind with n directives (see the top of the file).
func (c *largeCache) fixture(b *testing.B, kind string, n int) largeFixture {
	b.Helper()
	if kind != "missing" {
		c.grow(b, n)
	}
	root := filepath.Join(c.dir, fmt.Sprintf("%s-%d", kind, n))
	var gomod, gosum strings.Builder
	gomod.WriteString("module example.com/main\n\ngo 1.22\n\nrequire (\n")
	for i := 0; i < n; i++ {
		if kind != "replaces" || i%8 < 6 {
			fmt.Fprintf(&gomod, "\t%s v1.0.0\n", largeDep(i))
		}
		switch {
		case i%128 == 5:
		case kind == "requires":
			gosum.WriteString(c.depSum[i])
		case kind == "replaces":
			gosum.WriteString(c.forkSum[i])
		}
	}
	gomod.WriteString(")\n")
	if kind != "requires" {
		gomod.WriteString("\nreplace (\n")
		for i := 0; i < n; i++ {
			if i == n/2 {
				gomod.WriteString(")\n\n")
			}
			if i >= n/2 {
				gomod.WriteString("replace ")
			} else {
				gomod.WriteString("\t")
			}
			switch {
			case kind == "missing" && i%2 == 1:
				fmt.Fprintf(&gomod, "%s => example.com/gone%05d v1.0.0\n", largeDep(i), i)
			case kind == "missing":
				fmt.Fprintf(&gomod, "%s => ../local/missing%05d\n", largeDep(i), i)
			case i%2 == 1:
				fmt.Fprintf(&gomod, "%s => %s v1.0.0\n", largeDep(i), largeFork(i))
			case i%8 == 6:
				fmt.Fprintf(&gomod, "%s => ../local/missing%05d\n", largeDep(i), i)
			default:
				fmt.Fprintf(&gomod, "%s => ../local/d%05d\n", largeDep(i), i)
			}
		}
	}
	fx := largeFixture{
		root:      root,
		gomodPath: filepath.Join(root, "go.mod"),
		gomod:     []byte(gomod.String()),
		env:       workspace.Env{GOMODCACHE: c.modcache()},
	}
	writeBenchFile(b, fx.gomodPath, gomod.String())
	writeBenchFile(b, filepath.Join(root, "go.sum"), gosum.String())
	return fx
}

func writeBenchFile(b *testing.B, path, content string) {
	b.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		b.Fatal(err)
	}
}
