package diagnostics

import (
	"fmt"
	"go/version"
	"runtime"
	"strings"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/workspace"
)

// CodeEnvToolchainUnavailable is a toolchain the go command must switch to
// and can neither find in the module cache nor download.
const CodeEnvToolchainUnavailable = "env-toolchain-unavailable"

// toolchainUnavailableCheck predicts cmd/go/internal/toolchain's "download
// goX for goos/goarch: toolchain not available" (select.go: Exec): the go
// command must run another toolchain than the local one — GOTOOLCHAIN names
// one (goX.Y.Z), or its minimum (goX+auto) is above the local go, or under
// auto a go or toolchain line asks for a newer one — and the module
// golang.org/toolchain for it is not in the module cache while GOPROXY
// cannot provide it: off, or only file:// proxies whose directories lack
// it. Where an https proxy or direct may provide it, a GOTOOLCHAIN setting
// gets information that go will download it; a go or toolchain line needs
// none (versionCheck says "go will switch"). GOTOOLCHAIN=path and goX+path
// only look in PATH, which gomodls does not search; neither does it for
// auto, which tries PATH before downloading.
var toolchainUnavailableCheck = Check{
	Name:  "toolchainUnavailable",
	Codes: []string{CodeEnvToolchainUnavailable},
	Run: func(snap *workspace.Snapshot) []Diagnostic {
		tc, ok := runningToolchain(snap.Env)
		if !ok {
			return nil
		}
		local := "go" + tc.local
		gt := snap.Env.GOTOOLCHAIN
		min, mode, _ := strings.Cut(gt, "+")
		if gt == "path" || mode == "path" || gt == "local" {
			return nil
		}
		if gt != "auto" && gt != "" && mode == "" {
			// One fixed toolchain, whatever the files say.
			if !version.IsValid(gt) || gt == local || version.Lang(gt) == gt && !goLess(toolchainVersion(gt), firstToolchainLineVersion) {
				// A language version from 1.21 on is no toolchain: go
				// says "invalid toolchain" instead.
				return nil
			}
			var diags []Diagnostic
			for _, bc := range userContexts(snap) {
				f, sp := bc.RootFile()
				if d, ok := toolchainDiagnostic(snap, gt, f, sp, fmt.Sprintf("GOTOOLCHAIN=%s (%s)", gt, snap.Env.Origin("GOTOOLCHAIN")), true); ok {
					diags = append(diags, d)
				}
			}
			return diags
		}
		if mode != "" && !version.IsValid(min) {
			return nil
		}
		sel, _ := buildctx.ToolchainOf(snap.Env)
		var diags []Diagnostic
		for _, bc := range userContexts(snap) {
			target, f, sp, why, fromEnv := selectedToolchain(snap.Env, sel, bc)
			if target == local {
				continue
			}
			if d, ok := toolchainDiagnostic(snap, target, f, sp, why, fromEnv); ok {
				diags = append(diags, d)
			}
		}
		return diags
	},
}

// selectedToolchain is the toolchain the go command runs in the context,
// as buildctx's Toolchain.Select decides it from GOTOOLCHAIN and the go
// and toolchain lines of the file that selects (go.work in workspace mode,
// else go.mod), with the line that decides it and why. fromEnv is true when
// GOTOOLCHAIN's minimum decides (goX+auto, even below the local go: go
// then runs that older one), not a line.
func selectedToolchain(env workspace.Env, tc buildctx.Toolchain, bc buildContext) (target string, f *workspace.File, sp workspace.Span, why string, fromEnv bool) {
	goVers, f, sp := bc.GoVersion()
	name := bc.SourceName()
	t := bc.Mains[0].Mod.Toolchain
	if bc.Work != nil {
		t = bc.Work.Work.Toolchain
	}
	tline := ""
	if t != nil {
		tline = t.Name
	}
	target, _ = tc.Select(goVers, tline)
	min, _, _ := strings.Cut(tc.Setting, "+")
	switch {
	case t != nil && target == t.Name && target != min:
		return target, f, lineSpan(t.Syntax), fmt.Sprintf("%s asks for toolchain %s", name, t.Name), false
	case goVers != "" && target == goToolchainName(goVers) && target != min:
		return target, f, sp, fmt.Sprintf("%s requires go >= %s", name, goVers), false
	}
	f, sp = bc.RootFile()
	return target, f, sp, fmt.Sprintf("GOTOOLCHAIN=%s (%s)", env.GOTOOLCHAIN, env.Origin("GOTOOLCHAIN")), true
}

// toolchainDiagnostic reports the toolchain name when the go command can
// get it from neither the module cache nor GOPROXY; when GOPROXY may
// download it and fromEnv (GOTOOLCHAIN asks for it, not a line
// versionCheck reports), it says so. ok is false when there is nothing to
// say.
func toolchainDiagnostic(snap *workspace.Snapshot, name string, f *workspace.File, sp workspace.Span, why string, fromEnv bool) (Diagnostic, bool) {
	// The go command downloads the toolchain for the system it runs on,
	// which is the one gomodls runs on.
	goos, goarch := runtime.GOOS, runtime.GOARCH
	mod := buildctx.ToolchainModule(name, goos, goarch)
	if snap.ModuleCacheHas(mod) {
		return Diagnostic{}, false
	}
	env := snap.Env
	fetch := buildctx.FetchOf(env, mod.Path)
	downloads := fetch.Direct || fetch.Fallback == "direct"
	for _, p := range fetch.Proxies {
		if snap.FileProxyHas(p, mod) {
			return Diagnostic{}, false
		}
		if !strings.HasPrefix(p, "file://") {
			downloads = true
		}
	}
	if downloads {
		if !fromEnv {
			return Diagnostic{}, false
		}
		return Diagnostic{
			Code: CodeEnvToolchainUnavailable, Severity: SeverityInformation, File: f, Span: sp,
			Message: fmt.Sprintf("%s: go will download %s for %s/%s on first use (GOPROXY=%s)", why, name, goos, goarch, env.GOPROXY),
		}, true
	}
	proxy := fmt.Sprintf("GOPROXY=%s, %s", env.GOPROXY, env.Origin("GOPROXY"))
	if !fetch.Off {
		proxy += ", does not have it"
	}
	fix := env.Unset("GOTOOLCHAIN")
	if fix == "" || strings.HasPrefix(why, "go.") {
		fix = env.Set("GOTOOLCHAIN", "local")
	}
	return Diagnostic{
		Code: CodeEnvToolchainUnavailable, Severity: SeverityError, File: f, Span: sp,
		Message: fmt.Sprintf("%s: download %s for %s/%s: toolchain not available (%s; the module cache has no %s); to run the local go%s instead: %s",
			why, name, goos, goarch, proxy, mod, localGo(env), fix),
	}, true
}

// localGo is the local toolchain's version ("1.26.8"), as go env reports it.
func localGo(env workspace.Env) string {
	tc, _ := runningToolchain(env)
	return tc.local
}
