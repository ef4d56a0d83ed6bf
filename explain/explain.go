// Package explain says what the go command will do in a directory and
// why: which go.mod and go.work it reads, module, workspace or GOPATH mode,
// the main modules, the -mod mode, the toolchain that runs, how each
// requirement is replaced, fetched and verified, and where every go
// environment variable got its value. It is built from a snapshot by
// buildctx's decisions, and rendered by one function (Summary) shared by
// `gomodls explain` and the server's hover; docs/explain.md documents the
// JSON form.
package explain

import (
	"os"
	"path/filepath"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/workspace"
)

// Explanation is what the go command does in Dir. Its JSON form is stable
// (docs/explain.md).
type Explanation struct {
	Dir string `json:"dir"`
	// GOMOD is what `go env GOMOD` prints in Dir: the nearest go.mod in Dir
	// or a parent, os.DevNull in module mode without one, "" in GOPATH mode.
	GOMOD     string    `json:"gomod"`
	GOWORK    Work      `json:"gowork"`
	Mode      Mode      `json:"mode"`
	Mains     []Main    `json:"mains"`
	Mod       *Mod      `json:"mod"`       // nil when there is no main module (GOPATH mode, no go.mod)
	Toolchain Toolchain `json:"toolchain"` //
	Requires  []Require `json:"requires"`
	Vars      []Var     `json:"vars"`
}

// Work is the go.work in effect.
type Work struct {
	// Path is what `go env GOWORK` prints: the go.work's path, "off", or "".
	Path string `json:"path"`
	// Source is how it was chosen: "off" (GOWORK=off), "env" (GOWORK names
	// it), "search" (found in Dir or a parent) or "none".
	Source string `json:"source"`
	// Origin is where GOWORK's value was set (workspace.Origin's words).
	Origin string `json:"origin"`
	// Read is false when GOWORK names a file gomodls does not hold.
	Read bool `json:"read"`
}

// Mode is module, workspace or GOPATH mode.
type Mode struct {
	Name        string `json:"name"` // "module", "workspace" or "gopath"
	GO111MODULE string `json:"go111module"`
	Origin      string `json:"go111moduleOrigin"`
	// Error is what the go command fails with in Dir before doing
	// anything, or "".
	Error string `json:"error,omitempty"`
}

// Main is a main module.
type Main struct {
	Path  string `json:"path"`
	Dir   string `json:"dir"`
	GoMod string `json:"gomod"`
	Go    string `json:"go"` // its go line, "" if none
}

// Mod is the -mod mode of builds and why.
type Mod struct {
	Value string `json:"value"`
	// Reason is why, in a sentence.
	Reason string `json:"reason"`
	// FromGOFLAGS: GOFLAGS sets -mod; GOFLAGS and its origin follow.
	FromGOFLAGS   bool   `json:"fromGOFLAGS"`
	GOFLAGS       string `json:"goflags"`
	GOFLAGSOrigin string `json:"goflagsOrigin"`
	// VendorIgnored is go's reason for not using a vendor directory that
	// exists, or "".
	VendorIgnored string `json:"vendorIgnored,omitempty"`
	// Error is go's message when the -mod value is rejected, or "".
	Error string `json:"error,omitempty"`
}

// Toolchain is the toolchain that runs and why.
type Toolchain struct {
	GOTOOLCHAIN string `json:"gotoolchain"`
	Origin      string `json:"origin"`
	// File is the go.work (workspace mode) or go.mod whose go and
	// toolchain lines select the toolchain, "" if none; Go and Line are
	// those lines' values ("" if absent).
	File string `json:"file"`
	Go   string `json:"go"`
	Line string `json:"toolchainLine"`
	// Local is the local go ("go1.26.8"), "" when unknown; Runs the
	// toolchain that will run ("" when unknown) and Reason why.
	Local  string `json:"local"`
	Runs   string `json:"runs"`
	Reason string `json:"reason"`
}

// Require is one require line of a main module.
type Require struct {
	Path       string   `json:"path"`
	Version    string   `json:"version"`
	Indirect   bool     `json:"indirect"`
	RequiredBy string   `json:"requiredBy"` // the go.mod holding the line
	Replace    *Replace `json:"replace"`    // nil when no replace applies
	// Fetch is how the module (its replacement, when replaced by another
	// module) is downloaded and verified; nil when it is replaced by a
	// directory, which is never downloaded.
	Fetch *Fetch `json:"fetch"`
}

// Replace is the replace directive that applies.
type Replace struct {
	New  string `json:"new"`  // the right-hand side as written: "path version" or a directory
	Dir  string `json:"dir"`  // a directory replacement, absolute; "" otherwise
	File string `json:"file"` // the go.work or go.mod holding it
}

// Fetch is buildctx.Fetch in JSON.
type Fetch struct {
	// Via is "proxy", "direct" or "off" (GOPROXY=off: never downloaded).
	Via     string   `json:"via"`
	Proxies []string `json:"proxies,omitempty"`
	// Fallback is what GOPROXY lists after the proxies, tried when they
	// do not have the module: "direct", "off", or "" (nothing: go fails).
	Fallback string `json:"fallback,omitempty"`
	SumDB    string `json:"sumdb"` // the checksum database checked, "" when none is
	Private  bool   `json:"private"`
	Insecure bool   `json:"insecure"`
}

// Var is one go environment variable.
type Var struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Origin string `json:"origin"`
	// Default: not set by the user (the go command's default, or
	// $GOROOT/go.env's).
	Default bool `json:"default"`
}

// For explains dir (absolute) from snap. It reads the disk only to find a
// go.mod above dir that snap does not hold (workspace.FindGoMod).
func For(snap *workspace.Snapshot, dir string) *Explanation {
	dir = filepath.Clean(dir)
	env := snap.Env
	e := &Explanation{Dir: dir, Mains: []Main{}, Requires: []Require{}}
	for _, k := range workspace.Vars() {
		o := env.Origin(k)
		e.Vars = append(e.Vars, Var{Name: k, Value: env.Value(k), Origin: o.String(),
			Default: o.Kind == workspace.OriginDefault || o.Kind == workspace.OriginGoroot})
	}

	gomod := nearestGoMod(snap, dir)
	work := snap.WorkFor(dir)
	e.GOWORK = Work{Origin: env.Origin("GOWORK").String(), Source: "none"}
	switch gw := buildctx.GoWorkOf(env); {
	case gw.Off:
		e.GOWORK.Path, e.GOWORK.Source = "off", "off"
	case !gw.Search(): // a file, or a relative path go rejects
		e.GOWORK.Path, e.GOWORK.Source, e.GOWORK.Read = env.GOWORK, "env", work != nil
	case work != nil:
		e.GOWORK.Path, e.GOWORK.Source, e.GOWORK.Read = work.File.Path, "search", true
	}

	modules := buildctx.ModulesOf(env)
	e.Mode = Mode{GO111MODULE: env.GO111MODULE, Origin: env.Origin("GO111MODULE").String()}
	switch {
	case modules.Invalid:
		e.Mode.Name, e.Mode.Error = "gopath", modules.InvalidError()
	case modules.Off, env.GO111MODULE == "auto" && gomod == "" && e.GOWORK.Source != "env" && work == nil:
		e.Mode.Name = "gopath"
	case e.GOWORK.Source == "env" || work != nil:
		e.Mode.Name = "workspace"
	default:
		e.Mode.Name = "module"
	}
	switch {
	case e.Mode.Name == "gopath":
	case gomod != "":
		e.GOMOD = gomod
	default:
		e.GOMOD = os.DevNull
	}

	var c *buildctx.Context
	switch e.Mode.Name {
	case "workspace":
		switch {
		case work != nil && work.File.Skipped != nil:
			// Not go's error: gomodls did not read the file (file-skipped).
			e.Mode.Error = "gomodls did not read go.work: " + work.Err.Error()
		case work != nil && work.Work == nil:
			// (buildctx.ForDir needs a go.work that parsed.)
			e.Mode.Error = "go: " + work.Err.Error()
		case work != nil:
			c = buildctx.ForDir(snap, work.Dir)
			if c != nil && gomod != "" && !uses(c, filepath.Dir(gomod)) {
				e.Mode.Error = "go: current directory is contained in a module that is not one of the workspace modules listed in go.work. You can add the module to the workspace using:\n\tgo work use " + filepath.Dir(gomod)
			}
		}
	case "module":
		if gomod != "" {
			if m := snap.Module(filepath.Dir(gomod)); m != nil && m.Mod != nil {
				c = buildctx.Module(snap, m)
			}
		}
	}
	e.Toolchain = toolchainOf(env, c)
	if c == nil || len(c.Mains) == 0 {
		return e
	}
	for _, m := range c.Mains {
		mm := Main{Dir: m.Dir, GoMod: m.File.Path}
		if m.Mod.Module != nil {
			mm.Path = m.Mod.Module.Mod.Path
		}
		if m.Mod.Go != nil {
			mm.Go = m.Mod.Go.Version
		}
		e.Mains = append(e.Mains, mm)
	}
	e.Mod = modOf(env, c)
	for _, m := range c.Mains {
		for _, r := range m.Mod.Require {
			req := Require{Path: r.Mod.Path, Version: r.Mod.Version, Indirect: r.Indirect, RequiredBy: m.File.Path}
			fetched := r.Mod.Path
			if rep, ok := c.Replacement(r.Mod); ok {
				req.Replace = &Replace{New: rep.Replace.New.Path, Dir: rep.Dir, File: rep.File.Path}
				if v := rep.Replace.New.Version; v != "" {
					req.Replace.New += " " + v
				}
				fetched = rep.Replace.New.Path
			}
			if req.Replace == nil || req.Replace.Dir == "" {
				req.Fetch = fetchOf(env, fetched)
			}
			e.Requires = append(e.Requires, req)
		}
	}
	return e
}

