package diagnostics

// The helpers that several tests of this package share: building snapshots
// from file maps, running checks, rendering diagnostics, applying fixes.

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/workspace"
)

// writeFiles writes files (slash-separated paths relative to root) under
// root, creating their directories.
func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func load(t *testing.T, files map[string]string) (string, *workspace.Snapshot) {
	t.Helper()
	root := t.TempDir()
	writeFiles(t, root, files)
	return root, workspace.Load(workspace.Env{}, []string{root})
}

// loadEnv is load with the go environment env.
func loadEnv(t *testing.T, env workspace.Env, files map[string]string) (string, *workspace.Snapshot) {
	t.Helper()
	root := t.TempDir()
	writeFiles(t, root, files)
	env.GOWORK = strings.ReplaceAll(env.GOWORK, "$ROOT", root)
	return root, workspace.Load(env, []string{root})
}

// loadWithCache writes files into a new workspace folder, except those named
// "mod <path>@<version>" (a go.mod in the module cache) and "src
// <path>@<version>/<file>" (a file of the module, extracted in the cache),
// which go into a module cache outside the folder.
func loadWithCache(t *testing.T, env workspace.Env, files map[string]string) (string, *workspace.Snapshot) {
	t.Helper()
	root, modcache := t.TempDir(), t.TempDir()
	write := func(path, content string) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	escape := func(mv string) (string, string) {
		path, vers, _ := strings.Cut(mv, "@")
		p, err := module.EscapePath(path)
		if err != nil {
			t.Fatal(err)
		}
		return filepath.FromSlash(p), vers
	}
	for name, content := range files {
		switch {
		case strings.HasPrefix(name, "mod "):
			p, v := escape(strings.TrimPrefix(name, "mod "))
			write(filepath.Join(modcache, "cache", "download", p, "@v", v+".mod"), content)
		case strings.HasPrefix(name, "src "):
			path, rest, _ := strings.Cut(strings.TrimPrefix(name, "src "), "@")
			vers, file, _ := strings.Cut(rest, "/")
			p, v := escape(path + "@" + vers)
			write(filepath.Join(modcache, p+"@"+v, filepath.FromSlash(file)), content)
		default:
			write(filepath.Join(root, filepath.FromSlash(name)), content)
		}
	}
	env.GOMODCACHE = modcache
	return root, workspace.Load(env, []string{root})
}

func with(base map[string]string, kv ...string) map[string]string {
	out := maps.Clone(base)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

func mainMod(body string) string { return "module example.com/m\n\ngo 1.22\n\n" + body }

const modA = "module example.com/a\n\ngo 1.22\n"

// runWorkCheck runs one check and sorts its diagnostics as Run does.
func runWorkCheck(snap *workspace.Snapshot, c Check) []Diagnostic {
	return Run(snap, []Check{c}, nil)
}

// render prints diagnostics as "file:line:col-endcol: severity: message [code]"
// with 1-based lines and UTF-16 columns, relative to root.
func render(t *testing.T, root string, diags []Diagnostic) string {
	t.Helper()
	var b strings.Builder
	for _, d := range diags {
		if d.File == nil {
			fmt.Fprintf(&b, "-: %v: %s [%s]\n", d.Severity, d.Message, d.Code)
			continue
		}
		rel, _ := filepath.Rel(root, d.File.Path)
		s, e := d.File.Point(d.Span.Start), d.File.Point(d.Span.End)
		fmt.Fprintf(&b, "%s:%d:%d-%d:%d: %v: %s [%s]\n", filepath.ToSlash(rel), s.Line+1, s.UTF16+1, e.Line+1, e.UTF16+1, d.Severity, d.Message, d.Code)
	}
	return b.String()
}

// renderWork is render plus, indented under each diagnostic, its related
// places ("related file:line: message") and its fixes ("fix kind: title",
// then "cmd name dir args" for a command).
func renderWork(t *testing.T, root string, diags []Diagnostic) string {
	t.Helper()
	var b strings.Builder
	rel := func(path string) string {
		r, _ := filepath.Rel(root, path)
		return filepath.ToSlash(r)
	}
	for _, d := range diags {
		b.WriteString(render(t, root, []Diagnostic{d}))
		for _, r := range d.Related {
			fmt.Fprintf(&b, "\trelated %s:%d: %s\n", rel(r.File.Path), r.File.Point(r.Span.Start).Line+1, r.Message)
		}
		for _, f := range d.Fixes {
			fmt.Fprintf(&b, "\tfix %s: %s\n", f.Kind, f.Title)
			if c := f.Command; c != nil {
				fmt.Fprintf(&b, "\tcmd %s %s %s\n", c.Name, rel(c.Dir), strings.Join(c.Args, " "))
			}
		}
	}
	return b.String()
}

var spanEnd = regexp.MustCompile(`(?m)^(\S+:\d+:\d+)-\d+:\d+:`)

// renderStart is renderWork with each diagnostic's position as its start only.
func renderStart(t *testing.T, root string, diags []Diagnostic) string {
	t.Helper()
	return spanEnd.ReplaceAllString(renderWork(t, root, diags), "$1:")
}

// renderFull is render plus, indented under each diagnostic, its related
// places and the titles of its fixes. $ROOT stands for the root in messages.
func renderFull(root string, diags []Diagnostic) string {
	rel := func(f *workspace.File) string {
		r, _ := filepath.Rel(root, f.Path)
		return filepath.ToSlash(r)
	}
	pos := func(f *workspace.File, sp workspace.Span) string {
		p := f.Point(sp.Start)
		return fmt.Sprintf("%s:%d:%d", rel(f), p.Line+1, p.UTF16+1)
	}
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "%s: %v: %s [%s]\n", pos(d.File, d.Span), d.Severity, strings.ReplaceAll(d.Message, root, "$ROOT"), d.Code)
		for _, r := range d.Related {
			fmt.Fprintf(&b, "\trelated %s: %s\n", pos(r.File, r.Span), strings.ReplaceAll(r.Message, root, "$ROOT"))
		}
		for _, f := range d.Fixes {
			fmt.Fprintf(&b, "\tfix %q\n", f.Title)
		}
	}
	return b.String()
}

// apply applies edits (non-overlapping, any order) to content.
func apply(content []byte, edits []Edit) string {
	out := string(content)
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		out = out[:e.Span.Start] + e.NewText + out[e.Span.End:]
	}
	return out
}

// applyTitled applies the text fix titled title of the first diagnostic with code
// to the file it edits, and returns that file's new content.
func applyTitled(t *testing.T, diags []Diagnostic, code, title string) string {
	t.Helper()
	for _, d := range diags {
		for _, f := range d.Fixes {
			if d.Code != code || f.Title != title {
				continue
			}
			if len(f.Edits) == 0 {
				t.Fatalf("%s: fix %q has no edits", code, title)
			}
			for _, e := range f.Edits[1:] {
				if e.File != f.Edits[0].File {
					t.Fatalf("%s: fix %q edits several files", code, title)
				}
			}
			return apply(f.Edits[0].File.Content(), f.Edits)
		}
	}
	t.Fatalf("no %s with the fix %q in:\n%v", code, title, diags)
	return ""
}
