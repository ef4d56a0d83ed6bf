package lsptest

import (
	"bytes"
	"io"
	"sync"
)

// pipe returns the two ends of an in-memory connection whose writes never
// block. net.Pipe and io.Pipe block a writer until the reader reads, so two
// peers that both write from their reading goroutine (a server answering a
// request while the client answers one of the server's) would deadlock;
// real stdio has kernel buffers, and this stands in for them.
func pipe() (a, b io.ReadWriteCloser) {
	ab, ba := newPipeBuffer(), newPipeBuffer()
	return &pipeEnd{r: ba, w: ab}, &pipeEnd{r: ab, w: ba}
}

type pipeEnd struct {
	r, w *pipeBuffer
}

func (p *pipeEnd) Read(b []byte) (int, error)  { return p.r.read(b) }
func (p *pipeEnd) Write(b []byte) (int, error) { return p.w.write(b) }

// Close ends both directions: the peer reads EOF, and a Read blocked on this
// end returns.
func (p *pipeEnd) Close() error {
	p.r.close()
	p.w.close()
	return nil
}

// pipeBuffer is one direction of a pipe.
type pipeBuffer struct {
	mu     sync.Mutex
	cond   *sync.Cond
	data   bytes.Buffer
	closed bool
}

func newPipeBuffer() *pipeBuffer {
	b := &pipeBuffer{}
	b.cond = sync.NewCond(&b.mu)
	return b
}

func (b *pipeBuffer) read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.data.Len() == 0 && !b.closed {
		b.cond.Wait()
	}
	if b.data.Len() == 0 {
		return 0, io.EOF
	}
	return b.data.Read(p)
}

func (b *pipeBuffer) write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, io.ErrClosedPipe
	}
	b.data.Write(p)
	b.cond.Broadcast()
	return len(p), nil
}

func (b *pipeBuffer) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.cond.Broadcast()
}
