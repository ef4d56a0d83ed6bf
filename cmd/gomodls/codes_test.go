package main

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/internal/modproxy"
	"github.com/gomodls/gomodls/workspace"
)

// nonCheckCodes are the codes docs/diagnostics.md documents that no Check
// declares, each with the reason.
var nonCheckCodes = map[string]string{
	diagnostics.CodeInternalError:  "diagnostics.Run reports it for a check that panics; no check emits it",
	diagnostics.CodeVendorModified: "diagnostics.VerifyVendor reports it, for check -verify and the server's verify command; no check reads vendored files",
}

// codeHeading is a "### code" heading of docs/diagnostics.md: codes are
// lower-case words joined by hyphens, which no other heading is.
var codeHeading = regexp.MustCompile(`^### ([a-z0-9]+(?:-[a-z0-9]+)+)$`)

// docCodes returns the codes docs/diagnostics.md has a section for.
func docCodes(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "docs", "diagnostics.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	codes := map[string]bool{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		if m := codeHeading.FindStringSubmatch(s.Text()); m != nil {
			if codes[m[1]] {
				t.Errorf("docs/diagnostics.md: two sections for %s", m[1])
			}
			codes[m[1]] = true
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return codes
}

// TestCodesDocumented holds diagnostics.Checks and docs/diagnostics.md in
// step: every code a check declares has a section whose heading is the
// code (where DocURL links), and every such section documents a code some
// check declares or one of nonCheckCodes. Two checks may share a code
// (replace-ignored: one for workspace modules, one for dependencies).
func TestCodesDocumented(t *testing.T) {
	documented := docCodes(t)
	owner := map[string]string{} // code -> check
	for _, c := range cliChecks {
		if len(c.Codes) == 0 {
			t.Errorf("check %s declares no codes", c.Name)
		}
		for i, code := range c.Codes {
			if slices.Contains(c.Codes[:i], code) {
				t.Errorf("check %s declares %s twice", c.Name, code)
			}
			owner[code] = c.Name
			if !documented[code] {
				t.Errorf("check %s declares %s, which docs/diagnostics.md has no \"### %s\" section for", c.Name, code, code)
			}
		}
	}
	for code, why := range nonCheckCodes {
		if _, ok := owner[code]; ok {
			t.Errorf("%s is listed as a code no check declares (%s), but check %s declares it", code, why, owner[code])
		}
		if !documented[code] {
			t.Errorf("%s (%s) has no section in docs/diagnostics.md", code, why)
		}
	}
	for code := range documented {
		if _, ok := owner[code]; !ok && nonCheckCodes[code] == "" {
			t.Errorf("docs/diagnostics.md documents %s, which no check declares (and which is not in nonCheckCodes)", code)
		}
	}
}

// TestEmittedCodesAreDeclared runs every check over the files of every
// testscript in testdata/script, and over testdata/demo, and fails when a
// check emits a code outside its Codes (which SARIF rules and the docs are
// built from). The scripts' files are checked as the archives hold them,
// before any command of the script runs, with the scripts' base
// environment, then again after each "env" line and each "cp" between files
// of the archive, applied in the script's order; the module
// cache holds every module of testdata/mod (go.mod, extracted files and
// zip hash), as after go mod download, without running go.
func TestEmittedCodesAreDeclared(t *testing.T) {
	emitted := map[string]bool{}
	forEachFixture(t, func(t *testing.T, name string, snap *workspace.Snapshot) {
		for _, c := range cliChecks {
			for _, d := range c.Run(snap) {
				emitted[d.Code] = true
				if !slices.Contains(c.Codes, d.Code) {
					t.Errorf("%s: check %s emitted %s, which is not among its Codes %v: %s", name, c.Name, d.Code, c.Codes, d.Message)
				}
			}
		}
	})

	var never []string
	for _, c := range cliChecks {
		for _, code := range c.Codes {
			if !emitted[code] {
				never = append(never, code)
			}
		}
	}
	sort.Strings(never)
	t.Logf("codes no fixture makes a check emit here (covered elsewhere): %v", never)
}

