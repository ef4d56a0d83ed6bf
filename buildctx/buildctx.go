// Package buildctx is gomodls's one model of what the go command will do in
// a directory, decided from a [workspace.Snapshot] (its files and its
// environment) the way cmd/go decides it:
//
//   - module mode or GOPATH mode, from GO111MODULE ([Modules];
//     cmd/go/internal/modload/init.go: Init, WillBeEnabled);
//   - the go.work in effect and the main modules ([All], [ForDir];
//     modload.FindGoWork);
//   - the -mod mode and why ([Context.Mod]; modload.setDefaultBuildMod);
//   - the go line that governs ([Context.GoVersion]);
//   - which replacement applies to a module ([Context.Replacement];
//     modload.Replacement: go.work's replaces override the modules', a
//     version-specific replace beats a wildcard one);
//   - how a module is fetched and verified ([Fetch]; cmd/go/internal/cfg
//     and modfetch: GOPROXY, GOPRIVATE, GONOPROXY, GONOSUMDB, GOSUMDB,
//     GOINSECURE matched with module.MatchPrefixPatterns).
//
// Every check and the server's command targets ask this package instead of
// deriving the answers again. It reads only the snapshot.
package buildctx

import (
	"fmt"
	"go/version"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/workspace"
)

// A Context is one way the go command loads modules: run in a module
// outside any workspace (module mode, one main module), or anywhere in a
// workspace (workspace mode, the modules go.work uses).
type Context struct {
	// Root is the module's directory, or the go.work's.
	Root string
	// Work is the go.work in effect; nil in module mode.
	Work *workspace.Work
	// Mains are the main modules that parsed: the module, or those Work
	// uses, in the order of its use lines.
	Mains []*workspace.Module
	// Mod is the -mod mode builds in Root use.
	Mod ModMode
	// InModuleCache is true for a module inside GOMODCACHE (a workspace
	// folder may hold a GOPATH): go reads it as a dependency, never as a
	// main module, so most checks skip it.
	InModuleCache bool

	replaceOnce sync.Once
	replaceIdx  atomic.Pointer[replaceIndex]
}

// All lists the build contexts of snap: every go.work in effect in its own
// directory (with at least one main module that parsed), and every module
// no go.work applies to. A module inside a workspace that does not use it
// has no context: the go command refuses to run there. In GOPATH mode
// (GO111MODULE=off) there are none: go reads no module file.
//
// The contexts are computed once per snapshot and shared by every caller
// (which must not modify the slice): each check asks.
func All(snap *workspace.Snapshot) []*Context {
	return snap.Memo("buildctx.All", func(any) any { return all(snap) }).([]*Context)
}

func all(snap *workspace.Snapshot) []*Context {
	if ModulesOf(snap.Env).Off {
		return nil
	}
	var out []*Context
	for _, w := range WorksInEffect(snap) {
		if c := Workspace(snap, w); len(c.Mains) > 0 {
			out = append(out, c)
		}
	}
	for _, m := range snap.ModulesOutsideWorkspaces() {
		if m.Mod != nil {
			out = append(out, Module(snap, m))
		}
	}
	return out
}

// WorksInEffect returns the go.work files that parse and that the go
// command uses when run in their own directory. A go.work that GOWORK
// switches off or overrides is not read; in GOPATH mode none is.
func WorksInEffect(snap *workspace.Snapshot) []*workspace.Work {
	if ModulesOf(snap.Env).Off {
		return nil
	}
	var out []*workspace.Work
	for _, w := range snap.Works() {
		if w.Work != nil && snap.WorkFor(w.Dir) == w {
			out = append(out, w)
		}
	}
	return out
}

