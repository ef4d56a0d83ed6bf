//go:build unix

package lsp_test

import (
	"os"
	"syscall"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gomodls/gomodls/lsp/lsptest"
)

// A FIFO named go.work (in the first folder) or go.mod (in a folder added
// later), without a writer: the walk may block on it (until reads skip
// special files), but not the reader goroutine — shutdown is answered. On
// the code that walked on the reader, initialize (or the folder change)
// was the last message read.
func TestFIFOInFolderDoesNotBlockShutdown(t *testing.T) {
	for _, added := range []bool{false, true} {
		name := map[bool]string{false: "initial folder", true: "added folder"}[added]
		t.Run(name, func(t *testing.T) {
			c := lsptest.New(t, lsptest.Config{Folders: []string{"a"}, Files: "-- a/go.mod --\nmodule example.com/a\n\ngo 1.22\n-- b/readme --\n"})
			fifo := c.Path("a/go.work")
			if added {
				fifo = c.Path("b/go.mod")
			}
			if err := syscall.Mkfifo(fifo, 0o666); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			c.Initialize(lsptest.AllCapabilities)
			if added {
				c.AddFolder("b")
			}
			c.Open("a/go.mod") // waits behind the load: published once it is done

			// Wait until the walk is at the FIFO (a non-blocking open for
			// writing succeeds only while a reader is there) or the load is
			// done. The writer is held, so the walk stays blocked, in its
			// read, until the end of the test.
			var writer *os.File
			c.Await("the walk at the FIFO, or the load done", func() bool {
				if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					writer = w
					return true
				}
				p, ok := c.LastPublish("a/go.mod")
				return ok && p.Params.Version == 1
			})
			if writer != nil {
				t.Cleanup(func() { writer.Close() }) // before the client's cleanup: the walk ends
			} else {
				t.Log("the load did not open the FIFO: nothing blocked")
			}
			if err := c.Call(protocol.MethodShutdown, nil, nil); err != nil {
				t.Fatalf("shutdown: %v", err)
			}
		})
	}
}
