package lsp_test

import (
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/lsp/lsptest"
)

// scrambledGoMods are go.mod files as people leave them: blocks split and
// unsorted, odd spacing, comments in every place a comment can be.
var scrambledGoMods = []string{
	"module   example.com/app\ngo    1.22\n\n\nrequire example.com/b v1.0.0\nrequire (\n\texample.com/a   v1.2.0 // indirect\n  example.com/c v0.1.0\n)\n",
	"// head comment\nmodule example.com/app // trailing\n\ngo 1.21\ntoolchain  go1.22.0\nrequire (\n  example.com/z v1.0.0\n  example.com/a v1.0.0\n\n  // group\n  example.com/m v1.0.0\n)\nreplace example.com/z =>   ./z\nreplace (\nexample.com/a v1.0.0 => example.com/a2 v1.1.0\n)\nexclude example.com/q v1.0.0\n",
	"module \"example.com/quoted\"\n\ngo 1.22\n\nrequire example.com/a v1.0.0\nrequire example.com/a v1.0.0\nretract [v1.0.0, v1.1.0] // oops\nretract v0.9.0\n",
	"module example.com/app\ngo 1.23\ntool example.com/t/cmd\ntool(\nexample.com/u/cmd\n)\ngodebug default=go1.21\ngodebug (\n  panicnil=1\n)\nrequire example.com/t  v1.0.0\n",
}

var scrambledGoWorks = []string{
	"go   1.22\n\nuse ./b\nuse (\n  ./a\n./c // the third\n)\nreplace example.com/x => ./x\n",
	"// workspace\ngo 1.23\ntoolchain go1.23.1\nuse(\n./z\n./a\n)\n\n\nuse ./m\ngodebug  default=go1.21\n",
}

// TestFormattingIsGoModEditFmt: formatting a go.mod or go.work gives
// exactly the bytes `go mod edit -fmt` (`go work edit -fmt`) writes, on
// scrambled files and on random respacings of them; a formatted file
// gets no edits; a file that does not parse gets none either.
func TestFormattingIsGoModEditFmt(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	inputs := map[string][]string{"go.mod": scrambledGoMods, "go.work": scrambledGoWorks}
	rng := rand.New(rand.NewSource(1))
	for name, texts := range inputs {
		for _, text := range texts {
			for range 3 {
				inputs[name] = append(inputs[name], respace(rng, text))
			}
		}
	}
	c := lsptest.New(t, lsptest.Config{Files: "-- go.mod --\nmodule example.com/app\n\ngo 1.22\n-- w/go.work --\ngo 1.22\n"})
	res := c.Initialize(lsptest.AllCapabilities)
	if res.Capabilities.DocumentFormattingProvider != true {
		t.Fatalf("DocumentFormattingProvider = %v, want true", res.Capabilities.DocumentFormattingProvider)
	}
	c.Open("go.mod")
	c.Open("w/go.work")
	for name, texts := range inputs {
		rel := map[string]string{"go.mod": "go.mod", "go.work": "w/go.work"}[name]
		for _, text := range texts {
			want := goEditFmt(t, goCmd, name, text)
			c.Change(rel, text)
			got := formatBuffer(t, c, rel)
			if got != want {
				t.Errorf("formatting %s\n%s\ngave\n%s\ngo %s edit -fmt gives\n%s", name, text, got, map[string]string{"go.mod": "mod", "go.work": "work"}[name], want)
			}
			c.Change(rel, want)
			if edits := formattingEdits(t, c, rel); len(edits) != 0 {
				t.Errorf("formatting a formatted %s gave edits %v", name, edits)
			}
		}
	}
	c.Change("go.mod", "module example.com/app\n\nrequire (\n")
	if edits := formattingEdits(t, c, "go.mod"); len(edits) != 0 {
		t.Errorf("formatting a go.mod that does not parse gave edits %v", edits)
	}
}

// respace changes the blanks between a scrambled file's tokens (never
// inside one, and never a newline) at random.
func respace(rng *rand.Rand, text string) string {
	var b strings.Builder
	for _, r := range text {
		if r == ' ' || r == '\t' {
			b.WriteString([]string{" ", "\t", "  ", " \t"}[rng.Intn(4)])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// goEditFmt runs the real go command's edit -fmt on text.
func goEditFmt(t *testing.T, goCmd, name, text string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o666); err != nil {
		t.Fatal(err)
	}
	sub := map[string]string{"go.mod": "mod", "go.work": "work"}[name]
	cmd := exec.Command(goCmd, sub, "edit", "-fmt", path)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=", "GOPROXY=off", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s edit -fmt:\n%s\n%s", sub, text, out)
	}
	out, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func formattingEdits(t *testing.T, c *lsptest.Client, rel string) []protocol.TextEdit {
	t.Helper()
	var edits []protocol.TextEdit
	params := protocol.DocumentFormattingParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: c.URI(rel)},
		Options:      protocol.FormattingOptions{TabSize: 4, InsertSpaces: true},
	}
	if err := c.Call(protocol.MethodTextDocumentFormatting, params, &edits); err != nil {
		t.Fatalf("formatting %s: %v", rel, err)
	}
	return edits
}

// formatBuffer formats rel's buffer and applies the edits to it.
func formatBuffer(t *testing.T, c *lsptest.Client, rel string) string {
	t.Helper()
	edits := formattingEdits(t, c, rel)
	c.ApplyEdit(&protocol.WorkspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{c.URI(rel): edits}})
	return c.Buffer(rel)
}
