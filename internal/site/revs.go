package site

import (
	"encoding/binary"
	"hash/maphash"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/dealsite/dealsite/internal/content"
)

// Revisions are how a renderer tells what changed between two models
// without comparing them: each model object carries a content hash of
// each of its facets, the parts of it a page can show. Two models made
// in one process from inputs that differ only in an article's text give
// that article a new ArticleBody revision and every other revision
// unchanged. A page that recorded the (facet, object, revision) triples
// it read is up to date while each still holds.
//
// A revision is only ever compared with one made in the same process
// (the hash seed is the process's own), and only equality means
// anything.
type Revision uint64

// A Facet is one part of a model object that a page can show. The
// facets of an object partition it: every exported field and method
// result belongs to exactly one (TestRevisionsCoverTheModel keeps it so).
type Facet uint8

const (
	// ArticleMeta is all an article shows in a listing: everything but
	// its body and its links, with its page's location and the
	// identities of its tags and parties.
	ArticleMeta Facet = iota + 1
	// ArticleBody is its body, headings and word count.
	ArticleBody
	// ArticleLinks is which articles are its Prev, Next and Related,
	// which Year and Era it is in, and FirstOfEra.
	ArticleLinks
	// YearMembers is a year's articles in order with the ArticleMeta of
	// each (what a list of them shows), its neighbouring years and its
	// pages.
	YearMembers
	// TermMeta is a term's kind, name, slug, page and feed.
	TermMeta
	// TermMembers is a term's articles in order with the ArticleMeta of
	// each, and so its years and pages.
	TermMembers
	// EraMembers is an era's articles with the ArticleMeta of each. The
	// rest of an era is settings.
	EraMembers
	// SiteSettings is the title, description, language, author, base
	// URL, limits and eras, and so the location of every page: what a
	// site-wide change changes.
	SiteSettings
	// SiteIntro is the home page's introduction.
	SiteIntro
	// SiteArticles is which articles are published, in order.
	SiteArticles
	// SiteYears, SiteTags and SiteParties are which years, tags and
	// parties there are, in order.
	SiteYears
	SiteTags
	SiteParties
	// SiteAll is every revision above but bodies and the intro: for a
	// file that shows something of every article (the sitemap, the
	// data exports), for which one revision costs less than thousands.
	SiteAll
)

// A Dep names one facet of one model object, by an identity that holds
// from one model to the next: an article's source path, a year's number,
// a term's kind and slug ("tag/nokia"), an era's slug; "" for the site's
// own facets.
type Dep struct {
	Facet Facet
	ID    string
}

// Revision returns the current revision of d, and false when the site
// has no such object (it was deleted, or renamed).
func (s *Site) Revision(d Dep) (Revision, bool) {
	switch d.Facet {
	case ArticleMeta, ArticleBody, ArticleLinks:
		a, ok := s.index.articles[d.ID]
		if !ok {
			return 0, false
		}
		return a.revs[d.Facet-ArticleMeta], true
	case YearMembers:
		y, ok := s.index.years[d.ID]
		if !ok {
			return 0, false
		}
		return y.rev, true
	case TermMeta, TermMembers:
		t, ok := s.index.terms[d.ID]
		if !ok {
			return 0, false
		}
		return t.revs[d.Facet-TermMeta], true
	case EraMembers:
		e, ok := s.index.eras[d.ID]
		if !ok {
			return 0, false
		}
		return e.rev, true
	case SiteSettings, SiteIntro, SiteArticles, SiteYears, SiteTags, SiteParties, SiteAll:
		return s.revs[d.Facet-SiteSettings], d.ID == ""
	}
	return 0, false
}

// Dep names facet f of a.
func (a *Article) Dep(f Facet) Dep { return Dep{f, a.Path} }

// Rev is the revision of facet f (ArticleMeta, ArticleBody or ArticleLinks) of a.
func (a *Article) Rev(f Facet) Revision { return a.revs[f-ArticleMeta] }

// Dep names y's members; ok is false for a Year that is not one of the
// site's own (a term's years, or those of the timeline page), which has
// no revision: its owner's members stand for it.
func (y *Year) Dep() (d Dep, ok bool) { return Dep{YearMembers, y.id}, y.id != "" }

// Rev is the revision of y's members.
func (y *Year) Rev() Revision { return y.rev }

// Dep names facet f (TermMeta or TermMembers) of t.
func (t *Term) Dep(f Facet) Dep { return Dep{f, t.id} }

