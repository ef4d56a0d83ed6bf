package diagnostics

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/gomodls/gomodls/buildctx"
	"github.com/gomodls/gomodls/internal/gocommand"
	"github.com/gomodls/gomodls/workspace"
)

// Codes of the vendor checks: whether the go command uses vendor/
// (cmd/go/internal/modload/init.go: setDefaultBuildMod) and what it requires
// of vendor/modules.txt there (modload/vendor.go: checkVendorConsistency).
const (
	CodeVendorIgnored                = "vendor-ignored"
	CodeVendorRequireNotExplicit     = "vendor-require-not-explicit"
	CodeVendorExplicitNotRequired    = "vendor-explicit-not-required"
	CodeVendorReplacementMissing     = "vendor-replacement-missing"
	CodeVendorReplacementMismatch    = "vendor-replacement-mismatch"
	CodeVendorReplacedNotReplaced    = "vendor-replaced-not-replaced"
	CodeVendorForcedWithoutVendorDir = "vendor-forced-without-vendor-dir"
	CodeVendorModuleNotRequired      = "vendor-module-not-required"
	CodeVendorGoAnnotation           = "vendor-go-annotation"
)

// vendorCheck predicts "inconsistent vendoring" and its relatives from the
// files: it decides for every build context (each go.work in effect, each
// module outside a workspace) whether the go command uses the vendor
// directory, as cmd/go's setDefaultBuildMod does, and if so compares the
// main modules' requirements and replacements with vendor/modules.txt as
// checkVendorConsistency does. Each inconsistency is reported on the go.mod
// or go.work line that holds it and on the modules.txt line it disagrees
// with, linked to each other.
var vendorCheck = Check{
	Name: "vendor",
	Codes: []string{
		CodeVendorIgnored, CodeVendorRequireNotExplicit, CodeVendorExplicitNotRequired,
		CodeVendorReplacementMissing, CodeVendorReplacementMismatch, CodeVendorReplacedNotReplaced,
		CodeVendorForcedWithoutVendorDir, CodeVendorModuleNotRequired, CodeVendorGoAnnotation,
		CodeVendorPackageMissingOnDisk, CodeVendorPackageNotInModulesTxt,
	},
	Run:        func(snap *workspace.Snapshot) []Diagnostic { return vendors(context.Background(), snap, nil) },
	RunFocused: vendors,
}

// vendors is the check on the files of focus (every file when focus is nil).
func vendors(ctx context.Context, snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	for _, bc := range buildContexts(snap) {
		diags = append(diags, bc.vendorDiagnostics(snap, focus)...)
	}
	return diags
}

// A buildContext is one of the go command's ways of loading modules, as
// buildctx decides them, with the fixes the checks offer for it.
type buildContext struct{ *buildctx.Context }

// buildContexts lists the contexts of snap (buildctx.All).
func buildContexts(snap *workspace.Snapshot) []buildContext {
	var out []buildContext
	for _, c := range buildctx.All(snap) {
		out = append(out, buildContext{c})
	}
	return out
}

// vendorFix runs go mod vendor (go work vendor) for the context. -v makes go
// print each module it vendors, which the server streams as progress.
func (bc buildContext) vendorFix() []Fix {
	title := "Run go " + bc.Subcommand() + " vendor"
	return []Fix{{Title: title, Kind: KindQuickFix, Command: &Command{Name: CommandVendor, Title: title, Dir: bc.Root, Args: []string{"-v"}}}}
}

// goflagsMod returns the value of a -mod flag in GOFLAGS, or "".
func goflagsMod(env workspace.Env) string { return buildctx.FlagsOf(env).Mod }

// goLess compares go versions as written in go.mod ("1.21", "1.21.3",
// "1.21rc1").
func goLess(a, b string) bool { return buildctx.GoLess(a, b) }

