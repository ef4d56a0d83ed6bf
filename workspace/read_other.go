//go:build !unix

package workspace

import "os"

// openNonBlocking opens path for reading. Without O_NONBLOCK (not a unix
// system) readRegular's look before the open is what keeps it off special
// files.
func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }
