// Package workspacegen writes synthetic Go workspaces, with a fake populated
// module cache to go with them, for benchmarks: the shape of a large
// monorepo (issue 11), generated deterministically from a Config so that two
// runs with the same Config write the same bytes.
//
// # Shape
//
// Under Layout.Root, a go.work at go 1.22 uses N modules, m0000 … m<N-1>
// (module paths example.com/m0000 …). Module m_i requires about R modules of
// a pool of dependencies (example.org/Lib0000 …, upper case so that the
// cache paths exercise module.EscapePath: example.org/!lib0000), and its
// neighbour m_{i+1} at v0.0.0-00010101000000-000000000000, which it replaces
// by the local directory ../m_{i+1}, as `go mod edit -replace` writes it.
// Each has a go.sum holding the go.mod hash of every module version its
// requirements reach and the zip hash of each direct requirement, each
// equal to what the module cache holds.
//
// The dependency pool is a DAG in three tiers: a dependency of tier 2
// requires two of tier 1, tier 1 two of tier 0, tier 0 nothing. Each has
// three versions (v1.0.0, v1.1.0, v1.2.0; Config.Versions) whose
// requirements differ, every go.mod at go 1.21 or 1.22 (so graphs are
// pruned), and the modules require them at mixed versions, so that minimal
// version selection has work.
//
// With Vendored = M > 0, m0000 is instead a vendored module: it requires M
// dependencies at their highest version (so no other requirement raises
// them) and imports one package of each from main.go; vendor/ holds that
// package's Go file, and vendor/modules.txt is what `go mod vendor` writes
// for it built alone (GOWORK=off, cmd/go/internal/modcmd/vendor.go:
// RunVendor). In the workspace the go command ignores a module's own vendor
// directory, which gomodls reports as vendor-ignored (information).
//
// # Module cache
//
// Layout.ModCache is a GOMODCACHE holding, for every dependency version,
// what the go command leaves in cache/download after `go mod download`
// (cmd/go/internal/modfetch: cache.go), minus the zip:
//
//	cache/download/<escaped path>/@v/list
//	cache/download/<escaped path>/@v/<escaped version>.mod
//	cache/download/<escaped path>/@v/<escaped version>.info
//	cache/download/<escaped path>/@v/<escaped version>.ziphash
//
// The .ziphash is the h1 hash (golang.org/x/mod/sumdb/dirhash.Hash1) of the
// zip the module would have: its go.mod and one Go file. The module
// directories are not extracted, so checks that read dependencies' packages
// stay silent, as they do for modules never built.
package workspacegen

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/sumdb/dirhash"
)

// Config says what to generate.
type Config struct {
	// Modules is the number of modules the go.work uses (N).
	Modules int
	// Requires is the number of dependencies each module requires (R), at
	// most Deps.
	Requires int
	// Vendored, if above zero, makes the first module a vendored module
	// whose vendor/modules.txt lists that many dependencies (M).
	Vendored int
	// Seed chooses the requirements; the same Config writes the same bytes.
	Seed int
	// Deps is the size of the dependency pool in the module cache; zero
	// means max(Vendored, 10×Requires, 50).
	Deps int
	// Versions is the number of versions of each dependency (v1.0.0,
	// v1.1.0, …); zero means len(Versions), three. Fewer versions write
	// fewer files, for a benchmark that does not need MVS to choose.
	Versions int
}

// Layout says where Write put things.
type Layout struct {
	// Root is the directory holding go.work.
	Root string
	// GoWork is Root's go.work.
	GoWork string
	// ModCache is the module cache, for GOMODCACHE.
	ModCache string
	// Modules are the module directories, sorted.
	Modules []string
	// Vendored is the vendored module's directory ("" without Vendored).
	Vendored string
	// Deps are the dependency pool's module paths, sorted; each is cached
	// at every version of Versions.
	Deps []string
	// Versions are the versions of every dependency, sorted.
	Versions []string
}

// Versions are the versions of every dependency in the module cache when
// Config.Versions is zero.
var Versions = []string{"v1.0.0", "v1.1.0", "v1.2.0"}

// LocalVersion is the version a module requires its neighbour at, the
// placeholder `go mod edit -replace` writes for a directory replacement.
const LocalVersion = "v0.0.0-00010101000000-000000000000"

// goLine is the go line of every generated workspace file and main module.
const goLine = "1.22"

