package search

import (
	"crypto/sha256"
	"strconv"
	"sync"

	"github.com/dealsite/dealsite/internal/site"
)

// Cache keeps each article's Entry between the builds of one watch or
// serve session, keyed by the article's source hash and every field
// Analyze reads that is not in the source: its page folder, its date as
// shown and its terms' slugs, which depend on other articles. A nil
// *Cache analyses every article afresh.
type Cache struct {
	mu      sync.Mutex
	entries map[string]cachedEntry // by source path
}

type cachedEntry struct {
	key   [32]byte
	entry Entry
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{entries: map[string]cachedEntry{}} }

// analyze is Analyze, through the cache.
func (c *Cache) analyze(a *site.Article) (Entry, error) {
	if c == nil {
		return Analyze(a)
	}
	key := entryKey(a)
	c.mu.Lock()
	ce, ok := c.entries[a.Path]
	c.mu.Unlock()
	if ok && ce.key == key {
		return ce.entry, nil
	}
	e, err := Analyze(a)
	if err != nil {
		return e, err
	}
	c.mu.Lock()
	c.entries[a.Path] = cachedEntry{key, e}
	c.mu.Unlock()
	return e, nil
}

// retain forgets the articles no longer published.
func (c *Cache) retain(articles []*site.Article) {
	if c == nil {
		return
	}
	keep := make(map[string]bool, len(articles))
	for _, a := range articles {
		keep[a.Path] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for p := range c.entries {
		if !keep[p] {
			delete(c.entries, p)
		}
	}
}

// entryKey hashes what Analyze reads of a: the source file, which holds
// the title, summary, tags, parties, value, date and body, and what the
// site model adds to it (TestEntryKeyCoversAnalyze keeps this list
// complete).
func entryKey(a *site.Article) [32]byte {
	h := sha256.New()
	src := a.SourceHash()
	h.Write(src[:])
	str := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	str(a.Rel)
	str(a.WhenText)
	str(a.Title)
	str(a.Summary)
	str(strconv.Itoa(a.Date.Year()))
	for _, t := range a.Tags {
		str(t.Name)
		str(t.Slug)
	}
	str("|")
	for _, t := range a.Parties {
		str(t.Name)
		str(t.Slug)
	}
	var key [32]byte
	h.Sum(key[:0])
	return key
}
