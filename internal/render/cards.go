package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/dealsite/dealsite/internal/card"
	"github.com/dealsite/dealsite/internal/readfile"
)

// Cards is a CardMaker that keeps every card it draws in a cache folder
// outside the output, by a hash of its Spec and card.Version (so that
// it never serves a card drawn by an older dealsite): a clean
// build of an unchanged site reads its cards instead of drawing them.
// Within a watch or serve session the output folder itself keeps them
// (see Sink.KeepRest), so nothing is kept in memory.
type Cards struct {
	dir   string       // "" keeps nothing
	drawn atomic.Int64 // cards drawn, not read from dir
}

// NewCards returns a CardMaker keeping cards in dir ("" keeps none).
func NewCards(dir string) *Cards { return &Cards{dir: dir} }

// Drawn counts the cards drawn rather than read from the cache folder.
func (c *Cards) Drawn() int64 { return c.drawn.Load() }

// Card returns the PNG of spec, from the cache folder when it has it.
// A cache folder that cannot be read or written is no error: the card is
// drawn and the build goes on.
func (c *Cards) Card(spec card.Spec) ([]byte, error) {
	file := c.file(spec)
	if file != "" {
		if b, err := readfile.Path(file); err == nil {
			return b, nil
		}
	}
	b, err := card.Render(spec)
	if err != nil {
		return nil, err
	}
	c.drawn.Add(1)
	if file != "" {
		writeCacheFile(file, b)
	}
	return b, nil
}

// file is the cache file of spec, or "" without a cache folder.
func (c *Cards) file(spec card.Spec) string {
	if c.dir == "" {
		return ""
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "card %s %q", card.Version, spec))
	name := hex.EncodeToString(sum[:])
	return filepath.Join(c.dir, name[:2], name+".png")
}

// writeCacheFile writes b to file through a temporary file renamed into
// place, so that a reader never sees half a file. Failures are ignored:
// the cache is only a shortcut.
func writeCacheFile(file string, b []byte) {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".tmp-*")
	if err != nil {
		return
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil && cerr == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
}