// ModulePath is the module path of the i-th workspace module.
func ModulePath(i int) string { return fmt.Sprintf("example.com/m%04d", i) }

// ModuleDir is the i-th workspace module's directory name under Root.
func ModuleDir(i int) string { return fmt.Sprintf("m%04d", i) }

// DepPath is the module path of the i-th dependency of the pool.
func DepPath(i int) string { return fmt.Sprintf("example.org/Lib%04d", i) }

// tiers is the depth of the dependency DAG.
const tiers = 3

// depTier is the tier of dependency i: tier t requires only tier t-1.
func depTier(i int) int { return i % tiers }

// Write generates the workspace c describes into dir (created if needed;
// it should be empty): the workspace in dir/ws, the module cache in
// dir/modcache.
func Write(dir string, c Config) (Layout, error) {
	if c.Modules < 1 {
		return Layout{}, fmt.Errorf("workspacegen: Modules = %d, want at least 1", c.Modules)
	}
	if c.Requires < 0 || c.Vendored < 0 || c.Deps < 0 || c.Versions < 0 {
		return Layout{}, fmt.Errorf("workspacegen: negative size in %+v", c)
	}
	if c.Deps == 0 {
		c.Deps = max(c.Vendored, 10*c.Requires, 50)
	}
	if c.Requires > c.Deps || c.Vendored > c.Deps {
		return Layout{}, fmt.Errorf("workspacegen: Requires (%d) and Vendored (%d) must be at most Deps (%d)", c.Requires, c.Vendored, c.Deps)
	}
	g := &generator{
		c:   c,
		rng: rand.New(rand.NewSource(int64(c.Seed))),
		l: Layout{
			Root:     filepath.Join(dir, "ws"),
			ModCache: filepath.Join(dir, "modcache"),
		},
		dirs: map[string]bool{},
	}
	g.l.GoWork = filepath.Join(g.l.Root, "go.work")
	g.l.Versions = slices.Clone(Versions)
	if c.Versions > 0 {
		g.l.Versions = nil
		for v := range c.Versions {
			g.l.Versions = append(g.l.Versions, fmt.Sprintf("v1.%d.0", v))
		}
	}
	g.deps()
	g.workspace()
	if g.err != nil {
		return Layout{}, g.err
	}
	return g.l, nil
}

type generator struct {
	c   Config
	rng *rand.Rand
	l   Layout
	err error
	// dirs are the directories already created.
	dirs map[string]bool
	// reqs[d][v] are the requirements of dependency d at l.Versions[v].
	reqs [][][]module.Version
	// modHash and zipHash are the h1 hashes of each dependency version's
	// go.mod and zip.
	modHash, zipHash map[module.Version]string
	// goVers is the go line of each dependency version's go.mod.
	goVers map[module.Version]string
}

// deps writes the dependency pool into the module cache.
func (g *generator) deps() {
	n := g.c.Deps
	g.reqs = make([][][]module.Version, n)
	g.modHash = make(map[module.Version]string, n*len(g.l.Versions))
	g.zipHash = make(map[module.Version]string, n*len(g.l.Versions))
	g.goVers = make(map[module.Version]string, n*len(g.l.Versions))
	// byTier lists the dependencies of each tier, to draw requirements from.
	byTier := make([][]int, tiers)
	for i := range n {
		byTier[depTier(i)] = append(byTier[depTier(i)], i)
	}
	for i := range n {
		path := DepPath(i)
		g.l.Deps = append(g.l.Deps, path)
		g.reqs[i] = make([][]module.Version, len(g.l.Versions))
		for v, vers := range g.l.Versions {
			var reqs []module.Version
			if t := depTier(i); t > 0 {
				below := byTier[t-1]
				for _, k := range g.rng.Perm(len(below))[:min(2, len(below))] {
					reqs = append(reqs, module.Version{Path: DepPath(below[k]), Version: g.l.Versions[g.rng.Intn(len(g.l.Versions))]})
				}
			}
			slices.SortFunc(reqs, func(a, b module.Version) int { return strings.Compare(a.Path, b.Path) })
			g.reqs[i][v] = reqs
			goVers := "1.21"
			if g.rng.Intn(2) == 0 {
				goVers = "1.22"
			}
			gomod := goModFile(path, goVers, reqs, nil)
			goSource := fmt.Appendf(nil, "// Package %s is generated.\npackage %s\n", pkgName(path), pkgName(path))
			mod := module.Version{Path: path, Version: vers}
			g.goVers[mod] = goVers
			g.modHash[mod] = hash1(map[string][]byte{"go.mod": gomod})
			prefix := path + "@" + vers + "/"
			g.zipHash[mod] = hash1(map[string][]byte{prefix + "go.mod": gomod, prefix + "lib.go": goSource})

			dir := g.downloadDir(path)
			ev, err := module.EscapeVersion(vers)
			if err != nil {
				g.fail(err)
				return
			}
			g.write(filepath.Join(dir, ev+".mod"), gomod)
			g.write(filepath.Join(dir, ev+".info"), fmt.Appendf(nil, `{"Version":%q,"Time":%q}`+"\n", vers, time.Date(2024, 1, 1+v, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)))
			g.write(filepath.Join(dir, ev+".ziphash"), []byte(g.zipHash[mod]))
		}
		g.write(filepath.Join(g.downloadDir(path), "list"), []byte(strings.Join(g.l.Versions, "\n")+"\n"))
	}
}

