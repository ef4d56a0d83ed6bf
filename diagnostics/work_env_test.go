package diagnostics

import (
	"strings"
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

func TestWorkEnv(t *testing.T) {
	files := map[string]string{
		"go.work":       "// the workspace\ngo 1.22\n\nuse ./a\n",
		"a/go.mod":      modA,
		"other/go.work": "go 1.22\n\nuse ../a\n",
	}
	for _, tc := range []struct {
		gowork, want string
	}{
		{gowork: ""},
		{gowork: "auto"},
		{
			gowork: "off",
			want: "go.work:1:1-1:17: information: GOWORK=off: the go command ignores this go.work and builds each module on its own [env-gowork-off]\n" +
				"other/go.work:1:1-1:8: information: GOWORK=off: the go command ignores this go.work and builds each module on its own [env-gowork-off]\n",
		},
		{
			gowork: "$ROOT/other/go.work",
			want: "go.work:1:1-1:17: information: GOWORK=$ROOT/other/go.work: the go command uses that go.work, not this one [env-gowork-elsewhere]\n" +
				"\trelated other/go.work:1: the go.work in effect\n",
		},
		{
			gowork: "$ROOT/nowhere/go.work",
			want: "go.work:1:1-1:17: information: GOWORK=$ROOT/nowhere/go.work: the go command uses that go.work, not this one [env-gowork-elsewhere]\n" +
				"other/go.work:1:1-1:8: information: GOWORK=$ROOT/nowhere/go.work: the go command uses that go.work, not this one [env-gowork-elsewhere]\n",
		},
		{gowork: "relative/go.work"}, // env-gowork-relative's business
	} {
		root, snap := loadEnv(t, workspace.Env{GOWORK: tc.gowork}, files)
		got := renderWork(t, root, runWorkCheck(snap, workEnvCheck))
		if want := strings.ReplaceAll(tc.want, "$ROOT", root); got != want {
			t.Errorf("GOWORK=%s: got:\n%s\nwant:\n%s", tc.gowork, got, want)
		}
	}
}
