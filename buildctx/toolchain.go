package buildctx

import (
	"go/version"
	"strings"

	"github.com/gomodls/gomodls/workspace"
)

// Toolchain is the local go and what GOTOOLCHAIN lets it do
// (cmd/go/internal/toolchain/select.go: Select).
type Toolchain struct {
	// Local is the go version of the toolchain go env ran as ("1.26.8"):
	// GOVERSION, read with GOTOOLCHAIN=local.
	Local string
	// CanSwitch: GOTOOLCHAIN (auto, path, goX+auto, goX+path) lets go
	// switch to a newer toolchain that a go or toolchain line asks for.
	CanSwitch bool
	// Setting is GOTOOLCHAIN as set, for messages; "" for auto or unset.
	Setting string
}

// ToolchainOf reads the local go version and the GOTOOLCHAIN mode from env.
// ok is false when the go version is unknown.
func ToolchainOf(env workspace.Env) (tc Toolchain, ok bool) {
	name, _, _ := strings.Cut(strings.TrimSpace(env.GOVERSION), " ")
	v := ToolchainVersion(name)
	if v == "" {
		return Toolchain{}, false
	}
	tc = Toolchain{Local: v}
	switch gt := env.GOTOOLCHAIN; {
	case gt == "" || gt == "auto":
		tc.CanSwitch = true // the upstream default (GOROOT/go.env)
	case gt == "path" || strings.HasSuffix(gt, "+auto") || strings.HasSuffix(gt, "+path"):
		tc.CanSwitch, tc.Setting = true, gt
	default: // local, or one version: go runs exactly that
		tc.Setting = gt
	}
	return tc, true
}

// Select is the toolchain the go command runs for a go line goVers and a
// toolchain line toolchain ("" when absent) of the file that selects it —
// go.work in workspace mode, else go.mod — and why, following
// toolchain.Select: GOTOOLCHAIN=local or one version ignores the lines;
// otherwise the minimum (the local go, or the version before +auto/+path)
// is raised to a newer toolchain line, then to the go line's release.
func (tc Toolchain) Select(goVers, toolchain string) (name, why string) {
	min, minVers := "go"+tc.Local, tc.Local
	base, _, _ := strings.Cut(tc.Setting, "+")
	if v := ToolchainVersion(base); v != "" {
		min, minVers = base, v
	}
	if !tc.CanSwitch {
		if tc.Setting == "" || tc.Setting == "local" {
			return "go" + tc.Local, "GOTOOLCHAIN=local: the local go runs whatever the go and toolchain lines say"
		}
		return min, "GOTOOLCHAIN=" + tc.Setting + " names the toolchain; the go and toolchain lines are ignored"
	}
	name, why = min, "no go or toolchain line asks for a newer go than "+min
	if toolchain != "" && toolchain != "local" {
		if tv := ToolchainVersion(toolchain); tv != "" && version.Compare("go"+tv, "go"+minVers) > 0 {
			name, minVers, why = toolchain, tv, "the toolchain line asks for "+toolchain+", newer than "+min
		}
	}
	if goVers != "" && version.Compare("go"+goVers, "go"+minVers) > 0 {
		name = "go" + goVers
		if version.Lang(name) == name && !GoLess(goVers, "1.21") {
			name += ".0"
		}
		why = "the go line says go " + goVers + ", newer than " + min
	}
	return name, why
}

// Running is the go version of the toolchain the go command starts with,
// before any go or toolchain line: the local one, or the one GOTOOLCHAIN
// names (go1.25.0, go1.25.0+auto). go env runs as the local one
// (GOTOOLCHAIN=local), so Local alone does not say.
func (tc Toolchain) Running() string {
	name, _ := tc.Select("", "")
	if v := ToolchainVersion(name); v != "" {
		return v
	}
	return tc.Local
}

// ToolchainVersion is gover.FromToolchain: the go version of a toolchain
// name ("go1.22.3", "go1.22.3-custom", "mybuild-go1.22.3"), or "".
func ToolchainVersion(name string) string {
	if strings.ContainsAny(name, `\/`) {
		return ""
	}
	var v string
	switch i := strings.Index(name, "-go"); {
	case strings.HasPrefix(name, "go"):
		v = name[2:]
	case i >= 0:
		v = name[i+3:]
	default:
		return ""
	}
	if i := strings.IndexAny(v, " \t-"); i >= 0 {
		v = v[:i]
	}
	if !version.IsValid("go" + v) {
		return ""
	}
	return v
}
