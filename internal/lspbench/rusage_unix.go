//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
)

// maxRSS is wait4's ru_maxrss for the exited server, in bytes: the largest
// resident set of the server or of any descendant it waited for (Linux
// getrusage(2): the largest, not the sum).
func maxRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss) // bytes there
	}
	return int64(ru.Maxrss) * 1024
}
