package lsp_test

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
	"github.com/gomodls/gomodls/workspace"
)

// hoverCache is a module cache of go.mod files: other raises dep to
// v1.2.0, v1.3.0 of dep retracts v1.2.0, and old is deprecated.
func hoverCache(t *testing.T) string {
	dir := t.TempDir()
	for mv, content := range map[string]string{
		"example.com/dep/@v/v1.0.0.mod":   "module example.com/dep\n\ngo 1.21\n",
		"example.com/dep/@v/v1.2.0.mod":   "module example.com/dep\n\ngo 1.22\n",
		"example.com/dep/@v/v1.3.0.mod":   "module example.com/dep\n\ngo 1.22\n\nretract v1.2.0 // Broken build.\n",
		"example.com/other/@v/v1.0.0.mod": "module example.com/other\n\ngo 1.22\n\nrequire example.com/dep v1.2.0\n",
		"example.com/old/@v/v1.0.0.mod":   "// Deprecated: use example.com/new.\nmodule example.com/old\n\ngo 1.22\n",
	} {
		write(t, filepath.Join(dir, "cache", "download", filepath.FromSlash(mv)), content)
	}
	return dir
}

const hoverWorkspace = `
-- go.work --
go 1.22

use ./a
use ./b

replace example.com/old => ./old
-- a/go.mod --
module example.com/a

go 1.22

require example.com/dep v1.0.0

require example.com/old v1.0.0

replace example.com/old => ./elsewhere
-- b/go.mod --
module example.com/b

go 1.22

require example.com/other v1.0.0
-- b/go.sum --
example.com/other v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
example.com/dep v1.2.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
example.com/dep v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
example.com/gone v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
-- old/go.mod --
module example.com/old

go 1.22
`

// TestHoverLines: the exact hover on each kind of line — a require the
// workspace raises (who raises it, the workspace table, retraction, go
// line, the chain, documentation), a require replaced by the go.work, a
// go.mod replace the go.work's overrides, the go.work's replace, a use
// line, go.sum lines of each kind — and none on a GOPRIVATE module's
// documentation.
func TestHoverLines(t *testing.T) {
	env := &workspace.Env{GOMODCACHE: hoverCache(t), GOTOOLCHAIN: "local", GOVERSION: runtime.Version(), GOPRIVATE: "example.com/old"}
	c := lsptest.New(t, lsptest.Config{Files: hoverWorkspace, Options: lsp.Options{Env: env}})
	c.Initialize(lsptest.AllCapabilities)
	root := c.Root
	for _, tc := range []struct {
		rel        string
		line, char uint32
		want       string
	}{{
		rel: "a/go.mod", line: 4, char: 10,
		want: "**example.com/dep** v1.0.0\n\n" +
			"- **Selected**: **v1.2.0**, not v1.0.0, in the workspace " + root + "/go.work\n" +
			"- **Required at v1.2.0 by**: example.com/other@v1.0.0\n" +
			"\n| workspace module | requires |\n|---|---|\n| example.com/a | v1.0.0 |\n| example.com/b | — |\n\n" +
			"- **Retracted**: retracted by the module author: Broken build. (the go.mod of v1.3.0, the latest version in the module cache)\n" +
			"- **Its go line**: go 1.22\n" +
			"- **Why required**: example.com/b → example.com/other@v1.0.0 → example.com/dep@v1.2.0\n" +
			"\n[Documentation](https://pkg.go.dev/example.com/dep@v1.2.0)\n",
	}, {
		rel: "a/go.mod", line: 6, char: 0,
		want: "**example.com/old** v1.0.0\n\n" +
			"- **Selected**: v1.0.0, in the workspace " + root + "/go.work\n" +
			"- **Required at v1.0.0 by**: example.com/a (main module)\n" +
			"\n| workspace module | requires |\n|---|---|\n| example.com/a | **v1.0.0** |\n| example.com/b | — |\n\n" +
			"- **Replaced by**: ./old (" + root + "/go.work)\n" +
			"- **Its go line**: go 1.22\n",
	}, {
		rel: "a/go.mod", line: 8, char: 3,
		want: "**replace** example.com/old (every version) → " + root + "/a/elsewhere\n\n" +
			"- **Applies**: no: the workspace's go.work replaces it, and a go.work replace wins over every go.mod's (workspace " + root + "/go.work)\n" +
			"- **Used instead**: ./old (" + root + "/go.work)\n",
	}, {
		rel: "go.work", line: 5, char: 0,
		want: "**replace** example.com/old (every version) → " + root + "/old\n\n" +
			"- **Applies**: yes, to example.com/old@v1.0.0, in the workspace " + root + "/go.work\n" +
			"- **The directory's module**: example.com/old\n",
	}, {
		rel: "go.work", line: 3, char: 5,
		want: "**use** ./b\n\n- **Module**: example.com/b\n- **Its go line**: go 1.22\n",
	}, {
		rel: "b/go.sum", line: 1, char: 0,
		want: "**example.com/dep@v1.2.0** — the checksum of its go.mod\n\n" +
			"- **workspace " + root + "/go.work**: selects example.com/dep@v1.2.0\n",
	}, {
		rel: "b/go.sum", line: 2, char: 0,
		want: "**example.com/dep@v1.0.0** — the checksum of the module's zip (its files)\n\n" +
			"- **workspace " + root + "/go.work**: selects v1.2.0, not this version\n",
	}, {
		rel: "b/go.sum", line: 3, char: 0,
		want: "**example.com/gone@v1.0.0** — the checksum of its go.mod\n\n" +
			"- **workspace " + root + "/go.work**: not in its module graph\n",
	}} {
		h := decodeHover(t, hoverAt(t, c, tc.rel, tc.line, tc.char))
		if got := strings.ReplaceAll(h.Contents.Value, `\_`, "_"); got != tc.want {
			t.Errorf("hover %s:%d:%d:\n%s\nwant:\n%s", tc.rel, tc.line, tc.char, got, tc.want)
		}
		if h.Range == nil || h.Range.Start.Line != tc.line {
			t.Errorf("hover %s:%d: range %v, want that line", tc.rel, tc.line, h.Range)
		}
	}
}
