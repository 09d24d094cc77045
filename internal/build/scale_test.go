package build

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/url"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dealsite/dealsite/internal/corpus"
	model "github.com/dealsite/dealsite/internal/site"
)

// scaleLimits page a generated site of a few hundred articles the way
// the default limits page one of tens of thousands.
var scaleLimits = model.Limits{PageEvents: 7, HomeEvents: 20, SitemapURLs: 150}

// buildLarge builds a generated site above every limit.
func buildLarge(t *testing.T) *Output {
	t.Helper()
	out, err := Build(context.Background(), corpus.Generate(400, 3), Options{Theme: theme, Limits: scaleLimits})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var (
	hrefRE  = regexp.MustCompile(`href="([^"#]*)`)
	eventRE = regexp.MustCompile(`<h3 class="event-title"><a href="([^"]+)"`)
)

// linksOf lists the output files the links of a page lead to, by path
// under the base path.
func linksOf(t *testing.T, out *Output, page string) []string {
	t.Helper()
	b, _ := out.File(page)
	base, _ := url.Parse(corpus.BaseURL)
	var files []string
	for _, m := range hrefRE.FindAllStringSubmatch(string(b), -1) {
		href := strings.ReplaceAll(m[1], "&amp;", "&")
		u, err := url.Parse(href)
		if err != nil || (u.Host != "" && u.Host != base.Host) {
			continue
		}
		rel, ok := strings.CutPrefix(u.Path, base.Path)
		if !ok {
			continue
		}
		if rel == "" || strings.HasSuffix(rel, "/") {
			rel += "index.html"
		}
		files = append(files, rel)
	}
	return files
}

// eventsOn lists the article pages a listing shows as events, in order.
func eventsOn(out *Output, page string) []string {
	b, _ := out.File(page)
	var urls []string
	for _, m := range eventRE.FindAllStringSubmatch(string(b), -1) {
		urls = append(urls, m[1])
	}
	return urls
}

// Every event is on a page at most two clicks from the timeline page,
// and every link of every page leads to a file of the output.
func TestLargeSiteEveryEventWithinTwoClicks(t *testing.T) {
	out := buildLarge(t)
	s := out.Site()
	reached := map[string]bool{"index.html": true}
	frontier := []string{"index.html"}
	for range 2 {
		var next []string
		for _, p := range frontier {
			for _, f := range linksOf(t, out, p) {
				if !reached[f] && strings.HasSuffix(f, ".html") {
					reached[f] = true
					next = append(next, f)
				}
			}
		}
		frontier = next
	}
	for _, a := range s.Articles {
		if !reached[a.Rel+"index.html"] {
			t.Errorf("%s is more than two clicks from the timeline page", a.Rel)
		}
	}
	// However the site's tags happen to connect it, the year index does
	// it alone: the timeline page links every page of every year.
	home := linksOf(t, out, "index.html")
	for _, y := range s.Years {
		for _, l := range y.Pages {
			if !slices.Contains(home, l.Rel+"index.html") {
				t.Errorf("the timeline page does not link %s", l.Rel)
			}
		}
	}
	for _, p := range out.Paths() {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		for _, f := range linksOf(t, out, p) {
			if _, ok := out.File(f); !ok {
				t.Errorf("%s links to %s, which is not in the output", p, f)
			}
		}
	}
}

// Each year, tag and party lists its events over its pages, in order,
// each once, at most PageEvents a page, the first page at the list's
// own URL; the pages link each other with rel=prev and rel=next.
func TestLargeSitePages(t *testing.T) {
	out := buildLarge(t)
	s := out.Site()
	type list struct {
		first    string
		articles []*model.Article
	}
	var lists []list
	for _, y := range s.Years {
		lists = append(lists, list{y.Rel, y.Articles})
	}
	for _, term := range slices.Concat(s.Tags, s.Parties) {
		lists = append(lists, list{term.Rel, term.Articles})
	}
	paged := 0
	for _, l := range lists {
		var want, got []string
		for _, a := range l.articles {
			want = append(want, a.URL)
		}
		pages := (len(l.articles) + scaleLimits.PageEvents - 1) / scaleLimits.PageEvents
		if pages > 1 {
			paged++
		}
		for n := 1; n <= pages; n++ {
			p := l.first + "index.html"
			if n > 1 {
				p = l.first + "page/" + itoa(n) + "/index.html"
			}
			events := eventsOn(out, p)
			if len(events) == 0 || len(events) > scaleLimits.PageEvents {
				t.Errorf("%s lists %d events, want 1 to %d", p, len(events), scaleLimits.PageEvents)
			}
			got = append(got, events...)
			checkPrevNext(t, out, p, l.first, n, pages)
		}
		if !slices.Equal(got, want) {
			t.Errorf("the pages of %s list %d events, want its %d in order", l.first, len(got), len(want))
		}
		if _, ok := out.File(l.first + "page/" + itoa(pages+1) + "/index.html"); ok {
			t.Errorf("%s has a page after its last", l.first)
		}
	}
	if paged < 10 {
		t.Fatalf("only %d paged lists: the test site is too small", paged)
	}
	home := eventsOn(out, "index.html")
	if len(home) != scaleLimits.HomeEvents || home[len(home)-1] != s.Articles[len(s.Articles)-1].URL {
		t.Errorf("the timeline page lists %d events ending %s; want the newest %d", len(home), home[len(home)-1], scaleLimits.HomeEvents)
	}
}

var relRE = regexp.MustCompile(`<a [^>]*href="([^"]+)" rel="(prev|next)"`)

// checkPrevNext checks page n of pages: its rel=prev and rel=next links.
func checkPrevNext(t *testing.T, out *Output, p, first string, n, pages int) {
	t.Helper()
	b, _ := out.File(p)
	rels := map[string]string{}
	for _, m := range relRE.FindAllStringSubmatch(string(b), -1) {
		if _, twice := rels[m[2]]; twice {
			t.Errorf("%s has two rel=%s links", p, m[2])
		}
		rels[m[2]] = m[1]
	}
	if pages == 1 {
		return // a year's own prev/next links are the years'
	}
	pageURL := func(n int) string {
		u := path.Join("/deals", first)
		if n > 1 {
			u = path.Join(u, "page", itoa(n))
		}
		return (&url.URL{Path: u + "/"}).EscapedPath()
	}
	for rel, want := range map[string]int{"prev": n - 1, "next": n + 1} {
		got, ok := rels[rel]
		switch {
		case want < 1 || want > pages:
			if ok {
				t.Errorf("%s: rel=%s to %s, want none", p, rel, got)
			}
		case got != pageURL(want):
			t.Errorf("%s: rel=%s to %q, want %q", p, rel, got, pageURL(want))
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// A site over Limits.SitemapURLs gets a sitemap index at sitemap.xml
// and numbered sitemaps, each within the protocol's rules and the limit,
// listing every page but the 404 page once.
func TestLargeSiteSitemaps(t *testing.T) {
	out := buildLarge(t)
	b, _ := out.File("sitemap.xml")
	files, index, problems := checkSitemapRules("sitemap.xml", b, corpus.BaseURL)
	if !index || len(files) < 2 {
		t.Fatalf("sitemap.xml: index %v of %d files; want an index of several", index, len(files))
	}
	listed := map[string]int{}
	for _, loc := range files {
		name := strings.TrimPrefix(loc, corpus.BaseURL)
		b, ok := out.File(name)
		if !ok {
			t.Errorf("the index lists %s, which is not in the output", loc)
			continue
		}
		locs, index, p := checkSitemapRules(name, b, corpus.BaseURL)
		problems = append(problems, p...)
		if index || len(locs) > scaleLimits.SitemapURLs {
			t.Errorf("%s: index %v with %d URLs; want a urlset of at most %d", name, index, len(locs), scaleLimits.SitemapURLs)
		}
		for _, loc := range locs {
			listed[loc]++
		}
	}
	for _, p := range problems {
		t.Error(p)
	}
	pages := 0
	for _, p := range out.Paths() {
		// The search page is left out, as 404.html is: it is marked
		// noindex, a tool for visitors and not a page of the history.
		if !strings.HasSuffix(p, ".html") || p == "404.html" || p == "search/index.html" {
			continue
		}
		pages++
		if u := corpus.BaseURL + escapedPath(strings.TrimSuffix(p, "index.html")); listed[u] != 1 {
			t.Errorf("%s is listed %d times in the sitemaps", u, listed[u])
		}
	}
	if len(listed) != pages {
		t.Errorf("the sitemaps list %d URLs for %d pages", len(listed), pages)
	}
	if robots, _ := out.File("robots.txt"); !strings.Contains(string(robots), "Sitemap: "+corpus.BaseURL+"sitemap.xml\n") {
		t.Errorf("robots.txt does not point at the sitemap index:\n%s", robots)
	}
}

func escapedPath(p string) string {
	return strings.TrimPrefix((&url.URL{Path: "/" + p}).EscapedPath(), "/")
}

// A site that fits keeps one sitemap.xml, by the same rules.
func TestSmallSiteSitemap(t *testing.T) {
	out, err := Build(context.Background(), os.DirFS("testdata/golden/basic/site"), Options{Theme: theme})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := out.File("sitemap.xml")
	locs, index, problems := checkSitemapRules("sitemap.xml", b, out.Site().BaseURL)
	if index || len(locs) == 0 || len(problems) > 0 {
		t.Errorf("sitemap.xml: index %v, %d URLs, problems %q; want one urlset", index, len(locs), problems)
	}
	if _, ok := out.File("sitemap-1.xml"); ok {
		t.Error("a small site has numbered sitemaps")
	}
}

// The rules check catches each kind of breach, so that a passing
// sitemap test means something.
func TestSitemapRulesCatchBreaches(t *testing.T) {
	const base = "https://example.org/deals/"
	doc := func(root, body string) []byte {
		return []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<" + root + ` xmlns="` + sitemapNamespace + `">` + body + "</" + root + ">")
	}
	for _, tc := range []struct {
		name string
		doc  []byte
		want string
	}{
		{"wrong namespace", []byte(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://example.org/"><url><loc>` + base + `</loc></url></urlset>`), "neither a urlset"},
		{"empty urlset", doc("urlset", ""), "one at least"},
		{"no loc", doc("urlset", "<url><lastmod>2013-09-03</lastmod></url>"), "no <loc>"},
		{"two locs", doc("urlset", "<url><loc>"+base+"</loc><loc>"+base+"a/</loc></url>"), "<loc> 2 times"},
		{"relative loc", doc("urlset", "<url><loc>/deals/a/and/more</loc></url>"), "not an absolute URL"},
		{"other site", doc("urlset", "<url><loc>https://example.com/a/</loc></url>"), "not under"},
		{"long loc", doc("urlset", "<url><loc>"+base+strings.Repeat("a", 2048)+"</loc></url>"), "not 12 to 2,048"},
		{"bad lastmod", doc("urlset", "<url><loc>"+base+"</loc><lastmod>3 Sept 2013</lastmod></url>"), "not a W3C Datetime"},
		{"bad priority", doc("urlset", "<url><loc>"+base+"</loc><priority>2</priority></url>"), "priority"},
		{"url in an index", doc("sitemapindex", "<url><loc>"+base+"</loc></url>"), "not <sitemap>"},
		{"changefreq in an index", doc("sitemapindex", "<sitemap><loc>"+base+"s.xml</loc><changefreq>daily</changefreq></sitemap>"), "not allowed"},
		{"too many", doc("urlset", strings.Repeat("<url><loc>"+base+"</loc></url>", maxSitemapURLs+1)), "over the protocol's 50000"},
		{"unclosed", []byte(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="` + sitemapNamespace + `"><url>`), "not well-formed"},
	} {
		_, _, problems := checkSitemapRules("s.xml", tc.doc, base)
		if !strings.Contains(strings.Join(problems, "\n"), tc.want) {
			t.Errorf("%s: problems %q, want one about %q", tc.name, problems, tc.want)
		}
	}
	ok := doc("urlset", "<url><loc>"+base+"</loc><lastmod>2013-09-03</lastmod><changefreq>daily</changefreq><priority>0.5</priority></url>")
	if _, _, problems := checkSitemapRules("s.xml", ok, base); len(problems) > 0 {
		t.Errorf("a valid sitemap: %q", problems)
	}
}

// Every feed, the site's and each tag's, carries at most the newest 50
// events, newest first, however many the list has.
func TestLargeSiteFeedsBounded(t *testing.T) {
	out := buildLarge(t)
	s := out.Site()
	var feed struct {
		Entries []struct {
			ID string `xml:"id"`
		} `xml:"entry"`
	}
	truncated := 0
	check := func(path string, articles []*model.Article) {
		b, _ := out.File(path)
		feed.Entries = nil
		if err := xml.Unmarshal(b, &feed); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		want := min(len(articles), 50)
		if len(articles) > 50 {
			truncated++
		}
		if len(feed.Entries) != want || feed.Entries[0].ID != articles[len(articles)-1].Permalink {
			t.Errorf("%s: %d entries, want the newest %d of %d", path, len(feed.Entries), want, len(articles))
		}
	}
	check("feed.xml", s.Articles)
	for _, tag := range s.Tags {
		check(tag.Feed.Rel, tag.Articles)
	}
	if truncated < 2 {
		t.Fatalf("only %d feeds over 50 events: the test site is too small", truncated)
	}
}

// timeline.json holds the events the timeline page lists, the per-year
// TimelineJS files listed by timeline/index.json hold every event once
// in order, and events.ndjson holds every event, one a line.
func TestLargeSiteExports(t *testing.T) {
	out := buildLarge(t)
	s := out.Site()
	var all []string
	for _, a := range s.Articles {
		all = append(all, a.Permalink)
	}
	latest := timelineURLs(t, out, "timeline.json")
	if !slices.Equal(latest, all[len(all)-scaleLimits.HomeEvents:]) {
		t.Errorf("timeline.json holds %d events, want the newest %d", len(latest), scaleLimits.HomeEvents)
	}
	var index struct {
		Events int    `json:"events"`
		All    string `json:"all"`
		Latest struct {
			URL    string `json:"url"`
			Events int    `json:"events"`
		} `json:"latest"`
		Files []struct {
			URL    string `json:"url"`
			Year   int    `json:"year"`
			Page   int    `json:"page"`
			Events int    `json:"events"`
		} `json:"files"`
	}
	b, _ := out.File("timeline/index.json")
	if err := json.Unmarshal(b, &index); err != nil {
		t.Fatalf("timeline/index.json: %v", err)
	}
	if index.Events != len(all) || index.All != corpus.BaseURL+"events.ndjson" || index.Latest.URL != corpus.BaseURL+"timeline.json" || index.Latest.Events != len(latest) {
		t.Errorf("timeline/index.json: %d events, all at %s, latest %+v", index.Events, index.All, index.Latest)
	}
	var got []string
	for _, f := range index.Files {
		urls := timelineURLs(t, out, strings.TrimPrefix(f.URL, corpus.BaseURL))
		if len(urls) != f.Events || len(urls) > scaleLimits.PageEvents {
			t.Errorf("%s: %d events, the index says %d, the limit is %d", f.URL, len(urls), f.Events, scaleLimits.PageEvents)
		}
		got = append(got, urls...)
	}
	if !slices.Equal(got, all) {
		t.Errorf("the per-year files hold %d events, want all %d in order", len(got), len(all))
	}
	if got := ndjsonURLs(t, out); !slices.Equal(got, all) {
		t.Errorf("events.ndjson holds %d events, want all %d in order", len(got), len(all))
	}
}

// A site that fits keeps one timeline.json of every event, and no
// per-year files; events.ndjson is there at any size.
func TestSmallSiteExports(t *testing.T) {
	out, err := Build(context.Background(), os.DirFS("testdata/golden/basic/site"), Options{Theme: theme})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range out.Paths() {
		if strings.HasPrefix(p, "timeline/") {
			t.Errorf("a small site has %s", p)
		}
	}
	n := len(out.Site().Articles)
	if len(timelineURLs(t, out, "timeline.json")) != n || len(ndjsonURLs(t, out)) != n {
		t.Errorf("the exports do not hold the %d events", n)
	}
}

// timelineURLs decodes a TimelineJS file and returns its events' URLs.
func timelineURLs(t *testing.T, out *Output, path string) []string {
	t.Helper()
	var tl struct {
		Title struct {
			Text struct {
				Headline string `json:"headline"`
			} `json:"text"`
		} `json:"title"`
		Events []struct {
			URL       string          `json:"url"`
			StartDate json.RawMessage `json:"start_date"`
		} `json:"events"`
	}
	b, ok := out.File(path)
	if err := json.Unmarshal(b, &tl); !ok || err != nil || tl.Title.Text.Headline == "" {
		t.Fatalf("%s is not a TimelineJS file (in output: %v): %v", path, ok, err)
	}
	var urls []string
	for _, e := range tl.Events {
		if len(e.StartDate) == 0 {
			t.Errorf("%s: event %s has no start_date", path, e.URL)
		}
		urls = append(urls, e.URL)
	}
	return urls
}

// ndjsonURLs reads events.ndjson line by line.
func ndjsonURLs(t *testing.T, out *Output) []string {
	t.Helper()
	b, _ := out.File("events.ndjson")
	var urls []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e struct {
			ID, Title, Date, URL string
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.ID == "" || e.Title == "" || e.Date == "" {
			t.Fatalf("events.ndjson line %d: %v: %s", len(urls)+1, err, sc.Bytes())
		}
		urls = append(urls, e.URL)
	}
	return urls
}
