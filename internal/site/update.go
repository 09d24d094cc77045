package site

import (
	"reflect"
	"slices"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
)

// Update returns the model of c, as New(c, opts) does, reusing prev: the
// model a New or Update with the same opts (and Memo) made of earlier
// content. When every article that changed keeps its place in the site,
// prev is updated in place and returned; otherwise, or without a prev,
// it is New(c, opts).
//
// An article keeps its place when its path, title, dates, weight, slug,
// draft flag, tags and parties are as they were (everything ordering,
// grouping, eras, related events and URLs derive from), and the
// settings, the list of files and the broken ones are too: then only
// what the article shows of itself changes (body, summary, value,
// sources, headings, words) and its links are resolved again.
//
// prev must not be read while Update runs (the Builder serialises
// builds; no page of an earlier build is rendered later). On an error
// prev is left as it was, still the model of the earlier content.
func Update(prev *Site, c *content.Content, opts Options) (*Site, error) {
	changed, ok := prev.inPlace(c, opts)
	if !ok {
		return New(c, opts)
	}
	bodies := make([]resolvedBody, len(changed))
	var diags diag.List
	for i, a := range changed {
		if pub := prev.inc.links.published[a.Path]; pub != nil {
			bodies[i] = prev.inc.links.resolve(prev, a, &diags)
		}
	}
	if err := diags.Err(); err != nil {
		return nil, err
	}
	var touched []*Article
	for i, a := range changed {
		if pub := prev.inc.links.published[a.Path]; pub != nil {
			prev.replaceSource(pub, a, bodies[i], opts.Memo)
			touched = append(touched, pub)
		}
	}
	prev.restamp(touched...)
	prev.inc.sources = c.Articles
	return prev, nil
}

// incremental is what Update needs of the content a Site was made from.
// New keeps it only with a Memo (watch and serve): a one-shot build
// holds nothing for a next one.
type incremental struct {
	opts     Options
	settings content.Settings
	broken   []string
	sources  []*content.Article // the loaded articles, sorted by path
	links    *linkIndex
}

// remember keeps what Update needs, when opts ask for a next build.
func (s *Site) remember(c *content.Content, opts Options, links *linkIndex) {
	if opts.Memo == nil || opts.ReviewDrafts {
		return
	}
	s.inc = &incremental{opts: opts, settings: c.Settings, broken: c.Broken, sources: c.Articles, links: links}
}

// inPlace returns the articles of c that differ from the ones s was made
// from, if each keeps its place (see Update).
func (s *Site) inPlace(c *content.Content, opts Options) ([]*content.Article, bool) {
	if s == nil || s.inc == nil || !sameOptions(s.inc.opts, opts) || len(c.Articles) != len(s.inc.sources) ||
		!slices.Equal(c.Broken, s.inc.broken) || !reflect.DeepEqual(c.Settings, s.inc.settings) {
		return nil, false
	}
	var changed []*content.Article
	for i, a := range c.Articles {
		old := s.inc.sources[i]
		if a == old {
			continue // the loader's own parse: unchanged
		}
		if !keepsPlace(old, a) {
			return nil, false
		}
		changed = append(changed, a)
	}
	return changed, true
}

// sameOptions compares everything in Options but the Memo.
func sameOptions(a, b Options) bool {
	return a.BaseURL == b.BaseURL && a.Drafts == b.Drafts && a.ReviewDrafts == b.ReviewDrafts &&
		a.Limits == b.Limits && a.Memo == b.Memo
}

// keepsPlace reports whether b, a new version of the article a, has the
// same place in the site: see Update.
func keepsPlace(a, b *content.Article) bool {
	return a.Path == b.Path && a.Title == b.Title && a.Weight == b.Weight && a.Slug == b.Slug &&
		a.Draft == b.Draft && slices.Equal(a.Tags, b.Tags) && slices.Equal(a.Parties, b.Parties) &&
		reflect.DeepEqual(a.Date, b.Date) && reflect.DeepEqual(a.EndDate, b.EndDate)
}

// replaceSource makes the published article a show src, a new version
// of its source that keeps its place, with its body resolved as body.
func (s *Site) replaceSource(a *Article, src *content.Article, body resolvedBody, memo *Memo) {
	memo.swap(a.src, src, body)
	a.Summary, a.OwnSummary = src.Summary, src.OwnSummary
	a.Value, a.Amount = src.Value, ParseAmount(src.Value)
	a.Sources, a.Headings, a.Words = src.Sources, src.Headings, src.Words
	a.Lead = src.Lead
	a.hrefs, a.body = body.hrefs, body.body
	a.src = src
}

// swap replaces one source's resolved body in the memo, as New would
// have kept it.
func (m *Memo) swap(old, src *content.Article, body resolvedBody) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.bodies, old)
	if !src.Spilled() {
		m.bodies[src] = body
	}
}
