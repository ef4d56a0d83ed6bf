package main

import (
	"runtime"
	"runtime/debug"
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
