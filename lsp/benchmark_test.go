package lsp_test

import (
	"fmt"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

// largeWorkspace is 20 modules, m00 … m19. m00 requires and vendors 400
// modules (a 2,000-line vendor/modules.txt, an 800-line go.sum); the others
// require 10 each. With broken set, m19's go.mod does not parse.
func largeWorkspace(broken bool) string {
	var b strings.Builder
	file := func(name string) { fmt.Fprintf(&b, "-- %s --\n", name) }
	for m := range 20 {
		deps := 10
		if m == 0 {
			deps = 400
		}
		file(fmt.Sprintf("m%02d/go.mod", m))
		fmt.Fprintf(&b, "module example.com/m%02d\n\ngo 1.22\n\nrequire (\n", m)
		for d := range deps {
			fmt.Fprintf(&b, "\texample.com/dep%03d v1.%d.0\n", d, d%7)
		}
		b.WriteString(")\n")
		if m == 19 && broken {
			b.WriteString("require example.com/x\n")
		}
		file(fmt.Sprintf("m%02d/go.sum", m))
		for d := range deps {
			fmt.Fprintf(&b, "example.com/dep%03d v1.%d.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", d, d%7)
			fmt.Fprintf(&b, "example.com/dep%03d v1.%d.0/go.mod h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=\n", d, d%7)
		}
		if m == 0 {
			file("m00/vendor/modules.txt")
			for d := range deps {
				fmt.Fprintf(&b, "# example.com/dep%03d v1.%d.0\n## explicit; go 1.21\nexample.com/dep%03d\nexample.com/dep%03d/pkg\nexample.com/dep%03d/internal/x\n", d, d%7, d, d, d)
			}
			// The vendored packages themselves, as go mod vendor leaves them.
			for d := range deps {
				for _, pkg := range []string{"", "/pkg", "/internal/x"} {
					file(fmt.Sprintf("m00/vendor/example.com/dep%03d%s/x.go", d, pkg))
					b.WriteString("package x\n")
				}
			}
		}
	}
	return b.String()
}

// BenchmarkEditToPublish measures an edit's round trip: didChange sent,
// the buffer's publishDiagnostics received, in a 20-module workspace.
func BenchmarkEditToPublish(b *testing.B) {
	for _, file := range []string{"m00/go.mod", "m00/vendor/modules.txt"} {
		b.Run(strings.ReplaceAll(file, "/", "_"), func(b *testing.B) {
			c := lsptest.New(b, lsptest.Config{Files: largeWorkspace(false)})
			c.Initialize(lsptest.AllCapabilities)
			c.Open(file)
			c.AwaitDiagnostics(file, lsptest.NoDiagnostics)
			texts := [2]string{c.Buffer(file), c.Buffer(file) + "\n"}
			if strings.HasSuffix(file, ".txt") {
				texts[1] = c.Buffer(file) + "# example.com/extra v1.0.0\n"
			}
			b.ResetTimer()
			for i := range b.N {
				c.Change(file, texts[(i+1)%2])
				c.AwaitDiagnostics(file, func([]protocol.Diagnostic) bool { return true })
			}
		})
	}
}

// BenchmarkInitializedToFirstDiagnostics measures a session's start, from
// initialize to the first diagnostic of the 20-module workspace (the last
// module's, published with all others in one pass).
func BenchmarkInitializedToFirstDiagnostics(b *testing.B) {
	files := largeWorkspace(true)
	for range b.N {
		b.StopTimer()
		c := lsptest.New(b, lsptest.Config{Files: files})
		b.StartTimer()
		c.Initialize(lsptest.AllCapabilities)
		c.AwaitDiagnostics("m19/go.mod", lsptest.HasCode(diagnostics.CodeGoModParseError))
		b.StopTimer()
		c.Exit(false)
	}
}
