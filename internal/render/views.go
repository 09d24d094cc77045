package render

import (
	"html/template"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/site"
)

// The views are what templates receive of the model. Each embeds the
// site object it shows, so that a template reads its plain fields
// (.Title, .DateISO, .Page.URL) as fields, at the cost of a field; the
// view is recorded as read when it is made, with the facet those fields
// belong to. Everything that leads elsewhere in the model (.Next,
// .Tags, .Year.Articles, .Body) is a method of the view instead, which
// records what it reads and returns views. Methods shadow the embedded
// object's fields and methods of the same name, so a template reads
// {{.Next.Title}} as it would from the site types, and no model object
// is reachable but through a view: TestViewsCoverTheModel and
// TestViewsLeakNoModel keep it so.
//
// A list a template can reach whole (the site's, a year's, a term's or
// an era's articles) records its owner's members facet, which covers
// what each member shows in a list; a short one (a page of a listing,
// the related events) records each member.

// The embedded types are unexported aliases, so that the embedded field
// itself is not a field a template can read.
type (
	siteT    = site.Site
	articleT = site.Article
	yearT    = site.Year
	termT    = site.Term
	eraT     = site.Era
	listingT = site.Listing
)

// SiteView is the whole site as templates see it (.Site). Its own
// fields are settings, which every page depends on.
type SiteView struct {
	*siteT
	r *recorder
}

// Intro is the home page's introduction.
func (v *SiteView) Intro() template.HTML {
	v.r.site(site.SiteIntro)
	return v.siteT.Intro
}

// Articles is every published article, in time order.
func (v *SiteView) Articles() []*ArticleView {
	v.r.site(site.SiteAll) // which there are, and what each shows in a list
	return articleViews(v.siteT.Articles, v.r, false)
}

// Years is every year with events, in time order.
func (v *SiteView) Years() []*YearView {
	v.r.site(site.SiteYears)
	return yearViews(v.siteT.Years, v.r, nil)
}

// Eras is the eras of the settings.
func (v *SiteView) Eras() []*EraView {
	out := make([]*EraView, len(v.siteT.Eras))
	for i, e := range v.siteT.Eras {
		out[i] = &EraView{e, v.r}
	}
	return out
}

// Tags is every tag, by name.
func (v *SiteView) Tags() []*TermView {
	v.r.site(site.SiteTags)
	return termViews(v.siteT.Tags, v.r)
}

// Parties is every party, by name.
func (v *SiteView) Parties() []*TermView {
	v.r.site(site.SiteParties)
	return termViews(v.siteT.Parties, v.r)
}

// HomeShowsAll is site.Site.HomeShowsAll.
func (v *SiteView) HomeShowsAll() bool {
	v.r.site(site.SiteArticles)
	return v.siteT.HomeShowsAll()
}

// LatestCount is site.Site.LatestCount.
func (v *SiteView) LatestCount() int {
	v.r.site(site.SiteArticles)
	return v.siteT.LatestCount()
}

// Latest is site.Site.Latest: what the timeline page lists.
func (v *SiteView) Latest() []*YearView {
	if v.siteT.HomeShowsAll() {
		v.r.site(site.SiteArticles)
		return v.Years()
	}
	v.r.site(site.SiteArticles)
	return yearViews(v.siteT.Latest(), v.r, &owner{members: site.Dep{Facet: site.SiteArticles}})
}

// ArticleView is one article as templates see it: its fields are its
// ArticleMeta, recorded when the view is made.
type ArticleView struct {
	*articleT
	r *recorder
}

// articleView makes the view of a, recording its metadata; nil for nil.
func articleView(a *site.Article, r *recorder) *ArticleView {
	if a == nil {
		return nil
	}
	r.article(a, site.ArticleMeta)
	return &ArticleView{a, r}
}

// articleViews makes the views of articles; each records its metadata
// unless covered, when the caller recorded a facet that covers them.
func articleViews(articles []*site.Article, r *recorder, covered bool) []*ArticleView {
	views := make([]ArticleView, len(articles))
	out := make([]*ArticleView, len(articles))
	for i, a := range articles {
		if !covered {
			r.article(a, site.ArticleMeta)
		}
		views[i] = ArticleView{a, r}
		out[i] = &views[i]
	}
	return out
}

func (v *ArticleView) body() *site.Article {
	v.r.article(v.articleT, site.ArticleBody)
	return v.articleT
}
func (v *ArticleView) links() *site.Article {
	v.r.article(v.articleT, site.ArticleLinks)
	return v.articleT
}

// Body is the article's HTML.
func (v *ArticleView) Body() (template.HTML, error) { return v.body().Body() }

// Headings are the body's headings.
func (v *ArticleView) Headings() []content.Heading { return v.body().Headings }

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

