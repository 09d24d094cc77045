package content

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sync"
)

// A Spill keeps article bodies in a file instead of in memory. A one-shot
// build of a big site reads every body once, to write its page, but must
// hold all of them until the model is complete (the page shows its
// neighbours and related events); at 10,000 articles the bodies are most
// of the live heap. The build gives the Loader a Spill on a temporary
// file, and Article.BodyHTML reads each body back when it is needed.
//
// Writes are appended through one buffer under a lock; reads use ReadAt
// and may run concurrently once Flush has been called.
type Spill struct {
	f ReadWriterAt

	mu  sync.Mutex
	w   *bufio.Writer
	off int64
	err error
}

// ReadWriterAt is the file a Spill writes to: an *os.File.
type ReadWriterAt interface {
	io.Writer
	io.ReaderAt
}

// NewSpill returns a Spill appending to f, which must be empty.
func NewSpill(f ReadWriterAt) *Spill {
	return &Spill{f: f, w: bufio.NewWriterSize(f, 256<<10)}
}

// spilled locates one body in a Spill.
type spilled struct {
	s   *Spill
	off int64
	n   int
}

// store appends body and says where it went.
func (s *Spill) store(body string) (spilled, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return spilled{}, s.err
	}
	if _, err := s.w.WriteString(body); err != nil {
		s.err = fmt.Errorf("setting article bodies and event snippets aside: %w", err)
		return spilled{}, s.err
	}
	at := spilled{s: s, off: s.off, n: len(body)}
	s.off += int64(len(body))
	return at, nil
}

// Flush writes out what is buffered, so that bodies can be read back,
// and returns the first error the Spill met, if any. The Loader flushes
// after each Load; the Spill's owner calls Flush again to learn whether
// every body was set aside.
func (s *Spill) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		if err := s.w.Flush(); err != nil {
			s.err = fmt.Errorf("setting article bodies and event snippets aside: %w", err)
		}
	}
	return s.err
}

// read returns one body.
func (at spilled) read() (string, error) {
	buf := make([]byte, at.n)
	if _, err := at.s.f.ReadAt(buf, at.off); err != nil && !(errors.Is(err, io.EOF) && at.n == 0) {
		return "", fmt.Errorf("reading back an article body or event snippet: %w", err)
	}
	return string(buf), nil
}

// A Piece is text a later stage of the build set aside in a Spill, as
// the Loader does with bodies: the event snippet of every article, which
// every listing shows, is rendered once before any page and read back
// for each listing that shows it. Text reads it once Flush has been
// called.
type Piece struct{ at spilled }

// Put appends text to the Spill and returns where it went. After an
// error the Spill takes nothing more; the caller keeps text itself.
func (s *Spill) Put(text string) (Piece, error) {
	at, err := s.store(text)
	return Piece{at}, err
}

// Len is the length of the piece's text in bytes.
func (p Piece) Len() int { return p.at.n }

// Text reads the piece back.
func (p Piece) Text() (string, error) { return p.at.read() }
