package explain

import (
	"fmt"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// A Requirement is what the build of a main module does with one module it
// requires: the hover on a require line. It reads the snapshot and the
// module cache only, as every check does.
type Requirement struct {
	Path    string
	Written string // the version on the line
	// Context names the build the answer is for: "workspace <go.work>" or
	// "module <path>".
	Context string
	// Selected is the version the build uses after minimal version
	// selection ("" when no module of the graph requires Path); AtLeast
	// says the graph is incomplete (a go.mod the cache lacks), so it is
	// only a lower bound.
	Selected string
	AtLeast  bool
	// RaisedBy are the modules whose go.mod requires Selected: a main
	// module (Version "") or a dependency.
	RaisedBy []module.Version
	// Mains are, in a workspace, the version of Path each main module
	// requires ("" for none), in go.work's use order.
	Mains []MainRequire
	// Replace is the replacement of Selected in this build; nil for none.
	Replace *Replace
	// Vendored is the version vendor/modules.txt records when the build
	// uses vendor/ ("" if it lists none); Vendor says it does.
	Vendor   bool
	Vendored string
	// Latest is the latest version the module cache holds (never the
	// network); Retracted is the author's rationale when that version's
	// go.mod retracts Selected (Retracted true), Deprecated its
	// deprecation message.
	Latest     string
	Retracted  bool
	Rationale  string
	Deprecated string
	// GoLine is the go line of Selected's go.mod (its replacement's).
	GoLine string
	// Chain is a shortest chain of requirements from a main module to
	// Selected (modgraph.Graph.Chain): why the build uses that version.
	Chain []module.Version
	// Doc is the module's documentation page; "" for a module GOPRIVATE
	// matches, whose documentation is not public.
	Doc string
}

// A MainRequire is one main module's requirement in a workspace.
type MainRequire struct {
	Module  string
	Version string
}

// contextOf is the build a module's go.mod lines are read in: its
// workspace's when a go.work uses it, else its own, and that build's
// module graph.
func contextOf(snap *workspace.Snapshot, m *workspace.Module) (*buildctx.Context, *modgraph.Graph, string) {
	c := buildctx.ForDir(snap, m.Dir)
	if c == nil || len(c.Mains) == 0 {
		c = buildctx.Module(snap, m)
	}
	if c.Work != nil {
		return c, modgraph.Workspace(snap, c.Work), "workspace " + c.Work.File.Path
	}
	name := m.Dir
	if m.Mod != nil && m.Mod.Module != nil {
		name = m.Mod.Module.Mod.Path
	}
	return c, modgraph.Module(snap, m), "module " + name
}

// RequirementOf explains the require line r of the main module m.
func RequirementOf(snap *workspace.Snapshot, m *workspace.Module, r *modfile.Require) *Requirement {
	c, g, name := contextOf(snap, m)
	out := &Requirement{Path: r.Mod.Path, Written: r.Mod.Version, Context: name}
	if v, ok := g.Selected(r.Mod.Path); ok {
		out.Selected = v
		out.AtLeast = g.Incomplete() != nil
		out.RaisedBy = g.Requirers(module.Version{Path: r.Mod.Path, Version: v})
		if gm := g.GoMod(module.Version{Path: r.Mod.Path, Version: v}); gm != nil && gm.Go != nil {
			out.GoLine = gm.Go.Version
		}
	}
	if c.Work != nil {
		for _, mm := range c.Mains {
			if mm.Mod == nil || mm.Mod.Module == nil {
				continue
			}
			mr := MainRequire{Module: mm.Mod.Module.Mod.Path}
			if reqs := mm.Index().Requires(r.Mod.Path); len(reqs) > 0 {
				mr.Version = reqs[len(reqs)-1].Mod.Version
			}
			out.Mains = append(out.Mains, mr)
		}
	}
	at := module.Version{Path: r.Mod.Path, Version: out.Selected}
	if at.Version == "" {
		at.Version = r.Mod.Version
	}
	if rep, ok := c.Replacement(at); ok {
		out.Replace = replaceOf(rep)
	}
	if c.Mod.Vendor() {
		out.Vendor = true
		out.Vendored = vendoredVersions(snap, c)[r.Mod.Path]
	}
	if !c.ReplacedEntirely(r.Mod.Path) {
		if latest, gm := modgraph.Latest(snap, r.Mod.Path); gm != nil {
			out.Latest = latest
			out.Rationale, out.Retracted = modgraph.RetractedBy(gm, at.Version)
			if gm.Module != nil {
				out.Deprecated = modgraph.ShortMessage(gm.Module.Deprecated)
			}
		}
	}
	if out.Selected != "" {
		out.Chain = g.Chain(module.Version{Path: r.Mod.Path, Version: out.Selected})
	}
	out.Doc = DocURL(snap.Env, r.Mod.Path, at.Version)
	return out
}

// vendoredVersions maps each module path vendor/modules.txt of c's root
// records to its version (the last one listed); empty when the build does
// not use vendor/ or there is no modules.txt.
func vendoredVersions(snap *workspace.Snapshot, c *buildctx.Context) map[string]string {
	out := map[string]string{}
	if !c.Mod.Vendor() {
		return out
	}
	if vm := snap.VendorManifest(c.Root); vm != nil {
		for _, e := range vm.Modules {
			if e.Mod.Version != "" {
				out[e.Mod.Path] = e.Mod.Version
			}
		}
	}
	return out
}

func replaceOf(rep buildctx.Replacement) *Replace {
	r := &Replace{New: rep.Replace.New.Path, Dir: rep.Dir, File: rep.File.Path}
	if v := rep.Replace.New.Version; v != "" {
		r.New += " " + v
	}
	return r
}

// DocURL is the documentation page of path at version, or "" for a
// module GOPRIVATE matches.
func DocURL(env workspace.Env, path, version string) string {
	if buildctx.FetchOf(env, path).Private {
		return ""
	}
	u := "https://pkg.go.dev/" + path
	if version != "" {
		u += "@" + version
	}
	return u
}

// Markdown renders r for a hover.
func (r *Requirement) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** %s\n\n", escape(r.Path), escape(r.Written))
	switch {
	case r.Selected == "":
		fmt.Fprintf(&b, "- **Selected**: not in the module graph of this build (%s)\n", escape(r.Context))
	default:
		sel := escape(r.Selected)
		if r.AtLeast {
			sel = "at least " + sel + " (the module cache lacks a go.mod the graph needs)"
		} else if r.Selected != r.Written {
			sel = "**" + sel + "**, not " + escape(r.Written)
		}
		fmt.Fprintf(&b, "- **Selected**: %s, in the %s\n", sel, escape(r.Context))
		if len(r.RaisedBy) > 0 {
			fmt.Fprintf(&b, "- **Required at %s by**: %s\n", escape(r.Selected), escape(versions(r.RaisedBy)))
		}
	}
	if len(r.Mains) > 1 {
		b.WriteString("\n| workspace module | requires |\n|---|---|\n")
		for _, m := range r.Mains {
			v := m.Version
			if v == "" {
				v = "—"
			} else if v == r.Selected {
				v = "**" + v + "**"
			}
			fmt.Fprintf(&b, "| %s | %s |\n", escape(m.Module), v)
		}
		b.WriteString("\n")
	}
	if r.Replace != nil {
		fmt.Fprintf(&b, "- **Replaced by**: %s (%s)\n", escape(r.Replace.New), escape(r.Replace.File))
	}
	if r.Vendor {
		switch {
		case r.Vendored == "":
			b.WriteString("- **Vendored**: no: vendor/modules.txt does not list it (inconsistent vendoring; run go mod vendor)\n")
		case r.Vendored != r.Written:
			fmt.Fprintf(&b, "- **Vendored**: %s — inconsistent vendoring: go.mod requires %s, vendor/modules.txt has %s; run go mod vendor\n", escape(r.Vendored), escape(r.Written), escape(r.Vendored))
		default:
			fmt.Fprintf(&b, "- **Vendored**: %s\n", escape(r.Vendored))
		}
	}
	if r.Retracted {
		why := "retracted by the module author"
		if msg := modgraph.ShortMessage(r.Rationale); msg != "" {
			why += ": " + msg
		}
		fmt.Fprintf(&b, "- **Retracted**: %s (the go.mod of %s, the latest version in the module cache)\n", escape(why), escape(r.Latest))
	}
	if r.Deprecated != "" {
		fmt.Fprintf(&b, "- **Deprecated**: %s\n", escape(r.Deprecated))
	}
	if r.Latest != "" && r.Latest != r.Selected && !r.Retracted {
		fmt.Fprintf(&b, "- **Latest in the module cache**: %s\n", escape(r.Latest))
	}
	if r.GoLine != "" {
		fmt.Fprintf(&b, "- **Its go line**: go %s\n", escape(r.GoLine))
	}
	if len(r.Chain) > 2 {
		fmt.Fprintf(&b, "- **Why required**: %s\n", escape(chainText(r.Chain)))
	}
	if r.Doc != "" {
		fmt.Fprintf(&b, "\n[Documentation](%s)\n", r.Doc)
	}
	return b.String()
}

