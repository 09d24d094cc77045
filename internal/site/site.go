// Package site turns loaded content into the model every page is rendered
// from: published articles in time order (the order of the dates as
// written: see content.Date.Compare), grouped by year, era, tag and
// party, with URLs, slugs, previous/next and related links decided once.
// It is data transformation: no clock, deterministic for the same input,
// no step quadratic in the number of articles, and no I/O of its own but
// one: a body the loader set aside in a content.Spill (a one-shot build
// of a large site) is read back from the caller's scratch file when
// Article.Body is called.
//
// New makes a model from scratch. Update makes the next one from the
// last (watch and serve): when the articles that changed keep their
// place (same dates, titles, slugs, tags, parties…), it replaces what
// they show in the last model itself; a few articles added, deleted or
// moved in time are taken out and put in again where they stay within
// the last model's years and terms; it falls back to New otherwise.
// Either way the result is what New would make; a seeded property test
// holds it to that. An update in place lists the objects it restamped
// (Site.Restamped), so that a renderer need not compare the revisions
// of every object to find the few that changed; the same test holds
// that list to every revision that differs.
package site

import (
	"cmp"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
)

// Options are the build options that change the model.
type Options struct {
	// BaseURL overrides the base_url setting; normalized by
	// content.NormalizeBaseURL.
	BaseURL string
	// Drafts includes articles marked draft: true, to publish them.
	Drafts bool
	// ReviewDrafts includes drafts to list and check them, not to
	// publish them (dealsite list and check). A problem with a draft's
	// own links then blocks nothing yet: it is a warning, returned by
	// Site.Warnings, where Drafts makes it an error.
	ReviewDrafts bool
	// Memo, when set, carries work from one New to the next (watch and
	// serve); the Site is the same with or without it.
	Memo *Memo
	// Limits bound how many events a page lists; see Limits.
	Limits Limits
}

// Memo remembers each article's body with its links resolved, by the
// parsed article and the URLs its links point to: a rebuild after one
// edit would otherwise copy every body of the site again.
type Memo struct {
	mu     sync.Mutex
	bodies map[*content.Article]resolvedBody
}

type resolvedBody struct {
	hrefs []string
	body  template.HTML
}

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{bodies: map[*content.Article]resolvedBody{}} }

// Site is the whole published site.
type Site struct {
	Title       string
	Description string
	Language    string
	Author      string
	BaseURL     string        // absolute, ends in '/': "https://example.org/deals/"
	BasePath    string        // its path, ends in '/': "/deals/"
	Intro       template.HTML // HTML of content/_index.md's body, links resolved
	Articles    []*Article    // published, in time order
	Years       []*Year       // in time order, only years with events
	Eras        []*Era        // as listed in the settings
	Tags        []*Term       // by name, case-insensitively
	Parties     []*Term       // by name, case-insensitively
	Limits      Limits        // with the defaults filled in

	latest []*Year // see Latest

	fixed    *[numFixed]Page // located once by New; nil in a Site made otherwise
	warnings diag.List       // see Warnings

	revs  [numSiteFacets]Revision // see Revision
	index revIndex
	inc   *incremental // for Update; nil in one-shot builds
}

// Warnings are the problems New found that fail nothing: with
// Options.ReviewDrafts, those with drafts' links.
func (s *Site) Warnings() diag.List { return s.warnings }

