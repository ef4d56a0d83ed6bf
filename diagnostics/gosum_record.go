package diagnostics

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/module"

	"github.com/gomodls/gomodls/modgraph"
	"github.com/gomodls/gomodls/workspace"
)

// What go mod tidy keeps of a module's go.sum (unusedKeep) is kept across
// processes (Snapshot.Keep) when the presenter asks for derived results
// (gomodls check): it needs the packages of the module's "all" loaded, and
// those loads were half of a check's time on etcd, where the next check
// finds the same. It is recalled only when everything the computation
// consulted gives the same answer again:
//
//   - the module's go.mod (its bytes), the imports of its Go files that
//     tidy loads (loadRoots), its tools;
//   - the graph: its build list, each module's replacement, and the
//     modules whose go.mod it read — then every module path the load asks
//     about is selected, or not, alike, and its files are in the same
//     directory;
//   - for each module the load found selected: that directory, and
//     whether it is there;
//   - for each package directory of a main module or a replacement
//     directory the load read: what PackageImports said. A directory of
//     the module cache's extracted modules is not noted: its files never
//     change while the module's directory is there (the package index
//     trusts that too).
//
// Then the load asks the same questions, gets the same answers and finds
// the same packages, and the keys follow. The record's layout, one line
// each, fields separated by tabs:
//
//	h <digest of the go.mod, the roots, the tools and the graph>
//	s <module path> <version> <directory, empty when not there> <local 0|1>
//	d <directory>
//	D <digest of what PackageImports says of the directories above>
//	k <module path> <version>          (a key kept; "/go.mod" versions too)
//	silent                             (unusedKeep could not tell)

// unusedRecordName is the name of m's record among the derived results.
func unusedRecordName(m *workspace.Module) string {
	return "gosum unused " + m.File.Path
}

// recordDigest hashes a record's inputs, each field length-prefixed so
// that no two lists of fields run together alike. Fields are gathered in
// a small buffer written to the hash when full: a write per field to the
// hash was a tenth of a recall, and one buffer of every field (a go.sum's
// bytes among them) a tenth of what a check allocated.
type recordDigest struct {
	h   hash.Hash
	buf []byte
}

// digestBuffer is how many bytes recordDigest gathers before hashing them.
const digestBuffer = 4 << 10

func (d *recordDigest) field(s string) {
	d.length(len(s))
	d.writeString(s)
}

// fileField is field of f's content, written a line at a time: a go.sum
// read from disk keeps no bytes to hand out (File.Content).
func (d *recordDigest) fileField(f *workspace.File) {
	d.length(f.Size())
	for i := range f.LineCount() {
		if i > 0 {
			d.writeString("\n")
		}
		d.writeString(f.LineText(i))
	}
}

// length writes a field's prefix: its length and a colon.
func (d *recordDigest) length(n int) {
	d.write(append(strconv.AppendInt(d.spare(21), int64(n), 10), ':'))
}

// spare returns an empty slice with room for n bytes (n at most
// digestBuffer) at the end of the buffer, to append to and pass to write.
func (d *recordDigest) spare(n int) []byte {
	if d.h == nil {
		d.h, d.buf = sha256.New(), make([]byte, 0, digestBuffer)
	}
	if cap(d.buf)-len(d.buf) < n {
		d.flush()
	}
	return d.buf[len(d.buf):len(d.buf)]
}

// write adds b to what is hashed.
func (d *recordDigest) write(b []byte) {
	if len(b) > digestBuffer {
		d.spare(0)
		d.flush()
		d.h.Write(b)
		return
	}
	d.spare(len(b))
	d.buf = append(d.buf, b...) // b may be the spare room: copied onto itself
}

// writeString adds s to what is hashed, copied through the buffer.
func (d *recordDigest) writeString(s string) {
	for len(s) > 0 {
		room := d.spare(min(len(s), digestBuffer))
		n := min(len(s), cap(room))
		d.buf = append(d.buf, s[:n]...)
		s = s[n:]
	}
}

func (d *recordDigest) flush() {
	d.h.Write(d.buf)
	d.buf = d.buf[:0]
}

