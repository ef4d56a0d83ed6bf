// Package modproxy builds a module proxy directory, for GOPROXY=file://...,
// from txtar archives, so that tests can run the real go command offline.
//
// # Archives
//
// The convention is cmd/go's testdata/mod (and go-internal's goproxytest):
// one archive per module version, named
//
//	<escaped module path, with "/" replaced by "_">_<version>.txt
//
// for example example.com_dep_v1.0.0.txt or example.com_!upper_v1.2.0.txt.
// The version starts at the last "_v". A module path that itself contains
// "_" cannot be named this way.
//
// In an archive, the file ".mod" is served as the version's go.mod (the
// <version>.mod file of the proxy protocol). Without it, the archive's
// "go.mod" is used, and without that, "module <path>". The file ".info" is
// served as <version>.info; without it, an info with the version and a fixed
// time (the Unix epoch) is written. Every other file whose name does not
// start with "." goes into the module zip, under its archive name; a zip
// without a go.mod gets one holding the served go.mod, so that the extracted
// module and the .mod file agree. The archive comment is free text.
//
// # Proxy directory
//
// [Build] writes what the GOPROXY protocol asks for
// (https://go.dev/ref/mod#goproxy-protocol):
//
//	<escaped path>/@v/list          tagged versions, one per line, sorted
//	<escaped path>/@v/<version>.info
//	<escaped path>/@v/<version>.mod
//	<escaped path>/@v/<version>.zip
//
// The zip is made by golang.org/x/mod/zip, the code the go command uses, so
// it passes the go command's checks. [URL] turns the directory into a GOPROXY
// value. With GOPROXY set to it alone (no ",direct"), GOSUMDB=off and a
// private GOMODCACHE, the go command never touches the network.
package modproxy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	modzip "golang.org/x/mod/zip"
)

// Build writes a proxy directory into dst (created if needed) from every
// "*.txt" archive in the directory src.
func Build(dst, src string) error {
	names, err := filepath.Glob(filepath.Join(src, "*.txt"))
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return fmt.Errorf("modproxy: no *.txt archives in %s", src)
	}
	versions := make(map[string][]string) // escaped path -> versions
	for _, name := range names {
		mv, err := readArchive(name)
		if err != nil {
			return err
		}
		if err := mv.write(dst); err != nil {
			return err
		}
		if v := mv.Version.Version; !module.IsPseudoVersion(v) {
			versions[mv.escapedPath] = append(versions[mv.escapedPath], v)
		}
	}
	// The list file names the tagged versions only, as a real proxy does:
	// the go command derives pseudo-versions itself.
	for escaped, vs := range versions {
		semver.Sort(vs)
		list := strings.Join(vs, "\n") + "\n"
		if err := os.WriteFile(filepath.Join(dst, filepath.FromSlash(escaped), "@v", "list"), []byte(list), 0o666); err != nil {
			return err
		}
	}
	return nil
}

