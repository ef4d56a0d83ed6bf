package buildctx

import (
	"fmt"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/internal/gocommand"
	"github.com/gomodls/gomodls/workspace"
)

// Modules is the go command's choice between module mode and GOPATH mode,
// from GO111MODULE (cmd/go/internal/modload/init.go: Init).
type Modules struct {
	// Setting is GO111MODULE as set: "", "on", "off", "auto" or anything
	// else.
	Setting string
	// Off is GOPATH mode: the go command reads no go.mod, go.work, go.sum or
	// vendor/modules.txt and resolves imports from GOROOT and GOPATH/src.
	// With "auto" module mode is on wherever a go.mod is found in the
	// directory or above, which is true of every module file gomodls
	// checks, so only "off" turns it off for them.
	Off bool
	// Invalid is true for a value other than "", on, off and auto: every
	// module-aware go command then fails with InvalidError.
	Invalid bool
}

// InvalidError is what the go command prints for an Invalid setting.
func (m Modules) InvalidError() string {
	return "go: unknown environment setting GO111MODULE=" + m.Setting
}

// ModulesOf decides module mode from env.
func ModulesOf(env workspace.Env) Modules {
	m := Modules{Setting: env.GO111MODULE}
	switch env.GO111MODULE {
	case "", "on", "auto":
	case "off":
		m.Off = true
	default:
		m.Invalid = true
	}
	return m
}

// Flags is what GOFLAGS says that bears on module files.
type Flags struct {
	// Mod is the value of the last -mod flag ("" if none): the go command
	// applies GOFLAGS in order, so a later flag wins.
	Mod string
	// Err is why the go command cannot parse GOFLAGS at all, in its words
	// ("go: parsing $GOFLAGS: non-flag \"x\""); every go command but go env
	// and go bug then fails.
	Err error
}

// FlagsOf reads GOFLAGS as cmd/go/internal/base.InitGOFLAGS does: split
// like a shell (quotes group), and every field must look like -x, --x,
// -x=value or --x=value. (A flag no go command knows is an error too;
// gomodls does not hold that list, so it says nothing about those.)
func FlagsOf(env workspace.Env) Flags {
	var fl Flags
	fields, err := gocommand.SplitGOFLAGS(env.GOFLAGS)
	if err != nil {
		fl.Err = fmt.Errorf("go: parsing $GOFLAGS: %v", err)
		return fl
	}
	for _, f := range fields {
		if !strings.HasPrefix(f, "-") || f == "-" || f == "--" || strings.HasPrefix(f, "---") || strings.HasPrefix(f, "-=") || strings.HasPrefix(f, "--=") {
			fl.Err = fmt.Errorf("go: parsing $GOFLAGS: non-flag %q", f)
			return fl
		}
		name, value, _ := strings.Cut(strings.TrimPrefix(f[1:], "-"), "=")
		if name == "mod" {
			fl.Mod = value
		}
	}
	return fl
}

// ValidModValue reports whether the go command accepts v as -mod
// (cmd/go/internal/work/init.go: buildModeInit).
func ValidModValue(v string) bool {
	switch v {
	case "", "mod", "readonly", "vendor":
		return true
	}
	return false
}

// InvalidModError is the go command's message for an invalid -mod value
// (printed without the "go: " prefix).
func InvalidModError(v string) string {
	return fmt.Sprintf("-mod=%s not supported (can be '', 'mod', 'readonly', or 'vendor')", v)
}

// NotAllowedModError is the go command's message for a -mod value
// workspace mode rejects (modload.setDefaultBuildMod), on one line.
func NotAllowedModError(v string) string {
	return fmt.Sprintf("go: -mod may only be set to readonly or vendor when in workspace mode, but it is set to %q; remove the -mod flag to use the default readonly value, or set GOWORK=off to disable workspace mode", v)
}