// sum is the digest of everything written, in hex.
func (d *recordDigest) sum() string {
	d.spare(0)
	d.flush()
	return hex.EncodeToString(d.h.Sum(nil))
}

// head is the record's first line: h and the digest.
func (d *recordDigest) head() string { return "h\t" + d.sum() }

// unusedRecordHead is the record's first line for m, g and tools.
func unusedRecordHead(snap *workspace.Snapshot, g *modgraph.Graph, m *workspace.Module, tools []string) string {
	var d recordDigest
	field := d.field
	field("gosum unused 1")
	field(m.Dir)
	d.fileField(m.File)
	for _, r := range loadRoots(snap, m, "unused", keepUnusedSites) {
		field(r.path)
		field(r.from)
	}
	field("tools")
	for _, t := range tools {
		field(t)
	}
	field("build list")
	for _, mod := range g.BuildList() {
		field(mod.Path)
		field(mod.Version)
		if r, ok := g.Replacement(mod); ok {
			field("=>" + r.Path)
			field(r.Version)
		}
	}
	field("go.mod read")
	for _, mod := range goModsRead(g) { // sorting them was a fifth of a recall
		field(mod.Path)
		field(mod.Version)
	}
	return d.head()
}

// keepUnusedKeep keeps keep, computed from the load l, for the next
// process; nothing when l was not traced (derived results were off when it
// was made).
func keepUnusedKeep(snap *workspace.Snapshot, g *modgraph.Graph, m *workspace.Module, tools []string, l *sumLoad, keep map[module.Version]sumReason) {
	if !l.trace {
		return
	}
	fits := true
	fit := func(fields ...string) string {
		for _, f := range fields {
			fits = fits && !strings.ContainsAny(f, "\t\n")
		}
		return strings.Join(fields, "\t")
	}
	var consulted, dirs, keys []string
	l.roots.Range(func(k, v any) bool {
		r := v.(moduleRootOf)
		consulted = append(consulted, fit("s", k.(string), r.version, r.root, flag(r.local)))
		return true
	})
	l.localDirs.Range(func(k, v any) bool {
		dirs = append(dirs, fit("d", k.(string)))
		return true
	})
	slices.Sort(dirs)
	dirs = append(dirs, "D\t"+localDirsDigest(snap, dirs))
	for key := range keep {
		keys = append(keys, fit("k", key.Path, key.Version))
	}
	if keep == nil {
		keys = []string{"silent"}
	}
	if !fits {
		return
	}
	slices.Sort(consulted)
	slices.Sort(keys)
	snap.Keep(unusedRecordName(m), slices.Concat([]string{unusedRecordHead(snap, g, m, tools)}, consulted, dirs, keys))
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// recalledUnusedKeep returns what an earlier process kept of m's
// unusedKeep, if it holds for g and the disk now; ok is false when there is
// none, it does not parse, or one answer it was made from differs.
func recalledUnusedKeep(snap *workspace.Snapshot, g *modgraph.Graph, m *workspace.Module, tools []string) (keep map[module.Version]sumReason, ok bool) {
	lines, ok := snap.Recall(unusedRecordName(m))
	if !ok || len(lines) == 0 || lines[0] != unusedRecordHead(snap, g, m, tools) {
		return nil, false
	}
	l := &sumLoad{g: g, main: m.Mod.Module.Mod.Path} // for moduleRoot
	keep = make(map[module.Version]sumReason)
	silent, digested := false, false
	var dirs []string
	var f []string
	for _, line := range lines[1:] {
		f = splitTabs(f, line)
		switch {
		case f[0] == "s" && len(f) == 5:
			if root, local := l.moduleRoot(snap, f[1], f[2], m.Dir); root != f[3] || flag(local) != f[4] {
				return nil, false
			}
		case f[0] == "d" && len(f) == 2:
			dirs = append(dirs, line)
		case f[0] == "D" && len(f) == 2:
			if f[1] != localDirsDigest(snap, dirs) {
				return nil, false
			}
			digested = true
		case f[0] == "k" && len(f) == 3:
			keep[module.Version{Path: f[1], Version: f[2]}] = sumReason{}
		case f[0] == "silent" && len(f) == 1:
			silent = true
		default:
			return nil, false
		}
	}
	if !digested {
		return nil, false
	}
	if silent {
		return nil, true
	}
	return keep, true
}

// splitTabs is strings.Split(line, "\t") made in fields' array: a recall
// splits thousands of lines, each used before the next.
func splitTabs(fields []string, line string) []string {
	fields = fields[:0]
	for {
		i := strings.IndexByte(line, '\t')
		if i < 0 {
			return append(fields, line)
		}
		fields = append(fields, line[:i])
		line = line[i+1:]
	}
}

// localDirsDigest is the digest of what PackageImports says of each
// directory of dirs, the record's "d" lines.
func localDirsDigest(snap *workspace.Snapshot, dirs []string) string {
	var d recordDigest
	for _, line := range dirs {
		pf := snap.PackageImports(strings.TrimPrefix(line, "d\t"))
		d.writeString(flag(pf.Found))
		for _, imp := range pf.Imports {
			d.writeString("\x00")
			d.writeString(imp)
		}
		d.writeString("\n")
		for _, imp := range pf.TestImports {
			d.writeString("\x00")
			d.writeString(imp)
		}
		d.writeString("\n")
	}
	return d.sum()
}

// The comparison of a go.sum with the module cache (cacheMismatches) is
// kept the same way: it reads a hash for every line, a thousand lookups in
// the download area for etcd's go.sum files, and it holds while the go.sum
// (its bytes), GOMODCACHE and what the download area holds for each of its
// module paths (Snapshot.DownloadsLook) are the same. The layout:
//
//	h <digest of the go.sum and GOMODCACHE>
//	v <module path> <DownloadsLook's token>
//	m <line index> <the module cache's hash>   (a mismatch)

func mismatchRecordName(sf *workspace.SumFile) string {
	return "gosum mismatches " + sf.File.Path
}

func mismatchRecordHead(snap *workspace.Snapshot, sf *workspace.SumFile) string {
	var d recordDigest
	d.field("gosum mismatches 1")
	d.field(snap.Env.GOMODCACHE)
	d.fileField(sf.File)
	return d.head()
}

// sumPaths lists the module paths of sf's h1: lines, sorted, once each.
func sumPaths(sf *workspace.SumFile) []string {
	var paths []string
	for _, l := range sf.Lines() {
		if strings.HasPrefix(l.Hash, "h1:") {
			paths = append(paths, l.Mod.Path)
		}
	}
	slices.Sort(paths)
	return slices.Compact(paths)
}

func keepMismatches(snap *workspace.Snapshot, sf *workspace.SumFile, mm []sumMismatch) {
	if !snap.DerivedResults() {
		return
	}
	lines := []string{mismatchRecordHead(snap, sf)}
	for _, p := range sumPaths(sf) {
		look := snap.DownloadsLook(p)
		if look == "" || strings.ContainsAny(p, "\t\n") {
			return // cannot be told again
		}
		lines = append(lines, "v\t"+p+"\t"+look)
	}
	for _, m := range mm {
		if strings.ContainsAny(m.cached, "\t\n") {
			return
		}
		lines = append(lines, "m\t"+strconv.Itoa(m.line)+"\t"+m.cached)
	}
	snap.Keep(mismatchRecordName(sf), lines)
}

func recalledMismatches(snap *workspace.Snapshot, sf *workspace.SumFile) ([]sumMismatch, bool) {
	lines, ok := snap.Recall(mismatchRecordName(sf))
	if !ok || len(lines) == 0 || lines[0] != mismatchRecordHead(snap, sf) {
		return nil, false
	}
	var mm []sumMismatch
	looks := 0
	var f []string
	for _, line := range lines[1:] {
		f = splitTabs(f, line)
		switch {
		case f[0] == "v" && len(f) == 3:
			if snap.DownloadsLook(f[1]) != f[2] {
				return nil, false
			}
			looks++
		case f[0] == "m" && len(f) == 3:
			i, err := strconv.Atoi(f[1])
			if err != nil || i < 0 || i >= sf.Len() {
				return nil, false
			}
			mm = append(mm, sumMismatch{i, f[2]})
		default:
			return nil, false
		}
	}
	if looks != len(sumPaths(sf)) {
		return nil, false // not every path looked at: not this go.sum's record
	}
	return mm, true
}
