package render

import (
	"hash/maphash"
	"sync"

	"github.com/dealsite/dealsite/internal/site"
)

// Cache keeps, between the builds of one Builder (watch, serve), every
// file and event snippet rendered, with the dependencies recorded while
// it rendered (see recorder) and their revisions then. Plan takes a
// file from the cache while every one of its dependencies still has its
// revision and the templates are the same; anything else is rendered
// again. It works the same for any theme, since what is recorded is
// what the templates actually read. A nil *Cache disables it.
type Cache struct {
	mu        sync.Mutex
	seed      maphash.Seed
	templates string             // the fingerprint of the templates of the entries
	pages     map[string]*cached // by output path
	events    map[string]*cached // by article path
}

// cached is one rendered file or snippet.
type cached struct {
	deps []recorded
	data []byte
	key  uint64 // a hash of data: the sink's key, and a snippet's revision
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{seed: maphash.MakeSeed(), pages: map[string]*cached{}, events: map[string]*cached{}}
}

// begin forgets everything when the templates changed.
func (c *Cache) begin(t *Templates) {
	if c == nil || c.templates == t.fingerprint {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.pages)
	clear(c.events)
	c.templates = t.fingerprint
}

func (c *Cache) get(m map[string]*cached, path string) *cached {
	c.mu.Lock()
	defer c.mu.Unlock()
	return m[path]
}

// put keeps data as made from what r recorded, unless r could not bound
// it; it returns the key of data.
func (c *Cache) put(m map[string]*cached, path string, r *recorder, data []byte) uint64 {
	key := maphash.Bytes(c.seed, data)
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.unbounded {
		delete(m, path)
		return key
	}
	m[path] = &cached{deps: r.finish(), data: data, key: key}
	return key
}

// fresh reports whether e was made from what p's site holds now.
func (p *Plan) fresh(e *cached) bool {
	if e == nil {
		return false
	}
	for _, d := range e.deps {
		if rev, ok := p.revision(d.dep); !ok || rev != d.rev {
			return false
		}
	}
	return true
}

// revision is the current revision of d: the model's, or for what Plan
// makes itself, the hash of its bytes.
func (p *Plan) revision(d site.Dep) (site.Revision, bool) {
	switch d.Facet {
	case snippetFacet:
		e := p.cache.get(p.cache.events, d.ID)
		if e == nil {
			return 0, false
		}
		return site.Revision(e.key), true
	case chromeFacet:
		return p.t.chromeRev, d.ID == ""
	}
	return p.s.Revision(d)
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
		keepEvents[a.Path] = true
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
