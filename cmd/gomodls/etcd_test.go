package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// TestEtcd is issue 4's acceptance check on etcd's workspace (its go.work
// and the modules it uses), too large to keep in testdata: it runs only
// when GOMODLS_ETCD names the tree scripts/etcd.sh builds, with the
// GOMODCACHE the script filled:
//
//	dir=$(scripts/etcd.sh)
//	GOMODCACHE=${TMPDIR:-/tmp}/gomodls-etcd/modcache GOMODLS_ETCD=$dir go test -run TestEtcd -v ./cmd/gomodls
//
// On a copy of the tree per case it runs go list -m (offline) and gomodls's
// checks: unmodified, go passes and gomodls reports no error or warning;
// after each breakage go fails (or, for a warning, passes) and gomodls
// reports exactly the expected errors and warnings on the lines the
// breakage touched; after gomodls's fix is applied (its text edits, or the
// go command it runs), go list -m passes and the diagnostic is gone. The
// other diagnostics and go's output are logged (-v) for review.
func TestEtcd(t *testing.T) {
	src := os.Getenv("GOMODLS_ETCD")
	if src == "" {
		t.Skip("set GOMODLS_ETCD to the tree scripts/etcd.sh prints (and GOMODCACHE to its module cache) to run")
	}
	if _, err := os.Stat(filepath.Join(src, "go.work")); err != nil {
		t.Fatalf("GOMODLS_ETCD=%s holds no go.work (build it with scripts/etcd.sh): %v", src, err)
	}
	env := append(checkEnv(), "GOPROXY=off", "GOFLAGS=-modcacherw")
	if cache := os.Getenv("GOMODCACHE"); cache != "" {
		env = append(env, "GOMODCACHE="+cache)
	}

	// An expected error or warning: code on line of file (relative to the
	// tree).
	type want struct {
		file string
		line int
		code string
	}
	tests := []struct {
		name   string
		mutate func(t *testing.T, dir string) []want // breaks the tree, returns the errors and warnings to expect
		fix    string                                // the code whose fix is applied
	}{
		{name: "unmodified", mutate: func(*testing.T, string) []want { return nil }},
		{
			name: "delete tools/rw-heatmaps", fix: "gowork-use-missing-dir",
			mutate: func(t *testing.T, dir string) []want {
				removeAll(t, dir, "tools/rw-heatmaps")
				return []want{{"go.work", lineOf(t, dir, "go.work", "\t./tools/rw-heatmaps\n"), "gowork-use-missing-dir"}}
			},
		},
		{
			// etcdutl is also the target of local replaces (the root
			// module's go.etcd.io/etcd/etcdutl/v3 => ./etcdutl): go
			// ignores those while etcdutl is a workspace module.
			name: "delete etcdutl", fix: "gowork-use-missing-dir",
			// The root and tests modules replace etcdutl by that directory:
			// go list -m all fails on them too once the use is removed, and
			// gomodls says so (replace-dir-missing).
			mutate: func(t *testing.T, dir string) []want {
				removeAll(t, dir, "etcdutl")
				return []want{
					{"go.mod", lineOf(t, dir, "go.mod", "go.etcd.io/etcd/etcdutl/v3 => ./etcdutl"), "replace-dir-missing"},
					{"go.work", lineOf(t, dir, "go.work", "\t./etcdutl\n"), "gowork-use-missing-dir"},
					{"tests/go.mod", lineOf(t, dir, "tests/go.mod", "go.etcd.io/etcd/etcdutl/v3 => ../etcdutl"), "replace-dir-missing"},
				}
			},
		},
		{
			name: "lower the go.work go line", fix: "work-go-too-old-for-module",
			mutate: func(t *testing.T, dir string) []want {
				replaceIn(t, dir, "go.work", "\ngo 1.26\n", "\ngo 1.25\n")
				return []want{{"go.work", lineOf(t, dir, "go.work", "go 1.25\n"), "work-go-too-old-for-module"}}
			},
		},
		{
			// go.uber.org/zap v1.27.1 is what the workspace selects, v1.28.0
			// another version: both are in the module cache.
			name: "conflicting replaces in api and server", fix: "gowork-replace-conflict-across-modules",
			mutate: func(t *testing.T, dir string) []want {
				appendTo(t, dir, "api/go.mod", "\nreplace go.uber.org/zap => go.uber.org/zap v1.27.1\n")
				appendTo(t, dir, "server/go.mod", "\nreplace go.uber.org/zap => go.uber.org/zap v1.28.0\n")
				return []want{
					{"api/go.mod", lineOf(t, dir, "api/go.mod", "replace go.uber.org/zap"), "gowork-replace-conflict-across-modules"},
					{"server/go.mod", lineOf(t, dir, "server/go.mod", "replace go.uber.org/zap"), "gowork-replace-conflict-across-modules"},
				}
			},
		},
		{
			// go passes: the workspace selects the root module's v1.11.1.
			// The fix is go work sync.
			name: "lower a requirement of client/pkg", fix: "version-skew",
			mutate: func(t *testing.T, dir string) []want {
				replaceIn(t, dir, "client/pkg/go.mod", "github.com/stretchr/testify v1.11.1\n", "github.com/stretchr/testify v1.7.0\n")
				return []want{{"client/pkg/go.mod", lineOf(t, dir, "client/pkg/go.mod", "\tgithub.com/stretchr/testify v1.7.0"), "version-skew"}}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
				t.Fatal(err)
			}
			wantErrs := tt.mutate(t, dir)

			goErr := goListM(t, dir, env)
			diags := etcdCheck(t, dir, env)
			var got []want
			goFails := false
			for _, d := range diags {
				if deprecatedProtobuf(d) {
					continue
				}
				if d.Severity.AtLeast(diagnostics.SeverityWarning) {
					got = append(got, want{rel(dir, d.File), d.File.Point(d.Span.Start).Line + 1, d.Code})
				}
				goFails = goFails || d.Severity == diagnostics.SeverityError
			}
			if (goErr != "") != goFails {
				t.Errorf("go list -m failed: %t; gomodls reports an error: %t", goErr != "", goFails)
			}
			// A check may report one error per module (work-go-too-old-for-module):
			// compare the distinct places.
			got = slices.Compact(got)
			if !slices.Equal(got, wantErrs) {
				t.Errorf("gomodls errors and warnings = %v\nwant %v", got, wantErrs)
			}
			if tt.fix == "" {
				return
			}

			fix := findFix(diags, tt.fix)
			if fix == nil {
				t.Fatalf("no %s with a fix", tt.fix)
			}
			t.Logf("applying %q", fix.Title)
			applyFixEdits(t, fix)
			if fix.Command != nil {
				runFixCommand(t, fix.Command, env)
			}
			if goErr := goListM(t, dir, env); goErr != "" {
				t.Errorf("go list -m fails after the fix %q", fix.Title)
			}
			for _, d := range etcdCheck(t, dir, env) {
				if d.Code == tt.fix {
					t.Errorf("after the fix: %s", formatDiag(dir, d))
				}
			}
		})
	}
}

