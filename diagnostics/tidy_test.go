package diagnostics

import (
	"slices"
	"testing"

	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/workspace"
)

// A +incompatible requirement is canonical: tidy is predicted for it, and
// keeps it. Only a version spelled otherwise than the parse stores it
// (v1.0 for v1.0.0) needs the go command's online resolution.
func TestTidyModuleIncompatible(t *testing.T) {
	const old = "example.com/old"
	_, snap := loadWithCache(t, workspace.Env{GOVERSION: "go1.26.0"}, map[string]string{
		"m/go.mod": "module example.com/m\n\ngo 1.22\n\nrequire example.com/old v2.0.0+incompatible\n",
		"m/m.go":   "package m\n\nimport _ \"example.com/old\"\n",
		"mod example.com/old@v2.0.0+incompatible":        "module example.com/old\n",
		"src example.com/old@v2.0.0+incompatible/old.go": "package old\n",
	})
	var m *workspace.Module
	for _, mm := range snap.Modules() {
		if mm.Mod != nil && mm.Mod.Module != nil && mm.Mod.Module.Mod.Path == "example.com/m" {
			m = mm
		}
	}
	if m == nil {
		t.Fatal("no module example.com/m")
	}
	tidy := TidyModule(snap, m)
	if len(tidy.Unknown) > 0 || len(tidy.Failure) > 0 {
		t.Fatalf("unknown %q, failure %q", tidy.Unknown, tidy.Failure)
	}
	want := []module.Version{{Path: old, Version: "v2.0.0+incompatible"}}
	if !slices.Equal(tidy.Requires, want) {
		t.Errorf("requires %v, want %v", tidy.Requires, want)
	}
}

// A version spelled v1.0 (read as v1.0.0) is resolved online: unknown.
func TestTidyModuleNoncanonical(t *testing.T) {
	_, snap := loadWithCache(t, workspace.Env{GOVERSION: "go1.26.0"}, map[string]string{
		"m/go.mod":                          "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.0\n",
		"m/m.go":                            "package m\n\nimport _ \"example.com/dep\"\n",
		"mod example.com/dep@v1.0.0":        "module example.com/dep\n\ngo 1.22\n",
		"src example.com/dep@v1.0.0/dep.go": "package dep\n",
	})
	for _, m := range snap.Modules() {
		if m.Mod == nil || m.Mod.Module == nil || m.Mod.Module.Mod.Path != "example.com/m" {
			continue
		}
		if tidy := TidyModule(snap, m); len(tidy.Unknown) != 1 || tidy.Requires != nil {
			t.Errorf("unknown %q, requires %v: want unknown, v1.0 needs the network", tidy.Unknown, tidy.Requires)
		}
		return
	}
	t.Fatal("no module example.com/m")
}
