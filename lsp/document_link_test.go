package lsp_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
	"github.com/gomodls/gomodls/workspace"
)

func linksOf(t *testing.T, c *lsptest.Client, rel string) string {
	t.Helper()
	var links []protocol.DocumentLink
	params := protocol.DocumentLinkParams{TextDocument: protocol.TextDocumentIdentifier{URI: c.URI(rel)}}
	if err := c.Call(protocol.MethodTextDocumentDocumentLink, params, &links); err != nil {
		t.Fatalf("documentLink %s: %v", rel, err)
	}
	var out []string
	for _, l := range links {
		r := l.Range
		target := strings.Replace(string(l.Target), string(c.URI("")), "ROOT", 1)
		out = append(out, fmt.Sprintf("%d:%d-%d:%d %s", r.Start.Line, r.Start.Character, r.End.Line, r.End.Character, target))
	}
	return strings.Join(out, "\n")
}

// TestDocumentLinks: use and directory-replace targets open their go.mod
// (the directory without one), module paths their pkg.go.dev page but for
// GOPRIVATE ones, modules.txt module lines the vendored directory.
func TestDocumentLinks(t *testing.T) {
	env := &workspace.Env{GOTOOLCHAIN: "local", GOVERSION: runtime.Version(), GOPRIVATE: "corp.example"}
	c := lsptest.New(t, lsptest.Config{Files: `
-- go.work --
go 1.22

use (
	./app
	./nomod
)

replace example.com/w => example.com/w2 v1.0.0
-- app/go.mod --
module example.com/app

go 1.22

require (
	example.com/dep v1.0.0
	"example.com/quoted" v1.0.0
	corp.example/lib v1.0.0
)

exclude example.com/dep v0.9.0

replace example.com/dep => ../lib
-- app/vendor/modules.txt --
# example.com/dep v1.0.0
## explicit
example.com/dep
# example.com/novendor v1.0.0
## explicit
-- app/vendor/example.com/dep/dep.go --
package dep
-- lib/go.mod --
module example.com/dep
-- nomod/x.go --
package x
`, Options: lsp.Options{Env: env}})
	res := c.Initialize(lsptest.AllCapabilities)
	if res.Capabilities.DocumentLinkProvider == nil {
		t.Fatal("no documentLinkProvider")
	}
	for _, tc := range []struct{ rel, want string }{{
		rel: "go.work",
		want: "3:1-3:6 ROOT/app/go.mod\n" +
			"4:1-4:8 ROOT/nomod\n" +
			"7:8-7:21 https://pkg.go.dev/example.com/w\n" +
			"7:25-7:39 https://pkg.go.dev/example.com/w2",
	}, {
		rel: "app/go.mod",
		want: "5:1-5:16 https://pkg.go.dev/example.com/dep\n" +
			"6:1-6:21 https://pkg.go.dev/example.com/quoted\n" +
			"10:8-10:23 https://pkg.go.dev/example.com/dep\n" +
			"12:8-12:23 https://pkg.go.dev/example.com/dep\n" +
			"12:27-12:33 ROOT/lib/go.mod",
	}, {
		rel:  "app/vendor/modules.txt",
		want: "0:2-0:17 ROOT/app/vendor/example.com/dep",
	}} {
		if got := linksOf(t, c, tc.rel); got != tc.want {
			t.Errorf("links of %s:\n%s\nwant:\n%s", tc.rel, got, tc.want)
		}
	}
}
