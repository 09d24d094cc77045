package site

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dealsite/dealsite/internal/content"
)

// TestRevisionsCoverTheModel keeps the facets complete: a field added to
// a model type must be hashed by revs.go into the facet that shows it,
// and listed here, or a page showing it would not be rendered again when
// it changes.
func TestRevisionsCoverTheModel(t *testing.T) {
	covered := map[reflect.Type][]string{
		reflect.TypeFor[Article](): {
			// ArticleMeta
			"Path", "Title", "Date", "EndDate", "DateISO", "WhenText", "Weight", "Summary", "OwnSummary", "Value", "Amount",
			"Sources", "Slug", "Draft", "Tags", "Parties", "Page", "Lead",
			// ArticleBody
			"body", "hrefs", "Headings", "Words",
			// ArticleLinks
			"Year", "Era", "FirstOfEra", "Prev", "Next", "Related",
			// not shown
			"src", "revs",
		},
		reflect.TypeFor[Year](): {"Year", "Articles", "Page", "Prev", "Next", "Pages", "id", "rev"},
		reflect.TypeFor[Term](): {"Kind", "Name", "Slug", "Page", "Feed", "Articles", "Years", "Pages", "id", "revs"},
		reflect.TypeFor[Era]():  {"Title", "Start", "End", "WhenText", "Slug", "Articles", "rev"},
		reflect.TypeFor[Site](): {"Title", "Description", "Language", "Author", "BaseURL", "BasePath", "Intro", "Articles",
			"Years", "Eras", "Tags", "Parties", "Limits", "latest", "fixed", "warnings", "revs", "index",
			"inc", // site.Update's bookkeeping, shown on no page
		},
	}
	for typ, names := range covered {
		for f := range typ.Fields() {
			if !slices.Contains(names, f.Name) {
				t.Errorf("%s.%s is in no facet: hash it in revs.go and list it here", typ.Name(), f.Name)
			}
		}
	}
}

// revisions lists every revision of s by dependency.
func revisions(s *Site) map[Dep]Revision {
	revs := map[Dep]Revision{}
	add := func(d Dep) {
		r, ok := s.Revision(d)
		if !ok {
			panic("no revision for " + d.ID)
		}
		revs[d] = r
	}
	for _, a := range s.Articles {
		add(a.Dep(ArticleMeta))
		add(a.Dep(ArticleBody))
		add(a.Dep(ArticleLinks))
	}
	for _, y := range s.Years {
		d, _ := y.Dep()
		add(d)
	}
	for _, t := range append(slices.Clone(s.Tags), s.Parties...) {
		add(t.Dep(TermMeta))
		add(t.Dep(TermMembers))
	}
	for _, e := range s.Eras {
		add(e.Dep())
	}
	for f := SiteSettings; f <= SiteAll; f++ {
		add(Dep{Facet: f})
	}
	return revs
}

// changedRevisions lists what differs between two sites' revisions.
func changedRevisions(before, after map[Dep]Revision) []Dep {
	var changed []Dep
	for d, r := range after {
		if old, ok := before[d]; !ok || old != r {
			changed = append(changed, d)
		}
	}
	for d := range before {
		if _, ok := after[d]; !ok {
			changed = append(changed, d)
		}
	}
	slices.SortFunc(changed, func(a, b Dep) int {
		if a.Facet != b.Facet {
			return int(a.Facet) - int(b.Facet)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return changed
}

func TestRevisionsChangeWithWhatChanged(t *testing.T) {
	articles := func(edit func(b *content.Article)) []*content.Article {
		b := article("content/b.md", "2012-01-01", "B", "x")
		edit(b)
		return []*content.Article{
			article("content/a.md", "2011-01-01", "A", "x"),
			b,
			article("content/c.md", "2013-01-01", "C", "y"),
		}
	}
	before := revisions(newSite(t, Options{}, articles(func(*content.Article) {})...))
	for _, tc := range []struct {
		name string
		edit func(b *content.Article)
		want []Dep
	}{
		{"nothing", func(*content.Article) {}, nil},
		{"body", func(b *content.Article) { b.Body = "<p>Longer.</p>" },
			[]Dep{{ArticleBody, "content/b.md"}}},
		{"title", func(b *content.Article) { b.Title = "Bee" },
			[]Dep{{ArticleMeta, "content/b.md"}, {YearMembers, "2012"}, {TermMembers, "tag/x"}, {SiteAll, ""}}},
		{"tag", func(b *content.Article) { b.Tags = []string{"y"} },
			// b leaves a's related events and joins c's
			[]Dep{{ArticleMeta, "content/b.md"}, {ArticleLinks, "content/a.md"}, {ArticleLinks, "content/b.md"}, {ArticleLinks, "content/c.md"},
				{YearMembers, "2012"}, {TermMembers, "tag/x"}, {TermMembers, "tag/y"}, {SiteAll, ""}}},
	} {
		after := revisions(newSite(t, Options{}, articles(tc.edit)...))
		if got := changedRevisions(before, after); !slices.Equal(got, tc.want) {
			t.Errorf("%s: changed %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestRestampEqualsNew: an update in place followed by restamp gives
// the revisions New gives the updated content, which is what an
// incremental model update relies on.
func TestRestampEqualsNew(t *testing.T) {
	before := []*content.Article{article("content/a.md", "2011-01-01", "A", "x"), article("content/b.md", "2012-01-01", "B", "x")}
	after := []*content.Article{article("content/a.md", "2011-01-01", "A", "x"), article("content/b.md", "2012-01-01", "Bee", "x")}
	after[1].Body = before[1].Body // the title alone changed
	s := newSite(t, Options{}, before...)
	b := s.Articles[1]
	b.Title = "Bee"
	if got := revisions(s); maps.Equal(got, revisions(newSite(t, Options{}, after...))) {
		t.Fatal("the revisions did not change with the title: the test proves nothing")
	}
	s.restamp([]*Article{b}, nil)
	if got, want := revisions(s), revisions(newSite(t, Options{}, after...)); !maps.Equal(got, want) {
		t.Errorf("after restamp: %v\nNew gives: %v", changedRevisions(want, got), want)
	}
}
