package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomodls/gomodls/diagnostics"
)

// TestOtelContrib is issue 6's acceptance check on opentelemetry-go-contrib
// (many modules, many local replaces, no go.work), too large to keep in
// testdata: it runs only when GOMODLS_OTEL names the tree
// scripts/otelcontrib.sh builds, with the GOMODCACHE the script filled:
//
//	dir=$(scripts/otelcontrib.sh)
//	GOMODCACHE=${TMPDIR:-/tmp}/gomodls-otel/modcache GOMODLS_OTEL=$dir go test -run TestOtelContrib -v ./cmd/gomodls
//
// On a copy of the tree per case it runs gomodls's checks and the go
// command (offline) in the module the case breaks: unmodified, gomodls
// reports no error, with the module cache and with an empty one; a broken
// local replace path gives replace-dir-missing on that line; a go.sum line
// removed gives sum-missing-zip, and its fix (go mod download) makes go
// build pass and the error go away. Other diagnostics are logged (-v).
func TestOtelContrib(t *testing.T) {
	src := os.Getenv("GOMODLS_OTEL")
	if src == "" {
		t.Skip("set GOMODLS_OTEL to the tree scripts/otelcontrib.sh prints (and GOMODCACHE to its module cache) to run")
	}
	if _, err := os.Stat(filepath.Join(src, "propagators/autoprop/go.mod")); err != nil {
		t.Fatalf("GOMODLS_OTEL=%s is not the tree scripts/otelcontrib.sh builds: %v", src, err)
	}
	env := append(checkEnv(), "GOPROXY=off", "GOFLAGS=-modcacherw", "GOWORK=off")
	if cache := os.Getenv("GOMODCACHE"); cache != "" {
		env = append(env, "GOMODCACHE="+cache)
	}
	type want struct {
		file string
		line int
		code string
	}
	const autoprop = "propagators/autoprop"
	tests := []struct {
		name       string
		emptyCache bool
		mutate     func(t *testing.T, dir string) []want // the errors to expect
		goFails    bool                                  // go build in autoprop
		fix        string
	}{
		{name: "unmodified", mutate: func(*testing.T, string) []want { return nil }},
		{name: "unmodified, empty module cache", emptyCache: true, mutate: func(*testing.T, string) []want { return nil }},
		{
			name: "broken replace path in autoprop", goFails: true,
			mutate: func(t *testing.T, dir string) []want {
				replaceIn(t, dir, autoprop+"/go.mod", "=> ../b3\n", "=> ../b3x\n")
				return []want{{autoprop + "/go.mod", lineOf(t, dir, autoprop+"/go.mod", "=> ../b3x\n"), "replace-dir-missing"}}
			},
		},
		{
			name: "zip hash removed from autoprop's go.sum", goFails: true, fix: diagnostics.CodeSumMissingZip,
			mutate: func(t *testing.T, dir string) []want {
				sum := filepath.Join(dir, autoprop, "go.sum")
				data, err := os.ReadFile(sum)
				if err != nil {
					t.Fatal(err)
				}
				var kept []string
				for _, l := range strings.SplitAfter(string(data), "\n") {
					if !strings.HasPrefix(l, "go.opentelemetry.io/otel v") || strings.Contains(l, "/go.mod ") {
						kept = append(kept, l)
					}
				}
				if err := os.WriteFile(sum, []byte(strings.Join(kept, "")), 0o666); err != nil {
					t.Fatal(err)
				}
				line := lineOf(t, dir, autoprop+"/go.mod", "\tgo.opentelemetry.io/otel v")
				gomod, _ := os.ReadFile(filepath.Join(dir, autoprop, "go.mod"))
				_, after, _ := strings.Cut(string(gomod), "\tgo.opentelemetry.io/otel ")
				v, _, _ := strings.Cut(after, "\n")
				// On go.sum, where the line would go: before the /go.mod line of that version.
				sumLine := lineOf(t, dir, autoprop+"/go.sum", "go.opentelemetry.io/otel "+v+"/go.mod ")
				return []want{{autoprop + "/go.mod", line, diagnostics.CodeSumMissingZip}, {autoprop + "/go.sum", sumLine, diagnostics.CodeSumMissingZip}}
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
			env := env
			if tt.emptyCache {
				env = append(slices.Clone(env), "GOMODCACHE="+t.TempDir())
			}
			diags := etcdCheck(t, dir, env)
			var got []want
			for _, d := range diags {
				if d.Severity == diagnostics.SeverityError {
					got = append(got, want{rel(dir, d.File), d.File.Point(d.Span.Start).Line + 1, d.Code})
				}
			}
			got = slices.Compact(got)
			if !slices.Equal(got, wantErrs) {
				t.Errorf("gomodls errors = %v\nwant %v", got, wantErrs)
			}
			if tt.emptyCache {
				return
			}
			if goErr := goBuild(t, filepath.Join(dir, autoprop), env); (goErr != "") != tt.goFails {
				t.Errorf("go build fails: %t, want %t", goErr != "", tt.goFails)
			}
			if tt.fix == "" {
				return
			}
			fix := findFix(diags, tt.fix)
			if fix == nil || fix.Command == nil || fix.Command.Name != diagnostics.CommandDownload {
				t.Fatalf("no %s with a %s fix", tt.fix, diagnostics.CommandDownload)
			}
			cmd := exec.Command("go", append([]string{"mod", "download"}, fix.Command.Args...)...)
			// Offline, the checksum database cannot confirm the hash the
			// module cache holds: trust the cache, as GOSUMDB=off does.
			cmd.Dir, cmd.Env = fix.Command.Dir, append(slices.Clone(env), "GOSUMDB=off")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", cmd, err, out)
			}
			if goErr := goBuild(t, filepath.Join(dir, autoprop), env); goErr != "" {
				t.Errorf("go build fails after the fix %q", fix.Title)
			}
			for _, d := range etcdCheck(t, dir, env) {
				if d.Severity == diagnostics.SeverityError {
					t.Errorf("after the fix: %s", formatDiag(dir, d))
				}
			}
		})
	}
}

// goBuild runs go build ./... in dir, logs its errors and returns them ("" when it passed).
func goBuild(t *testing.T, dir string, env []string) string {
	t.Helper()
	cmd := exec.Command("go", "build", "./...")
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Logf("go build: %v\n%s", err, out)
		return string(out)
	}
	return ""
}