// Workspace is the context of the go.work w in workspace mode, whether or
// not it is the one in effect in its directory. It is made once per
// snapshot: the checks, the module graph and ForDir all ask. Its replace
// index carries over from the previous snapshot's context where the edit
// left every replaced path as it was (see inheritReplaces).
func Workspace(snap *workspace.Snapshot, w *workspace.Work) *Context {
	c := snap.Memo("buildctx.Workspace\x00"+w.File.Path, func(prev any) any {
		c := newContext(snap, w.Dir, w, parsedOnly(snap.UsedModules(w)))
		if p, ok := prev.(*Context); ok && p.Work == w {
			c.inheritReplaces(p)
		}
		return c
	}).(*Context)
	if c.Work != w { // a go.work not of snap: never kept
		return newContext(snap, w.Dir, w, parsedOnly(snap.UsedModules(w)))
	}
	return c
}

// Module is the context of m built on its own, in module mode, whatever
// go.work is around it: what `GOWORK=off go build` and `go mod tidy` see.
func Module(snap *workspace.Snapshot, m *workspace.Module) *Context {
	return newContext(snap, m.Dir, nil, []*workspace.Module{m})
}

// ForDir is the context the go command uses when run in dir, for a
// command that acts on a module or workspace there (go mod vendor or go
// work vendor, …): workspace mode when the go.work in effect is in dir or
// uses dir's module; otherwise dir's module alone. It is nil when dir has
// neither.
func ForDir(snap *workspace.Snapshot, dir string) *Context {
	dir = filepath.Clean(dir)
	if w := snap.WorkFor(dir); w != nil && (w.Dir == dir || usesDir(w, dir)) {
		return Workspace(snap, w)
	}
	if m := snap.Module(dir); m != nil {
		return newContext(snap, dir, nil, []*workspace.Module{m})
	}
	return nil
}

func usesDir(w *workspace.Work, dir string) bool {
	if w.Work == nil {
		return false
	}
	for _, u := range w.Work.Use {
		if workspace.UseDir(w, u.Path) == dir {
			return true
		}
	}
	return false
}

func newContext(snap *workspace.Snapshot, root string, w *workspace.Work, mains []*workspace.Module) *Context {
	c := &Context{Root: root, Work: w, Mains: mains}
	c.InModuleCache = snap.Env.GOMODCACHE != "" && workspace.Within(root, filepath.Clean(snap.Env.GOMODCACHE))
	c.Mod = modMode(snap, c)
	return c
}

// parsedOnly returns the modules of mods that parse. When all of them do,
// as they do except while a go.mod is broken, that is mods itself
// (clipped, so that no append writes into it): no copy of a thousand
// modules per edit.
func parsedOnly(mods []*workspace.Module) []*workspace.Module {
	i := slices.IndexFunc(mods, func(m *workspace.Module) bool { return m.Mod == nil })
	if i < 0 {
		return slices.Clip(mods)
	}
	out := slices.Clip(mods[:i:i])
	for _, m := range mods[i+1:] {
		if m.Mod != nil {
			out = append(out, m)
		}
	}
	return out
}

// GoVersion is the go line that governs the context: go.work's in
// workspace mode, the module's otherwise ("" if there is none), with the
// file and span to report on: the go line, else the module line or line 1.
func (c *Context) GoVersion() (v string, f *workspace.File, sp workspace.Span) {
	if c.Work != nil {
		f = c.Work.File
		if c.Work.Work != nil && c.Work.Work.Go != nil {
			return c.Work.Work.Go.Version, f, lineSpan(c.Work.Work.Go.Syntax)
		}
		return "", f, f.LineSpan(1) // no go line, or a go.work that does not parse
	}
	m := c.Mains[0]
	f = m.File
	if m.Mod == nil {
		return "", f, f.LineSpan(1)
	}
	if g := m.Mod.Go; g != nil {
		return g.Version, f, lineSpan(g.Syntax)
	}
	if m.Mod.Module != nil {
		return "", f, lineSpan(m.Mod.Module.Syntax)
	}
	return "", f, f.LineSpan(1)
}

// RootFile is the file of the context's root and the span that stands for
// the whole context: go.work's go line (else line 1), or the module line
// of go.mod (else line 1). Problems of the environment as a whole are
// reported there.
func (c *Context) RootFile() (*workspace.File, workspace.Span) {
	if c.Work != nil {
		f := c.Work.File
		if c.Work.Work != nil && c.Work.Work.Go != nil {
			return f, lineSpan(c.Work.Work.Go.Syntax)
		}
		return f, f.LineSpan(1)
	}
	m := c.Mains[0]
	if m.Mod != nil && m.Mod.Module != nil {
		return m.File, lineSpan(m.Mod.Module.Syntax)
	}
	return m.File, m.File.LineSpan(1)
}