// deprecatedProtobuf reports the warnings every case has: etcd v3.7.1's
// modules still require github.com/golang/protobuf, whose go.mod says
// "Deprecated: Use the "google.golang.org/protobuf" module instead." A
// maintainer would agree with them; they are not what a case is about.
func deprecatedProtobuf(d diagnostics.Diagnostic) bool {
	return d.Code == "deprecated-module" && strings.Contains(d.Message, "github.com/golang/protobuf ")
}

// etcdCheck runs gomodls's checks on dir and logs what they report.
func etcdCheck(t *testing.T, dir string, env []string) []diagnostics.Diagnostic {
	t.Helper()
	goEnv := workspace.LoadEnv(context.Background(), "go", env)
	if goEnv.Err != nil {
		t.Fatalf("go env: %v", goEnv.Err)
	}
	diags := diagnostics.Run(workspace.Load(goEnv, []string{dir}), diagnostics.Checks, func(check string, panicked any, _ []byte) {
		t.Errorf("check %s panicked: %v", check, panicked)
	})
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "\n\t%s", formatDiag(dir, d))
		for _, r := range d.Related {
			fmt.Fprintf(&b, "\n\t\trelated %s:%d: %s", rel(dir, r.File), r.File.Point(r.Span.Start).Line+1, r.Message)
		}
	}
	t.Logf("gomodls: %d diagnostics%s", len(diags), b.String())
	return diags
}