// Fetch is how the go command would download and verify a module path.
type Fetch struct {
	// Direct: fetched from its version-control repository, not through a
	// proxy (GONOPROXY, which defaults to GOPRIVATE, matches; or GOPROXY
	// lists only direct).
	Direct bool
	// Proxies are the GOPROXY entries tried, in order, before direct or
	// off (none when Direct).
	Proxies []string
	// Fallback is what GOPROXY lists after Proxies: "direct", "off", or
	// "" when the list ends there (a module no proxy has is then not
	// found). It is "direct" or "off" too when Direct or Off is set.
	Fallback string
	// Off: GOPROXY=off (or an off entry reached first): no download at all.
	Off bool
	// SumDB: go.sum lines for the module are checked against the checksum
	// database SumDBName (GOSUMDB is not off and GONOSUMDB does not match).
	SumDB     bool
	SumDBName string
	// Insecure: GOINSECURE matches, so a direct fetch may use plain HTTP
	// and skips certificate checks.
	Insecure bool
	// Private: GOPRIVATE matches.
	Private bool
}

// FetchOf decides how path is fetched under env, matching patterns with
// module.MatchPrefixPatterns as the go command does
// (cmd/go/internal/modfetch: proxy.go proxyList, repo.go lookup,
// sumdb.go useSumDB).
func FetchOf(env workspace.Env, path string) Fetch {
	f := Fetch{
		Private:  module.MatchPrefixPatterns(env.GOPRIVATE, path),
		Insecure: module.MatchPrefixPatterns(env.GOINSECURE, path),
	}
	sumdb := env.GOSUMDB
	if sumdb == "" {
		sumdb = "sum.golang.org"
	}
	if sumdb != "off" && !module.MatchPrefixPatterns(env.GONOSUMDB, path) {
		f.SumDB, f.SumDBName = true, sumdb
	}
	if module.MatchPrefixPatterns(env.GONOPROXY, path) {
		f.Direct, f.Fallback = true, "direct"
		if env.GOPROXY == "off" {
			f.Direct, f.Off, f.Fallback = false, true, "off"
		}
		return f
	}
	for _, entry := range strings.FieldsFunc(env.GOPROXY, func(r rune) bool { return r == ',' || r == '|' }) {
		switch entry = strings.TrimSpace(entry); entry {
		case "direct":
			f.Fallback = entry
			if len(f.Proxies) == 0 {
				f.Direct = true
			}
			return f
		case "off":
			f.Fallback = entry
			if len(f.Proxies) == 0 {
				f.Off = true
			}
			return f
		case "":
		default:
			f.Proxies = append(f.Proxies, entry)
		}
	}
	return f
}

// ToolchainModule is the module the go command downloads to run the
// toolchain name ("go1.25.0") on goos/goarch: golang.org/toolchain at
// v0.0.1-<name>.<goos>-<goarch> (cmd/go/internal/toolchain/select.go: Exec).
func ToolchainModule(name, goos, goarch string) module.Version {
	return module.Version{Path: "golang.org/toolchain", Version: "v0.0.1-" + name + "." + goos + "-" + goarch}
}

// GoWork is the GOWORK setting as cmd/go's FindGoWork reads it.
type GoWork struct {
	// Off: GOWORK=off, no workspace mode anywhere.
	Off bool
	// File: GOWORK names this go.work (absolute, clean), used from every
	// directory.
	File string
	// Relative: GOWORK is neither off, auto, empty nor an absolute path:
	// every go command fails with RelativeError.
	Relative bool
	// Otherwise (all zero) the go command searches each directory and its
	// parents for a go.work.
}

// Search reports whether the go command looks for a go.work upward from
// the directory it runs in.
func (g GoWork) Search() bool { return !g.Off && g.File == "" && !g.Relative }

// RelativeError is the go command's message for a Relative GOWORK.
const RelativeError = "go: invalid GOWORK: not an absolute path"

// GoWorkOf reads GOWORK from env.
func GoWorkOf(env workspace.Env) GoWork {
	switch gw := env.GOWORK; {
	case gw == "off":
		return GoWork{Off: true}
	case gw == "" || gw == "auto":
		return GoWork{}
	case filepath.IsAbs(gw):
		return GoWork{File: filepath.Clean(gw)}
	}
	return GoWork{Relative: true}
}

// NoGoModMeansGOPATH reports whether, in a directory with no go.mod in it
// or above, the go command runs in GOPATH mode rather than in module mode
// outside a module: GO111MODULE=off or auto (modload.Init).
func (m Modules) NoGoModMeansGOPATH() bool { return m.Off || m.Setting == "auto" }
