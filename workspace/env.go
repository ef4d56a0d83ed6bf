package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
	GOINSECURE  string
	GOROOT      string
	GOVERSION   string // e.g. "go1.26.8"; empty when no go command was found
	// GOENV is the go command's env file, which `go env -w` writes: an
	// absolute path, or "" when GOENV=off or no config directory is known.
	GOENV string

	// PrivateHosts is gomodls's own setting GOMODLS_PRIVATE_HOSTS (from the
	// environment, so the shell or the editor's gomodls.env can set it):
	// comma-separated module path patterns, matched as GOPRIVATE is, of
	// hosts that are private although their names do not say so.
	PrivateHosts string

	// Source says where the values came from: "go env" or, when the go
	// command could not be run, "process environment".
	Source string
	// Err is why `go env` could not be used; nil when it was.
	Err error
	// ErrOutput is what the go command printed when go env failed ("go:
	// unknown environment setting GO111MODULE=true"): every go command
	// would fail the same way. "" when it ran, or could not be started.
	ErrOutput string

	// origins records where each variable's value came from; see Origin.
	origins map[string]Origin
}

// An Origin says where the go command got a variable's value, so that a
// message can name the place to change it: the go command takes a
// non-empty value from its process environment, else from the env file
// that `go env -w` writes, else from $GOROOT/go.env, else its built-in
// default (cmd/go/internal/cfg: Getenv, initEnvCache).
type Origin struct {
	Kind OriginKind
	Path string // the file, for OriginEnvFile and OriginGoroot
}

// OriginKind is where a value was set.
type OriginKind int

const (
	OriginDefault OriginKind = iota // not set anywhere: the go command's default
	OriginProcess                   // the environment gomodls was started with (the shell)
	OriginClient                    // the editor's gomodls.env setting
	OriginEnvFile                   // go env -w, in the user's go env file
	OriginGoroot                    // $GOROOT/go.env, the toolchain's defaults
)

// String says where the value was set, to follow "GOFLAGS=-mod=vendor"
// in a message: "set in the shell", "set by go env -w in /home/u/.config/go/env", ….
func (o Origin) String() string {
	switch o.Kind {
	case OriginProcess:
		return "set in the shell"
	case OriginClient:
		return "set in the editor's gomodls.env setting"
	case OriginEnvFile:
		return "set by go env -w in " + o.Path
	case OriginGoroot:
		return "the default in " + o.Path
	}
	return "the go command's default"
}

// Origin returns where the value of the variable key came from.
func (e Env) Origin(key string) Origin { return e.origins[key] }

// Unset is the command that removes the setting of key at its origin, so
// the go command falls back to what lies beneath: "go env -u GOFLAGS" for
// the env file, "unset GOFLAGS" for the shell, and for the editor's
// setting a sentence saying where. "" for a default.
func (e Env) Unset(key string) string {
	switch e.Origin(key).Kind {
	case OriginProcess:
		return "unset " + key
	case OriginClient:
		return "remove " + key + " from the gomodls.env setting"
	case OriginEnvFile:
		return "go env -u " + key
	}
	return ""
}

// Set is the command that sets key to value where it takes effect: go env
// -w, unless the variable is set in the shell or the editor's setting,
// which override the env file (go env -w then refuses or is shadowed).
func (e Env) Set(key, value string) string {
	switch e.Origin(key).Kind {
	case OriginProcess:
		return "export " + key + "=" + shellQuote(value)
	case OriginClient:
		return "set " + key + "=" + value + " in the gomodls.env setting"
	}
	return "go env -w " + key + "=" + shellQuote(value)
}

// WithClient marks the variables in keys as set by the editor's
// gomodls.env setting (which the server adds to the environment it runs
// go env with) rather than by the shell.
func (e Env) WithClient(keys []string) Env {
	origins := make(map[string]Origin, len(e.origins))
	for k, o := range e.origins {
		origins[k] = o
	}
	for _, k := range keys {
		if o, ok := origins[k]; ok && o.Kind == OriginProcess {
			origins[k] = Origin{Kind: OriginClient}
		}
	}
	e.origins = origins
	return e
}

