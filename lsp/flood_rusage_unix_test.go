//go:build unix

package lsp_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used (user and system), which,
// unlike the wall clock, a loaded machine does not inflate much.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
