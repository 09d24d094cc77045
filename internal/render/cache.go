package render

import (
	"hash/maphash"
	"strconv"
	"strings"
	"sync"

	"github.com/dealsite/dealsite/internal/site"
)

// Cache keeps rendered article pages and event snippets between the
// builds of one Builder (watch, serve), keyed by a hash of everything
// they show: the templates, the site settings, the article's parse, its
// neighbours, related events, terms, era and year. A warm rebuild after
// one edit therefore executes templates only for the pages that changed
// and for the listings. A nil *Cache disables it.
type Cache struct {
	mu     sync.Mutex
	seed   maphash.Seed
	pages  map[string]cached // by output path
	events map[string]cached // by article page path
}

type cached struct {
	key  uint64
	data []byte
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{seed: maphash.MakeSeed(), pages: map[string]cached{}, events: map[string]cached{}}
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

// retain forgets the entries of articles no longer published, so a long
// watch session does not keep deleted pages.
func (c *Cache) retain(s *site.Site) {
	if c == nil {
		return
	}
	keep := make(map[string]bool, len(s.Articles))
	for _, a := range s.Articles {
		keep[a.Rel] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for p := range c.pages {
		if !keep[strings.TrimSuffix(p, "index.html")] {
			delete(c.pages, p)
		}
	}
	for p := range c.events {
		if !keep[p] {
			delete(c.events, p)
		}
	}
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

// article adds what an article's own fields show: its parse (the same
// pointer while the file is unchanged), resolved body, URL and terms.
func (k *keyer) article(a *site.Article) *keyer {
	if a == nil {
		return k.str("-")
	}
	sum := a.SourceHash()
	k.h.Write(sum[:])
	k.str(a.URL).str(string(a.Body)).str(strconv.FormatBool(a.Draft))
	for _, t := range a.Tags {
		k.str(t.Name).str(t.URL)
	}
	k.str("|")
	for _, t := range a.Parties {
		k.str(t.Name).str(t.URL)
	}
	if a.Era != nil {
		k.str(a.Era.Title).str(a.Era.Slug)
	}
	if a.Year != nil {
		k.str(a.Year.URL)
	}
	return k
}

func (k *keyer) sum() uint64 { return k.h.Sum64() }

// eventKey is the key of an article's listing snippet.
func (c *Cache) eventKey(t *Templates, s *site.Site, a *site.Article) uint64 {
	return c.keyer(t, s).article(a).sum()
}

// pageKey is the key of an article's page, which also shows its
// neighbours and related events, and the site's introduction-free chrome.
func (c *Cache) pageKey(t *Templates, s *site.Site, a *site.Article) uint64 {
	k := c.keyer(t, s).article(a).article(a.Prev).article(a.Next)
	for _, r := range a.Related {
		k.article(r)
	}
	return k.sum()
}
