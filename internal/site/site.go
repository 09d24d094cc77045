// Package site turns loaded content into the model every page is rendered
// from: published articles in time order, grouped by year and by tag,
// with URLs, slugs and previous/next links decided once. It is pure data
// transformation: no I/O, no clock, deterministic for the same input.
package site

import (
	"cmp"
	"html/template"
	"net/url"
	"slices"
	"strings"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
)

// Options are the build options that change the model.
type Options struct {
	// BaseURL overrides the base_url setting; normalized by
	// content.NormalizeBaseURL.
	BaseURL string
	// Drafts includes articles marked draft: true.
	Drafts bool
}

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
	Years       []*Year       // in time order
	Tags        []*Tag        // by name, case-insensitively
}

// Article is a published article with its place in the site.
type Article struct {
	Path    string // source file, relative to the site
	Title   string
	Date    content.Date
	Summary string
	Parties []string
	Value   string
	Sources []content.Source
	Slug    string
	Draft   bool
	Body    template.HTML // HTML, links to other articles resolved
	Tags    []*Tag        // in the order written, duplicates removed
	Page
	Prev, Next *Article // neighbours in time; nil at the ends

	src *content.Article
}

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

// Year groups the articles of one calendar year.
type Year struct {
	Year     int
	Articles []*Article
}

// Tag is one tag with the articles carrying it, in time order.
type Tag struct {
	Name string // the first spelling used, in time order
	Slug string
	Page
	Articles []*Article // in time order
	Years    []*Year    // the same articles grouped by year
}

// New builds the model. Every problem (missing base URL, slug
// collisions, links to missing articles) is returned as one diag.List.
func New(c *content.Content, opts Options) (*Site, error) {
	var diags diag.List
	s := &Site{
		Title:       c.Settings.Title,
		Description: c.Settings.Description,
		Language:    c.Settings.Language,
		Author:      c.Settings.Author,
	}
	s.setBaseURL(c.Settings.BaseURL, opts.BaseURL, slices.Contains(c.Broken, content.SettingsPath), &diags)
	checkSlugs(c.Articles, &diags)
	s.Articles = s.publish(c.Articles, opts.Drafts)
	s.Tags = s.groupTags()
	s.Years = groupYears(s.Articles)
	s.resolveLinks(c, &diags)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Site) setBaseURL(setting, override string, settingsBroken bool, diags *diag.List) {
	base := cmp.Or(override, setting)
	if base == "" && !settingsBroken {
		diags.Addf(content.SettingsPath, 0, "base_url is not set: add base_url: \"https://example.org/\" to the site settings or pass -base-url")
	}
	if base == "" {
		base = "http://localhost/" // keeps building to find more problems
	}
	u, err := url.Parse(base)
	if err != nil {
		diags.Addf(content.SettingsPath, 0, "%v", err)
		u = &url.URL{Path: "/"}
	}
	s.BaseURL, s.BasePath = base, u.EscapedPath()
}

// page locates the page whose folder is rel.
func (s *Site) page(rel string) Page {
	escaped := escapePath(rel)
	return Page{Rel: rel, URL: s.BasePath + escaped, Permalink: s.BaseURL + escaped}
}

// Home is the timeline page.
func (s *Site) Home() Page { return s.page("") }

// TagIndex is the page listing every tag.
func (s *Site) TagIndex() Page { return s.page("tags/") }

// NotFound is the 404 page (served for any missing path, so its links
// are root-relative like every other page's).
func (s *Site) NotFound() Page {
	p := s.page("404.html")
	return p
}

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
			diags.Addf(a.Path, 0, "slug %q is also used by %s: give one of them a different slug field", a.Slug, other)
			continue
		}
		first[a.Slug] = a.Path
	}
}

// publish keeps the articles to publish, sorted in time order.
func (s *Site) publish(all []*content.Article, drafts bool) []*Article {
	var out []*Article
	for _, a := range all {
		if a.Draft && !drafts {
			continue
		}
		out = append(out, &Article{
			Path: a.Path, Title: a.Title, Date: a.Date, Summary: a.Summary,
			Parties: a.Parties, Value: a.Value, Sources: a.Sources,
			Slug: a.Slug, Draft: a.Draft,
			Page: s.page("articles/" + a.Slug + "/"),
			src:  a,
		})
	}
	slices.SortStableFunc(out, func(a, b *Article) int {
		return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.Title, b.Title), strings.Compare(a.Slug, b.Slug))
	})
	for i, a := range out {
		if i > 0 {
			a.Prev = out[i-1]
		}
		if i+1 < len(out) {
			a.Next = out[i+1]
		}
	}
	return out
}

func groupYears(articles []*Article) []*Year {
	var years []*Year
	for _, a := range articles {
		y := a.Date.Time.Year()
		if len(years) == 0 || years[len(years)-1].Year != y {
			years = append(years, &Year{Year: y})
		}
		last := years[len(years)-1]
		last.Articles = append(last.Articles, a)
	}
	return years
}
