package workspace

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseSum(t *testing.T) {
	content := "example.com/a v1.0.0 h1:aaa=\n" +
		"\n" +
		"example.com/a v1.0.0/go.mod h1:bbb=\n" +
		"  example.com/b v1.0.0 h1:ccc= extra\n" +
		"example.com/c v1.0.0/go.mod " + emptyGoModHash + "\n" +
		"lonely\r\n" +
		"example.com/d v1.0.0 h1:ddd="
	sf := ParseSum(NewFile("/w/go.sum", []byte(content), 0))

	var lines []string
	for _, l := range sf.Lines() {
		lines = append(lines, fmt.Sprintf("%d %s@%s %s %v", l.Line, l.Mod.Path, l.Mod.Version, l.Hash, sf.Span(l)))
	}
	wantLines := []string{
		"1 example.com/a@v1.0.0 h1:aaa= {0 28}",
		"3 example.com/a@v1.0.0/go.mod h1:bbb= {30 65}",
		"7 example.com/d@v1.0.0 h1:ddd= {187 215}",
	}
	if got, want := strings.Join(lines, "\n"), strings.Join(wantLines, "\n"); got != want {
		t.Errorf("lines:\n%s\nwant:\n%s", got, want)
	}

	// The empty go.mod hash (an old go bug) is dropped silently, as cmd/go does.
	var errs []string
	for _, e := range sf.Errors {
		errs = append(errs, fmt.Sprintf("%d:%d@%d %v", e.Pos.Line, e.Pos.LineRune, e.Pos.Byte, e.Err))
	}
	wantErrs := []string{
		"4:3@68 wrong number of fields 4",
		"6:1@179 wrong number of fields 1",
	}
	if got, want := strings.Join(errs, "\n"), strings.Join(wantErrs, "\n"); got != want {
		t.Errorf("errors:\n%s\nwant:\n%s", got, want)
	}
}
