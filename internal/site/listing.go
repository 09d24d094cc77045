package site

import "strconv"

// Limits bound how many events one page lists, so that every page stays
// light however long the history grows. A zero field takes its default.
// A site whose lists all fit looks exactly as it would without limits.
type Limits struct {
	// PageEvents is the most events a year, tag or party page lists.
	// A longer list continues on …/page/2/, …/page/3/ and so on.
	PageEvents int
	// HomeEvents is the most events the timeline page lists. A site with
	// more shows its newest events there, with every page of every year
	// linked from a year index: each event is two clicks from home.
	HomeEvents int
	// SitemapURLs is the most URLs one sitemap file holds (the sitemaps
	// protocol allows 50,000, the default and the most allowed).
	SitemapURLs int
}

// The default limits.
const (
	DefaultPageEvents  = 100
	DefaultHomeEvents  = 100
	DefaultSitemapURLs = 50000
)

// withDefaults fills the zero fields and caps SitemapURLs at the
// protocol's limit.
func (l Limits) withDefaults() Limits {
	if l.PageEvents <= 0 {
		l.PageEvents = DefaultPageEvents
	}
	if l.HomeEvents <= 0 {
		l.HomeEvents = DefaultHomeEvents
	}
	if l.SitemapURLs <= 0 || l.SitemapURLs > DefaultSitemapURLs {
		l.SitemapURLs = DefaultSitemapURLs
	}
	return l
}

// Listing is one page of a list of events: a year's, a tag's or a
// party's. A list that fits on one page has one Listing, at the list's
// own URL; a longer one continues at "…/page/2/" and so on, so the first
// page's URL never changes as the list grows.
type Listing struct {
	Number   int        // from 1
	Articles []*Article // this page's events, in time order
	Page
	Prev, Next *Listing // the neighbouring pages of the list; nil at the ends
	all        []*Listing
	years      []*Year                  // see Years: the Term's own, for a list on one page
	group      func([]*Article) []*Year // makes Years for the others; nil on year pages
}

// Years groups Articles by year, each Year linking to the site's page of
// that year, as tag and party pages show them. A page of a longer list
// makes them when asked (once, when it is rendered), rather than every
// page of a large site holding them all build long. Empty on year pages.
func (l *Listing) Years() []*Year {
	if l.years != nil || l.group == nil {
		return l.years
	}
	return l.group(l.Articles)
}

// Pages is every page of the list this page belongs to.
func (l *Listing) Pages() []*Listing { return l.all }

// Paged reports whether the list spans more than one page.
func (l *Listing) Paged() bool { return len(l.all) > 1 }

// PagerLink is one entry of a list's numbered page links: a page, or a
// gap (Listing nil) standing for the pages left out between two.
type PagerLink struct {
	*Listing
	Current bool // the page being shown
}

// pagerReach is how many pages on each side of the current one the
// numbered links show, besides the first and the last.
const pagerReach = 2

// Pager is the numbered page links shown on this page: the first and
// last pages, the pages near this one, and gaps for the rest, so that a
// list of a thousand pages still links a handful.
func (l *Listing) Pager() []PagerLink {
	var links []PagerLink
	for i, p := range l.all {
		n := i + 1
		near := n >= l.Number-pagerReach && n <= l.Number+pagerReach
		if n == 1 || n == len(l.all) || near {
			links = append(links, PagerLink{Listing: p, Current: p == l})
		} else if links[len(links)-1].Listing != nil {
			links = append(links, PagerLink{})
		}
	}
	return links
}

// paginate splits articles (in time order) into pages of at most size
// events, the first at first's folder and the others under its "page/N/".
// groupYears groups a page's events by year, for the pages that show
// them so (see Listing.Years); nil leaves Years empty.
func (s *Site) paginate(first Page, articles []*Article, size int, groupYears func([]*Article) []*Year) []*Listing {
	count := max(1, (len(articles)+size-1)/size)
	all := make([]*Listing, count)
	for i := range all {
		l := &Listing{Number: i + 1, Page: first, all: all}
		if i > 0 {
			l.Page = s.page(first.Rel + "page/" + strconv.Itoa(i+1) + "/")
			l.Prev, all[i-1].Next = all[i-1], l
		}
		l.Articles = articles[i*size : min(len(articles), (i+1)*size)]
		l.group = groupYears
		all[i] = l
	}
	return all
}

// linkedYears groups articles by year, each linking to its year's page.
func (s *Site) linkedYears(articles []*Article) []*Year {
	years := yearsOf(articles)
	for _, y := range years {
		y.Page = s.yearPage(y.Year)
	}
	return years
}

// paginateAll splits every year, tag and party into pages, and picks the
// events the timeline page shows.
func (s *Site) paginateAll() {
	for _, y := range s.Years {
		s.paginateYear(y)
	}
	for _, t := range append(s.Tags[:len(s.Tags):len(s.Tags)], s.Parties...) {
		s.paginateTerm(t)
	}
	s.pickLatest()
}

func (s *Site) paginateYear(y *Year) {
	y.Pages = s.paginate(y.Page, y.Articles, s.Limits.PageEvents, nil)
}

func (s *Site) paginateTerm(t *Term) {
	t.Pages = s.paginate(t.Page, t.Articles, s.Limits.PageEvents, s.linkedYears)
	if len(t.Pages) == 1 {
		t.Pages[0].years = t.Years // the same groups: share them
	}
}

// pickLatest picks the events the timeline page shows, when not all.
func (s *Site) pickLatest() {
	s.latest = nil
	if !s.HomeShowsAll() {
		s.latest = s.Latest()
	}
}

// Listings is the pages of the year's events: Pages, or for a Year not
// made by New, one page of them all.
func (y *Year) Listings() []*Listing {
	if y.Pages != nil {
		return y.Pages
	}
	return onePage(y.Page, y.Articles, nil)
}

// Listings is the pages of the term's events: Pages, or for a Term not
// made by New, one page of them all.
func (t *Term) Listings() []*Listing {
	if t.Pages != nil {
		return t.Pages
	}
	return onePage(t.Page, t.Articles, t.Years)
}

func onePage(p Page, articles []*Article, years []*Year) []*Listing {
	l := &Listing{Number: 1, Page: p, Articles: articles, years: years}
	l.all = []*Listing{l}
	return l.all
}

// limits are s.Limits, or the defaults in a Site not made by New.
func (s *Site) limits() Limits { return s.Limits.withDefaults() }

// HomeShowsAll reports whether the timeline page lists every event;
// otherwise it lists the newest (see Latest) and a year index.
func (s *Site) HomeShowsAll() bool { return len(s.Articles) <= s.limits().HomeEvents }

// LatestCount is how many events the timeline page lists.
func (s *Site) LatestCount() int { return min(len(s.Articles), s.limits().HomeEvents) }

// Latest is what the timeline page lists, grouped by year: Years itself
// when it lists every event, else the newest Limits.HomeEvents events.
func (s *Site) Latest() []*Year {
	switch {
	case s.HomeShowsAll():
		return s.Years
	case s.latest != nil:
		return s.latest
	}
	return s.linkedYears(s.Articles[len(s.Articles)-s.LatestCount():])
}
