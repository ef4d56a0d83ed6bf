package workspace

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// The fuzz targets of this file hold gomodls's readers of vendor/modules.txt
// and go.sum to the go command's, transcribed below as oracles. Each
// transcription is test-only code, kept line for line as in cmd/go so that
// it can be compared with the source of a newer Go by eye.

// fixtureFiles returns the content of every file named name among the
// repository's fixtures (testdata/ trees and the testscripts' txtar
// archives), as fuzz seeds.
func fixtureFiles(t testing.TB, name string) [][]byte {
	var out [][]byte
	for _, root := range []string{"../testdata", "../editors"} {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && d.Name() == name {
				if data, err := os.ReadFile(path); err == nil {
					out = append(out, data)
				}
			}
			return nil
		})
	}
	scripts, _ := filepath.Glob("../cmd/gomodls/testdata/script/*.txtar")
	for _, s := range scripts {
		a, err := txtar.ParseFile(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if filepath.Base(f.Name) == name || strings.HasSuffix(f.Name, "/"+name+".edited") {
				out = append(out, f.Data)
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no fixture named %s", name)
	}
	return out
}

// goVendorMeta is cmd/go's vendorMetadata.
type goVendorMeta struct {
	Explicit    bool
	Replacement module.Version
	GoVersion   string
}

// goVendorList is what readVendorList leaves in its package variables.
type goVendorList struct {
	pkgModule map[string]module.Version
	meta      map[module.Version]goVendorMeta
	replaced  []module.Version
}

// goReadVendorList is cmd/go/internal/modload/vendor.go: readVendorList
// (Go 1.26), with its package variables returned instead of set. Left out:
// the file read; the gover.TooNewError fatal for a "## go" annotation above
// the running go (a check, go_too_new, not the parser, reports that); and
// vendorList/vendorVersion, which order the modules that provide packages by
// gover.ModCompare, a derivation of pkgModule that gomodls leaves to its
// checks.
func goReadVendorList(data []byte) goVendorList {
	var l goVendorList
	l.pkgModule = make(map[string]module.Version)
	l.meta = make(map[module.Version]goVendorMeta)

	var mod module.Version
	for line := range strings.SplitSeq(string(data), "\n") {
		if strings.HasPrefix(line, "# ") {
			f := strings.Fields(line)

			if len(f) < 3 {
				continue
			}
			if semver.IsValid(f[2]) {
				mod = module.Version{Path: f[1], Version: f[2]}
				f = f[3:]
			} else if f[2] == "=>" {
				mod = module.Version{Path: f[1]}
				f = f[2:]
			} else {
				mod = module.Version{}
				continue
			}

			if len(f) >= 2 && f[0] == "=>" {
				meta := l.meta[mod]
				if len(f) == 2 {
					meta.Replacement = module.Version{Path: f[1]}
					l.replaced = append(l.replaced, mod)
				} else if len(f) == 3 && semver.IsValid(f[2]) {
					meta.Replacement = module.Version{Path: f[1], Version: f[2]}
					l.replaced = append(l.replaced, mod)
				}
				l.meta[mod] = meta
			}
			continue
		}

		if mod.Path == "" {
			continue
		}

		if annotations, ok := strings.CutPrefix(line, "## "); ok {
			meta := l.meta[mod]
			for entry := range strings.SplitSeq(annotations, ";") {
				entry = strings.TrimSpace(entry)
				if entry == "explicit" {
					meta.Explicit = true
				}
				if goVersion, ok := strings.CutPrefix(entry, "go "); ok {
					meta.GoVersion = goVersion
				}
			}
			l.meta[mod] = meta
			continue
		}

		if f := strings.Fields(line); len(f) == 1 && module.CheckImportPath(f[0]) == nil {
			l.pkgModule[f[0]] = mod
		}
	}
	return l
}

// goModulesTextIsForWorkspace is cmd/go/internal/modload/init.go:
// modulesTextIsForWorkspace (Go 1.26) on the file's content: one Read of at
// most 512 bytes (a regular file's Read fills the buffer).
func goModulesTextIsForWorkspace(data []byte) bool {
	var buf [512]byte
	n, _ := io.ReadFull(bytes.NewReader(data), buf[:])
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	if annotations, ok := strings.CutPrefix(line, "## "); ok {
		for entry := range strings.SplitSeq(annotations, ";") {
			entry = strings.TrimSpace(entry)
			if entry == "workspace" {
				return true
			}
		}
	}
	return false
}

// FuzzVendorManifest holds ParseVendorManifest to cmd/go's readers of
// modules.txt. What must agree: which package lines count and the module
// each belongs to; per module, the union of its sections' metadata
// (explicit, replacement, go version); the replaced modules in order; and
// whether the file is a workspace's. Where gomodls deliberately goes
// further, it is held to its own rule: every line it records or reports as
// ignored is a line of the file, at the right place, and a module section
// (VendorModule) is one "# " line go accepts.
func FuzzVendorManifest(f *testing.F) {
	for _, seed := range fixtureFiles(f, "modules.txt") {
		f.Add(seed)
	}
	f.Add([]byte("## workspace\r\n# a.com/m v1.0.0 => ./x\r\n## explicit\r\na.com/m\r\n"))
	f.Add([]byte("# a.com/m => b.com/n v1.0.0\n# a.com/m v1.0.0\n## go 1.21; explicit\n## go 1.22\na.com/m\n# short\na.com/m/p\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file := NewFile("/w/vendor/modules.txt", data, 0)
		vm := ParseVendorManifest(file)
		want := goReadVendorList(data)

		got := goVendorList{pkgModule: make(map[string]module.Version), meta: make(map[module.Version]goVendorMeta)}
		for _, m := range vm.Modules {
			meta := got.meta[m.Mod]
			meta.Explicit = meta.Explicit || m.Explicit
			if m.GoVersion != "" {
				meta.GoVersion = m.GoVersion
			}
			if m.Replacement != (module.Version{}) {
				meta.Replacement = m.Replacement
				got.replaced = append(got.replaced, m.Mod)
			}
			got.meta[m.Mod] = meta
			for _, p := range m.Packages {
				got.pkgModule[p.Path] = m.Mod
			}
		}
		// go stores an empty entry for a section with only unknown
		// annotations or a replacement it does not understand; it means
		// nothing.
		maps.DeleteFunc(want.meta, func(_ module.Version, m goVendorMeta) bool { return m == goVendorMeta{} })
		maps.DeleteFunc(got.meta, func(_ module.Version, m goVendorMeta) bool { return m == goVendorMeta{} })
		if !maps.Equal(got.pkgModule, want.pkgModule) {
			t.Errorf("packages:\n gomodls %v\n go      %v", got.pkgModule, want.pkgModule)
		}
		if !maps.Equal(got.meta, want.meta) {
			t.Errorf("metadata:\n gomodls %v\n go      %v", got.meta, want.meta)
		}
		if !slices.Equal(got.replaced, want.replaced) {
			t.Errorf("replaced:\n gomodls %v\n go      %v", got.replaced, want.replaced)
		}
		if w := goModulesTextIsForWorkspace(data); vm.Workspace != w {
			t.Errorf("Workspace = %v, go says %v", vm.Workspace, w)
		}

		lines := strings.Split(string(data), "\n")
		inLine := func(what string, line int, sp Span) {
			t.Helper()
			if line < 1 || line > len(lines) {
				t.Fatalf("%s: line %d of %d", what, line, len(lines))
			}
			if sp != file.LineSpan(line) {
				t.Errorf("%s: span %v, line %d is %v", what, sp, line, file.LineSpan(line))
			}
		}
		for _, m := range vm.Modules {
			inLine(fmt.Sprintf("module %v", m.Mod), m.Line, m.Span)
			if fields := strings.Fields(lines[m.Line-1]); len(fields) < 3 || fields[0] != "#" || fields[1] != m.Mod.Path {
				t.Errorf("module %v recorded from line %d %q", m.Mod, m.Line, lines[m.Line-1])
			}
			if m.AnnotationLine != 0 && !strings.HasPrefix(lines[m.AnnotationLine-1], "## ") {
				t.Errorf("module %v: annotation line %d is %q", m.Mod, m.AnnotationLine, lines[m.AnnotationLine-1])
			}
			for _, p := range m.Packages {
				inLine("package "+p.Path, p.Line, p.Span)
				if strings.TrimSpace(lines[p.Line-1]) != p.Path {
					t.Errorf("package %s recorded from line %d %q", p.Path, p.Line, lines[p.Line-1])
				}
			}
		}
		for _, e := range vm.Ignored {
			if e.Pos.Line < 1 || e.Pos.Line > len(lines) || e.Pos.Byte != file.LineSpan(e.Pos.Line).Start {
				t.Errorf("ignored line %d at byte %d: not the start of a line", e.Pos.Line, e.Pos.Byte)
			}
		}
	})
}

// goSumEntries is what readGoSum adds to its map: hashes per module, in
// file order.
type goSumEntries map[module.Version][]string

// goReadGoSum is cmd/go/internal/modfetch/fetch.go: readGoSum (Go 1.26).
// base.Fatalf, which ends the go command at the first malformed line,
// returns that line and its field count instead; tidy stands for
// cfg.CmdName == "mod tidy", where the line is skipped, and the skipped
// lines are returned.
func goReadGoSum(dst goSumEntries, data []byte, tidy bool) (malformed []int, fields []int) {
	lineno := 0
	for len(data) > 0 {
		var line []byte
		lineno++
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			line, data = data, nil
		} else {
			line, data = data[:i], data[i+1:]
		}
		f := strings.Fields(string(line))
		if len(f) == 0 {
			// blank line; skip it
			continue
		}
		if len(f) != 3 {
			if tidy {
				malformed, fields = append(malformed, lineno), append(fields, len(f))
				continue
			} else {
				return []int{lineno}, []int{len(f)}
			}
		}
		if f[2] == emptyGoModHash {
			// Old bug; drop it.
			continue
		}
		mod := module.Version{Path: f[0], Version: f[1]}
		dst[mod] = append(dst[mod], f[2])
	}
	return malformed, fields
}

