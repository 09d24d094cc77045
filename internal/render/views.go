package render

import (
	"html/template"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/site"
)

// The views are what templates receive of the model. Each holds a copy
// of the plain fields of the site object it shows (.Title, .DateISO,
// .Page.URL), which a template reads as fields, as cheaply as from the
// object itself (html/template calls a method, or finds a field inside
// an embedded struct, at the cost of allocations): the view is recorded
// as read when it is made, with the facet those fields belong to.
// Everything that leads elsewhere in the model (.Next, .Tags,
// .Year.Articles, .Body) is a method instead, which records what it
// reads and returns views, so a template reads {{.Next.Title}} as it
// would from the site types, and no model object is reachable but
// through a view: TestViewsCoverTheModel and TestViewsLeakNoModel keep
// it so.
//
// A list a template can reach whole (the site's, a year's, a term's or
// an era's articles) records its owner's members facet, which covers
// what each member shows in a list; a short one (a page of a listing,
// the related events) records each member.

// SiteView is the whole site as templates see it (.Site). Its fields
// are settings, which every page depends on.
type SiteView struct {
	Title       string
	Description string
	Language    string
	Author      string
	BaseURL     string
	BasePath    string
	Limits      site.Limits
	s           *site.Site
	r           *recorder
}

func siteView(s *site.Site, r *recorder) *SiteView {
	return &SiteView{Title: s.Title, Description: s.Description, Language: s.Language, Author: s.Author,
		BaseURL: s.BaseURL, BasePath: s.BasePath, Limits: s.Limits, s: s, r: r}
}

// Home, TagIndex, PartyIndex, YearIndex, Feed, TimelineJSON and
// NotFound locate the site's fixed pages.
func (v *SiteView) Home() site.Page         { return v.s.Home() }
func (v *SiteView) TagIndex() site.Page     { return v.s.TagIndex() }
func (v *SiteView) PartyIndex() site.Page   { return v.s.PartyIndex() }
func (v *SiteView) YearIndex() site.Page    { return v.s.YearIndex() }
func (v *SiteView) Feed() site.Page         { return v.s.Feed() }
func (v *SiteView) TimelineJSON() site.Page { return v.s.TimelineJSON() }
func (v *SiteView) NotFound() site.Page     { return v.s.NotFound() }

// Intro is the home page's introduction.
func (v *SiteView) Intro() template.HTML {
	v.r.site(site.SiteIntro)
	return v.s.Intro
}

// Articles is every published article, in time order.
func (v *SiteView) Articles() []*ArticleView {
	v.r.site(site.SiteAll) // which there are, and what each shows in a list
	return articleViews(v.s.Articles, v.r, true)
}

// Count is how many articles are published: {{len .Articles}}, without
// a view of each.
func (v *SiteView) Count() int {
	v.r.site(site.SiteArticles)
	return len(v.s.Articles)
}

// Years is every year with events, in time order.
func (v *SiteView) Years() []*YearView {
	v.r.site(site.SiteYears)
	return yearViews(v.s.Years, v.r, nil)
}

// Eras is the eras of the settings.
func (v *SiteView) Eras() []*EraView {
	out := make([]*EraView, len(v.s.Eras))
	for i, e := range v.s.Eras {
		out[i] = eraView(e, v.r)
	}
	return out
}

// Tags is every tag, by name.
func (v *SiteView) Tags() []*TermView {
	v.r.site(site.SiteTags)
	return termViews(v.s.Tags, v.r)
}

// Parties is every party, by name.
func (v *SiteView) Parties() []*TermView {
	v.r.site(site.SiteParties)
	return termViews(v.s.Parties, v.r)
}

// HomeShowsAll is site.Site.HomeShowsAll.
func (v *SiteView) HomeShowsAll() bool {
	v.r.site(site.SiteArticles)
	return v.s.HomeShowsAll()
}

// LatestCount is site.Site.LatestCount.
func (v *SiteView) LatestCount() int {
	v.r.site(site.SiteArticles)
	return v.s.LatestCount()
}

