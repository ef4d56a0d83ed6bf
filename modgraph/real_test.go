package modgraph_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// TestRealWorkspace compares modgraph with go list -m all on a real
// workspace, offline (GOPROXY=off): the workspace's graph and, for each used
// module that the go command can load alone, that module's. It runs only
// when GOMODLS_REALWORK names a directory holding a go.work whose
// dependencies are in the module cache, such as the tree scripts/etcd.sh
// builds:
//
//	GOMODCACHE=/tmp/gomodls-etcd/modcache GOMODLS_REALWORK=/tmp/gomodls-etcd/etcd@v3.7.1 \
//		go test -run RealWorkspace -v ./modgraph
//
// It never writes to the tree.
func TestRealWorkspace(t *testing.T) {
	root := os.Getenv("GOMODLS_REALWORK")
	if root == "" {
		t.Skip("GOMODLS_REALWORK is not set")
	}
	environ := append(os.Environ(), "GOPROXY=off", "GOFLAGS=", "GOTOOLCHAIN=local", "GOWORK=")
	env := workspace.LoadEnv(context.Background(), "go", environ)
	snap := workspace.Load(env, []string{root})
	w := snap.Work(root)
	if w == nil {
		t.Fatalf("no go.work in %s", root)
	}
	start := time.Now()
	g := modgraph.Workspace(snap, w)
	t.Logf("workspace graph: %d modules in %v (cold: reads every go.mod)", len(g.BuildList()), time.Since(start))
	if err := g.Incomplete(); err != nil {
		t.Fatalf("incomplete: %v", err)
	}
	// -e: go list -m reads each module's .info, which the module cache
	// may not hold although the graph needs only go.mod files.
	list := func(dir string, extra ...string) (string, error) {
		cmd := exec.Command("go", "list", "-e", "-m", "-f", listFormat, "all")
		cmd.Dir = dir
		cmd.Env = append(environ, extra...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	want, err := list(root)
	if err != nil {
		t.Fatalf("go list -m all: %v\n%s", err, want)
	}
	if got := format(g, root); got != want {
		t.Errorf("workspace build list differs:\n%s\ngo list -m all:\n%s", got, want)
	}
	for _, m := range snap.UsedModules(w) {
		rel, _ := filepath.Rel(root, m.Dir)
		want, err := list(m.Dir, "GOWORK=off")
		if err != nil {
			t.Logf("%s: go cannot load it alone (%v), skipped", rel, err)
			continue
		}
		mg := modgraph.Module(snap, m)
		if err := mg.Incomplete(); err != nil {
			t.Errorf("%s: incomplete: %v", rel, err)
			continue
		}
		if got := format(mg, m.Dir); got != want {
			t.Errorf("%s: build list differs:\n%s\ngo list -m all:\n%s", rel, got, want)
		}
	}
}

// BenchmarkRealWorkspaceEdit is BenchmarkEditGoMod on the real workspace
// GOMODLS_REALWORK names: a keystroke in the go.mod of its first used
// module (a comment comes and goes) recomputes the workspace's graph and
// that module's, and reuses the others'.
func BenchmarkRealWorkspaceEdit(b *testing.B) {
	root := os.Getenv("GOMODLS_REALWORK")
	if root == "" {
		b.Skip("GOMODLS_REALWORK is not set")
	}
	env := workspace.LoadEnv(context.Background(), "go", append(os.Environ(), "GOWORK="))
	sess := workspace.NewSession(env, []string{root})
	snap := sess.Snapshot()
	used := snap.UsedModules(snap.Work(root))
	if len(used) == 0 {
		b.Fatal("no used module")
	}
	allGraphs(b, snap, root)
	path := used[0].File.Path
	contents := [][]byte{used[0].File.Content(), append(slices.Clip(used[0].File.Content()), "// edited\n"...)}
	i := 0
	for b.Loop() {
		i++
		allGraphs(b, sess.Change(path, contents[i%2], int32(i)), root)
	}
}
