package workspace

import (
	"fmt"
	"testing"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// The index answers as a scan of the file would: every directive of a
// name, in file order; the last replace of a version, the first exclude.
func TestModIndex(t *testing.T) {
	f, err := modfile.Parse("go.mod", []byte(`module example.com/m

require (
	example.com/z v1.0.0
	example.com/a v1.0.0
	example.com/z v1.1.0
)

require example.com/b v1.0.0 // indirect

replace example.com/a v1.0.0 => ./a1

replace example.com/a => ./all

replace example.com/z v1.0.0 => ./z1

replace example.com/a v1.0.0 => ./a2

exclude (
	example.com/b v0.9.0 // first
	example.com/b v0.9.0 // second
	example.com/a v0.1.0
)
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	x := newModIndex(f)
	lines := func(rs []*modfile.Require) (out []int) {
		for _, r := range rs {
			out = append(out, r.Syntax.Start.Line)
		}
		return out
	}
	targets := func(rs []*modfile.Replace) (out []string) {
		for _, r := range rs {
			out = append(out, r.New.Path)
		}
		return out
	}
	check := func(what string, got, want any) {
		t.Helper()
		if g, w := fmtAny(got), fmtAny(want); g != w {
			t.Errorf("%s = %s, want %s", what, g, w)
		}
	}
	a1 := module.Version{Path: "example.com/a", Version: "v1.0.0"}
	check("Requires(z)", lines(x.Requires("example.com/z")), []int{4, 6})
	check("Requires(b)", lines(x.Requires("example.com/b")), []int{9})
	check("Requires(nope)", lines(x.Requires("example.com/nope")), []int(nil))
	check("Replaces(a v1.0.0)", targets(x.Replaces(a1)), []string{"./a1", "./a2"})
	check("Replaces(a)", targets(x.Replaces(module.Version{Path: "example.com/a"})), []string{"./all"})
	check("ReplacesOfPath(a)", targets(x.ReplacesOfPath("example.com/a")), []string{"./a1", "./all", "./a2"})
	check("Replace(a v1.0.0)", x.Replace(a1).New.Path, "./a2")
	check("ReplaceOf(a v2.0.0)", x.ReplaceOf(module.Version{Path: "example.com/a", Version: "v2.0.0"}).New.Path, "./all")
	check("ReplaceOf(z v1.1.0)", x.ReplaceOf(module.Version{Path: "example.com/z", Version: "v1.1.0"}) == nil, true)
	check("Exclude(b v0.9.0)", x.Exclude(module.Version{Path: "example.com/b", Version: "v0.9.0"}).Syntax.Start.Line, 20)
	check("Exclude(b v1.0.0)", x.Exclude(module.Version{Path: "example.com/b", Version: "v1.0.0"}) == nil, true)
	check("Required", x.Required(), []module.Version{{Path: "example.com/z", Version: "v1.0.0"}, a1, {Path: "example.com/z", Version: "v1.1.0"}, {Path: "example.com/b", Version: "v1.0.0"}})
}

func fmtAny(v any) string { return fmt.Sprintf("%v", v) }
