package diagnostics

import (
	"strconv"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

// outsideRepoFiles is a checkout at repo (its .git a directory) holding the
// modules repo/a and repo/lib, and beside it the modules fork and sibling
// and the directory nomod, which holds no module.
var outsideRepoFiles = map[string]string{
	"repo/.git/HEAD":  "ref: refs/heads/main\n",
	"repo/lib/go.mod": "module example.com/lib\n\ngo 1.22\n",
	"fork/go.mod":     "module example.com/dep\n\ngo 1.22\n",
	"sibling/go.mod":  "module example.com/sibling\n\ngo 1.22\n",
	"nomod/README":    "a directory with no module\n",
	"repo/a/go.mod":   modA,
}

func TestOutsideRepo(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   workspace.Env // $ROOT in GOWORK and GOMODCACHE is the temporary root
		files map[string]string
		want  string
	}{
		{
			name:  "go.mod replace with a sibling directory",
			files: with(outsideRepoFiles, "repo/m/go.mod", mainMod("require example.com/dep v1.0.0\n\nreplace example.com/dep => ../../fork\n")),
			want:  "repo/m/go.mod:7:1-7:38: warning: replacement directory ../../fork ($ROOT/fork) is outside the repository at $ROOT/repo (it has .git): it exists here, but not on other machines or in CI; commit the module into this repository, or replace with a module version [replace-dir-outside-repo]\n",
		},
		{
			name:  "an absolute replacement directory is written as it is",
			files: with(outsideRepoFiles, "repo/go.mod", mainMod("replace example.com/dep => $ROOT/fork\n")),
			want:  "repo/go.mod:5:1-5:$END: warning: replacement directory $ROOT/fork is outside the repository at $ROOT/repo (it has .git): it exists here, but not on other machines or in CI; commit the module into this repository, or replace with a module version [replace-dir-outside-repo]\n",
		},
		{
			name:  "a block of replaces: each outside line, whether or not it has a go.mod",
			files: with(outsideRepoFiles, "repo/go.mod", mainMod("replace (\n\texample.com/dep => ../fork\n\texample.com/lib => ./lib\n\texample.com/nomod => ../nomod\n\texample.com/gone => ../gone\n\texample.com/v => example.com/fork v1.0.0\n)\n")),
			want: "repo/go.mod:6:2-6:28: warning: replacement directory ../fork ($ROOT/fork) is outside the repository at $ROOT/repo (it has .git): it exists here, but not on other machines or in CI; commit the module into this repository, or replace with a module version [replace-dir-outside-repo]\n" +
				"repo/go.mod:8:2-8:31: warning: replacement directory ../nomod ($ROOT/nomod) is outside the repository at $ROOT/repo (it has .git): it exists here, but not on other machines or in CI; commit the module into this repository, or replace with a module version [replace-dir-outside-repo]\n",
		},
		{
			name: "a monorepo: replaces between its own modules",
			files: with(outsideRepoFiles,
				"repo/m/go.mod", mainMod("require example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n"),
				"repo/m/sub/go.mod", "module example.com/m/sub\n\ngo 1.22\n\nreplace example.com/lib => ../../lib\n"),
		},
		{
			name: "a linked worktree (.git is a file) is a repository of its own",
			files: with(outsideRepoFiles,
				"repo/wt/.git", "gitdir: ../.git/worktrees/wt\n",
				"repo/wt/go.mod", mainMod("replace example.com/lib => ../lib\n")),
			want: "repo/wt/go.mod:5:1-5:34: warning: replacement directory ../lib ($ROOT/repo/lib) is outside the repository at $ROOT/repo/wt (it has .git): it exists here, but not on other machines or in CI; commit the module into this repository, or replace with a module version [replace-dir-outside-repo]\n",
		},
		{
			name: "a submodule replacing a module of the superproject, and the superproject a module of the submodule",
			files: with(outsideRepoFiles,
				"repo/sub/.git", "gitdir: ../.git/modules/sub\n",
				"repo/sub/go.mod", "module example.com/sub\n\ngo 1.22\n\nreplace example.com/lib => ../lib\n",
				"repo/m/go.mod", mainMod("replace example.com/sub => ../sub\n")),
			want: "repo/sub/go.mod:5:1-5:34: warning: replacement directory ../lib ($ROOT/repo/lib) is outside the repository at $ROOT/repo/sub (it has .git): it exists here, but not on other machines or in CI; commit the module into this repository, or replace with a module version [replace-dir-outside-repo]\n",
		},
		{
			name:  "another version-control system: Mercurial",
			files: map[string]string{"hg/.hg/requires": "store\n", "hg/go.mod": mainMod("replace example.com/dep => ../fork\n"), "fork/go.mod": "module example.com/dep\n"},
			want:  "hg/go.mod:5:1-5:35: warning: replacement directory ../fork ($ROOT/fork) is outside the repository at $ROOT/hg (it has .hg): it exists here, but not on other machines or in CI; commit the module into this repository, or replace with a module version [replace-dir-outside-repo]\n",
		},
		{
			name:  "in no repository at all",
			files: map[string]string{"m/go.mod": mainMod("replace example.com/dep => ../fork\n"), "fork/go.mod": "module example.com/dep\n"},
		},
		{
			name: "a go.mod in the module cache",
			env:  workspace.Env{GOMODCACHE: "$ROOT/repo/gopath/pkg/mod"},
			files: with(outsideRepoFiles,
				"repo/gopath/pkg/mod/example.com/x@v1.0.0/go.mod", "module example.com/x\n\ngo 1.22\n\nreplace example.com/dep => ../../../../../../fork\n"),
		},
		{
			name: "go.work uses a sibling checkout and replaces with one",
			files: with(outsideRepoFiles,
				"repo/go.work", "go 1.22\n\nuse (\n\t./a\n\t../sibling\n\t../gone\n\t../nomod\n)\n\nreplace example.com/dep => ../fork\n"),
			want: "repo/go.work:5:2-5:12: warning: directory ../sibling ($ROOT/sibling) is outside the repository at $ROOT/repo (it has .git): it exists here, but not on other machines or in CI, where go fails with \"cannot load module ../sibling listed in go.work file\" if this go.work is committed; commit the module into this repository, or keep go.work out of version control [gowork-use-outside-repo]\n" +
				"repo/go.work:7:2-7:10: warning: directory ../nomod ($ROOT/nomod) is outside the repository at $ROOT/repo (it has .git): it exists here, but not on other machines or in CI, where go fails with \"cannot load module ../nomod listed in go.work file\" if this go.work is committed; commit the module into this repository, or keep go.work out of version control [gowork-use-outside-repo]\n" +
				"repo/go.work:10:1-10:35: warning: replacement directory ../fork ($ROOT/fork) is outside the repository at $ROOT/repo (it has .git): it exists here, but not on other machines or in CI if this go.work is committed; commit the module into this repository, replace with a module version, or keep go.work out of version control [replace-dir-outside-repo]\n",
		},
		{
			name: "go.work and the used go.mod files are each checked, a used module once",
			files: with(outsideRepoFiles,
				"repo/go.work", "go 1.22\n\nuse ./a\nuse ./a\nuse ./m\n",
				"repo/m/go.mod", mainMod("replace example.com/dep => ../../fork\n")),
			want: "repo/m/go.mod:5:1-5:38: warning: replacement directory ../../fork ($ROOT/fork) is outside the repository at $ROOT/repo (it has .git): it exists here, but not on other machines or in CI; commit the module into this repository, or replace with a module version [replace-dir-outside-repo]\n",
		},
		{
			name: "a go.work GOWORK switches off is not read",
			env:  workspace.Env{GOWORK: "off"},
			files: with(outsideRepoFiles,
				"repo/go.work", "go 1.22\n\nuse ../sibling\n\nreplace example.com/dep => ../fork\n"),
		},
		{
			name: "a go.mod in the workspace's tree that go.work does not use is no main module",
			files: with(outsideRepoFiles,
				"repo/go.work", "go 1.22\n\nuse ./a\n",
				"repo/m/go.mod", mainMod("replace example.com/dep => ../../fork\n")),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			files := make(map[string]string, len(tc.files))
			for name, content := range tc.files {
				files[name] = strings.ReplaceAll(content, "$ROOT", root)
			}
			writeFiles(t, root, files)
			env := tc.env
			env.GOWORK = strings.ReplaceAll(env.GOWORK, "$ROOT", root)
			env.GOMODCACHE = strings.ReplaceAll(env.GOMODCACHE, "$ROOT", root)
			snap := workspace.Load(env, []string{root})
			if _, ok := snap.Repository(root); ok {
				t.Skipf("the temporary directory %s is inside a repository", root)
			}
			got := render(t, root, runWorkCheck(snap, outsideRepoCheck))
			want := strings.ReplaceAll(tc.want, "$ROOT", root)
			want = strings.ReplaceAll(want, "$END", strconv.Itoa(len("replace example.com/dep => ")+len(root)+len("/fork")+1))
			if got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