// Rev is the revision of facet f of t.
func (t *Term) Rev(f Facet) Revision { return t.revs[f-TermMeta] }

// Dep names e's members.
func (e *Era) Dep() Dep { return Dep{EraMembers, e.Slug} }

// Rev is the revision of e's members.
func (e *Era) Rev() Revision { return e.rev }

// Rev is the revision of one of the site's own facets.
func (s *Site) Rev(f Facet) Revision { return s.revs[f-SiteSettings] }

// numSiteFacets counts SiteSettings … SiteAll.
const numSiteFacets = int(SiteAll-SiteSettings) + 1

// revIndex finds the objects Revision is asked about.
type revIndex struct {
	articles map[string]*Article
	years    map[string]*Year
	terms    map[string]*Term
	eras     map[string]*Era
}

// revSeed seeds every revision hash of this process.
var revSeed = maphash.MakeSeed()

// revHash hashes the fields of one facet.
type revHash struct{ h maphash.Hash }

func newRevHash() *revHash {
	r := &revHash{}
	r.h.SetSeed(revSeed)
	return r
}

func (r *revHash) str(s string) *revHash {
	r.h.WriteString(s)
	r.h.WriteByte(0)
	return r
}

func (r *revHash) u64(n uint64) *revHash {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], n)
	r.h.Write(b[:])
	return r
}

func (r *revHash) int(n int) *revHash { return r.u64(uint64(n)) }

func (r *revHash) bool(b bool) *revHash {
	if b {
		return r.u64(1)
	}
	return r.u64(0)
}

// date hashes everything a Date prints: the moment and offset as
// written, the zone's name, the precision and whether it has a clock.
func (r *revHash) date(d content.Date) *revHash {
	t := d.Instant()
	name, offset := t.Zone()
	return r.bool(d.IsZero()).u64(uint64(t.UnixNano())).int(offset).str(name).int(int(d.Precision)).bool(d.HasClock())
}

func (r *revHash) page(p Page) *revHash { return r.str(p.Rel).str(p.URL).str(p.Permalink) }

// image hashes what a page shows of a picture: where it is, its text,
// and its bytes (which name its published files).
func (r *revHash) image(img *content.Image) *revHash {
	if img == nil {
		return r.str("-")
	}
	r.str(img.Src).str(img.Alt).str(img.Caption).str(img.Credit).bool(img.Decorative)
	r.h.Write(img.Info.Hash[:])
	return r.str(string(img.Info.Format)).int(img.Info.Width).int(img.Info.Height)
}

func (r *revHash) sum() Revision {
	s := Revision(r.h.Sum64())
	r.h.Reset()
	return s
}

// stampArticle (re)computes a's revisions. Call it for every article
// whose fields changed, and for each whose Prev, Next, Related, Year or
// Era changed; then stampCollections.
func stampArticle(r *revHash, a *Article) {
	r.str(a.Path).str(a.Title).date(a.Date).date(a.EndDate).str(a.DateISO).str(a.WhenText).int(a.Weight)
	r.str(a.Summary).bool(a.OwnSummary).str(a.Value).u64(math.Float64bits(a.Amount.USD)).str(a.Slug).bool(a.Draft)
	for _, src := range a.Sources {
		r.str(src.Title).str(src.URL).str(src.Publisher).date(src.Date)
	}
	r.str("|")
	for _, t := range a.Tags {
		r.str(t.Slug)
	}
	r.str("|")
	for _, t := range a.Parties {
		r.str(t.Slug)
	}
	r.image(a.Lead)
	a.revs[ArticleMeta-ArticleMeta] = r.page(a.Page).sum()

	if a.src != nil && a.src.Spilled() {
		// Body reads it back: its source's hash and where its links
		// point stand for it.
		r.h.Write(a.src.Hash[:])
		for _, href := range a.hrefs {
			r.str(href)
		}
	} else {
		r.str(string(a.body))
	}
	r.str("|").int(a.Words)
	for _, img := range a.Images() {
		r.image(&img)
	}
	for _, h := range a.Headings {
		r.int(h.Level).str(h.ID).str(h.Text)
	}
	a.revs[ArticleBody-ArticleMeta] = r.sum()

	r.str(pathOf(a.Prev)).str(pathOf(a.Next))
	for _, rel := range a.Related {
		r.str(rel.Path)
	}
	r.str("|")
	if a.Year != nil {
		r.int(a.Year.Year)
	}
	if a.Era != nil {
		r.str(a.Era.Slug)
	}
	a.revs[ArticleLinks-ArticleMeta] = r.bool(a.FirstOfEra).sum()
}

