package lsp_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/lsp"
	"github.com/gomodls/gomodls/lsp/lsptest"
)

// floodedSum is a workspace of two modules: m, whose go.sum holds the two
// lines it needs and then unused lines (pairs for modules nothing requires)
// up to about size bytes, every one a sum-unused-lines hint with a fix; and
// other, a small module that an unrelated edit changes. The module cache
// holds m's one dependency.
func floodedSum(tb testing.TB, size int) (lsptest.Config, string) {
	return floodedSumOf(tb, size, "example.com/unused%07d v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nexample.com/unused%07[1]d v1.0.0/go.mod h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=\n")
}

// floodedSumOf is floodedSum with the lines that fill the go.sum: line, a
// format of the line's number.
func floodedSumOf(tb testing.TB, size int, line string) (lsptest.Config, string) {
	tb.Helper()
	cache, kept := cachedDep(tb)
	var sum strings.Builder
	sum.WriteString(kept)
	for i := 0; sum.Len() < size; i++ {
		fmt.Fprintf(&sum, line, i)
	}
	env := cacheEnv(tb, cache)
	return lsptest.Config{
		Files: "-- m/go.mod --\nmodule example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n" +
			"-- m/m.go --\npackage m\n\nimport _ \"example.com/dep\"\n" +
			"-- other/go.mod --\nmodule example.com/other\n\ngo 1.22\n",
		Options: lsp.Options{Env: &env},
	}, sum.String()
}

// publishedSize is the size in bytes of the last publishDiagnostics for rel.
func publishedSize(c *lsptest.Client, rel string) int {
	p, _ := c.LastPublish(rel)
	return len(p.Raw)
}

// BenchmarkFloodedGoSum measures, with a 10 MB go.sum of unused lines,
// how long an edit of another module's go.mod takes to publish (also as
// CPU time, which a machine loaded by other work inflates less than the
// wall clock), and reports the go.sum's publish and the peak RSS.
func BenchmarkFloodedGoSum(b *testing.B) {
	b.Run("unused", func(b *testing.B) {
		cfg, sum := floodedSum(b, 10<<20)
		benchmarkFlood(b, cfg, sum, diagnostics.CodeSumUnusedLines)
	})
	// Every line malformed (two fields): sum-malformed errors.
	b.Run("malformed", func(b *testing.B) {
		cfg, sum := floodedSumOf(b, 10<<20, "example.com/bad%07d v1.0.0\n")
		benchmarkFlood(b, cfg, sum, diagnostics.CodeSumMalformed)
	})
}

func benchmarkFlood(b *testing.B, cfg lsptest.Config, sum, code string) {
	c := lsptest.New(b, cfg)
	c.WriteFile("m/go.sum", sum)
	old := lsptest.Timeout
	lsptest.Timeout = 5 * time.Minute
	defer func() { lsptest.Timeout = old }()
	start := time.Now()
	c.Initialize(lsptest.AllCapabilities)
	diags := c.AwaitDiagnostics("m/go.sum", lsptest.HasCode(code))
	b.Logf("first publish after %v: %d diagnostics, %d bytes", time.Since(start), len(diags), publishedSize(c, "m/go.sum"))
	c.Open("other/go.mod")
	c.AwaitDiagnostics("other/go.mod", lsptest.NoDiagnostics)
	texts := [2]string{c.Buffer("other/go.mod"), c.Buffer("other/go.mod") + "\n"}
	b.ResetTimer()
	cpu := processCPU()
	for i := range b.N {
		c.Change("other/go.mod", texts[(i+1)%2])
		c.AwaitDiagnostics("other/go.mod", func([]protocol.Diagnostic) bool { return true })
	}
	b.StopTimer()
	if cpu := processCPU() - cpu; cpu > 0 {
		b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	}
	b.ReportMetric(float64(len(diags)), "diagnostics")
	b.ReportMetric(float64(publishedSize(c, "m/go.sum")), "publish-bytes")
	if kb := peakRSS(); kb > 0 {
		b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
	}
}

// peakRSS is the process's peak resident set size in KiB (VmHWM), or 0
// where /proc does not say.
func peakRSS() int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int
			fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
			return kb
		}
	}
	return 0
}