// Latest is site.Site.Latest: what the timeline page lists.
func (v *SiteView) Latest() []*YearView {
	v.r.site(site.SiteArticles)
	if v.s.HomeShowsAll() {
		return v.Years()
	}
	return yearViews(v.s.Latest(), v.r, &owner{members: site.Dep{Facet: site.SiteArticles}})
}

// ArticleView is one article as templates see it: its fields are its
// ArticleMeta, recorded when the view is made.
type ArticleView struct {
	Path       string
	Title      string
	Date       content.Date
	EndDate    content.Date
	DateISO    string
	WhenText   string
	Weight     int
	Summary    string
	OwnSummary bool
	Value      string
	Amount     site.Amount
	Sources    []content.Source
	Slug       string
	Draft      bool
	// Lead is the lead image as written; {{lead .}} shows it with the
	// URLs of its published files.
	Lead *content.Image
	site.Page
	a *site.Article
	r *recorder
}

// setArticle fills v with a's fields.
func (v *ArticleView) setArticle(a *site.Article, r *recorder) {
	*v = ArticleView{Path: a.Path, Title: a.Title, Date: a.Date, EndDate: a.EndDate, DateISO: a.DateISO, WhenText: a.WhenText,
		Weight: a.Weight, Summary: a.Summary, OwnSummary: a.OwnSummary, Value: a.Value, Amount: a.Amount, Sources: a.Sources,
		Slug: a.Slug, Draft: a.Draft, Lead: a.Lead, Page: a.Page, a: a, r: r}
}

// articleView makes the view of a, recording its metadata; nil for nil.
func articleView(a *site.Article, r *recorder) *ArticleView {
	if a == nil {
		return nil
	}
	r.article(a, site.ArticleMeta)
	v := new(ArticleView)
	v.setArticle(a, r)
	return v
}

// articleViews makes the views of articles; each records its metadata
// unless covered, when the caller recorded a facet that covers them.
func articleViews(articles []*site.Article, r *recorder, covered bool) []*ArticleView {
	views := make([]ArticleView, len(articles))
	out := make([]*ArticleView, len(articles))
	if r != nil {
		r.views += len(articles)
	}
	for i, a := range articles {
		if !covered {
			r.article(a, site.ArticleMeta)
		}
		views[i].setArticle(a, r)
		out[i] = &views[i]
	}
	return out
}

func (v *ArticleView) body() *site.Article  { v.r.article(v.a, site.ArticleBody); return v.a }
func (v *ArticleView) links() *site.Article { v.r.article(v.a, site.ArticleLinks); return v.a }

// When is WhenText.
func (v *ArticleView) When() string { return v.WhenText }

// Body is the article's HTML.
func (v *ArticleView) Body() (template.HTML, error) { return v.body().Body() }

// Headings are the body's headings.
func (v *ArticleView) Headings() []content.Heading { return v.body().Headings }

// Images are the pictures the body shows, as written.
func (v *ArticleView) Images() []content.Image { return v.body().Images() }

// Resources are the files of the article's folder its body links to.
func (v *ArticleView) Resources() []string { return v.body().Resources() }

// Words counts the body's words.
func (v *ArticleView) Words() int { return v.body().Words }

// SourceHash identifies the source file's bytes.
func (v *ArticleView) SourceHash() [32]byte { return v.body().SourceHash() }

// FirstOfEra is true on the first event of its era.
func (v *ArticleView) FirstOfEra() bool { return v.links().FirstOfEra }

// EraStarts is FirstOfEra.
func (v *ArticleView) EraStarts() bool { return v.links().FirstOfEra }

// Prev is the previous event in time, or nil.
func (v *ArticleView) Prev() *ArticleView { return articleView(v.links().Prev, v.r) }

// Next is the next event in time, or nil.
func (v *ArticleView) Next() *ArticleView { return articleView(v.links().Next, v.r) }

// Related is up to three events sharing tags or parties.
func (v *ArticleView) Related() []*ArticleView {
	return articleViews(v.links().Related, v.r, false)
}

// Tags are the article's tags, in the order written (its metadata).
func (v *ArticleView) Tags() []*TermView { return termViews(v.a.Tags, v.r) }