func pathOf(a *Article) string {
	if a == nil {
		return ""
	}
	return a.Path
}

// stampCollections (re)computes the revisions of every year, term and
// era and of the site, and the index Revision looks them up in. Every
// article must be stamped.
func stampCollections(s *Site) {
	r := newRevHash()
	ix := revIndex{
		articles: make(map[string]*Article, len(s.Articles)),
		years:    make(map[string]*Year, len(s.Years)),
		terms:    make(map[string]*Term, len(s.Tags)+len(s.Parties)),
		eras:     make(map[string]*Era, len(s.Eras)),
	}
	for _, a := range s.Articles {
		ix.articles[a.Path] = a
	}
	s.revs[SiteArticles-SiteSettings] = stampArticleList(r, s.Articles)
	years := newRevHash()
	for _, y := range s.Years {
		y.id = strconv.Itoa(y.Year)
		ix.years[y.id] = y
		y.rev = stampYear(r, y)
		years.int(y.Year)
	}
	s.revs[SiteYears-SiteSettings] = years.sum()
	s.revs[SiteTags-SiteSettings] = stampTerms(r, s.Tags, ix.terms)
	s.revs[SiteParties-SiteSettings] = stampTerms(r, s.Parties, ix.terms)
	for _, e := range s.Eras {
		ix.eras[e.Slug] = e
		e.rev = stampMembers(r, Page{}, e.Articles, 0)
	}
	s.revs[SiteSettings-SiteSettings] = stampSettings(r, s)
	s.revs[SiteIntro-SiteSettings] = r.str(string(s.Intro)).sum()
	s.index = ix
	s.revs[SiteAll-SiteSettings] = stampAll(s)
}

// stampArticleList is the revision of which articles there are, in order.
func stampArticleList(r *revHash, articles []*Article) Revision {
	for _, a := range articles {
		r.str(a.Path)
	}
	return r.sum()
}

// stampAll is the revision SiteAll, from the revisions of the objects
// of s, which must be up to date.
func stampAll(s *Site) Revision {
	all := newRevHash()
	for _, a := range s.Articles {
		all.u64(uint64(a.revs[0])).u64(uint64(a.revs[2]))
	}
	for _, y := range s.Years {
		all.u64(uint64(y.rev))
	}
	for _, t := range slices.Concat(s.Tags, s.Parties) {
		all.u64(uint64(t.revs[0])).u64(uint64(t.revs[1]))
	}
	for _, e := range s.Eras {
		all.u64(uint64(e.rev))
	}
	for _, f := range []Facet{SiteSettings, SiteArticles, SiteYears, SiteTags, SiteParties} {
		all.u64(uint64(s.Rev(f)))
	}
	return all.sum()
}

// stampTerms stamps terms and indexes them, and returns the revision of
// which terms there are.
func stampTerms(r *revHash, terms []*Term, ix map[string]*Term) Revision {
	list := newRevHash()
	for _, t := range terms {
		t.id = t.Kind + "/" + t.Slug
		ix[t.id] = t
		list.str(t.id)
		stampTerm(r, t)
	}
	return list.sum()
}

// stampTerm (re)computes t's revisions.
func stampTerm(r *revHash, t *Term) {
	t.revs[TermMeta-TermMeta] = r.str(t.Kind).str(t.Name).str(t.Slug).page(t.Page).page(t.Feed).sum()
	t.revs[TermMembers-TermMeta] = stampMembers(r, Page{}, t.Articles, len(t.Pages))
}

// stampYear is the revision of y's members, pages and neighbours.
func stampYear(r *revHash, y *Year) Revision {
	for _, a := range y.Articles {
		r.str(a.Path).u64(uint64(a.revs[0]))
	}
	r.page(y.Page).int(len(y.Pages)).str("|")
	if y.Prev != nil {
		r.int(y.Prev.Year)
	}
	r.str("|")
	if y.Next != nil {
		r.int(y.Next.Year)
	}
	return r.sum()
}

// stampMembers is the revision of a list of articles with what each
// shows in a list, its page and how many pages it spans.
func stampMembers(r *revHash, p Page, articles []*Article, pages int) Revision {
	for _, a := range articles {
		r.str(a.Path).u64(uint64(a.revs[0]))
	}
	return r.page(p).int(pages).sum()
}

