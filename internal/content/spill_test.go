package content

import (
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// fullDisk fails every write, like a disk with no space left.
type fullDisk struct{}

func (fullDisk) Write([]byte) (int, error)         { return 0, errors.New("no space left on device") }
func (fullDisk) ReadAt([]byte, int64) (int, error) { return 0, io.EOF }

// A Spill that cannot write keeps its error for its owner, and the
// bodies it could not take stay in memory.
func TestSpillKeepsWriteErrors(t *testing.T) {
	body := strings.Repeat("A long paragraph. ", 20000) // more than the buffer
	fsys := fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2011-01-01\n---\n" + body + "\n")}}
	l := NewLoader()
	l.Spill = NewSpill(fullDisk{})
	c, err := l.Load(fsys)
	if err != nil {
		t.Fatalf("Load reported the spill's error as content: %v", err)
	}
	if err := l.Spill.Flush(); err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Errorf("Flush = %v, want the write error", err)
	}
	if a := c.Articles[0]; a.Spilled() || !strings.Contains(a.Body, "A long paragraph.") {
		t.Errorf("a body the spill could not take is not in memory (spilled %v)", a.Spilled())
	}
}

// Pieces put in a Spill after the bodies read back as they went in,
// from several goroutines at once.
func TestSpillPiecesReadBack(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "spill")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := NewSpill(f)
	texts := []string{"", "<li>one</li>", strings.Repeat("<p>long</p>", 40000), "last"}
	pieces := make([]Piece, len(texts))
	for i, text := range texts {
		if pieces[i], err = s.Put(text); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i, p := range pieces {
		wg.Go(func() {
			got, err := p.Text()
			if err != nil || got != texts[i] || p.Len() != len(texts[i]) {
				t.Errorf("piece %d: %d bytes, %v; want %d bytes", i, len(got), err, len(texts[i]))
			}
		})
	}
	wg.Wait()
}
