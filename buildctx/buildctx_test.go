package buildctx

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/workspace"
)

func load(t *testing.T, env workspace.Env, files map[string]string) (string, *workspace.Snapshot) {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root, workspace.Load(env, []string{root})
}

// The replace that applies follows replacementFrom: go.work first; then
// the main modules in use order, the last one that replaces the module
// winning; a later exact-version replace with another target is a
// conflict; a main module's own path is never replaced.
func TestReplacement(t *testing.T) {
	root, snap := load(t, workspace.Env{}, map[string]string{
		"go.work":  "go 1.22\n\nuse (\n\t./a\n\t./b\n\t./c\n)\n\nreplace example.com/w => ./w\n",
		"a/go.mod": "module example.com/a\n\ngo 1.22\n\nreplace (\n\texample.com/dep v1.0.0 => ../x\n\texample.com/w => ../ignored\n\texample.com/b => ../bfork\n\texample.com/c v1.0.0 => ../c1\n)\n",
		"b/go.mod": "module example.com/b\n\ngo 1.22\n\nreplace example.com/dep => ../y\n",
		"c/go.mod": "module example.com/c\n\ngo 1.22\n\nreplace example.com/c v1.0.0 => ../c2\n",
	})
	contexts := All(snap)
	if len(contexts) != 1 || contexts[0].Work == nil || len(contexts[0].Mains) != 3 {
		t.Fatalf("All = %+v, want one workspace context with three main modules", contexts)
	}
	c := contexts[0]
	for _, tt := range []struct {
		mod      module.Version
		dir      string // "" for no replacement
		conflict bool
	}{
		{module.Version{Path: "example.com/w", Version: "v1.0.0"}, filepath.Join(root, "w"), false},
		{module.Version{Path: "example.com/dep", Version: "v1.0.0"}, filepath.Join(root, "y"), false}, // b's, the later one
		{module.Version{Path: "example.com/dep", Version: "v1.1.0"}, filepath.Join(root, "y"), false},
		{module.Version{Path: "example.com/b"}, "", false},                                              // a main module's own version
		{module.Version{Path: "example.com/b", Version: "v1.0.0"}, filepath.Join(root, "bfork"), false}, // any other version is replaced
		{module.Version{Path: "example.com/c", Version: "v1.0.0"}, filepath.Join(root, "c1"), true},
		{module.Version{Path: "example.com/none", Version: "v1.0.0"}, "", false},
	} {
		r, ok, conflict := c.ResolveReplacement(tt.mod)
		if got := ok && r.Dir != ""; got != (tt.dir != "") || r.Dir != tt.dir {
			t.Errorf("%v: replaced by %q (ok %v), want %q", tt.mod, r.Dir, ok, tt.dir)
		}
		if (conflict != nil) != tt.conflict {
			t.Errorf("%v: conflict %v, want %v", tt.mod, conflict, tt.conflict)
		}
	}
	if !c.ReplacedEntirely("example.com/dep") || c.ReplacedEntirely("example.com/c") {
		t.Error("ReplacedEntirely: want true for a wildcard replace, false for version-only ones")
	}
}

// ModMode follows setDefaultBuildMod: GOFLAGS first (mod is not allowed
// in workspace mode, an unknown value is invalid), then the go line and the
// vendor directory.
func TestModMode(t *testing.T) {
	files := map[string]string{
		"m/go.mod":             "module example.com/m\n\ngo 1.22\n",
		"m/vendor/modules.txt": "",
		"old/go.mod":           "module example.com/old\n\ngo 1.13\n",
		"old/vendor/x":         "",
		"w/go.work":            "go 1.22\n\nuse ./n\n",
		"w/n/go.mod":           "module example.com/n\n\ngo 1.22\n",
	}
	for _, tt := range []struct {
		goflags, dir, want string
		ignored            bool
		invalid, notAllow  bool
	}{
		{"", "m", "vendor", false, false, false},
		{"", "old", "readonly", true, false, false},
		{"", "w", "readonly", false, false, false},
		{"-mod=mod", "m", "mod", true, false, false},
		{"-mod=mod", "w", "mod", false, false, true},
		{"-mod=bogus", "m", "bogus", false, true, false},
		{"-mod=mod -mod=vendor", "m", "vendor", false, false, false},
	} {
		root, snap := load(t, workspace.Env{GOFLAGS: tt.goflags}, files)
		c := ForDir(snap, filepath.Join(root, tt.dir))
		if c == nil {
			t.Fatalf("ForDir(%s) = nil", tt.dir)
		}
		m := c.Mod
		if m.Value != tt.want || (m.VendorIgnored != "") != tt.ignored || m.Invalid != tt.invalid || m.NotAllowed != tt.notAllow {
			t.Errorf("GOFLAGS=%q in %s: %+v, want value %s ignored %v invalid %v notAllowed %v", tt.goflags, tt.dir, m, tt.want, tt.ignored, tt.invalid, tt.notAllow)
		}
	}
}

