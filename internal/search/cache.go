package search

import (
	"hash/maphash"
	"strconv"
	"sync"

	"github.com/dealsite/dealsite/internal/site"
)

// Cache keeps each article's Entry between the builds of one watch or
// serve session, keyed by a hash of everything Analyze reads: the body's
// HTML, and the fields of the model it indexes or shows, some of which
// depend on other articles (a tag's slug) or on the settings (the page
// folder under the base URL). A nil *Cache analyses every article
// afresh.
type Cache struct {
	seed    maphash.Seed
	mu      sync.Mutex
	entries map[string]cachedEntry // by source path
	// index is the last build's, for the next to update (see index);
	// updates counts the builds that did.
	index   *index
	updates int
}

type cachedEntry struct {
	key   uint64
	entry Entry
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{seed: maphash.MakeSeed(), entries: map[string]cachedEntry{}} }

// analyze is Analyze, through the cache, with z's memory; it also
// returns the entry's key, or 0 without a cache.
func (c *Cache) analyze(z *analyzer, a *site.Article) (Entry, uint64, error) {
	body, err := a.Body()
	if err != nil {
		return Entry{}, 0, err
	}
	if c == nil {
		return z.analyze(a, string(body)), 0, nil
	}
	key := c.entryKey(a, string(body))
	c.mu.Lock()
	ce, ok := c.entries[a.Path]
	c.mu.Unlock()
	if ok && ce.key == key {
		return ce.entry, key, nil
	}
	e := z.analyze(a, string(body))
	c.mu.Lock()
	c.entries[a.Path] = cachedEntry{key, e}
	c.mu.Unlock()
	return e, key, nil
}

// files returns the files of entries, whose keys are keys: the last
// build's when every key is the same (an edit of a template or a
// stylesheet), the last index updated when a few changed (an edit of an
// article), or a new index.
func (c *Cache) files(entries []Entry, keys []uint64) []File {
	c.mu.Lock()
	defer c.mu.Unlock()
	changed, ok := c.index.changedEntries(keys)
	switch {
	case ok && len(changed) == 0:
		return c.index.sorted()
	case ok:
		c.updates++
		return c.index.update(entries, keys, changed)
	}
	c.index = newIndex(entries, keys, false)
	return c.index.sorted()
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

// entryKey hashes what analyze reads of a (TestEntryKeyCoversAnalyze
// keeps this list complete).
//
// In a model made by site.New or Update, the article's revisions stand
// for all of it but its terms' names: ArticleBody hashes the body and
// where its links point, ArticleMeta its page, dates, title, summary,
// value and terms' slugs. So a rebuild hashes two numbers and a few
// names an article instead of every body and summary of the site. An
// article no model stamped has no revisions, and its fields are hashed.
func (c *Cache) entryKey(a *site.Article, body string) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	str := func(s string) {
		h.WriteString(s)
		h.WriteByte(0)
	}
	if bodyRev, metaRev := a.Rev(site.ArticleBody), a.Rev(site.ArticleMeta); bodyRev != 0 && metaRev != 0 {
		str(strconv.FormatUint(uint64(bodyRev), 36))
		str(strconv.FormatUint(uint64(metaRev), 36))
	} else {
		str(body)
		str(a.Rel)
		str(a.WhenText)
		str(a.Title)
		str(a.Summary)
		str(a.Value)
		str(strconv.Itoa(a.Date.Year()))
	}
	for _, t := range a.Tags {
		str(t.Name)
		str(t.Slug)
	}
	str("|")
	for _, t := range a.Parties {
		str(t.Name)
		str(t.Slug)
	}
	return h.Sum64()
}
