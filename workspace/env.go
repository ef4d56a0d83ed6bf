package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/gomodls/gomodls/internal/gocommand"
)

// Env is the go command's environment as it bears on module files. It is read
// once per session (LoadEnv) and is part of every snapshot.
type Env struct {
	GOFLAGS     string
	GOWORK      string // "off", an absolute path to a go.work, or "" (auto: search upwards)
	GO111MODULE string
	GOTOOLCHAIN string
	GOPATH      string
	GOMODCACHE  string
	GOPRIVATE   string
	GONOSUMDB   string
	GONOPROXY   string
	GOPROXY     string
	GOSUMDB     string
	GOROOT      string
	GOVERSION   string // e.g. "go1.26.8"; empty when no go command was found

	// Source says where the values came from: "go env" or, when the go
	// command could not be run, "process environment".
	Source string
	// Err is why `go env` could not be used; nil when it was.
	Err error
}

// envVars lists the variables LoadEnv asks the go command for.
var envVars = []string{
	"GOFLAGS", "GOWORK", "GO111MODULE", "GOTOOLCHAIN", "GOPATH", "GOMODCACHE",
	"GOPRIVATE", "GONOSUMDB", "GONOPROXY", "GOPROXY", "GOSUMDB", "GOROOT", "GOVERSION",
}

// envTimeout bounds `go env`: it normally takes ~10ms, but a go.mod toolchain
// line can make the go command try to download a toolchain.
const envTimeout = 5 * time.Second

// LoadEnv runs `go env -json` (in the root directory, so that no go.mod
// toolchain line applies and GOWORK reports the user's setting — "off", a
// path, or "" for auto — rather than a go.work found from some directory;
// with GOTOOLCHAIN=local unless environ sets it, so that reading the
// environment never downloads a toolchain) and returns the result. environ is the process
// environment to run with (os.Environ() normally). When the go command is
// missing or fails, LoadEnv falls back to environ and the go command's
// documented defaults, and records why in Env.Err.
//
// This is the only place gomodls runs go outside explicit user commands; it
// happens once per session, never on the diagnostic path.
func LoadEnv(ctx context.Context, goCmd string, environ []string) Env {
	if goCmd == "" {
		goCmd = "go"
	}
	ctx, cancel := context.WithTimeout(ctx, envTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, append([]string{"env", "-json"}, envVars...)...)
	cmd.Dir = string(filepath.Separator)
	cmd.Env = environ
	if gocommand.Getenv(environ, "GOTOOLCHAIN") == "" {
		cmd.Env = append(append([]string(nil), environ...), "GOTOOLCHAIN=local")
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err == nil {
		vals := map[string]string{}
		if err = json.Unmarshal(out, &vals); err == nil {
			e := envFrom(func(k string) string { return vals[k] })
			e.Source = "go env"
			return e
		}
	} else if msg := strings.TrimSpace(stderr.String()); msg != "" {
		err = fmt.Errorf("%v: %s", err, msg)
	}
	e := EnvFromProcess(environ)
	e.Err = fmt.Errorf("go env: %w", err)
	return e
}

// EnvFromProcess builds an Env from environment variables alone, filling in
// the defaults the go command would use (GOPATH=$HOME/go,
// GOMODCACHE=$GOPATH/pkg/mod, GOPROXY=https://proxy.golang.org,direct,
// GOSUMDB=sum.golang.org, GONOPROXY/GONOSUMDB=GOPRIVATE).
func EnvFromProcess(environ []string) Env {
	e := envFrom(func(k string) string { return gocommand.Getenv(environ, k) })
	if e.GOPATH == "" {
		if home := gocommand.Getenv(environ, "HOME"); home != "" {
			e.GOPATH = filepath.Join(home, "go")
		}
	}
	if e.GOMODCACHE == "" && e.GOPATH != "" {
		e.GOMODCACHE = filepath.Join(filepath.SplitList(e.GOPATH)[0], "pkg", "mod")
	}
	if e.GOPROXY == "" {
		e.GOPROXY = "https://proxy.golang.org,direct"
	}
	if e.GOSUMDB == "" {
		e.GOSUMDB = "sum.golang.org"
	}
	if e.GONOPROXY == "" {
		e.GONOPROXY = e.GOPRIVATE
	}
	if e.GONOSUMDB == "" {
		e.GONOSUMDB = e.GOPRIVATE
	}
	if e.GOTOOLCHAIN == "" {
		e.GOTOOLCHAIN = "auto"
	}
	e.Source = "process environment"
	return e
}

func envFrom(get func(string) string) Env {
	return Env{
		GOFLAGS:     get("GOFLAGS"),
		GOWORK:      get("GOWORK"),
		GO111MODULE: get("GO111MODULE"),
		GOTOOLCHAIN: get("GOTOOLCHAIN"),
		GOPATH:      get("GOPATH"),
		GOMODCACHE:  get("GOMODCACHE"),
		GOPRIVATE:   get("GOPRIVATE"),
		GONOSUMDB:   get("GONOSUMDB"),
		GONOPROXY:   get("GONOPROXY"),
		GOPROXY:     get("GOPROXY"),
		GOSUMDB:     get("GOSUMDB"),
		GOROOT:      get("GOROOT"),
		GOVERSION:   get("GOVERSION"),
	}
}

// ProcessEnviron is os.Environ, named for callers that pass it to LoadEnv.
var ProcessEnviron = os.Environ
