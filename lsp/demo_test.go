package lsp_test

import (
	"io/fs"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/lsp/lsptest"
)

// demoFiles is testdata/demo as a txtar archive, for a session on a copy.
func demoFiles(t *testing.T) string {
	t.Helper()
	root := filepath.Join("..", "testdata", "demo")
	var a txtar.Archive
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		a.Files = append(a.Files, txtar.File{Name: filepath.ToSlash(rel), Data: data})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(txtar.Format(&a))
}

// goIn runs the real go command (opts') in dir and returns its output and
// whether it succeeded.
func goIn(t *testing.T, goCmd string, env []string, dir string, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(goCmd, args...)
	cmd.Dir = dir
	cmd.Env = append(env, "GOFLAGS=-modcacherw")
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

// TestDemo is the editor's walk through testdata/demo, in the order its
// README gives: hover on the drifting require says which version the build
// selects and who requires it, and what vendor/ holds; completion in
// multi/go.work offers the module go.work does not use; formatting a
// scrambled go.mod gives go mod edit -fmt's bytes; and the headline quick
// fix, Run go mod vendor, succeeds offline and clears the diagnostics —
// with the real go command failing before it and passing after.
func TestDemo(t *testing.T) {
	opts, _ := realGo(t)
	c := lsptest.New(t, lsptest.Config{Files: demoFiles(t), Options: opts})
	c.Initialize(lsptest.AllCapabilities)
	vendored := filepath.Join(c.Root, "vendored")

	out, ok := goIn(t, opts.GoCommand, opts.CommandEnv, vendored, "build", "./...")
	if ok || !strings.Contains(out, "go: inconsistent vendoring in "+vendored+":") {
		t.Fatalf("go build in the demo's vendored/ before the fix: ok=%v\n%s", ok, out)
	}

	// Hover on the require line (line 12 of vendored/go.mod).
	h := decodeHover(t, hoverAt(t, c, "vendored/go.mod", 11, 10))
	want := "**example.com/dep** v1.1.0\n\n" +
		"- **Selected**: v1.1.0, in the module example.com/demo/vendored\n" +
		"- **Required at v1.1.0 by**: example.com/demo/vendored (main module)\n" +
		"- **Replaced by**: ./dep (" + vendored + "/go.mod)\n" +
		"- **Vendored**: v1.0.0 — inconsistent vendoring: go.mod requires v1.1.0, vendor/modules.txt has v1.0.0; run go mod vendor\n" +
		"- **Its go line**: go 1.22\n" +
		"\n[Documentation](https://pkg.go.dev/example.com/dep@v1.1.0)\n"
	if got := strings.ReplaceAll(h.Contents.Value, `\_`, "_"); got != want {
		t.Errorf("hover on vendored/go.mod's require:\n%s\nwant:\n%s", got, want)
	}

	// Completion on a new use line of multi/go.work.
	work := c.ReadFile("multi/go.work")
	c.OpenText("multi/go.work", work)
	c.Change("multi/go.work", work+"use ./\n")
	line := uint32(strings.Count(work, "\n"))
	if got := items(completeAt(t, c, "multi/go.work", line, 6)); !strings.Contains(got, "./tools") {
		t.Errorf("completion on %q in multi/go.work:\n%s\nwant ./tools", "use ./", got)
	}

	// Formatting tidy/go.mod, scrambled: its blanks respaced (comments'
	// too, which formatting keeps), blank lines doubled and the replace
	// moved above the go line (formatting keeps the order of directives).
	tidy := c.ReadFile("tidy/go.mod")
	replaceLine := "replace example.com/demo/greet => ./greet\n"
	scrambled := strings.Replace(strings.Replace(tidy, replaceLine, "", 1), "go 1.22", replaceLine+"go 1.22", 1)
	scrambled = respace(rand.New(rand.NewSource(1)), strings.ReplaceAll(scrambled, "\n\n", "\n\n\n"))
	c.OpenText("tidy/go.mod", scrambled)
	want = goEditFmt(t, opts.GoCommand, "go.mod", scrambled)
	if want == scrambled {
		t.Fatalf("go mod edit -fmt leaves the scrambled tidy/go.mod as it is:\n%s", scrambled)
	}
	if got := formatBuffer(t, c, "tidy/go.mod"); got != want {
		t.Errorf("formatted:\n%s\nwant (go mod edit -fmt):\n%s", got, want)
	}

	// Run go mod vendor.
	cmd := vendorFix(t, c, "vendored/go.mod", "Run go mod vendor")
	if _, err := c.ExecuteCommand(cmd); err != nil {
		t.Fatalf("Run go mod vendor: %v\nlog: %+v", err, c.LogMessages())
	}
	c.AwaitDiagnostics("vendored/go.mod", lsptest.NoDiagnostics)
	c.AwaitDiagnostics("vendored/vendor/modules.txt", lsptest.NoDiagnostics)
	if out, ok := goIn(t, opts.GoCommand, opts.CommandEnv, vendored, "build", "./..."); !ok {
		t.Errorf("go build in vendored/ after the fix:\n%s", out)
	}
	for _, m := range c.ShowMessages() {
		if m.Type == protocol.MessageTypeError {
			t.Errorf("error message: %s", m.Message)
		}
	}
}

// demoFix returns the quick fix titled title for the diagnostic of code in
// rel, as the demo's README lists them.
func demoFix(t *testing.T, c *lsptest.Client, rel, code, title string) protocol.CodeAction {
	t.Helper()
	diags := c.AwaitDiagnostics(rel, lsptest.HasCode(code))
	for _, d := range diags {
		if d.Code != code {
			continue
		}
		for _, a := range c.CodeActions(rel, d.Range) {
			if a.Title == title {
				return a
			}
		}
	}
	t.Fatalf("no fix %q for %s on %s", title, code, rel)
	return protocol.CodeAction{}
}

// TestDemoQuickFixes applies the quick fixes the demo's README shows for
// multi/ and tidy/, as an editor would, and has the real go command judge
// the result offline: each way of fixing multi/go.work (the three edits, or
// the one go work use command) leaves a workspace go can load, and tidy's
// added require a module go can build.
func TestDemoQuickFixes(t *testing.T) {
	opts, _ := realGo(t)
	apply := func(c *lsptest.Client, rel string, a protocol.CodeAction) {
		t.Helper()
		if a.Edit == nil {
			t.Fatalf("%q has no edit", a.Title)
		}
		c.ApplyEdit(a.Edit) // not open: to disk, as the editor saves it
		c.DidChangeWatchedFiles(protocol.FileChangeTypeChanged, rel)
	}
	judge := func(c *lsptest.Client, dir string, args ...string) {
		t.Helper()
		if out, ok := goIn(t, opts.GoCommand, opts.CommandEnv, filepath.Join(c.Root, dir), args...); !ok {
			t.Errorf("go %s in %s after the fixes:\n%s", strings.Join(args, " "), dir, out)
		}
	}
	t.Run("edits", func(t *testing.T) {
		c := lsptest.New(t, lsptest.Config{Files: demoFiles(t), Options: opts})
		c.Initialize(lsptest.AllCapabilities)
		if _, ok := goIn(t, opts.GoCommand, opts.CommandEnv, filepath.Join(c.Root, "multi"), "list", "-m"); ok {
			t.Fatal("go list -m in multi/ passes before the fixes")
		}
		apply(c, "multi/go.work", demoFix(t, c, "multi/go.work", "gowork-use-missing-dir", "Remove use of ./client"))
		apply(c, "multi/go.work", demoFix(t, c, "multi/go.work", "work-go-too-old-for-module", "Raise go.work go line to 1.22"))
		apply(c, "multi/go.work", demoFix(t, c, "multi/tools/go.mod", "gowork-module-not-used", "Add ./tools to go.work"))
		c.AwaitDiagnostics("multi/go.work", lsptest.NoDiagnostics)
		judge(c, "multi", "list", "-m")

		apply(c, "tidy/go.mod", demoFix(t, c, "tidy/go.mod", "replace-not-required", "Add require example.com/demo/greet v0.0.0-00010101000000-000000000000"))
		c.AwaitDiagnostics("tidy/go.mod", lsptest.NoDiagnostics)
		judge(c, "tidy", "build", "./...")
	})
	t.Run("go work use", func(t *testing.T) {
		c := lsptest.New(t, lsptest.Config{Files: demoFiles(t), Options: opts})
		c.Initialize(lsptest.AllCapabilities)
		a := demoFix(t, c, "multi/go.work", "gowork-module-not-used", "Add all modules (go work use -r .)")
		if a.Command == nil {
			t.Fatalf("%q runs no command", a.Title)
		}
		if _, err := c.ExecuteCommand(a.Command); err != nil {
			t.Fatalf("%s: %v\nlog: %+v", a.Title, err, c.LogMessages())
		}
		c.AwaitDiagnostics("multi/go.work", lsptest.NoDiagnostics)
		judge(c, "multi", "list", "-m")
	})
}
