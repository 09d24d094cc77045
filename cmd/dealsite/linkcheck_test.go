// A link checker over the real bundled site (the repository root), built
// by the real binary at the site's own base URL and under a sub-path.
package main_test

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	dsbuild "github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/corpus"
	"github.com/dealsite/dealsite/internal/site"
	"github.com/dealsite/dealsite/layouts"
	"github.com/dealsite/dealsite/static"
)

func TestBundledSiteLinks(t *testing.T) {
	t.Parallel()
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if !exists(filepath.Join(repo, "content", "_index.md")) {
		t.Fatalf("%s is not the bundled site", repo)
	}
	for _, tc := range []struct {
		name string
		base string // -base-url, or "" for the site's base_url
	}{
		{"site base_url", ""},
		{"sub-path base URL", "https://example.org/deals/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "public")
			args := []string{"build", "-site", repo, "-out", out}
			if tc.base != "" {
				args = append(args, "-base-url", tc.base)
			}
			r := runIn(t, repo, args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("building the bundled site:\n%s", r)
			}
			s := parseSummary(t, r.stdout)
			if s.articles < 4 || s.tags < 1 {
				t.Errorf("bundled site built only %+v", s)
			}
			base := tc.base
			if base == "" {
				base = canonicalOf(t, filepath.Join(out, "index.html"))
			}
			lc := newLinkChecker(t, out, base)
			lc.checkAll()
			if lc.checked < 100 {
				t.Errorf("only %d links checked; is the extraction broken?", lc.checked)
			}
			if problems := lc.report(); len(problems) > 0 {
				t.Errorf("%d broken links (of %d checked):\n%s", len(problems), lc.checked, strings.Join(problems, "\n"))
			}
		})
	}
}

// TestLargeGeneratedSiteLinks checks every link of a generated site
// built above every page limit (made small here, as the defaults are to
// a history of tens of thousands of events): paged lists, the year
// index of the timeline page and the sitemap index.
func TestLargeGeneratedSiteLinks(t *testing.T) {
	t.Parallel()
	siteDir := t.TempDir()
	if err := corpus.WriteDir(siteDir, 400, 5); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	opts := dsbuild.Options{Theme: defaultThemeForTests, Limits: site.Limits{PageEvents: 6, HomeEvents: 25, SitemapURLs: 200}}
	if _, _, err := dsbuild.BuildTo(context.Background(), os.DirFS(siteDir), opts, out); err != nil {
		t.Fatal(err)
	}
	if !exists(filepath.Join(out, "sitemap-2.xml")) || !exists(filepath.Join(out, "years", "2013", "page", "2", "index.html")) {
		t.Fatal("the generated site is not paged: raise its size or lower its limits")
	}
	lc := newLinkChecker(t, out, corpus.BaseURL)
	lc.checkAll()
	if problems := lc.report(); len(problems) > 0 {
		t.Errorf("%d broken links (of %d checked):\n%s", len(problems), lc.checked, strings.Join(problems, "\n"))
	}
}

var defaultThemeForTests = dsbuild.Theme{Layouts: layouts.FS, Static: static.FS}

var canonicalRE = regexp.MustCompile(`<link rel="canonical" href="([^"]+)"`)

// canonicalOf returns the canonical URL of a page: for the home page, the
// base URL the site was built with.
func canonicalOf(t *testing.T, page string) string {
	t.Helper()
	m := canonicalRE.FindStringSubmatch(readFile(t, page))
	if m == nil {
		t.Fatalf("%s has no canonical link", page)
	}
	return html.UnescapeString(m[1])
}

// linkChecker maps every link of a built site to a file of the output.
type linkChecker struct {
	t        *testing.T
	out      string
	base     *url.URL
	absolute *regexp.Regexp // absolute URLs on the site's host
	ids      map[string]map[string]int
	problems []string
	checked  int
}

func newLinkChecker(t *testing.T, out, base string) *linkChecker {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || !strings.HasSuffix(u.Path, "/") {
		t.Fatalf("bad base URL %q", base)
	}
	return &linkChecker{
		t: t, out: out, base: u,
		absolute: regexp.MustCompile(`https?://` + regexp.QuoteMeta(u.Host) + `(?:[/?#][^"'\s<>\\]*)?`),
		ids:      map[string]map[string]int{},
	}
}

