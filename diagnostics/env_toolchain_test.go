package diagnostics

import (
	"runtime"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

func TestToolchainUnavailable(t *testing.T) {
	plat := runtime.GOOS + "/" + runtime.GOARCH
	platMod := runtime.GOOS + "-" + runtime.GOARCH
	files := map[string]string{
		"m/go.mod": "module example.com/m\n\ngo 1.22\n",
		"n/go.mod": "module example.com/n\n\ngo 1.30\n",
		"proxy/golang.org/toolchain/@v/v0.0.1-go1.24.0." + platMod + ".zip": "PK",
		"cache/golang.org/toolchain@v0.0.1-go1.23.0." + platMod + "/bin/go": "",
	}
	for _, tc := range []struct {
		gotoolchain, goproxy, want string
	}{
		{gotoolchain: "local", goproxy: "off"},
		{gotoolchain: "go1.26.8", goproxy: "off"}, // the local one
		{gotoolchain: "go1.23.0", goproxy: "off"}, // extracted in the cache
		{gotoolchain: "go1.24.0", goproxy: "file://$ROOT/proxy"},
		{gotoolchain: "go1.25", goproxy: "off"}, // no toolchain: invalid
		{gotoolchain: "path", goproxy: "off"},
		{
			gotoolchain: "go1.25.0", goproxy: "off",
			want: "m/go.mod:1:1-1:21: error: GOTOOLCHAIN=go1.25.0 (the go command's default): download go1.25.0 for PLAT: toolchain not available (GOPROXY=off, the go command's default; the module cache has no golang.org/toolchain@v0.0.1-go1.25.0.MOD); to run the local go1.26.8 instead: go env -w GOTOOLCHAIN=local [env-toolchain-unavailable]\n" +
				"n/go.mod:1:1-1:21: error: GOTOOLCHAIN=go1.25.0 (the go command's default): download go1.25.0 for PLAT: toolchain not available (GOPROXY=off, the go command's default; the module cache has no golang.org/toolchain@v0.0.1-go1.25.0.MOD); to run the local go1.26.8 instead: go env -w GOTOOLCHAIN=local [env-toolchain-unavailable]\n",
		},
		{
			gotoolchain: "go1.25.0", goproxy: "https://proxy.example.com",
			want: "m/go.mod:1:1-1:21: information: GOTOOLCHAIN=go1.25.0 (the go command's default): go will download go1.25.0 for PLAT on first use (GOPROXY=https://proxy.example.com) [env-toolchain-unavailable]\n" +
				"n/go.mod:1:1-1:21: information: GOTOOLCHAIN=go1.25.0 (the go command's default): go will download go1.25.0 for PLAT on first use (GOPROXY=https://proxy.example.com) [env-toolchain-unavailable]\n",
		},
		{
			gotoolchain: "auto", goproxy: "file://$ROOT/proxy",
			want: "n/go.mod:3:1-3:8: error: go.mod requires go >= 1.30: download go1.30.0 for PLAT: toolchain not available (GOPROXY=file://$ROOT/proxy, the go command's default, does not have it; the module cache has no golang.org/toolchain@v0.0.1-go1.30.0.MOD); to run the local go1.26.8 instead: go env -w GOTOOLCHAIN=local [env-toolchain-unavailable]\n",
		},
		{gotoolchain: "auto", goproxy: "https://proxy.golang.org,direct"}, // versionCheck's "go will switch"
		{
			// A minimum below the local go is still the default toolchain
			// (toolchain.Select): go runs go1.25.0 where no line asks for
			// more, and the go line's go1.30.0 in n.
			gotoolchain: "go1.25.0+auto", goproxy: "off",
			want: "m/go.mod:1:1-1:21: error: GOTOOLCHAIN=go1.25.0+auto (the go command's default): download go1.25.0 for PLAT: toolchain not available (GOPROXY=off, the go command's default; the module cache has no golang.org/toolchain@v0.0.1-go1.25.0.MOD); to run the local go1.26.8 instead: go env -w GOTOOLCHAIN=local [env-toolchain-unavailable]\n" +
				"n/go.mod:3:1-3:8: error: go.mod requires go >= 1.30: download go1.30.0 for PLAT: toolchain not available (GOPROXY=off, the go command's default; the module cache has no golang.org/toolchain@v0.0.1-go1.30.0.MOD); to run the local go1.26.8 instead: go env -w GOTOOLCHAIN=local [env-toolchain-unavailable]\n",
		},
		{
			gotoolchain: "go1.31.0+auto", goproxy: "off",
			want: "m/go.mod:1:1-1:21: error: GOTOOLCHAIN=go1.31.0+auto (the go command's default): download go1.31.0 for PLAT: toolchain not available (GOPROXY=off, the go command's default; the module cache has no golang.org/toolchain@v0.0.1-go1.31.0.MOD); to run the local go1.26.8 instead: go env -w GOTOOLCHAIN=local [env-toolchain-unavailable]\n" +
				"n/go.mod:1:1-1:21: error: GOTOOLCHAIN=go1.31.0+auto (the go command's default): download go1.31.0 for PLAT: toolchain not available (GOPROXY=off, the go command's default; the module cache has no golang.org/toolchain@v0.0.1-go1.31.0.MOD); to run the local go1.26.8 instead: go env -w GOTOOLCHAIN=local [env-toolchain-unavailable]\n",
		},
	} {
		env := workspace.Env{GOTOOLCHAIN: tc.gotoolchain, GOPROXY: tc.goproxy, GOVERSION: "go1.26.8", GOMODCACHE: "$ROOT/cache"}
		root, snap := loadRootEnv(t, env, files)
		got := render(t, root, runWorkCheck(snap, toolchainUnavailableCheck))
		want := strings.NewReplacer("$ROOT", root, "PLAT", plat, "MOD", platMod).Replace(tc.want)
		if got != want {
			t.Errorf("GOTOOLCHAIN=%s GOPROXY=%s: got:\n%s\nwant:\n%s", tc.gotoolchain, tc.goproxy, got, want)
		}
	}
}
