package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// raiseStartingHeap turns collection off up to the first one, then back to
// what it was, once per process; a GOGC or GOMEMLIMIT in the environment
// leaves it alone.
func TestRaiseStartingHeap(t *testing.T) {
	startingHeap = sync.Once{}
	t.Cleanup(func() { startingHeap = sync.Once{} })
	gcPercent := func() int {
		p := debug.SetGCPercent(-1)
		debug.SetGCPercent(p)
		return p
	}
	before, limit := gcPercent(), debug.SetMemoryLimit(-1)

	raiseStartingHeap([]string{"GOGC=50"}, 1<<30)
	if p := gcPercent(); p != before {
		t.Errorf("with GOGC set, GC percent became %d", p)
	}

	raiseStartingHeap(nil, 1<<30)
	if p := gcPercent(); p != -1 {
		t.Fatalf("GC percent %d until the first collection, want off (-1)", p)
	}
	for deadline := time.Now().Add(10 * time.Second); gcPercent() != before; time.Sleep(time.Millisecond) {
		runtime.GC()
		if time.Now().After(deadline) {
			t.Fatalf("after a collection, GC percent is %d, want %d again", gcPercent(), before)
		}
	}
	if l := debug.SetMemoryLimit(-1); l != limit {
		t.Errorf("memory limit %d after the first collection, want %d again", l, limit)
	}
	raiseStartingHeap(nil, 1<<30)
	if p := gcPercent(); p != before {
		t.Errorf("a second call in the process changed GC percent to %d", p)
	}
}

// limitServerMemory sets the limit to the live heap plus the larger of a
// quarter and the headroom after each collection (at least the floor), and
// removes it once done; a GOGC or GOMEMLIMIT in the environment leaves it
// alone.
func TestLimitServerMemory(t *testing.T) {
	limit := func() int64 { return debug.SetMemoryLimit(-1) }
	before := limit()
	defer debug.SetMemoryLimit(before)
	const headroom = 64 << 20

	done := make(chan struct{})
	limitServerMemory([]string{"GOMEMLIMIT=1GiB"}, 1<<20, headroom, done)
	if l := limit(); l != before {
		t.Errorf("with GOMEMLIMIT set, the limit became %d", l)
	}

	limitServerMemory(nil, 1<<20, headroom, done)
	if l := limit(); l != 1<<20 {
		t.Errorf("before the first collection the limit is %d, want the floor %d", l, 1<<20)
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(time.Millisecond) {
			runtime.GC()
			if time.Now().After(deadline) {
				t.Fatalf("%s: the limit is %d", what, limit())
			}
		}
	}
	waitFor("after a collection, the live heap plus the headroom", func() bool {
		metrics.Read(sample)
		live := int64(sample[0].Value.Uint64())
		l := limit()
		return l >= live+headroom-16<<20 && l <= live+headroom+16<<20
	})
	close(done)
	waitFor("after done, no limit", func() bool { return limit() == math.MaxInt64 })
}