// Tags are the article's tags, in the order written.
func (v *ArticleView) Tags() []*TermView { return termViews(v.articleT.Tags, v.r) }

// Parties are the article's parties, in the order written.
func (v *ArticleView) Parties() []*TermView { return termViews(v.articleT.Parties, v.r) }

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
		return &EraView{e, v.r}
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
	*yearT
	r     *recorder
	owner *owner // nil for a year of the site's own
}

func yearView(y *site.Year, r *recorder, o *owner) *YearView {
	v := &YearView{y, r, o}
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
	} else if _, ok := v.yearT.Dep(); !ok {
		v.r.unbounded = true // a year made otherwise: nothing stands for it
	}
}

// members records the facet that stands for the year's articles,
// neighbours and pages.
func (v *YearView) members() {
	if v.r == nil || v.owner != nil {
		return // the owner is recorded already
	}
	d, _ := v.yearT.Dep()
	v.r.add(d)
}

// listingOwner is what stands for the year's listings.
func (v *YearView) listingOwner() *owner {
	if v.members(); v.owner != nil {
		return v.owner
	}
	d, _ := v.yearT.Dep()
	return &owner{members: d, covering: true}
}

// Articles are the year's events, in time order.
func (v *YearView) Articles() []*ArticleView {
	v.members()
	covered := v.owner == nil || v.owner.covering
	return articleViews(v.yearT.Articles, v.r, covered)
}

// Prev is the previous year with events, or nil.
func (v *YearView) Prev() *YearView {
	if v.members(); v.yearT.Prev == nil {
		return nil
	}
	return yearView(v.yearT.Prev, v.r, v.owner)
}

// Next is the next year with events, or nil.
func (v *YearView) Next() *YearView {
	if v.members(); v.yearT.Next == nil {
		return nil
	}
	return yearView(v.yearT.Next, v.r, v.owner)
}

// Pages is the pages of the year's events.
func (v *YearView) Pages() []*ListingView {
	return listingViews(v.yearT.Pages, v.r, v.listingOwner())
}

// Listings is site.Year.Listings.
func (v *YearView) Listings() []*ListingView {
	return listingViews(v.yearT.Listings(), v.r, v.listingOwner())
}

// TermView is one tag or party as templates see it: its fields are its
// TermMeta, recorded when the view is made.
type TermView struct {
	*termT
	r *recorder
}

func termViews(terms []*site.Term, r *recorder) []*TermView {
	views := make([]TermView, len(terms))
	out := make([]*TermView, len(terms))
	for i, t := range terms {
		r.term(t, site.TermMeta)
		views[i] = TermView{t, r}
		out[i] = &views[i]
	}
	return out
}

func (v *TermView) members() *owner {
	v.r.term(v.termT, site.TermMembers)
	return &owner{members: v.termT.Dep(site.TermMembers), covering: true}
}

// Articles are the term's events, in time order.
func (v *TermView) Articles() []*ArticleView {
	v.members()
	return articleViews(v.termT.Articles, v.r, true)
}

// Years groups the term's events by year.
func (v *TermView) Years() []*YearView { return yearViews(v.termT.Years, v.r, v.members()) }

// Pages is the pages of the term's events.
func (v *TermView) Pages() []*ListingView { return listingViews(v.termT.Pages, v.r, v.members()) }

// Listings is site.Term.Listings.
func (v *TermView) Listings() []*ListingView {
	return listingViews(v.termT.Listings(), v.r, v.members())
}

// EraView is one era as templates see it: its fields are settings.
type EraView struct {
	*eraT
	r *recorder
}

// Articles are the era's events.
func (v *EraView) Articles() []*ArticleView {
	if v.r != nil {
		v.r.add(v.eraT.Dep())
	}
	return articleViews(v.eraT.Articles, v.r, true)
}

// ListingView is one page of a year's, tag's or party's events as
// templates see it; its owner's members stand for all but the events
// it shows.
type ListingView struct {
	*listingT
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
	return &ListingView{l, r, o}
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
	return articleViews(v.listingT.Articles, v.r, false)
}

// Prev is the previous page of the list, or nil.
func (v *ListingView) Prev() *ListingView { return listingView(v.listingT.Prev, v.r, v.owner) }

// Next is the next page of the list, or nil.
func (v *ListingView) Next() *ListingView { return listingView(v.listingT.Next, v.r, v.owner) }

// Years groups this page's events by year, as tag and party pages show
// them.
func (v *ListingView) Years() []*YearView {
	return yearViews(v.listingT.Years(), v.r, &owner{members: v.owner.members})
}

// Pages is every page of the list.
func (v *ListingView) Pages() []*ListingView {
	return listingViews(v.listingT.Pages(), v.r, v.owner)
}

// Pager is site.Listing.Pager's links as views.
func (v *ListingView) Pager() []PagerLink {
	links := v.listingT.Pager()
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