func TestFlagsAndModules(t *testing.T) {
	for _, tt := range []struct {
		goflags, mod, err string
	}{
		{"", "", ""},
		{"-trimpath --mod=vendor", "vendor", ""},
		{"'-ldflags=-s -w' -mod=readonly", "readonly", ""},
		{"mod=vendor", "", `go: parsing $GOFLAGS: non-flag "mod=vendor"`},
		{`-tags=a "-x`, "", `go: parsing $GOFLAGS: unterminated " string`},
	} {
		fl := FlagsOf(workspace.Env{GOFLAGS: tt.goflags})
		if fl.Mod != tt.mod || errString(fl.Err) != tt.err {
			t.Errorf("FlagsOf(%q) = %q, %v; want %q, %q", tt.goflags, fl.Mod, fl.Err, tt.mod, tt.err)
		}
	}
	for v, want := range map[string]Modules{
		"": {}, "on": {Setting: "on"}, "auto": {Setting: "auto"},
		"off": {Setting: "off", Off: true}, "true": {Setting: "true", Invalid: true},
	} {
		if got := ModulesOf(workspace.Env{GO111MODULE: v}); got != want {
			t.Errorf("ModulesOf(%q) = %+v, want %+v", v, got, want)
		}
	}
}

func TestFetch(t *testing.T) {
	env := workspace.Env{GOPROXY: "https://corp.example/proxy,direct", GOSUMDB: "sum.golang.org",
		GOPRIVATE: "git.corp.example", GONOPROXY: "git.corp.example", GONOSUMDB: "git.corp.example"}
	if f := FetchOf(env, "github.com/a/b"); f.Direct || len(f.Proxies) != 1 || !f.SumDB || f.Private {
		t.Errorf("public module: %+v, want through the proxy, checked against the sum database", f)
	}
	if f := FetchOf(env, "git.corp.example/team/lib"); !f.Direct || f.SumDB || !f.Private {
		t.Errorf("private module: %+v, want direct, no sum database, private", f)
	}
	if f := FetchOf(workspace.Env{GOPROXY: "off"}, "github.com/a/b"); !f.Off {
		t.Errorf("GOPROXY=off: %+v, want Off", f)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// The context of one module alone keeps no maps (replaceIndex.single) and
// must answer as the full index does.
func TestSingleReplaceIndex(t *testing.T) {
	_, snap := load(t, workspace.Env{}, map[string]string{
		"a/go.mod": "module example.com/a\n\ngo 1.22\n\nreplace (\n\texample.com/dep v1.0.0 => ../x\n\texample.com/dep v1.0.0 => ../x2\n\texample.com/wild => ../w\n\texample.com/a v1.0.0 => ../self\n\texample.com/ver v1.2.0 => example.com/fork v1.2.1\n)\n",
	})
	contexts := All(snap)
	if len(contexts) != 1 || len(contexts[0].Mains) != 1 {
		t.Fatalf("All = %+v, want one context of one module", contexts)
	}
	single := contexts[0]
	if !single.replaces().single {
		t.Fatal("the context of one module alone has a full index")
	}
	full := &Context{Root: single.Root, Mains: single.Mains, Mod: single.Mod}
	full.replaceIdx.Store(newReplaceIndex(full, false))
	m := single.Mains[0]
	for _, mod := range []module.Version{
		{Path: "example.com/dep", Version: "v1.0.0"}, {Path: "example.com/dep", Version: "v1.1.0"},
		{Path: "example.com/wild", Version: "v0.1.0"}, {Path: "example.com/wild"},
		{Path: "example.com/a"}, {Path: "example.com/a", Version: "v1.0.0"},
		{Path: "example.com/ver", Version: "v1.2.0"}, {Path: "example.com/none", Version: "v1.0.0"},
	} {
		r1, ok1, c1 := single.ResolveReplacement(mod)
		r2, ok2, c2 := full.ResolveReplacement(mod)
		if r1 != r2 || ok1 != ok2 || (c1 == nil) != (c2 == nil) {
			t.Errorf("%v: single %+v %v %v, full %+v %v %v", mod, r1, ok1, c1, r2, ok2, c2)
		}
		if a, b := single.ReplacedEntirely(mod.Path), full.ReplacedEntirely(mod.Path); a != b {
			t.Errorf("ReplacedEntirely(%s): single %v, full %v", mod.Path, a, b)
		}
		var a, b []string
		for _, r := range single.ReplacesOfPath(mod.Path) {
			a = append(a, r.Syntax.Token[len(r.Syntax.Token)-1])
		}
		for _, r := range full.ReplacesOfPath(mod.Path) {
			b = append(b, r.Syntax.Token[len(r.Syntax.Token)-1])
		}
		if !slices.Equal(a, b) {
			t.Errorf("ReplacesOfPath(%s): single %q, full %q", mod.Path, a, b)
		}
	}
	for _, path := range []string{"example.com/a", "example.com/dep", ""} {
		if a, b := single.MainOf(path), full.MainOf(path); a != b {
			t.Errorf("MainOf(%q): single %v, full %v", path, a, b)
		}
	}
	for _, gomod := range []string{m.File.Path, m.File.Path + "x"} {
		if a, b := single.MainsAt(gomod), full.MainsAt(gomod); !slices.Equal(a, b) {
			t.Errorf("MainsAt(%q): single %v, full %v", gomod, a, b)
		}
	}
	if single.WildReplacesKey() != full.WildReplacesKey() {
		t.Error("WildReplacesKey differs")
	}
}
