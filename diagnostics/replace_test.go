package diagnostics

import (
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

// replaceCache is a module cache for the replace cases: dep v1.0.0 and
// v1.1.0, other v1.0.0, usesdep v1.0.0 (requires dep v1.0.0), and
// wrongpath v1.0.0, whose go.mod declares example.com/otherpath.
var replaceCache = map[string]string{
	"mod example.com/dep@v1.0.0":       "module example.com/dep\n\ngo 1.22\n",
	"mod example.com/dep@v1.1.0":       "module example.com/dep\n\ngo 1.22\n",
	"mod example.com/other@v1.0.0":     "module example.com/other\n\ngo 1.22\n",
	"mod example.com/usesdep@v1.0.0":   "module example.com/usesdep\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n",
	"mod example.com/wrongpath@v1.0.0": "module example.com/otherpath\n\ngo 1.22\n",
}

func TestReplace(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{
			name:  "missing directory of a required module: go reads its go.mod",
			files: map[string]string{"m/go.mod": mainMod("require example.com/dep v1.0.0\n\nreplace example.com/dep => ../nonexistent\n")},
			want:  "m/go.mod:7:1-7:42: error: example.com/dep@v1.0.0 (replaced by ../nonexistent): replacement directory ../nonexistent does not exist [replace-dir-missing]\n",
		},
		{
			name:  "missing directory of a module in the pruned part of the graph: go never reads it",
			files: map[string]string{"m/go.mod": mainMod("require example.com/usesdep v1.0.0\n\nreplace example.com/dep => ../nonexistent\n")},
			want:  "m/go.mod:7:1-7:42: warning: replacement directory ../nonexistent does not exist (go fails once it needs example.com/dep) [replace-dir-missing]\n",
		},
		{
			name:  "missing directory of a module nothing requires",
			files: map[string]string{"m/go.mod": mainMod("replace example.com/dep => ../nonexistent\n")},
			want: "m/go.mod:5:1-5:42: warning: replacement directory ../nonexistent does not exist (go fails once it needs example.com/dep) [replace-dir-missing]\n" +
				"m/go.mod:5:1-5:42: warning: unused replacement: no module in the build requires example.com/dep [replace-unused]\n" +
				"\tfix quickfix: Remove replace\n",
		},
		{
			name: "directory without go.mod",
			files: map[string]string{
				"m/go.mod":       mainMod("require example.com/dep v1.0.0\n\nreplace example.com/dep => ./nomod\n"),
				"m/nomod/dep.go": "package dep\n",
			},
			want: "m/go.mod:7:1-7:35: error: example.com/dep@v1.0.0 (replaced by ./nomod): reading nomod/go.mod: no go.mod in the replacement directory [replace-dir-no-gomod]\n",
		},
		{
			name: "directory declaring another path",
			files: map[string]string{
				"m/go.mod":    mainMod("require example.com/dep v1.0.0\n\nreplace example.com/dep => ../fork\n"),
				"fork/go.mod": "module example.com/fork\n\ngo 1.22\n",
			},
			want: "m/go.mod:7:1-7:35: warning: replacement directory ../fork holds module example.com/fork, not example.com/dep: go builds it as example.com/dep anyway, but its own imports of example.com/fork resolve elsewhere; is this the right directory? [replace-dir-path-mismatch]\n" +
				"\trelated fork/go.mod:1: the module path it declares\n",
		},
		{
			name:  "module replacement declaring another path",
			files: map[string]string{"m/go.mod": mainMod("require example.com/dep v1.0.0\n\nreplace example.com/dep => example.com/wrongpath v1.0.0\n")},
			want:  "m/go.mod:7:1-7:56: error: example.com/dep@v1.0.0 (replaced by example.com/wrongpath@v1.0.0): parsing go.mod:\n\tmodule declares its path as: example.com/otherpath\n\t        but was required as: example.com/dep [replace-module-path-mismatch]\n",
		},
		{
			name:  "module replacement not in the module cache: silent",
			files: map[string]string{"m/go.mod": mainMod("require example.com/dep v1.0.0\n\nreplace example.com/dep => example.com/uncached v1.0.0\n")},
			want:  "",
		},
		{
			name: "one directory for two paths",
			files: map[string]string{
				"m/go.mod": mainMod("require (\n\texample.com/dep v1.0.0\n\texample.com/other v1.0.0\n)\n\nreplace (\n\texample.com/dep => ../r\n\texample.com/other => ../r\n)\n"),
				"r/go.mod": "module example.com/dep\n\ngo 1.22\n",
			},
			want: "m/go.mod:11:2-11:25: error: ../r@ used for two different module paths (example.com/dep and example.com/other) [replace-same-target-two-paths]\n" +
				"\trelated m/go.mod:12: also replaces example.com/other with it\n" +
				"m/go.mod:12:2-12:27: error: ../r@ used for two different module paths (example.com/dep and example.com/other) [replace-same-target-two-paths]\n" +
				"\trelated m/go.mod:11: also replaces example.com/dep with it\n",
		},
		{
			name:  "a module replaced by another module of the build list",
			files: map[string]string{"m/go.mod": mainMod("require (\n\texample.com/dep v1.0.0\n\texample.com/other v1.0.0\n)\n\nreplace example.com/other => example.com/dep v1.0.0\n")},
			want: "m/go.mod:10:1-10:52: error: example.com/dep@v1.0.0 used for two different module paths (example.com/dep and example.com/other) [replace-same-target-two-paths]\n" +
				"\trelated m/go.mod:6: example.com/dep is in the build list as itself\n",
		},
		{
			name: "one directory for two paths, one of them not a requirement of the main module",
			files: map[string]string{
				"m/go.mod": mainMod("require (\n\texample.com/usesdep v1.0.0\n\texample.com/other v1.0.0\n)\n\nreplace (\n\texample.com/dep => ../r\n\texample.com/other => ../r\n)\n"),
				"r/go.mod": "module example.com/dep\n\ngo 1.22\n",
			},
			want: "m/go.mod:11:2-11:25: warning: ../r@ is the source of example.com/dep and example.com/other: go fails with \"used for two different module paths\" once it loads the whole module graph [replace-same-target-two-paths]\n" +
				"\trelated m/go.mod:12: also replaces example.com/other with it\n" +
				"m/go.mod:12:2-12:27: warning: ../r@ is the source of example.com/dep and example.com/other: go fails with \"used for two different module paths\" once it loads the whole module graph [replace-same-target-two-paths]\n" +
				"\trelated m/go.mod:11: also replaces example.com/dep with it\n",
		},
		{
			name: "the same below go 1.17: go loads the whole graph",
			files: map[string]string{
				"m/go.mod": "module example.com/m\n\ngo 1.16\n\nrequire (\n\texample.com/usesdep v1.0.0\n\texample.com/other v1.0.0\n)\n\nreplace (\n\texample.com/dep => ../r\n\texample.com/other => ../r\n)\n",
				"r/go.mod": "module example.com/dep\n\ngo 1.22\n",
			},
			want: "m/go.mod:11:2-11:25: error: ../r@ used for two different module paths (example.com/dep and example.com/other) [replace-same-target-two-paths]\n" +
				"\trelated m/go.mod:12: also replaces example.com/other with it\n" +
				"m/go.mod:12:2-12:27: error: ../r@ used for two different module paths (example.com/dep and example.com/other) [replace-same-target-two-paths]\n" +
				"\trelated m/go.mod:11: also replaces example.com/dep with it\n",
		},
		{
			name: "workspace: go.work's replacement directory is missing; a's, which go.work overrides, too",
			files: map[string]string{
				"go.work":  "go 1.22\n\nuse ./a\n\nreplace example.com/dep => ./gone\n",
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep => ../alsogone\n",
			},
			want: "a/go.mod:7:1-7:39: warning: replacement directory ../alsogone does not exist (go fails once it needs example.com/dep) [replace-dir-missing]\n" +
				"go.work:5:1-5:34: error: example.com/dep@v1.0.0 (replaced by ./gone): replacement directory ./gone does not exist [replace-dir-missing]\n",
		},
		{
			name: "workspace: unused replaces in go.work and in a module",
			files: map[string]string{
				"go.work":        "go 1.22\n\nuse ./a\n\nreplace example.com/other => ./r\n",
				"a/go.mod":       "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n\nreplace example.com/dep v1.0.0 => ../depfork\n",
				"r/go.mod":       "module example.com/other\n\ngo 1.22\n",
				"depfork/go.mod": "module example.com/dep\n\ngo 1.22\n",
			},
			want: "a/go.mod:7:1-7:45: warning: unused replacement: the build uses example.com/dep v1.1.0, not v1.0.0 [replace-unused]\n" +
				"\tfix quickfix: Remove replace\n" +
				"go.work:5:1-5:33: warning: unused replacement: no module in the build requires example.com/other [replace-unused]\n" +
				"\tfix quickfix: Remove replace\n",
		},
		{
			name: "workspace: a module's replace unused in the workspace but used when it builds alone",
			files: map[string]string{
				"go.work":  "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
				"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep v1.0.0 => example.com/dep v1.1.0\n",
				"b/go.mod": "module example.com/b\n\ngo 1.22\n\nrequire example.com/dep v1.1.0\n",
			},
			want: "",
		},
		{
			name: "replace of a module nothing requires but the main module imports: go get needs it",
			files: map[string]string{
				"m/go.mod":     mainMod("replace example.com/other => ../other\n"),
				"m/m.go":       "package m\n\nimport _ \"example.com/other/sub\"\n",
				"other/go.mod": "module example.com/other\n\ngo 1.22\n",
			},
			want: "",
		},
		{
			name:  "version-specific replace of a version the build does not use",
			files: map[string]string{"m/go.mod": mainMod("require example.com/dep v1.1.0\n\nreplace example.com/dep v1.0.0 => example.com/dep v1.1.0\n")},
			want: "m/go.mod:7:1-7:57: warning: unused replacement: the build uses example.com/dep v1.1.0, not v1.0.0 [replace-unused]\n" +
				"\tfix quickfix: Remove replace\n",
		},
		{
			name:  "version-specific replace of a version whose go.mod the graph reads",
			files: map[string]string{"m/go.mod": "module example.com/m\n\ngo 1.16\n\nrequire (\n\texample.com/dep v1.1.0\n\texample.com/usesdep v1.0.0\n)\n\nreplace example.com/dep v1.0.0 => example.com/dep v1.1.0\n"},
			want:  "",
		},
		{
			name:  "replace of a module in the graph: used",
			files: map[string]string{"m/go.mod": mainMod("require example.com/usesdep v1.0.0\n\nreplace example.com/dep => example.com/dep v1.1.0\n")},
			want:  "",
		},
		{
			name:  "incomplete graph: no replace-unused",
			files: map[string]string{"m/go.mod": mainMod("require example.com/uncached v1.0.0\n\nreplace example.com/dep => example.com/dep v1.1.0\n")},
			want:  "",
		},
		{
			name: "replace in a go.mod reached only as a replacement directory",
			files: map[string]string{
				"go.work":          "go 1.22\n\nuse ./m\n",
				"m/go.mod":         mainMod("require example.com/dep v1.0.0\n\nreplace example.com/dep => ../depdir\n"),
				"depdir/go.mod":    "module example.com/dep\n\ngo 1.22\n\nrequire example.com/other v1.0.0\n\nreplace example.com/other => ../otherfork\n",
				"otherfork/go.mod": "module example.com/other\n\ngo 1.22\n",
			},
			want: "depdir/go.mod:7:1-7:42: information: ignored: example.com/dep is not a main module, only a replacement of example.com/dep@v1.0.0; go applies only the main modules' replace directives [replace-ignored]\n" +
				"\trelated m/go.mod:7: the replacement that uses this module as a dependency\n",
		},
		{
			name: "a replacement directory that is also a main module elsewhere: its replaces apply there",
			files: map[string]string{
				"m/go.mod":         mainMod("require example.com/dep v1.0.0\n\nreplace example.com/dep => ../depdir\n"),
				"depdir/go.mod":    "module example.com/dep\n\ngo 1.22\n\nrequire example.com/other v1.0.0\n\nreplace example.com/other => ../otherfork\n",
				"otherfork/go.mod": "module example.com/other\n\ngo 1.22\n",
			},
			want: "",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := with(replaceCache)
			for k, v := range tc.files {
				files[k] = v
			}
			root, snap := loadWithCache(t, workspace.Env{}, files)
			if got := renderWork(t, root, runWorkCheck(snap, replaceCheck)); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestReplaceUnusedFix(t *testing.T) {
	root, snap := loadWithCache(t, workspace.Env{}, with(replaceCache,
		"m/go.mod", mainMod("require example.com/dep v1.1.0\n\nreplace (\n\texample.com/dep v1.0.0 => example.com/dep v1.1.0\n\texample.com/other => ../other\n)\n"),
		"other/go.mod", "module example.com/other\n\ngo 1.22\n"))
	_ = root
	got := applyTitled(t, runWorkCheck(snap, replaceCheck), CodeReplaceUnused, "Remove replace")
	want := mainMod("require example.com/dep v1.1.0\n\nreplace (\n\texample.com/other => ../other\n)\n")
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
