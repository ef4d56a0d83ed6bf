//go:build linux

package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// idleQuiet is how long a server's CPU time must stay the same for
// waitIdle to call it idle.
const idleQuiet = 250 * time.Millisecond

// waitIdle waits until the process pid has used no CPU for idleQuiet (its
// utime + stime in /proc/<pid>/stat, in clock ticks, unchanged), or for at
// most max, and says which. A language server's work after its last
// answer (gomodls checks the rest of the workspace after publishing the
// edited file) shows in no message, only in its CPU time.
func waitIdle(ctx context.Context, pid int, max time.Duration) (idle bool, err error) {
	deadline := time.Now().Add(max)
	last, lastChange := cpuTicks(pid), time.Now()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-tick.C:
		}
		now := time.Now()
		if t := cpuTicks(pid); t != last {
			last, lastChange = t, now
		}
		switch {
		case last >= 0 && now.Sub(lastChange) >= idleQuiet:
			return true, nil
		case now.After(deadline):
			return false, nil
		}
	}
}

// cpuTicks is the process's utime + stime, or -1 when /proc cannot say.
func cpuTicks(pid int) int64 {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return -1
	}
	// The command name (field 2) is in parentheses and may hold spaces:
	// the fields after the last ')' are 3 onwards.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return -1
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return utime + stime
}
