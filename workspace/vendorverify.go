package workspace

import (
	"bytes"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strings"
)

// A VendoredFile is a file of a vendored package that is not what go mod
// vendor copied from the module cache.
type VendoredFile struct {
	Name string // the file's name in the package directory
	// Change is "modified" (its bytes differ from the module cache's copy),
	// "missing" (go mod vendor copies it, the vendored package lacks it)
	// or "extra" (the module cache's package has no such file).
	Change string
}

// maxVendoredFile bounds the size of a file CompareVendored reads: a
// vendored file can be generated code far above the module file limit.
const maxVendoredFile = 64 << 20

// CompareVendored compares the regular files of the vendored package in
// dir with those of the same package in the module cache, orig, which
// the go command checked against go.sum when it extracted the module. It
// follows go mod vendor's choice of what to copy
// (cmd/go/internal/modcmd/vendor.go: matchPotentialSourceFile): every
// file of the package directory but _test.go files, .go files whose
// build constraint is false even with every tag but ignore, and, when
// stripGoMod (the main module's go line is 1.17 or later), go.mod and
// go.sum. Subdirectories are other packages. It reads both directories
// whole on every call: it is asked for by a command, never by a check.
func CompareVendored(dir, orig string, stripGoMod bool) ([]VendoredFile, error) {
	files := func(d string) (map[string]bool, error) {
		entries, err := readDir(d)
		if err != nil {
			return nil, err
		}
		out := make(map[string]bool, len(entries))
		for _, e := range entries {
			if e.Type().IsRegular() {
				out[e.Name()] = true
			}
		}
		return out, nil
	}
	have, err := files(dir)
	if err != nil {
		return nil, err
	}
	want, err := files(orig)
	if err != nil {
		return nil, err
	}
	var out []VendoredFile
	for _, name := range slices.Sorted(maps.Keys(want)) {
		original, err := readRegular(filepath.Join(orig, name), maxVendoredFile, false)
		if err != nil {
			return nil, err
		}
		if !vendorCopies(name, original, stripGoMod) {
			continue
		}
		if !have[name] {
			out = append(out, VendoredFile{Name: name, Change: "missing"})
			continue
		}
		vendored, err := readRegular(filepath.Join(dir, name), maxVendoredFile, false)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(vendored, original) {
			out = append(out, VendoredFile{Name: name, Change: "modified"})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(have)) {
		if !want[name] {
			out = append(out, VendoredFile{Name: name, Change: "extra"})
		}
	}
	slices.SortFunc(out, func(a, b VendoredFile) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// vendorCopies reports whether go mod vendor copies the file name, with
// content, of a package directory.
func vendorCopies(name string, content []byte, stripGoMod bool) bool {
	switch {
	case strings.HasSuffix(name, "_test.go"):
		return false
	case stripGoMod && (name == "go.mod" || name == "go.sum"):
		return false
	case strings.HasSuffix(name, ".go"):
		f, err := parser.ParseFile(token.NewFileSet(), name, content, parser.PackageClauseOnly|parser.ParseComments)
		return err != nil || AnyTagsBuild(f) // a file go cannot read is copied, as go copies it
	}
	return true
}
