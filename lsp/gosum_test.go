package lsp_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"golang.org/x/mod/sumdb/dirhash"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
	"github.com/gomodls/gomodls/workspace"
)

// Fix-all on a go.sum deletes the lines go mod tidy would remove — those of
// a module nothing uses — and leaves the others byte for byte.
func TestGoSumFixAll(t *testing.T) {
	cache, kept := cachedDep(t)
	sum := kept + "example.com/other v1.0.0 h1:OTHERZIP=\nexample.com/other v1.0.0/go.mod h1:OTHERMOD=\n"

	env := cacheEnv(t, cache)
	c := lsptest.New(t, lsptest.Config{
		Files: "-- go.mod --\nmodule example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n" +
			"-- m.go --\npackage m\n\nimport _ \"example.com/dep\"\n" +
			"-- go.sum --\n" + sum,
		Options: lsp.Options{Env: &env},
	})
	c.Initialize(lsptest.AllCapabilities)
	c.Open("go.sum")
	c.AwaitDiagnostics("go.sum", lsptest.HasCode(diagnostics.CodeSumUnusedLines))
	actions := c.CodeActions("go.sum", at(0, 0), "source.fixAll")
	if len(actions) != 1 || actions[0].Kind != protocol.CodeActionKind(diagnostics.KindFixAll) {
		t.Fatalf("actions = %+v, want one fix-all", actions)
	}
	if n := len(actions[0].Diagnostics); n != 2 {
		t.Errorf("fix-all resolves %d diagnostics, want 2", n)
	}
	c.ApplyEdit(actions[0].Edit)
	if got := c.Buffer("go.sum"); got != kept {
		t.Errorf("go.sum:\n%s\nwant:\n%s", got, kept)
	}
	c.AwaitDiagnostics("go.sum", lsptest.NoDiagnostics)
}

// A go.sum without the /go.mod line of a module a package comes from: the
// "Run go mod download" fix runs it, which adds the line, and the error goes.
func TestGoSumDownloadCommand(t *testing.T) {
	opts, _ := realGo(t)
	var modcache string
	for _, kv := range opts.CommandEnv {
		if v, ok := strings.CutPrefix(kv, "GOMODCACHE="); ok {
			modcache = v
		}
	}
	// Fill the module cache, as an earlier build would have.
	pre := exec.Command(opts.GoCommand, "mod", "download", "example.com/dep@v1.0.0")
	pre.Dir, pre.Env = t.TempDir(), append(slices.Clone(opts.CommandEnv), "GOFLAGS=-modcacherw")
	if out, err := pre.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", pre, err, out)
	}
	env := workspace.EnvFromProcess([]string{"HOME=" + t.TempDir(), "GOTOOLCHAIN=local"})
	env.GOVERSION = runtime.Version()
	env.GOMODCACHE = modcache
	opts.Env = &env
	c := lsptest.New(t, lsptest.Config{Files: `-- go.mod --
module example.com/m

go 1.22

require example.com/dep v1.0.0
-- go.sum --
-- main.go --
package main

import "example.com/dep"

func main() { println(dep.Version) }
`, Options: opts})
	c.Initialize(lsptest.AllCapabilities)
	diags := c.AwaitDiagnostics("go.mod", lsptest.HasCode(diagnostics.CodeSumMissingGoMod))
	var download *protocol.Command
	for _, d := range diags {
		if d.Code != diagnostics.CodeSumMissingGoMod {
			continue
		}
		for _, a := range c.CodeActions("go.mod", d.Range, protocol.QuickFix) {
			if a.Title == "Run go mod download example.com/dep" {
				download = a.Command
			}
		}
	}
	if download == nil || download.Command != diagnostics.CommandDownload {
		t.Fatalf("no go mod download command among the code actions (got %+v)", download)
	}
	mustRun(t, c, download)
	if got := c.ReadFile("go.sum"); !strings.Contains(got, "example.com/dep v1.0.0/go.mod h1:") || !strings.Contains(got, "example.com/dep v1.0.0 h1:") {
		t.Errorf("go.sum after go mod download:\n%s", got)
	}
	c.AwaitDiagnostics("go.mod", func(diags []protocol.Diagnostic) bool {
		return !lsptest.HasCode(diagnostics.CodeSumMissingGoMod)(diags) && !lsptest.HasCode(diagnostics.CodeSumMissingZip)(diags)
	})
	// Flags are refused.
	if _, err := c.ExecuteCommand(workCommand(c, diagnostics.CommandDownload, ".", "-x")); err == nil {
		t.Errorf("gomodls.download -x ran, want it refused")
	}
}

// cachedDep is a module cache holding example.com/dep v1.0.0 (its go.mod and
// one package), and the go.sum lines that a module requiring it keeps.
func cachedDep(tb testing.TB) (cache, sumLines string) {
	tb.Helper()
	cache = tb.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(cache, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	depMod := "module example.com/dep\n\ngo 1.22\n"
	write("cache/download/example.com/dep/@v/v1.0.0.mod", depMod)
	write("example.com/dep@v1.0.0/dep.go", "package dep\n")
	h, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader([]byte(depMod))), nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return cache, "example.com/dep v1.0.0 h1:DEPZIP=\nexample.com/dep v1.0.0/go.mod " + h + "\n"
}

// cacheEnv is the process environment with cache as GOMODCACHE and the
// running go as GOVERSION.
func cacheEnv(tb testing.TB, cache string) workspace.Env {
	env := workspace.EnvFromProcess([]string{"HOME=" + tb.TempDir(), "GOTOOLCHAIN=local"})
	env.GOVERSION = runtime.Version()
	env.GOMODCACHE = cache
	return env
}

// After a whole run the server writes what it read of the module cache's
// packages to the package index (when the process keeps one), so that the
// next server or check starts from it.
func TestPackageIndexWrittenAfterDiagnostics(t *testing.T) {
	index := t.TempDir()
	workspace.SetPackageIndexDir(index)
	t.Cleanup(func() { workspace.SetPackageIndexDir("") })
	cache, sum := cachedDep(t)
	env := cacheEnv(t, cache)
	c := lsptest.New(t, lsptest.Config{
		Files: "-- go.mod --\nmodule example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n" +
			"-- m.go --\npackage m\n\nimport _ \"example.com/dep\"\n" +
			"-- go.sum --\n" + sum + "example.com/other v1.0.0/go.mod h1:OTHERMOD=\n",
		Options: lsp.Options{Env: &env},
	})
	c.Initialize(lsptest.AllCapabilities)
	c.AwaitDiagnostics("go.sum", lsptest.HasCode(diagnostics.CodeSumUnusedLines))
	// The index is written just after the publish the client saw.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		files, _ := os.ReadDir(filepath.Join(index, "pkgimports"))
		if len(files) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the whole run, the index holds %d files, want 1 (example.com/dep@v1.0.0)", len(files))
		}
	}
}