// workspace writes go.work and the modules.
func (g *generator) workspace() {
	var work bytes.Buffer
	fmt.Fprintf(&work, "go %s\n\nuse (\n", goLine)
	for i := range g.c.Modules {
		fmt.Fprintf(&work, "\t./%s\n", ModuleDir(i))
	}
	work.WriteString(")\n")
	g.write(g.l.GoWork, work.Bytes())
	for i := range g.c.Modules {
		dir := filepath.Join(g.l.Root, ModuleDir(i))
		g.l.Modules = append(g.l.Modules, dir)
		var deps []module.Version
		if i == 0 && g.c.Vendored > 0 {
			for _, d := range g.rng.Perm(g.c.Deps)[:g.c.Vendored] {
				deps = append(deps, module.Version{Path: DepPath(d), Version: g.l.Versions[len(g.l.Versions)-1]})
			}
		} else {
			for _, d := range g.rng.Perm(g.c.Deps)[:g.c.Requires] {
				deps = append(deps, module.Version{Path: DepPath(d), Version: g.l.Versions[g.rng.Intn(len(g.l.Versions))]})
			}
		}
		slices.SortFunc(deps, func(a, b module.Version) int { return strings.Compare(a.Path, b.Path) })
		reqs := slices.Clone(deps)
		var replace []module.Version // old, new pairs
		if i+1 < g.c.Modules {
			neighbour := module.Version{Path: ModulePath(i + 1), Version: LocalVersion}
			reqs = append([]module.Version{neighbour}, reqs...) // example.com sorts before example.org
			replace = []module.Version{{Path: neighbour.Path}, {Path: "../" + ModuleDir(i+1)}}
		}
		g.write(filepath.Join(dir, "go.mod"), goModFile(ModulePath(i), goLine, reqs, replace))
		g.write(filepath.Join(dir, "go.sum"), g.goSum(deps))
		if i == 0 && g.c.Vendored > 0 {
			g.l.Vendored = dir
			g.vendor(dir, reqs, replace)
		}
	}
}

// goSum is the go.sum of a module requiring deps: the zip and go.mod hashes
// of each, and the go.mod hash of every version they reach.
func (g *generator) goSum(deps []module.Version) []byte {
	zips := map[module.Version]bool{}
	mods := map[module.Version]bool{}
	var walk func(m module.Version)
	walk = func(m module.Version) {
		if mods[m] {
			return
		}
		mods[m] = true
		for _, r := range g.depRequires(m) {
			walk(r)
		}
	}
	for _, d := range deps {
		zips[d] = true
		walk(d)
	}
	type line struct {
		mod   module.Version
		gomod bool
	}
	var lines []line
	for m := range mods {
		lines = append(lines, line{m, true})
		if zips[m] {
			lines = append(lines, line{m, false})
		}
	}
	// The go command's order (modfetch.WriteGoSum): by path, then version,
	// the zip line before the /go.mod line.
	slices.SortFunc(lines, func(a, b line) int {
		if c := strings.Compare(a.mod.Path, b.mod.Path); c != 0 {
			return c
		}
		if c := semver.Compare(a.mod.Version, b.mod.Version); c != 0 {
			return c
		}
		switch {
		case a.gomod == b.gomod:
			return 0
		case b.gomod:
			return -1
		}
		return 1
	})
	var b bytes.Buffer
	for _, l := range lines {
		if l.gomod {
			fmt.Fprintf(&b, "%s %s/go.mod %s\n", l.mod.Path, l.mod.Version, g.modHash[l.mod])
		} else {
			fmt.Fprintf(&b, "%s %s %s\n", l.mod.Path, l.mod.Version, g.zipHash[l.mod])
		}
	}
	return b.Bytes()
}

