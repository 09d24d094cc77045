package render

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"time"

	"github.com/dealsite/dealsite/internal/content"
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
	Content   *atomText `xml:"content,omitempty"`
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

// Feed is an Atom feed of the newest of articles (in time order), newest
// first, with absolute URLs. Its updated time is the newest event's
// date, never the clock, so equal input gives an equal feed.
//
// With full, entries carry the whole article; without, only the summary
// and the link (tag feeds: a site with hundreds of tags would otherwise
// encode every body hundreds of times).
func Feed(s *site.Site, title string, self, alternate site.Page, articles []*site.Article, full bool) ([]byte, error) {
	f := atomFeed{
		Lang:  s.Language,
		Title: title,
		ID:    alternate.Permalink,
		Links: []atomLink{
			{Href: self.Permalink, Rel: "self", Type: "application/atom+xml"},
			{Href: alternate.Permalink, Rel: "alternate", Type: "text/html"},
		},
		Author:  &atomAuthor{Name: cmp.Or(s.Author, s.Title)},
		Updated: atomTime(time.Unix(0, 0)),
	}
	for i := len(articles) - 1; i >= 0 && len(f.Entries) < feedLimit; i-- {
		e, err := entry(articles[i], full)
		if err != nil {
			return nil, err
		}
		f.Entries = append(f.Entries, e)
	}
	if len(f.Entries) > 0 {
		f.Updated = f.Entries[0].Updated
	}
	return marshalXML(f), nil
}

func entry(a *site.Article, full bool) (atomEntry, error) {
	e := atomEntry{
		Title:     a.Title,
		ID:        a.Permalink,
		Link:      atomLink{Href: a.Permalink, Rel: "alternate", Type: "text/html"},
		Published: atomDate(a.Date),
		Updated:   atomDate(a.Date),
		Summary:   a.Summary,
	}
	if full {
		// Relative links in the body (#section, /base/path) resolve
		// against the article's own page.
		body, err := a.Body()
		if err != nil {
			return e, err
		}
		e.Content = &atomText{Type: "html", Base: a.Permalink, Body: string(body)}
	}
	for _, t := range a.Tags {
		e.Category = append(e.Category, atomCat{Term: t.Name})
	}
	return e, nil
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// atomDate is an event's date as an Atom timestamp: the time written, in
// the offset written, so that the day a reader sees is the day written
// and the feed's order (the site's, newest first) agrees with its dates;
// midnight UTC for a date without a time.
func atomDate(d content.Date) string { return d.Instant().Format(time.RFC3339) }

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
