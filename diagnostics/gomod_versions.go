package diagnostics

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/workspace"
)

// CodeGoModNoncanonicalVersion is a version go.mod spells in a form the go
// command must resolve online before it can read the file
// (cmd/go/internal/modload/init.go: fixVersion).
const CodeGoModNoncanonicalVersion = "gomod-noncanonical-version"

// goModSpellingCheck reports what go.mod parses but the go command will not
// take as written, on the token to edit:
//
//   - gomod-noncanonical-version: a version that is a valid semantic
//     version but not canonical (v1.0, v1, v1.2.3+meta), which modfile
//     quietly reads as its canonical form. go resolves it through the
//     module proxy as a query (v1.0: the latest v1.0.x) even in readonly
//     mode: under GOPROXY=off go.mod does not parse ("module lookup
//     disabled"), otherwise the file is dirty and a build fails with
//     "updates to go.mod needed". The fix rewrites it to what the query
//     would pick among the module cache's versions, when the cache has
//     one.
//   - gomod-parse-error: a required module path the go command rejects
//     when it loads the module graph (module.CheckPath: go list -m all,
//     go mod tidy, download and verify fail with "malformed module path").
var goModSpellingCheck = Check{
	Name:       "gomodSpelling",
	Codes:      []string{CodeGoModNoncanonicalVersion, CodeGoModParseError},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return goModSpelling(context.Background(), snap, nil) },
	RunFocused: goModSpelling,
}

func goModSpelling(_ context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	for _, m := range focus.modules(snap) {
		if m.Mod == nil || inModuleCache(snap, m.Dir) {
			continue
		}
		for _, r := range m.Mod.Require {
			if err := module.CheckPath(r.Mod.Path); err != nil {
				diags = append(diags, Diagnostic{Code: CodeGoModParseError, Severity: SeverityError, File: m.File, Span: lineSpan(r.Syntax),
					Message: fmt.Sprintf("require %s: %v", r.Mod.Path, err)})
			}
			diags = appendAll(diags, noncanonical(snap, m, "require", r.Syntax, r.Mod))
		}
		for _, e := range m.Mod.Exclude {
			diags = appendAll(diags, noncanonical(snap, m, "exclude", e.Syntax, e.Mod))
		}
		for _, r := range m.Mod.Replace {
			diags = appendAll(diags, noncanonical(snap, m, "replace", r.Syntax, r.Old))
			if r.New.Version != "" {
				diags = appendAll(diags, noncanonical(snap, m, "replace", r.Syntax, r.New))
			}
		}
	}
	return diags
}

// noncanonical reports mod's version on line when the file spells it
// otherwise: modfile stores the canonical form, so the spelling is the
// line's token that canonicalizes to it.
func noncanonical(snap *workspace.Snapshot, m *workspace.Module, verb string, line *modfile.Line, mod module.Version) []Diagnostic {
	if mod.Version == "" || line == nil {
		return nil
	}
	raw, span, ok := spelledVersion(m.File, line, mod.Version)
	if !ok {
		return nil
	}
	msg := fmt.Sprintf("%s %s: version %q is not canonical (%s): the go command resolves it through the module proxy before reading go.mod, and then rewrites it; ", verb, mod.Path, raw, mod.Version)
	if buildctx.FetchOf(snap.Env, mod.Path).Off {
		msg += "with GOPROXY=off go.mod does not parse (module lookup disabled by GOPROXY=off)"
	} else {
		msg += "until then " + goModDirtyError(snap, false)
	}
	d := Diagnostic{Code: CodeGoModNoncanonicalVersion, Severity: SeverityError, File: m.File, Span: span, Message: msg}
	if v := queryInCache(snap.ModuleCacheVersions(mod.Path), raw); v != "" {
		d.Message += fmt.Sprintf("; the module cache's answer is %s", v)
		d.Fixes = []Fix{{Title: fmt.Sprintf("Rewrite %s to %s", raw, v), Kind: KindQuickFix, Edits: []Edit{{File: m.File, Span: span, NewText: v}}}}
	}
	return []Diagnostic{d}
}

// spelledVersion finds, on line, the token that spells canonical in
// another form, and its span; ok is false when the line spells it
// canonically. modfile keeps only the canonical form, so the line's text
// is looked at (its last such token: the version follows the path).
func spelledVersion(f *workspace.File, line *modfile.Line, canonical string) (raw string, span workspace.Span, ok bool) {
	content := f.Content()
	if line.Start.Byte < 0 || line.End.Byte > len(content) || line.Start.Byte >= line.End.Byte {
		return "", workspace.Span{}, false
	}
	text := string(content[line.Start.Byte:line.End.Byte])
	if i := strings.Index(text, "//"); i >= 0 {
		text = text[:i]
	}
	fields := strings.Fields(text)
	for i := len(fields) - 1; i >= 0; i-- {
		tok := fields[i]
		if tok == canonical {
			return "", workspace.Span{}, false
		}
		if tok != canonical && module.CanonicalVersion(tok) == canonical {
			at := line.Start.Byte + strings.LastIndex(text, tok)
			return tok, workspace.Span{Start: at, End: at + len(tok)}, true
		}
	}
	return "", workspace.Span{}, false
}

// queryInCache is the version the go command's query for raw picks among
// versions (the module cache's): for a prefix such as v1.0, the latest
// release with that prefix (else the latest prerelease); for a full
// version with build metadata, that version. "" when none is there.
func queryInCache(versions []string, raw string) string {
	canon := module.CanonicalVersion(raw)
	if strings.Count(strings.SplitN(strings.TrimPrefix(raw, "v"), "-", 2)[0], ".") == 2 { // a full version, not a prefix
		for _, v := range versions {
			if v == canon {
				return v
			}
		}
		return ""
	}
	best, bestPre := "", ""
	for _, v := range versions {
		if !strings.HasPrefix(v, raw+".") || !semver.IsValid(v) {
			continue
		}
		if semver.Prerelease(v) == "" {
			if best == "" || semver.Compare(v, best) > 0 {
				best = v
			}
		} else if bestPre == "" || semver.Compare(v, bestPre) > 0 {
			bestPre = v
		}
	}
	if best != "" {
		return best
	}
	return bestPre
}
