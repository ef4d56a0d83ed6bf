package modproxy_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"

	"github.com/gomodls/gomodls/internal/modproxy"
)

func TestBuildLayout(t *testing.T) {
	proxy := t.TempDir()
	if err := modproxy.Build(proxy, "testdata"); err != nil {
		t.Fatal(err)
	}
	list, err := os.ReadFile(filepath.Join(proxy, "example.com", "dep", "@v", "list"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(list), "v1.0.0\nv1.1.0\n"; got != want {
		t.Errorf("example.com/dep/@v/list = %q, want %q", got, want)
	}

	// The upper-case path is stored escaped; the synthesized go.mod names it.
	mod, err := os.ReadFile(filepath.Join(proxy, "example.com", "!upper", "@v", "v1.0.0.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(mod), "module example.com/Upper\n"; got != want {
		t.Errorf("example.com/Upper v1.0.0.mod = %q, want %q", got, want)
	}

	var info struct{ Version, Time string }
	data, err := os.ReadFile(filepath.Join(proxy, "example.com", "dep", "@v", "v1.0.0.info"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &info); err != nil {
		t.Fatalf("v1.0.0.info: %v", err)
	}
	if info.Version != "v1.0.0" || info.Time != "1970-01-01T00:00:00Z" {
		t.Errorf("synthesized v1.0.0.info = %+v, want v1.0.0 at the Unix epoch", info)
	}

	for _, m := range []module.Version{
		{Path: "example.com/dep", Version: "v1.0.0"},
		{Path: "example.com/dep", Version: "v1.1.0"},
		{Path: "example.com/dep/v2", Version: "v2.0.0"},
		{Path: "example.com/Upper", Version: "v1.0.0"},
	} {
		escaped, _ := module.EscapePath(m.Path)
		zip := filepath.Join(proxy, filepath.FromSlash(escaped), "@v", m.Version+".zip")
		cf, err := modzip.CheckZip(m, zip)
		if err != nil {
			t.Errorf("CheckZip(%s): %v", m, err)
			continue
		}
		if !hasFile(cf.Valid, m.String()+"/go.mod") {
			t.Errorf("%s: zip has no go.mod; files: %v", m, cf.Valid)
		}
	}
}

func hasFile(files []string, name string) bool {
	for _, f := range files {
		if f == name {
			return true
		}
	}
	return false
}

func TestBuildRejectsBadNames(t *testing.T) {
	for name, content := range map[string]string{
		"no-version.txt":                    "-- go.mod --\nmodule x\n",
		"example.com_dep_v1.0.txt":          "-- go.mod --\nmodule example.com/dep\n",
		"example.com_dep_v2.0.0.txt":        "-- go.mod --\nmodule example.com/dep\n",
		"example.com_dep_v1.0.0_extra.txt":  "",
		"example.com_dep_v1.0.0.stray..txt": "",
	} {
		src := t.TempDir()
		if err := os.WriteFile(filepath.Join(src, name), []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
		if err := modproxy.Build(t.TempDir(), src); err == nil {
			t.Errorf("Build with archive %s: no error", name)
		}
	}
}

// TestGoCommandUsesProxy is the proof that matters: the real go command,
// offline, resolves, downloads, verifies and builds modules from the proxy.
func TestGoCommandUsesProxy(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	work := t.TempDir()
	proxy := filepath.Join(work, "proxy")
	if err := modproxy.Build(proxy, "testdata"); err != nil {
		t.Fatal(err)
	}
	env := hermeticEnv(t, goCmd, proxy, filepath.Join(work, "gopath"))
	goRun := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(goCmd, args...)
		cmd.Dir = filepath.Join(work, "main")
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
		}
		return string(out)
	}
	// The module cache is read-only; remove it with the go command.
	t.Cleanup(func() { goRun("clean", "-modcache") })

	writeFile(t, filepath.Join(work, "main", "go.mod"), "module example.com/main\n\ngo 1.22\n")
	writeFile(t, filepath.Join(work, "main", "main.go"), `package main

import (
	"example.com/Upper"
	"example.com/dep"
	depv2 "example.com/dep/v2"
)

func main() { println(upper.Name, dep.Version, depv2.Version) }
`)
	// tidy resolves each import to the latest version in @v/list.
	goRun("mod", "tidy")
	if got, want := goRun("list", "-m", "all"), "example.com/main\nexample.com/Upper v1.0.0\nexample.com/dep v1.1.0\nexample.com/dep/v2 v2.0.0\n"; got != want {
		t.Errorf("go list -m all:\n%s\nwant:\n%s", got, want)
	}
	goRun("build", "-o", os.DevNull, ".")
	if got := goRun("mod", "verify"); got != "all modules verified\n" {
		t.Errorf("go mod verify: %q", got)
	}
	var dl struct{ Path, Version, Error string }
	if err := json.Unmarshal([]byte(goRun("mod", "download", "-json", "example.com/dep@v1.0.0")), &dl); err != nil {
		t.Fatal(err)
	}
	if dl.Version != "v1.0.0" || dl.Error != "" {
		t.Errorf("go mod download example.com/dep@v1.0.0: %+v", dl)
	}
}

// hermeticEnv is the process environment without any GO* variable, plus
// modproxy.GoEnv; HOME points into the test's directory too.
func hermeticEnv(t *testing.T, goCmd, proxy, gopath string) []string {
	t.Helper()
	cmd := exec.Command(goCmd, "env", "GOCACHE")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local") // never download a toolchain to answer
	out, err := cmd.Output()
	gocache := strings.TrimSpace(string(out))
	if err != nil || gocache == "" || gocache == "off" {
		gocache = t.TempDir()
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GO") {
			env = append(env, kv)
		}
	}
	env = append(env, "HOME="+filepath.Join(gopath, "home"))
	return append(env, modproxy.GoEnv(proxy, gopath, gocache)...)
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
}
