package workspace

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRepository(t *testing.T) {
	root := writeTree(t, map[string]string{
		"git/.git/HEAD":            "ref: refs/heads/main\n",
		"git/a/b/go.mod":           "module example.com/b\n",
		"git/sub/.git":             "gitdir: ../.git/modules/sub\n", // a submodule
		"git/sub/go.mod":           "module example.com/sub\n",
		"hg/.hg/requires":          "store\n",
		"hgfile/.hg":               "not a checkout: cmd/go wants a directory\n",
		"fossil/_FOSSIL_":          "",
		"fossil/x/go.mod":          "module example.com/x\n",
		"fslckout/.fslckout":       "",
		"svn/.svn/wc.db":           "",
		"bzr/.bzr/branch-format":   "",
		"jj/.jj/repo/store":        "",
		"colocated/.jj/repo/store": "",
		"colocated/.git/HEAD":      "ref: refs/heads/main\n",
		"plain/go.mod":             "module example.com/plain\n",
	})
	snap := Load(Env{}, []string{root})
	if _, ok := snap.Repository(root); ok {
		t.Skipf("the temporary directory %s is inside a repository: the cases outside one cannot run", root)
	}
	for dir, want := range map[string]Repository{
		"git":        {Root: "git", Marker: ".git"},
		"git/a/b":    {Root: "git", Marker: ".git"},
		"git/sub":    {Root: "git/sub", Marker: ".git"},
		"hg":         {Root: "hg", Marker: ".hg"},
		"hgfile":     {},
		"fossil/x":   {Root: "fossil", Marker: "_FOSSIL_"},
		"fslckout":   {Root: "fslckout", Marker: ".fslckout"},
		"svn":        {Root: "svn", Marker: ".svn"},
		"bzr":        {Root: "bzr", Marker: ".bzr"},
		"jj":         {Root: "jj", Marker: ".jj"},
		"colocated":  {Root: "colocated", Marker: ".git"},
		"plain":      {},
		"git/../hg/": {Root: "hg", Marker: ".hg"},
	} {
		if want.Root != "" {
			want.Root = filepath.Join(root, want.Root)
		}
		got, ok := snap.Repository(filepath.Join(root, dir))
		if got != want || ok != (want.Root != "") {
			t.Errorf("Repository(%s) = %+v, %v; want %+v", dir, got, ok, want)
		}
	}
}

// A repository created later is seen once a watcher reports a change, like
// PathKind's answers.
func TestRepositoryForgottenOnChange(t *testing.T) {
	root := writeTree(t, map[string]string{"m/go.mod": "module example.com/m\n"})
	s := NewSession(Env{}, []string{root})
	snap := s.Snapshot()
	if _, ok := snap.Repository(filepath.Join(root, "m")); ok {
		t.Skipf("the temporary directory %s is inside a repository", root)
	}
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o777); err != nil {
		t.Fatal(err)
	}
	if _, ok := snap.Repository(filepath.Join(root, "m")); ok {
		t.Error("before the change is reported: found a repository")
	}
	snap = s.DiskChanged([]string{filepath.Join(root, ".git")})
	if got, _ := snap.Repository(filepath.Join(root, "m")); got != (Repository{Root: root, Marker: ".git"}) {
		t.Errorf("after the change is reported: %+v", got)
	}
}
