package lsp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"go.lsp.dev/protocol"
	"golang.org/x/mod/modfile"

	"github.com/gomodls/gomodls/codeactions"
	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/report"
	"github.com/gomodls/gomodls/internal/sarif"
	"github.com/gomodls/gomodls/workspace"
)

// pipelineFiles are the module files FuzzPipeline writes, in its argument
// order, relative to the workspace folder.
var pipelineFiles = []string{"go.mod", "go.work", "go.sum", filepath.Join("vendor", "modules.txt")}

// pipelineSeeds returns, for each directory of the repository's fixtures
// (testscript archives, testdata trees) that holds a go.mod, the contents of
// its pipelineFiles (nil for an absent one).
func pipelineSeeds(t testing.TB) [][4][]byte {
	var seeds [][4][]byte
	add := func(read func(name string) []byte) {
		var s [4][]byte
		for i, name := range pipelineFiles {
			s[i] = read(filepath.ToSlash(name))
		}
		if s[0] != nil {
			seeds = append(seeds, s)
		}
	}
	scripts, _ := filepath.Glob("../cmd/gomodls/testdata/script/*.txtar")
	for _, name := range scripts {
		a, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		files := make(map[string][]byte)
		dirs := make(map[string]bool)
		for _, f := range a.Files {
			files[f.Name] = f.Data
			if filepath.Base(f.Name) == "go.mod" {
				dirs[filepath.Dir(f.Name)] = true
			}
		}
		for dir := range dirs {
			add(func(name string) []byte { return files[filepath.ToSlash(filepath.Join(dir, name))] })
		}
	}
	filepath.WalkDir("../testdata", func(path string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == "go.mod" {
			dir := filepath.Dir(path)
			add(func(name string) []byte {
				data, _ := os.ReadFile(filepath.Join(dir, name))
				return data
			})
		}
		return nil
	})
	if len(seeds) == 0 {
		t.Fatal("no fixture with a go.mod")
	}
	return seeds
}

