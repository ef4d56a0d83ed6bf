package diagnostics_test

// Benchmarks of every check on synthetic workspaces (internal/workspacegen)
// with a populated module cache, the way users live (issue 11): a cold
// start and one go.mod edit at N = 10, 100 and 1,000 modules, a
// 20,000-line go.sum and a 3,000-module vendor/modules.txt. They measure;
// they assert no timings. CI runs each once (-benchtime=1x).

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/workspacegen"
	"github.com/gomodls/gomodls/workspace"
)

// generate writes the workspace c describes into a temporary directory of b.
func generate(b *testing.B, c workspacegen.Config) workspacegen.Layout {
	b.Helper()
	l, err := workspacegen.Write(b.TempDir(), c)
	if err != nil {
		b.Fatal(err)
	}
	return l
}

// benchEnv is a developer's environment with the generated module cache:
// GOFLAGS empty, GOWORK unset (the go.work above applies).
func benchEnv(l workspacegen.Layout) workspace.Env {
	return workspace.Env{GOMODCACHE: l.ModCache}
}

// runChecks runs checks on snap and fails b on any diagnostic but the
// inherent ones (allowed codes).
func runChecks(b *testing.B, snap *workspace.Snapshot, checks []diagnostics.Check, allowed ...string) []diagnostics.Diagnostic {
	diags := diagnostics.Run(snap, checks, nil)
	for _, d := range diags {
		if !slices.Contains(allowed, d.Code) {
			b.Fatalf("unexpected diagnostic %s: %s", d.Code, d.Message)
		}
	}
	return diags
}

// checksNamed returns the checks of diagnostics.Checks with those names.
func checksNamed(names ...string) []diagnostics.Check {
	var checks []diagnostics.Check
	for _, c := range diagnostics.Checks {
		if slices.Contains(names, c.Name) {
			checks = append(checks, c)
		}
	}
	return checks
}

// versionEdit returns data and data with the version of its first
// requirement of a dependency moved to another version the module cache
// holds: the two contents an edit alternates between.
func versionEdit(b *testing.B, data []byte) [2][]byte {
	b.Helper()
	i := bytes.Index(data, []byte("\texample.org/"))
	if i < 0 {
		b.Fatal("no dependency requirement to edit")
	}
	j := i + bytes.IndexByte(data[i:], '\n')
	line := string(data[i:j])
	other := strings.Replace(line, " v1.0.0", " v1.1.0", 1)
	if other == line {
		other = line[:strings.LastIndexByte(line, ' ')] + " v1.0.0"
	}
	edited := slices.Concat(data[:i], []byte(other), data[j:])
	return [2][]byte{data, edited}
}