// Article is a published article with its place in the site.
//
// DateISO and WhenText hold what Date.ISO and When return, worked out
// once: templates print them on every page that lists the article, and
// a field costs html/template less than a method call.
type Article struct {
	Path       string // source file, relative to the site
	Title      string
	Date       content.Date
	EndDate    content.Date // zero unless the event is a period
	DateISO    string       // Date.ISO(), for <time datetime="…">
	WhenText   string       // When(): the date or the period as text
	Weight     int
	Summary    string
	OwnSummary bool // written in front matter, not the body's first paragraph
	Value      string
	Amount     Amount // Value read as a sum of money, when it is one
	Sources    []content.Source
	Slug       string
	Draft      bool
	body       template.HTML // see Body
	hrefs      []string      // the URLs of src.Refs, for a spilled body
	Headings   []content.Heading
	Words      int
	Lead       *content.Image // the lead image (front matter image:), or nil
	Tags       []*Term        // in the order written, duplicates removed
	Parties    []*Term        // in the order written, duplicates removed
	Page
	Year       *Year
	Era        *Era       // the first era containing the date, or nil
	FirstOfEra bool       // EraStarts(), worked out once
	Prev, Next *Article   // neighbours in time; nil at the ends
	Related    []*Article // up to three events sharing tags or parties

	src  *content.Article
	revs [3]Revision // ArticleMeta, ArticleBody, ArticleLinks
}

// Body is the article's HTML, links to other articles resolved. A body
// the loader set aside in a content.Spill is read back and resolved on
// each call (once per build: its page).
func (a *Article) Body() (template.HTML, error) {
	if a.src == nil || !a.src.Spilled() {
		return a.body, nil
	}
	raw, err := a.src.BodyHTML()
	if err != nil {
		return "", err
	}
	if len(a.hrefs) == 0 {
		return template.HTML(raw), nil
	}
	return template.HTML(replaceRefs(raw, a.hrefs)), nil
}

// SourceHash identifies the article file's bytes (see content.Article.Hash).
func (a *Article) SourceHash() [32]byte { return a.src.Hash }

// Images are the pictures the body shows, in order (see
// content.Article.Images); the body's revision covers them.
func (a *Article) Images() []content.Image {
	if a.src == nil {
		return nil
	}
	return a.src.Images
}

// Resources are the other files of the article's folder its body links
// to (see content.Article.Resources).
func (a *Article) Resources() []string {
	if a.src == nil {
		return nil
	}
	return a.src.Resources
}

// When shows the event's date, or its period: "February 2011 – April 2014".
func (a *Article) When() string { return content.Range(a.Date, a.EndDate) }

// Page locates one generated page.
type Page struct {
	// Rel is the page's folder relative to the base URL, unescaped
	// ("articles/sale/"); "" for the home page.
	Rel string
	// URL is the root-relative link to the page, escaped ("/deals/articles/sale/").
	URL string
	// Permalink is the absolute URL.
	Permalink string
}

// Year groups the articles written in one calendar year, whatever the
// offset of their times.
type Year struct {
	Year     int
	Articles []*Article
	Page
	Prev, Next *Year // neighbouring years with events
	// Pages splits Articles into pages of at most Limits.PageEvents;
	// the first is at Page. Empty in the years of a Term or of Latest.
	Pages []*Listing

	id  string // the year, in a year of the site's own; else ""
	rev Revision
}

// Era is a named period from the settings with the events inside it.
type Era struct {
	Title      string
	Start, End content.Date
	WhenText   string // When(), worked out once like Article.WhenText
	Slug       string
	Articles   []*Article

	rev Revision // of Articles
}

// When shows the era's period.
func (e *Era) When() string { return content.Range(e.Start, e.End) }

// New builds the model. Every problem (missing base URL, slug
// collisions, links to missing articles) is returned as one diag.List.
func New(c *content.Content, opts Options) (*Site, error) {
	var diags diag.List
	s := &Site{
		Title:       c.Settings.Title,
		Description: c.Settings.Description,
		Language:    c.Settings.Language,
		Author:      c.Settings.Author,
		Limits:      opts.Limits.withDefaults(),
	}
	s.setBaseURL(c.Settings.BaseURL, opts.BaseURL, slices.Contains(c.Broken, content.SettingsPath), &diags)
	s.locateFixed()
	checkSlugs(c.Articles, &diags)
	s.Articles = s.publish(c.Articles, opts.Drafts || opts.ReviewDrafts)
	s.Years = s.groupYears()
	s.Tags = s.group(tagTaxonomy)
	s.Parties = s.group(partyTaxonomy)
	s.Eras = s.placeEras(c.Settings.Eras)
	s.paginateAll()
	diags.Merge(relate(s.Articles))
	links, bodies := s.resolveLinks(c, opts, &diags)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	s.stamp()
	opts.Memo.replace(bodies)
	s.remember(c, opts, links)
	return s, nil
}