func versions(mods []module.Version) string {
	names := make([]string, len(mods))
	for i, m := range mods {
		names[i] = m.String()
		if m.Version == "" {
			names[i] += " (main module)"
		}
	}
	return strings.Join(names, ", ")
}

func chainText(chain []module.Version) string {
	names := make([]string, len(chain))
	for i, m := range chain {
		names[i] = m.String()
	}
	return strings.Join(names, " → ")
}

// A ReplaceLine is what a replace directive does in the build of the
// go.mod or go.work holding it: the hover on a replace line.
type ReplaceLine struct {
	Old     module.Version // as written; Version "" for every version
	Target  string         // the directory (absolute) or "path version"
	Context string
	// Selected is the version of Old.Path the build selects, "" for none.
	Selected string
	// Applies says the build uses this directive for Selected; when it
	// does not, Why says why and Instead names the directive that does.
	Applies bool
	Why     string
	Instead *Replace
	// TargetModule is the module path the target directory's go.mod
	// declares, "" when it has none (or the target is a module).
	TargetModule string
}

// ReplaceLineOf explains the replace directive rep of the go.mod or
// go.work file f.
func ReplaceLineOf(snap *workspace.Snapshot, f *workspace.File, rep *modfile.Replace) *ReplaceLine {
	out := &ReplaceLine{Old: rep.Old, Target: rep.New.Path}
	if rep.New.Version != "" {
		out.Target += " " + rep.New.Version
	} else {
		dir := rep.New.Path
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(filepath.Dir(f.Path), dir)
		}
		out.Target = dir
		if gm := snap.DependencyGoMod(filepath.Join(dir, "go.mod")); gm != nil && gm.Module != nil {
			out.TargetModule = gm.Module.Mod.Path
		}
	}
	var c *buildctx.Context
	var g *modgraph.Graph
	dir := filepath.Dir(f.Path)
	switch f.Kind {
	case workspace.KindGoWork:
		w := snap.Work(dir)
		if w == nil || w.Work == nil {
			return out
		}
		c, g, out.Context = buildctx.Workspace(snap, w), modgraph.Workspace(snap, w), "workspace "+f.Path
	default:
		m := snap.Module(dir)
		if m == nil || m.Mod == nil {
			return out
		}
		c, g, out.Context = contextOf(snap, m)
	}
	out.Selected, _ = g.Selected(rep.Old.Path)
	switch {
	case out.Selected == "" && g.IsMain(rep.Old.Path):
		out.Why = rep.Old.Path + " is a main module of this build, which go never replaces"
	case out.Selected == "":
		out.Why = "no module of the graph requires " + rep.Old.Path
	case rep.Old.Version != "" && rep.Old.Version != out.Selected:
		out.Why = "it replaces " + rep.Old.String() + ", but the build selects " + out.Selected
	}
	if out.Why != "" {
		return out
	}
	applied, ok := c.Replacement(module.Version{Path: rep.Old.Path, Version: out.Selected})
	switch {
	case ok && applied.Replace == rep:
		out.Applies = true
	case ok:
		out.Instead = replaceOf(applied)
		out.Why = "another replace wins"
		if applied.File.Kind == workspace.KindGoWork && f.Kind != workspace.KindGoWork {
			out.Why = "the workspace's go.work replaces it, and a go.work replace wins over every go.mod's"
		}
	default:
		out.Why = "the build does not read this file's replaces (the module is not a main module here)"
	}
	return out
}

