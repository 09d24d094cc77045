package render

import (
	"hash/maphash"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/dealsite/dealsite/internal/search"
	"github.com/dealsite/dealsite/internal/site"
)

// Cache keeps, between the builds of one Builder (watch, serve), every
// event snippet rendered with its bytes, and of every file its checksum,
// each with the dependencies recorded while it rendered (see recorder).
// Plan takes a file or snippet from the cache while none of its
// dependencies changed since it was rendered and the templates are the
// same; anything else is rendered again. It works the same for any
// theme, since what is recorded is what the templates actually read. A
// nil *Cache disables it.
//
// To tell what changed, each Plan observes the revision of every
// dependency there is (see observe), or, given the model the last plan
// saw after one update in place, only of what the update restamped
// (see site.Site.Restamped): then a text edit costs the same whatever
// the size of the site. An inverted index from each
// dependency to the entries that recorded it (dependents) takes a change
// straight to the entries it makes stale, so that an edit costs the
// entries that depend on what it changed, not a check of every entry. A
// dependency that no longer exists has changed.
//
// A file's bytes are not kept: a kept file is one the sink still holds
// (see Sink.KeepRest), and when it does not, the file is rendered again.
type Cache struct {
	mu        sync.Mutex
	seed      maphash.Seed
	templates string             // the fingerprint of the templates of the entries
	pages     map[string]*cached // by output path
	events    map[string]*cached // by article path

	plan        uint64                    // counts the plans, from 1
	revs        [256]map[string]*observed // by kind (see kindOf), then ID
	observedNow int                       // how many objects this plan observed
	// seen is the model the last plan observed whole, and its
	// generation (see site.Site.Restamped); nil after a plan that
	// failed. partial: this plan observes only what the model's update
	// restamped since, and the snippets it rendered (rendered).
	seen     *site.Site
	seenGen  uint64
	partial  bool
	rendered []*site.Article
	// dependents are the entries that recorded each dependency, and
	// maybe entries since replaced or forgotten (dead), dropped when the
	// dependency changes or the index is rebuilt (see compact).
	dependents map[site.Dep][]*cached
	indexed    int   // entries listed in dependents, dead ones included
	liveDeps   int   // dependencies of the live entries
	usedNow    int64 // entries this plan rendered or kept (atomically)
	visits     int   // entries this plan made stale, for tests
	// lastEvents are the snippets of lastArticles, the articles of the
	// last plan in order: a model updated in place has the same ones,
	// found without hashing their paths.
	lastArticles []*site.Article
	lastEvents   []*cached
	// sitemaps are the sitemap files planned for the revision
	// sitemapsRev of everything (site.SiteAll), which they show.
	sitemaps    []sitemapFile
	sitemapsRev site.Revision
	search      *search.Cache // each article's search index entry
	ndjson      eventLines    // the lines of events.ndjson
}

// observed is what a Cache knows of one object: the revision of each of
// its facets, and the last plan that saw it.
type observed struct {
	rev  [3]site.Revision
	seen uint64
}

// kindOf is the kind of object a facet is of, named by its first facet,
// and the facet's place among the kind's.
func kindOf(f site.Facet) (kind site.Facet, slot int) {
	switch f {
	case site.ArticleBody, site.ArticleLinks:
		return site.ArticleMeta, int(f - site.ArticleMeta)
	case site.TermMembers:
		return site.TermMeta, 1
	}
	return f, 0 // one facet of its own
}

// cached is one rendered file or snippet.
type cached struct {
	deps []site.Dep // sorted by facet, then ID
	html string     // a snippet's HTML; "" for a file
	src  []byte     // the bytes of a file made before planning (see bytesJob)
	key  uint64     // a hash of the bytes: the sink's key, and a snippet's revision
	used uint64     // the last plan that rendered or kept it
	// stale: a dependency changed since it was rendered. dead: it was
	// replaced or forgotten, and is in dependents only until compact.
	stale, dead bool
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{seed: maphash.MakeSeed(), pages: map[string]*cached{}, events: map[string]*cached{},
		dependents: map[site.Dep][]*cached{}, search: search.NewCache()}
}

// begin starts a plan: it forgets every file when the templates
// changed, and observes the revisions of s: those the model's update
// in place restamped, when the last plan observed the model it updated
// (and did not fail), else every one.
func (c *Cache) begin(t *Templates, s *site.Site) {
	if c == nil {
		return
	}
	c.plan++
	c.observedNow = 0
	c.usedNow = 0
	c.visits = 0
	if c.templates != t.fingerprint {
		clear(c.pages)
		clear(c.events)
		clear(c.dependents)
		c.indexed, c.liveDeps = 0, 0
		c.lastArticles, c.lastEvents = nil, nil
		c.templates = t.fingerprint
		c.seen = nil
	}
	seen := c.seen
	c.seen = nil // until this plan has observed what it renders
	if r, ok := s.Restamped(c.seenGen); ok && seen == s {
		c.partial = true
		c.observeRestamp(s, r)
	} else {
		c.partial = false
		c.observeAll(s)
	}
}