// FuzzParseSum holds ParseSum to cmd/go's readGoSum. What must agree: the
// hashes of each module in file order, as go mod tidy reads them (it skips
// malformed lines, as gomodls does); the malformed lines and their field
// counts, one error each (go mod tidy skips exactly these); and the first
// of them, where every other go command stops, with go's message. gomodls
// also keeps each line's span: the span's text must be the line's.
func FuzzParseSum(f *testing.F) {
	for _, seed := range fixtureFiles(f, "go.sum") {
		f.Add(seed)
	}
	f.Add([]byte("a.com/m v1.0.0 h1:x=\r\n\n  a.com/m v1.0.0/go.mod " + emptyGoModHash + "\nb.com/n v1.0.0\n\ta\tb\tc\td\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file := NewFile("/w/go.sum", data, 0)
		sf := ParseSum(file)

		want := goSumEntries{}
		wantLines, wantFields := goReadGoSum(want, data, true)
		got := goSumEntries{}
		for _, l := range sf.Lines() {
			got[l.Mod] = append(got[l.Mod], l.Hash)
			span := sf.Span(l)
			text := string(data[span.Start:span.End])
			if fields := strings.Fields(text); len(fields) != 3 || fields[0] != l.Mod.Path || fields[1] != l.Mod.Version || fields[2] != l.Hash {
				t.Errorf("line %d %q recorded as %v %s", l.Line, text, l.Mod, l.Hash)
			}
		}
		if !maps.EqualFunc(got, want, slices.Equal) {
			t.Errorf("hashes:\n gomodls %v\n go      %v", got, want)
		}

		var gotLines, gotFields []int
		for _, e := range sf.Errors {
			var n int
			if _, err := fmt.Sscanf(e.Err.Error(), "wrong number of fields %d", &n); err != nil {
				t.Errorf("line %d: message %q is not go's", e.Pos.Line, e.Err)
			}
			gotLines, gotFields = append(gotLines, e.Pos.Line), append(gotFields, n)
			if sp := file.LineSpan(e.Pos.Line); e.Pos.Byte < sp.Start || e.Pos.Byte >= sp.End {
				t.Errorf("line %d: error at byte %d, outside the line %v", e.Pos.Line, e.Pos.Byte, sp)
			}
		}
		if !slices.Equal(gotLines, wantLines) || !slices.Equal(gotFields, wantFields) {
			t.Errorf("malformed lines (fields):\n gomodls %v %v\n go      %v %v", gotLines, gotFields, wantLines, wantFields)
		}
		// Read from disk, the file keeps its lines' numbers in sumTexts
		// instead of its bytes, and must be the same file.
		if len(data) < 1<<12 {
			sameFile(t, newDiskFile("/w/go.sum", slices.Clone(data)), file)
		}
		first, firstFields := goReadGoSum(goSumEntries{}, data, false)
		switch {
		case len(first) == 0 && len(sf.Errors) != 0:
			t.Errorf("go reads it without error; gomodls reports %v", sf.Errors[0])
		case len(first) != 0 && (len(sf.Errors) == 0 || sf.Errors[0].Pos.Line != first[0] || gotFields[0] != firstFields[0]):
			t.Errorf("go stops at line %d (wrong number of fields %d); gomodls reports %v", first[0], firstFields[0], sf.Errors)
		}
	})
}