// Markdown renders l for a hover.
func (l *ReplaceLine) Markdown() string {
	var b strings.Builder
	old := l.Old.Path
	if l.Old.Version != "" {
		old += " " + l.Old.Version
	} else {
		old += " (every version)"
	}
	fmt.Fprintf(&b, "**replace** %s → %s\n\n", escape(old), escape(l.Target))
	switch {
	case l.Applies:
		fmt.Fprintf(&b, "- **Applies**: yes, to %s@%s, in the %s\n", escape(l.Old.Path), escape(l.Selected), escape(l.Context))
	case l.Context == "":
		b.WriteString("- **Applies**: unknown: the file does not parse\n")
	default:
		fmt.Fprintf(&b, "- **Applies**: no: %s (%s)\n", escape(l.Why), escape(l.Context))
	}
	if l.Instead != nil {
		fmt.Fprintf(&b, "- **Used instead**: %s (%s)\n", escape(l.Instead.New), escape(l.Instead.File))
	}
	if l.TargetModule != "" {
		fmt.Fprintf(&b, "- **The directory's module**: %s\n", escape(l.TargetModule))
	}
	return b.String()
}

// UseLineMarkdown explains a go.work use of dir (absolute; written as
// written): the module there and its go line.
func UseLineMarkdown(snap *workspace.Snapshot, written, dir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**use** %s\n\n", escape(written))
	m := snap.Module(dir)
	switch {
	case m == nil:
		b.WriteString("- **Module**: none: the directory has no go.mod\n")
	case m.Mod == nil || m.Mod.Module == nil:
		b.WriteString("- **Module**: its go.mod does not parse\n")
	default:
		fmt.Fprintf(&b, "- **Module**: %s\n", escape(m.Mod.Module.Mod.Path))
		if m.Mod.Go != nil {
			fmt.Fprintf(&b, "- **Its go line**: go %s\n", escape(m.Mod.Go.Version))
		}
	}
	return b.String()
}

