package render

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"time"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/site"
)

// The sitemaps protocol (sitemaps.org, schema 0.9) allows one sitemap
// file at most 50,000 URLs (site.Limits.SitemapURLs) and 50 MB
// uncompressed. A site that fits gets one sitemap.xml; a larger one gets
// a sitemap index at sitemap.xml pointing to sitemap-1.xml,
// sitemap-2.xml… so that robots.txt and crawlers always start at the
// same file.
const sitemapMaxBytes = 50 * 1024 * 1024

// sitemapNS is the namespace of sitemaps and sitemap indexes.
const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// sitemapFile is one file of a site's sitemap: its output path and,
// for a urlset, its URLs; an index has none.
type sitemapFile struct {
	path string
	urls []sitemapURL
}

// planSitemaps splits urls into files of at most s.Limits.SitemapURLs
// URLs and maxBytes bytes each. One file is sitemap.xml itself; more
// are sitemap-1.xml… after an index (first, with no URLs) at sitemap.xml.
func planSitemaps(s *site.Site, urls []sitemapURL, maxBytes int) []sitemapFile {
	chunks := splitURLs(urls, s.Limits.SitemapURLs, maxBytes)
	if len(chunks) == 1 {
		return []sitemapFile{{path: "sitemap.xml", urls: chunks[0]}}
	}
	files := []sitemapFile{{path: "sitemap.xml"}}
	for i, c := range chunks {
		files = append(files, sitemapFile{path: "sitemap-" + strconv.Itoa(i+1) + ".xml", urls: c})
	}
	return files
}

// bytes encodes one file of the plan files: a urlset, or the index of
// the others.
func (f sitemapFile) bytes(s *site.Site, files []sitemapFile) []byte {
	if len(files) == 1 || f.path != "sitemap.xml" {
		return encodeURLSet(f.urls)
	}
	var index sitemapIndex
	for _, other := range files[1:] {
		index.Sitemaps = append(index.Sitemaps, sitemapURL{Loc: s.BaseURL + other.path, LastMod: newestMod(other.urls)})
	}
	return marshalXML(index)
}

// encodeURLSet is marshalXML(urlSet{URLs: urls}), written by hand:
// encoding/xml finds each field of each of thousands of URLs by
// reflection, which cost more than the rest of an add/delete rebuild's
// data files together. TestEncodeURLSetIsMarshalXML keeps them equal.
func encodeURLSet(urls []sitemapURL) []byte {
	size := sitemapOverhead
	for _, u := range urls {
		size += entrySize(u)
	}
	var buf bytes.Buffer
	buf.Grow(size)
	buf.WriteString(xml.Header + `<urlset xmlns="` + sitemapNS + `">`)
	for _, u := range urls {
		buf.WriteString("\n  <url>\n    <loc>")
		xml.EscapeText(&buf, []byte(u.Loc)) // a bytes.Buffer does not fail
		buf.WriteString("</loc>")
		if u.LastMod != "" {
			buf.WriteString("\n    <lastmod>")
			xml.EscapeText(&buf, []byte(u.LastMod))
			buf.WriteString("</lastmod>")
		}
		buf.WriteString("\n  </url>")
	}
	if len(urls) > 0 {
		buf.WriteByte('\n')
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes()
}

// newestMod is the latest lastmod of urls (days sort as text), or "".
func newestMod(urls []sitemapURL) string {
	newest := ""
	for _, u := range urls {
		newest = max(newest, u.LastMod)
	}
	return newest
}

// sitemapOverhead bounds the bytes of a urlset around its entries: the
// XML declaration and the root element.
const sitemapOverhead = len(xml.Header) + len(`<urlset xmlns="`+sitemapNS+`">`) + len("\n</urlset>\n")

// splitURLs cuts urls, in order, into runs that each encode to at most
// maxURLs entries and maxBytes bytes. It always returns one run at least.
func splitURLs(urls []sitemapURL, maxURLs, maxBytes int) [][]sitemapURL {
	chunks := [][]sitemapURL{}
	start, size := 0, sitemapOverhead
	for i, u := range urls {
		n := entrySize(u)
		if i > start && (i-start == maxURLs || size+n > maxBytes) {
			chunks = append(chunks, urls[start:i])
			start, size = i, sitemapOverhead
		}
		size += n
	}
	return append(chunks, urls[start:])
}

// entrySize is the number of bytes marshalXML writes for one <url>.
func entrySize(u sitemapURL) int {
	n := len("\n  <url>\n    <loc></loc>\n  </url>") + escapedLen(u.Loc)
	if u.LastMod != "" {
		n += len("\n    <lastmod></lastmod>") + escapedLen(u.LastMod)
	}
	return n
}

// escapedLen is the length of s as encoding/xml escapes character data.
func escapedLen(s string) int {
	n := len(s)
	for _, c := range []byte(s) {
		switch c {
		case '"':
			n += len("&#34;") - 1
		case '\'':
			n += len("&#39;") - 1
		case '&':
			n += len("&amp;") - 1
		case '<', '>':
			n += len("&lt;") - 1
		case '\t', '\n', '\r':
			n += len("&#x9;") - 1
		}
	}
	return n
}

// sitemapURLs lists the absolute URL of every page but the 404 page:
// each page of a paged list right after its first page.
func sitemapURLs(s *site.Site) []sitemapURL {
	var urls []sitemapURL
	add := func(p site.Page, lastmod string) {
		urls = append(urls, sitemapURL{Loc: p.Permalink, LastMod: lastmod})
	}
	addPages := func(pages []*site.Listing) {
		for _, l := range pages[1:] {
			add(l.Page, lastDay(l.Articles))
		}
	}
	newest := lastDay(s.Articles)
	add(s.Home(), newest)
	for _, a := range s.Articles {
		add(a.Page, sitemapDay(a.Date))
	}
	add(s.YearIndex(), newest)
	for _, y := range s.Years {
		add(y.Page, lastDay(y.Articles))
		addPages(y.Listings())
	}
	for _, index := range []struct {
		page  site.Page
		terms []*site.Term
	}{{s.TagIndex(), s.Tags}, {s.PartyIndex(), s.Parties}} {
		add(index.page, newest)
		for _, t := range index.terms {
			add(t.Page, lastDay(t.Articles))
			addPages(t.Listings())
		}
	}
	return urls
}

// sitemapDay is the day written, as a sitemap's lastmod.
func sitemapDay(d content.Date) string {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC).Format("2006-01-02")
}

// lastDay is the date of the newest of articles (in time order), or "".
func lastDay(articles []*site.Article) string {
	if len(articles) == 0 {
		return ""
	}
	return sitemapDay(articles[len(articles)-1].Date)
}
