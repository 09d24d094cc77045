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
	// updates counts the builds that did, resized those of them that
	// added or deleted a document.
	index            *index
	updates, resized int
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

// files returns the files of docs: the last build's when no document
// changed, came or went (an edit of a template or a stylesheet), the
// last index updated when a few did (an edit, an article added or
// deleted), or a new index.
func (c *Cache) files(docs docList) []File {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch, ok := c.index.changes(&docs)
	switch {
	case ok && len(ch.gone)+len(ch.come) == 0:
		c.index.docs = docs // the same documents: the entries of this build
		return c.index.sorted()
	case ok:
		c.updates++
		if len(docs.paths) != len(c.index.docs.paths) {
			c.resized++
		}
		return c.index.update(docs, ch)
	}
	c.index = newIndex(docs, false)
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