// stampSettings is the revision of what every page may show of the
// site's settings.
func stampSettings(r *revHash, s *Site) Revision {
	r.str(s.Title).str(s.Description).str(s.Language).str(s.Author).str(s.BaseURL).str(s.BasePath)
	r.int(s.Limits.PageEvents).int(s.Limits.HomeEvents).int(s.Limits.SitemapURLs)
	for _, e := range s.Eras {
		r.str(e.Title).date(e.Start).date(e.End).str(e.WhenText).str(e.Slug)
	}
	return r.sum()
}

// stamp gives every object of s its revisions.
func (s *Site) stamp() {
	r := newRevHash()
	for _, a := range s.Articles {
		stampArticle(r, a)
	}
	stampCollections(s)
}

// restamp brings the revisions of s up to date after an update in place
// changed the fields of touched: every article whose own fields, or
// whose Prev, Next, Related, Year or Era changed, must be among them.
// moved names the articles that came or went, and the years and terms
// they left or joined; the sets of years, terms and eras must be the
// same. It restamps the touched articles, the years, terms and eras
// holding one (or moved), and the site's revisions: the revisions are
// then those New would give the updated site.
func (s *Site) restamp(touched []*Article, moved *moveStamp) {
	r := newRevHash()
	years, terms, eras := map[*Year]bool{}, map[*Term]bool{}, map[*Era]bool{}
	defer func() { s.noteRestamp(touched, moved, years, terms, eras) }()
	for _, a := range touched {
		stampArticle(r, a)
		years[a.Year] = true
		for _, t := range slices.Concat(a.Tags, a.Parties) {
			terms[t] = true
		}
		for _, e := range s.Eras {
			eras[e] = eras[e] || content.Contains(e.Start, e.End, a.Date)
		}
	}
	if moved != nil {
		maps.Copy(years, moved.years)
		maps.Copy(terms, moved.terms)
		for _, a := range moved.out {
			delete(s.index.articles, a.Path)
			for _, e := range s.Eras {
				eras[e] = eras[e] || content.Contains(e.Start, e.End, a.Date)
			}
		}
		for _, a := range moved.in {
			s.index.articles[a.Path] = a
		}
		s.revs[SiteArticles-SiteSettings] = stampArticleList(r, s.Articles)
	}
	for y := range years {
		y.rev = stampYear(r, y)
	}
	for t := range terms {
		stampTerm(r, t)
	}
	for e, ok := range eras {
		if ok {
			e.rev = stampMembers(r, Page{}, e.Articles, 0)
		}
	}
	s.revs[SiteAll-SiteSettings] = stampAll(s)
}

// Restamp is what one Update in place restamped: every object whose
// revisions may differ from those the site had before it (see
// Site.Restamped). The site's own revisions are not listed: there are
// few, and a renderer looks at them all.
type Restamp struct {
	Articles []*Article // changed, moved in, or relinked
	Gone     []string   // the paths of the articles that went
	Years    []*Year
	Terms    []*Term
	Eras     []*Era
}

// Restamped returns what the update in place that followed generation
// since (see Generation) restamped; ok is false unless exactly one update in place made the site since, in
// which case every other object has the revisions it had then. Made
// by New, a site is at generation 0 of its own, which no other site's
// generation refers to.
func (s *Site) Restamped(since uint64) (r Restamp, ok bool) {
	if s.inc == nil || s.inc.gen == 0 || s.inc.gen != since+1 {
		return Restamp{}, false
	}
	return s.inc.restamped, true
}

// Generation counts the updates in place that made s: 0 for a site New
// made. A renderer that saw generation g of s needs to look again only
// at what Restamped(g) lists.
func (s *Site) Generation() uint64 {
	if s.inc == nil {
		return 0
	}
	return s.inc.gen
}

// noteRestamp keeps what restamp restamped, for Restamped.
func (s *Site) noteRestamp(touched []*Article, moved *moveStamp, years map[*Year]bool, terms map[*Term]bool, eras map[*Era]bool) {
	if s.inc == nil {
		return // no Update will follow
	}
	r := Restamp{Articles: touched}
	if moved != nil {
		for _, a := range moved.out {
			r.Gone = append(r.Gone, a.Path)
		}
	}
	for y := range years {
		if y != nil {
			r.Years = append(r.Years, y)
		}
	}
	for t := range terms {
		r.Terms = append(r.Terms, t)
	}
	for e, ok := range eras {
		if ok {
			r.Eras = append(r.Eras, e)
		}
	}
	s.inc.gen++
	s.inc.restamped = r
}

// moveStamp is what restamp needs of the articles Update moved.
type moveStamp struct {
	out, in []*Article
	years   map[*Year]bool
	terms   map[*Term]bool
}