// issue 10, item 6: a go.sum of thousands of unused lines gets at most
// maxDiagnosticsPerCode of them (default 100) and one summary whose fix
// stands for the rest, in a publish of bounded size; fix-all still removes
// every unused line, and the quick fix of one line removes that line.
func TestFloodedGoSumIsBounded(t *testing.T) {
	cfg, sum := floodedSum(t, 1<<20)
	unused := strings.Count(sum, "\n") - 2
	c := lsptest.New(t, cfg)
	c.WriteFile("m/go.sum", sum)
	c.Initialize(lsptest.AllCapabilities)
	c.Open("m/go.sum")
	diags := c.AwaitDiagnostics("m/go.sum", lsptest.HasCode(diagnostics.CodeSumUnusedLines))
	if len(diags) != diagnostics.DefaultMaxPerCode+1 {
		t.Fatalf("%d diagnostics for %d unused lines, want %d and a summary", len(diags), unused, diagnostics.DefaultMaxPerCode)
	}
	if size := publishedSize(c, "m/go.sum"); size > 100<<10 {
		t.Errorf("the go.sum's publish is %d bytes, want at most 100 KiB", size)
	}
	s := diags[len(diags)-1]
	if want := fmt.Sprintf("and %d,%03d more unused go.sum lines", (unused-100)/1000, (unused-100)%1000); !strings.HasPrefix(s.Message, want) ||
		s.Code != diagnostics.CodeSumUnusedLines || s.Severity != protocol.DiagnosticSeverityHint || s.Range.Start.Line != 102 || s.CodeDescription == nil {
		t.Errorf("summary %+v, want %q… with the code, its link and severity, on line 103", s, want)
	}

	// The quick fix of one shown line removes it alone.
	line5 := strings.SplitAfter(sum, "\n")[4]
	var quick *protocol.CodeAction
	for _, a := range c.CodeActions("m/go.sum", at(4, 3)) {
		if a.Title == "Remove unused go.sum line" {
			quick = &a
		}
	}
	if quick == nil {
		t.Fatal("no quick fix on line 5")
	}
	c.ApplyEdit(quick.Edit)
	if got, want := c.Buffer("m/go.sum"), strings.Replace(sum, line5, "", 1); got != want {
		t.Fatalf("the quick fix removed more than line 5: %d bytes left, want %d", len(got), len(want))
	}
	c.AwaitDiagnostics("m/go.sum", lsptest.HasCode(diagnostics.CodeSumUnusedLines))

	// Fix-all: the 100 and the summary's fix, which is one edit.
	actions := c.CodeActions("m/go.sum", at(0, 0), "source.fixAll")
	if len(actions) != 1 {
		t.Fatalf("actions = %+v, want one fix-all", actions)
	}
	if n := len(actions[0].Edit.DocumentChanges[0].Edits); n > diagnostics.DefaultMaxPerCode+1 {
		t.Errorf("fix-all has %d edits, want at most %d", n, diagnostics.DefaultMaxPerCode+1)
	}
	c.ApplyEdit(actions[0].Edit)
	if got, want := c.Buffer("m/go.sum"), strings.Join(strings.SplitAfter(sum, "\n")[:2], ""); got != want {
		t.Errorf("after fix-all go.sum has %d bytes, want the %d of its two used lines", len(got), len(want))
	}
	c.AwaitDiagnostics("m/go.sum", lsptest.NoDiagnostics)
}

// maxDiagnosticsPerCode sets the bound; 0 means none.
func TestMaxDiagnosticsPerCodeSetting(t *testing.T) {
	for _, tt := range []struct {
		setting any
		want    int
	}{{5, 6}, {0, 200}, {nil, 101}, {-1, 101}} {
		t.Run(fmt.Sprint(tt.setting), func(t *testing.T) {
			cfg, sum := floodedSum(t, 0)
			for i := range 100 {
				sum += fmt.Sprintf("example.com/u%03d v1.0.0 h1:A=\nexample.com/u%03d v1.0.0/go.mod h1:B=\n", i, i)
			}
			if tt.setting != nil {
				cfg.InitializationOptions = map[string]any{"maxDiagnosticsPerCode": tt.setting}
			}
			c := lsptest.New(t, cfg)
			c.WriteFile("m/go.sum", sum)
			c.Initialize(lsptest.AllCapabilities)
			if diags := c.AwaitDiagnostics("m/go.sum", lsptest.HasCode(diagnostics.CodeSumUnusedLines)); len(diags) != tt.want {
				t.Errorf("%d diagnostics, want %d", len(diags), tt.want)
			}
		})
	}
}
