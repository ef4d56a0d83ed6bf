package diagnostics

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestCommandGoArgs(t *testing.T) {
	root, snap := load(t, map[string]string{
		"go.work":     "go 1.22\n\nuse ./a\n",
		"a/go.mod":    "module example.com/a\n",
		"b/go.mod":    "module example.com/b\n",
		"solo/go.mod": "module example.com/solo\n",
	})
	aloneRoot, alone := load(t, map[string]string{"go.mod": "module example.com/m\n"})
	for _, tc := range []struct {
		c    Command
		want string
	}{
		{Command{Name: CommandVendor, Dir: root, Args: []string{"-v"}}, "work vendor -v"},
		{Command{Name: CommandVendor, Dir: filepath.Join(root, "a")}, "work vendor"}, // a used module: go work vendor, as the server runs it
		{Command{Name: CommandVendor, Dir: filepath.Join(root, "b")}, "mod vendor"},  // under go.work but not used
		{Command{Name: CommandWorkUse, Dir: root, Args: []string{"-r", "."}}, "work use -r ."},
		{Command{Name: CommandWorkSync, Dir: root}, "work sync"},
		{Command{Name: CommandWorkInit, Dir: root, Args: []string{"./a", "./b"}}, "work init ./a ./b"},
		{Command{Name: CommandDownload, Dir: root, Args: []string{"example.com/dep"}}, "mod download example.com/dep"},
		{Command{Name: CommandTidy, Dir: root}, "mod tidy"},
		{Command{Name: "gomodls.unknown", Dir: root}, ""},
	} {
		if got := strings.Join(tc.c.GoArgs(snap), " "); got != tc.want {
			t.Errorf("%s in %s: GoArgs = %q, want %q", tc.c.Name, tc.c.Dir, got, tc.want)
		}
	}
	if got := strings.Join((&Command{Name: CommandVendor, Dir: aloneRoot}).GoArgs(alone), " "); got != "mod vendor" {
		t.Errorf("vendor in a module: GoArgs = %q, want mod vendor", got)
	}
	if got := strings.Join((&Command{Name: CommandVendor, Dir: root}).GoArgs(nil), " "); got != "mod vendor" {
		t.Errorf("vendor without a snapshot: GoArgs = %q, want mod vendor", got)
	}
}
