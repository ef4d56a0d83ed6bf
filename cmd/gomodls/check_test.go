package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const demoDir = "../../testdata/demo"

// contractReport is the JSON document of docs/diagnostics.md, transcribed
// from the contract rather than shared with the code that writes it, so that
// a change to either shows up here.
type contractReport struct {
	Version     int                   `json:"version"`
	Diagnostics *[]contractDiagnostic `json:"diagnostics"` // a pointer, to tell [] from a missing field
}

type contractDiagnostic struct {
	File     string            `json:"file"`
	Range    contractRange     `json:"range"`
	Severity string            `json:"severity"`
	Code     string            `json:"code"`
	Source   string            `json:"source"`
	Message  string            `json:"message"`
	Related  []contractRelated `json:"related"`
	Fixes    []contractFix     `json:"fixes"`
}

type contractFix struct {
	Title   string `json:"title"`
	Command string `json:"command"`
	Dir     string `json:"dir"`
}

type contractRelated struct {
	File    string        `json:"file"`
	Range   contractRange `json:"range"`
	Message string        `json:"message"`
}

type contractRange struct {
	Start contractPosition `json:"start"`
	End   contractPosition `json:"end"`
}

type contractPosition struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// checkEnv is the process environment with the go command's settings that
// could change what the demo reports cleared.
func checkEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GO") || strings.HasPrefix(kv, "GOMODLS_") {
			env = append(env, kv)
		}
	}
	return append(env, "GOFLAGS=", "GOWORK=", "GO111MODULE=", "GOTOOLCHAIN=local", "GOENV=off")
}

// runGomodls runs gomodls in-process and returns its output and exit code.
func runGomodls(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), checkEnv(), strings.NewReader(""), &out, &errOut, args)
	code = exitCode(&errOut, err)
	return out.String(), errOut.String(), code
}

