package diagnostics

import (
	"testing"

	"github.com/gomodls/gomodls/workspace"
)

func TestPrivateModule(t *testing.T) {
	files := map[string]string{
		"m/go.mod":   "module example.com/m\n\ngo 1.22\n\nrequire (\n\tgit.corp/lib v1.0.0\n\tgithub.com/pub/lib v1.0.0\n\tgitserver.internal/x v1.0.0\n\tintra.lan/dir v1.0.0\n\t10.0.0.1/repo v1.0.0\n)\n\nreplace intra.lan/dir => ../dir\n",
		"dir/go.mod": "module intra.lan/dir\n\ngo 1.22\n",
	}
	for _, tc := range []struct {
		name string
		env  workspace.Env
		want string
	}{
		{name: "sumdb off", env: workspace.Env{GOSUMDB: "off"}},
		{
			name: "default sumdb",
			env:  workspace.Env{GOSUMDB: "sum.golang.org"},
			want: "m/go.mod:6:2-6:21: warning: git.corp/lib looks private (host git.corp), but the go command checks it against the checksum database sum.golang.org, which cannot know it (GOSUMDB=sum.golang.org, the default; GONOSUMDB unset; GOPRIVATE unset): mark it private with go env -w GOPRIVATE=git.corp [env-private-module-not-configured]\n" +
				"m/go.mod:8:2-8:29: warning: gitserver.internal/x looks private (host gitserver.internal), but the go command checks it against the checksum database sum.golang.org, which cannot know it (GOSUMDB=sum.golang.org, the default; GONOSUMDB unset; GOPRIVATE unset): mark it private with go env -w GOPRIVATE=gitserver.internal [env-private-module-not-configured]\n" +
				"m/go.mod:10:2-10:22: warning: 10.0.0.1/repo looks private (host 10.0.0.1), but the go command checks it against the checksum database sum.golang.org, which cannot know it (GOSUMDB=sum.golang.org, the default; GONOSUMDB unset; GOPRIVATE unset): mark it private with go env -w GOPRIVATE=10.0.0.1 [env-private-module-not-configured]\n",
		},
		{name: "all private", env: workspace.Env{GOPRIVATE: "git.corp,*.internal,10.0.0.1", GONOSUMDB: "git.corp,*.internal,10.0.0.1", GONOPROXY: "git.corp,*.internal,10.0.0.1"}},
		{
			name: "spaces",
			env:  workspace.Env{GOPRIVATE: "git.corp *.internal,10.0.0.1", GONOSUMDB: "git.corp *.internal,10.0.0.1", GONOPROXY: "git.corp *.internal,10.0.0.1"},
			want: "m/go.mod:6:2-6:21: warning: git.corp/lib: GOPRIVATE=\"git.corp *.internal,10.0.0.1\" (the go command's default) separates patterns with spaces: the go command splits them only at commas, so it matches nothing as intended; write go env -w GOPRIVATE='git.corp,*.internal,10.0.0.1' [env-private-module-not-configured]\n" +
				"m/go.mod:8:2-8:29: warning: gitserver.internal/x: GOPRIVATE=\"git.corp *.internal,10.0.0.1\" (the go command's default) separates patterns with spaces: the go command splits them only at commas, so it matches nothing as intended; write go env -w GOPRIVATE='git.corp,*.internal,10.0.0.1' [env-private-module-not-configured]\n",
		},
		{
			name: "corporate proxy",
			env:  workspace.Env{GOPROXY: "https://goproxy.corp.example,direct", GOPRIVATE: "git.corp,*.internal,10.0.0.1", GONOSUMDB: "git.corp,*.internal,10.0.0.1", GONOPROXY: "git.corp,*.internal,10.0.0.1"},
			want: "m/go.mod:1:1-1:21: information: GOPRIVATE=git.corp,*.internal,10.0.0.1 (the go command's default) also sets GONOPROXY: the go command fetches git.corp/lib, gitserver.internal/x, 10.0.0.1/repo directly from the repositories, not through GOPROXY=https://goproxy.corp.example,direct; to keep the proxy for them: go env -w GONOPROXY=none [env-private-module-not-configured]\n",
		},
	} {
		root, snap := loadRootEnv(t, tc.env, files)
		if got := render(t, root, runWorkCheck(snap, privateCheck)); got != tc.want {
			t.Errorf("%s: got:\n%s\nwant:\n%s", tc.name, got, tc.want)
		}
	}
}

// privateHost is conservative: a private suffix or label, an IP address or
// a single label; never a public host.
func TestPrivateHost(t *testing.T) {
	for path, want := range map[string]bool{
		"git.corp.example/team/lib": true, "gitserver.internal/x": true, "code.intranet.example.com/a": true,
		"nas.home.arpa/m": true, "10.0.0.1/repo": true, "gitlab/x": true, "printer.local/x": true,
		"github.com/corp/lib": false, "gitlab.com/a/b": false, "golang.org/x/mod": false,
		"example.com/m": false, "go.corpus.dev/x": false, "internalize.io/x": false,
	} {
		if _, got := privateHost(path, ""); got != want {
			t.Errorf("privateHost(%q) = %v, want %v", path, got, want)
		}
	}
	// GOMODLS_PRIVATE_HOSTS names the hosts whose names do not say so.
	extra := "code.acme.io,*.acme-git.net"
	for path, want := range map[string]bool{"code.acme.io/team/lib": true, "x.acme-git.net/y": true, "github.com/acme/lib": false} {
		if _, got := privateHost(path, extra); got != want {
			t.Errorf("privateHost(%q, %q) = %v, want %v", path, extra, got, want)
		}
	}
}
