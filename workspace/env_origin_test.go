package workspace

import (
	"os"
	"path/filepath"
	"testing"
)

// TestEnvOrigins: a value comes from the process environment if it is set
// there (non-empty), else from the env file go env -w writes, else from
// $GOROOT/go.env, else the default — and each says where it came from.
func TestEnvOrigins(t *testing.T) {
	dir := t.TempDir()
	envFile := filepath.Join(dir, "config", "go", "env")
	goroot := filepath.Join(dir, "goroot")
	for path, content := range map[string]string{
		envFile:                         "GOFLAGS=-mod=vendor\nGOPRIVATE=git.corp.example\n# comment\nlower=x\n",
		filepath.Join(goroot, "go.env"): "GOPROXY=https://proxy.golang.org,direct\nGOTOOLCHAIN=auto\nGOFLAGS=-ignored\n",
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	environ := []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "GOROOT=" + goroot, "GOWORK=off", "GO111MODULE="}
	e := EnvFromProcess(environ).WithClient([]string{"GOWORK"})

	if e.GOENV != envFile {
		t.Errorf("GOENV = %q, want %q", e.GOENV, envFile)
	}
	for _, tt := range []struct {
		key, value string
		origin     Origin
		unset      string
	}{
		{"GOFLAGS", "-mod=vendor", Origin{Kind: OriginEnvFile, Path: envFile}, "go env -u GOFLAGS"},
		{"GOPRIVATE", "git.corp.example", Origin{Kind: OriginEnvFile, Path: envFile}, "go env -u GOPRIVATE"},
		{"GOPROXY", "https://proxy.golang.org,direct", Origin{Kind: OriginGoroot, Path: filepath.Join(goroot, "go.env")}, ""},
		{"GOROOT", goroot, Origin{Kind: OriginProcess}, "unset GOROOT"},
		{"GOWORK", "off", Origin{Kind: OriginClient}, "remove GOWORK from the gomodls.env setting"},
		{"GO111MODULE", "", Origin{}, ""},
	} {
		if got := e.Value(tt.key); got != tt.value {
			t.Errorf("%s = %q, want %q", tt.key, got, tt.value)
		}
		if got := e.Origin(tt.key); got != tt.origin {
			t.Errorf("origin of %s = %+v (%s), want %+v", tt.key, got, got, tt.origin)
		}
		if got := e.Unset(tt.key); got != tt.unset {
			t.Errorf("Unset(%s) = %q, want %q", tt.key, got, tt.unset)
		}
	}
	if got, want := e.Origin("GOFLAGS").String(), "set by go env -w in "+envFile; got != want {
		t.Errorf("GOFLAGS origin says %q, want %q", got, want)
	}
	if got, want := e.Set("GOPRIVATE", "a.example,b.example"), "go env -w GOPRIVATE=a.example,b.example"; got != want {
		t.Errorf("Set = %q, want %q", got, want)
	}

	off := EnvFromProcess(append(environ, "GOENV=off"))
	if off.GOENV != "" || off.GOFLAGS != "-ignored" || off.Origin("GOFLAGS").Kind != OriginGoroot {
		t.Errorf("GOENV=off: GOENV=%q GOFLAGS=%q from %s, want no env file and GOROOT/go.env's value", off.GOENV, off.GOFLAGS, off.Origin("GOFLAGS"))
	}
	if !e.Equal(EnvFromProcess(environ).WithClient([]string{"GOWORK"})) || e.Equal(off) {
		t.Error("Equal: want equal for the same reading, unequal after GOENV=off")
	}
}
