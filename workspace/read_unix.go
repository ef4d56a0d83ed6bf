//go:build unix

package workspace

import (
	"os"
	"syscall"
)

// openNonBlocking opens path for reading without waiting: O_NONBLOCK makes
// the open of a FIFO with no writer return at once (readRegular then
// refuses it), and O_NOCTTY keeps a terminal from becoming the process's
// controlling terminal. On a regular file O_NONBLOCK changes nothing.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
}
