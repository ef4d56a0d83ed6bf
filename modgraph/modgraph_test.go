package modgraph_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/internal/modproxy"
	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// A fixture is one testdata/*.txtar: a workspace tree, a module cache
// ("cache/<path>@<version>" files are go.mod files of module versions;
// "proxy/<path>@<version>" ones are served to the go command only;
// "src/<path>@<version>/<file>" are the module's files, extracted in the
// cache), the build lists wanted ("want" for the go.work or go.mod at the
// root, "want <dir>" for the module in dir built alone), the modules whose
// go.mod is missing ("missing") and the modules providing packages that
// LoadAll finds from the module in dir ("all <dir>").
type fixture struct {
	root, modcache string
	cache          map[module.Version][]byte       // what the proxy serves
	src            map[module.Version][]txtar.File // the modules' files
	wants          map[string]string               // by context: "" or a module directory
	missing        string
	all            map[string]string // by module directory
}

func loadFixture(t testing.TB, name string) *fixture {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f := &fixture{
		root:     filepath.Join(dir, "ws"),
		modcache: filepath.Join(dir, "modcache"),
		cache:    make(map[module.Version][]byte),
		src:      make(map[module.Version][]txtar.File),
		wants:    make(map[string]string),
		all:      make(map[string]string),
	}
	for _, file := range a.Files {
		switch {
		case file.Name == "want":
			f.wants[""] = string(file.Data)
		case strings.HasPrefix(file.Name, "want "):
			f.wants[strings.TrimPrefix(file.Name, "want ")] = string(file.Data)
		case file.Name == "missing":
			f.missing = string(file.Data)
		case strings.HasPrefix(file.Name, "all "):
			f.all[strings.TrimPrefix(file.Name, "all ")] = string(file.Data)
		case strings.HasPrefix(file.Name, "src/"):
			path, rest, ok := strings.Cut(strings.TrimPrefix(file.Name, "src/"), "@")
			vers, fname, ok2 := strings.Cut(rest, "/")
			if !ok || !ok2 {
				t.Fatalf("%s: %s: want src/<path>@<version>/<file>", name, file.Name)
			}
			m := module.Version{Path: path, Version: vers}
			f.src[m] = append(f.src[m], txtar.File{Name: fname, Data: file.Data})
			escaped, _ := module.EscapePath(path)
			writeFile(t, filepath.Join(f.modcache, filepath.FromSlash(escaped)+"@"+vers, fname), file.Data)
		case strings.HasPrefix(file.Name, "cache/"), strings.HasPrefix(file.Name, "proxy/"):
			where, mv, _ := strings.Cut(file.Name, "/")
			path, vers, ok := strings.Cut(mv, "@")
			if !ok {
				t.Fatalf("%s: %s: want %s/<path>@<version>", name, file.Name, where)
			}
			m := module.Version{Path: path, Version: vers}
			f.cache[m] = file.Data
			if where == "cache" {
				writeCacheMod(t, f.modcache, m, file.Data)
			}
		default:
			writeFile(t, filepath.Join(f.root, file.Name), file.Data)
		}
	}
	return f
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o666); err != nil {
		t.Fatal(err)
	}
}

// writeCacheMod writes m's go.mod where the go command keeps it:
// cache/download/<escaped path>/@v/<version>.mod.
func writeCacheMod(t testing.TB, modcache string, m module.Version, data []byte) {
	t.Helper()
	path, err := module.EscapePath(m.Path)
	if err != nil {
		t.Fatal(err)
	}
	vers, err := module.EscapeVersion(m.Version)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(modcache, "cache", "download", filepath.FromSlash(path), "@v", vers+".mod"), data)
}

func (f *fixture) snapshot() *workspace.Snapshot {
	return workspace.Load(workspace.Env{GOMODCACHE: f.modcache}, []string{f.root})
}

// graph returns the graph of a context of the fixture: "" for the go.work at
// the root (or the go.mod there), a directory for that module alone.
func (f *fixture) graph(t testing.TB, snap *workspace.Snapshot, context string) *modgraph.Graph {
	t.Helper()
	if context == "" {
		if w := snap.Work(f.root); w != nil {
			return modgraph.Workspace(snap, w)
		}
	}
	m := snap.Module(filepath.Join(f.root, context))
	if m == nil {
		t.Fatalf("no module in %s", context)
	}
	return modgraph.Module(snap, m)
}

