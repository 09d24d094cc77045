package site

import (
	"errors"
	"html/template"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
)

func article(path, date, title string, tags ...string) *content.Article {
	d, err := content.ParseDate(date)
	if err != nil {
		panic(err)
	}
	slug := content.Slugify(strings.TrimSuffix(path[strings.LastIndex(path, "/")+1:], ".md"))
	return &content.Article{Path: path, Title: title, Date: d, Tags: tags, Slug: slug, Body: "<p>" + title + "</p>"}
}

func newSite(t *testing.T, opts Options, articles ...*content.Article) *Site {
	t.Helper()
	c := &content.Content{Settings: content.Settings{Title: "Deals", BaseURL: "https://example.org/deals/"}, Articles: articles}
	s, err := New(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func errorLines(err error) []string {
	var list diag.List
	if !errors.As(err, &list) {
		return nil
	}
	var out []string
	for _, d := range list {
		out = append(out, d.Error())
	}
	return out
}

func titles(articles []*Article) string {
	var out []string
	for _, a := range articles {
		out = append(out, a.Title)
	}
	return strings.Join(out, ",")
}

func TestOrderYearsAndNeighbours(t *testing.T) {
	s := newSite(t, Options{},
		article("content/c.md", "2013-09-03", "C"),
		article("content/a.md", "2011-02-11", "A"),
		article("content/b.md", "2011", "B"),
		article("content/d.md", "2013-09-03", "D0"),
	)
	if got := titles(s.Articles); got != "B,A,C,D0" {
		t.Errorf("order = %s", got)
	}
	if len(s.Years) != 2 || s.Years[0].Year != 2011 || titles(s.Years[1].Articles) != "C,D0" {
		t.Errorf("years = %+v", s.Years)
	}
	first, last := s.Articles[0], s.Articles[3]
	if first.Prev != nil || first.Next.Title != "A" || last.Next != nil || last.Prev.Title != "C" {
		t.Errorf("neighbours wrong")
	}
}

func TestURLsUnderBasePath(t *testing.T) {
	sale := article("content/2013-09-03-the-sale.md", "2013-09-03", "Sale", "Über uns")
	sale.Slug = "the-sale"
	s := newSite(t, Options{}, sale)
	a := s.Articles[0]
	if a.URL != "/deals/articles/the-sale/" || a.Permalink != "https://example.org/deals/articles/the-sale/" || a.Rel != "articles/the-sale/" {
		t.Errorf("article page = %+v", a.Page)
	}
	tag := s.Tags[0]
	if tag.Rel != "tags/über-uns/" || tag.URL != "/deals/tags/%C3%BCber-uns/" {
		t.Errorf("tag page = %+v", tag.Page)
	}
	if s.Home().URL != "/deals/" || s.TagIndex().Permalink != "https://example.org/deals/tags/" {
		t.Errorf("home/tag index = %+v %+v", s.Home(), s.TagIndex())
	}
}

func TestBaseURLOverride(t *testing.T) {
	s := newSite(t, Options{BaseURL: "http://localhost:1313/"}, article("content/a.md", "2013", "A"))
	if s.BasePath != "/" || s.Articles[0].Permalink != "http://localhost:1313/articles/a/" {
		t.Errorf("override not applied: %s %s", s.BasePath, s.Articles[0].Permalink)
	}
}

func TestMissingBaseURL(t *testing.T) {
	_, err := New(&content.Content{}, Options{})
	if got := errorLines(err); len(got) != 1 || !strings.HasPrefix(got[0], "content/_index.md: error DS302: base_url is not set") {
		t.Errorf("errors = %q", got)
	}
}

func TestTagsGroupCaseInsensitivelyWithDistinctSlugs(t *testing.T) {
	s := newSite(t, Options{},
		article("content/a.md", "2011-01-01", "A", "Windows Phone", "C++", "windows  phone"),
		article("content/b.md", "2012-01-01", "B", "windows phone", "C", "C#", "!!!", "Nokia!"),
		article("content/c.md", "2013-01-01", "C", "Nokia?", "日本"),
	)
	got := map[string]string{}
	for _, tag := range s.Tags {
		got[tag.Name] = tag.Slug
	}
	want := map[string]string{
		"Windows Phone": "windows-phone", "C++": "c-plus-plus", "C": "c", "C#": "c-sharp",
		"Nokia!": "nokia", "Nokia?": "nokia-2", "日本": "日本", "!!!": "tag-",
	}
	if len(got) != len(want) {
		t.Errorf("tags = %v", got)
	}
	for name, slug := range want {
		if !strings.HasPrefix(got[name], slug) {
			t.Errorf("tag %q slug = %q, want %q", name, got[name], slug)
		}
	}
	wp := s.Tags[len(s.Tags)-2] // sorted by key: …, "windows phone", "日本"
	if wp.Name != "Windows Phone" || titles(wp.Articles) != "A,B" {
		t.Errorf("Windows Phone tag = %q with %s", wp.Name, titles(wp.Articles))
	}
	if len(s.Articles[0].Tags) != 2 {
		t.Errorf("duplicate tag kept on one article: %d tags", len(s.Articles[0].Tags))
	}
}

func TestDrafts(t *testing.T) {
	draft := article("content/d.md", "2012-01-01", "Draft", "secret")
	draft.Draft = true
	s := newSite(t, Options{}, article("content/a.md", "2011-01-01", "A"), draft)
	if titles(s.Articles) != "A" || len(s.Tags) != 0 {
		t.Errorf("draft published: %s, %d tags", titles(s.Articles), len(s.Tags))
	}
	s = newSite(t, Options{Drafts: true}, article("content/a.md", "2011-01-01", "A"), draft)
	if titles(s.Articles) != "A,Draft" || len(s.Tags) != 1 {
		t.Errorf("-drafts: %s, %d tags", titles(s.Articles), len(s.Tags))
	}
}

func TestSlugCollisionNamesBothFiles(t *testing.T) {
	c := &content.Content{Settings: content.Settings{BaseURL: "https://example.org/"}, Articles: []*content.Article{
		article("content/2011/sale.md", "2011-01-01", "A"),
		article("content/2013/sale.md", "2013-01-01", "B"),
	}}
	_, err := New(c, Options{})
	want := `content/2013/sale.md: error DS301: slug "sale" is also used by content/2011/sale.md`
	if got := errorLines(err); len(got) != 1 || !strings.HasPrefix(got[0], want) {
		t.Errorf("errors = %q, want %q", got, want)
	}
}

func TestResolveLinks(t *testing.T) {
	from := article("content/2013/b.md", "2013-01-01", "B")
	from.Body = `<p><a href="` + content.RefHref(0) + `">a</a> <a href="` + content.RefHref(1) + `">home</a></p>`
	from.Refs = []content.Ref{{Target: "content/a.md", Fragment: "the terms"}, {Target: content.SettingsPath}}
	s := newSite(t, Options{}, article("content/a.md", "2011-01-01", "A"), from)
	want := `<p><a href="/deals/articles/a/#the%20terms">a</a> <a href="/deals/">home</a></p>`
	if got, err := s.Articles[1].Body(); string(got) != want || err != nil {
		t.Errorf("body = %s, %v\nwant %s", got, err, want)
	}
}

// A body the loader set aside in a Spill reads back resolved, the same
// as one kept in memory.
func TestSpilledBodiesReadBackResolved(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md": {Data: []byte("---\ntitle: T\nbase_url: https://example.org/deals/\n---\n")},
		"content/a.md":      {Data: []byte("---\ntitle: A\ndate: 2011-01-01\n---\nSee [b](b.md#x) and *more*.\n")},
		"content/b.md":      {Data: []byte("---\ntitle: B\ndate: 2012-01-01\n---\nNo links.\n")},
	}
	build := func(spill *content.Spill) []template.HTML {
		l := content.NewLoader()
		l.Spill = spill
		c, err := l.Load(fsys)
		if err != nil {
			t.Fatal(err)
		}
		s, err := New(c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var bodies []template.HTML
		for _, a := range s.Articles {
			if a.src.Spilled() != (spill != nil) {
				t.Errorf("%s: spilled = %v", a.Path, a.src.Spilled())
			}
			b, err := a.Body()
			if err != nil {
				t.Fatal(err)
			}
			bodies = append(bodies, b)
		}
		return bodies
	}
	f, err := os.CreateTemp(t.TempDir(), "spill")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	inMemory, spilled := build(nil), build(content.NewSpill(f))
	if !slices.Equal(inMemory, spilled) || !strings.Contains(string(spilled[0]), `href="/deals/articles/b/#x"`) {
		t.Errorf("spilled bodies %q\nin memory %q", spilled, inMemory)
	}
}

func TestBrokenAndDraftLinks(t *testing.T) {
	draft := article("content/d.md", "2012-01-01", "D")
	draft.Draft = true
	from := article("content/b.md", "2013-01-01", "B")
	from.Refs = []content.Ref{{Target: "content/missing.md", Line: 7}, {Target: "content/d.md", Line: 9}}
	c := &content.Content{Settings: content.Settings{BaseURL: "https://example.org/"}, Articles: []*content.Article{from, draft}}
	_, err := New(c, Options{})
	got := errorLines(err)
	want := []string{
		"content/b.md:7: error DS203: link to content/missing.md: no such article",
		"content/b.md:9: error DS204: link to content/d.md, which is a draft and will not be published",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors = %q", got)
	}
}

// The fields and pages worked out once by New say what the methods they
// stand for say, and the methods still work on a Site made otherwise.
func TestPrecomputedMatchMethods(t *testing.T) {
	period := article("content/p.md", "2011-02", "Period")
	period.EndDate, _ = content.ParseDate("2014-04")
	c := &content.Content{Settings: content.Settings{Title: "Deals", BaseURL: "https://example.org/a b/",
		Eras: []content.Era{{Title: "E", Start: period.Date, End: period.EndDate}, {Title: "Inner", Start: period.Date, End: period.Date}}},
		Articles: []*content.Article{article("content/a.md", "2013-09-03T10:00:00+02:00", "A"), period}}
	s, err := New(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range s.Articles {
		if a.DateISO != a.Date.ISO() || a.WhenText != a.When() {
			t.Errorf("%s: DateISO, WhenText = %q, %q; want %q, %q", a.Path, a.DateISO, a.WhenText, a.Date.ISO(), a.When())
		}
		if a.FirstOfEra != a.EraStarts() {
			t.Errorf("%s: FirstOfEra = %v, want %v", a.Path, a.FirstOfEra, a.EraStarts())
		}
	}
	if !s.Articles[0].FirstOfEra {
		t.Error("the period, first in two eras, does not start its era")
	}
	if e := s.Eras[0]; e.WhenText != e.When() {
		t.Errorf("era WhenText = %q, want %q", e.WhenText, e.When())
	}
	bare := &Site{BaseURL: s.BaseURL, BasePath: s.BasePath}
	for f, rel := range fixedRels {
		want := s.page(rel)
		if got := s.fixedPage(fixed(f)); got != want {
			t.Errorf("fixed page %q = %+v, want %+v", rel, got, want)
		}
		if got := bare.fixedPage(fixed(f)); got != want {
			t.Errorf("fixed page %q of a Site not made by New = %+v, want %+v", rel, got, want)
		}
	}
	if s.Home().URL != "/a%20b/" || s.Feed().Permalink != "https://example.org/a b/feed.xml" {
		t.Errorf("Home, Feed = %+v, %+v", s.Home(), s.Feed())
	}
}