func (bc buildContext) vendorDiagnostics(snap *workspace.Snapshot, focus *Focus) []Diagnostic {
	var diags []Diagnostic
	// A module-level vendor directory inside a workspace is never used in
	// workspace mode; go work vendor writes one next to go.work.
	if bc.Work != nil {
		for m := range mainDirsInFocus(bc, focus) {
			if m.Dir != bc.Root && snap.HasVendorDir(m.Dir) {
				diags = append(diags, vendorIgnored(snap, m.Dir, m.File, moduleGoSpan(m),
					fmt.Sprintf("vendor directory of %s is not used in workspace mode (%s applies); go work vendor vendors the whole workspace in %s",
						m.Mod.Module.Mod.Path, shortPath(m.Dir, bc.Work.File.Path), shortPath(m.Dir, filepath.Join(bc.Root, "vendor"))))...)
			}
		}
	}
	if bc.Mod.VendorIgnored != "" {
		_, f, sp := bc.GoVersion()
		return append(diags, vendorIgnored(snap, bc.Root, f, sp, "vendor directory is not used: "+bc.Mod.VendorIgnored)...)
	}
	if !bc.Mod.Vendor() {
		return diags
	}
	if !snap.HasVendorDir(bc.Root) {
		return append(diags, bc.forcedWithoutVendorDir(snap)...)
	}
	if vm := snap.VendorManifest(bc.Root); vm != nil && vm.File.Skipped != nil {
		return diags // modules.txt was not read (file-skipped): nothing to compare
	}
	// The stages run in the go command's order, and like go, a stage that
	// finds a problem ends the check: go mod vendor fixes every later one
	// too, and the vendored-package stage, which reads the vendor tree and
	// the main modules' imports from disk, is not paid for when go would
	// never get that far.
	c := newVendorComparison(snap, bc)
	for _, stage := range []func(){
		c.goAnnotations, // readVendorList
		func() { c.requires(); c.replaces(); c.explicitNotRequired(); c.replacedNotReplaced() }, // checkVendorConsistency
		c.moduleNotRequired,  // initVendor
		c.packages,           // importFromModules
		c.missingAnnotations, // the compiler's -lang for vendored packages
	} {
		if stage(); len(c.diags) > 0 {
			break
		}
	}
	return append(diags, c.diags...)
}

// vendorIgnored reports an unused vendor directory on line 1 of its
// modules.txt (if any) and on the line that decided it.
func vendorIgnored(snap *workspace.Snapshot, root string, f *workspace.File, sp workspace.Span, msg string) []Diagnostic {
	diags := []Diagnostic{{Code: CodeVendorIgnored, Severity: SeverityInformation, File: f, Span: sp, Message: msg}}
	if vm := snap.VendorManifest(root); vm != nil {
		d := Diagnostic{Code: CodeVendorIgnored, Severity: SeverityInformation, File: vm.File, Span: vm.File.LineSpan(1), Message: msg,
			Related: []Related{{File: f, Span: sp, Message: "this decides it"}}}
		diags[0].Related = []Related{{File: vm.File, Span: d.Span, Message: "the unused vendor/modules.txt"}}
		diags = append(diags, d)
	}
	return diags
}

