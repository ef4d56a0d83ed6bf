package diagnostics

import (
	"strings"
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

// loadRootEnv is loadEnv with $ROOT replaced in GOMODCACHE and GOPROXY
// too, for an environment whose module cache or file:// proxy lies among
// files.
func loadRootEnv(t *testing.T, env workspace.Env, files map[string]string) (string, *workspace.Snapshot) {
	t.Helper()
	root, _ := loadEnv(t, workspace.Env{}, files)
	env.GOMODCACHE = strings.ReplaceAll(env.GOMODCACHE, "$ROOT", root)
	env.GOPROXY = strings.ReplaceAll(env.GOPROXY, "$ROOT", root)
	return root, workspace.Load(env, []string{root})
}

func TestGoProxyOff(t *testing.T) {
	base := map[string]string{
		"m/go.mod":     "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/cached v1.0.0\n\texample.com/absent v1.0.0\n\texample.com/bydir v1.0.0\n\texample.com/byversion v1.0.0\n)\n\nreplace example.com/bydir => ../bydir\n\nreplace example.com/byversion v1.0.0 => example.com/fork v1.2.0\n",
		"bydir/go.mod": "module example.com/bydir\n\ngo 1.22\n",
		"cache/cache/download/example.com/cached/@v/v1.0.0.mod": "module example.com/cached\n\ngo 1.22\n",
	}
	for _, tc := range []struct {
		name  string
		env   workspace.Env
		files map[string]string
		want  string
	}{
		{name: "proxy on", env: workspace.Env{GOPROXY: "https://proxy.golang.org,direct", GOMODCACHE: "$ROOT/cache"}},
		{
			name: "off",
			env:  workspace.Env{GOPROXY: "off", GOMODCACHE: "$ROOT/cache"},
			want: "m/go.mod:7:2-7:27: error: example.com/absent@v1.0.0: module lookup disabled by GOPROXY=off (the go command's default), and the module cache has no example.com/absent@v1.0.0; download it once with a proxy: GOPROXY=https://proxy.golang.org go mod download example.com/absent [env-goproxy-off-not-cached]\n" +
				"m/go.mod:9:2-9:30: error: example.com/fork@v1.2.0: module lookup disabled by GOPROXY=off (the go command's default), and the module cache has no example.com/fork@v1.2.0; download it once with a proxy: GOPROXY=https://proxy.golang.org go mod download example.com/fork [env-goproxy-off-not-cached]\n",
		},
		{
			name:  "fork cached",
			env:   workspace.Env{GOPROXY: "off", GOMODCACHE: "$ROOT/cache"},
			files: map[string]string{"cache/cache/download/example.com/fork/@v/v1.2.0.mod": "module example.com/fork\n", "cache/cache/download/example.com/absent/@v/v1.0.0.mod": "module example.com/absent\n"},
		},
		{name: "vendor mode", env: workspace.Env{GOPROXY: "off", GOMODCACHE: "$ROOT/cache", GOFLAGS: "-mod=vendor"}},
		{name: "no module cache", env: workspace.Env{GOPROXY: "off"}},
	} {
		files := map[string]string{}
		for k, v := range base {
			files[k] = v
		}
		for k, v := range tc.files {
			files[k] = v
		}
		root, snap := loadRootEnv(t, tc.env, files)
		if got := render(t, root, runWorkCheck(snap, goproxyOffCheck)); got != tc.want {
			t.Errorf("%s: got:\n%s\nwant:\n%s", tc.name, got, tc.want)
		}
	}
}
