package render

import (
	"html/template"

	"github.com/dealsite/dealsite/internal/site"
)

// Page is the data every page template receives as dot. Its model
// objects are views (see SiteView), which record what the page reads.
type Page struct {
	Site *SiteView
	// Kind is "home", "article", "year", "years", "tag", "tags",
	// "party", "parties", "search" or "404".
	Kind    string
	Title   string // page title; the site title on the home page
	Summary string // meta description
	site.Page
	Article *ArticleView // on "article" pages
	Term    *TermView    // on "tag" and "party" pages
	Terms   []*TermView  // on "tags" and "parties" pages
	Year    *YearView    // on "year" pages
	// Listing is the page of the year's, tag's or party's events shown
	// on this page (all of them unless the list spans several pages).
	Listing *ListingView
	Feed    site.Page     // the Atom feed for this page (the site's, or the tag's)
	Chart   template.HTML // the events-per-year chart, on the home page
	JSONLD  template.JS   // structured data (schema.org), or empty
	// Image is the picture a shared link to the page shows (og:image):
	// an article's lead image or its card, the site's card on other
	// pages; nil on the 404 page and without cards.
	Image *SocialImage
}

// Link returns the root-relative URL of a path under the base URL, for
// assets and fixed pages: {{.Link "css/style.css"}}.
func (p Page) Link(rel string) string { return p.Site.BasePath + rel }

// Absolute returns the absolute URL of a path under the base URL.
func (p Page) Absolute(rel string) string { return p.Site.BaseURL + rel }
