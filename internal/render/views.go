package render

import (
	"html/template"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/site"
)

// The views are what templates receive of the model: each wraps a site
// object and has a method for each of its fields and methods, of the
// same name and result, which notes the facet read in the page's
// recorder. A template reads {{.Title}} from a method as from a field,
// so a theme written against the site types works unchanged, and every
// read is recorded: Go templates read fields by reflection, with no
// hook. TestViewsCoverTheModel keeps the views complete.

// SiteView is the whole site as templates see it (.Site).
type SiteView struct {
	s *site.Site
	r *recorder
}

func (v *SiteView) settings() *site.Site { v.r.site(site.SiteSettings); return v.s }

func (v *SiteView) Title() string           { return v.settings().Title }
func (v *SiteView) Description() string     { return v.settings().Description }
func (v *SiteView) Language() string        { return v.settings().Language }
func (v *SiteView) Author() string          { return v.settings().Author }
func (v *SiteView) BaseURL() string         { return v.settings().BaseURL }
func (v *SiteView) BasePath() string        { return v.settings().BasePath }
func (v *SiteView) Limits() site.Limits     { return v.settings().Limits }
func (v *SiteView) Home() site.Page         { return v.settings().Home() }
func (v *SiteView) TagIndex() site.Page     { return v.settings().TagIndex() }
func (v *SiteView) PartyIndex() site.Page   { return v.settings().PartyIndex() }
func (v *SiteView) YearIndex() site.Page    { return v.settings().YearIndex() }
func (v *SiteView) Feed() site.Page         { return v.settings().Feed() }
func (v *SiteView) TimelineJSON() site.Page { return v.settings().TimelineJSON() }
func (v *SiteView) NotFound() site.Page     { return v.settings().NotFound() }
func (v *SiteView) Eras() []*EraView        { return eraViews(v.settings().Eras, v.r) }

func (v *SiteView) Intro() template.HTML {
	v.r.site(site.SiteIntro)
	return v.s.Intro
}

func (v *SiteView) Articles() []*ArticleView {
	v.r.site(site.SiteArticles)
	return articleViews(v.s.Articles, v.r)
}

func (v *SiteView) Years() []*YearView {
	v.r.site(site.SiteYears)
	return yearViews(v.s.Years, v.r, nil)
}

func (v *SiteView) Tags() []*TermView {
	v.r.site(site.SiteTags)
	return termViews(v.s.Tags, v.r)
}

func (v *SiteView) Parties() []*TermView {
	v.r.site(site.SiteParties)
	return termViews(v.s.Parties, v.r)
}

// HomeShowsAll, LatestCount and Latest depend on the list of articles
// and the limits (settings, which every page depends on).
func (v *SiteView) HomeShowsAll() bool {
	v.r.site(site.SiteArticles)
	return v.s.HomeShowsAll()
}

func (v *SiteView) LatestCount() int {
	v.r.site(site.SiteArticles)
	return v.s.LatestCount()
}

func (v *SiteView) Latest() []*YearView {
	v.r.site(site.SiteArticles)
	if v.s.HomeShowsAll() {
		return v.Years()
	}
	owner := site.Dep{Facet: site.SiteArticles}
	return yearViews(v.s.Latest(), v.r, &owner)
}

// ArticleView is one article as templates see it.
type ArticleView struct {
	a *site.Article
	r *recorder
}

func articleViews(articles []*site.Article, r *recorder) []*ArticleView {
	views := make([]ArticleView, len(articles))
	out := make([]*ArticleView, len(articles))
	for i, a := range articles {
		views[i] = ArticleView{a, r}
		out[i] = &views[i]
	}
	return out
}

func (v *ArticleView) view(a *site.Article) *ArticleView {
	if a == nil {
		return nil
	}
	return &ArticleView{a, v.r}
}

func (v *ArticleView) meta() *site.Article  { v.r.article(v.a, site.ArticleMeta); return v.a }
func (v *ArticleView) body() *site.Article  { v.r.article(v.a, site.ArticleBody); return v.a }
func (v *ArticleView) links() *site.Article { v.r.article(v.a, site.ArticleLinks); return v.a }

