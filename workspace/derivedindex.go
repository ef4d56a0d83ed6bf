package workspace

import (
	"strconv"
	"strings"
	"sync/atomic"
)

// The package index can also keep results a check derives from the
// snapshot and the disk (Snapshot.Recall, Snapshot.Keep), for the next
// process on the same workspace: loading the packages of a real module
// costs milliseconds that a new gomodls check would otherwise spend again
// on the same answer. This layer keeps lines and knows nothing of what
// they mean: the check that keeps a result writes down what it consulted,
// and checks it all again before it trusts what it recalls.
//
// One index file per workspace (the session's folders and the read
// limit), holding the results the process recalled or kept, like the Go
// directory index. Off unless a presenter turns it on
// (KeepDerivedResults): the server computes a result once per start and
// then keeps it in memory, so writing every recomputed result after an
// edit would cost it disk writes and memory for nothing.
var derivedIndex = &workspaceIndexes[[]string]{
	kind: "derived", format: "gomodls derived results 1",
	parse: parseDerivedIndex,
	lines: func(name string, lines []string) []string { return append([]string{"\t" + name}, lines...) },
	files: make(map[indexOpening]*workspaceIndex[[]string]),
}

var keepDerived atomic.Bool

// KeepDerivedResults turns on (or off) the derived results of Recall and
// Keep; they are off by default. gomodls check turns them on.
func KeepDerivedResults(on bool) { keepDerived.Store(on) }

// derivedFor is the derived-results index of the snapshot's workspace,
// nil when they are off.
func (s *Snapshot) derivedFor() *workspaceIndex[[]string] {
	if !keepDerived.Load() {
		return nil
	}
	return derivedIndex.open(strings.Join(s.Folders, "\t") + "\t" + strconv.FormatInt(s.lazy.reader.limits.FileSize, 10))
}

// Recall returns the lines Keep last recorded under name for this
// snapshot's workspace, in this process or an earlier one; ok is false
// when there are none, or derived results are off. Nothing here knows what
// they were derived from: the caller checks that they still hold, and
// never trusts a line it cannot parse (a file may be cut short or be from
// another version of gomodls with the same format line).
func (s *Snapshot) Recall(name string) (lines []string, ok bool) {
	w := s.derivedFor()
	if w == nil {
		return nil, false
	}
	return w.useIf(name, func([]string) bool { return true })
}

// Keep records lines under name for the next Recall, written to the
// package index by FlushPackageIndex. A name with a tab or a newline, or
// a line that starts with a tab or holds a newline, does not fit the
// file: nothing is kept.
func (s *Snapshot) Keep(name string, lines []string) {
	w := s.derivedFor()
	if w == nil || name == "" || strings.ContainsAny(name, "\t\n") {
		return
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "\t") || strings.Contains(l, "\n") {
			return
		}
	}
	w.put(name, lines)
}

// The layout of a workspace's derived-results file:
//
//	gomodls derived results 1
//	<folder>\t<folder>…\t<limit>
//	\t<name>
//	<line>
//	…
//
// a line for each result (a tab, then its name), sorted, each followed by
// its lines, none of which starts with a tab.

// parseDerivedIndex returns the results of a derived-results file's
// lines; ok false when a line is not what the layout says.
func parseDerivedIndex(lines []string) (map[string][]string, bool) {
	results := make(map[string][]string)
	name := ""
	for _, line := range lines {
		if n, ok := strings.CutPrefix(line, "\t"); ok {
			if _, dup := results[n]; dup || n == "" {
				return nil, false
			}
			name, results[n] = n, nil
			continue
		}
		if name == "" {
			return nil, false
		}
		results[name] = append(results[name], line)
	}
	return results, true
}

// DerivedResults reports whether Keep keeps anything (KeepDerivedResults):
// a caller need not note what a result consulted when it is not kept.
func (s *Snapshot) DerivedResults() bool { return keepDerived.Load() && indexDir() != "" }