// observeAll observes every object of s.
func (c *Cache) observeAll(s *site.Site) {
	for _, a := range s.Articles {
		c.observeArticle(a)
	}
	for _, y := range s.Years {
		c.observeYear(y)
	}
	for _, terms := range [][]*site.Term{s.Tags, s.Parties} {
		for _, t := range terms {
			c.observeTerm(t)
		}
	}
	for _, e := range s.Eras {
		c.observeEra(e)
	}
	c.observeSite(s)
}

// observeRestamp observes what an update in place of the model the
// last plan observed restamped: the revisions of everything else are
// as they were. The articles it took out are gone.
func (c *Cache) observeRestamp(s *site.Site, r site.Restamp) {
	for _, a := range r.Articles {
		c.observeArticle(a)
	}
	for _, p := range r.Gone {
		c.gone(site.ArticleMeta, p)
		c.gone(snippetFacet, p)
	}
	for _, y := range r.Years {
		c.observeYear(y)
	}
	for _, t := range r.Terms {
		c.observeTerm(t)
	}
	for _, e := range r.Eras {
		c.observeEra(e)
	}
	c.observeSite(s)
}

func (c *Cache) observeArticle(a *site.Article) {
	c.observe(site.ArticleMeta, a.Path, a.Rev(site.ArticleMeta), a.Rev(site.ArticleBody), a.Rev(site.ArticleLinks))
}

func (c *Cache) observeYear(y *site.Year) {
	d, _ := y.Dep()
	c.observe(d.Facet, d.ID, y.Rev())
}

func (c *Cache) observeTerm(t *site.Term) {
	d := t.Dep(site.TermMeta)
	c.observe(d.Facet, d.ID, t.Rev(site.TermMeta), t.Rev(site.TermMembers))
}

func (c *Cache) observeEra(e *site.Era) {
	d := e.Dep()
	c.observe(d.Facet, d.ID, e.Rev())
}

func (c *Cache) observeSite(s *site.Site) {
	for f := site.SiteSettings; f <= site.SiteAll; f++ {
		c.observe(f, "", s.Rev(f))
	}
}

// gone forgets an object of kind that no longer exists: what depends on
// any of its facets changed.
func (c *Cache) gone(kind site.Facet, id string) {
	o, ok := c.revs[kind][id]
	if !ok {
		return
	}
	delete(c.revs[kind], id)
	for i := range o.rev {
		c.changed(site.Dep{Facet: kind + site.Facet(i), ID: id})
	}
}

// observe notes the revisions of the facets of one object, of kind
// (see kindOf), in this plan, and makes stale what depends on those
// that changed.
func (c *Cache) observe(kind site.Facet, id string, revs ...site.Revision) {
	c.observedNow++
	m := c.revs[kind]
	if m == nil {
		m = map[string]*observed{}
		c.revs[kind] = m
	}
	o, ok := m[id]
	if !ok {
		o = &observed{}
		m[id] = o
	}
	for i, rev := range revs {
		if !ok || o.rev[i] != rev {
			o.rev[i] = rev
			c.changed(site.Dep{Facet: kind + site.Facet(i), ID: id})
		}
	}
	o.seen = c.plan
}

// changed makes stale every entry that recorded d. They are rendered
// again, recording d anew if they still read it, so d's list goes.
func (c *Cache) changed(d site.Dep) {
	for _, e := range c.dependents[d] {
		e.stale = true
	}
	c.visits += len(c.dependents[d])
	c.indexed -= len(c.dependents[d])
	delete(c.dependents, d)
}

// observeChrome observes the revision of the chrome, once rendered.
func (c *Cache) observeChrome(t *Templates) {
	if c != nil {
		c.observe(chromeFacet, "", t.chromeRev)
	}
}

// observeEvents observes the revision of each article's snippet, once
// rendered; then it drops what this plan did not observe (deleted
// objects): files depending on them are stale. A partial plan (see
// begin) observes the snippets it rendered, the others being as they
// were, and knows the deleted objects already.
func (c *Cache) observeEvents(t *Templates, s *site.Site) {
	if c == nil {
		return
	}
	defer func() { c.seen, c.seenGen = s, s.Generation() }()
	articles := s.Articles
	if c.partial {
		articles = c.rendered
	}
	for _, a := range articles {
		if e, ok := t.events[a]; ok {
			c.observe(snippetFacet, a.Path, site.Revision(e.key))
		}
	}
	if c.partial {
		return
	}
	known := 0
	for _, m := range c.revs {
		known += len(m)
	}
	if c.observedNow == known {
		return
	}
	for kind, m := range c.revs {
		for id, o := range m {
			if o.seen != c.plan {
				delete(m, id)
				for i := range o.rev {
					c.changed(site.Dep{Facet: site.Facet(kind + i), ID: id})
				}
			}
		}
	}
}

// event returns the snippet entry of a, the i-th article, if any.
func (c *Cache) event(i int, a *site.Article) *cached {
	if i < len(c.lastArticles) && c.lastArticles[i] == a {
		if e := c.lastEvents[i]; e != nil && !e.dead {
			return e
		}
	}
	return c.events[a.Path]
}