func (v *ArticleView) Path() string                 { return v.meta().Path }
func (v *ArticleView) Title() string                { return v.meta().Title }
func (v *ArticleView) Date() content.Date           { return v.meta().Date }
func (v *ArticleView) EndDate() content.Date        { return v.meta().EndDate }
func (v *ArticleView) DateISO() string              { return v.meta().DateISO }
func (v *ArticleView) WhenText() string             { return v.meta().WhenText }
func (v *ArticleView) When() string                 { return v.meta().WhenText }
func (v *ArticleView) Weight() int                  { return v.meta().Weight }
func (v *ArticleView) Summary() string              { return v.meta().Summary }
func (v *ArticleView) OwnSummary() bool             { return v.meta().OwnSummary }
func (v *ArticleView) Value() string                { return v.meta().Value }
func (v *ArticleView) Amount() site.Amount          { return v.meta().Amount }
func (v *ArticleView) Sources() []content.Source    { return v.meta().Sources }
func (v *ArticleView) Slug() string                 { return v.meta().Slug }
func (v *ArticleView) Draft() bool                  { return v.meta().Draft }
func (v *ArticleView) Page() site.Page              { return v.meta().Page }
func (v *ArticleView) Rel() string                  { return v.meta().Rel }
func (v *ArticleView) URL() string                  { return v.meta().URL }
func (v *ArticleView) Permalink() string            { return v.meta().Permalink }
func (v *ArticleView) Tags() []*TermView            { return termViews(v.meta().Tags, v.r) }
func (v *ArticleView) Parties() []*TermView         { return termViews(v.meta().Parties, v.r) }
func (v *ArticleView) Body() (template.HTML, error) { return v.body().Body() }
func (v *ArticleView) Headings() []content.Heading  { return v.body().Headings }
func (v *ArticleView) Words() int                   { return v.body().Words }
func (v *ArticleView) SourceHash() [32]byte         { return v.body().SourceHash() }
func (v *ArticleView) FirstOfEra() bool             { return v.links().FirstOfEra }
func (v *ArticleView) EraStarts() bool              { return v.links().FirstOfEra }
func (v *ArticleView) Prev() *ArticleView           { return v.view(v.links().Prev) }
func (v *ArticleView) Next() *ArticleView           { return v.view(v.links().Next) }
func (v *ArticleView) Related() []*ArticleView      { return articleViews(v.links().Related, v.r) }

func (v *ArticleView) Year() *YearView {
	if y := v.links().Year; y != nil {
		return &YearView{y: y, r: v.r}
	}
	return nil
}

func (v *ArticleView) Era() *EraView {
	if e := v.links().Era; e != nil {
		return &EraView{e, v.r}
	}
	return nil
}

// YearView is one year as templates see it: one of the site's years, or
// one of the groups a term's page or the timeline page shows, whose
// owner's members stand for it.
type YearView struct {
	y     *site.Year
	r     *recorder
	owner *site.Dep // nil for a year of the site's own
}

func yearViews(years []*site.Year, r *recorder, owner *site.Dep) []*YearView {
	views := make([]YearView, len(years))
	out := make([]*YearView, len(years))
	for i, y := range years {
		views[i] = YearView{y, r, owner}
		out[i] = &views[i]
	}
	return out
}

func (v *YearView) read() *site.Year {
	if v.r == nil {
		return v.y
	}
	if v.owner != nil {
		v.r.add(*v.owner)
	} else if d, ok := v.y.Dep(); ok {
		v.r.add(d)
	} else {
		v.r.unbounded = true // a year made otherwise: nothing stands for it
	}
	return v.y
}

func (v *YearView) view(y *site.Year) *YearView {
	if y == nil {
		return nil
	}
	return &YearView{y, v.r, v.owner}
}

func (v *YearView) Year() int                { return v.read().Year }
func (v *YearView) Articles() []*ArticleView { return articleViews(v.read().Articles, v.r) }
func (v *YearView) Page() site.Page          { return v.read().Page }
func (v *YearView) Rel() string              { return v.read().Rel }
func (v *YearView) URL() string              { return v.read().URL }
func (v *YearView) Permalink() string        { return v.read().Permalink }
func (v *YearView) Prev() *YearView          { return v.view(v.read().Prev) }
func (v *YearView) Next() *YearView          { return v.view(v.read().Next) }
func (v *YearView) Pages() []*ListingView    { return listingViews(v.read().Pages, v.r, v.ownerOf()) }
func (v *YearView) Listings() []*ListingView {
	return listingViews(v.read().Listings(), v.r, v.ownerOf())
}

// ownerOf is what stands for the year's listings.
func (v *YearView) ownerOf() *site.Dep {
	if v.owner != nil {
		return v.owner
	}
	d, _ := v.y.Dep()
	return &d
}

// TermView is one tag or party as templates see it.
type TermView struct {
	t *site.Term
	r *recorder
}

func termViews(terms []*site.Term, r *recorder) []*TermView {
	views := make([]TermView, len(terms))
	out := make([]*TermView, len(terms))
	for i, t := range terms {
		views[i] = TermView{t, r}
		out[i] = &views[i]
	}
	return out
}

