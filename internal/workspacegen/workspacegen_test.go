package workspacegen_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/modproxy"
	"github.com/gomodls/gomodls/internal/workspacegen"
	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// TestDeterministic: the same Config writes the same files, byte for byte.
func TestDeterministic(t *testing.T) {
	c := workspacegen.Config{Modules: 5, Requires: 8, Vendored: 12, Seed: 3}
	a, b := t.TempDir(), t.TempDir()
	if _, err := workspacegen.Write(a, c); err != nil {
		t.Fatal(err)
	}
	if _, err := workspacegen.Write(b, c); err != nil {
		t.Fatal(err)
	}
	filesA, filesB := readTree(t, a), readTree(t, b)
	if len(filesA) != len(filesB) {
		t.Fatalf("%d files, then %d", len(filesA), len(filesB))
	}
	for name, data := range filesA {
		if !bytes.Equal(data, filesB[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(root, path)
		files[rel] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestClean: gomodls finds nothing wrong in a generated workspace, with the
// generated module cache and GOPROXY=off (so every go.mod the graph needs
// must be cached), except what is inherent: the vendored module's vendor
// directory, which workspace mode ignores (vendor-ignored, information).
// Built alone (GOWORK=off, vendor mode), the vendored module is clean too:
// its modules.txt agrees with its go.mod (env-gowork-off aside: it says
// the go.work above is ignored).
func TestClean(t *testing.T) {
	for _, c := range []workspacegen.Config{
		{Modules: 1, Requires: 3, Seed: 1},
		{Modules: 12, Requires: 10, Seed: 2},
		{Modules: 6, Requires: 5, Vendored: 40, Seed: 3},
		{Modules: 4, Requires: 5, Vendored: 10, Seed: 4, Versions: 1},
		{Modules: 4, Requires: 5, Seed: 5, Versions: 12},
	} {
		l, err := workspacegen.Write(t.TempDir(), c)
		if err != nil {
			t.Fatal(err)
		}
		env := workspace.Env{GOMODCACHE: l.ModCache, GOPROXY: "off"}
		snap := workspace.Load(env, []string{l.Root})
		if got := len(snap.UsedModules(snap.Work(l.Root))); got != c.Modules {
			t.Errorf("%+v: the go.work uses %d modules, want %d", c, got, c.Modules)
		}
		for _, d := range diagnostics.Run(snap, diagnostics.Checks, nil) {
			if c.Vendored > 0 && d.Code == "vendor-ignored" {
				continue
			}
			t.Errorf("%+v: %s", c, d.Message)
		}
		if c.Vendored == 0 {
			continue
		}
		env.GOWORK = "off"
		snap = workspace.Load(env, []string{l.Vendored})
		for _, d := range diagnostics.Run(snap, diagnostics.Checks, nil) {
			if d.Code == "env-gowork-off" { // the go.work above, which GOWORK=off ignores
				continue
			}
			t.Errorf("%+v, GOWORK=off in %s: %s: %s", c, l.Vendored, d.Code, d.Message)
		}
	}
}

// TestGoAgrees: the go command, offline with only the generated module
// cache, accepts the workspace (every go.mod it needs cached, every go.sum
// line right) and selects the build list gomodls' modgraph computes; and it
// accepts the vendored module's vendor/modules.txt in vendor mode.
func TestGoAgrees(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	const mains = 8
	l, err := workspacegen.Write(t.TempDir(), workspacegen.Config{Modules: mains, Requires: 10, Vendored: 20, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	gocache, err := exec.Command(goCmd, "env", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), modproxy.OfflineGoEnv(t.TempDir(), strings.TrimSpace(string(gocache)))...)
	env = append(env, "GOMODCACHE="+l.ModCache)
	run := func(dir string, env []string, args ...string) string {
		t.Helper()
		cmd := exec.Command(goCmd, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("in %s: go %s: %v\n%s", dir, strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	got := strings.Fields(run(l.Root, env, "list", "-m", "-f", "{{.Path}}@{{.Version}}", "all"))
	snap := workspace.Load(workspace.Env{GOMODCACHE: l.ModCache}, []string{l.Root})
	g := modgraph.Workspace(snap, snap.Work(l.Root))
	if err := g.Incomplete(); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, m := range g.BuildList() {
		want = append(want, m.Path+"@"+m.Version)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("go list -m all selects\n%s\nmodgraph selects\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(got) <= mains {
		t.Errorf("go list -m all lists %d modules: no dependencies", len(got))
	}

	run(l.Vendored, append(env, "GOWORK=off"), "list", "-mod=vendor", "./...")
}