// Equal reports whether e and o hold the same values from the same
// origins: whether a re-read environment changes anything.
func (e Env) Equal(o Env) bool {
	for _, k := range envVars {
		if e.Value(k) != o.Value(k) || e.Origin(k) != o.Origin(k) {
			return false
		}
	}
	return e.PrivateHosts == o.PrivateHosts && e.Origin(privateHostsVar) == o.Origin(privateHostsVar) &&
		e.Source == o.Source && (e.Err == nil) == (o.Err == nil) && (e.Err == nil || e.Err.Error() == o.Err.Error())
}

// Key is a text of everything e holds: two environments with the same Key
// are Equal and failed alike. A record of what a command found under e
// (a check's) is kept under it.
func (e Env) Key() string {
	var b strings.Builder
	for _, k := range append(envVars[:len(envVars):len(envVars)], privateHostsVar) {
		o := e.Origin(k)
		fmt.Fprintf(&b, "%s=%q %d %q\n", k, e.Value(k), o.Kind, o.Path)
	}
	errText := ""
	if e.Err != nil {
		errText = e.Err.Error()
	}
	fmt.Fprintf(&b, "source %q\nerr %t %q\noutput %q\n", e.Source, e.Err != nil, errText, e.ErrOutput)
	return b.String()
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// envVars lists the variables LoadEnv asks the go command for.
var envVars = []string{
	"GOFLAGS", "GOWORK", "GO111MODULE", "GOTOOLCHAIN", "GOPATH", "GOMODCACHE",
	"GOPRIVATE", "GONOSUMDB", "GONOPROXY", "GOPROXY", "GOSUMDB", "GOINSECURE", "GOROOT", "GOVERSION",
	"GOENV",
}

// envTimeout bounds `go env`: it normally takes ~10ms, but a go.mod toolchain
// line can make the go command try to download a toolchain.
const envTimeout = 5 * time.Second

// LoadEnv runs `go env -json` (in the root directory, so that no go.mod
// toolchain line applies and GOWORK reports the user's setting — "off", a
// path, or "" for auto — rather than a go.work found from some directory;
// with GOTOOLCHAIN=local, so that reading the environment never downloads
// a toolchain: GOVERSION is the local toolchain's, and GOTOOLCHAIN the
// user's setting) and returns the result. environ is the process
// environment to run with (os.Environ() normally). When the go command is
// missing or fails, LoadEnv falls back to environ, the env file and the go
// command's documented defaults (EnvFromProcess), and records why in
// Env.Err. Either way each value's Origin is worked out as the go command
// does: environ, then the env file, then $GOROOT/go.env.
//
// gomodls runs go outside explicit user commands only here: once per
// session, and again when the environment may have changed (the env file,
// the editor's settings), never on the diagnostic path. With the package
// index on, not even that while go env's inputs are unchanged: its output
// is kept there (goEnvRecord).
func LoadEnv(ctx context.Context, goCmd string, environ []string) Env {
	if goCmd == "" {
		goCmd = "go"
	}
	record := goEnvRecordFor(goCmd, environ)
	if out, ok := record.output(); ok {
		if e, err := envFromGoEnv(out, environ); err == nil {
			return e
		}
	}
	ctx, cancel := context.WithTimeout(ctx, envTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, append([]string{"env", "-json"}, envVars...)...)
	cmd.Dir = string(filepath.Separator)
	// GOTOOLCHAIN=local whatever the user set: a GOTOOLCHAIN naming
	// another version would make go env download and run it. The user's
	// setting is read below as the go command reads it.
	cmd.Env = append(append([]string(nil), environ...), "GOTOOLCHAIN=local")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err == nil {
		var e Env
		if e, err = envFromGoEnv(out, environ); err == nil {
			record.keep(out, gorootEnvFile(e.GOROOT), e.GOENV)
			return e
		}
	}
	msg := strings.TrimSpace(stderr.String())
	if msg != "" {
		err = fmt.Errorf("%v: %s", err, msg)
	}
	e := EnvFromProcess(environ)
	e.Err = fmt.Errorf("go env: %w", err)
	e.ErrOutput = msg
	return e
}

// envFromGoEnv is the Env that out, what `go env -json` printed for
// envVars in environ, says.
func envFromGoEnv(out []byte, environ []string) (Env, error) {
	vals := map[string]string{}
	if err := json.Unmarshal(out, &vals); err != nil {
		return Env{}, err
	}
	e := envFrom(func(k string) string { return vals[k] })
	e.Source = "go env"
	if e.GOENV == "off" {
		e.GOENV = ""
	}
	file, gorootFile := readEnvFile(e.GOENV), readEnvFile(gorootEnvFile(e.GOROOT))
	e.origins = origins(environ, file, gorootFile, gorootEnvFile(e.GOROOT), e.GOENV)
	e.GOTOOLCHAIN = firstNonEmpty(gocommand.Getenv(environ, "GOTOOLCHAIN"), file["GOTOOLCHAIN"], gorootFile["GOTOOLCHAIN"], "auto")
	e.readGomodlsSettings(environ)
	return e, nil
}

// EnvFromProcess builds an Env without running go: from environment
// variables, then the env file `go env -w` writes (it is only read), then
// the defaults the go command would use (GOPATH=$HOME/go,
// GOMODCACHE=$GOPATH/pkg/mod, GOPROXY=https://proxy.golang.org,direct,
// GOSUMDB=sum.golang.org, GONOPROXY/GONOSUMDB=GOPRIVATE, GOTOOLCHAIN=auto).
// $GOROOT/go.env is read only when GOROOT is set: without the go command
// there is no telling where it is installed.
func EnvFromProcess(environ []string) Env {
	goenv := envFilePath(environ)
	file := readEnvFile(goenv)
	goroot := gocommand.Getenv(environ, "GOROOT")
	if goroot == "" {
		goroot = file["GOROOT"]
	}
	gorootFile := readEnvFile(gorootEnvFile(goroot))
	get := func(k string) string { return firstNonEmpty(gocommand.Getenv(environ, k), file[k], gorootFile[k]) }
	e := envFrom(get)
	e.GOENV = goenv
	e.origins = origins(environ, file, gorootFile, gorootEnvFile(goroot), goenv)
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
	e.readGomodlsSettings(environ)
	return e
}

// privateHostsVar is the environment variable of Env.PrivateHosts.
const privateHostsVar = "GOMODLS_PRIVATE_HOSTS"

// readGomodlsSettings reads gomodls's own variables from environ (the go
// command knows nothing of them, so go env cannot report them).
func (e *Env) readGomodlsSettings(environ []string) {
	e.PrivateHosts = gocommand.Getenv(environ, privateHostsVar)
	if e.PrivateHosts != "" {
		e.origins[privateHostsVar] = Origin{Kind: OriginProcess}
	}
}

// origins works out where each variable's value comes from, in the go
// command's order: a non-empty value in environ, then the env file, then
// $GOROOT/go.env.
func origins(environ []string, file, gorootFile map[string]string, gorootPath, filePath string) map[string]Origin {
	out := make(map[string]Origin, len(envVars))
	for _, k := range envVars {
		switch {
		case gocommand.Getenv(environ, k) != "":
			out[k] = Origin{Kind: OriginProcess}
		case file[k] != "":
			out[k] = Origin{Kind: OriginEnvFile, Path: filePath}
		case gorootFile[k] != "":
			out[k] = Origin{Kind: OriginGoroot, Path: gorootPath}
		}
	}
	return out
}

// envFilePath is the go command's env file for environ, as
// cmd/go/internal/cfg.EnvFile finds it: GOENV if set ("" for off), else
// go/env in the user's configuration directory (os.UserConfigDir, worked
// out from environ rather than this process's environment).
func envFilePath(environ []string) string {
	switch goenv := gocommand.Getenv(environ, "GOENV"); goenv {
	case "off":
		return ""
	case "":
	default:
		return goenv
	}
	var dir string
	switch runtime.GOOS {
	case "windows":
		dir = gocommand.Getenv(environ, "AppData")
	case "darwin", "ios":
		if home := gocommand.Getenv(environ, "HOME"); home != "" {
			dir = filepath.Join(home, "Library", "Application Support")
		}
	case "plan9":
		if home := gocommand.Getenv(environ, "home"); home != "" {
			dir = filepath.Join(home, "lib")
		}
	default:
		dir = gocommand.Getenv(environ, "XDG_CONFIG_HOME")
		if dir == "" || !filepath.IsAbs(dir) {
			dir = ""
			if home := gocommand.Getenv(environ, "HOME"); home != "" {
				dir = filepath.Join(home, ".config")
			}
		}
	}
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "go", "env")
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func gorootEnvFile(goroot string) string {
	if goroot == "" {
		return ""
	}
	return filepath.Join(goroot, "go.env")
}

// maxEnvFile bounds what readEnvFile reads: go env -w writes a few lines.
const maxEnvFile = 1 << 20

// readEnvFile reads a go env file (the user's, or $GOROOT/go.env) as
// cmd/go/internal/cfg.readEnvFile does: KEY=VALUE lines, where a line
// without "=" or not starting with an upper-case letter is ignored. A
// missing or unreadable file is empty, as it is for the go command.
func readEnvFile(path string) map[string]string {
	vals := map[string]string{}
	if path == "" {
		return vals
	}
	data, err := readRegular(path, maxEnvFile, true)
	if err != nil {
		return vals
	}
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSuffix(line, "\n")
		k, v, ok := strings.Cut(line, "=")
		if !ok || line[0] < 'A' || 'Z' < line[0] {
			continue
		}
		vals[k] = v // the last line for a key wins, as in the go command
	}
	return vals
}