// Parties are the article's parties, in the order written.
func (v *ArticleView) Parties() []*TermView { return termViews(v.a.Parties, v.r) }

// Year is the article's year.
func (v *ArticleView) Year() *YearView {
	if y := v.links().Year; y != nil {
		return yearView(y, v.r, nil)
	}
	return nil
}

// Era is the first era containing the article, or nil.
func (v *ArticleView) Era() *EraView {
	if e := v.links().Era; e != nil {
		return eraView(e, v.r)
	}
	return nil
}

// owner names what stands for a year or listing that is not one of the
// site's years: a term's members, or the site's list of articles.
// Listings of a term or year cover whatever of their articles they
// show; a year grouping a page of a listing does not (covering is
// false), and records each article it shows.
type owner struct {
	members  site.Dep
	covering bool
}

// YearView is one year as templates see it: one of the site's years,
// or one of the groups a term's page or the timeline page shows, which
// its owner stands for.
type YearView struct {
	Year int
	site.Page
	y     *site.Year
	r     *recorder
	owner *owner // nil for a year of the site's own
}

func yearView(y *site.Year, r *recorder, o *owner) *YearView {
	v := &YearView{Year: y.Year, Page: y.Page, y: y, r: r, owner: o}
	v.record()
	return v
}

func yearViews(years []*site.Year, r *recorder, o *owner) []*YearView {
	out := make([]*YearView, len(years))
	for i, y := range years {
		out[i] = yearView(y, r, o)
	}
	return out
}

// record notes what a year's fields show when the view is made: a year
// of the site's own shows only its number and its page, which do not
// change, so it records its members only when asked for more (see
// members); a group of a term's or of the timeline's events exists by
// its owner.
func (v *YearView) record() {
	if v.r == nil {
		return
	}
	if v.owner != nil {
		v.r.add(v.owner.members)
	} else if _, ok := v.y.Dep(); !ok {
		v.r.unbounded = true // a year made otherwise: nothing stands for it
	}
}

// members records the facet that stands for the year's articles,
// neighbours and pages.
func (v *YearView) members() {
	if v.r == nil || v.owner != nil {
		return // the owner is recorded already
	}
	d, _ := v.y.Dep()
	v.r.add(d)
}

// listingOwner is what stands for the year's listings.
func (v *YearView) listingOwner() *owner {
	if v.members(); v.owner != nil {
		return v.owner
	}
	d, _ := v.y.Dep()
	return &owner{members: d, covering: true}
}

// Articles are the year's events, in time order.
func (v *YearView) Articles() []*ArticleView {
	v.members()
	covered := v.owner == nil || v.owner.covering
	return articleViews(v.y.Articles, v.r, covered)
}

// Count is how many events the year has: {{len .Articles}}, without a
// view of each.
func (v *YearView) Count() int {
	v.members()
	return len(v.y.Articles)
}

// Prev is the previous year with events, or nil.
func (v *YearView) Prev() *YearView {
	if v.members(); v.y.Prev == nil {
		return nil
	}
	return yearView(v.y.Prev, v.r, v.owner)
}

// Next is the next year with events, or nil.
func (v *YearView) Next() *YearView {
	if v.members(); v.y.Next == nil {
		return nil
	}
	return yearView(v.y.Next, v.r, v.owner)
}

// Pages is the pages of the year's events.
func (v *YearView) Pages() []*ListingView {
	return listingViews(v.y.Pages, v.r, v.listingOwner())
}

// Listings is site.Year.Listings.
func (v *YearView) Listings() []*ListingView {
	return listingViews(v.y.Listings(), v.r, v.listingOwner())
}

// TermView is one tag or party as templates see it: its fields are its
// TermMeta, recorded when the view is made.
type TermView struct {
	Kind string
	Name string
	Slug string
	site.Page
	Feed site.Page
	t    *site.Term
	r    *recorder
}

func termViews(terms []*site.Term, r *recorder) []*TermView {
	views := make([]TermView, len(terms))
	out := make([]*TermView, len(terms))
	for i, t := range terms {
		r.term(t, site.TermMeta)
		views[i] = TermView{Kind: t.Kind, Name: t.Name, Slug: t.Slug, Page: t.Page, Feed: t.Feed, t: t, r: r}
		out[i] = &views[i]
	}
	return out
}

