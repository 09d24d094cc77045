package site

import (
	"maps"
	"slices"
	"strings"

	"github.com/dealsite/dealsite/internal/content"
)

// Articles that come, go or move: an article added or deleted, or one
// whose date, title, weight, slug, tags or parties changed (which Update
// treats as deleted, then added again). Update moves them in the last
// model when each stays within the years, terms and links that model
// has: every year and term it leaves keeps another article, every one
// it joins exists and keeps its name, no other article links to one
// that goes or moves, and none is an unpublished draft. Otherwise it
// falls back to New.

// maxMoves bounds the articles Update moves in place: past it (a
// checkout, a rename of a tag on every article) New costs less.
const maxMoves = 16

// moves are the articles a model update takes out, by their model
// objects, and puts in, by their sources.
type moves struct {
	out []*Article
	in  []*content.Article
}

func (m moves) empty() bool { return len(m.out)+len(m.in) == 0 }

// canMove reports whether s can make the moves in place (see above).
func (s *Site) canMove(c *content.Content, m moves, changed []*content.Article, opts Options) bool {
	if m.empty() {
		return true
	}
	if len(m.out)+len(m.in) > maxMoves {
		return false
	}
	gone := map[string]bool{}
	for _, a := range m.out {
		gone[a.Path] = true
	}
	for _, a := range m.in {
		if a.Draft && !opts.Drafts {
			return false
		}
	}
	if s.linkedTo(gone, changed, c.Settings.IntroRefs) || slugTaken(c.Articles, m.in) {
		return false
	}
	return s.keepsGroups(m)
}

// linkedTo reports whether the intro, or an article other than changed
// ones and those that go, links to one that goes.
func (s *Site) linkedTo(gone map[string]bool, changed []*content.Article, intro []content.Ref) bool {
	if len(gone) == 0 {
		return false
	}
	skip := map[string]bool{}
	for _, a := range changed {
		skip[a.Path] = true
	}
	refsGone := func(refs []content.Ref) bool {
		return slices.ContainsFunc(refs, func(r content.Ref) bool { return gone[r.Target] })
	}
	if refsGone(intro) {
		return true
	}
	for _, a := range s.Articles {
		if !gone[a.Path] && !skip[a.Path] && refsGone(a.src.Refs) {
			return true
		}
	}
	return false
}

// slugTaken reports whether an article coming in shares its slug with
// another source (New reports it).
func slugTaken(all, in []*content.Article) bool {
	for _, a := range in {
		for _, b := range all {
			if b != a && b.Slug == a.Slug {
				return true
			}
		}
	}
	return false
}

// keepsGroups reports whether the moves leave the same years and terms,
// each with the same name.
func (s *Site) keepsGroups(m moves) bool {
	years := map[int]int{}    // change in the number of articles
	terms := map[*Term]int{}  // likewise
	first := map[*Term]bool{} // whose first article may change
	for _, a := range m.out {
		years[a.Date.Year()]--
		for _, t := range slices.Concat(a.Tags, a.Parties) {
			terms[t]--
			first[t] = first[t] || t.Articles[0] == a
		}
	}
	byKey := s.termsByKey()
	for _, a := range m.in {
		years[a.Date.Year()]++
		for _, kt := range []struct {
			kind  string
			names []string
		}{{"tag", a.Tags}, {"party", a.Parties}} {
			for _, name := range kt.names {
				t := byKey[kt.kind+"/"+TermKey(name)]
				if t == nil {
					return false
				}
				terms[t]++
				first[t] = true
			}
		}
	}
	for y, n := range years {
		i := slices.IndexFunc(s.Years, func(x *Year) bool { return x.Year == y })
		if i < 0 || len(s.Years[i].Articles)+n <= 0 {
			return false
		}
	}
	for t, n := range terms {
		if len(t.Articles)+n <= 0 {
			return false
		}
	}
	for t := range first {
		if !s.keepsName(t, m) {
			return false
		}
	}
	return true
}

// termsByKey indexes the site's terms by kind and TermKey.
func (s *Site) termsByKey() map[string]*Term {
	byKey := make(map[string]*Term, len(s.Tags)+len(s.Parties))
	for _, t := range slices.Concat(s.Tags, s.Parties) {
		byKey[t.Kind+"/"+TermKey(t.Name)] = t
	}
	return byKey
}

// keepsName reports whether t's name, the spelling of its first article
// in time order, stays the same after the moves.
func (s *Site) keepsName(t *Term, m moves) bool {
	var firstIn *content.Article
	var firstInArticle *Article
	for _, src := range m.in {
		if spelling(t, src) == "" {
			continue
		}
		a := s.newArticle(src)
		if firstInArticle == nil || timeOrder(a, firstInArticle) < 0 {
			firstIn, firstInArticle = src, a
		}
	}
	for _, a := range t.Articles {
		if slices.Contains(m.out, a) {
			continue
		}
		if firstInArticle != nil && timeOrder(firstInArticle, a) < 0 {
			break
		}
		return spelling(t, a.src) == t.Name
	}
	return firstIn != nil && spelling(t, firstIn) == t.Name
}

