package media

// lru keeps the most recently used variants, up to a budget of bytes.
type lru struct {
	budget, used int
	tick         uint64
	entries      map[string]*lruEntry
}

type lruEntry struct {
	out  []byte
	used uint64 // the tick of its last use
}

func newLRU(budget int) *lru {
	return &lru{budget: budget, entries: map[string]*lruEntry{}}
}

func (c *lru) get(key string) ([]byte, bool) {
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.tick++
	e.used = c.tick
	return e.out, true
}

// add keeps out under key, dropping the least recently used entries
// until the budget holds. A variant larger than the whole budget is not
// kept.
func (c *lru) add(key string, out []byte) {
	if len(out) > c.budget || c.entries[key] != nil {
		return
	}
	for c.used+len(out) > c.budget {
		c.evictOldest()
	}
	c.tick++
	c.entries[key] = &lruEntry{out: out, used: c.tick}
	c.used += len(out)
}

// evictOldest drops the least recently used entry. It scans: entries
// number in the thousands at most, and evictions are rare.
func (c *lru) evictOldest() {
	var oldest string
	var at uint64
	for k, e := range c.entries {
		if oldest == "" || e.used < at {
			oldest, at = k, e.used
		}
	}
	c.used -= len(c.entries[oldest].out)
	delete(c.entries, oldest)
}