// forcedWithoutVendorDir: GOFLAGS=-mod=vendor with no vendor directory. The
// go command then reports every requirement as not vendored, and every
// replacement as not marked as replaced (go ≥ 1.14 or workspace mode); with
// neither, or before 1.14, it does not fail on consistency (imports then fail
// instead), so there is nothing to say here.
//
// Each go.mod with something to report gets one diagnostic on its module
// line; go.work replacements that no go.mod repeats get one on go.work's go
// line.
func (bc buildContext) forcedWithoutVendorDir(snap *workspace.Snapshot) []Diagnostic {
	goVers, _, _ := bc.GoVersion()
	if bc.Work == nil && (goVers == "" || goLess(goVers, "1.14")) {
		return nil
	}
	// A replace counts as checkVendorConsistency's checkReplace counts it:
	// once per old module version, and only if it applies (not for a main
	// module's own path). A go.mod with replaces and no requirements fails
	// too: "is replaced in go.mod, but not marked as replaced in
	// vendor/modules.txt".
	c := newVendorComparison(snap, bc)
	seen := make(map[module.Version]bool)
	applying := func(reps []*modfile.Replace) int {
		n := 0
		for _, r := range reps {
			if seen[r.Old] {
				continue
			}
			seen[r.Old] = true
			if _, ok := c.replacementFor(r.Old); ok {
				n++
			}
		}
		return n
	}
	report := func(f *workspace.File, sp workspace.Span, dir string, requires, replaces int) Diagnostic {
		var what []string
		if requires > 0 {
			what = append(what, countNoun(requires, "requirement"))
		}
		if replaces > 0 {
			what = append(what, countNoun(replaces, "replacement"))
		}
		// The vendor directory go looks for is bc.Root's, named relative to
		// the file reported on.
		return Diagnostic{
			Code: CodeVendorForcedWithoutVendorDir, Severity: SeverityError, File: f, Span: sp,
			Message: fmt.Sprintf("GOFLAGS=%s (%s), but there is no %s directory: go reports its %s as not vendored (\"inconsistent vendoring\"); run go %s vendor, or drop -mod=vendor from GOFLAGS: %s",
				snap.Env.GOFLAGS, snap.Env.Origin("GOFLAGS"), shortPath(dir, filepath.Join(bc.Root, "vendor")), strings.Join(what, " and "), bc.Subcommand(),
				goflagsCommand(snap.Env, gocommand.WithoutModFlag(snap.Env.GOFLAGS))),
			Fixes: bc.vendorFix(),
		}
	}
	var diags []Diagnostic
	for _, m := range bc.Mains {
		requires, replaces := len(m.Mod.Require), applying(m.Mod.Replace)
		if requires+replaces == 0 {
			continue
		}
		sp := m.File.LineSpan(1)
		if m.Mod.Module != nil {
			sp = lineSpan(m.Mod.Module.Syntax)
		}
		diags = append(diags, report(m.File, sp, m.Dir, requires, replaces))
	}
	if bc.Work != nil {
		if replaces := applying(bc.Work.Work.Replace); replaces > 0 {
			_, f, sp := bc.GoVersion()
			diags = append(diags, report(f, sp, bc.Root, 0, replaces))
		}
	}
	return diags
}

