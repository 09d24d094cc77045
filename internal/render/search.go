package render

import (
	"errors"
	"hash/maphash"
	"unsafe"

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
// shows what the 404 page shows, and records it as every page does. The
// index is built from the cache's per-article entries when there is a
// cache; its files depend on the words of every article, which no
// recorded dependency bounds more cheaply than their bytes: each is kept
// while its bytes are the same (see bytesJob).
func (p *Plan) searchJobs() ([]job, error) {
	s := p.s
	var entries *search.Cache
	if p.cache != nil {
		entries = p.cache.search
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
	pg := site.Page{Rel: searchPage, URL: home.URL + searchPage, Permalink: home.Permalink + searchPage}
	jobs := p.add(nil, searchPage+"index.html", func(r *recorder) job {
		d := Page{Site: siteView(s, r), Feed: s.Feed(), Kind: "search", Title: "Search", Summary: "Search the events of " + s.Title, Page: pg}
		return job{template: "search.html", data: d}
	})
	for _, f := range files {
		jobs = p.bytesJob(jobs, f.Path, f.Bytes())
	}
	return jobs, nil
}

// bytesJob adds a file whose bytes are already made: with a cache, it is
// kept, as a page whose dependencies hold is, when the cache has the
// same bytes at path. The same slice as last time (the search cache
// hands out a file it did not make again as it was) is the same bytes,
// since a sink's data never changes: only new slices are hashed.
func (p *Plan) bytesJob(jobs []job, path string, data []byte) []job {
	j := job{path: path, make: func() ([]byte, error) { return data, nil }}
	p.paths = append(p.paths, path)
	if p.cache == nil {
		return append(jobs, j)
	}
	if e := p.cache.pages[path]; e != nil && (sameSlice(e.src, data) || e.key == maphash.Bytes(p.cache.seed, data)) {
		p.cache.use(e)
		e.src = data
		p.kept = append(p.kept, keptJob{path: path, build: func(*recorder) job { return j }})
		return jobs
	}
	j.rec = newRecorder(true) // nothing to record: the bytes are the key
	j.src = data
	return append(jobs, j)
}

// sameSlice reports whether a and b are the very same bytes in memory.
func sameSlice(a, b []byte) bool {
	return len(a) == len(b) && len(a) > 0 && unsafe.SliceData(a) == unsafe.SliceData(b)
}
