package render

import (
	"errors"
	"hash/maphash"

	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/search"
	"github.com/dealsite/dealsite/internal/site"
)

// Search: the search page, search/index.html (search.html), and the
// index files beside it that the theme's script loads (see package
// search). The index is built here, when the plan is made, because its
// file names depend on the words of the site; each file is then a job
// that hands over its bytes.

// searchPage is the search page's folder under the base URL.
const searchPage = search.Dir

// searchJobs are the search page and the index files of s. The page
// shows what listings show, and is cached as they are; the index is
// built from cache's per-article entries when there is a cache.
func (t *Templates) searchJobs(s *site.Site, cache *Cache) ([]job, error) {
	var entries *search.Cache
	if cache != nil {
		entries = cache.search
	}
	files, err := search.Build(s, entries)
	if err != nil {
		// An article's body that cannot be read back from the spill: its
		// own page fails the same way.
		var e *search.Error
		if errors.As(err, &e) {
			return nil, diag.New(diag.TemplateRun, e.Path, 0, "building the search index: %v", e.Err)
		}
		return nil, err
	}
	home := s.Home()
	d := Page{Site: s, Feed: s.Feed(), Kind: "search", Title: "Search", Summary: "Search the events of " + s.Title}
	d.Page = site.Page{Rel: searchPage, URL: home.URL + searchPage, Permalink: home.Permalink + searchPage}
	page := job{path: searchPage + "index.html", template: "search.html", data: d}
	if cache != nil {
		page = cache.listingJob(page)
	}
	jobs := []job{page}
	for _, f := range files {
		jobs = append(jobs, cache.indexJob(f))
	}
	return jobs, nil
}

// indexJob hands over an index file's bytes. With a cache it is keyed
// by them, so that a sink sees by the key which files kept their bytes
// (after an edit, most of them) and a test by the hit which changed.
func (c *Cache) indexJob(f search.File) job {
	if c == nil {
		return job{path: f.Path, make: func() ([]byte, error) { return f.Bytes(), nil }}
	}
	data := f.Bytes()
	j := job{path: f.Path, make: func() ([]byte, error) { return data, nil }}
	j.key, j.cached = c.dataKey(data), true
	_, j.hit = c.get(c.pages, j.path, j.key)
	return j
}

// dataKey is the key of a file by its bytes.
func (c *Cache) dataKey(data []byte) uint64 { return maphash.Bytes(c.seed, data) }
