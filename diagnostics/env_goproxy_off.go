package diagnostics

import (
	"context"
	"fmt"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// CodeEnvGoProxyOffNotCached is a module the build needs that GOPROXY=off
// forbids downloading and the module cache lacks.
const CodeEnvGoProxyOffNotCached = "env-goproxy-off-not-cached"

// goproxyOffCheck predicts the go command's "module lookup disabled by
// GOPROXY=off" (cmd/go/internal/modfetch: proxy.go errProxyOff, repo.go
// lookup): with GOPROXY=off (buildctx.Fetch.Off) the go command reads a
// module only from the module cache, so a required module whose go.mod is
// not in $GOMODCACHE/cache/download fails every command that loads the
// module graph. A module replaced by a directory is read from there; in
// vendor mode the module cache is not read.
var goproxyOffCheck = Check{
	Name:       "goproxyOff",
	Codes:      []string{CodeEnvGoProxyOffNotCached},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return goproxyOff(context.Background(), snap, nil) },
	RunFocused: goproxyOff,
}

// goproxyOff is the check on the files of focus (every file when focus is nil).
func goproxyOff(ctx context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	for _, bc := range userContexts(snap) {
		if bc.Mod.Vendor() {
			continue
		}
		g := contextGraph(snap, bc)
		for m := range mainsInFocus(ctx, bc, focus) {
			diags = appendAll(diags, memoDiagnostics(snap, "goproxyOff\x00"+bc.Root+"\x00"+m.File.Path, perModuleInputsOf(snap, g, m), func() []Diagnostic {
				var diags []Diagnostic
				for _, fr := range fetchedRequiresOf(snap, bc, g, m) {
					if !buildctx.FetchOf(snap.Env, fr.fetched.Path).Off {
						continue
					}
					gomod := snap.ModuleCacheGoMod(fr.fetched)
					if gomod == "" || snap.PathKind(gomod) == workspace.PathFile {
						continue
					}
					diags = append(diags, goproxyOffDiagnostic(snap.Env, fr))
				}
				return diags
			}))
		}
	}
	return diags
}

// perModuleInputs are what a check computes for one main module from its
// go.mod, its context's module graph and the disk (the module cache, read
// under one generation; a new environment is a new generation too): equal
// across snapshots while none of them changed, so that an edit of one
// module of a thousand recomputes that module only.
type perModuleInputs struct {
	file      *workspace.File
	modulesID uint64 // modgraph.Graph.ModulesID
	gen       uint64
}

func perModuleInputsOf(snap *workspace.Snapshot, g *modgraph.Graph, m *workspace.Module) perModuleInputs {
	return perModuleInputs{file: m.File, modulesID: g.ModulesID(), gen: snap.DiskGeneration()}
}

// contextGraph is the module graph of bc: its workspace's, or its one
// module's.
func contextGraph(snap *workspace.Snapshot, bc buildContext) *modgraph.Graph {
	if bc.Work != nil {
		return modgraph.Workspace(snap, bc.Work)
	}
	return modgraph.Module(snap, bc.Mains[0])
}

func goproxyOffDiagnostic(env workspace.Env, fr fetchedRequire) Diagnostic {
	mod := fr.fetched
	msg := fmt.Sprintf("%s: module lookup disabled by GOPROXY=off (%s), and the module cache has no %s", mod, env.Origin("GOPROXY"), mod)
	msg += fmt.Sprintf("; download it once with a proxy: GOPROXY=https://proxy.golang.org go mod download %s", mod.Path)
	if unset := env.Unset("GOPROXY"); unset != "" {
		msg += ", or " + unset
	}
	// No gomodls.download fix: the server runs go with the environment
	// that has GOPROXY=off, so go mod download would fail the same way.
	return Diagnostic{Code: CodeEnvGoProxyOffNotCached, Severity: SeverityError, File: fr.main.File, Span: lineSpan(fr.req.Syntax), Message: msg}
}

// A fetchedRequire is a require line of a main module whose module the go
// command fetches (from a proxy, its repository or the module cache)
// rather than reads from a directory.
type fetchedRequire struct {
	main *workspace.Module
	req  *modfile.Require
	// fetched is the module version the go command fetches for the line:
	// the version the context's module graph selects for its path, or the
	// module version that replaces it.
	fetched module.Version
}

// fetchedRequires lists the fetched requirements of the context's main
// modules, with the replacement that applies in the context (a go.work
// replace over a go.mod one, a version-specific one over a wildcard;
// modgraph.Graph.Replacement) to the version selected
// (modgraph.Graph.Selected; the required version where the graph has none).
func fetchedRequires(snap *workspace.Snapshot, bc buildContext) []fetchedRequire {
	g := contextGraph(snap, bc)
	var out []fetchedRequire
	for _, m := range bc.Mains {
		out = append(out, fetchedRequiresOf(snap, bc, g, m)...)
	}
	return out
}

// fetchedRequiresOf is fetchedRequires for one main module m of bc, whose
// graph is g; kept with Snapshot.Memo while perModuleInputs are equal.
// The result is shared: never modify it.
func fetchedRequiresOf(snap *workspace.Snapshot, bc buildContext, g *modgraph.Graph, m *workspace.Module) []fetchedRequire {
	return memoized(snap, "diagnostics.fetchedRequires\x00"+bc.Root+"\x00"+m.File.Path, perModuleInputsOf(snap, g, m), func() []fetchedRequire {
		out := make([]fetchedRequire, 0, len(m.Mod.Require)) // kept for every module: no doubling's slack
		for _, r := range m.Mod.Require {
			if g.IsMain(r.Mod.Path) {
				continue
			}
			mod := r.Mod
			if v, ok := g.Selected(mod.Path); ok && v != "" {
				mod.Version = v
			}
			if rep, ok := g.Replacement(mod); ok {
				if rep.Version == "" {
					continue // a directory
				}
				mod = rep
			}
			out = append(out, fetchedRequire{main: m, req: r, fetched: mod})
		}
		if len(out) == 0 {
			return nil
		}
		return out
	})
}