// countNoun is "1 noun" or "n nouns".
func countNoun(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// vendorMeta is what modules.txt says of one module version, unioned over
// its lines as readVendorList does, plus where it says it.
type vendorMeta struct {
	explicit    bool
	replacement module.Version
	goVersion   string
	hasPackages bool
	entry       *workspace.VendorModule // the first section for it
}

// vendorComparison holds modules.txt read as cmd/go's readVendorList reads
// it, and collects diagnostics for one build context.
type vendorComparison struct {
	snap *workspace.Snapshot
	bc   buildContext
	vm   *workspace.VendorManifest // nil when vendor/ has no modules.txt
	pre  bool                      // pre-1.14 relaxed rules
	meta map[module.Version]*vendorMeta
	list []module.Version  // vendorList: modules with packages
	vers map[string]string // vendorVersion: path -> version with packages
	repl []module.Version  // vendorReplaced, in file order
	// required holds every module version a main module requires.
	required map[module.Version]bool
	// firstOfPath: modules.txt's first section of each path (entryFor),
	// built on first use.
	firstOfPath map[string]*workspace.VendorModule
	// drifted holds the modules.txt versions that requires reported as a
	// drift, with the require that moved on from them: explicitNotRequired
	// leaves them out, so that one bump is one diagnostic, not two.
	drifted map[module.Version]bool
	diags   []Diagnostic
}

func newVendorComparison(snap *workspace.Snapshot, bc buildContext) *vendorComparison {
	c := &vendorComparison{
		snap:     snap,
		bc:       bc,
		vm:       snap.VendorManifest(bc.Root),
		meta:     make(map[module.Version]*vendorMeta),
		vers:     make(map[string]string),
		required: make(map[module.Version]bool),
		drifted:  make(map[module.Version]bool),
	}
	for _, m := range bc.Mains {
		for _, r := range m.Mod.Require {
			c.required[r.Mod] = true
		}
	}
	if goVers, _, _ := bc.GoVersion(); bc.Work == nil && (goVers == "" || goLess(goVers, "1.14")) {
		c.pre = true
	}
	if c.vm == nil {
		return c
	}
	for _, e := range c.vm.Modules {
		m := c.meta[e.Mod]
		if m == nil {
			m = &vendorMeta{entry: e}
			c.meta[e.Mod] = m
		}
		m.explicit = m.explicit || e.Explicit
		if e.GoVersion != "" {
			m.goVersion = e.GoVersion
		}
		if e.Replacement != (module.Version{}) {
			m.replacement = e.Replacement
			c.repl = append(c.repl, e.Mod)
		}
		if len(e.Packages) > 0 {
			m.hasPackages = true
			if v, ok := c.vers[e.Mod.Path]; !ok || semverLess(v, e.Mod.Version) {
				c.list = append(c.list, e.Mod)
				c.vers[e.Mod.Path] = e.Mod.Version
			}
		}
	}
	return c
}

// entryFor returns the modules.txt section that best explains a problem with
// path: the one for mod itself, else the one with packages for path, else
// any one for path.
func (c *vendorComparison) entryFor(mod module.Version) *workspace.VendorModule {
	if m := c.meta[mod]; m != nil {
		return m.entry
	}
	if v, ok := c.vers[mod.Path]; ok {
		return c.meta[module.Version{Path: mod.Path, Version: v}].entry
	}
	if c.vm == nil {
		return nil
	}
	// A map, not a scan of modules.txt per require it lacks at that version.
	if c.firstOfPath == nil {
		c.firstOfPath = make(map[string]*workspace.VendorModule, len(c.vm.Modules))
		for _, e := range c.vm.Modules {
			if c.firstOfPath[e.Mod.Path] == nil {
				c.firstOfPath[e.Mod.Path] = e
			}
		}
	}
	return c.firstOfPath[mod.Path]
}

// report adds one inconsistency at the go.mod/go.work line (f, sp) and, if
// there is one, at the modules.txt section e, each pointing at the other.
// Either place may be missing. The message starts "inconsistent
// vendoring: ", the words go prints above its details, which are what
// people search for.
func (c *vendorComparison) report(code string, f *workspace.File, sp workspace.Span, e *workspace.VendorModule, msg, hereMsg, thereMsg string) {
	c.pair(code, f, sp, e, inconsistentVendoring+msg, hereMsg, thereMsg)
}

// pair is report without the "inconsistent vendoring" start, for the
// differences go words otherwise.
func (c *vendorComparison) pair(code string, f *workspace.File, sp workspace.Span, e *workspace.VendorModule, msg, hereMsg, thereMsg string) {
	var primary *Diagnostic
	if f != nil {
		c.diags = append(c.diags, Diagnostic{Code: code, Severity: SeverityError, File: f, Span: sp, Message: msg, Fixes: c.bc.vendorFix()})
		primary = &c.diags[len(c.diags)-1]
	}
	if e != nil && c.vm != nil {
		d := Diagnostic{Code: code, Severity: SeverityError, File: c.vm.File, Span: e.Span, Message: msg, Fixes: c.bc.vendorFix()}
		if primary != nil {
			primary.Related = []Related{{File: c.vm.File, Span: e.Span, Message: thereMsg}}
			d.Related = []Related{{File: f, Span: sp, Message: hereMsg}}
		}
		c.diags = append(c.diags, d)
	}
}

// inconsistentVendoring starts the message of every difference between
// go.mod (or go.work) and vendor/modules.txt that go reports under "go:
// inconsistent vendoring in DIR:".
const inconsistentVendoring = "inconsistent vendoring: "

// detail formats an inconsistency as the go command prints it.
func detail(mod module.Version, format string, args ...any) string {
	return describe(mod) + ": " + fmt.Sprintf(format, args...)
}

func describe(m module.Version) string {
	if m.Version == "" {
		return m.Path
	}
	return m.Path + "@" + m.Version
}

// requires: every require of a main module must be "## explicit" at the same
// version in modules.txt (before 1.14: must not contradict the version that
// packages were vendored from).
func (c *vendorComparison) requires() {
	for _, m := range c.bc.Mains {
		for _, r := range m.Mod.Require {
			if mm := c.meta[r.Mod]; mm != nil && mm.explicit {
				continue
			}
			e := c.entryFor(r.Mod)
			sp := lineSpan(r.Syntax)
			gomod := shortPath(c.bc.Root, m.File.Path)
			if c.pre {
				vv, ok := c.vers[r.Mod.Path]
				if !ok || vv == r.Mod.Version {
					continue
				}
				msg := detail(r.Mod, "is explicitly required in go.mod, but vendor/modules.txt indicates %s@%s", r.Mod.Path, vv)
				c.report(CodeVendorRequireNotExplicit, m.File, sp, e, msg,
					fmt.Sprintf("%s requires %s", gomod, r.Mod.Version), "vendor/modules.txt has "+vv)
				continue
			}
			if c.drift(m, r, e) {
				continue
			}
			var has string
			switch {
			case e == nil:
				has = fmt.Sprintf("vendor/modules.txt does not list %s", r.Mod.Path)
			case e.Mod.Version == r.Mod.Version:
				has = "vendor/modules.txt lists it without \"## explicit\""
			case e.Mod.Version == "":
				has = fmt.Sprintf("vendor/modules.txt only has a replacement for %s", r.Mod.Path)
			default:
				has = "vendor/modules.txt has " + e.Mod.Version
			}
			msg := detail(r.Mod, "is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt") + " (" + has + ")"
			there := ""
			if e != nil {
				there = "vendor/modules.txt has " + cmp.Or(e.Mod.Version, "a replacement of it")
			}
			c.report(CodeVendorRequireNotExplicit, m.File, sp, e, msg, fmt.Sprintf("%s requires %s", gomod, r.Mod.Version), there)
		}
	}
}

// drift reports the commonest vendoring problem, a require bumped (or
// lowered) without re-vendoring, as the one diagnostic it is: go.mod
// requires r at one version, modules.txt marks another version of the same
// path explicit and vendors packages of it, which nothing requires. go
// prints two details for it (this require is not explicit there, that
// version is not required here); the message leads with what happened and
// keeps both, in go's words and tab-indented as go prints them, on the
// lines after. It returns false, and
// reports nothing, for any other state of e.
func (c *vendorComparison) drift(m *workspace.Module, r *modfile.Require, e *workspace.VendorModule) bool {
	if e == nil || e.Mod.Version == "" || e.Mod.Version == r.Mod.Version {
		return false
	}
	if mm := c.meta[e.Mod]; mm == nil || !mm.explicit || !mm.hasPackages || c.required[e.Mod] {
		return false
	}
	gomod := shortPath(c.bc.Root, m.File.Path)
	msg := fmt.Sprintf("%s requires %s, vendor/modules.txt has %s\n\t%s\n\t%s", gomod, r.Mod.Version, e.Mod.Version,
		detail(r.Mod, "is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt"),
		detail(e.Mod, "is marked as explicit in vendor/modules.txt, but not explicitly required in %sgo.mod", c.aGoMod()))
	c.report(CodeVendorRequireNotExplicit, m.File, lineSpan(r.Syntax), e, msg,
		fmt.Sprintf("%s requires %s", gomod, r.Mod.Version), "vendor/modules.txt has "+e.Mod.Version)
	c.drifted[e.Mod] = true
	return true
}

// aGoMod is the article go puts before "go.mod" in its details: "in a
// go.mod" in workspace mode, where there are several.
func (c *vendorComparison) aGoMod() string {
	if c.bc.Work != nil {
		return "a "
	}
	return ""
}

// replacementFor returns the replacement the go command applies to mod in
// the context (buildctx's one rule, after replacementFrom).
func (c *vendorComparison) replacementFor(mod module.Version) (buildctx.Replacement, bool) {
	return c.bc.Replacement(mod)
}

// canonical re-expresses a directory replacement relative to the go.work
// directory in workspace mode, as canonicalizeReplacePath does, since that is
// how go work vendor writes it.
func (c *vendorComparison) canonical(s buildctx.Replacement) module.Version {
	r := s.Replace.New
	if filepath.IsAbs(r.Path) || r.Version != "" || c.bc.Work == nil || s.File == c.bc.Work.File {
		return r
	}
	abs := s.Dir
	if rel, err := filepath.Rel(c.bc.Root, abs); err == nil {
		return module.Version{Path: toDirectoryPath(rel)}
	}
	return module.Version{Path: toDirectoryPath(abs)}
}

// toDirectoryPath is cmd/go's ToDirectoryPath.
func toDirectoryPath(path string) string {
	if modfile.IsDirectoryPath(path) {
		return path
	}
	return "./" + filepath.ToSlash(filepath.Clean(path))
}

// replaces: every replace of a main module and of go.work must be recorded,
// identically, in modules.txt.
func (c *vendorComparison) replaces() {
	seen := make(map[module.Version]bool)
	check := func(reps []*modfile.Replace) {
		for _, r := range reps {
			if seen[r.Old] {
				continue
			}
			seen[r.Old] = true
			site, ok := c.replacementFor(r.Old)
			var vr module.Version
			if mm := c.meta[r.Old]; mm != nil {
				vr = mm.replacement
			}
			e := c.entryFor(r.Old)
			if mm := c.meta[r.Old]; mm != nil {
				e = mm.entry
			}
			switch {
			case !ok:
				// Not actually replaced: a main module's own path.
			case vr == (module.Version{}):
				if c.pre && (r.Old.Version == "" || c.vers[r.Old.Path] != r.Old.Version) {
					continue // pre-1.14 modules.txt omitted these
				}
				src := shortPath(c.bc.Root, site.File.Path)
				msg := detail(r.Old, "is replaced in %s, but not marked as replaced in vendor/modules.txt", src)
				c.report(CodeVendorReplacementMissing, site.File, lineSpan(site.Replace.Syntax), e, msg,
					fmt.Sprintf("%s replaces it by %s", src, describe(site.Replace.New)), "vendor/modules.txt records no replacement here")
			case vr != c.canonical(site):
				src := shortPath(c.bc.Root, site.File.Path)
				msg := detail(r.Old, "is replaced by %s in %s, but marked as replaced by %s in vendor/modules.txt", describe(site.Replace.New), src, describe(vr))
				c.report(CodeVendorReplacementMismatch, site.File, lineSpan(site.Replace.Syntax), e, msg,
					fmt.Sprintf("%s replaces it by %s", src, describe(site.Replace.New)), "vendor/modules.txt has "+describe(vr))
			}
		}
	}
	for _, m := range c.bc.Mains {
		check(m.Mod.Replace)
	}
	if c.bc.Work != nil {
		check(c.bc.Work.Work.Replace)
	}
}

// explicitNotRequired: a module marked "## explicit" that provides packages
// must be required, at that version, by a main module.
func (c *vendorComparison) explicitNotRequired() {
	for _, mod := range c.list {
		if !c.meta[mod].explicit {
			continue
		}
		if c.required[mod] || c.drifted[mod] {
			continue
		}
		msg := detail(mod, "is marked as explicit in vendor/modules.txt, but not explicitly required in %sgo.mod", c.aGoMod())
		// The go.mod side is the require of the same path at another version,
		// if there is one: that is the line the user changed.
		f, sp, other := c.requireOfPath(mod.Path)
		here := ""
		if f != nil {
			msg += fmt.Sprintf(" (%s requires %s)", shortPath(c.bc.Root, f.Path), other)
			here = fmt.Sprintf("%s requires %s", shortPath(c.bc.Root, f.Path), other)
		}
		c.report(CodeVendorExplicitNotRequired, f, sp, c.meta[mod].entry, msg, here, "vendor/modules.txt has "+mod.Version)
	}
}

// requireOfPath finds the first main module require of path, at any version
// (from the go.mod's index: it is asked per vendored module).
func (c *vendorComparison) requireOfPath(path string) (*workspace.File, workspace.Span, string) {
	for _, m := range c.bc.Mains {
		if rs := m.Index().Requires(path); len(rs) > 0 {
			return m.File, lineSpan(rs[0].Syntax), rs[0].Mod.Version
		}
	}
	return nil, workspace.Span{}, ""
}

// replacedNotReplaced: a replacement recorded in modules.txt must still be
// made by go.mod (or the workspace).
func (c *vendorComparison) replacedNotReplaced() {
	where := "go.mod"
	if c.bc.Work != nil {
		where = "the workspace"
	}
	seen := make(map[module.Version]bool)
	for _, mod := range c.repl {
		if seen[mod] {
			continue
		}
		seen[mod] = true
		if _, ok := c.replacementFor(mod); ok {
			continue
		}
		msg := detail(mod, "is marked as replaced in vendor/modules.txt, but not replaced in %s", where)
		c.report(CodeVendorReplacedNotReplaced, nil, workspace.Span{}, c.meta[mod].entry, msg, "", "")
	}
}

// moduleNotRequired: in a single module at go ≥ 1.17 (a pruned graph),
// every module that provides vendored packages must be required at exactly
// that version (cmd/go's initVendor). Explicit entries are already covered
// by explicitNotRequired.
func (c *vendorComparison) moduleNotRequired() {
	goVers, _, _ := c.bc.GoVersion()
	if c.bc.Work != nil || goVers == "" || goLess(goVers, "1.17") {
		return
	}
	m := c.bc.Mains[0]
	selected := make(map[string]string)
	for _, r := range m.Mod.Require {
		if v, ok := selected[r.Mod.Path]; !ok || semverLess(v, r.Mod.Version) {
			selected[r.Mod.Path] = r.Mod.Version
		}
	}
	for _, mod := range c.list {
		if c.meta[mod].explicit || selected[mod.Path] == mod.Version {
			continue
		}
		msg := fmt.Sprintf("vendored module %s should be required explicitly in go.mod; go then fails with \"updates to go.mod needed\" (run go mod tidy and go mod vendor)", describe(mod))
		f, sp, other := c.requireOfPath(mod.Path)
		here := ""
		if f != nil {
			here = "go.mod requires " + other
		} else if m.Mod.Module != nil {
			// Nothing in go.mod to point at but the module itself; reported
			// through c.pair like the rest, so the two link to each other.
			f, sp = m.File, lineSpan(m.Mod.Module.Syntax)
			here = "go.mod does not require " + mod.Path
		}
		c.pair(CodeVendorModuleNotRequired, f, sp, c.meta[mod].entry, msg, here, "vendor/modules.txt has "+mod.Version)
	}
}

// goAnnotations: a "## go X" annotation newer than the running go is fatal
// when modules.txt is read.
func (c *vendorComparison) goAnnotations() {
	local := strings.TrimPrefix(c.snap.Env.GOVERSION, "go")
	if c.vm == nil || local == "" {
		return
	}
	for _, e := range c.vm.Modules {
		if e.GoVersion == "" || !goLess(local, e.GoVersion) {
			continue
		}
		sp := e.Span
		if e.AnnotationLine > 0 {
			sp = c.vm.File.LineSpan(e.AnnotationLine)
		}
		c.diags = append(c.diags, Diagnostic{
			Code: CodeVendorGoAnnotation, Severity: SeverityError, File: c.vm.File, Span: sp,
			Message: fmt.Sprintf("%s in vendor/modules.txt requires go >= %s (running go %s%s)", e.Mod.Path, e.GoVersion, local, toolchainExplain(c.snap.Env)),
			Fixes:   c.bc.vendorFix(),
		})
	}
}

// semverLess orders module versions (never "go" or "toolchain" here, which
// is what gover.ModCompare adds to semver).
func semverLess(a, b string) bool { return semver.Compare(a, b) < 0 }

// toolchainExplain is the parenthesised GOTOOLCHAIN note of the go
// command's TooNewError, for a message worded like go's.
func toolchainExplain(env workspace.Env) string {
	if t := env.GOTOOLCHAIN; t != "" && t != "auto" {
		return "; GOTOOLCHAIN=" + t
	}
	return ""
}

// missingAnnotations warns about module lines without "## go X" when the
// main go line is 1.17 or later and the module's own go.mod (from the module
// cache, or the replacement directory) has a go line: go mod vendor would
// have written it, and without it go compiles the vendored packages as Go
// 1.16 (-lang=go1.16), so newer language features fail to compile there.
// Modules whose go.mod has no go line, or is not in the cache, get no
// annotation from go mod vendor either: nothing is said about them.
func (c *vendorComparison) missingAnnotations() {
	goVers, _, _ := c.bc.GoVersion()
	if c.vm == nil || goVers == "" || goLess(goVers, "1.17") {
		return
	}
	for _, e := range c.vm.Modules {
		mm := c.meta[e.Mod]
		if e.Mod.Version == "" || mm.entry != e || mm.goVersion != "" || !(mm.explicit || mm.hasPackages) {
			continue
		}
		gomod := c.snap.ModuleCacheGoMod(e.Mod)
		switch r := mm.replacement; {
		case r.Path != "" && r.Version == "":
			// modules.txt writes directories relative to the vendor root.
			gomod = filepath.Join(buildctx.ReplaceTarget(c.bc.Root, r).Path, "go.mod")
		case r.Path != "":
			gomod = c.snap.ModuleCacheGoMod(r)
		}
		if gomod == "" {
			continue
		}
		v, found := c.snap.DependencyGoVersion(gomod)
		if !found || v == "" {
			continue
		}
		c.diags = append(c.diags, Diagnostic{
			Code: CodeVendorGoAnnotation, Severity: SeverityWarning, File: c.vm.File, Span: e.Span, Fixes: c.bc.vendorFix(),
			Message: fmt.Sprintf("%s has no \"go\" annotation in vendor/modules.txt, though its go.mod says go %s: go compiles its vendored packages as Go 1.16 (-lang=go1.16), so newer language features there fail to compile; run go %s vendor",
				e.Mod.Path, v, c.bc.Subcommand()),
		})
	}
}

// lineSpan is the span of a modfile line.
func lineSpan(l *modfile.Line) workspace.Span {
	return workspace.Span{Start: l.Start.Byte, End: l.End.Byte}
}

// moduleGoSpan is the module's go line, else its module line, else line 1.
func moduleGoSpan(m *workspace.Module) workspace.Span {
	switch {
	case m.Mod.Go != nil:
		return lineSpan(m.Mod.Go.Syntax)
	case m.Mod.Module != nil:
		return lineSpan(m.Mod.Module.Syntax)
	}
	return m.File.LineSpan(1)
}

// shortPath is path relative to root, slash-separated, as the go command
// prints file names relative to its working directory.
func shortPath(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil {
		return filepath.ToSlash(rel)
	}
	return path
}
