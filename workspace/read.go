package workspace

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Limits bounds what gomodls reads from disk. A repository is not trusted
// to be well-formed: a committed go.sum can be a link to /dev/zero, and a
// file of gigabytes would be read whole otherwise.
type Limits struct {
	// FileSize is the largest go.mod, go.work, vendor/modules.txt and
	// dependency go.mod (module cache or replacement directory) read, in
	// bytes; the setting maxFileSize (-max-file-size). Go files are read up
	// to this size for their imports, which come first.
	FileSize int64
	// SumFileSize is the largest go.sum and go.work.sum read, in bytes; the
	// setting maxSumFileSize (-max-sum-file-size). Checksum files of large
	// module graphs run to megabytes, hence their own, larger bound.
	SumFileSize int64
}

// DefaultLimits are the limits when no setting says otherwise: a go.mod of
// 4 MiB has tens of thousands of lines, a go.sum of 32 MiB hundreds of
// thousands; real ones are far smaller.
var DefaultLimits = Limits{FileSize: 4 << 20, SumFileSize: 32 << 20}

// maxLimit is the largest limit honoured: a File indexes its lines with
// 32-bit offsets.
const maxLimit = 1 << 30

// withDefaults replaces each unset (zero or negative) limit by its default,
// and one above maxLimit (1 GiB) by maxLimit.
func (l Limits) withDefaults() Limits {
	if l.FileSize <= 0 {
		l.FileSize = DefaultLimits.FileSize
	}
	if l.SumFileSize <= 0 {
		l.SumFileSize = DefaultLimits.SumFileSize
	}
	l.FileSize, l.SumFileSize = min(l.FileSize, maxLimit), min(l.SumFileSize, maxLimit)
	return l
}

// For returns the size limit for a file of kind k.
func (l Limits) For(k Kind) int64 {
	if k == KindGoSum || k == KindGoWorkSum {
		return l.SumFileSize
	}
	return l.FileSize
}

// SkipReason says why a file was not read.
type SkipReason int

const (
	// SkipNotRegular: the path (after symbolic links) is a named pipe, a
	// device, a socket or another special file. Opening one may block
	// forever (a FIFO), read forever (/dev/zero) or read what belongs to
	// someone else (/dev/stdin is the server's own LSP stream).
	SkipNotRegular SkipReason = iota + 1
	// SkipTooLarge: the file is larger than its limit (see Limits).
	SkipTooLarge
	// SkipOutside: the path is a symbolic link, or lies under one, whose
	// target is outside the workspace folders and the module cache.
	SkipOutside
)

// A SkipError says that a file was not read and why. A Session records it
// as the file's Skipped, and the file-skipped diagnostic reports it.
type SkipError struct {
	Path   string
	Reason SkipReason
	// Mode is the file's type for SkipNotRegular.
	Mode fs.FileMode
	// Limit and Kind (which setting applies) for SkipTooLarge.
	Limit int64
	Kind  Kind
	// Target is where the links lead, for SkipOutside.
	Target string
}

func (e *SkipError) Error() string {
	switch e.Reason {
	case SkipNotRegular:
		return fmt.Sprintf("%s is not a regular file (%s)", e.Path, describeMode(e.Mode))
	case SkipTooLarge:
		return fmt.Sprintf("%s is larger than %d bytes", e.Path, e.Limit)
	case SkipOutside:
		return fmt.Sprintf("%s is a symbolic link to %s, outside the workspace folders and the module cache", e.Path, e.Target)
	}
	return e.Path + " was not read"
}

// FileType names what the file is, for SkipNotRegular: "a named pipe", "a
// character device", …
func (e *SkipError) FileType() string { return describeMode(e.Mode) }

