package render

import (
	"bytes"
	"encoding/xml"
	"time"

	"github.com/dealsite/dealsite/internal/site"
)

// feedLimit is how many of the newest events the Atom feed carries.
const feedLimit = 50

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr,omitempty"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  *atomAuthor `xml:"author,omitempty"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title     string    `xml:"title"`
	ID        string    `xml:"id"`
	Link      atomLink  `xml:"link"`
	Published string    `xml:"published"`
	Updated   string    `xml:"updated"`
	Summary   string    `xml:"summary,omitempty"`
	Content   atomText  `xml:"content"`
	Category  []atomCat `xml:"category"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Base string `xml:"xml:base,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

// Feed is the Atom feed of the newest events, newest first, with absolute
// URLs. Its updated time is the newest event's date, never the clock, so
// equal input gives an equal feed.
func Feed(s *site.Site) []byte {
	f := atomFeed{
		Lang:  s.Language,
		Title: s.Title,
		ID:    s.BaseURL,
		Links: []atomLink{
			{Href: s.BaseURL + "feed.xml", Rel: "self", Type: "application/atom+xml"},
			{Href: s.BaseURL, Rel: "alternate", Type: "text/html"},
		},
		Updated: atomTime(time.Unix(0, 0)),
	}
	if s.Author != "" {
		f.Author = &atomAuthor{Name: s.Author}
	} else {
		f.Author = &atomAuthor{Name: s.Title}
	}
	for i := len(s.Articles) - 1; i >= 0 && len(f.Entries) < feedLimit; i-- {
		f.Entries = append(f.Entries, entry(s, s.Articles[i]))
	}
	if len(f.Entries) > 0 {
		f.Updated = f.Entries[0].Updated
	}
	return marshalXML(f)
}

func entry(s *site.Site, a *site.Article) atomEntry {
	e := atomEntry{
		Title:     a.Title,
		ID:        a.Permalink,
		Link:      atomLink{Href: a.Permalink, Rel: "alternate", Type: "text/html"},
		Published: atomTime(a.Date.Time),
		Updated:   atomTime(a.Date.Time),
		Summary:   a.Summary,
		Content:   atomText{Type: "html", Base: s.BaseURL, Body: string(a.Body)},
	}
	for _, t := range a.Tags {
		e.Category = append(e.Category, atomCat{Term: t.Name})
	}
	return e
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// Sitemap lists the absolute URL of every page but the 404 page.
func Sitemap(s *site.Site) []byte {
	set := urlSet{URLs: []sitemapURL{{Loc: s.Home().Permalink}}}
	if n := len(s.Articles); n > 0 {
		set.URLs[0].LastMod = s.Articles[n-1].Date.Time.Format("2006-01-02")
	}
	for _, a := range s.Articles {
		set.URLs = append(set.URLs, sitemapURL{Loc: a.Permalink, LastMod: a.Date.Time.Format("2006-01-02")})
	}
	set.URLs = append(set.URLs, sitemapURL{Loc: s.TagIndex().Permalink})
	for _, t := range s.Tags {
		set.URLs = append(set.URLs, sitemapURL{Loc: t.Permalink})
	}
	return marshalXML(set)
}

// Robots allows every crawler and points them at the sitemap.
func Robots(s *site.Site) []byte {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + s.BaseURL + "sitemap.xml\n")
}

func marshalXML(v any) []byte {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		// Only unsupported Go types fail to encode; ours are fixed.
		panic("render: encoding XML: " + err.Error())
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}