// spelling is how src spells t, spaces normalised, or "".
func spelling(t *Term, src *content.Article) string {
	names := src.Tags
	if t.Kind == "party" {
		names = src.Parties
	}
	for _, name := range names {
		if TermKey(name) == TermKey(t.Name) {
			return strings.Join(strings.Fields(name), " ")
		}
	}
	return ""
}

// newArticle is the published article of src, as New makes it, not yet
// placed.
func (s *Site) newArticle(src *content.Article) *Article {
	return s.publish([]*content.Article{src}, true)[0]
}

// diff compares the sources s was made from with c's: the articles that
// keep their place but changed, and the moves. It returns false when
// an article that goes is not published (an unpublished draft, which
// links may name), or there are more than maxMoves.
func (s *Site) diff(c *content.Content) ([]*content.Article, moves, bool) {
	d := differ{published: s.inc.links.published, ok: true}
	olds, news := s.inc.sources, c.Articles
	if samePaths(olds, news) { // the common case, an edit: no map
		for i, a := range news {
			d.compare(olds[i], a)
		}
	} else {
		byPath := make(map[string]*content.Article, len(olds))
		for _, old := range olds {
			byPath[old.Path] = old
		}
		for _, a := range news {
			if old, ok := byPath[a.Path]; ok {
				d.compare(old, a)
				delete(byPath, a.Path)
			} else {
				d.in = append(d.in, a)
			}
		}
		for _, old := range olds {
			if byPath[old.Path] != nil {
				d.goes(old)
			}
		}
	}
	if !d.ok || len(d.out)+len(d.in) > maxMoves {
		return nil, moves{}, false
	}
	return d.changed, d.moves, true
}

func samePaths(a, b []*content.Article) bool {
	return slices.EqualFunc(a, b, func(x, y *content.Article) bool { return x.Path == y.Path })
}

// differ collects what diff finds.
type differ struct {
	published map[string]*Article
	changed   []*content.Article
	moves
	ok bool
}

// compare takes a, the new version of old.
func (d *differ) compare(old, a *content.Article) {
	switch {
	case a == old: // the loader's own parse: unchanged
	case keepsPlace(old, a):
		d.changed = append(d.changed, a)
	default:
		d.goes(old)
		d.in = append(d.in, a)
	}
}

// goes takes old out, which must be published.
func (d *differ) goes(old *content.Article) {
	a := d.published[old.Path]
	d.ok = d.ok && a != nil
	d.out = append(d.out, a)
}

// move makes the moves in s, putting in ins (the articles of m.in, with
// their bodies resolved), and returns every article whose revisions
// change (those put in, and those whose Prev, Next, Related or
// FirstOfEra changed) and what else restamp needs.
func (s *Site) move(m moves, ins []*Article) ([]*Article, *moveStamp) {
	mv := &mover{s: s, byKey: s.termsByKey(), touched: map[*Article]bool{}, near: map[*Article]bool{},
		years: map[*Year]bool{}, terms: map[*Term]bool{}, eraFirsts: map[*Article]bool{}}
	for _, a := range m.out {
		mv.takeOut(a)
	}
	for _, a := range ins {
		mv.putIn(a)
	}
	mv.relink(ins)
	for _, y := range s.Years {
		if mv.years[y] {
			s.paginateYear(y)
		}
	}
	for _, t := range slices.Concat(s.Tags, s.Parties) {
		if mv.terms[t] {
			s.groupTermYears(t)
			s.paginateTerm(t)
		}
	}
	for _, e := range s.Eras {
		if len(e.Articles) > 0 {
			mv.eraFirsts[e.Articles[0]] = true
		}
	}
	for a := range mv.eraFirsts {
		if first := a.Era != nil && a.Era.Articles[0] == a; first != a.FirstOfEra {
			a.FirstOfEra = first
			mv.touched[a] = true
		}
	}
	s.pickLatest()
	mv.relate(ins)
	return slices.Collect(maps.Keys(mv.touched)), &moveStamp{out: m.out, in: ins, years: mv.years, terms: mv.terms}
}

// mover is the bookkeeping of one move: what it touched.
type mover struct {
	s         *Site
	byKey     map[string]*Term
	touched   map[*Article]bool // whose revisions change
	near      map[*Article]bool // whose related events may change
	ends      []*Article        // whose neighbours may change
	years     map[*Year]bool
	terms     map[*Term]bool
	eraFirsts map[*Article]bool // the first articles of eras, before
}