// forEachFixture loads, as snapshots, the fixtures of every testscript
// (its files, and again after each of its plain cp and env lines) and the
// demo, and calls check on each, with a module cache holding testdata/mod.
func forEachFixture(t *testing.T, check func(t *testing.T, name string, snap *workspace.Snapshot)) {
	t.Helper()
	modcache := moduleCache(t)
	base := workspace.Env{
		GOTOOLCHAIN: "local",
		GOPATH:      filepath.Join(t.TempDir(), "gopath"),
		GOMODCACHE:  modcache,
		GOPROXY:     "off",
		GOSUMDB:     "off",
		GOVERSION:   runtime.Version(),
		Source:      "test",
	}
	load := func(t *testing.T, name string, env workspace.Env, root string) {
		t.Helper()
		check(t, name, workspace.Load(env, []string{root}))
	}
	scripts, err := filepath.Glob(filepath.Join("testdata", "script", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	for _, script := range scripts {
		a, err := txtar.ParseFile(script)
		if err != nil {
			t.Fatal(err)
		}
		root := t.TempDir()
		for _, f := range a.Files {
			p := filepath.Join(root, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Data, 0o666); err != nil {
				t.Fatal(err)
			}
		}
		name := filepath.Base(script)
		env := base
		load(t, name, env, root)
		for _, line := range strings.Split(string(a.Comment), "\n") {
			line = strings.TrimSpace(line)
			if args, ok := strings.CutPrefix(line, "cp "); ok {
				files := strings.Fields(args)
				if len(files) != 2 || strings.Contains(args, "$") {
					continue
				}
				data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(files[0])))
				if err != nil { // stdout, or a file a command of the script writes
					continue
				}
				to := filepath.Join(root, filepath.FromSlash(files[1]))
				if err := os.MkdirAll(filepath.Dir(to), 0o777); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(to, data, 0o666); err != nil {
					t.Fatal(err)
				}
				load(t, name+" after "+line, env, root)
				continue
			}
			kv, ok := strings.CutPrefix(line, "env ")
			if !ok {
				continue
			}
			k, v, _ := strings.Cut(kv, "=")
			v = strings.ReplaceAll(v, "$WORK", root)
			switch k {
			case "GOFLAGS":
				env.GOFLAGS = v
			case "GOWORK":
				env.GOWORK = v
			case "GOTOOLCHAIN":
				env.GOTOOLCHAIN = v
			case "GO111MODULE":
				env.GO111MODULE = v
			case "GOMODCACHE":
				env.GOMODCACHE = v
			default:
				continue
			}
			load(t, name+" after env "+kv, env, root)
		}
	}
	demo, err := filepath.Abs(demoDir)
	if err != nil {
		t.Fatal(err)
	}
	load(t, "testdata/demo", base, demo)
}

// moduleCache returns a module cache holding every module of testdata/mod,
// as go mod download leaves it: cache/download is the proxy directory itself
// (the same layout), plus a .ziphash next to each zip and the zip extracted
// at <path>@<version>.
func moduleCache(t *testing.T) string {
	t.Helper()
	modcache := t.TempDir()
	download := filepath.Join(modcache, "cache", "download")
	if err := modproxy.Build(download, filepath.Join("testdata", "mod")); err != nil {
		t.Fatal(err)
	}
	var zips []string
	err := filepath.WalkDir(download, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".zip") {
			zips = append(zips, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, zip := range zips {
		rel, err := filepath.Rel(download, filepath.Dir(filepath.Dir(zip)))
		if err != nil {
			t.Fatal(err)
		}
		path, err := module.UnescapePath(filepath.ToSlash(rel))
		if err != nil {
			t.Fatal(err)
		}
		version := strings.TrimSuffix(filepath.Base(zip), ".zip")
		mv := module.Version{Path: path, Version: version}
		if err := modzip.Unzip(filepath.Join(modcache, rel+"@"+version), mv, zip); err != nil {
			t.Fatal(err)
		}
		h, err := dirhash.HashZip(zip, dirhash.Hash1)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(strings.TrimSuffix(zip, ".zip")+".ziphash", []byte(h), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	return modcache
}