// describeMode names a file type the way a user knows it.
func describeMode(m fs.FileMode) string {
	switch t := m.Type(); {
	case t&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case t&fs.ModeSocket != 0:
		return "a socket"
	case t&fs.ModeCharDevice != 0:
		return "a character device"
	case t&fs.ModeDevice != 0:
		return "a block device"
	case t&fs.ModeDir != 0:
		return "a directory"
	case t&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "mode " + m.String()
}

// errIsDir says the path is a directory: for a module file that is the same
// as no file at all (the go command's findModuleRoot wants a file), and no
// diagnostic is due.
var errIsDir = errors.New("is a directory")

// readRegular is the one way gomodls reads a file it parses: a module file,
// a Go file's imports, .git/config, .gitignore, the go env file. It reads
// path only if it is a regular file (after symbolic links) of at most limit
// bytes, and never blocks on a special file: the path is looked at before
// it is opened, and opened without blocking (a FIFO's open would wait for a
// writer) and looked at again through the open file, in case it was
// swapped in between. It returns a *SkipError for a file it refuses, an
// error wrapping fs.ErrNotExist for a missing one, errIsDir for a
// directory.
//
// With truncate, a file larger than limit is not refused: its first limit
// bytes are returned (the imports of a Go file are at its top).
func readRegular(path string, limit int64, truncate bool) ([]byte, error) {
	info, err := stat(path)
	if err != nil {
		return nil, err
	}
	if err := refuseIrregular(path, info); err != nil {
		return nil, err
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err = openedStat(f, path)
	if err != nil {
		return nil, err
	}
	if err := refuseIrregular(path, info); err != nil {
		return nil, err
	}
	if info.Size() > limit && !truncate {
		return nil, &SkipError{Path: path, Reason: SkipTooLarge, Limit: limit}
	}
	// The size may have changed since fstat (or lie, on some file
	// systems): read at most limit+1 bytes, to tell a file over the limit,
	// into a buffer of the size fstat gave (io.ReadAll would start at 512
	// bytes and grow it, the most of what reading a small file costs).
	data, err := readAtMost(f, min(max(info.Size(), 0), limit)+1, limit+1)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		if truncate {
			return data[:limit], nil
		}
		return nil, &SkipError{Path: path, Reason: SkipTooLarge, Limit: limit}
	}
	return data, nil
}

// readAtMost reads r to its end or to max bytes, whichever comes first,
// into a buffer of size bytes to begin with.
func readAtMost(r io.Reader, size, max int64) ([]byte, error) {
	data := make([]byte, 0, size)
	for int64(len(data)) < max {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // grow
		}
		n, err := r.Read(data[len(data):min(int64(cap(data)), max)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return data, nil
}

func refuseIrregular(path string, info fs.FileInfo) error {
	switch {
	case info.IsDir():
		return errIsDir
	case !info.Mode().IsRegular():
		return &SkipError{Path: path, Reason: SkipNotRegular, Mode: info.Mode()}
	}
	return nil
}

// readModuleFile reads a module file or a dependency's go.mod (kind says
// which limit applies) through readRegular, after the confinement rule: a
// path inside a workspace folder must resolve, symbolic links followed, to
// a place inside a workspace folder or the module cache (Confined); a path
// outside the folders (a go.work above them, a module a go.work uses, a
// replacement directory, the module cache) may also resolve inside its own
// directory, so a link there leads nowhere the directory does not already
// hold. A committed link such as go.sum → ~/.ssh/id_rsa is thus never read,
// and never quoted in a diagnostic.
func (r diskReader) readModuleFile(path string, kind Kind) ([]byte, error) {
	data, _, err := r.readConfined(path, kind)
	return data, err
}

// readConfined is readModuleFile, also returning where path leads, its
// links resolved.
func (r diskReader) readConfined(path string, kind Kind) (data []byte, target string, err error) {
	target = r.resolve(path)
	confined := r.roots.hold(target)
	if !confined && !slices.ContainsFunc(r.folders, func(f string) bool { return Within(path, f) }) {
		if dir := r.resolveDir(filepath.Dir(filepath.Clean(path))); dir != "" {
			confined = Roots{dir}.hold(target)
		}
	}
	if !confined {
		if _, err := lstat(path); err != nil {
			return nil, target, err // missing: no link to speak of
		}
		shown := target
		if shown == "" {
			shown = "an unresolvable path"
		}
		return nil, target, &SkipError{Path: path, Reason: SkipOutside, Target: shown}
	}
	data, err = readRegular(path, r.limits.For(kind), false)
	var skip *SkipError
	if errors.As(err, &skip) {
		skip.Kind = kind
	}
	return data, target, err
}

// diskReader reads module files for a session and its lazy reads
// (diskCache): the limits, and the confinement rule's roots, resolved once
// for the folders and environment they were made for.
type diskReader struct {
	limits  Limits
	folders []string // as given, to tell whether a path lies in one
	// roots are the folders, the module cache and the go.work GOWORK
	// names (the user's own choice, read wherever its links lead), each
	// with its links resolved.
	roots Roots
	// gomodcache is GOMODCACHE, clean, and modcache the same with its
	// links resolved; download is its download area (cache/download).
	// All "" when unknown.
	gomodcache, modcache, download string
	// downloadKey names the workspace's download index (downloadIndex),
	// made once: it joins every folder.
	downloadKey string
	// cache remembers each directory's resolution (diskResolvedDir) for
	// as long as the cache lives.
	cache *diskCache
}

// newDiskReader is the reader for a session with these folders and
// environment, with a cache of its own.
func newDiskReader(limits Limits, folders []string, env Env) diskReader {
	return newDiskCache(limits, folders, env, new(diskCounters)).reader
}

func newReader(limits Limits, folders []string, env Env, cache *diskCache) diskReader {
	dirs := append([]string{env.GOMODCACHE}, folders...)
	if filepath.IsAbs(env.GOWORK) {
		dirs = append(dirs, env.GOWORK)
	}
	r := diskReader{limits: limits.withDefaults(), folders: folders, roots: ResolveRoots(dirs), cache: cache}
	if env.GOMODCACHE != "" && filepath.IsAbs(env.GOMODCACHE) {
		r.gomodcache = filepath.Clean(env.GOMODCACHE)
		r.modcache = ResolvePath(r.gomodcache)
		r.download = filepath.Join(r.gomodcache, "cache", "download")
		r.downloadKey = r.download + "\t" + strconv.FormatInt(r.limits.FileSize, 10) + "\t" + strings.Join(r.folders, "\t")
	}
	return r
}

// resolve is ResolvePath, with the resolution of every directory on the
// way remembered (diskResolvedDir): a session reads thousands of files in
// a few hundred directories, and resolving a path from the root costs a
// system call per element of it, several times the read itself
// (BenchmarkReadModuleFile). A file then costs one lstat of its own.
func (r diskReader) resolve(path string) string {
	path = filepath.Clean(path)
	if !filepath.IsAbs(path) || r.cache == nil {
		return ResolvePath(path)
	}
	dir := filepath.Dir(path)
	if dir == path {
		return path
	}
	base := r.resolveDir(dir)
	if base == "" {
		return ""
	}
	return resolveName(base, filepath.Base(path))
}

// resolveDir is resolve for a clean absolute directory, remembered.
func (r diskReader) resolveDir(dir string) string {
	if r.cache == nil || !filepath.IsAbs(dir) {
		return ResolvePath(dir)
	}
	return lookup(r.cache, diskResolvedDir, dir, func() (string, diskRead) {
		parent := filepath.Dir(dir)
		if parent == dir {
			return dir, diskRead{}
		}
		base := r.resolveDir(parent)
		if base == "" {
			return "", diskRead{}
		}
		return resolveName(base, filepath.Base(dir)), diskRead{}
	})
}

// resolveName resolves name in dir, a directory with its links resolved,
// as ResolvePath would resolve filepath.Join(dir, name): one lstat, and a
// link followed by ResolvePath itself (which knows loops and relative
// targets). A missing name stays as it is; any other error is
// unresolvable ("").
func resolveName(dir, name string) string {
	p := filepath.Join(dir, name)
	typ, err := lstatType(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return p
	case err != nil:
		return ""
	case typ&fs.ModeSymlink != 0:
		return ResolvePath(p)
	}
	return p
}