// format prints g's build list as go list -m -f listFormat all does, with
// directory replacements relative to dir, as go prints them (the directory
// of the go.work, or of the single module).
func format(g *modgraph.Graph, dir string) string {
	var b strings.Builder
	for _, m := range g.BuildList() {
		b.WriteString(m.Path)
		if m.Version != "" {
			b.WriteString(" " + m.Version)
		}
		if r, ok := g.Replacement(m); ok && m.Version != "" {
			if r.Version == "" {
				rel, _ := filepath.Rel(dir, r.Path)
				if r.Path = filepath.ToSlash(rel); !strings.HasPrefix(r.Path, "../") {
					r.Path = "./" + r.Path // modload.ToDirectoryPath
				}
			}
			b.WriteString(" => " + r.Path)
			if r.Version != "" {
				b.WriteString(" " + r.Version)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// goEnv builds a module proxy serving the fixture's modules and returns the
// environment that confines the go command to it, with a private module
// cache.
func (f *fixture) goEnv(t *testing.T) []string {
	archives := t.TempDir()
	for m, data := range f.cache {
		a := &txtar.Archive{Files: append([]txtar.File{{Name: ".mod", Data: data}}, f.src[m]...)}
		escaped, _ := module.EscapePath(m.Path)
		writeFile(t, filepath.Join(archives, strings.ReplaceAll(escaped, "/", "_")+"_"+m.Version+".txt"), txtar.Format(a))
	}
	proxy := filepath.Join(t.TempDir(), "proxy")
	if err := modproxy.Build(proxy, archives); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	return append(os.Environ(), modproxy.GoEnv(proxy, filepath.Join(tmp, "gopath"), filepath.Join(tmp, "gocache"))...)
}

const listFormat = `{{.Path}}{{with .Version}} {{.}}{{end}}{{with .Replace}} => {{.Path}}{{with .Version}} {{.}}{{end}}{{end}}`

func fixtures(t testing.TB) []string {
	names, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return names
}

// TestGraphs computes the graph of each fixture and compares its build list,
// and its missing go.mod files, with what the fixture wants.
func TestGraphs(t *testing.T) {
	for _, name := range fixtures(t) {
		t.Run(strings.TrimSuffix(name, ".txtar"), func(t *testing.T) {
			f := loadFixture(t, name)
			snap := f.snapshot()
			for context, want := range f.wants {
				g := f.graph(t, snap, context)
				if got := format(g, filepath.Join(f.root, context)); got != want {
					t.Errorf("build list of %q:\n%s\nwant:\n%s", context, got, want)
				}
				var missing strings.Builder
				for _, m := range g.Missing() {
					missing.WriteString(m.Module.Path + " " + m.Module.Version + "\n")
				}
				if missing.String() != f.missing {
					t.Errorf("missing of %q:\n%s\nwant:\n%s", context, missing.String(), f.missing)
				}
				if (g.Incomplete() == nil) != (f.missing == "") {
					t.Errorf("Incomplete() = %v with missing %q", g.Incomplete(), f.missing)
				}
			}
		})
	}
}

// TestAgainstGoCommand runs go list -m all, offline, on every complete
// fixture: a file:// proxy serving the fixture's module cache, a private
// GOMODCACHE. Its build list must be the one the fixture wants (and
// TestGraphs checks that modgraph computes that one).
func TestAgainstGoCommand(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	for _, name := range fixtures(t) {
		t.Run(strings.TrimSuffix(name, ".txtar"), func(t *testing.T) {
			f := loadFixture(t, name)
			if f.missing != "" {
				t.Skip("incomplete on purpose")
			}
			env := f.goEnv(t)
			for context, want := range f.wants {
				cmd := exec.Command(goCmd, "list", "-m", "-f", listFormat, "all")
				cmd.Dir = filepath.Join(f.root, context)
				cmd.Env = env
				if _, err := os.Stat(filepath.Join(f.root, "go.work")); err != nil || context != "" {
					// A single module: let go raise inconsistent requirements
					// (roots.txtar) instead of failing, as modgraph does.
					cmd.Env = append(cmd.Env, "GOWORK=off", "GOFLAGS=-mod=mod")
				}
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("go list -m all in %q: %v\n%s", context, err, out)
				}
				if string(out) != want {
					t.Errorf("go list -m all in %q:\n%s\nwant:\n%s", context, out, want)
				}
			}
		})
	}
}