// BenchmarkWorkspace: N modules under one go.work, 20 requirements each
// from a pool of 200 cached dependencies, each replacing its neighbour by a
// directory, go.sum files, one vendored module (100 modules, which
// workspace mode ignores: the one vendor-ignored diagnostic pair).
//
// cold: a new session (discover, read and parse every module file) and
// every check, with nothing cached in the process but the OS's page cache;
// live-MB and heap-inuse-MB are the heap after it, with the snapshot held
// (the server's memory after its first diagnostics, less the runtime's).
//
// edit: in a warm session, one module's go.mod (in the middle of the
// neighbour chain) changes a requirement's version, back and forth between
// two cached versions; every check runs on the new snapshot. edit-focused:
// the same edit, and the checks focused on the edited go.mod
// (diagnostics.RunFocused): what the server publishes first, the number
// the user waits for.
func BenchmarkWorkspace(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			l := generate(b, workspacegen.Config{Modules: n, Requires: 20, Vendored: 100, Seed: 1})
			env := benchEnv(l)
			b.Run("cold", func(b *testing.B) {
				var diags []diagnostics.Diagnostic
				var snap *workspace.Snapshot
				for b.Loop() {
					snap = workspace.NewSession(env, []string{l.Root}).Snapshot()
					diags = runChecks(b, snap, diagnostics.Checks, "vendor-ignored")
				}
				b.ReportMetric(float64(len(diags)), "diagnostics")
				// What the server holds after its first whole run: the live
				// heap and the heap's spans in use (what RSS follows), after
				// a collection, with the last session's snapshot alive.
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				runtime.KeepAlive(snap)
				b.ReportMetric(float64(ms.HeapAlloc)/1e6, "live-MB")
				b.ReportMetric(float64(ms.HeapInuse)/1e6, "heap-inuse-MB")
			})
			for _, mode := range []string{"edit", "edit-focused"} {
				b.Run(mode, func(b *testing.B) {
					sess := workspace.NewSession(env, []string{l.Root})
					runChecks(b, sess.Snapshot(), diagnostics.Checks, "vendor-ignored")
					path := filepath.Join(l.Modules[n/2], "go.mod")
					data, err := os.ReadFile(path)
					if err != nil {
						b.Fatal(err)
					}
					contents := versionEdit(b, data)
					sess.Open(path, contents[0], 1)
					focus := diagnostics.FocusOn(path)
					i := 0
					for b.Loop() {
						i++
						snap := sess.Change(path, contents[i%2], int32(i+1))
						if mode == "edit" {
							runChecks(b, snap, diagnostics.Checks, "vendor-ignored")
							continue
						}
						diags, err := diagnostics.RunFocused(context.Background(), snap, diagnostics.Checks, focus, nil)
						if err != nil || len(diags) > 0 {
							b.Fatalf("focused on the edited go.mod: %v, %v", diags, err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkGoSum20k: one module (GOWORK=off) whose go.sum has 20,000 lines:
// the zip and go.mod hashes of its 2,000 requirements and the go.mod hashes
// of what they reach, all cached, plus lines for older versions that the
// module cache does not hold (left over from upgrades, as in long-lived
// go.sum files).
//
// cold: a new session (parse) and the go.sum check. edit: the go.sum,
// open in the editor, gains and loses a last line (an uncached version's);
// the go.sum check runs on the new snapshot.
func BenchmarkGoSum20k(b *testing.B) {
	const lines = 20000
	l := generate(b, workspacegen.Config{Modules: 1, Requires: 2000, Deps: 2000, Seed: 1})
	path := filepath.Join(l.Modules[0], "go.sum")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	sum := strings.SplitAfter(string(data), "\n")
	sum = sum[:len(sum)-1] // the empty string after the last newline
	for old := 0; len(sum) < lines; old++ {
		dep := l.Deps[old%len(l.Deps)]
		vers := fmt.Sprintf("v0.%d.0", old/len(l.Deps))
		sum = append(sum, fmt.Sprintf("%s %s h1:%043d=\n", dep, vers, old))
		if len(sum) < lines {
			sum = append(sum, fmt.Sprintf("%s %s/go.mod h1:%043d=\n", dep, vers, old))
		}
	}
	slices.Sort(sum)
	data = []byte(strings.Join(sum, ""))
	if err := os.WriteFile(path, data, 0o666); err != nil {
		b.Fatal(err)
	}
	env := benchEnv(l)
	env.GOWORK = "off"
	checks := checksNamed("gosum")
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			snap := workspace.NewSession(env, []string{l.Modules[0]}).Snapshot()
			runChecks(b, snap, checks)
		}
		b.ReportMetric(lines, "lines")
	})
	b.Run("edit", func(b *testing.B) {
		sess := workspace.NewSession(env, []string{l.Modules[0]})
		runChecks(b, sess.Snapshot(), checks)
		contents := [2][]byte{data, fmt.Appendf(slices.Clip(data), "%s v0.999.0/go.mod h1:%043d=\n", l.Deps[0], 0)}
		sess.Open(path, contents[0], 1)
		i := 0
		for b.Loop() {
			i++
			snap := sess.Change(path, contents[i%2], int32(i+1))
			runChecks(b, snap, checks)
		}
	})
}

// BenchmarkVendor3k: a vendored module built alone (GOWORK=off: vendor
// mode) requiring 3,000 modules, each with one vendored package: a
// 9,000-line vendor/modules.txt as go mod vendor writes it.
//
// cold: a new session (parse modules.txt, list the vendor tree) and the
// vendor check. edit: modules.txt, open in the editor, changes one module's
// version back and forth, to one the module cache does not hold (which
// the check reports against go.mod); the
// vendor check runs on the new snapshot.
func BenchmarkVendor3k(b *testing.B) {
	// One version of each: vendor mode reads no dependency go.mod, and
	// 3,000 × 3 versions would make writing the cache the cost of the run.
	l := generate(b, workspacegen.Config{Modules: 1, Vendored: 3000, Seed: 1, Versions: 1})
	env := benchEnv(l)
	env.GOWORK = "off"
	checks := checksNamed("vendor")
	path := filepath.Join(l.Vendored, "vendor", "modules.txt")
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			snap := workspace.NewSession(env, []string{l.Vendored}).Snapshot()
			runChecks(b, snap, checks)
		}
		b.ReportMetric(3000, "modules")
	})
	b.Run("edit", func(b *testing.B) {
		sess := workspace.NewSession(env, []string{l.Vendored})
		runChecks(b, sess.Snapshot(), checks)
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		i := bytes.Index(data, []byte(" v1.0.0\n"))
		edited := slices.Concat(data[:i], []byte(" v1.1.0\n"), data[i+len(" v1.0.0\n"):])
		contents := [2][]byte{data, edited}
		sess.Open(path, contents[0], 1)
		n := 0
		for b.Loop() {
			n++
			snap := sess.Change(path, contents[n%2], int32(n+1))
			diagnostics.Run(snap, checks, nil) // the edited version is reported
		}
	})
}