// depRequires returns the requirements of the dependency version m.
func (g *generator) depRequires(m module.Version) []module.Version {
	var i int
	if _, err := fmt.Sscanf(m.Path, "example.org/Lib%d", &i); err != nil || i >= len(g.reqs) {
		return nil
	}
	return g.reqs[i][slices.Index(g.l.Versions, m.Version)]
}

// vendor writes the vendored module's main.go, vendor/modules.txt and one
// package directory per requirement, as `go mod vendor` does for a module
// whose Go files import one package of each requirement, at go ≥ 1.17: every
// requirement "## explicit; go X", then the replacements (modcmd.RunVendor).
func (g *generator) vendor(dir string, reqs, replace []module.Version) {
	var main, txt bytes.Buffer
	main.WriteString("// Package main imports one package of each vendored module.\npackage main\n\nimport (\n")
	for _, r := range reqs {
		if strings.HasPrefix(r.Path, "example.com/") { // the neighbour: replaced, imported by nobody
			fmt.Fprintf(&txt, "# %s %s => %s\n## explicit; go %s\n", r.Path, r.Version, replace[1].Path, goLine)
			continue
		}
		fmt.Fprintf(&main, "\t_ %q\n", r.Path)
		fmt.Fprintf(&txt, "# %s %s\n## explicit; go %s\n%s\n", r.Path, r.Version, g.goVers[r], r.Path)
		g.write(filepath.Join(dir, "vendor", filepath.FromSlash(r.Path), "lib.go"),
			fmt.Appendf(nil, "// Package %s is generated.\npackage %s\n", pkgName(r.Path), pkgName(r.Path)))
	}
	main.WriteString(")\n\nfunc main() {}\n")
	if len(replace) > 0 {
		fmt.Fprintf(&txt, "# %s => %s\n", replace[0].Path, replace[1].Path)
	}
	g.write(filepath.Join(dir, "main.go"), main.Bytes())
	g.write(filepath.Join(dir, "vendor", "modules.txt"), txt.Bytes())
}

// downloadDir is the @v directory of path in the module cache's download area.
func (g *generator) downloadDir(path string) string {
	ep, err := module.EscapePath(path)
	if err != nil {
		g.fail(err)
	}
	return filepath.Join(g.l.ModCache, "cache", "download", filepath.FromSlash(ep), "@v")
}

func (g *generator) write(path string, data []byte) {
	if g.err != nil {
		return
	}
	if d := filepath.Dir(path); !g.dirs[d] {
		if err := os.MkdirAll(d, 0o777); err != nil {
			g.fail(err)
			return
		}
		g.dirs[d] = true
	}
	if err := os.WriteFile(path, data, 0o666); err != nil {
		g.fail(err)
	}
}

func (g *generator) fail(err error) {
	if g.err == nil {
		g.err = fmt.Errorf("workspacegen: %w", err)
	}
}

// goModFile formats a go.mod as go mod tidy lays it out: requirements in one
// block, then replacements (pairs of old, new).
func goModFile(path, goVers string, reqs, replace []module.Version) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "module %s\n\ngo %s\n", path, goVers)
	if len(reqs) > 0 {
		b.WriteString("\nrequire (\n")
		for _, r := range reqs {
			fmt.Fprintf(&b, "\t%s %s\n", r.Path, r.Version)
		}
		b.WriteString(")\n")
	}
	for i := 0; i+1 < len(replace); i += 2 {
		fmt.Fprintf(&b, "\nreplace %s => %s\n", replace[i].Path, replace[i+1].Path)
	}
	return b.Bytes()
}

// hash1 is the h1 hash of the files (name → content), as the go command
// computes it for a zip or, with the single name "go.mod", for a go.mod
// (cmd/go/internal/modfetch: fetch.go, goModSum).
func hash1(files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	h, err := dirhash.Hash1(names, func(name string) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(files[name])), nil
	})
	if err != nil {
		panic(err) // Hash1 fails only on a file name with a newline
	}
	return h
}

// pkgName is the package name of the generated package at path.
func pkgName(path string) string { return strings.ToLower(path[strings.LastIndex(path, "/")+1:]) }
