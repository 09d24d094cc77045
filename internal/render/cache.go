package render

import (
	"encoding/binary"
	"encoding/hex"
	"hash/maphash"
	"strconv"
	"sync"

	"github.com/dealsite/dealsite/internal/search"
	"github.com/dealsite/dealsite/internal/site"
)

// Cache keeps rendered article pages and event snippets between the
// builds of one Builder (watch, serve), keyed by a hash of everything
// they show: the templates, the site settings, the article's parse, its
// neighbours, related events, terms, era and year. A warm rebuild after
// one edit therefore executes templates only for the pages that changed
// and for the listings. A nil *Cache disables it.
//
// The keys are written for what the default theme's templates read,
// and only builds with exactly those templates use them (see
// auditedTheme): a site's own templates may print anything reachable
// from a page (.Site.Articles in the chrome, .Next.Title or
// len .Year.Articles in an event), so with any override every page is
// rendered afresh. Same result as a fresh build either way.
type Cache struct {
	mu     sync.Mutex
	seed   maphash.Seed
	pages  map[string]cached // by output path
	events map[string]cached // by article page path
	keys   buildKeys         // of the build under way
	search *search.Cache     // each article's search index entry
}

type cached struct {
	key  uint64
	data []byte
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{seed: maphash.MakeSeed(), pages: map[string]cached{}, events: map[string]cached{}, search: search.NewCache()}
}

func (c *Cache) get(m map[string]cached, path string, key uint64) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := m[path]
	return e.data, ok && e.key == key
}

func (c *Cache) put(m map[string]cached, path string, key uint64, data []byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	m[path] = cached{key: key, data: data}
}

// auditedTheme is the fingerprint (see fingerprint, hex-encoded) of the
// one set of templates whose field use the keys below are written for
// and tested against: the default theme, package layouts, with nothing
// overridden. TestAuditedThemeIsTheDefault fails when the default theme
// changes, so that the keys are checked again against what it reads.
const auditedTheme = "0022d65417c57613ba5b67eb8c2ce03ff7068516434880b52c18c2a435a14881"

// covers reports whether the keys cover everything t's templates read.
func (c *Cache) covers(t *Templates) bool {
	return hex.EncodeToString([]byte(t.fingerprint)) == auditedTheme
}

// forget drops everything, for a build the keys do not cover.
func (c *Cache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.pages)
	clear(c.events)
}

// retain forgets the pages and snippets this build did not produce, so
// a long watch session does not keep deleted pages.
func (c *Cache) retain(s *site.Site, jobs []job) {
	if c == nil {
		return
	}
	keepPages := make(map[string]bool, len(jobs))
	for _, j := range jobs {
		keepPages[j.path] = true
	}
	keepEvents := make(map[string]bool, len(s.Articles))
	for _, a := range s.Articles {
		keepEvents[a.Rel] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for p := range c.pages {
		if !keepPages[p] {
			delete(c.pages, p)
		}
	}
	for p := range c.events {
		if !keepEvents[p] {
			delete(c.events, p)
		}
	}
}

// buildKeys are worked out once per build: every cache key is made of
// them.
type buildKeys struct {
	// meta is everything about an article that listings show: all but
	// its body and headings. Editing the text of an article changes its
	// full key but not its meta key, so the listings stay cached.
	meta map[*site.Article]uint64
	// full adds the body and the source file's hash: what its own page
	// and the full-content feed show.
	full map[*site.Article]uint64
	// settings is the templates and the site settings: what every
	// page's frame shows.
	settings uint64
	// site adds every article's meta key in order: what the listings,
	// the sitemap and the data files show. allFull adds every full key.
	site, allFull uint64
}

// begin works out the keys of a build of s.
func (c *Cache) begin(t *Templates, s *site.Site) {
	if c == nil {
		return
	}
	k := buildKeys{meta: make(map[*site.Article]uint64, len(s.Articles)), full: make(map[*site.Article]uint64, len(s.Articles))}
	settings := c.keyer(t, s)
	for _, e := range s.Eras {
		settings.str(e.Title).str(e.Slug).str(e.When())
	}
	// The limits decide which events each listing page and the home page
	// show, and how many pages and sitemap files there are.
	settings.str(strconv.Itoa(s.Limits.PageEvents)).str(strconv.Itoa(s.Limits.HomeEvents)).str(strconv.Itoa(s.Limits.SitemapURLs))
	k.settings = settings.sum()
	siteKey := c.keyer(t, s).u64(k.settings).str(string(s.Intro))
	allFull := c.keyer(t, s)
	for _, a := range s.Articles {
		meta := c.keyer(t, s).meta(a).sum()
		body := bodyKey(a)
		k.meta[a] = meta
		siteKey.u64(meta)
		sum := a.SourceHash()
		full := c.keyer(t, s).u64(meta).str(body)
		full.h.Write(sum[:])
		k.full[a] = full.sum()
		allFull.u64(k.full[a])
	}
	k.site, k.allFull = siteKey.sum(), allFull.sum()
	c.keys = k
}

// bodyKey is what keys an article's body. A Builder's loader keeps
// bodies in memory; should one fail to read back, its error stands in,
// and the page's own rendering reports it.
func bodyKey(a *site.Article) string {
	body, err := a.Body()
	if err != nil {
		return err.Error()
	}
	return string(body)
}

// keyer hashes the inputs of one page.
type keyer struct{ h maphash.Hash }

func (c *Cache) keyer(t *Templates, s *site.Site) *keyer {
	k := &keyer{}
	k.h.SetSeed(c.seed)
	k.str(t.fingerprint).str(s.Title).str(s.Description).str(s.Language).str(s.Author).str(s.BaseURL)
	return k
}

func (k *keyer) str(s string) *keyer {
	k.h.WriteString(s)
	k.h.WriteByte(0)
	return k
}

func (k *keyer) u64(n uint64) *keyer {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], n)
	k.h.Write(b[:])
	return k
}

