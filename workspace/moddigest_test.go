package workspace

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// goModsToDigest are dependency go.mod files with every part a digest
// keeps, and strings that need quoting.
var goModsToDigest = map[string]string{
	"empty":      "",
	"module":     "module example.com/a\n",
	"no module":  "go 1.21\nrequire example.com/b v1.0.0\n",
	"everything": "// Deprecated: use example.com/a/v2 instead. \"Really\"\tnow.\nmodule example.com/a\n\ngo 1.22.1\n\ntoolchain go1.23.0\n\nrequire (\n\texample.com/b v1.0.0\n\texample.com/c v0.1.0-pre // indirect\n)\n\nexclude example.com/b v0.9.0\nreplace example.com/b => ../b\n\nretract (\n\t// Published by mistake:\n\t// a \"broken\" build.\n\t[v0.1.0, v0.2.0]\n\tv0.3.0\n)\n",
	"unparsable": "module example.com/a\nrequire (\n",
}

func TestGoModDigestRoundTrip(t *testing.T) {
	for name, content := range goModsToDigest {
		t.Run(name, func(t *testing.T) {
			f, _ := modfile.ParseLax("go.mod", []byte(content), nil)
			lean := leanGoMod(f)
			hash := goModHash([]byte(content))
			digest := goModDigest(hash, lean)
			if strings.ContainsAny(digest, "\t\n") {
				t.Fatalf("digest %q holds a tab or a newline", digest)
			}
			gotHash, got, ok := parseGoModDigest(digest)
			if !ok || gotHash != hash {
				t.Fatalf("parseGoModDigest(%q) = %q, ok %v; want hash %q", digest, gotHash, ok, hash)
			}
			if !reflect.DeepEqual(got, lean) {
				t.Errorf("digest %q read back as %+v, want %+v", digest, got, lean)
			}
			if f != nil {
				// What the graph and the checks read is kept.
				if (f.Module == nil) != (got.Module == nil) || f.Module != nil && (got.Module.Mod.Path != f.Module.Mod.Path || got.Module.Deprecated != f.Module.Deprecated) {
					t.Errorf("module: %+v, want %+v", got.Module, f.Module)
				}
				if len(got.Require) != len(f.Require) || len(got.Retract) != len(f.Retract) {
					t.Errorf("%d requires, %d retracts; want %d, %d", len(got.Require), len(got.Retract), len(f.Require), len(f.Retract))
				}
				for i, r := range f.Retract {
					if got.Retract[i].VersionInterval != r.VersionInterval || got.Retract[i].Rationale != r.Rationale {
						t.Errorf("retract %d: %+v, want %+v", i, got.Retract[i], r)
					}
				}
			}
		})
	}
	for _, bad := range []string{"", " m", "h1:x m \"a\"", "h1:x q \"a\"", "h1:x g \"1.2", "h1:x r \"a\" \"v1\" extra"} {
		if _, _, ok := parseGoModDigest(bad); ok {
			t.Errorf("parseGoModDigest(%q) ok, want a refusal", bad)
		}
	}
}

// A .mod the module graph parsed is kept in the download index as its
// digest, in place of its content; the next process reads neither the
// file nor the content, and finds the same.
func TestDownloadIndexKeepsParsedGoModAsDigest(t *testing.T) {
	content := goModsToDigest["everything"]
	gomodcache := downloadArea(t, map[string]string{"example.com/a/@v/v1.0.0.mod": content})
	root := writeTree(t, map[string]string{"go.mod": "module example.com/m\n"})
	index := t.TempDir()
	useIndex(t, index)
	env := Env{GOMODCACHE: gomodcache}
	a := module.Version{Path: "example.com/a", Version: "v1.0.0"}
	parsed, _ := modfile.ParseLax("go.mod", []byte(content), nil)
	want := leanGoMod(parsed)

	forgetModuleCache(t)
	first := NewSession(env, []string{root}).Snapshot()
	if got := first.DependencyGoMod(first.ModuleCacheGoMod(a)); !reflect.DeepEqual(got, want) {
		t.Fatalf("first process: %+v, want %+v", got, want)
	}
	if err := FlushPackageIndex(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(index, "downloads", "*"))
	if len(files) != 1 {
		t.Fatalf("download index files: %v", files)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\t=v1.0.0.mod h1:") || strings.Contains(string(data), "\tv1.0.0.mod ") {
		t.Errorf("index file:\n%s\nwant v1.0.0.mod as a digest, without its content", data)
	}

	forgetModuleCache(t)
	next := NewSession(env, []string{root}).Snapshot()
	if got := next.DependencyGoMod(next.ModuleCacheGoMod(a)); !reflect.DeepEqual(got, want) {
		t.Errorf("next process: %+v, want %+v", got, want)
	}
	if h, ok := next.ModuleCacheSum(module.Version{Path: a.Path, Version: a.Version + "/go.mod"}); !ok || h != goModHash([]byte(content)) {
		t.Errorf("next process: go.mod hash %q, want the file's", h)
	}
	if got := diskStat(next.DiskStats(), "module cache .mod"); got.Reads != 0 || got.Indexed != 1 {
		t.Errorf("next process, .mod: %+v, want it indexed", got)
	}
}
