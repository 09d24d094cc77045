package media

import (
	"sync"
	"sync/atomic"
)

// sourceBudget bounds the bytes of decoded sources a Processor keeps
// between the variants of an image: a 12-megapixel photo takes 64 MB.
// One source is always kept, however large. A source is dropped as soon
// as all of its image's variants have been encoded from it, so a
// server does not hold the pixels of the images it built an hour ago;
// the budget bounds the rest (images some of whose variants were in
// the cache folder).
const sourceBudget = 256 << 20

// sources keeps decoded images by hash, so that the variants of an
// image, asked for one after the other or at once, decode it once.
type sources struct {
	mu      sync.Mutex
	tick    uint64
	entries map[[32]byte]*sourceEntry
	decoded atomic.Int64 // images decoded, for tests
}

type sourceEntry struct {
	done     chan struct{} // closed when src and err are set
	src      *source
	err      error
	used     uint64
	produced int // variants encoded from it
}

// get returns the decoded source of an image, decoding it unless it is
// kept or being decoded by another caller.
func (c *sources) get(src []byte, info Info) (*source, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[[32]byte]*sourceEntry{}
	}
	c.tick++
	if e, ok := c.entries[info.Hash]; ok {
		e.used = c.tick
		c.mu.Unlock()
		<-e.done
		return e.src, e.err
	}
	e := &sourceEntry{done: make(chan struct{}), used: c.tick}
	c.entries[info.Hash] = e
	c.mu.Unlock()

	e.src, e.err = decodeSource(src, info)
	c.decoded.Add(1)
	close(e.done)

	c.mu.Lock()
	if e.err != nil {
		delete(c.entries, info.Hash)
	}
	c.trim()
	c.mu.Unlock()
	return e.src, e.err
}

// produced notes that a variant was encoded from an image's source, and
// drops the source once all of the image's variants (want) have been.
func (c *sources) produced(hash [32]byte, want int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok {
		return
	}
	if e.produced++; e.produced >= want {
		delete(c.entries, hash)
	}
}

// trim drops the least recently used decoded sources until the rest
// fit the budget, keeping the most recent one.
func (c *sources) trim() {
	for {
		total, oldest := 0, [32]byte{}
		var at uint64
		done := 0
		for k, e := range c.entries {
			select {
			case <-e.done:
			default:
				continue // being decoded: not counted, not dropped
			}
			if e.src == nil {
				continue // failed: about to be forgotten
			}
			done++
			total += e.src.size()
			if at == 0 || e.used < at {
				oldest, at = k, e.used
			}
		}
		if total <= sourceBudget || done <= 1 {
			return
		}
		delete(c.entries, oldest)
	}
}
