package site

import (
	"reflect"
	"slices"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
)

// Update returns the model of c, as New(c, opts) does, reusing prev: the
// model a New or Update with the same opts (and Memo) made of earlier
// content. When the changes can be made in prev, it is updated in place
// and returned; otherwise, or without a prev, it is New(c, opts).
//
// An article keeps its place when its path, title, dates, weight, slug,
// draft flag, tags and parties are as they were (everything ordering,
// grouping, eras, related events and URLs derive from): then only what
// it shows of itself changes (body, summary, value, sources, headings,
// words) and its links are resolved again. An article added, deleted,
// or changed in its place is moved (see moves.go) when it keeps to the
// years and terms prev has and no other article links to one that goes.
// The settings, and the list of files that could not be read, must be
// as they were.
//
// prev must not be read while Update runs (the Builder serialises
// builds; no page of an earlier build is rendered later). On an error
// prev is left as it was, still the model of the earlier content.
func Update(prev *Site, c *content.Content, opts Options) (*Site, error) {
	changed, m, ok := prev.inPlace(c, opts)
	if !ok || !prev.canMove(c, m, changed, opts) {
		return New(c, opts)
	}
	ins := make([]*Article, len(m.in))
	for i, src := range m.in {
		ins[i] = prev.newArticle(src)
	}
	links := prev.inc.links
	undo := links.swap(m.out, ins)
	bodies := make([]resolvedBody, len(changed))
	inBodies := make([]resolvedBody, len(ins))
	var diags diag.List
	for i, a := range changed {
		if pub := links.published[a.Path]; pub != nil {
			bodies[i] = links.resolve(prev, a, &diags)
		}
	}
	for i, a := range ins {
		inBodies[i] = links.resolve(prev, a.src, &diags)
	}
	if err := diags.Err(); err != nil {
		undo()
		return nil, err
	}
	var touched []*Article
	var moved *moveStamp
	for i, a := range ins {
		a.hrefs, a.body = inBodies[i].hrefs, inBodies[i].body
		opts.Memo.swap(nil, a.src, inBodies[i])
	}
	for _, a := range m.out {
		opts.Memo.swap(a.src, nil, resolvedBody{})
	}
	if !m.empty() {
		touched, moved = prev.move(m, ins)
	}
	for i, a := range changed {
		if pub := links.published[a.Path]; pub != nil {
			prev.replaceSource(pub, a, bodies[i], opts.Memo)
			touched = append(touched, pub)
		}
	}
	prev.restamp(touched, moved)
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
	// gen counts the updates in place that made the site, and
	// restamped is what the last one restamped (see Site.Restamped).
	gen       uint64
	restamped Restamp
}

// remember keeps what Update needs, when opts ask for a next build.
func (s *Site) remember(c *content.Content, opts Options, links *linkIndex) {
	if opts.Memo == nil || opts.ReviewDrafts {
		return
	}
	s.inc = &incremental{opts: opts, settings: c.Settings, broken: c.Broken, sources: c.Articles, links: links}
}

// inPlace returns the articles of c that differ from the ones s was made
// from but keep their place, and the moves (see Update), if s can be
// updated in place.
func (s *Site) inPlace(c *content.Content, opts Options) ([]*content.Article, moves, bool) {
	if s == nil || s.inc == nil || !sameOptions(s.inc.opts, opts) ||
		!slices.Equal(c.Broken, s.inc.broken) || !reflect.DeepEqual(c.Settings, s.inc.settings) {
		return nil, moves{}, false
	}
	return s.diff(c)
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
// have kept it; old or src may be nil, for an article added or deleted.
func (m *Memo) swap(old, src *content.Article, body resolvedBody) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.bodies, old)
	if src != nil && !src.Spilled() {
		m.bodies[src] = body
	}
}

// swap takes the articles out of the index and puts ins in, and returns
// what undoes it.
func (x *linkIndex) swap(out, ins []*Article) (undo func()) {
	for _, a := range out {
		delete(x.published, a.Path)
	}
	for _, a := range ins {
		x.published[a.Path] = a
	}
	return func() {
		for _, a := range ins {
			delete(x.published, a.Path)
		}
		for _, a := range out {
			x.published[a.Path] = a
		}
	}
}