// nearestGoMod is the go.mod go uses in dir: from snap when it holds one
// in dir or a parent, else from disk.
func nearestGoMod(snap *workspace.Snapshot, dir string) string {
	for d := dir; ; {
		if m := snap.Module(d); m != nil {
			return m.File.Path
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return workspace.FindGoMod(dir)
}

func uses(c *buildctx.Context, dir string) bool {
	for _, m := range c.Mains {
		if m.Dir == dir {
			return true
		}
	}
	return false
}

func modOf(env workspace.Env, c *buildctx.Context) *Mod {
	m := &Mod{Value: c.Mod.Value, VendorIgnored: c.Mod.VendorIgnored}
	goVers, _, _ := c.GoVersion()
	src := c.SourceName()
	switch {
	case c.Mod.FromGOFLAGS:
		m.FromGOFLAGS, m.GOFLAGS, m.GOFLAGSOrigin = true, env.GOFLAGS, env.Origin("GOFLAGS").String()
		m.Reason = "GOFLAGS=" + env.GOFLAGS + " (" + m.GOFLAGSOrigin + ") sets it"
		switch {
		case c.Mod.Invalid:
			m.Error = "go: " + buildctx.InvalidModError(c.Mod.Value)
		case c.Mod.NotAllowed:
			m.Error = buildctx.NotAllowedModError(c.Mod.Value)
		}
	case c.Mod.Vendor():
		m.Reason = "the go line of " + src + " is go " + goVers + " (1.14 or later) and " + filepath.Join(c.Root, "vendor") + " exists, so go uses it"
	case c.Mod.VendorIgnored != "":
		m.Reason = "the default; a vendor directory exists but is not used: " + c.Mod.VendorIgnored
	case c.Work != nil:
		m.Reason = "the default in workspace mode without a vendor directory for the workspace"
	default:
		m.Reason = "the default without a vendor directory"
	}
	return m
}

func toolchainOf(env workspace.Env, c *buildctx.Context) Toolchain {
	t := Toolchain{GOTOOLCHAIN: env.GOTOOLCHAIN, Origin: env.Origin("GOTOOLCHAIN").String()}
	if c != nil && len(c.Mains) > 0 {
		var f *workspace.File
		t.Go, f, _ = c.GoVersion()
		t.File = f.Path
		if c.Work != nil {
			if tl := c.Work.Work.Toolchain; tl != nil {
				t.Line = tl.Name
			}
		} else if tl := c.Mains[0].Mod.Toolchain; tl != nil {
			t.Line = tl.Name
		}
	}
	tc, ok := buildctx.ToolchainOf(env)
	if !ok {
		t.Reason = "the local go version is unknown (go env could not be run)"
		return t
	}
	t.Local = "go" + tc.Local
	t.Runs, t.Reason = tc.Select(t.Go, t.Line)
	return t
}

func fetchOf(env workspace.Env, path string) *Fetch {
	bf := buildctx.FetchOf(env, path)
	f := &Fetch{Proxies: bf.Proxies, Private: bf.Private, Insecure: bf.Insecure}
	if len(bf.Proxies) > 0 {
		f.Fallback = bf.Fallback
	}
	switch {
	case bf.Off:
		f.Via = "off"
	case bf.Direct:
		f.Via = "direct"
	default:
		f.Via = "proxy"
	}
	if bf.SumDB {
		f.SumDB = bf.SumDBName
	}
	return f
}