// SourceName is what the go command calls the file that sets the go
// version: "go.work" or "go.mod".
func (c *Context) SourceName() string {
	if c.Work != nil {
		return "go.work"
	}
	return "go.mod"
}

// Subcommand is "mod" or "work", as in go mod vendor / go work vendor.
func (c *Context) Subcommand() string {
	if c.Work != nil {
		return "work"
	}
	return "mod"
}

// ModMode is the -mod mode of builds (go build, list, test, vet, run) in a
// context and why, as cmd/go's setDefaultBuildMod decides it.
type ModMode struct {
	// Value is "vendor", "readonly" or "mod"; for an invalid -mod in
	// GOFLAGS it is that value.
	Value string
	// FromGOFLAGS is true when GOFLAGS sets -mod: it then wins over
	// everything below.
	FromGOFLAGS bool
	// VendorIgnored says, in go's words, why a vendor directory that
	// exists is not used ("" when it is used or there is none).
	VendorIgnored string
	// Invalid is true when GOFLAGS sets a -mod value the go command
	// rejects; NotAllowed when it sets one that workspace mode rejects
	// (only readonly and vendor are allowed there).
	Invalid, NotAllowed bool
}

// Vendor reports whether builds use the vendor directory.
func (m ModMode) Vendor() bool { return m.Value == "vendor" && !m.Invalid && !m.NotAllowed }

// modMode decides the -mod mode in the order of cmd/go's setDefaultBuildMod
// (modload/init.go).
func modMode(snap *workspace.Snapshot, c *Context) ModMode {
	hasDir := snap.HasVendorDir(c.Root)
	if flag := FlagsOf(snap.Env).Mod; flag != "" {
		m := ModMode{Value: flag, FromGOFLAGS: true}
		switch flag {
		case "vendor", "readonly":
		case "mod":
			m.NotAllowed = c.Work != nil
		default:
			m.Invalid = true
		}
		if hasDir && flag != "vendor" && !m.Invalid && !m.NotAllowed {
			m.VendorIgnored = fmt.Sprintf("GOFLAGS sets -mod=%s (%s).", flag, snap.Env.Origin("GOFLAGS"))
		}
		return m
	}
	readonly := ModMode{Value: "readonly"}
	if !hasDir {
		return readonly
	}
	goVers, _, _ := c.GoVersion()
	src := c.SourceName()
	switch {
	case goVers == "":
		readonly.VendorIgnored = fmt.Sprintf("Go version in %s is unspecified, so vendor directory was not used.", src)
		return readonly
	case GoLess(goVers, "1.14"):
		readonly.VendorIgnored = fmt.Sprintf("Go version in %s is %s, so vendor directory was not used.", src, goVers)
		return readonly
	}
	vm := snap.VendorManifest(c.Root)
	forWorkspace := vm != nil && vm.Workspace
	if vm != nil && vm.File.Skipped != nil {
		// modules.txt was not read (too large, say): whom it is for is
		// unknown, so take it for this context rather than report the
		// vendor directory as ignored.
		forWorkspace = c.Work != nil
	}
	switch {
	case forWorkspace && c.Work == nil:
		readonly.VendorIgnored = "Outside workspace mode, but vendor directory is for a workspace."
		return readonly
	case !forWorkspace && c.Work != nil:
		readonly.VendorIgnored = "In workspace mode, but vendor directory is not for a workspace"
		return readonly
	}
	return ModMode{Value: "vendor"}
}

// GoLess compares go versions as written in go.mod ("1.21", "1.21.3",
// "1.21rc1").
func GoLess(a, b string) bool { return version.Compare("go"+a, "go"+b) < 0 }

func lineSpan(l *modfile.Line) workspace.Span {
	return workspace.Span{Start: l.Start.Byte, End: l.End.Byte}
}
