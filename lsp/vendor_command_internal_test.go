package lsp

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/gomodls/gomodls/workspace"
)

// loadFiles writes a txtar archive ($ROOT standing for the directory) and
// loads it as one workspace folder.
func loadFiles(t *testing.T, files string, env workspace.Env) (*workspace.Snapshot, string) {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	files = strings.ReplaceAll(files, "$ROOT", filepath.ToSlash(root))
	if err := txtar.Write(txtar.Parse([]byte(files)), root); err != nil {
		t.Fatal(err)
	}
	return workspace.Load(env, []string{root}), root
}

func TestNewVendorTarget(t *testing.T) {
	const files = `
-- m/go.mod --
module example.com/m
-- w/go.work --
go 1.22

use ./a
-- w/a/go.mod --
module example.com/a
-- w/b/go.mod --
module example.com/b
`
	tests := []struct {
		dir      string // relative to the root
		gowork   string
		wantDir  string
		wantArgs string
		wantErr  string
	}{
		{dir: "m", wantDir: "m", wantArgs: "mod vendor"},
		{dir: "w", wantDir: "w", wantArgs: "work vendor"},
		{dir: "w/a", wantDir: "w", wantArgs: "work vendor"},
		{dir: "w/b", wantDir: "w/b", wantArgs: "mod vendor"}, // not used: go says so itself
		{dir: "w/a", gowork: "off", wantDir: "w/a", wantArgs: "mod vendor"},
		{dir: "w", gowork: "off", wantErr: "no go.mod or go.work in"},
		{dir: ".", wantErr: "no go.mod or go.work in"},
	}
	for _, tt := range tests {
		snap, root := loadFiles(t, files, workspace.Env{GOWORK: tt.gowork})
		got, err := newVendorTarget(snap, filepath.Join(root, tt.dir))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s (GOWORK=%s): err = %v, want %q", tt.dir, tt.gowork, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got.dir != filepath.Join(root, tt.wantDir) || strings.Join(got.goArgs(), " ") != tt.wantArgs {
			t.Errorf("%s (GOWORK=%s): go %s in %s, %v; want go %s in %s", tt.dir, tt.gowork, got.goArgs(), got.dir, err, tt.wantArgs, tt.wantDir)
		}
	}
}

func TestReplacementsInVendor(t *testing.T) {
	tests := []struct {
		name  string
		files string
		dir   string // the fix's directory, relative to the root
		want  []string
	}{
		{"relative into vendor", `
-- go.mod --
module example.com/m

replace example.com/x => ./vendor/x
`, ".", []string{"go.mod:3: ./vendor/x"}},
		{"the vendor directory itself", `
-- go.mod --
module example.com/m

replace example.com/x v1.0.0 => ./vendor/
`, ".", []string{"go.mod:3: ./vendor/"}},
		{"absolute into vendor", `
-- go.mod --
module example.com/m

replace example.com/x => $ROOT/vendor/x
`, ".", []string{"go.mod:3: $ROOT/vendor/x"}},
		{"elsewhere", `
-- go.mod --
module example.com/m

replace (
	example.com/x => ../x
	example.com/y => ./vendorx
	example.com/z => ./sub/vendor/z
	example.com/v => example.com/vendor v1.0.0
)
`, ".", nil},
		{"workspace: go.work and a used module", `
-- go.work --
go 1.22

use ./a

replace example.com/x => ./vendor/x
-- a/go.mod --
module example.com/a

replace example.com/y => ../vendor/y
`, "a", []string{"go.work:5: ./vendor/x", "a/go.mod:3: ../vendor/y"}},
		{"workspace: a module's own vendor is not rewritten", `
-- go.work --
go 1.22

use ./a
-- a/go.mod --
module example.com/a

replace example.com/y => ./vendor/y
`, ".", nil},
	}
	for _, tt := range tests {
		snap, root := loadFiles(t, tt.files, workspace.Env{})
		target, err := newVendorTarget(snap, filepath.Join(root, tt.dir))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var want []string
		for _, w := range tt.want {
			want = append(want, strings.ReplaceAll(w, "$ROOT", filepath.ToSlash(root)))
		}
		if got := target.replacementsInVendor(); !slices.Equal(got, want) {
			t.Errorf("%s: replacementsInVendor = %q, want %q", tt.name, got, want)
		}
	}
}

// Only open buffers whose content differs from the disk count as unsaved;
// a buffer whose file is gone from disk does too.
func TestUnsaved(t *testing.T) {
	snapFiles := `
-- a/go.mod --
module example.com/a
-- b/go.mod --
module example.com/b
-- c/go.mod --
module example.com/c
`
	_, root := loadFiles(t, snapFiles, workspace.Env{})
	session := workspace.NewSession(workspace.Env{}, []string{root})
	path := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }
	session.Open(path("a/go.mod"), []byte("module example.com/a\n"), 1) // as on disk
	session.Open(path("b/go.mod"), []byte("module example.com/b // edited\n"), 2)
	session.Open(path("d/go.mod"), []byte("module example.com/d\n"), 1) // not on disk
	all := []string{path("a/go.mod"), path("b/go.mod"), path("c/go.mod"), path("d/go.mod"), path("e/go.mod")}
	got := unsaved(session, session.Snapshot(), all)
	if want := []string{path("b/go.mod"), path("d/go.mod")}; !slices.Equal(got, want) {
		t.Errorf("unsaved = %q, want %q", got, want)
	}
}