// takeOut removes a from s.
func (mv *mover) takeOut(a *Article) {
	s := mv.s
	mv.nearTo(a)
	for _, n := range []*Article{a.Prev, a.Next} {
		if n != nil {
			mv.ends = append(mv.ends, n)
		}
	}
	s.Articles = without(s.Articles, a)
	a.Year.Articles = without(a.Year.Articles, a)
	mv.years[a.Year] = true
	for _, t := range slices.Concat(a.Tags, a.Parties) {
		t.Articles = without(t.Articles, a)
		mv.terms[t] = true
	}
	for _, e := range s.Eras {
		if len(e.Articles) > 0 {
			mv.eraFirsts[e.Articles[0]] = true
		}
		if slices.Contains(e.Articles, a) {
			if e.Articles = without(e.Articles, a); len(e.Articles) == 0 {
				e.Articles = nil // as New leaves an era without events
			}
		}
	}
	delete(mv.touched, a)
	delete(mv.near, a)
	delete(mv.eraFirsts, a)
}

// putIn adds a to s, in its year, terms and eras, as New would.
func (mv *mover) putIn(a *Article) {
	s := mv.s
	s.Articles = within(s.Articles, a)
	i := slices.IndexFunc(s.Years, func(y *Year) bool { return y.Year == a.Date.Year() })
	a.Year = s.Years[i]
	a.Year.Articles = within(a.Year.Articles, a)
	mv.years[a.Year] = true
	for _, tx := range []taxonomy{tagTaxonomy, partyTaxonomy} {
		for _, name := range tx.names(a.src) {
			t := mv.byKey[tx.kind+"/"+TermKey(name)]
			if tx.has(a, t) {
				continue
			}
			tx.attach(a, t)
			t.Articles = within(t.Articles, a)
			mv.terms[t] = true
		}
	}
	for _, e := range s.Eras {
		if len(e.Articles) > 0 {
			mv.eraFirsts[e.Articles[0]] = true
		}
		if content.Contains(e.Start, e.End, a.Date) {
			if a.Era == nil {
				a.Era = e
			}
			e.Articles = within(e.Articles, a)
		}
	}
	mv.eraFirsts[a] = true
	mv.ends = append(mv.ends, a)
	mv.touched[a] = true
}

// nearTo marks the articles whose related events a may be among, or
// come to be among: those within relatedWindow of it in one of its
// terms (one more on each side, which a shift brings in).
func (mv *mover) nearTo(a *Article) {
	for _, t := range slices.Concat(a.Tags, a.Parties) {
		i := slices.Index(t.Articles, a)
		for _, b := range t.Articles[max(0, i-relatedWindow-1):min(len(t.Articles), i+relatedWindow+2)] {
			mv.near[b] = true
		}
	}
}

// relink sets Prev and Next around the ends: the articles put in and
// the neighbours of those taken out.
func (mv *mover) relink(ins []*Article) {
	all := mv.s.Articles
	for _, a := range mv.ends {
		i, found := slices.BinarySearchFunc(all, a, timeOrder)
		if !found || all[i] != a {
			continue // taken out too
		}
		a.Prev, a.Next = nil, nil
		if i > 0 {
			a.Prev, all[i-1].Next = all[i-1], a
			mv.touched[all[i-1]] = true
		}
		if i+1 < len(all) {
			a.Next, all[i+1].Prev = all[i+1], a
			mv.touched[all[i+1]] = true
		}
		mv.touched[a] = true
	}
}

// relate picks again the related events of the articles put in and of
// those near them or near one taken out.
func (mv *mover) relate(ins []*Article) {
	for _, a := range ins {
		mv.nearTo(a)
		mv.near[a] = true // even with no terms
	}
	all := mv.s.Articles
	position := make(map[*Article]int, len(all))
	for i, a := range all {
		position[a] = i
	}
	t := &tally{articles: all, position: position, score: make([]int32, len(all))}
	for a := range mv.near {
		old := a.Related
		relateOne(a, t)
		if !slices.Equal(old, a.Related) {
			mv.touched[a] = true
		}
	}
}

// within returns list, in time order, with a in its place.
func within(list []*Article, a *Article) []*Article {
	i, _ := slices.BinarySearchFunc(list, a, timeOrder)
	return slices.Insert(list, i, a)
}

// without returns list without a, found by its place in time order.
func without(list []*Article, a *Article) []*Article {
	i, _ := slices.BinarySearchFunc(list, a, timeOrder)
	if i < len(list) && list[i] == a {
		return slices.Delete(list, i, i+1)
	}
	return slices.DeleteFunc(list, func(b *Article) bool { return b == a })
}
