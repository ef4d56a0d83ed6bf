package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
)

// checkStartingHeap is how much a check allocates before its first
// garbage collection (raiseStartingHeap).
const checkStartingHeap = 64 << 20

// raiseStartingHeap lets a short run allocate up to size bytes before its
// first garbage collection, then collect as usual. A check of a real
// workspace allocates a few tens of megabytes and keeps a few: collecting
// all along from a 4 MB heap was a fifth of its time (etcd: 80 -> 66 ms).
// The go compiler starts its heap the same way
// (cmd/compile/internal/base.AdjustStartingHeap). Nothing changes when env
// sets GOGC or GOMEMLIMIT (the user's choice wins), nor after the first
// call of the process: a run of the tests calls it many times.
func raiseStartingHeap(env []string, size int64) {
	if userTunesGC(env) {
		return
	}
	startingHeap.Do(func() {
		percent := debug.SetGCPercent(-1)
		limit := debug.SetMemoryLimit(size)
		// The first collection (at size, or one asked for) finalizes
		// this, and the usual rule returns.
		first := new(int64)
		runtime.SetFinalizer(first, func(*int64) {
			debug.SetGCPercent(percent)
			debug.SetMemoryLimit(limit)
		})
	})
}

var startingHeap sync.Once

// The server's memory limit (limitServerMemory): at least serverFloor, and
// at least serverHeadroom above the live heap.
const (
	serverFloor    = 48 << 20
	serverHeadroom = 16 << 20
)

// limitServerMemory keeps a serving process's memory near what it holds:
// after each garbage collection, the soft memory limit
// (debug.SetMemoryLimit) becomes the live heap plus a quarter of it, or
// plus headroom bytes if that is more, and at least floor bytes (below
// that the usual GOGC rule keeps a small heap small, and a limit close
// above it only makes the runtime return pages it needs again). The runtime then collects before
// the heap doubles (GOGC's 100) when the limit comes first, and returns
// what it freed to the system sooner. A server holds what its workspace
// needs for its whole life and makes little garbage per edit: at N =
// 1,000 modules its peak RSS was 87 MB for a 40 MB live heap, and is 58 MB
// with this, the edit's p50 the same (2.1 ms) and its p99 4.5 -> 8 ms
// (BENCHMARKS.md). It stops, the limit removed, at the first collection
// after done is closed. Nothing changes when env sets GOGC or GOMEMLIMIT:
// the user's choice wins.
func limitServerMemory(env []string, floor, headroom int64, done <-chan struct{}) {
	if userTunesGC(env) {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var arm func()
	arm = func() {
		// A finalizer runs after the collection that found its object
		// unreachable: one per collection, each arming the next.
		s := new(gcSentinel)
		runtime.SetFinalizer(s, func(*gcSentinel) {
			select {
			case <-done:
				debug.SetMemoryLimit(math.MaxInt64)
				return
			default:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				live := int64(sample[0].Value.Uint64())
				debug.SetMemoryLimit(max(floor, live+max(live/4, headroom)))
			}
			arm()
		})
	}
	debug.SetMemoryLimit(floor)
	arm()
}

// gcSentinel is large enough not to be a tiny allocation, whose finalizer
// may never run.
type gcSentinel struct{ _ [16]byte }

// userTunesGC reports whether env sets GOGC or GOMEMLIMIT, which the
// runtime reads and which then win over what gomodls would choose.
func userTunesGC(env []string) bool {
	for _, kv := range env {
		if strings.HasPrefix(kv, "GOGC=") || strings.HasPrefix(kv, "GOMEMLIMIT=") {
			return true
		}
	}
	return false
}
