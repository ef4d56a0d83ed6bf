package lsp

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// initOptions are the initializationOptions of initialize that the server
// reads; an editor extension sends them from its settings:
//
//	{"trusted": false, "allowCommands": false, "env": {"GOFLAGS": "-mod=mod"},
//	 "goCommand": "/usr/local/go/bin/go",
//	 "maxFileSize": 4194304, "maxSumFileSize": 33554432}
//
// trusted=false (an untrusted workspace in VS Code) means the server never
// starts a go process: not `go env` (a toolchain line can make the go
// command download and run another toolchain), not the commands of quick
// fixes. Checks then read the files and the module cache only, with the
// environment taken from the process (workspace.EnvFromProcess).
// allowCommands=false keeps go env but turns off the go commands of quick
// fixes: the code actions that run one are not offered and
// workspace/executeCommand refuses. env is added to the environment of
// `go env` and of those commands, overriding the process's; its PATH is
// where a bare goCommand is looked up. goCommand is the go binary to run: a
// name looked up in that PATH ("go" when absent) or an absolute path
// ("~/" is $HOME); when none is found the server runs no go at all and
// says so (findGo). maxFileSize and
// maxSumFileSize bound, in bytes, the module files the server reads
// (workspace.Limits; a larger file gets file-skipped): a positive integer.
// maxDiagnosticsPerCode bounds how many diagnostics of one code one file
// shows (diagnostics.Bound; default diagnostics.DefaultMaxPerCode, 0 for no
// limit): past it, one summary stands for the rest. The limits are read as
// raw JSON so that a wrong one is logged and costs only itself (its default
// applies), not the trust setting.
type initOptions struct {
	Trusted               *bool             `json:"trusted"`
	AllowCommands         *bool             `json:"allowCommands"`
	Env                   map[string]string `json:"env"`
	GoCommand             *string           `json:"goCommand"`
	MaxFileSize           json.RawMessage   `json:"maxFileSize"`
	MaxSumFileSize        json.RawMessage   `json:"maxSumFileSize"`
	MaxDiagnosticsPerCode json.RawMessage   `json:"maxDiagnosticsPerCode"`
}

// settings is what the server does with initOptions.
type settings struct {
	trusted       bool     // default true
	allowCommands bool     // default true
	env           []string // KEY=VALUE, sorted by key
	goCommand     string   // "" means Options.GoCommand, else "go"
	limits        workspace.Limits
	maxPerCode    int // default diagnostics.DefaultMaxPerCode; 0: no limit
}

var defaultSettings = settings{trusted: true, allowCommands: true, limits: workspace.DefaultLimits, maxPerCode: diagnostics.DefaultMaxPerCode}

// parseInitOptions reads initializationOptions. Absent or null options, or
// absent fields, mean the defaults; options of the wrong shape are an
// error for the log, and the defaults apply except that trusted is then
// false: a client that meant to say "untrusted" must not get go run.
func parseInitOptions(raw json.RawMessage) (settings, error) {
	st := defaultSettings
	if len(raw) == 0 || string(raw) == "null" {
		return st, nil
	}
	var o initOptions
	if err := json.Unmarshal(raw, &o); err != nil {
		st.trusted = false
		return st, fmt.Errorf("initializationOptions: %v; running as in an untrusted workspace", err)
	}
	if o.Trusted != nil {
		st.trusted = *o.Trusted
	}
	if o.AllowCommands != nil {
		st.allowCommands = *o.AllowCommands
	}
	st.env = envSetting(o.Env)
	if o.GoCommand != nil {
		st.goCommand = strings.TrimSpace(*o.GoCommand)
	}
	var errs []error
	for _, l := range []struct {
		name string
		raw  json.RawMessage
		into *int64
	}{
		{"maxFileSize", o.MaxFileSize, &st.limits.FileSize},
		{"maxSumFileSize", o.MaxSumFileSize, &st.limits.SumFileSize},
	} {
		if err := parseByteLimit(l.raw, l.into); err != nil {
			errs = append(errs, fmt.Errorf("initializationOptions.%s: %v; using the default, %d", l.name, err, *l.into))
		}
	}
	if err := parsePerCodeLimit(o.MaxDiagnosticsPerCode, &st.maxPerCode); err != nil {
		errs = append(errs, fmt.Errorf("initializationOptions.maxDiagnosticsPerCode: %v; using the default, %d", err, st.maxPerCode))
	}
	return st, errors.Join(errs...)
}

// parseByteLimit sets *into from raw, a positive integer number of bytes;
// absent or null leaves it.
func parseByteLimit(raw json.RawMessage, into *int64) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var n int64
	if err := json.Unmarshal(raw, &n); err != nil {
		return fmt.Errorf("want a number of bytes, got %s", raw)
	}
	if n <= 0 {
		return fmt.Errorf("want a positive number of bytes, got %d", n)
	}
	*into = n
	return nil
}

// parsePerCodeLimit reads a count of diagnostics: absent or null keeps
// into, a non-negative integer replaces it (0 means no limit).
func parsePerCodeLimit(raw json.RawMessage, into *int) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var n int
	if err := json.Unmarshal(raw, &n); err != nil {
		return fmt.Errorf("want a number of diagnostics, got %s", raw)
	}
	if n < 0 {
		return fmt.Errorf("%d is negative (0 means no limit)", n)
	}
	*into = n
	return nil
}

// envSetting turns the env setting into KEY=VALUE, sorted by key, leaving
// out names the environment cannot hold.
func envSetting(env map[string]string) []string {
	var out []string
	for k, v := range env {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			continue
		}
		out = append(out, k+"="+v)
	}
	slices.Sort(out)
	return out
}

// commandsRefusal says why the server may not run go commands for quick
// fixes and workspace/executeCommand, or "" when it may: the settings
// forbid it, or there is no go binary.
func (s *server) commandsRefusal() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case !s.settings.trusted:
		return "the workspace is not trusted: gomodls runs no go commands in it"
	case !s.settings.allowCommands:
		return "running go commands is turned off (allowCommands: false)"
	case s.goMissing != "":
		return s.goMissing
	}
	return ""
}
