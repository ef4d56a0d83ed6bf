package lsp_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
	"github.com/gomodls/gomodls/workspace"
)

const skewedWorkspace = `
-- go.work --
go 1.22

use (
	./a
	./b
)
-- a/go.mod --
module example.com/a

go 1.22

require example.com/dep v1.0.0
-- a/a.go --
package a

import _ "example.com/dep"
-- b/go.mod --
module example.com/b

go 1.22

require example.com/dep v1.1.0
-- b/b.go --
package b

import _ "example.com/dep"
`

// skewCache writes a module cache holding example.com/dep v1.0.0 and
// v1.1.0, as the go command leaves it after building the workspace.
func skewCache(t *testing.T) string {
	dir := t.TempDir()
	for _, v := range []string{"v1.0.0", "v1.1.0"} {
		for name, content := range map[string]string{
			filepath.Join("cache", "download", "example.com", "dep", "@v", v+".mod"): "module example.com/dep\n\ngo 1.22\n",
			filepath.Join("example.com", "dep@"+v, "dep.go"):                         "package dep\n",
		} {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// version-skew follows the unsaved buffers of both modules: a's require
// line is reported while b's requires more, cleared when either agrees; the
// quick fix is the go work sync command in the go.work's directory.
func TestVersionSkewFollowsBuffers(t *testing.T) {
	env := &workspace.Env{GOMODCACHE: skewCache(t), GOTOOLCHAIN: "local"}
	c := lsptest.New(t, lsptest.Config{Files: skewedWorkspace, Options: lsp.Options{Env: env}})
	c.Initialize(lsptest.AllCapabilities)

	c.Open("a/go.mod")
	diags := c.AwaitDiagnostics("a/go.mod", lsptest.HasCode(diagnostics.CodeVersionSkew))
	d := diags[0]
	if d.Range.Start.Line != 4 || d.Severity != protocol.DiagnosticSeverityWarning {
		t.Errorf("diagnostic %v at %v, want a warning on the require line (4)", d.Severity, d.Range.Start)
	}
	if len(d.RelatedInformation) != 1 || d.RelatedInformation[0].Location.URI != c.URI("b/go.mod") || d.RelatedInformation[0].Location.Range.Start.Line != 4 {
		t.Errorf("related information %+v, want b/go.mod's require line", d.RelatedInformation)
	}

	var sync *protocol.Command
	for _, a := range c.CodeActions("a/go.mod", d.Range) {
		if a.Title == "Run go work sync" {
			sync = a.Command
		}
	}
	if sync == nil || sync.Command != diagnostics.CommandWorkSync {
		t.Fatalf("no go work sync command among the code actions (got %+v)", sync)
	}

	c.Change("a/go.mod", "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n")
	c.AwaitDiagnostics("a/go.mod", lsptest.NoDiagnostics)
	c.Change("a/go.mod", "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n")
	c.AwaitDiagnostics("a/go.mod", lsptest.HasCode(diagnostics.CodeVersionSkew))

	// b, unsaved, lowers its requirement: the workspace now selects v1.0.0.
	c.Open("b/go.mod")
	c.Change("b/go.mod", "module example.com/b\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n")
	c.AwaitDiagnostics("a/go.mod", lsptest.NoDiagnostics)
}

// skewedLargeWorkspace is a go.work using 20 modules, each requiring 15 of
// 60 dependencies at v1.0.0 or v1.1.0 and importing them, so that the
// workspace raises about half of the requirements: tens of version-skew
// warnings. cache is the module cache to write the dependencies into.
func skewedLargeWorkspace(t testing.TB, cache string) string {
	var b strings.Builder
	file := func(name string) { fmt.Fprintf(&b, "-- %s --\n", name) }
	file("go.work")
	b.WriteString("go 1.22\n\nuse (\n")
	for m := range 20 {
		fmt.Fprintf(&b, "\t./m%02d\n", m)
	}
	b.WriteString(")\n")
	for m := range 20 {
		var reqs, imps strings.Builder
		for i := range 15 {
			d := (m*7 + i*4) % 60
			fmt.Fprintf(&reqs, "\texample.com/dep%03d v1.%d.0\n", d, (m+i)%2)
			fmt.Fprintf(&imps, "\t_ \"example.com/dep%03d\"\n", d)
		}
		file(fmt.Sprintf("m%02d/go.mod", m))
		fmt.Fprintf(&b, "module example.com/m%02d\n\ngo 1.22\n\nrequire (\n%s)\n", m, reqs.String())
		file(fmt.Sprintf("m%02d/m.go", m))
		fmt.Fprintf(&b, "package m\n\nimport (\n%s)\n", imps.String())
		file(fmt.Sprintf("m%02d/go.sum", m))
	}
	for d := range 60 {
		for _, v := range []string{"v1.0.0", "v1.1.0"} {
			path := fmt.Sprintf("example.com/dep%03d", d)
			write(t, filepath.Join(cache, "cache", "download", filepath.FromSlash(path), "@v", v+".mod"), "module "+path+"\n\ngo 1.22\n")
			write(t, filepath.Join(cache, filepath.FromSlash(path)+"@"+v, "dep.go"), fmt.Sprintf("package dep%03d\n", d))
		}
	}
	return b.String()
}

func write(t testing.TB, path, content string) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkVersionSkewEditToPublish is BenchmarkEditToPublish in a skewed
// workspace: an edit to a used go.mod recomputes the workspace's module
// graph and that module's; an edit to a go.sum reuses both.
func BenchmarkVersionSkewEditToPublish(b *testing.B) {
	for _, file := range []string{"m00/go.mod", "m00/go.sum"} {
		b.Run(strings.ReplaceAll(file, "/", "_"), func(b *testing.B) {
			cache := b.TempDir()
			env := &workspace.Env{GOMODCACHE: cache, GOTOOLCHAIN: "local"}
			c := lsptest.New(b, lsptest.Config{Files: skewedLargeWorkspace(b, cache), Options: lsp.Options{Env: env}})
			c.Initialize(lsptest.AllCapabilities)
			c.Open("m00/go.mod")
			c.AwaitDiagnostics("m00/go.mod", lsptest.HasCode(diagnostics.CodeVersionSkew))
			if file != "m00/go.mod" {
				c.Open(file)
				c.AwaitDiagnostics(file, func([]protocol.Diagnostic) bool { return true })
			}
			texts := [2]string{c.Buffer(file), c.Buffer(file) + "\n"}
			b.ResetTimer()
			for i := range b.N {
				c.Change(file, texts[(i+1)%2])
				c.AwaitDiagnostics(file, func([]protocol.Diagnostic) bool { return true })
			}
		})
	}
}
