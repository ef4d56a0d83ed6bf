package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gomodls/gomodls/internal/modproxy"
)

var update = flag.Bool("update", false, "rewrite the files that cmp compares against in testdata/script")

// TestMain lets the test binary act as the gomodls command inside scripts
// (exec gomodls ...): testscript re-runs this binary with the name gomodls.
func TestMain(m *testing.M) {
	installLoadHook()
	testscript.Main(privateIndex{m}, map[string]func(){"gomodls": main})
}

// privateIndex runs the tests with GOMODLS_CACHE set to a directory of
// their own, removed after: the in-process runs (checkEnv) keep their
// package index there, not in the developer's cache directory. Scripts
// have theirs below their own HOME (setupScript).
type privateIndex struct{ m *testing.M }

func (p privateIndex) Run() int {
	dir, err := os.MkdirTemp("", "gomodls-test-index-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	os.Setenv("GOMODLS_CACHE", dir)
	return p.m.Run()
}

// TestScripts runs testdata/script/*.txtar. Each script runs in a hermetic go
// environment (see setupScript): the real go command judges the same files
// that gomodls checks, offline.
func TestScripts(t *testing.T) {
	host := hostGoEnv(t)
	mods, err := filepath.Abs(filepath.Join("testdata", "mod"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *update,
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"applyfix": applyFix, "backdate": backdate},
		Setup: func(env *testscript.Env) error {
			return setupScript(env, host, mods)
		},
	})
}

// hostEnv is what scripts borrow from the developer's go installation.
type hostEnv struct {
	goBin   string // directory of the go command
	goCache string // build cache; content-addressed, so sharing it is safe
}

// hostGoEnv asks the go command in PATH, once, where it lives and where its
// build cache is. Scripts that run go are skipped if there is none.
func hostGoEnv(t *testing.T) hostEnv {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH: the scripts need it as the judge")
	}
	cmd := exec.Command(goCmd, "env", "GOROOT", "GOCACHE")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local") // never download a toolchain to answer
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		t.Fatalf("go env GOROOT GOCACHE printed %q", out)
	}
	h := hostEnv{goBin: filepath.Join(lines[0], "bin"), goCache: lines[1]}
	if h.goCache == "" || h.goCache == "off" {
		h.goCache = t.TempDir()
	}
	return h
}

// setupScript builds the module proxy from testdata/mod into $WORK/.proxy and
// confines the go command to it:
//
//	GOPROXY=file://$WORK/.proxy  GOSUMDB=off  GOTOOLCHAIN=local  GOENV=off
//	GOFLAGS, GOWORK, GO111MODULE, GOPRIVATE, GONOPROXY, GONOSUMDB cleared
//	GOPATH=$WORK/gopath  GOMODCACHE=$WORK/gopath/pkg/mod  HOME=$WORK/home
//	GOCACHE shared with the developer's  PATH starting with go's bin directory
//
// GOMODLS_VERSION and GOMODLS_GOVERSION are the versions gomodls reports (the
// scripts run this very binary), for cmpenv.
func setupScript(env *testscript.Env, host hostEnv, mods string) error {
	proxy := filepath.Join(env.WorkDir, ".proxy")
	if err := modproxy.Build(proxy, mods); err != nil {
		return err
	}
	home := filepath.Join(env.WorkDir, "home")
	if err := os.MkdirAll(home, 0o777); err != nil {
		return err
	}
	env.Setenv("HOME", home)
	env.Setenv("PATH", host.goBin+string(filepath.ListSeparator)+env.Getenv("PATH"))
	for _, kv := range modproxy.GoEnv(proxy, filepath.Join(env.WorkDir, "gopath"), host.goCache) {
		k, v, _ := strings.Cut(kv, "=")
		env.Setenv(k, v)
	}
	env.Setenv("GOMODLS_VERSION", moduleVersion())
	env.Setenv("GOMODLS_GOVERSION", goVersion())
	return nil
}