// report returns the problems found, sorted, each once (a link can be
// seen both as an attribute and as an absolute URL).
func (lc *linkChecker) report() []string {
	p := slices.Clone(lc.problems)
	slices.Sort(p)
	return slices.Compact(p)
}

func (lc *linkChecker) problem(from, link, format string, args ...any) {
	lc.problems = append(lc.problems, fmt.Sprintf("%s: %q: %s", from, link, fmt.Sprintf(format, args...)))
}

// pageURL is the URL a file of the output is served at.
func (lc *linkChecker) pageURL(rel string) *url.URL {
	if path.Base(rel) == "index.html" {
		rel = strings.TrimSuffix(rel, "index.html")
	}
	u := *lc.base
	u.Path, u.RawPath = lc.base.Path+rel, ""
	return &u
}

// checkAll checks every file of the output.
func (lc *linkChecker) checkAll() {
	var files []string
	err := filepath.WalkDir(lc.out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(lc.out, p)
		if rel = filepath.ToSlash(rel); rel != lockFile {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		lc.t.Fatal(err)
	}
	var pages []string
	for _, rel := range files {
		b, err := os.ReadFile(filepath.Join(lc.out, filepath.FromSlash(rel)))
		if err != nil {
			lc.t.Fatal(err)
		}
		text := string(b)
		switch {
		case strings.HasSuffix(rel, ".html"):
			pages = append(pages, rel)
			for id, n := range lc.idsOf(rel) {
				if n > 1 {
					lc.problem(rel, "#"+id, "id used %d times in the page", n)
				}
			}
			for _, v := range urlAttrs(text) {
				lc.check(rel, v, lc.pageURL(rel))
			}
		case strings.HasSuffix(rel, ".xml"):
			lc.checkXML(rel, b)
		}
		if strings.HasSuffix(rel, ".html") || strings.HasSuffix(rel, ".xml") || strings.HasSuffix(rel, ".json") || strings.HasSuffix(rel, ".ndjson") || strings.HasSuffix(rel, ".txt") {
			// Absolute URLs anywhere: canonical and Open Graph tags,
			// JSON-LD, feeds, the sitemaps, the data exports, robots.txt.
			for _, v := range lc.absolute.FindAllString(html.UnescapeString(text), -1) {
				lc.check(rel, v, lc.base)
			}
		}
	}
	lc.checkSitemap(pages)
}

// check resolves link as found in file from (whose URL is at) and checks
// that it names a file of the output, and an element of it if it has a
// fragment. Links to other hosts, mailto: and tel: are not checked.
func (lc *linkChecker) check(from, link string, at *url.URL) {
	lc.checked++
	if strings.TrimSpace(link) == "" {
		lc.problem(from, link, "empty link")
		return
	}
	ref, err := url.Parse(strings.TrimSpace(link))
	if err != nil {
		lc.problem(from, link, "%v", err)
		return
	}
	u := at.ResolveReference(ref)
	switch u.Scheme {
	case "mailto", "tel":
		return
	case "http", "https":
	default:
		lc.problem(from, link, "scheme %q", u.Scheme)
		return
	}
	if u.Host != lc.base.Host {
		return
	}
	if u.Scheme != lc.base.Scheme {
		lc.problem(from, link, "scheme is not the base URL's %s", lc.base.Scheme)
	}
	rel, ok := strings.CutPrefix(u.Path, lc.base.Path)
	if !ok {
		lc.problem(from, link, "outside the base path %s", lc.base.Path)
		return
	}
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	info, err := os.Stat(filepath.Join(lc.out, filepath.FromSlash(rel)))
	switch {
	case err != nil:
		lc.problem(from, link, "no file %s in the output", rel)
		return
	case !info.Mode().IsRegular():
		lc.problem(from, link, "%s is not a file", rel)
		return
	}
	if u.Fragment != "" {
		if !strings.HasSuffix(rel, ".html") {
			lc.problem(from, link, "fragment on %s, which is not a page", rel)
		} else if lc.idsOf(rel)[u.Fragment] == 0 {
			lc.problem(from, link, "%s has no element with id %q", rel, u.Fragment)
		}
	}
}

var idRE = regexp.MustCompile(`\sid\s*=\s*"([^"]*)"`)

// idsOf counts the ids of the elements of a page.
func (lc *linkChecker) idsOf(rel string) map[string]int {
	if ids, ok := lc.ids[rel]; ok {
		return ids
	}
	ids := map[string]int{}
	b, err := os.ReadFile(filepath.Join(lc.out, filepath.FromSlash(rel)))
	if err == nil {
		// Only in tags: drop comments and script contents first.
		page := regexp.MustCompile(`(?s)<!--.*?-->|<script[^>]*>.*?</script>`).ReplaceAllString(string(b), "")
		for _, m := range idRE.FindAllStringSubmatch(page, -1) {
			ids[html.UnescapeString(m[1])]++
		}
	}
	lc.ids[rel] = ids
	return ids
}

// checkXML checks that a feed or the sitemap is well-formed XML, and the
// links inside a feed's HTML content, resolved against its xml:base.
func (lc *linkChecker) checkXML(rel string, b []byte) {
	dec := xml.NewDecoder(strings.NewReader(string(b)))
	dec.Strict = true
	var root string
	var xmlBase []string // xml:base of the open elements
	var inContent int    // depth inside an Atom content element
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			lc.problem(rel, "", "not well-formed XML: %v", err)
			return
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Space + " " + tok.Name.Local
			}
			b := ""
			if len(xmlBase) > 0 {
				b = xmlBase[len(xmlBase)-1]
			}
			for _, a := range tok.Attr {
				if a.Name.Local == "base" && a.Name.Space == "http://www.w3.org/XML/1998/namespace" {
					b = a.Value
				}
			}
			xmlBase = append(xmlBase, b)
			if tok.Name.Local == "content" {
				inContent++
			}
		case xml.EndElement:
			xmlBase = xmlBase[:len(xmlBase)-1]
			if tok.Name.Local == "content" {
				inContent--
			}
		case xml.CharData:
			if inContent == 0 {
				continue
			}
			at := lc.base
			if b := xmlBase[len(xmlBase)-1]; b != "" {
				u, err := url.Parse(b)
				if err != nil {
					lc.problem(rel, b, "bad xml:base: %v", err)
					continue
				}
				at = lc.base.ResolveReference(u)
			}
			for _, v := range urlAttrs(string(tok)) {
				lc.check(rel+" (entry content)", v, at)
			}
		}
	}
	switch {
	case rel == "sitemap.xml" && root != "http://www.sitemaps.org/schemas/sitemap/0.9 urlset" && root != "http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex":
		lc.problem(rel, "", "root element is %q, not a sitemap urlset or index", root)
	case strings.HasPrefix(rel, "sitemap-") && root != "http://www.sitemaps.org/schemas/sitemap/0.9 urlset":
		lc.problem(rel, "", "root element is %q, not a sitemap urlset", root)
	case path.Base(rel) == "feed.xml" && root != "http://www.w3.org/2005/Atom feed":
		lc.problem(rel, "", "root element is %q, not an Atom feed", root)
	}
}