// URL returns the GOPROXY value that serves the proxy directory dir.
func URL(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive path: file:///C:/...
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// moduleVersion is one archive: a module version and the files to serve.
type moduleVersion struct {
	module.Version
	escapedPath string // Path as stored on disk (module.EscapePath)
	info, mod   []byte
	zipFiles    []txtar.File
}

// readArchive reads and checks the archive at name (see the package doc).
func readArchive(name string) (*moduleVersion, error) {
	base := strings.TrimSuffix(filepath.Base(name), ".txt")
	i := strings.LastIndex(base, "_v")
	if i < 0 {
		return nil, fmt.Errorf("modproxy: %s: name is not <path>_<version>.txt", name)
	}
	modPath, err := module.UnescapePath(strings.ReplaceAll(base[:i], "_", "/"))
	if err != nil {
		return nil, fmt.Errorf("modproxy: %s: %v", name, err)
	}
	version := base[i+1:]
	if err := module.Check(modPath, version); err != nil {
		return nil, fmt.Errorf("modproxy: %s: %v", name, err)
	}
	escaped, err := module.EscapePath(modPath)
	if err != nil {
		return nil, fmt.Errorf("modproxy: %s: %v", name, err)
	}
	mv := &moduleVersion{Version: module.Version{Path: modPath, Version: version}, escapedPath: escaped}
	a, err := txtar.ParseFile(name)
	if err != nil {
		return nil, fmt.Errorf("modproxy: %v", err)
	}
	var gomod []byte
	for _, f := range a.Files {
		switch {
		case f.Name == ".mod":
			mv.mod = f.Data
		case f.Name == ".info":
			mv.info = f.Data
		case strings.HasPrefix(f.Name, "."):
			return nil, fmt.Errorf("modproxy: %s: unknown file %s (only .mod and .info may start with a dot)", name, f.Name)
		default:
			if f.Name == "go.mod" {
				gomod = f.Data
			}
			mv.zipFiles = append(mv.zipFiles, f)
		}
	}
	if mv.mod == nil {
		mv.mod = gomod
	}
	if mv.mod == nil {
		mv.mod = []byte("module " + modPath + "\n")
	}
	if gomod == nil {
		mv.zipFiles = append(mv.zipFiles, txtar.File{Name: "go.mod", Data: mv.mod})
	}
	if mv.info == nil {
		mv.info, _ = json.Marshal(struct {
			Version string
			Time    time.Time
		}{version, time.Unix(0, 0).UTC()})
		mv.info = append(mv.info, '\n')
	}
	return mv, nil
}

// write writes mv's .info, .mod and .zip under dst.
func (mv *moduleVersion) write(dst string) error {
	dir := filepath.Join(dst, filepath.FromSlash(mv.escapedPath), "@v")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	escapedVersion, err := module.EscapeVersion(mv.Version.Version)
	if err != nil {
		return err
	}
	prefix := filepath.Join(dir, escapedVersion)
	if err := os.WriteFile(prefix+".info", mv.info, 0o666); err != nil {
		return err
	}
	if err := os.WriteFile(prefix+".mod", mv.mod, 0o666); err != nil {
		return err
	}
	files := make([]modzip.File, len(mv.zipFiles))
	for i, f := range mv.zipFiles {
		files[i] = archiveFile(f)
	}
	slices.SortFunc(files, func(a, b modzip.File) int { return strings.Compare(a.Path(), b.Path()) })
	var zip bytes.Buffer
	if err := modzip.Create(&zip, mv.Version, files); err != nil {
		return fmt.Errorf("modproxy: %s: %v", mv.Version, err)
	}
	return os.WriteFile(prefix+".zip", zip.Bytes(), 0o666)
}

// archiveFile presents a txtar file to golang.org/x/mod/zip.
type archiveFile txtar.File

func (f archiveFile) Path() string                 { return f.Name }
func (f archiveFile) Lstat() (os.FileInfo, error)  { return archiveFileInfo{f}, nil }
func (f archiveFile) Open() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(f.Data)), nil }

// archiveFileInfo is the fs.FileInfo of an archiveFile: a regular file.
type archiveFileInfo struct{ f archiveFile }

func (i archiveFileInfo) Name() string       { return path.Base(i.f.Name) }
func (i archiveFileInfo) Size() int64        { return int64(len(i.f.Data)) }
func (i archiveFileInfo) Mode() fs.FileMode  { return 0o644 }
func (i archiveFileInfo) ModTime() time.Time { return time.Unix(0, 0) }
func (i archiveFileInfo) IsDir() bool        { return false }
func (i archiveFileInfo) Sys() any           { return nil }

// GoEnv returns the environment variables that confine the go command to the
// proxy directory proxyDir, offline: GOPROXY is that directory alone,
// GOSUMDB=off (nothing to ask a checksum database about), GOTOOLCHAIN=local
// (never download a toolchain), GOENV=off (ignore the user's `go env -w`
// settings), GOFLAGS, GOWORK, GO111MODULE and the private-module patterns
// cleared, and GOPATH and GOMODCACHE under gopath so the user's module cache
// is neither read nor written. gocache is the build cache to use; sharing the
// user's is safe (it is content-addressed) and fast.
//
// Append the result to an environment so that it wins over inherited values.
func GoEnv(proxyDir, gopath, gocache string) []string {
	return goEnv("GOPROXY="+URL(proxyDir), gopath, gocache)
}

// OfflineGoEnv is GoEnv with GOPROXY=off: the go command fetches nothing,
// not even from a directory.
func OfflineGoEnv(gopath, gocache string) []string {
	return goEnv("GOPROXY=off", gopath, gocache)
}

func goEnv(proxy, gopath, gocache string) []string {
	return []string{
		proxy,
		"GOSUMDB=off",
		"GONOSUMDB=",
		"GONOPROXY=",
		"GOPRIVATE=",
		"GOINSECURE=",
		"GOFLAGS=",
		"GOWORK=",
		"GO111MODULE=",
		"GOTOOLCHAIN=local",
		"GOENV=off",
		"GOPATH=" + gopath,
		"GOMODCACHE=" + filepath.Join(gopath, "pkg", "mod"),
		"GOCACHE=" + gocache,
	}
}
