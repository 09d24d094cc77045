package build

import (
	"context"
	"net/url"
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