func (v *TermView) meta() *site.Term    { v.r.term(v.t, site.TermMeta); return v.t }
func (v *TermView) members() *site.Term { v.r.term(v.t, site.TermMembers); return v.t }

// owner is what stands for the term's years and listings.
func (v *TermView) owner() *site.Dep {
	d := v.t.Dep(site.TermMembers)
	return &d
}

func (v *TermView) Kind() string             { return v.meta().Kind }
func (v *TermView) Name() string             { return v.meta().Name }
func (v *TermView) Slug() string             { return v.meta().Slug }
func (v *TermView) Page() site.Page          { return v.meta().Page }
func (v *TermView) Rel() string              { return v.meta().Rel }
func (v *TermView) URL() string              { return v.meta().URL }
func (v *TermView) Permalink() string        { return v.meta().Permalink }
func (v *TermView) Feed() site.Page          { return v.meta().Feed }
func (v *TermView) Articles() []*ArticleView { return articleViews(v.members().Articles, v.r) }
func (v *TermView) Years() []*YearView       { return yearViews(v.members().Years, v.r, v.owner()) }
func (v *TermView) Pages() []*ListingView    { return listingViews(v.members().Pages, v.r, v.owner()) }
func (v *TermView) Listings() []*ListingView {
	return listingViews(v.members().Listings(), v.r, v.owner())
}

// EraView is one era as templates see it.
type EraView struct {
	e *site.Era
	r *recorder
}

func eraViews(eras []*site.Era, r *recorder) []*EraView {
	out := make([]*EraView, len(eras))
	for i, e := range eras {
		out[i] = &EraView{e, r}
	}
	return out
}

// The era's fields but its articles are settings, which every page
// depends on.
func (v *EraView) Title() string       { return v.e.Title }
func (v *EraView) Start() content.Date { return v.e.Start }
func (v *EraView) End() content.Date   { return v.e.End }
func (v *EraView) WhenText() string    { return v.e.WhenText }
func (v *EraView) When() string        { return v.e.WhenText }
func (v *EraView) Slug() string        { return v.e.Slug }

func (v *EraView) Articles() []*ArticleView {
	if v.r != nil {
		v.r.add(v.e.Dep())
	}
	return articleViews(v.e.Articles, v.r)
}

// ListingView is one page of a year's, tag's or party's events as
// templates see it; its owner's members stand for all of it.
type ListingView struct {
	l     *site.Listing
	r     *recorder
	owner *site.Dep
}

func listingViews(listings []*site.Listing, r *recorder, owner *site.Dep) []*ListingView {
	out := make([]*ListingView, len(listings))
	for i, l := range listings {
		out[i] = &ListingView{l, r, owner}
	}
	return out
}

func (v *ListingView) read() *site.Listing {
	if v.r != nil {
		v.r.add(*v.owner)
	}
	return v.l
}

func (v *ListingView) view(l *site.Listing) *ListingView {
	if l == nil {
		return nil
	}
	return &ListingView{l, v.r, v.owner}
}

func (v *ListingView) Number() int              { return v.read().Number }
func (v *ListingView) Articles() []*ArticleView { return articleViews(v.read().Articles, v.r) }
func (v *ListingView) Page() site.Page          { return v.read().Page }
func (v *ListingView) Rel() string              { return v.read().Rel }
func (v *ListingView) URL() string              { return v.read().URL }
func (v *ListingView) Permalink() string        { return v.read().Permalink }
func (v *ListingView) Prev() *ListingView       { return v.view(v.read().Prev) }
func (v *ListingView) Next() *ListingView       { return v.view(v.read().Next) }
func (v *ListingView) Years() []*YearView       { return yearViews(v.read().Years(), v.r, v.owner) }
func (v *ListingView) Pages() []*ListingView    { return listingViews(v.read().Pages(), v.r, v.owner) }
func (v *ListingView) Paged() bool              { return v.read().Paged() }

// Pager is site.Listing.Pager's links as views.
func (v *ListingView) Pager() []PagerLink {
	links := v.read().Pager()
	out := make([]PagerLink, len(links))
	for i, p := range links {
		out[i] = PagerLink{ListingView: v.view(p.Listing), Current: p.Current}
	}
	return out
}

// PagerLink is site.PagerLink for templates: a page of the list, or a
// gap (Listing nil).
type PagerLink struct {
	*ListingView
	Current bool
}

// Listing is the page linked, or nil for a gap.
func (p PagerLink) Listing() *ListingView { return p.ListingView }
