package lsp_test

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
	"github.com/gomodls/gomodls/workspace"
)

func completeAt(t *testing.T, c *lsptest.Client, rel string, line, char uint32) []protocol.CompletionItem {
	t.Helper()
	var list protocol.CompletionList
	params := protocol.CompletionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: c.URI(rel)},
		Position:     protocol.Position{Line: line, Character: char},
	}}
	if err := c.Call(protocol.MethodTextDocumentCompletion, params, &list); err != nil {
		t.Fatalf("completion %s:%d:%d: %v", rel, line, char, err)
	}
	return list.Items
}

// items formats completion items as "label [detail] (sort) @range", in
// the order the editor shows them (by sortText).
func items(list []protocol.CompletionItem) string {
	var out []string
	for _, it := range list {
		s := it.Label
		if it.Detail != "" {
			s += " [" + it.Detail + "]"
		}
		if len(it.Tags) > 0 {
			s += " (struck)"
		}
		if it.TextEdit != nil {
			r := it.TextEdit.Range
			s += fmt.Sprintf(" @%d:%d-%d", r.Start.Line, r.Start.Character, r.End.Character)
		}
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}

// TestCompletion: go.work use offers the module directories it does not use
// (not a nested workspace's); a replace's right-hand side the module
// directories relative to the file; module paths and versions come from
// the module cache, newest release first, prereleases after, retracted
// versions struck.
func TestCompletion(t *testing.T) {
	cache := t.TempDir()
	for mv, content := range map[string]string{
		"example.com/dep/@v/v1.0.0.mod":                     "module example.com/dep\n",
		"example.com/dep/@v/v1.2.0.mod":                     "module example.com/dep\n",
		"example.com/dep/@v/v1.10.0.mod":                    "module example.com/dep\n",
		"example.com/dep/@v/v1.11.0-rc.1.mod":               "module example.com/dep\n\nretract v1.2.0 // Broken.\n",
		"example.com/dep/@v/v1.11.0.mod":                    "module example.com/dep\n\nretract v1.2.0 // Broken.\n",
		"example.com/deps/sub/@v/v0.1.0.mod":                "module example.com/deps/sub\n",
		"github.com/!owner/repo/@v/v2.0.0+incompatible.mod": "module github.com/Owner/repo\n",
	} {
		write(t, filepath.Join(cache, "cache", "download", filepath.FromSlash(mv)), content)
	}
	env := &workspace.Env{GOMODCACHE: cache, GOTOOLCHAIN: "local", GOVERSION: runtime.Version()}
	c := lsptest.New(t, lsptest.Config{Files: `
-- go.work --
go 1.22

use ./app
-- app/go.mod --
module example.com/app

go 1.22
-- tools/go.mod --
module example.com/tools
-- lib/x/go.mod --
module example.com/lib/x
-- nested/go.work --
go 1.22
-- nested/m/go.mod --
module example.com/nested/m
`, Options: lsp.Options{Env: env}})
	res := c.Initialize(lsptest.AllCapabilities)
	if res.Capabilities.CompletionProvider == nil {
		t.Fatal("no completionProvider")
	}
	for _, tc := range []struct {
		name, rel, text string
		line, char      uint32
		want            string
	}{{
		name: "use line", rel: "go.work", text: "go 1.22\n\nuse ./app\nuse \n", line: 3, char: 4,
		want: "./lib/x [example.com/lib/x] @3:4-4\n./tools [example.com/tools] @3:4-4",
	}, {
		name: "use block, partly typed", rel: "go.work", text: "go 1.22\n\nuse (\n\t./app\n\t./t\n)\n", line: 4, char: 4,
		want: "./lib/x [example.com/lib/x] @4:1-4\n./tools [example.com/tools] @4:1-4",
	}, {
		name: "replace target", rel: "app/go.mod", text: "module example.com/app\n\ngo 1.22\n\nreplace example.com/dep => \n", line: 4, char: 27,
		want: "../lib/x [example.com/lib/x] @4:27-27\n../nested/m [example.com/nested/m] @4:27-27\n../tools [example.com/tools] @4:27-27\nexample.com/ @4:27-27\ngithub.com/ @4:27-27",
	}, {
		name: "module path, first element", rel: "app/go.mod", text: "module example.com/app\n\nrequire exa\n", line: 2, char: 11,
		want: "example.com/ @2:8-11\ngithub.com/ @2:8-11",
	}, {
		name: "module path below a prefix", rel: "app/go.mod", text: "module example.com/app\n\nrequire (\n\texample.com/d\n)\n", line: 3, char: 14,
		want: "example.com/dep [in the module cache] @3:1-14\nexample.com/deps/ @3:1-14",
	}, {
		name: "escaped path", rel: "app/go.mod", text: "module example.com/app\n\nrequire github.com/O\n", line: 2, char: 20,
		want: "github.com/Owner/ @2:8-20",
	}, {
		name: "versions", rel: "app/go.mod", text: "module example.com/app\n\nrequire example.com/dep v1\n", line: 2, char: 26,
		want: "v1.11.0 @2:24-26\nv1.10.0 @2:24-26\nv1.2.0 [retracted: Broken.] (struck) @2:24-26\nv1.0.0 @2:24-26\nv1.11.0-rc.1 [prerelease] @2:24-26",
	}, {
		name: "replace right-hand version", rel: "app/go.mod", text: "module example.com/app\n\nreplace example.com/x => github.com/Owner/repo \n", line: 2, char: 47,
		want: "v2.0.0+incompatible @2:47-47",
	}, {
		name: "comment", rel: "app/go.mod", text: "module example.com/app\n\nrequire example.com/dep // exa\n", line: 2, char: 30,
		want: "",
	}, {
		name: "go line", rel: "app/go.mod", text: "module example.com/app\n\ngo 1\n", line: 2, char: 4,
		want: "",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			c.OpenText(tc.rel, tc.text)
			defer c.Close(tc.rel)
			if got := items(completeAt(t, c, tc.rel, tc.line, tc.char)); got != tc.want {
				t.Errorf("completion at %d:%d of\n%s\ngot:\n%s\nwant:\n%s", tc.line, tc.char, tc.text, got, tc.want)
			}
		})
	}
}
