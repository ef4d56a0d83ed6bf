package main

import (
	"runtime"
	"runtime/debug"
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
	for _, kv := range env {
		if strings.HasPrefix(kv, "GOGC=") || strings.HasPrefix(kv, "GOMEMLIMIT=") {
			return
		}
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