// checkSitemap decodes the sitemap, or the sitemap index and the
// sitemaps it lists: every <loc> is an absolute URL under the base URL
// naming a file of the output, and every page but the 404 page and the
// search page is listed once.
func (lc *linkChecker) checkSitemap(pages []string) {
	listed := map[string]bool{}
	var set sitemapXML
	if !lc.readSitemap("sitemap.xml", &set) {
		return
	}
	for _, sm := range set.Sitemaps {
		lc.checkLoc("sitemap.xml", sm.Loc, map[string]bool{})
		var sub sitemapXML
		if lc.readSitemap(strings.TrimPrefix(sm.Loc, lc.base.String()), &sub) {
			set.URLs = append(set.URLs, sub.URLs...)
		}
	}
	for _, u := range set.URLs {
		lc.checkLoc("sitemap.xml", u.Loc, listed)
	}
	for _, p := range pages {
		if p == "404.html" || p == "search/index.html" { // the search page is noindex
			continue
		}
		if u := lc.pageURL(p).String(); !listed[u] {
			lc.problem("sitemap.xml", u, "page %s is not listed", p)
		}
	}
}

// sitemapXML is a sitemap urlset or a sitemap index.
type sitemapXML struct {
	URLs []struct {
		Loc string `xml:"loc"`
	} `xml:"url"`
	Sitemaps []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
}

