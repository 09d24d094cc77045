package search

import (
	"hash/maphash"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/dealsite/dealsite/internal/site"
)

// Cache keeps each article's Entry between the builds of one watch or
// serve session, with what it was made from: the article's revisions
// and its terms' names, or for an article no model stamped a hash of
// everything Analyze reads (see entryKey). A nil *Cache analyses every
// article afresh.
//
// The entries are kept in the last build's order of articles, so that a
// build of the same articles in the same order (a text edit) finds each
// one's entry at its own position, with no map and no lock, and tells
// it still holds by comparing two revisions and a few names: an article
// whose revisions are unchanged is neither read nor hashed.
type Cache struct {
	seed   maphash.Seed
	last   []cachedEntry // the last build's, by article
	serial uint64        // the last serial given
	// mu guards index, which the render plan's jobs make files from.
	mu sync.Mutex
	// index is the last build's, for the next to update (see index);
	// updates counts the builds that did, resized those of them that
	// added or deleted a document.
	index            *index
	updates, resized int
	counts           counts
}

// counts is the work a Cache's builds did, for tests that bound it.
type counts struct {
	analysed     atomic.Int64 // articles analysed
	bodies       atomic.Int64 // bodies read
	termsEncoded atomic.Int64 // shard entries encoded, not copied from the last index
	postings     atomic.Int64 // postings encoded in them
}

// cachedEntry is an article's Entry and what it was made from.
type cachedEntry struct {
	path       string
	body, meta site.Revision // the article's, both 0 when no model stamped it
	names      []string      // its tags' names and slugs, then its parties'
	sum        uint64        // without revisions: entryKey
	serial     uint64        // new for each entry made: an index's key of it
	entry      *Entry
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{seed: maphash.MakeSeed()} }

// analyzeAll analyses the articles whose entry the last build did not
// make from the same article, on every CPU, and returns every article's
// entry and its serial.
func (c *Cache) analyzeAll(articles []*site.Article) ([]*Entry, []uint64, error) {
	next := make([]cachedEntry, len(articles))
	var stale []int
	var was []*cachedEntry // of each stale article, its last entry or nil
	var at map[string]int  // the last build's positions by path, once needed
	for i, a := range articles {
		ce := c.lastOf(i, a.Path, &at)
		if ce != nil && ce.holds(a) {
			next[i] = *ce
			continue
		}
		stale, was = append(stale, i), append(was, ce)
	}
	if k, err := eachInParallel(len(stale), func(z *analyzer, k int) (err error) {
		next[stale[k]], err = c.analyze(z, articles[stale[k]], was[k])
		return err
	}); err != nil {
		return nil, nil, &Error{Path: articles[stale[k]].Path, Err: err}
	}
	c.last = next
	entries, serials := make([]*Entry, len(next)), make([]uint64, len(next))
	for i := range next {
		entries[i], serials[i] = next[i].entry, next[i].serial
	}
	return entries, serials, nil
}

// lastOf is the last build's entry of the article at position i with
// path, or nil: at its own position when the articles up to it are the
// same, else through *at, made once.
func (c *Cache) lastOf(i int, path string, at *map[string]int) *cachedEntry {
	if i < len(c.last) && c.last[i].path == path {
		return &c.last[i]
	}
	if *at == nil {
		*at = make(map[string]int, len(c.last))
		for k := range c.last {
			(*at)[c.last[k].path] = k
		}
	}
	if k, ok := (*at)[path]; ok {
		return &c.last[k]
	}
	return nil
}

// holds reports, without reading a's body, that ce is still a's entry:
// a's revisions stand for all Analyze reads of it but its terms' names
// (ArticleBody for the body, ArticleMeta for its page, dates, title,
// summary, value and terms' slugs), so equal revisions and names are an
// equal entry. An article without revisions must be hashed (see
// analyze).
func (ce *cachedEntry) holds(a *site.Article) bool {
	body, meta := a.Rev(site.ArticleBody), a.Rev(site.ArticleMeta)
	if body == 0 || meta == 0 || body != ce.body || meta != ce.meta || len(ce.names) != 2*(len(a.Tags)+len(a.Parties)) {
		return false
	}
	names := ce.names
	for _, terms := range [2][]*site.Term{a.Tags, a.Parties} {
		for _, t := range terms {
			if t.Name != names[0] || t.Slug != names[1] {
				return false
			}
			names = names[2:]
		}
	}
	return true
}

// analyze makes a's entry with z's memory, unless a has no revisions
// and the hash of what it reads is was's.
func (c *Cache) analyze(z *analyzer, a *site.Article, was *cachedEntry) (cachedEntry, error) {
	c.counts.bodies.Add(1)
	body, err := a.Body()
	if err != nil {
		return cachedEntry{}, err
	}
	ce := cachedEntry{path: a.Path, body: a.Rev(site.ArticleBody), meta: a.Rev(site.ArticleMeta)}
	if ce.body == 0 || ce.meta == 0 {
		ce.body, ce.meta, ce.sum = 0, 0, c.entryKey(a, string(body))
		if was != nil && was.body == 0 && was.sum == ce.sum {
			return *was, nil
		}
	} else {
		ce.names = termNames(a)
	}
	c.counts.analysed.Add(1)
	e := z.analyze(a, string(body))
	ce.entry = &e
	ce.serial = atomic.AddUint64(&c.serial, 1)
	return ce, nil
}

// termNames is the names and slugs of a's tags, then of its parties.
func termNames(a *site.Article) []string {
	names := make([]string, 0, 2*(len(a.Tags)+len(a.Parties)))
	for _, terms := range [2][]*site.Term{a.Tags, a.Parties} {
		for _, t := range terms {
			names = append(names, t.Name, t.Slug)
		}
	}
	return names
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
	c.index.counts = &c.counts
	return c.index.sorted()
}

// entryKey hashes what analyze reads of a, for an article no model
// stamped with revisions (TestEntryKeyCoversAnalyze keeps this list
// complete).
func (c *Cache) entryKey(a *site.Article, body string) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	str := func(s string) {
		h.WriteString(s)
		h.WriteByte(0)
	}
	for _, s := range []string{body, a.Rel, a.WhenText, a.Title, a.Summary, a.Value, strconv.Itoa(a.Date.Year())} {
		str(s)
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
