package search

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/site"
)

// TestEntryKeyCoversAnalyze changes each text field of an article, its
// terms and its date, one at a time: whenever what Analyze makes of the
// article changes, its cache key must change too, or a rebuild would
// keep a stale entry.
func TestEntryKeyCoversAnalyze(t *testing.T) {
	base := func() *site.Article {
		return &site.Article{
			Title: "T", Summary: "S", Value: "$1", WhenText: "2013", DateISO: "2013", Date: mustDate(t, "2013"),
			Tags:    []*site.Term{{Name: "Tag", Slug: "tag"}},
			Parties: []*site.Term{{Name: "P", Slug: "p"}},
			Page:    site.Page{Rel: "articles/t/"},
		}
	}
	cache := NewCache()
	key := func(a *site.Article) uint64 { return cache.entryKey(a, "") }
	// An entry as a sorted list of terms and fields, and its record.
	type sortedEntry struct {
		terms []string
		doc   docRecord
	}
	entry := func(a *site.Article) sortedEntry {
		e := analyze(a, "")
		var terms []string
		e.eachTerm(func(t []byte, f uint8) { terms = append(terms, string(t)+"/"+strconv.Itoa(int(f))) })
		slices.Sort(terms)
		return sortedEntry{terms, e.doc}
	}
	want, wantEntry := key(base()), entry(base())
	v := reflect.ValueOf(base()).Elem()
	var changes []func(*site.Article)
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() || f.Type.Kind() != reflect.String {
			continue
		}
		changes = append(changes, func(a *site.Article) {
			fv := reflect.ValueOf(a).Elem().Field(i)
			fv.SetString(fv.String() + "x")
		})
	}
	changes = append(changes,
		func(a *site.Article) { a.Rel = "articles/u/" },
		func(a *site.Article) { a.Tags[0].Name = "Other" },
		func(a *site.Article) { a.Tags[0].Slug = "other" },
		func(a *site.Article) { a.Parties[0].Name = "Q" },
		func(a *site.Article) { a.Parties[0].Slug = "q" },
		func(a *site.Article) { a.Date = mustDate(t, "2014") },
	)
	for i, change := range changes {
		a := base()
		change(a)
		if !reflect.DeepEqual(entry(a), wantEntry) && key(a) == want {
			t.Errorf("change %d alters the entry but not its key: %+v", i, a)
		}
	}
	if cache.entryKey(base(), "<p>body</p>") == want {
		t.Error("the body is not in the key")
	}
}

func mustDate(t *testing.T, s string) content.Date {
	t.Helper()
	d, err := content.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestARespelledPartyReachesEveryArticle: a party's name is the first
// spelling of it in time, so an edit of the oldest article that names
// it renames it in the results of the newer ones, whose revisions do
// not change. A build through a Cache must see it.
func TestARespelledPartyReachesEveryArticle(t *testing.T) {
	files := map[string]string{
		"content/_index.md": "---\ntitle: T\nbase_url: https://example.org/\n---\n",
		"content/old.md":    "---\ntitle: Old\ndate: 2010-01-01\nparties: [ACME Corp]\n---\nFirst.\n",
		"content/new.md":    "---\ntitle: New\ndate: 2012-01-01\nparties: [Acme Corp]\n---\nSecond.\n",
	}
	cache := NewCache()
	before, err := Build(buildSite(t, files, site.Options{}), cache)
	if err != nil {
		t.Fatal(err)
	}
	files["content/old.md"] = strings.Replace(files["content/old.md"], "ACME Corp", "Acme  Corp", 1)
	s := buildSite(t, files, site.Options{})
	if got := s.Articles[1].Parties[0].Name; got != "Acme Corp" {
		t.Fatalf("the party is named %q, want the old article's new spelling", got)
	}
	warm, cold := warmAndCold(t, s, cache)
	if !equalFiles(warm, cold) {
		t.Error("the index built through the cache differs from a fresh one")
	}
	if equalFiles(warm, before) {
		t.Error("the new spelling is nowhere in the index")
	}
}
