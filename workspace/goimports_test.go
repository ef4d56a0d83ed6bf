package workspace

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// parseGoImports reads only the head of a long Go file: wherever the end
// of the head falls (in the leading comment, the package clause, between
// or inside imports, in the code after them), it finds the imports a parse
// of the whole file finds, and reads the whole file only when it must.
func TestParseGoImportsHead(t *testing.T) {
	const imports = "package p\n\nimport \"example.com/a\"\nimport (\n\t\"example.com/b\"\n\tc \"example.com/c\"\n)\nimport \"example.com/d\"\n\nfunc F() {}\n"
	code := strings.Repeat("var x = 1 // padding\n", 3*goHeadSize/20)
	dir := t.TempDir()
	for pad := goHeadSize - len(imports) - 4; pad <= goHeadSize+4; pad++ {
		src := "//" + strings.Repeat("x", pad) + "\n" + imports + code
		path := filepath.Join(dir, "p.go")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		full, err := parser.ParseFile(token.NewFileSet(), path, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		f := parseGoImports(token.NewFileSet(), path, DefaultLimits.FileSize, &n)
		if f == nil {
			t.Fatalf("pad %d: no parse", pad)
		}
		var got, want []string
		for _, s := range f.Imports {
			got = append(got, s.Path.Value)
		}
		for _, s := range full.Imports {
			want = append(want, s.Path.Value)
		}
		if !slices.Equal(got, want) {
			t.Errorf("pad %d: imports %q, want %q", pad, got, want)
		}
		if pad < goHeadSize-len(imports)-2 && n != goHeadSize {
			t.Errorf("pad %d: read %d bytes, want only the head (%d)", pad, n, goHeadSize)
		}
	}
}
