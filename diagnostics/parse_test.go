package diagnostics

import (
	"fmt"
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{
			name:  "go.mod rule errors are all reported",
			files: map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n\nrequire example.com/x\nfrobnicate\n"},
			want: "go.mod:5:1-5:22: error: usage: require module/path v1.2.3 [gomod-parse-error]\n" +
				"go.mod:6:1-6:11: error: unknown directive: frobnicate [gomod-parse-error]\n",
		},
		{
			name:  "go.mod version error names the verb and path",
			files: map[string]string{"go.mod": "module example.com/m\n\nrequire example.com/x/v2 v1.0.0 // why\n"},
			want:  "go.mod:3:1-3:39: error: require example.com/x/v2: version \"v1.0.0\" invalid: should be v2, not v1 [gomod-parse-error]\n",
		},
		{
			name: "go.mod lexer error has a column after a wide character",
			// "𝄞" is two UTF-16 units: the error at rune column 12 (the
			// newline) is UTF-16 column 13.
			files: map[string]string{"go.mod": "module example.com/m\nrequire \"𝄞x\n"},
			want:  "go.mod:2:13-2:13: error: unexpected newline in string [gomod-parse-error]\n",
		},
		{
			name:  "an unterminated block names the file by its base name",
			files: map[string]string{"go.mod": "module example.com/m\n\nrequire (\n\texample.com/x v1.0.0\n"},
			want:  "go.mod:5:1-5:1: error: syntax error (unterminated block started at go.mod:3:1) [gomod-parse-error]\n",
		},
		{
			name:  "go.work unknown directive",
			files: map[string]string{"go.work": "go 1.22\n\nuse ./a\nfoo bar\n", "a/go.mod": "module example.com/a\n"},
			want:  "go.work:4:1-4:8: error: unknown directive: foo [gowork-parse-error]\n",
		},
		{
			name: "go.sum malformed with requirements is an error",
			files: map[string]string{
				"go.mod": "module example.com/m\n\nrequire example.com/x v1.0.0\n",
				"go.sum": "example.com/x v1.0.0 h1:a=\n  example.com/x v1.0.0/go.mod\n",
			},
			want: "go.sum:2:3-2:30: error: malformed go.sum: wrong number of fields 2 [sum-malformed]\n",
		},
		{
			name: "go.sum malformed without requirements that need sums is a warning",
			files: map[string]string{
				"go.mod":   "module example.com/m\n\nrequire example.com/x v1.0.0\n\nreplace example.com/x => ./x\n",
				"go.sum":   "bad\n",
				"x/go.mod": "module example.com/x\n",
			},
			want: "go.sum:1:1-1:4: warning: malformed go.sum: wrong number of fields 1 (go reads this file only once a dependency needs a checksum, and then fails) [sum-malformed]\n",
		},
		{
			name: "a go.sum with no go.mod beside it is never read: information",
			files: map[string]string{
				"go.mod":         "module example.com/m\n\nrequire example.com/x v1.0.0\n",
				"go.sum":         "example.com/x v1.0.0 h1:a=\nexample.com/x v1.0.0/go.mod h1:b=\n",
				"sample/go.sum":  "example.com/x v1.0.0 h1:a= h1:a=\n",
				"sample/main.go": "package main\n",
			},
			want: "sample/go.sum:1:1-1:33: information: malformed go.sum: wrong number of fields 4 (the go command does not read this go.sum because no go.mod is beside it) [sum-malformed]\n",
		},
		{
			name: "a go.work.sum is read beside a go.work only",
			files: map[string]string{
				"go.work":         "go 1.22\n\nuse ./a\n",
				"go.work.sum":     "bad\n",
				"a/go.mod":        "module example.com/a\n\ngo 1.22\n\nrequire example.com/x v1.0.0\n",
				"a/go.sum":        "example.com/x v1.0.0 h1:a=\nexample.com/x v1.0.0/go.mod h1:b=\n",
				"old/go.work.sum": "bad\n",
			},
			want: "go.work.sum:1:1-1:4: error: malformed go.work.sum: wrong number of fields 1 [sum-malformed]\n" +
				"old/go.work.sum:1:1-1:4: information: malformed go.work.sum: wrong number of fields 1 (the go command does not read this go.work.sum because no go.work is beside it) [sum-malformed]\n",
		},
		{
			name: "modules.txt lines go ignores are warnings",
			files: map[string]string{
				"go.mod":             "module example.com/m\n\ngo 1.22\n",
				"vendor/modules.txt": "# example.com/x master\nexample.com/x\n",
			},
			want: "vendor/modules.txt:1:1-1:23: warning: \"master\" is not a valid module version: go ignores this module line [vendor-modules-txt-malformed]\n" +
				"vendor/modules.txt:2:1-2:14: warning: line outside any module section: go ignores it [vendor-modules-txt-malformed]\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, snap := load(t, tc.files)
			got := render(t, root, Run(snap, Checks, nil))
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestRunRecoversPanickingCheck(t *testing.T) {
	root, snap := load(t, map[string]string{"go.mod": "module example.com/m\nbogus\n"})
	var reported string
	boom := Check{Name: "boom", Run: func(*workspace.Snapshot) []Diagnostic { panic("kaboom") }}
	diags := Run(snap, []Check{boom, parseErrorsCheck}, func(check string, v any, stack []byte) {
		reported = fmt.Sprintf("%s: %v (stack %t)", check, v, len(stack) > 0)
	})
	want := "-: error: internal error in gomodls check boom: kaboom (please report this bug) [internal-error]\n" +
		"go.mod:2:1-2:6: error: unknown directive: bogus [gomod-parse-error]\n"
	if got := render(t, root, diags); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if reported != "boom: kaboom (stack true)" {
		t.Errorf("report got %q", reported)
	}
}
