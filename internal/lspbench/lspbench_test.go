package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/internal/modproxy"
	"github.com/gomodls/gomodls/internal/workspacegen"
)

// The harness is tested on gomodls itself, built as users run it (never
// with -race: a race-instrumented server is several times slower), on a
// small workspace. It asserts what the harness reports, never a time.

// buildGomodls builds cmd/gomodls into a temporary directory.
func buildGomodls(t *testing.T) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH to build gomodls with")
	}
	exe := filepath.Join(t.TempDir(), "gomodls")
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	if out, err := exec.Command(goCmd, "build", "-o", exe, "github.com/gomodls/gomodls/cmd/gomodls").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return exe
}

// smallWorkspace writes testdata/workspace.txtar and returns the -workspace
// directory and the flags that give the server a hermetic go environment
// with the archive's module cache.
//
// Its few modules are written by hand, so that the tests below can say
// which file and require the harness picks; TestRunOnGeneratedWorkspace runs
// it on a workspace from internal/workspacegen, as CI does.
func smallWorkspace(t *testing.T) (string, []string) {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", "workspace.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	var flags []string
	for _, kv := range modproxy.OfflineGoEnv(filepath.Join(dir, "gopath"), filepath.Join(dir, "gocache")) {
		flags = append(flags, "-env", kv)
	}
	// After OfflineGoEnv's GOMODCACHE: the last value wins.
	flags = append(flags, "-gomodcache", filepath.Join(dir, "modcache"))
	return filepath.Join(dir, "ws"), flags
}

func runJSON(t *testing.T, args ...string) report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	if err := run(ctx, append([]string{"-json"}, args...), &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, stderr.String())
	}
	var rep report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("the -json output: %v\n%s", err, stdout.String())
	}
	return rep
}

func TestRunOnGomodls(t *testing.T) {
	gomodls := buildGomodls(t)
	ws, env := smallWorkspace(t)

	t.Run("comment", func(t *testing.T) {
		rep := runJSON(t, append(env, "-workspace", ws, "-edits", "5", "-settle", "5s", "--", gomodls, "serve")...)
		if rep.File != filepath.Join("a", "go.mod") || rep.Require != "example.com/b" {
			t.Errorf("edited require %s in %s, want example.com/b in a/go.mod (the shallowest go.mod, its first direct require)", rep.Require, rep.File)
		}
		if len(rep.Servers) != 1 || len(rep.Servers[0].Runs) != 1 {
			t.Fatalf("got %d servers, want one run of one", len(rep.Servers))
		}
		r := rep.Servers[0].Runs[0]
		if len(r.EditsMS) != 5 || r.Samples != 5 || r.Timeouts != 0 {
			t.Errorf("%d edit samples (%g answered, %g timed out), want 5, 5 and 0", len(r.EditsMS), r.Samples, r.Timeouts)
		}
		if rep.SettleMS != 5000 || !r.Settled {
			t.Errorf("settle %gms in the report, settled %v; want the 5s asked for, and idle within it", rep.SettleMS, r.Settled)
		}
		if r.PeakRSS <= 0 {
			t.Errorf("peak RSS %g, want > 0", r.PeakRSS)
		}
		if r.FirstFilePublishMS <= 0 || r.FirstPublishMS > r.FirstFilePublishMS {
			t.Errorf("first diagnostics after %gms, for the file after %gms: want 0 < any ≤ the file's", r.FirstPublishMS, r.FirstFilePublishMS)
		}
		// gomodls registers its file watchers: the harness answered,
		// or no diagnostics would have come.
		if r.ServerRequests["client/registerCapability"] == 0 {
			t.Errorf("server requests %v, want client/registerCapability among them", r.ServerRequests)
		}
	})

	t.Run("alt-version", func(t *testing.T) {
		rep := runJSON(t, append(env, "-workspace", ws, "-file", filepath.Join("c", "go.mod"), "-alt-version", "v1.0.0", "-edits", "2", "-runs", "2", "-settle", "0", "--", gomodls, "serve")...)
		s := rep.Servers[0]
		if rep.Require != "example.org/dep" || len(s.Runs) != 2 || s.Median.Samples != 2 {
			t.Errorf("require %s, %d runs, median %g samples; want example.org/dep, 2 runs of 2", rep.Require, len(s.Runs), s.Median.Samples)
		}
	})

	t.Run("compare", func(t *testing.T) {
		// gomodls standing in for gopls: the comparison, not gopls, is
		// under test (tests never depend on gopls).
		rep := runJSON(t, append(env, "-workspace", ws, "-edits", "2", "-settle", "0", "-compare-gopls", "-gopls", gomodls+" serve", "--", gomodls, "serve")...)
		if len(rep.Servers) != 2 || rep.Servers[1].Name != "gopls" {
			t.Fatalf("servers %+v, want gomodls and gopls", rep.Servers)
		}
		r, ok := rep.Ratios["gopls/gomodls"]
		if !ok || r.PeakRSS <= 0 {
			t.Errorf("ratios %+v, want gopls/gomodls with a positive peak RSS ratio", rep.Ratios)
		}
	})

	t.Run("table", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), append(env, "-workspace", ws, "-edits", "1", "-settle", "0", "--", gomodls, "serve"), &stdout, &stderr); err != nil {
			t.Fatalf("run: %v\n%s", err, stderr.String())
		}
		for _, want := range []string{"gomodls", "edit → diagnostics p50", "peak RSS: server (VmHWM)", "1 / 0"} {
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("table without %q:\n%s", want, stdout.String())
			}
		}
	})
}

