package modgraph_test

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/mod/module"
)

// TestChain: the shortest chain of requirements from a main module, in
// use order, to a module version; nil for a main module or a version no
// module requires.
func TestChain(t *testing.T) {
	f := loadFixture(t, "workspace_chain.txtar")
	g := f.graph(t, f.snapshot(), "")
	for target, want := range map[string]string{
		"example.com/p@v1.0.0": "[example.com/a example.com/p@v1.0.0]",
		"example.com/p@v1.2.0": "[example.com/b example.com/q@v1.0.0 example.com/p@v1.2.0]",
		"example.com/q@v1.0.0": "[example.com/b example.com/q@v1.0.0]",
		"example.com/s@v1.0.0": "[example.com/b example.com/q@v1.0.0 example.com/p@v1.2.0 example.com/r@v1.0.0 example.com/s@v1.0.0]",
		"example.com/s@v1.1.0": "[]",
		"example.com/a@":       "[]",
		"example.com/x@v1.0.0": "[]",
	} {
		path, version, _ := strings.Cut(target, "@")
		if got := fmt.Sprint(g.Chain(module.Version{Path: path, Version: version})); got != want {
			t.Errorf("Chain(%s) = %s, want %s", target, got, want)
		}
	}
}