// SumLineMarkdown explains a go.sum (or go.work.sum) line for mod, whose
// Version keeps a "/go.mod" suffix for a go.mod hash: which module graphs
// of the snapshot need it.
func SumLineMarkdown(snap *workspace.Snapshot, sumPath string, mod module.Version) string {
	v, goModOnly := strings.CutSuffix(mod.Version, "/go.mod")
	at := module.Version{Path: mod.Path, Version: v}
	var b strings.Builder
	what := "the module's zip (its files)"
	if goModOnly {
		what = "its go.mod"
	}
	fmt.Fprintf(&b, "**%s** — the checksum of %s\n\n", escape(at.String()), what)
	dir := filepath.Dir(sumPath)
	seen := false
	for _, c := range buildctx.All(snap) {
		if !readsSumsOf(c, dir) {
			continue
		}
		seen = true
		var g *modgraph.Graph
		name := "module " + c.Root
		if c.Work != nil {
			g, name = modgraph.Workspace(snap, c.Work), "workspace "+c.Work.File.Path
		} else {
			g = modgraph.Module(snap, c.Mains[0])
			if mm := c.Mains[0].Mod; mm != nil && mm.Module != nil {
				name = "module " + mm.Module.Mod.Path
			}
		}
		sel, inGraph := g.Selected(at.Path)
		_, read := g.RequiredBy(at)
		switch {
		case sel == at.Version:
			fmt.Fprintf(&b, "- **%s**: selects %s\n", escape(name), escape(at.String()))
		case read && goModOnly:
			fmt.Fprintf(&b, "- **%s**: reads this go.mod while selecting versions (selects %s)\n", escape(name), escape(sel))
		case inGraph:
			fmt.Fprintf(&b, "- **%s**: selects %s, not this version\n", escape(name), escape(sel))
		default:
			fmt.Fprintf(&b, "- **%s**: not in its module graph\n", escape(name))
		}
	}
	if !seen {
		b.WriteString("- No build of the workspace folders reads this file.\n")
	}
	return b.String()
}

// readsSumsOf reports whether the build c checks sums against the go.sum
// in dir: a main module's, or the go.work.sum beside its go.work.
func readsSumsOf(c *buildctx.Context, dir string) bool {
	if c.Work != nil && c.Work.Dir == dir {
		return true
	}
	for _, m := range c.Mains {
		if m.Dir == dir {
			return true
		}
	}
	return false
}
