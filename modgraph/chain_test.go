package modgraph_test

import (
	"fmt"
	"testing"
)

// TestChain: the shortest chain of requirements from a main module, in
// use order, to a requirement of the path; nil for a main module or a
// path no module requires.
func TestChain(t *testing.T) {
	f := loadFixture(t, "workspace_chain.txtar")
	g := f.graph(t, f.snapshot(), "")
	for path, want := range map[string]string{
		"example.com/p": "[example.com/a example.com/p@v1.0.0]",
		"example.com/q": "[example.com/b example.com/q@v1.0.0]",
		"example.com/r": "[example.com/b example.com/q@v1.0.0 example.com/p@v1.2.0 example.com/r@v1.0.0]",
		"example.com/s": "[example.com/b example.com/q@v1.0.0 example.com/p@v1.2.0 example.com/r@v1.0.0 example.com/s@v1.0.0]",
		"example.com/a": "[]",
		"example.com/x": "[]",
	} {
		if got := fmt.Sprint(g.Chain(path)); got != want {
			t.Errorf("Chain(%s) = %s, want %s", path, got, want)
		}
	}
}