func (s *Site) setBaseURL(setting, override string, settingsBroken bool, diags *diag.List) {
	base := cmp.Or(override, setting)
	if base == "" && !settingsBroken {
		diags.Addf(diag.NoBaseURL, content.SettingsPath, 0, "base_url is not set: add base_url: \"https://example.org/\" to the site settings or pass -base-url")
	}
	if base == "" {
		base = "http://localhost/" // keeps building to find more problems
	}
	u, err := url.Parse(base)
	if err != nil {
		diags.Addf(diag.BadBaseURL, content.SettingsPath, 0, "%v", err)
		u = &url.URL{Path: "/"}
	}
	s.BaseURL, s.BasePath = base, u.EscapedPath()
}

// page locates the page whose folder (or file) is rel.
func (s *Site) page(rel string) Page {
	escaped := escapePath(rel)
	return Page{Rel: rel, URL: s.BasePath + escaped, Permalink: s.BaseURL + escaped}
}

// fixed names a page every site has. Every page links to most of them,
// so New locates them once instead of each template escaping and joining
// their paths again on every page.
type fixed int

const (
	home fixed = iota
	tagIndex
	partyIndex
	yearIndex
	feed
	timelineJSON
	notFound
	numFixed
)

// fixedRels are the fixed pages' folders or files.
var fixedRels = [numFixed]string{
	home: "", tagIndex: "tags/", partyIndex: "parties/", yearIndex: "years/",
	feed: "feed.xml", timelineJSON: "timeline.json", notFound: "404.html",
}

func (s *Site) locateFixed() {
	s.fixed = new([numFixed]Page)
	for f, rel := range fixedRels {
		s.fixed[f] = s.page(rel)
	}
}

// fixedPage returns a fixed page, located now if s was not made by New.
func (s *Site) fixedPage(f fixed) Page {
	if s.fixed == nil {
		return s.page(fixedRels[f])
	}
	return s.fixed[f]
}

// Home is the timeline page.
func (s *Site) Home() Page { return s.fixedPage(home) }

// TagIndex is the page listing every tag.
func (s *Site) TagIndex() Page { return s.fixedPage(tagIndex) }

// PartyIndex is the page listing every party.
func (s *Site) PartyIndex() Page { return s.fixedPage(partyIndex) }

// YearIndex is the page listing every year.
func (s *Site) YearIndex() Page { return s.fixedPage(yearIndex) }

// Feed is the site's Atom feed.
func (s *Site) Feed() Page { return s.fixedPage(feed) }

// TimelineJSON is the JSON export of every event.
func (s *Site) TimelineJSON() Page { return s.fixedPage(timelineJSON) }

// NotFound is the 404 page (served for any missing path, so its links
// are root-relative like every other page's).
func (s *Site) NotFound() Page { return s.fixedPage(notFound) }

func escapePath(rel string) string {
	segments := strings.Split(rel, "/")
	for i, seg := range segments {
		segments[i] = url.PathEscape(seg)
	}
	return strings.Join(segments, "/")
}

// checkSlugs reports articles sharing a slug, naming both files.
func checkSlugs(articles []*content.Article, diags *diag.List) {
	first := map[string]string{}
	for _, a := range articles { // sorted by path, so "first" is stable
		if other, taken := first[a.Slug]; taken {
			diags.Addf(diag.DuplicateSlug, a.Path, 0, "slug %q is also used by %s: give one of them a different slug field", a.Slug, other)
			continue
		}
		first[a.Slug] = a.Path
	}
}