// Value returns the value of one of the variables Env holds, by name ("" for
// any other name).
func (e Env) Value(key string) string {
	switch key {
	case "GOFLAGS":
		return e.GOFLAGS
	case "GOWORK":
		return e.GOWORK
	case "GO111MODULE":
		return e.GO111MODULE
	case "GOTOOLCHAIN":
		return e.GOTOOLCHAIN
	case "GOPATH":
		return e.GOPATH
	case "GOMODCACHE":
		return e.GOMODCACHE
	case "GOPRIVATE":
		return e.GOPRIVATE
	case "GONOSUMDB":
		return e.GONOSUMDB
	case "GONOPROXY":
		return e.GONOPROXY
	case "GOPROXY":
		return e.GOPROXY
	case "GOSUMDB":
		return e.GOSUMDB
	case "GOINSECURE":
		return e.GOINSECURE
	case "GOROOT":
		return e.GOROOT
	case "GOVERSION":
		return e.GOVERSION
	case privateHostsVar:
		return e.PrivateHosts
	case "GOENV":
		if e.GOENV == "" && e.origins["GOENV"].Kind != OriginDefault {
			return "off" // set to off: no env file
		}
		return e.GOENV
	}
	return ""
}

// Vars lists the names of the variables Env holds, in a fixed order.
func Vars() []string { return append([]string(nil), envVars...) }

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
		GOINSECURE:  get("GOINSECURE"),
		GOROOT:      get("GOROOT"),
		GOVERSION:   get("GOVERSION"),
		GOENV:       get("GOENV"),
	}
}

// ProcessEnviron is os.Environ, named for callers that pass it to LoadEnv.
var ProcessEnviron = os.Environ