// TestCheckJSONContract checks `gomodls check -format=json` on the demo
// against the contract: exactly its fields, severities from its set, ordered
// ranges, relative slash-separated paths, sorted output.
func TestCheckJSONContract(t *testing.T) {
	stdout, stderr, code := runGomodls(t, "check", "-format=json", demoDir)
	if code != 1 {
		t.Fatalf("exit code %d, want 1 (the demo has errors); stderr:\n%s", code, stderr)
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	var r contractReport
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("output does not decode into the contract's shape: %v\n%s", err, stdout)
	}
	if dec.More() {
		t.Errorf("more than one JSON value in the output")
	}
	if r.Version != 1 {
		t.Errorf("version = %d, want 1", r.Version)
	}
	if r.Diagnostics == nil {
		t.Fatal(`no "diagnostics" field`)
	}
	diags := *r.Diagnostics
	if len(diags) == 0 {
		t.Fatal("no diagnostics for the demo")
	}
	if strings.Contains(stdout, `"related": []`) || strings.Contains(stdout, `"related": null`) {
		t.Errorf(`"related" must be omitted when empty:\n%s`, stdout)
	}
	if strings.Contains(stdout, `"fixes": []`) || strings.Contains(stdout, `"fixes": null`) {
		t.Errorf(`"fixes" must be omitted when empty:\n%s`, stdout)
	}
	codes := map[string]bool{}
	commandFixes := 0
	for i, d := range diags {
		codes[d.Code] = true
		switch d.Severity {
		case "error", "warning", "information", "hint":
		default:
			t.Errorf("diagnostic %d: severity %q is not in the contract's set", i, d.Severity)
		}
		if d.Source != "gomodls" {
			t.Errorf("diagnostic %d: source = %q, want gomodls", i, d.Source)
		}
		if !regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`).MatchString(d.Code) {
			t.Errorf("diagnostic %d: code %q is not kebab-case", i, d.Code)
		}
		if d.Message == "" {
			t.Errorf("diagnostic %d: empty message", i)
		}
		checkRelativePath(t, d.File)
		checkRange(t, d.Range)
		for _, rel := range d.Related {
			checkRelativePath(t, rel.File)
			checkRange(t, rel.Range)
		}
		for _, f := range d.Fixes {
			if f.Title == "" {
				t.Errorf("diagnostic %d: a fix without a title", i)
			}
			if (f.Command == "") != (f.Dir == "") {
				t.Errorf("diagnostic %d: fix %q has command %q and dir %q: both or neither", i, f.Title, f.Command, f.Dir)
			}
			if f.Command != "" {
				commandFixes++
				if !strings.HasPrefix(f.Command, "go ") {
					t.Errorf("diagnostic %d: fix %q: command %q is not a go command", i, f.Title, f.Command)
				}
				if f.Dir != "." {
					checkRelativePath(t, f.Dir)
				}
			}
		}
		if i > 0 && less(d, diags[i-1]) {
			t.Errorf("diagnostic %d (%s) sorts before diagnostic %d (%s)", i, d.File, i-1, diags[i-1].File)
		}
	}
	if commandFixes == 0 {
		t.Errorf("no fix in the demo runs a go command (go mod vendor, at least)")
	}
	for _, code := range []string{"gomod-parse-error", "gowork-parse-error", "sum-malformed", "vendor-modules-txt-malformed"} {
		if !codes[code] {
			t.Errorf("the demo shows no %s", code)
		}
	}
}

func checkRelativePath(t *testing.T, file string) {
	t.Helper()
	if file == "" || filepath.IsAbs(file) || strings.HasPrefix(file, "/") || strings.Contains(file, `\`) ||
		path.Clean(file) != file || file == ".." || strings.HasPrefix(file, "../") {
		t.Errorf("file %q is not a clean, relative, slash-separated path inside the checked directory", file)
	}
}

func checkRange(t *testing.T, r contractRange) {
	t.Helper()
	if r.Start.Line < 0 || r.Start.Character < 0 || r.End.Line < 0 || r.End.Character < 0 {
		t.Errorf("range %+v has a negative position", r)
	}
	if r.End.Line < r.Start.Line || r.End.Line == r.Start.Line && r.End.Character < r.Start.Character {
		t.Errorf("range %+v ends before it starts", r)
	}
}

func less(a, b contractDiagnostic) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Range.Start.Line != b.Range.Start.Line {
		return a.Range.Start.Line < b.Range.Start.Line
	}
	return a.Range.Start.Character < b.Range.Start.Character
}

// TestCheckCleanJSON: a directory without problems gives "diagnostics": [],
// not null, and exit code 0.
func TestCheckCleanJSON(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runGomodls(t, "check", "-format=json", dir)
	if code != 0 {
		t.Fatalf("exit code %d, want 0; stderr:\n%s", code, stderr)
	}
	if want := "{\n  \"version\": 1,\n  \"diagnostics\": []\n}\n"; stdout != want {
		t.Errorf("clean output = %q, want %q", stdout, want)
	}
}

// TestDemoOutput keeps the "Expected output" block of testdata/demo/README.md
// equal to what `gomodls check ./testdata/demo` prints. With -update it
// rewrites the block.
func TestDemoOutput(t *testing.T) {
	checkDemoBlock(t, "Expected output", nil, demoDir)
}

// TestDemoEnvironmentOutput does the same for the environment part, run as
// the README says: GOFLAGS=-mod=mod GOPROXY=off gomodls check
// ./testdata/demo/environment.
func TestDemoEnvironmentOutput(t *testing.T) {
	checkDemoBlock(t, "Expected output with that environment", []string{"GOFLAGS=-mod=mod", "GOPROXY=off"}, filepath.Join(demoDir, "environment"))
}

func checkDemoBlock(t *testing.T, heading string, env []string, dir string) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append(checkEnv(), env...), strings.NewReader(""), &out, &errOut, []string{"check", dir})
	stdout, stderr, code := out.String(), errOut.String(), exitCode(&errOut, err)
	if code != 1 {
		t.Errorf("exit code %d, want 1 (the README says so); stderr:\n%s", code, stderr)
	}
	readme := filepath.Join(demoDir, "README.md")
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)## " + regexp.QuoteMeta(heading) + "\n.*?```text\n(.*?)```\n")
	m := block.FindSubmatchIndex(data)
	if m == nil {
		t.Fatalf("%s has no \"## %s\" section with a ```text block", readme, heading)
	}
	if got := string(data[m[2]:m[3]]); got != stdout {
		if *update {
			updated := append(append(append([]byte(nil), data[:m[2]]...), stdout...), data[m[3]:]...)
			if err := os.WriteFile(readme, updated, 0o666); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("%s shows:\n%s\ngomodls check prints:\n%s\n(run go test ./cmd/gomodls -run TestDemo -update to rewrite the README)", readme, got, stdout)
	}
}
