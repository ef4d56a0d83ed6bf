package diagnostics

import (
	"fmt"
	"strings"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/internal/gocommand"
	"github.com/gomodls/gomodls/workspace"
)

// Codes of the environment checks.
const (
	CodeEnvModulesDisabled    = "env-modules-disabled"
	CodeEnvGo111moduleInvalid = "env-go111module-invalid"
	CodeWsModFlagNotAllowed   = "ws-mod-flag-not-allowed"
	CodeEnvModFlagInvalid     = "env-mod-flag-invalid"
	CodeEnvGoflagsInvalid     = "env-goflags-invalid"
	CodeEnvGoEnvFailed        = "env-go-env-failed"
	CodeEnvGoWorkRelative     = "env-gowork-relative"
)

// envCheck reports settings of the go environment that change what the go
// command does with every module file, on the line that stands for each
// build context (go.work's go line, go.mod's module line): GOPATH mode
// (GO111MODULE=off), an invalid GO111MODULE, a GOFLAGS the go command
// cannot parse or whose -mod it rejects, and a failing go env. Each message
// names the variable, its value, where it was set and the command that
// changes it there.
//
// It is the one check that runs in GOPATH mode: there the go command reads
// no module file, so every other check is silent (see Run).
var envCheck = Check{
	Name: "env",
	Codes: []string{CodeEnvModulesDisabled, CodeEnvGo111moduleInvalid, CodeWsModFlagNotAllowed,
		CodeEnvModFlagInvalid, CodeEnvGoflagsInvalid, CodeEnvGoEnvFailed, CodeEnvGoWorkRelative},
	InGOPATHMode: true,
	Run: func(snap *workspace.Snapshot) []Diagnostic {
		env := snap.Env
		mods := buildctx.ModulesOf(env)
		if mods.Off {
			return modulesDisabled(snap)
		}
		var diags []Diagnostic
		flags := buildctx.FlagsOf(env)
		for _, c := range userContexts(snap) {
			f, sp := c.RootFile()
			add := func(code, msg string) {
				diags = append(diags, Diagnostic{Code: code, Severity: SeverityError, File: f, Span: sp, Message: msg})
			}
			switch {
			case mods.Invalid:
				add(CodeEnvGo111moduleInvalid, fmt.Sprintf("%s: every go command fails (%s); use on, off or auto, or %s",
					mods.InvalidError(), setting(env, "GO111MODULE"), env.Unset("GO111MODULE")))
			case env.ErrOutput != "" && !buildctx.GoWorkOf(env).Relative: // that one is explained below
				add(CodeEnvGoEnvFailed, fmt.Sprintf("go env fails, and so will every go command here: %s", oneLine(env.ErrOutput)))
			}
			if buildctx.GoWorkOf(env).Relative {
				add(CodeEnvGoWorkRelative, fmt.Sprintf("%s: every go command fails (%s); GOWORK takes off, auto or the absolute path of a go.work: %s",
					buildctx.RelativeError, setting(env, "GOWORK"), env.Unset("GOWORK")))
			}
			switch {
			case flags.Err != nil:
				add(CodeEnvGoflagsInvalid, fmt.Sprintf("%v: every go command but go env fails (%s); %s", flags.Err, setting(env, "GOFLAGS"), fixGOFLAGS(env, "")))
			case c.Mod.Invalid:
				add(CodeEnvModFlagInvalid, fmt.Sprintf("%s: builds fail (%s); %s", buildctx.InvalidModError(c.Mod.Value), setting(env, "GOFLAGS"), fixGOFLAGS(env, gocommand.WithoutModFlag(env.GOFLAGS))))
			case c.Mod.NotAllowed:
				add(CodeWsModFlagNotAllowed, fmt.Sprintf("%s (%s); %s", buildctx.NotAllowedModError(c.Mod.Value), setting(env, "GOFLAGS"), fixGOFLAGS(env, gocommand.WithoutModFlag(env.GOFLAGS))))
			}
		}
		return diags
	},
}

// modulesDisabled is GOPATH mode: a warning on the module line of every
// go.mod outside the module cache, which the go command does not read.
func modulesDisabled(snap *workspace.Snapshot) []Diagnostic {
	env := snap.Env
	msg := fmt.Sprintf("GO111MODULE=off (%s): the go command ignores go.mod, go.sum, go.work and vendor/modules.txt and resolves imports from GOPATH/src and GOROOT (GOPATH mode)", env.Origin("GO111MODULE"))
	if mod := goflagsMod(env); mod != "" {
		msg += fmt.Sprintf("; -mod=%s in GOFLAGS has no effect there", mod)
	}
	msg += "; to build this module: " + env.Unset("GO111MODULE")
	var diags []Diagnostic
	for _, m := range snap.Modules() {
		if inModuleCache(snap, m.Dir) {
			continue
		}
		sp := m.File.LineSpan(1)
		if m.Mod != nil && m.Mod.Module != nil {
			sp = lineSpan(m.Mod.Module.Syntax)
		}
		diags = append(diags, Diagnostic{Code: CodeEnvModulesDisabled, Severity: SeverityWarning, File: m.File, Span: sp, Message: msg})
	}
	return diags
}

// setting is "GOFLAGS=-mod=mod, set by go env -w in /home/u/.config/go/env".
func setting(env workspace.Env, key string) string {
	return fmt.Sprintf("%s=%s, %s", key, env.Value(key), env.Origin(key))
}

// fixGOFLAGS is the command that sets GOFLAGS to rest where it was set, or
// removes it when nothing is left.
func fixGOFLAGS(env workspace.Env, rest string) string { return "to fix: " + goflagsCommand(env, rest) }

// goflagsCommand is the command that sets GOFLAGS to rest where it was set,
// or removes it when nothing is left.
func goflagsCommand(env workspace.Env, rest string) string {
	if strings.TrimSpace(rest) == "" {
		return env.Unset("GOFLAGS")
	}
	return env.Set("GOFLAGS", rest)
}

// originNote is " (set in the shell)" and the like, for a variable that
// was set somewhere; "" for one at its default.
func originNote(env workspace.Env, key string) string {
	if env.Origin(key).Kind == workspace.OriginDefault {
		return ""
	}
	return " (" + env.Origin(key).String() + ")"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
