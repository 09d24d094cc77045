package render

import (
	"cmp"
	"hash/maphash"
	"math/bits"
	"slices"
	"sync"

	"github.com/dealsite/dealsite/internal/search"
	"github.com/dealsite/dealsite/internal/site"
)

// Cache keeps, between the builds of one Builder (watch, serve), every
// file and event snippet rendered, with the dependencies recorded while
// it rendered (see recorder). Plan takes a file from the cache while
// none of its dependencies changed since it was rendered and the
// templates are the same; anything else is rendered again. It works the
// same for any theme, since what is recorded is what the templates
// actually read. A nil *Cache disables it.
//
// To tell what changed, each Plan observes the revision of every
// dependency there is (see observe) and notes the plan at which each
// last changed: a file is up to date when every one of its dependencies
// last changed no later than the plan that rendered it. A dependency
// that no longer exists has changed. A per-facet note of the latest
// change spares looking most dependencies up: after a text edit, only
// the pages' dependencies on bodies are.
type Cache struct {
	mu        sync.Mutex
	seed      maphash.Seed
	templates string             // the fingerprint of the templates of the entries
	pages     map[string]*cached // by output path
	events    map[string]*cached // by article path

	plan         uint64                    // counts the plans, from 1
	revs         [256]map[string]*observed // by kind (see kindOf), then ID
	observedNow  int                       // how many objects this plan observed
	facetChanged [256]uint64               // the plan at which a dependency on each facet last changed
	search       *search.Cache             // each article's search index entry
}

// observed is what a Cache knows of one object: of each facet, its
// revision and the plan that saw it change (or appear).
type observed struct {
	rev     [3]site.Revision
	changed [3]uint64
	seen    uint64 // the last plan that saw it
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
	deps   []site.Dep // sorted by facet, then ID
	facets uint64     // the facets of deps, as bits (see facetBit)
	data   []byte
	key    uint64 // a hash of data: the sink's key, and a snippet's revision
	made   uint64 // the plan that rendered it
	used   uint64 // the last plan that rendered or kept it
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{seed: maphash.MakeSeed(), pages: map[string]*cached{}, events: map[string]*cached{}, search: search.NewCache()}
}

// begin starts a plan: it forgets every file when the templates
// changed, and observes every revision of s.
func (c *Cache) begin(t *Templates, s *site.Site) {
	if c == nil {
		return
	}
	c.plan++
	c.observedNow = 0
	if c.templates != t.fingerprint {
		clear(c.pages)
		clear(c.events)
		c.templates = t.fingerprint
	}
	for _, a := range s.Articles {
		c.observe(site.ArticleMeta, a.Path, a.Rev(site.ArticleMeta), a.Rev(site.ArticleBody), a.Rev(site.ArticleLinks))
	}
	for _, y := range s.Years {
		d, _ := y.Dep()
		c.observe(d.Facet, d.ID, y.Rev())
	}
	for _, terms := range [][]*site.Term{s.Tags, s.Parties} {
		for _, t := range terms {
			d := t.Dep(site.TermMeta)
			c.observe(d.Facet, d.ID, t.Rev(site.TermMeta), t.Rev(site.TermMembers))
		}
	}
	for _, e := range s.Eras {
		d := e.Dep()
		c.observe(d.Facet, d.ID, e.Rev())
	}
	for f := site.SiteSettings; f <= site.SiteAll; f++ {
		c.observe(f, "", s.Rev(f))
	}
}

// observe notes the revisions of the facets of one object, of kind
// (see kindOf), in this plan.
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
			o.rev[i], o.changed[i] = rev, c.plan
			c.facetChanged[kind+site.Facet(i)] = c.plan
		}
	}
	o.seen = c.plan
}

// observeChrome observes the revision of the chrome, once rendered.
func (c *Cache) observeChrome(t *Templates) {
	if c != nil {
		c.observe(chromeFacet, "", t.chromeRev)
	}
}

// observeEvents observes the revision of each article's snippet, once
// rendered; then it drops what this plan did not observe (deleted
// objects): files depending on them are out of date.
func (c *Cache) observeEvents(t *Templates, s *site.Site) {
	if c == nil {
		return
	}
	for _, a := range s.Articles {
		if e, ok := t.events[a]; ok {
			c.observe(snippetFacet, a.Path, site.Revision(e.key))
		}
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
					c.facetChanged[kind+i] = c.plan
				}
			}
		}
	}
}

// fresh reports whether e is up to date: none of its dependencies
// changed since the plan that made it. It only reads, so many
// goroutines may call it at once.
func (c *Cache) fresh(e *cached) bool {
	if e == nil {
		return false
	}
	for facets := e.facets; facets != 0; facets &= facets - 1 {
		f := facetOfBit(bits.TrailingZeros64(facets))
		if c.facetChanged[f] <= e.made {
			continue // nothing of this facet changed since
		}
		if !c.freshOn(e, f) {
			return false
		}
	}
	return true
}

// freshOn reports whether none of e's dependencies on facet f changed
// since e was made. e.deps are sorted by facet.
func (c *Cache) freshOn(e *cached, f site.Facet) bool {
	i, _ := slices.BinarySearchFunc(e.deps, f, func(d site.Dep, f site.Facet) int { return cmp.Compare(d.Facet, f) })
	kind, slot := kindOf(f)
	for _, d := range e.deps[i:] {
		if d.Facet != f {
			break
		}
		if o, ok := c.revs[kind][d.ID]; !ok || o.changed[slot] > e.made {
			return false
		}
	}
	return true
}

// facetBit is f's bit in cached.facets: the model's facets are small
// numbers, render's own from snippetFacet on.
func facetBit(f site.Facet) uint64 {
	if f >= snippetFacet {
		return 1 << (32 + f - snippetFacet)
	}
	return 1 << f
}

func facetOfBit(bit int) site.Facet {
	if bit >= 32 {
		return snippetFacet + site.Facet(bit-32)
	}
	return site.Facet(bit)
}

// facetsOf is the set of facets of deps, as bits.
func facetsOf(deps []site.Dep) uint64 {
	var set uint64
	for _, d := range deps {
		set |= facetBit(d.Facet)
	}
	return set
}

func (c *Cache) get(m map[string]*cached, path string) *cached {
	c.mu.Lock()
	defer c.mu.Unlock()
	return m[path]
}

// put keeps data as made in this plan from what r recorded, unless r
// could not bound it or is nil (a file read as it is, such as an
// article folder's resource); it returns the key of data.
func (c *Cache) put(m map[string]*cached, path string, r *recorder, data []byte) uint64 {
	key := maphash.Bytes(c.seed, data)
	c.mu.Lock()
	defer c.mu.Unlock()
	if r == nil || r.unbounded {
		delete(m, path)
		return key
	}
	deps := r.finish()
	m[path] = &cached{deps: deps, facets: facetsOf(deps), data: data, key: key, made: c.plan, used: c.plan}
	return key
}

// retain forgets the pages and snippets this plan neither rendered nor
// kept, so that a long watch session does not keep deleted pages.
func (c *Cache) retain() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range []map[string]*cached{c.pages, c.events} {
		for p, e := range m {
			if e.used != c.plan {
				delete(m, p)
			}
		}
	}
}