func formatDiag(dir string, d diagnostics.Diagnostic) string {
	if d.File == nil {
		return fmt.Sprintf("%s: %s [%s]", d.Severity, d.Message, d.Code)
	}
	return fmt.Sprintf("%s:%d: %s: %s [%s]", rel(dir, d.File), d.File.Point(d.Span.Start).Line+1, d.Severity, d.Message, d.Code)
}

// goListM runs go list -m in dir, logs its errors and returns them ("" when
// it passed).
func goListM(t *testing.T, dir string, env []string) string {
	t.Helper()
	cmd := exec.Command("go", "list", "-m")
	cmd.Dir = dir
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if stderr.Len() == 0 {
			t.Fatalf("go list -m: %v", err)
		}
		t.Logf("go list -m: %v\n%s", err, stderr.String())
		return stderr.String()
	}
	t.Logf("go list -m: ok")
	return ""
}

// findFix returns the first fix of a diagnostic with code.
func findFix(diags []diagnostics.Diagnostic, code string) *diagnostics.Fix {
	for _, d := range diags {
		if d.Code == code && len(d.Fixes) > 0 {
			return &d.Fixes[0]
		}
	}
	return nil
}

// fixGoArgs are the go commands of the command fixes, as the language
// server runs them (lsp/work_commands.go, lsp/vendor_command.go).
var fixGoArgs = map[string][]string{
	diagnostics.CommandWorkSync: {"work", "sync"},
	diagnostics.CommandWorkUse:  {"work", "use"},
	diagnostics.CommandWorkInit: {"work", "init"},
}

// runFixCommand runs the go command of a command fix in its directory.
func runFixCommand(t *testing.T, c *diagnostics.Command, env []string) {
	t.Helper()
	args, ok := fixGoArgs[c.Name]
	if !ok {
		t.Fatalf("fix command %s: not a go work command", c.Name)
	}
	cmd := exec.Command("go", append(slices.Clone(args), c.Args...)...)
	cmd.Dir = c.Dir
	cmd.Env = append(slices.Clone(env), "GOWORK="+filepath.Join(c.Dir, "go.work"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, out)
	}
	t.Logf("ran %s", cmd)
}

// applyFixEdits writes fix's edits to disk, as the applyfix script command
// does.
func applyFixEdits(t *testing.T, fix *diagnostics.Fix) {
	t.Helper()
	if err := writeFix(fix); err != nil {
		t.Fatal(err)
	}
}

func rel(dir string, f *workspace.File) string {
	r, err := filepath.Rel(dir, f.Path)
	if err != nil {
		return f.Path
	}
	return filepath.ToSlash(r)
}

// lineOf returns the 1-based line of file (relative to dir) on which s
// starts; s must occur once.
func lineOf(t *testing.T, dir, file, s string) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), s); n != 1 {
		t.Fatalf("%q occurs %d times in %s, want once", s, n, file)
	}
	i := strings.Index(string(data), s)
	if strings.HasPrefix(s, "\n") {
		i++
	}
	return strings.Count(string(data[:i]), "\n") + 1
}

func removeAll(t *testing.T, dir, rel string) {
	t.Helper()
	if err := os.RemoveAll(filepath.Join(dir, rel)); err != nil {
		t.Fatal(err)
	}
}

func replaceIn(t *testing.T, dir, file, old, new string) {
	t.Helper()
	path := filepath.Join(dir, file)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(data), old) != 1 {
		t.Fatalf("%q does not occur once in %s", old, file)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o666); err != nil {
		t.Fatal(err)
	}
}

func appendTo(t *testing.T, dir, file, text string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, file), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
