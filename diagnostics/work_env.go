package diagnostics

import (
	"fmt"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/workspace"
)

// Codes of the GOWORK checks (gomodls only: the go command says nothing).
const (
	CodeEnvGoWorkOff       = "env-gowork-off"
	CodeEnvGoWorkElsewhere = "env-gowork-elsewhere"
)

// workEnvCheck tells, on line 1 of a go.work, that the go command does not
// read it: GOWORK=off disables workspace mode, and a GOWORK naming another
// file makes the go command use that one from every directory (cmd/go's
// FindGoWork). Env.GOWORK is the user's setting as `go env` prints it
// outside any module: "off", a path, or "" (or "auto") for the search
// upwards, which finds each go.work where it is.
var workEnvCheck = Check{
	Name:  "workEnv",
	Codes: []string{CodeEnvGoWorkOff, CodeEnvGoWorkElsewhere},
	Run: func(snap *workspace.Snapshot) []Diagnostic {
		gw := buildctx.GoWorkOf(snap.Env)
		gowork := gw.File
		var code, msg string
		var named *workspace.File
		switch {
		case gw.Off:
			code, msg = CodeEnvGoWorkOff, fmt.Sprintf("GOWORK=off%s: the go command ignores this go.work and builds each module on its own", originNote(snap.Env, "GOWORK"))
		case gw.File != "":
			code, msg = CodeEnvGoWorkElsewhere, fmt.Sprintf("GOWORK=%s%s: the go command uses that go.work, not this one", gowork, originNote(snap.Env, "GOWORK"))
			named = snap.File(gowork)
		default:
			return nil // a relative GOWORK is an error of its own (env-gowork-relative)
		}
		var diags []Diagnostic
		for _, w := range snap.Works() {
			if w.File.Path == gowork {
				continue
			}
			d := Diagnostic{Code: code, Severity: SeverityInformation, File: w.File, Span: w.File.LineSpan(1), Message: msg}
			if named != nil {
				d.Related = []Related{{File: named, Span: named.LineSpan(1), Message: "the go.work in effect"}}
			}
			diags = append(diags, d)
		}
		return diags
	},
}
