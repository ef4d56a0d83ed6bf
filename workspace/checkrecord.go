package workspace

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// A check's record, in the package index: what a `gomodls check` printed
// (its payload, opaque here) and every look at the disk it took to get
// there (observe.go). A later check with the same key (the command line,
// the environment, the go env, the gomodls binary: the caller's) looks
// again at each of the same things, and when every answer is the same
// prints the payload instead of checking again: every input of a check is
// one of those looks (a file's content is trusted while its type, size
// and modification time are, as the package index trusts a Go file's),
// and a check is a function of its inputs.
//
// The looks are only complete for the first sessions of a process: the
// process keeps what it read (a dependency's go.mod, a package index
// record) and answers a later session from it without looking again. So
// a Recording starts only in a process that has not read the disk through
// a session yet, and records the looks of every session of the process
// while it is on: more looks than the check needed only make its record
// harder to match, never wrong.

// checkRecordFormat is the first line of a check's record file. Its
// number changes whenever a look would be written or compared otherwise.
const checkRecordFormat = "gomodls check record 1"

// maxRecordedLooks bounds a record: a workspace of a million files is
// checked afresh rather than recorded at a size the next check would
// spend as long reading.
const maxRecordedLooks = 500_000

// diskCachesMade counts the disk caches (sessions) the process made:
// what a Recording must precede.
var diskCachesMade atomic.Int64

// recordingStarted is set by the process's first StartRecording.
var recordingStarted atomic.Bool

// A Recording is the process's record of its looks at the disk, from
// StartRecording to Keep or Discard.
type Recording struct {
	start time.Time
	dir   string
}

// StartRecording starts recording every look the process takes at the
// disk, and returns the Recording; nil when the package index is off, or
// when the process has made a session before (whose caches would answer
// without a look) or recorded before.
func StartRecording() *Recording {
	dir := indexDir()
	if dir == "" || diskCachesMade.Load() > 0 || !recordingStarted.CompareAndSwap(false, true) {
		return nil
	}
	recording.mu.Lock()
	recording.list, recording.newest = nil, 0
	recording.on.Store(true)
	recording.mu.Unlock()
	return &Recording{start: time.Now(), dir: dir}
}

// stop ends the recording and returns its looks.
func (r *Recording) stop() ([]observation, int64) {
	recording.mu.Lock()
	defer recording.mu.Unlock()
	recording.on.Store(false)
	list, newest := recording.list, recording.newest
	recording.list = nil
	return list, newest
}

// Discard ends r without writing anything: what was checked is not to be
// replayed (a check panicked, the run was interrupted).
func (r *Recording) Discard() {
	if r != nil {
		r.stop()
	}
}

// Why Keep wrote nothing, for the log.
var (
	errUnsettled    = errors.New("a file seen was modified less than 2s before the check began")
	errChanged      = errors.New("a file changed while it was checked")
	errTooMany      = errors.New("too many files were seen to record")
	errIndexFilling = errors.New("the package index had to learn what this check read")
)

// Keep ends r and writes payload with r's looks as the record of key;
// stable names a directory whose files seldom change (the module cache),
// looked at last when the record is recalled.
// Nothing is written when a file seen was modified less than
// goFileSettle before r began (a second edit within the resolution of a
// modification time could not be told from the first; the package
// index's rule), when the same look answered differently twice, or when
// the package index is to be written (a check that finds all it needs in
// the index takes fewer looks). Keep comes before FlushPackageIndex.
func (r *Recording) Keep(key string, payload []byte, stable string) error {
	if r == nil {
		return nil
	}
	list, newest := r.stop()
	if newest > r.start.Add(-goFileSettle).UnixNano() {
		return errUnsettled
	}
	if len(list) > maxRecordedLooks {
		return errTooMany
	}
	if packageIndexStale() {
		// The next check finds in the index what this one read, and
		// takes a look at a file where this one took a look at each
		// file of a package (the module cache's, trusted unchanged by
		// the index): its record is the one worth keeping.
		return errIndexFilling
	}
	type asked struct {
		op   byte
		path string
	}
	seen := make(map[asked]string, len(list))
	looks := make([]observation, 0, len(list))
	for _, o := range list {
		k := asked{o.op, o.path}
		if s, ok := seen[k]; ok {
			if s != o.seen {
				return errChanged
			}
			continue
		}
		seen[k] = o.seen
		if strings.ContainsAny(o.path, "\t\n") || strings.ContainsAny(o.seen, "\t\n") {
			return nil // not recordable in the layout; checked afresh
		}
		looks = append(looks, o)
	}
	// A check whose record no longer holds should find out at its first
	// looks, not after a thousand into the module cache: module files
	// first (what users of gomodls edit most), then the other files,
	// modified last first, then listings, then what lies in stable.
	rank := func(o observation) int {
		switch {
		case stable != "" && Within(o.path, stable):
			return 3
		case KindOf(o.path) != KindUnknown:
			return 0
		case o.mtime != 0:
			return 1
		}
		return 2
	}
	// Sorted as small records, ties kept in the order of the looks: a
	// stable sort of the looks themselves was a sixth of Keep.
	type ranked struct {
		rank, i int
		mtime   int64
	}
	order := make([]ranked, len(looks))
	for i, o := range looks {
		order[i] = ranked{rank(o), i, o.mtime}
	}
	slices.SortFunc(order, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(b.mtime, a.mtime), cmp.Compare(a.i, b.i))
	})
	lines := make([]string, 0, len(order)+1)
	lines = append(lines, base64.StdEncoding.EncodeToString(payload))
	for _, r := range order {
		o := looks[r.i]
		lines = append(lines, string(o.op)+o.seen+"\t"+o.path)
	}
	return checkRecordFile(r.dir, key).write(lines)
}

// The layout of a check's record file:
//
//	gomodls check record 1
//	<sha256 of the key, hex>
//	<payload, base64>
//	<op><seen>\t<path>
//	…
//
// one line per look, in the order they are to be taken again.
func checkRecordFile(dir, key string) indexFile {
	sum := sha256.Sum256([]byte(key))
	return newIndexFile(dir, "checks", checkRecordFormat, hex.EncodeToString(sum[:]))
}

// RecallCheck returns the payload of key's record when every look it
// records answers the same now; ok false when there is no record, or a
// look answers otherwise (or the package index is off).
func RecallCheck(key string) (payload []byte, ok bool) {
	dir := indexDir()
	if dir == "" {
		return nil, false
	}
	lines, ok := checkRecordFile(dir, key).read()
	if !ok || len(lines) == 0 {
		return nil, false
	}
	payload, err := base64.StdEncoding.DecodeString(lines[0])
	if err != nil {
		return nil, false
	}
	looks := lines[1:]
	// The looks are system calls, each waiting on the kernel: spread over
	// the processors, as the check they stand for would be.
	workers := min(runtime.GOMAXPROCS(0), max(1, len(looks)/64))
	var differs atomic.Bool
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(looks) && !differs.Load(); i += workers {
				o, ok := parseObservation(looks[i])
				if !ok || !o.lookAgain() {
					differs.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	if differs.Load() {
		return nil, false
	}
	return payload, true
}

func parseObservation(line string) (observation, bool) {
	head, path, ok := strings.Cut(line, "\t")
	if !ok || head == "" || path == "" {
		return observation{}, false
	}
	return observation{op: head[0], seen: head[1:], path: path}, true
}