// rememberEvents notes the snippet entry of each article, by its place,
// for the next plan (see event); of the articles this plan rendered the
// snippets of (todo), the entries are new.
func (c *Cache) rememberEvents(articles []*site.Article, todo []int) {
	if c == nil {
		return
	}
	c.rendered = c.rendered[:0]
	for _, i := range todo {
		c.rendered = append(c.rendered, articles[i])
	}
	if !slices.Equal(c.lastArticles, articles) {
		c.lastEvents = make([]*cached, len(articles))
		for i, a := range articles {
			c.lastEvents[i] = c.events[a.Path]
		}
		c.lastArticles = slices.Clone(articles)
		return
	}
	for _, i := range todo {
		c.lastEvents[i] = c.events[articles[i].Path]
	}
}

// sitemapsOf plans the sitemap files of s, or takes the last plan's
// when nothing they show changed: listing every URL costs as much as a
// look at every page.
func (c *Cache) sitemapsOf(s *site.Site) []sitemapFile {
	if c == nil {
		return planSitemaps(s, sitemapURLs(s), sitemapMaxBytes)
	}
	if rev := s.Rev(site.SiteAll); c.sitemaps == nil || rev != c.sitemapsRev {
		c.sitemaps, c.sitemapsRev = planSitemaps(s, sitemapURLs(s), sitemapMaxBytes), rev
	}
	return c.sitemaps
}

// eventLines is what keeps the lines of events.ndjson: nil without a
// cache.
func (c *Cache) eventLines() *eventLines {
	if c == nil {
		return nil
	}
	return &c.ndjson
}

// fresh reports whether e is up to date: none of its dependencies
// changed since it was rendered.
func (e *cached) fresh() bool { return e != nil && !e.stale }

// use takes e, fresh, for this plan.
func (c *Cache) use(e *cached) {
	e.used = c.plan
	atomic.AddInt64(&c.usedNow, 1)
}

// known reports whether c observes d's object: a dependency on one it
// does not (none of the model's) could never be seen to change.
func (c *Cache) known(d site.Dep) bool {
	if d.Facet == chromeFacet {
		return true
	}
	kind, _ := kindOf(d.Facet)
	_, ok := c.revs[kind][d.ID]
	return ok
}

func (c *Cache) get(m map[string]*cached, path string) *cached {
	c.mu.Lock()
	defer c.mu.Unlock()
	return m[path]
}

// putFile keeps the key of a file's bytes as made in this plan from
// what r recorded (see put), and returns it.
func (c *Cache) putFile(path string, r *recorder, data, src []byte) uint64 {
	key := maphash.Bytes(c.seed, data)
	c.put(c.pages, path, r, key, "", src)
	return key
}

// putEvent keeps an article's snippet as made in this plan from what r
// recorded (see put), and returns its key.
func (c *Cache) putEvent(path string, r *recorder, html string) uint64 {
	key := maphash.String(c.seed, html)
	c.put(c.events, path, r, key, html, nil)
	return key
}

// put keeps an entry made in this plan from what r recorded, unless r
// could not bound it or recorded what no observation covers.
func (c *Cache) put(m map[string]*cached, path string, r *recorder, key uint64, html string, src []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := m[path]; ok && old.used == c.plan {
		atomic.AddInt64(&c.usedNow, -1) // kept, then rendered again for a sink that lost it
	}
	c.forget(m, path)
	if r.unbounded {
		return
	}
	deps := r.finish()
	for _, d := range deps {
		if !c.known(d) {
			return
		}
	}
	e := &cached{deps: deps, html: html, src: src, key: key, used: c.plan}
	m[path] = e
	atomic.AddInt64(&c.usedNow, 1)
	for _, d := range deps {
		c.dependents[d] = append(c.dependents[d], e)
	}
	c.indexed += len(deps)
	c.liveDeps += len(deps)
}

// forget drops the entry at path, if any; its places in dependents stay
// until compact.
func (c *Cache) forget(m map[string]*cached, path string) {
	if e, ok := m[path]; ok {
		e.dead = true
		c.liveDeps -= len(e.deps)
		delete(m, path)
	}
}

// retain forgets the pages and snippets this plan neither rendered nor
// kept, so that a long watch session does not keep deleted pages, and
// rebuilds the index when dead entries have come to fill most of it.
func (c *Cache) retain() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if int(c.usedNow) != len(c.pages)+len(c.events) {
		for _, m := range []map[string]*cached{c.pages, c.events} {
			for p, e := range m {
				if e.used != c.plan {
					c.forget(m, p)
				}
			}
		}
	}
	if c.indexed > 2*c.liveDeps+4096 {
		c.compact()
	}
}

// compact rebuilds dependents from the live entries.
func (c *Cache) compact() {
	clear(c.dependents)
	c.indexed = 0
	for _, m := range []map[string]*cached{c.pages, c.events} {
		for _, e := range m {
			for _, d := range e.deps {
				c.dependents[d] = append(c.dependents[d], e)
			}
			c.indexed += len(e.deps)
		}
	}
}
