package explain_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gomodls/gomodls/explain"
	"github.com/gomodls/gomodls/workspace"
)

// TestJSONShape pins the JSON of docs/explain.md: the top-level members and
// their order, and that it decodes back into the same Explanation.
func TestJSONShape(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0\n\tcorp.example/priv v1.0.0\n)\n\nreplace example.com/dep => ./dep\n")
	write("dep/go.mod", "module example.com/dep\n\ngo 1.22\n")
	env := workspace.EnvFromProcess([]string{"GOENV=off", "GOPRIVATE=corp.example", "GOFLAGS=-mod=mod", "GOVERSION=go1.26.0", "GOTOOLCHAIN=local", "HOME=" + dir})
	e := explain.For(workspace.Load(env, []string{dir}), dir)

	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"dir", "gomod", "gowork", "mode", "mains", "mod", "toolchain", "requires", "vars"} {
		if _, ok := top[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, data)
		}
	}
	if len(top) != 9 {
		t.Errorf("JSON has %d members, want 9: %s", len(top), data)
	}
	var back explain.Explanation
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, e) {
		t.Errorf("round trip differs:\n%+v\n%+v", back, *e)
	}

	if e.Mode.Name != "module" || e.GOMOD != filepath.Join(dir, "go.mod") {
		t.Errorf("mode %q gomod %q", e.Mode.Name, e.GOMOD)
	}
	if e.Mod == nil || e.Mod.Value != "mod" || !e.Mod.FromGOFLAGS || e.Mod.GOFLAGSOrigin != "set in the shell" {
		t.Errorf("mod = %+v", e.Mod)
	}
	if len(e.Requires) != 2 {
		t.Fatalf("requires = %+v", e.Requires)
	}
	dep, priv := e.Requires[0], e.Requires[1]
	if dep.Replace == nil || dep.Replace.New != "./dep" || dep.Replace.Dir != filepath.Join(dir, "dep") || dep.Fetch != nil {
		t.Errorf("dep = %+v (replace %+v)", dep, dep.Replace)
	}
	if priv.Fetch == nil || priv.Fetch.Via != "direct" || !priv.Fetch.Private || priv.Fetch.SumDB != "" {
		t.Errorf("private module fetch = %+v", priv.Fetch)
	}
	if e.Toolchain.Runs != "go1.26.0" {
		t.Errorf("toolchain = %+v", e.Toolchain)
	}
}
