package diagnostics

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

func TestWorkUse(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{
			name: "healthy",
			files: map[string]string{
				"go.work":  "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
				"a/go.mod": modA,
				"b/go.mod": "module example.com/b\n\ngo 1.22\n",
			},
		},
		{
			name: "missing directory, no go.mod, a file",
			files: map[string]string{
				"go.work":     "go 1.22\n\nuse (\n\t./a\n\t./missing\n\t./nomod\n\t./afile\n)\n",
				"a/go.mod":    modA,
				"nomod/x.go":  "package x\n",
				"afile":       "",
				"unrelated.x": "",
			},
			want: "go.work:5:2-5:11: error: cannot load module missing listed in go.work file: open missing/go.mod: no such file or directory [gowork-use-missing-dir]\n" +
				"\tfix source.fixAll.gomodls: Remove use of ./missing\n" +
				"go.work:6:2-6:9: error: cannot load module nomod listed in go.work file: open nomod/go.mod: no such file or directory [gowork-use-no-gomod]\n" +
				"\tfix quickfix: Remove use of ./nomod\n" +
				"go.work:7:2-7:9: error: cannot load module afile listed in go.work file: open $ROOT/afile/go.mod: not a directory [gowork-use-not-dir]\n" +
				"\tfix quickfix: Remove use of ./afile\n",
		},
		{
			name: "a use outside the go.work directory is shortened as go does",
			files: map[string]string{
				"ws/go.work": "go 1.22\n\nuse ../gone\n",
			},
			want: "ws/go.work:3:1-3:12: error: cannot load module ../gone listed in go.work file: open ../gone/go.mod: no such file or directory [gowork-use-missing-dir]\n" +
				"\tfix source.fixAll.gomodls: Remove use of ../gone\n",
		},
		{
			name: "duplicate path after cleaning, on the second line",
			files: map[string]string{
				"go.work":  "go 1.22\n\nuse (\n\t./a\n\t./a/\n\t./a\n)\n",
				"a/go.mod": modA,
			},
			want: "go.work:5:2-5:6: error: path $ROOT/a appears multiple times in workspace [gowork-use-duplicate-path]\n" +
				"\trelated go.work:4: first used here, as ./a\n" +
				"\tfix quickfix: Remove duplicate use of ./a/\n" +
				"go.work:6:2-6:5: error: path $ROOT/a appears multiple times in workspace [gowork-use-duplicate-path]\n" +
				"\trelated go.work:4: first used here, as ./a\n" +
				"\tfix source.fixAll.gomodls: Remove duplicate use of ./a\n",
		},
		{
			name: "a duplicate of a missing directory is a duplicate only",
			files: map[string]string{
				"go.work": "go 1.22\n\nuse ./gone\nuse ./gone\n",
			},
			want: "go.work:3:1-3:11: error: cannot load module gone listed in go.work file: open gone/go.mod: no such file or directory [gowork-use-missing-dir]\n" +
				"\tfix source.fixAll.gomodls: Remove use of ./gone\n" +
				"go.work:4:1-4:11: error: path $ROOT/gone appears multiple times in workspace [gowork-use-duplicate-path]\n" +
				"\trelated go.work:3: first used here, as ./gone\n" +
				"\tfix source.fixAll.gomodls: Remove duplicate use of ./gone\n",
		},
		{
			name: "one module path in two directories",
			files: map[string]string{
				"go.work":  "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
				"a/go.mod": modA,
				"b/go.mod": modA,
			},
			want: "go.work:4:2-4:5: error: module example.com/a appears multiple times in workspace [gowork-module-duplicate]\n" +
				"\trelated go.work:5: example.com/a is also used as ./b\n" +
				"\trelated b/go.mod:1: declared here too\n" +
				"\tfix quickfix: Remove use of ./a\n" +
				"go.work:5:2-5:5: error: module example.com/a appears multiple times in workspace [gowork-module-duplicate]\n" +
				"\trelated go.work:4: example.com/a is also used as ./a\n" +
				"\trelated a/go.mod:1: declared here too\n" +
				"\tfix quickfix: Remove use of ./b\n",
		},
		{
			name: "a go.work that does not parse is left to gowork-parse-error",
			files: map[string]string{
				"go.work": "go 1.22\n\nuse ./missing\nfrobnicate\n",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, snap := load(t, tc.files)
			got := renderWork(t, root, runWorkCheck(snap, workUseCheck))
			if want := strings.ReplaceAll(tc.want, "$ROOT", root); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestWorkUseIgnoredWhenGOWORKSaysOtherwise(t *testing.T) {
	for _, gowork := range []string{"off", "/elsewhere/go.work"} {
		root, snap := loadEnv(t, workspace.Env{GOWORK: gowork}, map[string]string{"go.work": "go 1.22\n\nuse ./missing\n"})
		if got := renderWork(t, root, runWorkCheck(snap, workUseCheck)); got != "" {
			t.Errorf("GOWORK=%s: got:\n%s\nwant nothing: go does not read this go.work", gowork, got)
		}
	}
}

func TestWorkUseFixes(t *testing.T) {
	for _, tc := range []struct {
		name, work, code, title, want string
	}{
		{
			name:  "a line of a block",
			work:  "go 1.22\n\nuse (\n\t./a\n\t./missing // gone\n\t./b\n)\n",
			code:  CodeGoWorkUseMissingDir,
			title: "Remove use of ./missing",
			want:  "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
		},
		{
			name:  "the only line of a block takes the block",
			work:  "go 1.22\n\nuse (\n\t./missing\n)\n",
			code:  CodeGoWorkUseMissingDir,
			title: "Remove use of ./missing",
			want:  "go 1.22\n",
		},
		{
			name:  "the only line of a block with a comment keeps the block",
			work:  "go 1.22\n\nuse (\n\t// soon\n\t./missing\n)\n",
			code:  CodeGoWorkUseMissingDir,
			title: "Remove use of ./missing",
			want:  "go 1.22\n\nuse (\n\t// soon\n)\n",
		},
		{
			name:  "a single line between others leaves one blank line",
			work:  "go 1.22\n\nuse ./missing\n\nreplace example.com/x => ./x\n",
			code:  CodeGoWorkUseMissingDir,
			title: "Remove use of ./missing",
			want:  "go 1.22\n\nreplace example.com/x => ./x\n",
		},
		{
			name:  "the last line, without a newline",
			work:  "go 1.22\nuse ./a\nuse ./missing",
			code:  CodeGoWorkUseMissingDir,
			title: "Remove use of ./missing",
			want:  "go 1.22\nuse ./a\n",
		},
		{
			name:  "an exact duplicate loses its second line only",
			work:  "go 1.22\n\nuse (\n\t./a\n\t./b\n\t./a\n)\n",
			code:  CodeGoWorkUseDuplicatePath,
			title: "Remove duplicate use of ./a",
			want:  "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
		},
		{
			name:  "a duplicate spelled differently",
			work:  "go 1.22\n\nuse ./a\nuse ./b/../a\n",
			code:  CodeGoWorkUseDuplicatePath,
			title: "Remove duplicate use of ./b/../a",
			want:  "go 1.22\n\nuse ./a\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, snap := load(t, map[string]string{"go.work": tc.work, "a/go.mod": modA, "b/go.mod": "module example.com/b\n\ngo 1.22\n"})
			if got := applyTitled(t, runWorkCheck(snap, workUseCheck), tc.code, tc.title); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// The use lines' modules follow edits of their go.mod files (uniqueUses
// patches the previous snapshot's): a module path made a duplicate is
// reported, and the report goes once the path differs again.
func TestWorkUseAfterEdits(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"go.work":  "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
		"a/go.mod": modA,
		"b/go.mod": "module example.com/b\n",
	})
	s := workspace.NewSession(workspace.Env{}, []string{root})
	codes := func(snap *workspace.Snapshot) []string {
		var out []string
		for _, d := range runWorkCheck(snap, workUseCheck) {
			out = append(out, d.Code)
		}
		return out
	}
	b := filepath.Join(root, "b", "go.mod")
	if got := codes(s.Snapshot()); len(got) != 0 {
		t.Fatalf("on disk: %v", got)
	}
	if got := codes(s.Open(b, []byte(modA), 1)); !slices.Equal(got, []string{CodeGoWorkModuleDuplicate, CodeGoWorkModuleDuplicate}) {
		t.Errorf("b declaring a's path: %v, want two %s", got, CodeGoWorkModuleDuplicate)
	}
	if got := codes(s.Change(b, []byte("module example.com/b\n"), 2)); len(got) != 0 {
		t.Errorf("b's path back: %v, want none", got)
	}
}