func TestRunErrors(t *testing.T) {
	ws, _ := smallWorkspace(t)
	for _, args := range [][]string{
		{"-workspace", ws}, // no server
		{"-workspace", ws, "-require", "nope", "--", "x"}, // no such require
		{"-workspace", ws, "-configuration", "{", "--", "x"},
		{"-workspace", ws, "--", filepath.Join(ws, "no-such-server")},
	} {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), args, &stdout, &stderr); err == nil {
			t.Errorf("run %q: no error", args)
		}
	}
}

// TestPlanEdits checks that the edits change the buffer and, without
// -alt-version, not what the go.mod means.
func TestPlanEdits(t *testing.T) {
	const gomod = `module example.com/m

go 1.22

require (
	example.org/ind v1.0.0 // indirect
	example.org/commented v1.0.0 // keep
)

require example.org/direct v1.2.3
`
	for _, tc := range []struct {
		require, alt string
		wantVersion  string // of the require after an odd edit
	}{
		{"", "", "v1.2.3"},
		{"example.org/ind", "", "v1.0.0"},
		{"example.org/commented", "", "v1.0.0"},
		{"example.org/direct", "v1.2.4", "v1.2.4"},
		{"example.org/ind", "v1.0.1", "v1.0.1"},
	} {
		plan, err := planEdits("go.mod", []byte(gomod), tc.require, tc.alt)
		if err != nil {
			t.Fatal(err)
		}
		if tc.require == "" && plan.Require != "example.org/direct" {
			t.Errorf("default require %s, want example.org/direct (the first direct one without a comment)", plan.Require)
		}
		if plan.text(0) != gomod || plan.text(2) != gomod {
			t.Errorf("%s: even edits are not the text on disk", plan.Require)
		}
		if plan.text(1) == gomod || plan.text(1) == plan.text(3) && tc.alt == "" {
			t.Errorf("%s: odd edits do not each change the buffer", plan.Require)
		}
		before := requireOf(t, gomod, plan.Require)
		after := requireOf(t, plan.text(1), plan.Require)
		if after.Mod.Version != tc.wantVersion || after.Indirect != before.Indirect {
			t.Errorf("%s after an edit: version %s indirect %v, want %s and %v\n%s", plan.Require, after.Mod.Version, after.Indirect, tc.wantVersion, before.Indirect, plan.text(1))
		}
	}
}

func requireOf(t *testing.T, content, path string) *modfile.Require {
	t.Helper()
	f, err := modfile.Parse("go.mod", []byte(content), nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, content)
	}
	for _, r := range f.Require {
		if r.Mod.Path == path {
			return r
		}
	}
	t.Fatalf("no require of %s in\n%s", path, content)
	return nil
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 50; i++ {
		d = append(d, time.Duration(i))
	}
	for p, want := range map[float64]time.Duration{50: 25, 90: 45, 99: 50, 100: 50} {
		if got := percentile(d, p); got != want {
			t.Errorf("p%g of 1..50 = %d, want %d", p, got, want)
		}
	}
	if percentile(nil, 50) != 0 {
		t.Error("percentile of nothing is not 0")
	}
}

// The harness on a small generated workspace (internal/workspacegen: ten
// modules, neighbour replaces, go.sum files, a fake module cache), editing a
// require version to another one the cache holds: what CI runs so that the
// harness keeps working. It asserts no times.
func TestRunOnGeneratedWorkspace(t *testing.T) {
	gomodls := buildGomodls(t)
	dir := t.TempDir()
	l, err := workspacegen.Write(dir, workspacegen.Config{Modules: 10, Requires: 5})
	if err != nil {
		t.Fatal(err)
	}
	var flags []string
	for _, kv := range modproxy.OfflineGoEnv(filepath.Join(dir, "gopath"), filepath.Join(dir, "gocache")) {
		flags = append(flags, "-env", kv)
	}
	flags = append(flags, "-gomodcache", l.ModCache)
	file := filepath.Join(filepath.Base(l.Modules[5]), "go.mod")
	rep := runJSON(t, append(flags, "-workspace", l.Root, "-file", file, "-edits", "4", "-settle", "0", "--", gomodls, "serve")...)
	if len(rep.Servers) != 1 || len(rep.Servers[0].Runs) != 1 {
		t.Fatalf("got %d servers, want one run of one", len(rep.Servers))
	}
	if run := rep.Servers[0].Runs[0]; len(run.EditsMS) != 4 || run.Timeouts != 0 {
		t.Errorf("got %d edit samples and %v timeouts, want 4 and 0", len(run.EditsMS), run.Timeouts)
	}
}
