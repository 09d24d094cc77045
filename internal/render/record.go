package render

import (
	"cmp"
	"slices"
	"strings"

	"github.com/dealsite/dealsite/internal/site"
)

// Facets of what render itself makes, which a page shows as they are:
// an article's event snippet (by {{event .}}) and the chrome (by
// {{chrome …}}). Their revision is a hash of their bytes, so a page
// showing a snippet is rendered again when the snippet's bytes change,
// whatever the snippet read to make them.
const (
	snippetFacet site.Facet = 200 + iota // ID: the article's path
	chromeFacet                          // ID: ""
)

// A recorder notes what one page (or snippet) reads while it renders:
// the views it receives call it on every read. The Cache knows when
// each dependency last changed (see Cache.observe), so only the
// dependencies themselves are recorded. A nil *recorder records
// nothing, for builds without a Cache.
type recorder struct {
	deps []site.Dep
	// unbounded: what the page shows cannot be listed, so it depends on
	// everything and is rendered on every build.
	unbounded bool
	views     int // the article views made for lists, for tests
}

// newRecorder returns a recorder when the build keeps a cache.
func newRecorder(keep bool) *recorder {
	if !keep {
		return nil
	}
	return &recorder{}
}

func (r *recorder) add(d site.Dep) {
	if r == nil {
		return
	}
	if n := len(r.deps); n > 0 && r.deps[n-1] == d {
		return // the same field read again, the commonest case
	}
	r.deps = append(r.deps, d)
}

func (r *recorder) addAll(deps []site.Dep) {
	if r == nil {
		return
	}
	r.deps = append(r.deps, deps...)
}

func (r *recorder) article(a *site.Article, f site.Facet) {
	if r != nil {
		r.add(a.Dep(f))
	}
}

func (r *recorder) term(t *site.Term, f site.Facet) {
	if r != nil {
		r.add(t.Dep(f))
	}
}

func (r *recorder) site(f site.Facet) {
	if r != nil {
		r.add(site.Dep{Facet: f})
	}
}

// shown records what a data file or feed shows of an article: its
// metadata, links and terms, and with body its text.
func (r *recorder) shown(a *site.Article, body bool) {
	if r == nil {
		return
	}
	r.article(a, site.ArticleMeta)
	r.article(a, site.ArticleLinks)
	if body {
		r.article(a, site.ArticleBody)
	}
	for _, t := range a.Tags {
		r.term(t, site.TermMeta)
	}
	for _, t := range a.Parties {
		r.term(t, site.TermMeta)
	}
}

// finish sorts and deduplicates the recorded dependencies.
func (r *recorder) finish() []site.Dep {
	slices.SortFunc(r.deps, func(a, b site.Dep) int {
		return cmp.Or(cmp.Compare(a.Facet, b.Facet), strings.Compare(a.ID, b.ID))
	})
	return slices.Clip(slices.Compact(r.deps))
}
