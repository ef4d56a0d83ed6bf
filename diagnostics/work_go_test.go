package diagnostics

import (
	"strings"
	"testing"
)

func TestWorkGo(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{
			name: "go.work at the highest module's go line",
			files: map[string]string{
				"go.work":  "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
				"a/go.mod": modA,
				"b/go.mod": "module example.com/b\n\ngo 1.21\n",
			},
		},
		{
			name: "below two modules: one error naming the highest, related to both",
			files: map[string]string{
				"go.work":  "go 1.21\n\nuse (\n\t./a\n\t./b\n\t./old\n)\n",
				"a/go.mod": modA,
				"b/go.mod": "module example.com/b\n\ngo 1.23.2\n",
				// Below 1.21 a module's go line is never too new.
				"old/go.mod": "module example.com/old\n\ngo 1.20\n",
			},
			want: "go.work:1:1-1:8: error: module b listed in go.work file requires go >= 1.23.2 (and 1 other module), but go.work lists go 1.21; to update it: go work use [work-go-too-old-for-module]\n" +
				"\trelated a/go.mod:3: example.com/a requires go 1.22\n" +
				"\trelated b/go.mod:3: example.com/b requires go 1.23.2\n" +
				"\tfix quickfix: Raise go.work go line to 1.23.2\n",
		},
		{
			name: "no go line: go.work implicitly requires go 1.18, reported on the first directive, not the comment above it",
			files: map[string]string{
				"go.work":  "// a workspace\nuse .\n",
				"go.mod":   "module example.com/root\n\ngo 1.21\n",
				"a/go.mod": modA, // not used: not checked
			},
			want: "go.work:2:1-2:6: error: module . listed in go.work file requires go >= 1.21, but go.work implicitly requires go 1.18; to update it: go work use [work-go-too-old-for-module]\n" +
				"\trelated go.mod:3: example.com/root requires go 1.21\n" +
				"\tfix quickfix: Raise go.work go line to 1.21\n",
		},
		{
			name: "modules below 1.21 never fail, even above go.work",
			files: map[string]string{
				"go.work":  "use ./a\n",
				"a/go.mod": "module example.com/a\n\ngo 1.20\n",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, snap := load(t, tc.files)
			got := renderWork(t, root, runWorkCheck(snap, workGoCheck))
			if want := strings.ReplaceAll(tc.want, "$ROOT", root); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestWorkGoFix(t *testing.T) {
	for _, tc := range []struct {
		name, work, want string
	}{
		{
			name: "the go line is rewritten in place",
			work: "// ws\ngo 1.21 // old\n\nuse ./a\n",
			want: "// ws\ngo 1.22 // old\n\nuse ./a\n",
		},
		{
			name: "a missing go line is added after the file's comments",
			work: "// ws\n\nuse ./a\n",
			want: "// ws\n\ngo 1.22\n\nuse ./a\n",
		},
		{
			name: "a toolchain line below the new go line goes, as go work use does",
			work: "go 1.21\n\ntoolchain go1.21.5\n\nuse ./a\n",
			want: "go 1.22\n\nuse ./a\n",
		},
		{
			name: "a toolchain line above it stays",
			work: "go 1.21\n\ntoolchain go1.23.1\n\nuse ./a\n",
			want: "go 1.22\n\ntoolchain go1.23.1\n\nuse ./a\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, snap := load(t, map[string]string{"go.work": tc.work, "a/go.mod": modA})
			if got := applyTitled(t, runWorkCheck(snap, workGoCheck), CodeWorkGoTooOldForModule, "Raise go.work go line to 1.22"); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestToolchainVersion(t *testing.T) {
	for name, want := range map[string]string{
		"go1.22.3": "1.22.3", "go1.22.3-custom": "1.22.3", "mybuild-go1.21rc1": "1.21rc1",
		"go1.x": "", "local": "", "go/1.22": "",
	} {
		if got := toolchainVersion(name); got != want {
			t.Errorf("toolchainVersion(%q) = %q, want %q", name, got, want)
		}
	}
}
