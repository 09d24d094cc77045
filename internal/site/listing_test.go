package site

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dealsite/dealsite/internal/content"
)

// articlesIn makes n articles of one year, each tagged "t".
func articlesIn(year, n int) []*content.Article {
	var out []*content.Article
	for i := range n {
		date := fmt.Sprintf("%d-%02d-%02d", year, 1+i/28%12, 1+i%28)
		out = append(out, article(fmt.Sprintf("content/%d-%03d.md", year, i), date, fmt.Sprintf("E%d-%03d", year, i), "t"))
	}
	return out
}

func TestPagination(t *testing.T) {
	s := newSite(t, Options{Limits: Limits{PageEvents: 10, HomeEvents: 15}}, append(articlesIn(2011, 25), articlesIn(2012, 10)...)...)
	y := s.Years[0]
	var urls []string
	for _, l := range y.Pages {
		urls = append(urls, fmt.Sprintf("%d:%s:%d", l.Number, l.URL, len(l.Articles)))
	}
	if got, want := strings.Join(urls, " "), "1:/deals/years/2011/:10 2:/deals/years/2011/page/2/:10 3:/deals/years/2011/page/3/:5"; got != want {
		t.Errorf("2011 pages: %s, want %s", got, want)
	}
	if p := y.Pages[1]; p.Prev != y.Pages[0] || p.Next != y.Pages[2] || y.Pages[0].Prev != nil || y.Pages[2].Next != nil {
		t.Error("prev/next links of the pages are wrong")
	}
	if len(s.Years[1].Pages) != 1 || s.Years[1].Pages[0].Paged() {
		t.Errorf("2012 (10 events) has %d pages, want 1 unpaged", len(s.Years[1].Pages))
	}
	tag := s.Tags[0]
	if len(tag.Pages) != 4 || tag.Pages[0].URL != "/deals/tags/t/" || tag.Pages[3].URL != "/deals/tags/t/page/4/" {
		t.Fatalf("tag pages: %d, first %s", len(tag.Pages), tag.Pages[0].URL)
	}
	// The third page holds the last five of 2011 and the first five
	// of 2012, each year heading linking to the year's page.
	if ys := tag.Pages[2].Years(); len(ys) != 2 || ys[0].URL != "/deals/years/2011/" || len(ys[0].Articles) != 5 || len(ys[1].Articles) != 5 {
		t.Errorf("tag page 3 years: %+v", ys)
	}
	if s.HomeShowsAll() || s.LatestCount() != 15 {
		t.Errorf("home shows all: %v, latest %d; want 15 of 35", s.HomeShowsAll(), s.LatestCount())
	}
	latest := s.Latest()
	if len(latest) != 2 || len(latest[0].Articles) != 5 || latest[0].Articles[4] != s.Years[0].Articles[24] || len(latest[1].Articles) != 10 {
		t.Errorf("latest: %d years", len(latest))
	}
}

func TestSmallListsAreOnePage(t *testing.T) {
	s := newSite(t, Options{}, articlesIn(2011, DefaultPageEvents)...)
	if len(s.Years[0].Pages) != 1 || len(s.Tags[0].Pages) != 1 || !s.HomeShowsAll() {
		t.Fatalf("%d events: %d year pages, %d tag pages, home shows all: %v", DefaultPageEvents, len(s.Years[0].Pages), len(s.Tags[0].Pages), s.HomeShowsAll())
	}
	if p := s.Tags[0].Pages[0]; p.Page != s.Tags[0].Page || &p.Years()[0] != &s.Tags[0].Years[0] {
		t.Error("a one-page tag does not list its own years at its own URL")
	}
	if &s.Latest()[0] != &s.Years[0] {
		t.Error("a home page showing all does not list the site's years")
	}
}

func TestPager(t *testing.T) {
	s := newSite(t, Options{Limits: Limits{PageEvents: 1}}, articlesIn(2011, 12)...)
	pages := s.Years[0].Pages
	for _, tc := range []struct {
		page int
		want string
	}{
		{1, "[1] 2 3 … 12"},
		{4, "1 2 3 [4] 5 6 … 12"},
		{6, "1 … 4 5 [6] 7 8 … 12"},
		{12, "1 … 10 11 [12]"},
	} {
		var got []string
		for _, l := range pages[tc.page-1].Pager() {
			switch {
			case l.Listing == nil:
				got = append(got, "…")
			case l.Current:
				got = append(got, fmt.Sprintf("[%d]", l.Number))
			default:
				got = append(got, fmt.Sprint(l.Number))
			}
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("page %d: %s, want %s", tc.page, strings.Join(got, " "), tc.want)
		}
	}
}