// meta adds every field of an article except its body and headings
// (TestMetaKeyCoversArticle keeps this list complete).
func (k *keyer) meta(a *site.Article) *keyer {
	k.str(a.Path).str(a.Title).str(a.DateISO).str(a.WhenText).str(strconv.Itoa(a.Weight))
	if !a.EndDate.IsZero() {
		k.str(a.EndDate.ISO())
	}
	k.str(a.Summary).str(strconv.FormatBool(a.OwnSummary)).str(a.Value).str(a.Slug).str(strconv.FormatBool(a.Draft))
	for _, src := range a.Sources {
		k.str(src.Title).str(src.URL).str(src.Publisher).str(src.Date.ISO())
	}
	k.str("|")
	for _, t := range a.Tags {
		k.str(t.Name).str(t.Slug).str(t.URL)
	}
	k.str("|")
	for _, t := range a.Parties {
		k.str(t.Name).str(t.Slug).str(t.URL)
	}
	k.str("|").str(a.Rel).str(a.URL).str(a.Permalink)
	if a.Year != nil {
		k.str(a.Year.URL)
	}
	if a.Era != nil {
		k.str(a.Era.Title).str(a.Era.Slug).str(strconv.FormatBool(a.FirstOfEra))
	}
	return k
}

func (k *keyer) sum() uint64 { return k.h.Sum64() }

// eventKey is the key of an article's listing snippet.
func (c *Cache) eventKey(a *site.Article) uint64 { return c.keys.meta[a] }

// pageKey is the key of an article's page: the article in full, and what
// it shows of its neighbours and related events.
func (c *Cache) pageKey(a *site.Article) uint64 {
	k := (&keyer{}).seeded(c.seed).u64(c.keys.settings).u64(c.keys.full[a])
	for _, n := range append([]*site.Article{a.Prev, a.Next}, a.Related...) {
		if n == nil {
			k.str("-")
			continue
		}
		k.u64(c.keys.meta[n])
	}
	return k.sum()
}

// listingKey is the key of every other file: listings, feeds, the
// sitemap and data files, which show the articles' metadata. full adds
// every article's body, for the full-content feed.
func (c *Cache) listingKey(path string, full bool) uint64 {
	k := (&keyer{}).seeded(c.seed).u64(c.keys.site).str(path)
	if full {
		k.u64(c.keys.allFull)
	}
	return k.sum()
}

func (k *keyer) seeded(seed maphash.Seed) *keyer {
	k.h.SetSeed(seed)
	return k
}

// listingJob keys a job that is not an article page, and takes its
// bytes from the cache when they are there.
func (c *Cache) listingJob(j job) job {
	j.key, j.cached = c.listingKey(j.path, j.path == fullFeed), true
	if data, hit := c.get(c.pages, j.path, j.key); hit {
		j.make, j.hit = func() ([]byte, error) { return data, nil }, true
		j.data, j.fill = Page{}, nil
	}
	return j
}

// fullFeed is the one file that shows whole articles besides their pages.
const fullFeed = "feed.xml"
