package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A memoryWatch polls, while a server runs, its peak resident set (VmHWM
// in /proc/<pid>/status, which the kernel keeps, so polling misses
// nothing) and the resident set of it and its descendants together
// (gopls runs `go list`; their sum is sampled, so a short-lived peak
// between two samples is missed).
type memoryWatch struct {
	pid  int
	stop chan struct{}
	done chan struct{}

	mu       sync.Mutex
	peak     int64 // bytes: the server's VmHWM
	treePeak int64 // bytes: the largest sum of VmRSS over the process tree
}

func watchMemory(pid int, every time.Duration) *memoryWatch {
	m := &memoryWatch{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(m.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			m.Sample()
			select {
			case <-t.C:
			case <-m.stop:
				return
			}
		}
	}()
	return m
}

// Sample reads the memory now; Stop's numbers include it.
func (m *memoryWatch) Sample() {
	hwm, ok := statusKB(m.pid, "VmHWM:")
	if !ok {
		return // exited
	}
	tree := int64(0)
	for _, pid := range descendants(m.pid) {
		if rss, ok := statusKB(pid, "VmRSS:"); ok {
			tree += rss
		}
	}
	if self, ok := statusKB(m.pid, "VmRSS:"); ok {
		tree += self
	}
	m.mu.Lock()
	m.peak = max(m.peak, hwm*1024)
	m.treePeak = max(m.treePeak, tree*1024, m.peak)
	m.mu.Unlock()
}

// Stop stops polling and returns the server's peak resident set and the
// process tree's, in bytes (zero if never read).
func (m *memoryWatch) Stop() (peak, treePeak int64) {
	close(m.stop)
	<-m.done
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.peak, m.treePeak
}

// statusKB reads a "Name:  N kB" line of /proc/<pid>/status.
func statusKB(pid int, name string) (int64, bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, false
	}
	s := bufio.NewScanner(bytes.NewReader(b))
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), name); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// descendants lists the processes below pid, from the children files of
// its threads (/proc/<pid>/task/<tid>/children, CONFIG_PROC_CHILDREN;
// without it, none).
func descendants(pid int) []int {
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		tasks, _ := filepath.Glob(filepath.Join("/proc", strconv.Itoa(p), "task", "*", "children"))
		for _, t := range tasks {
			b, err := os.ReadFile(t)
			if err != nil {
				continue
			}
			for _, f := range strings.Fields(string(b)) {
				if c, err := strconv.Atoi(f); err == nil {
					out = append(out, c)
					queue = append(queue, c)
				}
			}
		}
	}
	return out
}