// FuzzPipeline runs arbitrary go.mod, go.work, go.sum and
// vendor/modules.txt contents (an empty argument: no such file, except for
// go.mod) through everything a client sees: all checks, the fix-all action
// of each file, and the presenters (LSP diagnostics and edits, the report
// that JSON and SARIF output render). It asserts that no check panics
// (internal-error); that every span of a diagnostic, related location and
// edit lies inside its file's content; that applying a file's fix-all
// leaves go.mod and go.work parseable by golang.org/x/mod/modfile if they
// were, and adds no malformed go.sum line; and that a session that reached
// the contents edit by edit (Open with other contents, then Change) reports
// exactly what a session loading them fresh does.
func FuzzPipeline(f *testing.F) {
	for _, s := range pipelineSeeds(f) {
		f.Add(s[0], s[1], s[2], s[3])
	}
	modcache := f.TempDir()
	env := workspace.Env{GOMODCACHE: modcache, GOPATH: filepath.Dir(modcache), GOVERSION: "go1.26.0", GOFLAGS: "", GOPROXY: "off", GOSUMDB: "off", GOTOOLCHAIN: "local"}
	f.Fuzz(func(t *testing.T, gomod, gowork, gosum, modulesTxt []byte) {
		root := t.TempDir()
		contents := map[string][]byte{}
		for i, data := range [][]byte{gomod, gowork, gosum, modulesTxt} {
			if i > 0 && len(data) == 0 {
				continue
			}
			path := filepath.Join(root, pipelineFiles[i])
			contents[path] = data
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		paths := slices.Sorted(func(yield func(string) bool) {
			for p := range contents {
				if !yield(p) {
					return
				}
			}
		})
		run := func(snap *workspace.Snapshot) []diagnostics.Diagnostic {
			t.Helper()
			diags := diagnostics.Run(snap, diagnostics.Checks, func(check string, panicked any, stack []byte) {
				t.Errorf("check %s panicked: %v\n%s", check, panicked, stack)
			})
			for _, d := range diags {
				if d.Code == diagnostics.CodeInternalError {
					t.Fatalf("internal error: %s", d.Message)
				}
			}
			return diags
		}

		fresh := workspace.NewSession(env, []string{root})
		snap := fresh.Snapshot()
		diags := run(snap)

		edited := workspace.NewSession(env, []string{root})
		for _, p := range paths {
			edited.Open(p, contents[p][:len(contents[p])/2], 1)
		}
		run(edited.Snapshot())
		for _, p := range paths {
			edited.Change(p, contents[p], 2)
		}
		if got, want := renderDiagnostics(root, run(edited.Snapshot())), renderDiagnostics(root, diags); got != want {
			t.Errorf("edited edit by edit:\n%s\nloaded fresh:\n%s", got, want)
		}

		for _, d := range diags {
			checkSpan(t, snap, d.Code, d.File, d.Span)
			for _, r := range d.Related {
				checkSpan(t, snap, d.Code+" related", r.File, r.Span)
			}
			for _, fix := range d.Fixes {
				for _, e := range fix.Edits {
					checkSpan(t, snap, d.Code+" fix "+fix.Title, e.File, e.Span)
				}
			}
		}

		uriOf := func(path string) protocol.DocumentURI { return uriFromPath(path) }
		for _, caps := range []clientCapabilities{{}, {codeDescription: true, relatedInformation: true, documentChanges: true}} {
			for _, d := range diags {
				if d.File == nil {
					continue
				}
				pd := toProtocolDiagnostic(d, caps, uriOf)
				checkRange(t, d.Code, pd.Range)
				for _, r := range pd.RelatedInformation {
					checkRange(t, d.Code+" related", r.Location.Range)
				}
			}
		}
		r := report.New(root, snap, diags)
		for _, d := range r.Diagnostics {
			checkRange(t, d.Code+" in the report", toProtocolRange(d.Range))
			for _, rel := range d.Related {
				checkRange(t, d.Code+" related in the report", toProtocolRange(rel.Range))
			}
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("JSON report: %v", err)
		}
		if _, err := json.Marshal(sarif.New(r, "fuzz", diagnostics.Checks)); err != nil {
			t.Fatalf("SARIF log: %v", err)
		}

		for _, p := range paths {
			file := snap.File(p)
			if file == nil {
				continue
			}
			for _, a := range codeactions.For(snap, diags, codeactions.Request{File: file, Only: []diagnostics.FixKind{diagnostics.KindFixAll}}) {
				we := toWorkspaceEdit(a.Edits, clientCapabilities{documentChanges: true}, uriOf, func(*workspace.File) bool { return true })
				for _, dc := range we.DocumentChanges {
					for _, e := range dc.Edits {
						checkRange(t, "fix-all of "+p, e.Range)
					}
				}
				for f, after := range applyEdits(t, a.Edits) {
					checkFixedParse(t, f.Path, f.Content(), after)
				}
			}
		}
	})
}

// checkSpan fails unless sp lies inside f's content, and f is the file the
// snapshot holds at its path (when the snapshot holds that path: a
// dependency's go.mod in the module cache is not one of its files).
func checkSpan(t *testing.T, snap *workspace.Snapshot, what string, f *workspace.File, sp workspace.Span) {
	t.Helper()
	if f == nil {
		t.Errorf("%s: no file", what)
		return
	}
	if sp.Start < 0 || sp.Start > sp.End || sp.End > len(f.Content()) {
		t.Errorf("%s: span %v outside %s (%d bytes)", what, sp, f.Path, len(f.Content()))
	}
	if have := snap.File(f.Path); have != nil && !bytes.Equal(have.Content(), f.Content()) {
		t.Errorf("%s: span of an older %s", what, f.Path)
	}
}

// checkRange fails unless an LSP range starts no later than it ends.
func checkRange(t *testing.T, what string, r protocol.Range) {
	t.Helper()
	if r.Start.Line > r.End.Line || r.Start.Line == r.End.Line && r.Start.Character > r.End.Character {
		t.Errorf("%s: range %v ends before it starts", what, r)
	}
}

func toProtocolRange(r report.Range) protocol.Range {
	return protocol.Range{
		Start: protocol.Position{Line: uint32(r.Start.Line), Character: uint32(r.Start.Character)},
		End:   protocol.Position{Line: uint32(r.End.Line), Character: uint32(r.End.Character)},
	}
}

// applyEdits returns the content of each file edits change, with the edits
// applied (they are sorted and disjoint, as fix-all merges them).
func applyEdits(t *testing.T, edits []diagnostics.Edit) map[*workspace.File][]byte {
	t.Helper()
	out := make(map[*workspace.File][]byte)
	byFile := make(map[*workspace.File][]diagnostics.Edit)
	for _, e := range edits {
		byFile[e.File] = append(byFile[e.File], e)
	}
	for f, es := range byFile {
		var b []byte
		at := 0
		for _, e := range es {
			if e.Span.Start < at {
				t.Fatalf("fix-all edits of %s overlap or are unsorted: %v", f.Path, es)
			}
			b = append(b, f.Content()[at:e.Span.Start]...)
			b = append(b, e.NewText...)
			at = e.Span.End
		}
		out[f] = append(b, f.Content()[at:]...)
	}
	return out
}

// checkFixedParse fails if fix-all made a file unreadable that was not: a
// go.mod or go.work modfile no longer parses, a go.sum with more malformed
// lines.
func checkFixedParse(t *testing.T, path string, before, after []byte) {
	t.Helper()
	name := filepath.Base(path)
	var errBefore, errAfter error
	switch workspace.KindOf(path) {
	case workspace.KindGoMod:
		_, errBefore = modfile.Parse(name, before, nil)
		_, errAfter = modfile.Parse(name, after, nil)
	case workspace.KindGoWork:
		_, errBefore = modfile.ParseWork(name, before, nil)
		_, errAfter = modfile.ParseWork(name, after, nil)
	case workspace.KindGoSum, workspace.KindGoWorkSum:
		nb := len(workspace.ParseSum(workspace.NewFile(path, before, 0)).Errors)
		na := len(workspace.ParseSum(workspace.NewFile(path, after, 0)).Errors)
		if na > nb {
			t.Errorf("fix-all adds malformed lines to %s:\n%s", path, after)
		}
		return
	default:
		return
	}
	if errBefore == nil && errAfter != nil {
		t.Errorf("fix-all breaks %s: %v\nbefore:\n%s\nafter:\n%s", path, errAfter, before, after)
	}
}

// renderDiagnostics writes diags as text that holds everything a client is
// shown, with paths relative to root.
func renderDiagnostics(root string, diags []diagnostics.Diagnostic) string {
	rel := func(f *workspace.File) string {
		if f == nil {
			return "-"
		}
		r, err := filepath.Rel(root, f.Path)
		if err != nil {
			return f.Path
		}
		return r
	}
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "%s:%v %s %s %q tags=%v\n", rel(d.File), d.Span, d.Severity, d.Code, d.Message, d.Tags)
		for _, r := range d.Related {
			fmt.Fprintf(&b, "\trelated %s:%v %q\n", rel(r.File), r.Span, r.Message)
		}
		for _, fix := range d.Fixes {
			fmt.Fprintf(&b, "\tfix %q %s\n", fix.Title, fix.Kind)
			for _, e := range fix.Edits {
				fmt.Fprintf(&b, "\t\tedit %s:%v %q\n", rel(e.File), e.Span, e.NewText)
			}
			if c := fix.Command; c != nil {
				fmt.Fprintf(&b, "\t\tcommand %s %q %s %q\n", c.Name, c.Title, c.Dir, c.Args)
			}
		}
	}
	return b.String()
}