func (v *TermView) members() *owner {
	v.r.term(v.t, site.TermMembers)
	return &owner{members: v.t.Dep(site.TermMembers), covering: true}
}

// Articles are the term's events, in time order.
func (v *TermView) Articles() []*ArticleView {
	v.members()
	return articleViews(v.t.Articles, v.r, true)
}

// Count is how many events the term has: {{len .Articles}}, without a
// view of each.
func (v *TermView) Count() int {
	v.members()
	return len(v.t.Articles)
}

// Years groups the term's events by year.
func (v *TermView) Years() []*YearView { return yearViews(v.t.Years, v.r, v.members()) }

// Pages is the pages of the term's events.
func (v *TermView) Pages() []*ListingView { return listingViews(v.t.Pages, v.r, v.members()) }

// Listings is site.Term.Listings.
func (v *TermView) Listings() []*ListingView {
	return listingViews(v.t.Listings(), v.r, v.members())
}

// EraView is one era as templates see it: its fields are settings.
type EraView struct {
	Title      string
	Start, End content.Date
	WhenText   string
	Slug       string
	e          *site.Era
	r          *recorder
}

func eraView(e *site.Era, r *recorder) *EraView {
	return &EraView{Title: e.Title, Start: e.Start, End: e.End, WhenText: e.WhenText, Slug: e.Slug, e: e, r: r}
}

// When is WhenText.
func (v *EraView) When() string { return v.WhenText }

// Articles are the era's events.
func (v *EraView) Articles() []*ArticleView {
	if v.r != nil {
		v.r.add(v.e.Dep())
	}
	return articleViews(v.e.Articles, v.r, true)
}

// Count is how many events the era has: {{len .Articles}}, without a
// view of each.
func (v *EraView) Count() int {
	if v.r != nil {
		v.r.add(v.e.Dep())
	}
	return len(v.e.Articles)
}

// ListingView is one page of a year's, tag's or party's events as
// templates see it; its owner's members stand for all but the events
// it shows.
type ListingView struct {
	Number int
	site.Page
	l     *site.Listing
	r     *recorder
	owner *owner
}

func listingView(l *site.Listing, r *recorder, o *owner) *ListingView {
	if l == nil {
		return nil
	}
	if r != nil {
		r.add(o.members)
	}
	return &ListingView{Number: l.Number, Page: l.Page, l: l, r: r, owner: o}
}

func listingViews(listings []*site.Listing, r *recorder, o *owner) []*ListingView {
	out := make([]*ListingView, len(listings))
	for i, l := range listings {
		out[i] = listingView(l, r, o)
	}
	return out
}

// Articles are this page's events: each is recorded, so that a page of
// a long list depends on its own events only.
func (v *ListingView) Articles() []*ArticleView {
	return articleViews(v.l.Articles, v.r, false)
}

// Prev is the previous page of the list, or nil.
func (v *ListingView) Prev() *ListingView { return listingView(v.l.Prev, v.r, v.owner) }

// Next is the next page of the list, or nil.
func (v *ListingView) Next() *ListingView { return listingView(v.l.Next, v.r, v.owner) }

// Years groups this page's events by year, as tag and party pages show
// them.
func (v *ListingView) Years() []*YearView {
	return yearViews(v.l.Years(), v.r, &owner{members: v.owner.members})
}

// Pages is every page of the list.
func (v *ListingView) Pages() []*ListingView {
	return listingViews(v.l.Pages(), v.r, v.owner)
}

// Paged reports whether the list spans more than one page.
func (v *ListingView) Paged() bool { return v.l.Paged() }

// Pager is site.Listing.Pager's links as views.
func (v *ListingView) Pager() []PagerLink {
	links := v.l.Pager()
	out := make([]PagerLink, len(links))
	for i, p := range links {
		out[i] = PagerLink{ListingView: listingView(p.Listing, v.r, v.owner), Current: p.Current}
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
