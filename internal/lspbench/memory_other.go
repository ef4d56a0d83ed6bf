//go:build !linux

package main

import "time"

// A memoryWatch reads nothing where there is no /proc: the peak comes
// from wait4's ru_maxrss alone.
type memoryWatch struct{}

func watchMemory(pid int, every time.Duration) *memoryWatch { return &memoryWatch{} }

func (m *memoryWatch) Sample() {}

func (m *memoryWatch) Stop() (peak, treePeak int64) { return 0, 0 }
