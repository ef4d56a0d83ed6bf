package diagnostics

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/workspace"
)

// Dependency directories the cases replace with.
var replaceTargets = map[string]string{
	"r1/go.mod": "module example.com/dep\n",
	"r2/go.mod": "module example.com/dep\n",
	"r3/go.mod": "module example.com/dep\n",
}

func withTargets(files map[string]string) map[string]string {
	out := make(map[string]string)
	for k, v := range replaceTargets {
		out[k] = v
	}
	for k, v := range files {
		out[k] = v
	}
	return out
}

func TestWorkReplace(t *testing.T) {
	const work = "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n"
	const workBA = "go 1.22\n\nuse (\n\t./b\n\t./a\n)\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{
			name: "two modules replace one version with different directories",
			files: map[string]string{
				"go.work":  work,
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep v1.0.0 => ../r1\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep v1.0.0 => ../r2\n",
			},
			want: "a/go.mod:7:1: error: conflicting replacements for example.com/dep@v1.0.0: $ROOT/r1 and $ROOT/r2; use \"go work edit -replace example.com/dep@v1.0.0=[override]\" to resolve [gowork-replace-conflict-across-modules]\n" +
				"\trelated b/go.mod:5:1: replaced with $ROOT/r2 here\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep v1.0.0 => ./r1\"\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep v1.0.0 => ./r2\"\n" +
				"b/go.mod:5:1: error: conflicting replacements for example.com/dep@v1.0.0: $ROOT/r1 and $ROOT/r2; use \"go work edit -replace example.com/dep@v1.0.0=[override]\" to resolve [gowork-replace-conflict-across-modules]\n" +
				"\trelated a/go.mod:7:1: replaced with $ROOT/r1 here\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep v1.0.0 => ./r1\"\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep v1.0.0 => ./r2\"\n",
		},
		{
			name: "a module target and a directory, replacing every version",
			files: map[string]string{
				"go.work":  work,
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nreplace example.com/dep => example.com/fork v1.2.0\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace (\n\texample.com/dep => ../r2\n)\n",
			},
			want: "a/go.mod:5:1: error: conflicting replacements for example.com/dep: example.com/fork@v1.2.0 and $ROOT/r2; use \"go work edit -replace example.com/dep=[override]\" to resolve [gowork-replace-conflict-across-modules]\n" +
				"\trelated b/go.mod:6:2: replaced with $ROOT/r2 here\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep => example.com/fork v1.2.0\"\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep => ./r2\"\n" +
				"b/go.mod:6:2: error: conflicting replacements for example.com/dep: example.com/fork@v1.2.0 and $ROOT/r2; use \"go work edit -replace example.com/dep=[override]\" to resolve [gowork-replace-conflict-across-modules]\n" +
				"\trelated a/go.mod:5:1: replaced with example.com/fork@v1.2.0 here\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep => example.com/fork v1.2.0\"\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep => ./r2\"\n",
		},
		{
			name: "targets naming one directory do not conflict",
			files: map[string]string{
				"go.work":  work,
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep => ../r1\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep => ../r1\n",
			},
		},
		{
			name: "a go.work replace of the path overrides both",
			files: map[string]string{
				"go.work":  work + "\nreplace example.com/dep => ./r3\n",
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep v1.0.0 => ../r1\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep v1.0.0 => ../r2\n",
			},
			want: "a/go.mod:7:1: information: overridden by go.work: example.com/dep => ./r3 [replace-ignored]\n" +
				"\trelated go.work:8:1: the replacement go applies\n" +
				"b/go.mod:5:1: information: overridden by go.work: example.com/dep => ./r3 [replace-ignored]\n" +
				"\trelated go.work:8:1: the replacement go applies\n",
		},
		{
			// makeMainModules leaves the path alone, but replacementFrom
			// still finds two exact replacements written differently.
			name: "a go.work replace of another version leaves the conflict to replacementFrom",
			files: map[string]string{
				"go.work":  work + "\nreplace example.com/dep v1.9.0 => ./r3\n",
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep v1.0.0 => ../r1\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep v1.0.0 => ../r2\n",
			},
			want: "a/go.mod:7:1: error: conflicting replacements found for example.com/dep@v1.0.0 in workspace modules defined by $ROOT/a/go.mod and $ROOT/b/go.mod [gowork-replace-conflict-mixed]\n" +
				"\trelated b/go.mod:5:1: replaced with $ROOT/r2 here\n" +
				"\trelated a/go.mod:5:1: requires example.com/dep@v1.0.0\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep v1.0.0 => ./r1\"\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep v1.0.0 => ./r2\"\n" +
				"b/go.mod:5:1: error: conflicting replacements found for example.com/dep@v1.0.0 in workspace modules defined by $ROOT/a/go.mod and $ROOT/b/go.mod [gowork-replace-conflict-mixed]\n" +
				"\trelated a/go.mod:7:1: replaced with $ROOT/r1 here\n" +
				"\trelated a/go.mod:5:1: requires example.com/dep@v1.0.0\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep v1.0.0 => ./r1\"\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep v1.0.0 => ./r2\"\n",
		},
		{
			name: "one directory written two ways is a conflict for replacementFrom",
			files: map[string]string{
				"go.work":  work,
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep v1.0.0 => ../r1\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep v1.0.0 => ./../r1\n",
			},
			want: "a/go.mod:7:1: error: conflicting replacements found for example.com/dep@v1.0.0 in workspace modules defined by $ROOT/a/go.mod and $ROOT/b/go.mod [gowork-replace-conflict-mixed]\n" +
				"\trelated b/go.mod:5:1: replaced with $ROOT/r1 here\n" +
				"\trelated a/go.mod:5:1: requires example.com/dep@v1.0.0\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep v1.0.0 => ./r1\"\n" +
				"b/go.mod:5:1: error: conflicting replacements found for example.com/dep@v1.0.0 in workspace modules defined by $ROOT/a/go.mod and $ROOT/b/go.mod [gowork-replace-conflict-mixed]\n" +
				"\trelated a/go.mod:7:1: replaced with $ROOT/r1 here\n" +
				"\trelated a/go.mod:5:1: requires example.com/dep@v1.0.0\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep v1.0.0 => ./r1\"\n",
		},
		{
			name: "all versions in one module, the required version in a later one",
			files: map[string]string{
				"go.work":  work,
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n\nreplace example.com/dep => ../r1\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep v1.1.0 => ../r2\n",
			},
			want: "a/go.mod:7:1: error: conflicting replacements found for example.com/dep@v1.1.0 in workspace modules defined by $ROOT/a/go.mod and $ROOT/b/go.mod [gowork-replace-conflict-mixed]\n" +
				"\trelated b/go.mod:5:1: replaced with $ROOT/r2 here\n" +
				"\trelated a/go.mod:5:1: requires example.com/dep@v1.1.0\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep v1.1.0 => ./r1\"\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep v1.1.0 => ./r2\"\n" +
				"b/go.mod:5:1: error: conflicting replacements found for example.com/dep@v1.1.0 in workspace modules defined by $ROOT/a/go.mod and $ROOT/b/go.mod [gowork-replace-conflict-mixed]\n" +
				"\trelated a/go.mod:7:1: replaced with $ROOT/r1 here\n" +
				"\trelated a/go.mod:5:1: requires example.com/dep@v1.1.0\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep v1.1.0 => ./r1\"\n" +
				"\tfix \"Resolve conflict with a go.work replace: example.com/dep v1.1.0 => ./r2\"\n",
		},
		{
			name: "a version no workspace module requires is not reported",
			files: map[string]string{
				"go.work":  work,
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep => ../r1\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep v1.1.0 => ../r2\n",
			},
		},
		{
			name: "a go.work replace of the required version ends the mixed conflict",
			files: map[string]string{
				"go.work":  work + "\nreplace example.com/dep v1.1.0 => ./r1\n",
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n\nreplace example.com/dep => ../r1\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep v1.1.0 => ../r2\n",
			},
			want: "b/go.mod:5:1: information: overridden by go.work: example.com/dep v1.1.0 => ./r1 [replace-ignored]\n" +
				"\trelated go.work:8:1: the replacement go applies\n",
		},
		{
			// replacementFrom lets the later module's replacement of all
			// versions win without complaint.
			name: "the required version in one module, all versions in a later one",
			files: map[string]string{
				"go.work":  workBA,
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n\nreplace example.com/dep => ../r1\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep v1.1.0 => ../r2\n",
			},
			want: "b/go.mod:5:1: information: overridden by a/go.mod: example.com/dep => ../r1 (go applies the replacement of the last module in go.work's use list that replaces example.com/dep@v1.1.0) [replace-ignored]\n" +
				"\trelated a/go.mod:7:1: the replacement go applies\n",
		},
		{
			name: "all versions replaced twice while go.work replaces another version",
			files: map[string]string{
				"go.work":  work + "\nreplace example.com/dep v1.9.0 => ./r3\n",
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep => ../r1\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep => ../r2\n",
			},
			want: "a/go.mod:7:1: information: overridden by b/go.mod: example.com/dep => ../r2 (go applies the replacement of the last module in go.work's use list that replaces example.com/dep) [replace-ignored]\n" +
				"\trelated b/go.mod:5:1: the replacement go applies\n",
		},
		{
			name: "go.work replaces a workspace module at all versions",
			files: map[string]string{
				"go.work":  work + "\nreplace example.com/b => ./r1\n\nreplace example.com/a v1.0.0 => ./r2\n",
				"a/go.mod": "module example.com/a\n\ngo 1.22\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n",
			},
			want: "go.work:8:1: error: workspace module example.com/b is replaced at all versions in the go.work file. To fix, remove the replacement from the go.work file or specify the version at which to replace the module. [gowork-replaces-workspace-module]\n" +
				"\trelated b/go.mod:1:1: the workspace module example.com/b\n" +
				"\tfix \"Remove the replacement\"\n",
		},
		{
			name: "a go.mod replace of a workspace module is ignored",
			files: map[string]string{
				"go.work":  work,
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/b v1.0.0\n\nreplace example.com/b => ../r1\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n",
			},
			want: "a/go.mod:7:1: information: ignored in the workspace: example.com/b is a workspace module, used from b [replace-ignored]\n" +
				"\trelated go.work:5:2: the workspace uses this module\n",
		},
		{
			// etcd's layout: each module replaces the others with the
			// directories go.work uses, so that it also builds alone.
			name: "replaces with the directories that apply anyway are not reported",
			files: map[string]string{
				"go.work":  work + "\nreplace example.com/dep => ./r1\n",
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/b v1.0.0\n\nreplace (\n\texample.com/b => ../b\n\texample.com/dep => ../r1\n)\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep v1.0.0 => ./../r1\n",
			},
		},
		{
			name: "two go.mod files replacing a workspace module differently",
			files: map[string]string{
				"go.work":  work + "\nuse ./c\n",
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nreplace example.com/b => ../r1\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n",
				"c/go.mod": "module example.com/c\n\ngo 1.22\n\nreplace example.com/b => ../r2\n",
			},
			want: "a/go.mod:5:1: error: conflicting replacements for example.com/b: $ROOT/r1 and $ROOT/r2; example.com/b is a workspace module, so go applies neither, but it rejects them until they agree [gowork-replace-conflict-across-modules]\n" +
				"\trelated c/go.mod:5:1: replaced with $ROOT/r2 here\n" +
				"c/go.mod:5:1: error: conflicting replacements for example.com/b: $ROOT/r1 and $ROOT/r2; example.com/b is a workspace module, so go applies neither, but it rejects them until they agree [gowork-replace-conflict-across-modules]\n" +
				"\trelated a/go.mod:5:1: replaced with $ROOT/r1 here\n",
		},
		{
			name: "one go.mod replaces a version twice",
			files: map[string]string{
				"go.mod": "module example.com/m\n\ngo 1.22\n\nreplace (\n\texample.com/dep v1.0.0 => ./r1\n\texample.com/dep v1.0.0 => ./r2 // newer\n\texample.com/dep => ./r1\n\texample.com/dep => ./r1\n)\n",
			},
			want: "go.mod:6:2: error: conflicting replacements for example.com/dep@v1.0.0: ./r1 and ./r2 [replace-duplicate-conflict]\n" +
				"\trelated go.mod:7:2: also replaces example.com/dep@v1.0.0, with ./r2\n" +
				"\tfix \"Remove this replacement\"\n" +
				"go.mod:7:2: error: conflicting replacements for example.com/dep@v1.0.0: ./r1 and ./r2 [replace-duplicate-conflict]\n" +
				"\trelated go.mod:6:2: also replaces example.com/dep@v1.0.0, with ./r1\n" +
				"\tfix \"Remove this replacement\"\n",
		},
		{
			name: "go.work and a workspace module replace a path twice",
			files: map[string]string{
				"go.work":  work + "\nreplace example.com/dep => ./r1\n\nreplace example.com/dep => ./r2\n",
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nreplace example.com/other => ../r1\nreplace example.com/other => ../r2\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/other => ../r3\n",
			},
			want: "a/go.mod:5:1: error: conflicting replacements for example.com/other: ../r1 and ../r2 [replace-duplicate-conflict]\n" +
				"\trelated a/go.mod:6:1: also replaces example.com/other, with ../r2\n" +
				"\tfix \"Remove this replacement\"\n" +
				"a/go.mod:6:1: error: conflicting replacements for example.com/other: ../r1 and ../r2 [replace-duplicate-conflict]\n" +
				"\trelated a/go.mod:5:1: also replaces example.com/other, with ../r1\n" +
				"\tfix \"Remove this replacement\"\n" +
				"go.work:8:1: error: conflicting replacements for example.com/dep: ./r1 and ./r2 [replace-duplicate-conflict]\n" +
				"\trelated go.work:10:1: also replaces example.com/dep, with ./r2\n" +
				"\tfix \"Remove this replacement\"\n" +
				"go.work:10:1: error: conflicting replacements for example.com/dep: ./r1 and ./r2 [replace-duplicate-conflict]\n" +
				"\trelated go.work:8:1: also replaces example.com/dep, with ./r1\n" +
				"\tfix \"Remove this replacement\"\n",
		},
		{
			name: "a module outside the workspace's use list is not compared",
			files: map[string]string{
				"go.work":  "go 1.22\n\nuse ./a\n",
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nreplace example.com/dep => ../r1\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep => ../r2\n",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, snap := load(t, withTargets(tc.files))
			got := renderFull(root, Run(snap, []Check{workReplaceCheck}, nil))
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestWorkReplaceFixes applies each fix and compares the file it edits.
func TestWorkReplaceFixes(t *testing.T) {
	const work = "go 1.22\n\n// the modules\nuse (\n\t./a\n\t./b\n)\n"
	for _, tc := range []struct {
		name     string
		files    map[string]string
		code     string
		file     string // where the diagnostic is
		title    string
		editFile string
		want     string
	}{
		{
			name: "add a go.work replace with a directory relative to go.work",
			files: map[string]string{
				"go.work":     work,
				"a/go.mod":    "module example.com/a\n\ngo 1.22\n\nreplace example.com/dep v1.0.0 => ../r1\n",
				"b/go.mod":    "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep v1.0.0 => ../x/r2\n",
				"x/r2/go.mod": "module example.com/dep\n",
			},
			code: CodeGoworkReplaceConflictAcrossModules, file: "a/go.mod", title: "./x/r2",
			editFile: "go.work",
			want:     work + "\nreplace example.com/dep v1.0.0 => ./x/r2\n",
		},
		{
			name: "add a go.work replace with a module target",
			files: map[string]string{
				"go.work":  work + "\nreplace example.com/other => ./r3 // kept\n",
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nreplace example.com/dep => example.com/fork v1.2.0\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep => ../r2\n",
			},
			code: CodeGoworkReplaceConflictAcrossModules, file: "b/go.mod", title: "fork",
			editFile: "go.work",
			// As go work edit -replace writes it.
			want: work + "\nreplace example.com/other => ./r3 // kept\n\nreplace example.com/dep => example.com/fork v1.2.0\n",
		},
		{
			name: "resolve a mixed conflict at the required version",
			files: map[string]string{
				"go.work":  work,
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n\nreplace example.com/dep => ../r1\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep v1.1.0 => ../r2\n",
			},
			code: CodeGoworkReplaceConflictMixed, file: "b/go.mod", title: "./r1",
			editFile: "go.work",
			want:     work + "\nreplace example.com/dep v1.1.0 => ./r1\n",
		},
		{
			name: "remove go.work's replace of a workspace module",
			files: map[string]string{
				"go.work":  work + "\nreplace (\n\texample.com/b => ./r1 // not allowed\n\texample.com/dep => ./r2\n)\n",
				"a/go.mod": "module example.com/a\n\ngo 1.22\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n",
			},
			code: CodeGoworkReplacesWorkspaceModule, file: "go.work", title: "Remove",
			editFile: "go.work",
			want:     work + "\nreplace example.com/dep => ./r2\n",
		},
		{
			name: "remove one of two duplicate lines, keeping the other's comment",
			files: map[string]string{
				"go.mod": "module example.com/m\n\ngo 1.22\n\nreplace example.com/dep => ./r1 // old\n\n// the fork\nreplace example.com/dep => ./r2 // new\n",
			},
			code: CodeReplaceDuplicateConflict, file: "go.mod", title: "Remove",
			editFile: "go.mod",
			want:     "module example.com/m\n\ngo 1.22\n\n// the fork\nreplace example.com/dep => ./r2 // new\n",
		},
		{
			name: "remove a duplicate line from a block",
			files: map[string]string{
				"go.work":  "go 1.22\n\nuse ./a\n\nreplace (\n\texample.com/dep => ./r1\n\texample.com/dep => ./r2\n\texample.com/other => ./r3\n)\n",
				"a/go.mod": "module example.com/a\n\ngo 1.22\n",
			},
			code: CodeReplaceDuplicateConflict, file: "go.work", title: "Remove",
			editFile: "go.work",
			want:     "go 1.22\n\nuse ./a\n\nreplace (\n\texample.com/dep => ./r2\n\texample.com/other => ./r3\n)\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, snap := load(t, withTargets(tc.files))
			var fix *Fix
			for _, d := range Run(snap, []Check{workReplaceCheck}, nil) {
				if d.Code != tc.code || d.File.Path != filepath.Join(root, tc.file) {
					continue
				}
				for i, f := range d.Fixes {
					if strings.Contains(f.Title, tc.title) {
						fix = &d.Fixes[i]
					}
				}
				break
			}
			if fix == nil {
				t.Fatalf("no %s on %s with a fix %q", tc.code, tc.file, tc.title)
			}
			for _, e := range fix.Edits {
				if e.File.Path != filepath.Join(root, tc.editFile) {
					t.Fatalf("fix edits %s, want only %s", e.File.Path, tc.editFile)
				}
			}
			f := snap.File(filepath.Join(root, tc.editFile))
			if got := apply(f.Content(), fix.Edits); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestRemoveLine removes the second replace of each file: whole lines, with
// the comments modfile attaches above, and one blank line of two.
func TestRemoveLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{
			"module m\n\nreplace a => ./x\nreplace a => ./y\n",
			"module m\n\nreplace a => ./x\n",
		},
		{
			"module m\n\nreplace a => ./x\n\nreplace a => ./y\n",
			"module m\n\nreplace a => ./x\n",
		},
		{
			"module m\n\nreplace a => ./x\n\n// why\nreplace a => ./y // because\n\nrequire b v1.0.0\n",
			"module m\n\nreplace a => ./x\n\nrequire b v1.0.0\n",
		},
		{
			"module m\n\nreplace (\n\ta => ./x\n\ta => ./y\n\tc => ./z\n)\n",
			"module m\n\nreplace (\n\ta => ./x\n\tc => ./z\n)\n",
		},
		{
			"module m\r\n\r\nreplace a => ./x\r\nreplace a => ./y\r\n",
			"module m\r\n\r\nreplace a => ./x\r\n",
		},
		{
			"module m\n\nreplace a => ./x\nreplace a => ./y",
			"module m\n\nreplace a => ./x\n",
		},
	} {
		f := workspace.NewFile("/m/go.mod", []byte(tc.in), 0)
		mf, err := modfile.Parse(f.Path, f.Content(), nil)
		if err != nil {
			t.Fatal(err)
		}
		got := apply(f.Content(), []Edit{removeLine(f, mf.Replace[1].Syntax)})
		if got != tc.want {
			t.Errorf("removing the second replace of\n%q\ngave\n%q\nwant\n%q", tc.in, got, tc.want)
		}
	}
}
