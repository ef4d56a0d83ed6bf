package unidiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// goroot is the installed go's GOROOT, or the test is skipped.
func goroot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// unescape undoes the go command's diff testdata conventions: "$" ends a
// line that is empty or ends in spaces, "^D" marks a text without a final
// newline.
func unescape(text []byte) []byte {
	text = bytes.ReplaceAll(text, []byte("$\n"), []byte("\n"))
	return bytes.TrimSuffix(text, []byte("^D\n"))
}

// TestGoTestdata runs the go command's own diff cases (old, new and the
// diff it prints), from the installed go's source tree.
func TestGoTestdata(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(goroot(t), "src", "internal", "diff", "testdata", "*.txt"))
	if len(files) == 0 {
		t.Skip("the go source tree has no internal/diff testdata")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Files) != 3 {
				t.Fatalf("want old, new and diff")
			}
			got := Diff(a.Files[0].Name, unescape(a.Files[0].Data), a.Files[1].Name, unescape(a.Files[1].Data))
			if want := unescape(a.Files[2].Data); !bytes.Equal(got, want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestSameAsGo compares Diff with the go command's diff on random texts
// of few distinct lines (so that most are not unique and the anchors and
// hunk joins are exercised): the go source's internal/diff is built into
// a throwaway program, outside this repository, and is the judge.
func TestSameAsGo(t *testing.T) {
	src := filepath.Join(goroot(t), "src", "internal", "diff", "diff.go")
	code, err := os.ReadFile(src)
	if err != nil {
		t.Skipf("no go source: %v", err)
	}
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module judge\n\ngo 1.22\n")
	write("diff/diff.go", string(code))
	write("main.go", `package main

import (
	"encoding/json"
	"os"

	"judge/diff"
)

func main() {
	var cases [][2]string
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		panic(err)
	}
	var out []string
	for _, c := range cases {
		out = append(out, string(diff.Diff("a/x", []byte(c[0]), "b/x", []byte(c[1]))))
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
`)
	r := rand.New(rand.NewPCG(1, 2))
	text := func() string {
		var b strings.Builder
		for range r.IntN(40) {
			fmt.Fprintf(&b, "%c\n", 'a'+r.IntN(1+r.IntN(12)))
		}
		s := b.String()
		if s != "" && r.IntN(5) == 0 {
			s = s[:len(s)-1]
		}
		return s
	}
	var cases [][2]string
	for range 3000 {
		a := text()
		b := a
		switch r.IntN(3) {
		case 0:
			b = text()
		case 1: // a few edits of a
			lines := strings.SplitAfter(a, "\n")
			for range 1 + r.IntN(4) {
				i := r.IntN(len(lines))
				switch r.IntN(3) {
				case 0:
					lines = append(lines[:i], lines[i+1:]...)
				case 1:
					lines = append(lines[:i], append([]string{fmt.Sprintf("%c\n", 'A'+r.IntN(5))}, lines[i:]...)...)
				default:
					lines[i] = fmt.Sprintf("%c\n", 'a'+r.IntN(20))
				}
				if len(lines) == 0 {
					break
				}
			}
			b = strings.Join(lines, "")
		}
		cases = append(cases, [2]string{a, b})
	}
	in, _ := json.Marshal(cases)
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOTOOLCHAIN=local", "GOWORK=off", "GOPROXY=off")
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("building the go command's diff: %v", err)
	}
	var want []string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		if got := string(Diff("a/x", []byte(c[0]), "b/x", []byte(c[1]))); got != want[i] {
			t.Fatalf("case %d: old %q new %q\ngot:\n%s\nwant:\n%s", i, c[0], c[1], got, want[i])
		}
	}
}