func (lc *linkChecker) readSitemap(rel string, into *sitemapXML) bool {
	b, err := os.ReadFile(filepath.Join(lc.out, filepath.FromSlash(rel)))
	if err == nil {
		err = xml.Unmarshal(b, into)
	}
	if err != nil {
		lc.problem(rel, "", "%v", err)
		return false
	}
	return true
}

// checkLoc checks one <loc> of a sitemap and records it in listed.
func (lc *linkChecker) checkLoc(rel, loc string, listed map[string]bool) {
	if !strings.HasPrefix(loc, lc.base.String()) {
		lc.problem(rel, loc, "<loc> is not under %s", lc.base)
	}
	lc.check(rel, loc, lc.base)
	if listed[loc] {
		lc.problem(rel, loc, "listed twice")
	}
	listed[loc] = true
}

// TestLinkChecker checks the checker on a hand-made output folder, so a
// broken extraction cannot pass the bundled site silently.
func TestLinkChecker(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	page := func(body string) string {
		return `<!DOCTYPE html><html><head><link rel="canonical" href="https://example.org/deals/"></head><body><main id="main">` + body + `</main></body></html>`
	}
	writeFiles(t, out, map[string]string{
		"index.html": page(`<a href="#main">ok</a> <a href="/deals/a/">ok</a> <a href="a/#x">ok</a> <a href="https://other.example/">external</a>
<a href="mailto:a@b.c">mail</a> <img src="/deals/img/p.png"> <a href="/deals/missing/">broken</a> <a href="/other/">outside</a>
<a href="">empty</a> <a href="a/#nope">no such id</a> <a href="javascript:x()">scheme</a> <a href="https://example.org/deals/b/">absolute broken</a>`),
		"a/index.html": page(`<h2 id="x">X</h2><h2 id="x">again</h2>`),
		"img/p.png":    "png",
		"404.html":     page(""),
		"sitemap.xml": `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.org/deals/</loc></url><url><loc>https://example.org/deals/gone/</loc></url></urlset>`,
		"feed.xml": `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html" xml:base="https://example.org/deals/a/">&lt;a href=&#34;#x&#34;&gt;ok&lt;/a&gt; &lt;a href=&#34;#y&#34;&gt;broken&lt;/a&gt;</content></entry></feed>`,
		"tags/t/feed.xml": `<feed xmlns="http://www.w3.org/2005/Atom"><unclosed></feed>`,
	})
	lc := newLinkChecker(t, out, canonicalOf(t, filepath.Join(out, "index.html")))
	lc.checkAll()
	problems := lc.report()
	want := []string{
		`a/index.html: "#x": id used 2 times in the page`,
		`feed.xml (entry content): "#y": a/index.html has no element with id "y"`,
		`index.html: "": empty link`,
		`index.html: "/deals/missing/": no file missing/index.html in the output`,
		`index.html: "/other/": outside the base path /deals/`,
		`index.html: "a/#nope": a/index.html has no element with id "nope"`,
		`index.html: "https://example.org/deals/b/": no file b/index.html in the output`,
		`index.html: "javascript:x()": scheme "javascript"`,
		`sitemap.xml: "https://example.org/deals/a/": page a/index.html is not listed`,
		`sitemap.xml: "https://example.org/deals/gone/": no file gone/index.html in the output`,
	}
	var got []string
	for _, p := range problems {
		if !strings.HasPrefix(p, "tags/t/feed.xml") {
			got = append(got, p)
		}
	}
	if len(got) == len(problems) {
		t.Error("malformed tags/t/feed.xml not reported")
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
