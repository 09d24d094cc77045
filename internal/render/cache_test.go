package render

import (
	"fmt"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/site"
	"github.com/dealsite/dealsite/layouts"
)

// plan builds a site of articles and plans its files with cache and the
// default theme.
func plan(t *testing.T, cache *Cache, articles map[string]string) *Plan {
	t.Helper()
	tmpl, err := LoadTemplates(nil, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	return planWith(t, tmpl, cache, articles)
}

// planWith is plan with the templates tmpl.
func planWith(t *testing.T, tmpl *Templates, cache *Cache, articles map[string]string) *Plan {
	t.Helper()
	fsys := siteFS(articles)
	c, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	s, err := site.New(c, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := tmpl.Plan(s, cache)
	if err != nil {
		t.Fatal(err)
	}
	keep := func() bool { return true } // what it holds does not matter here
	if err := p.Run(Sink{File: func(string, []byte, uint64) error { return nil }, KeepRest: keep}); err != nil {
		t.Fatal(err)
	}
	return p
}

// rendered lists the files a plan renders rather than takes from the cache.
func rendered(p *Plan) []string {
	var paths []string
	for _, j := range p.jobs {
		paths = append(paths, j.path)
	}
	slices.Sort(paths)
	return paths
}

func TestCacheRendersOnlyWhatAnEditChanges(t *testing.T) {
	articles := map[string]string{
		"content/a.md": "---\ntitle: A\ndate: 2011-01-01\ntags: [x]\n---\nFirst.\n",
		"content/b.md": "---\ntitle: B\ndate: 2012-01-01\ntags: [x]\n---\nSecond.\n",
		"content/c.md": "---\ntitle: C\ndate: 2013-01-01\ntags: [z]\n---\nThird.\n",
	}
	cache := NewCache()
	if got := rendered(plan(t, cache, articles)); len(got) < 15 {
		t.Fatalf("first build rendered only %q", got)
	}
	if got := rendered(plan(t, cache, articles)); len(got) != 0 {
		t.Errorf("no change rendered %q, want nothing", got)
	}

	// The text of b: its own page and the full-content feed.
	articles["content/b.md"] = "---\ntitle: B\ndate: 2012-01-01\ntags: [x]\nsummary: Second.\n---\nSecond, longer now.\n"
	plan(t, cache, articles) // the summary became its own: listings change once
	articles["content/b.md"] = "---\ntitle: B\ndate: 2012-01-01\ntags: [x]\nsummary: Second.\n---\nSecond, longer still.\n"
	// In the search index, the shard of "st" is new ("still"), and so
	// the manifest that lists the shards; "now" leaves "no", which the
	// first build already lacked.
	if got, want := rendered(plan(t, cache, articles)), []string{"articles/b/index.html", "feed.xml", "search/index.json", "search/t/7374.json"}; !slices.Equal(got, want) {
		t.Errorf("a body edit rendered %q, want %q", got, want)
	}

	// The title of b: every page showing b,.
	articles["content/b.md"] = "---\ntitle: Bee\ndate: 2012-01-01\ntags: [x]\nsummary: Second.\n---\nSecond, longer still.\n"
	got := rendered(plan(t, cache, articles))
	for _, want := range []string{"articles/a/index.html", "articles/b/index.html", "index.html", "tags/x/index.html", "years/2012/index.html", "timeline.json", "feed.xml"} {
		if !slices.Contains(got, want) {
			t.Errorf("a title edit did not render %s (rendered %q)", want, got)
		}
	}
}

// TestTextEditCostsWhatDependsOnIt: the work of a plan after a text
// edit does not grow with the site. The edit reaches the entries that
// recorded the article's body through the cache's index, and the sink
// is handed only the files rendered again; before the index, every
// cached file and snippet was checked, and every kept file handed to
// the sink one at a time.
func TestTextEditCostsWhatDependsOnIt(t *testing.T) {
	var visits, sent []int
	for _, n := range []int{40, 160} {
		articles := map[string]string{}
		for i := range n {
			articles[fmt.Sprintf("content/a%03d.md", i)] = fmt.Sprintf("---\ntitle: A%d\ndate: %d-%02d-01\ntags: [t%d]\nsummary: S.\n---\nText %d.\n", i, 2000+i%12, 1+i%12, i%3, i)
		}
		newest := "---\ntitle: New\ndate: 2030-01-01\ntags: [t1]\nsummary: S.\n---\nText"
		articles["content/new.md"] = newest + ".\n"
		cache := NewCache()
		plan(t, cache, articles)
		articles["content/new.md"] = newest + ", longer now.\n"
		p := plan(t, cache, articles)
		visits = append(visits, cache.visits)
		sent = append(sent, len(p.jobs))
		if len(p.kept) < n {
			t.Errorf("at %d articles, kept only %d files", n, len(p.kept))
		}
	}
	if visits[0] != visits[1] || visits[0] > 8 {
		t.Errorf("a text edit made %d and %d entries stale at 40 and 160 articles, want the same few", visits[0], visits[1])
	}
	if sent[0] != sent[1] {
		t.Errorf("a text edit handed %d and %d files to the sink at 40 and 160 articles, want the same", sent[0], sent[1])
	}
}

// TestCacheCountsWhatItUsed: retain skips looking for entries to forget
// when the plan used as many as there are, so the count must be exact,
// also when a sink that lost its files has the kept ones rendered again.
func TestCacheCountsWhatItUsed(t *testing.T) {
	articles := map[string]string{
		"content/a.md": "---\ntitle: A\ndate: 2011-01-01\ntags: [x]\n---\nFirst.\n",
		"content/b.md": "---\ntitle: B\ndate: 2012-01-01\ntags: [x]\n---\nSecond.\n",
	}
	cache := NewCache()
	plan(t, cache, articles)
	tmpl, err := LoadTemplates(nil, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	p, err := tmpl.Plan(siteOf(t, articles), cache)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Run(Sink{File: func(string, []byte, uint64) error { return nil }, KeepRest: func() bool { return false }}); err != nil {
		t.Fatal(err)
	}
	used := 0
	for _, m := range []map[string]*cached{cache.pages, cache.events} {
		for _, e := range m {
			if e.used == cache.plan {
				used++
			}
		}
	}
	if int(cache.usedNow) != used {
		t.Errorf("the cache counts %d entries used, %d are", cache.usedNow, used)
	}
}

// siteFS is a site folder holding articles (path → source) and settings
// with a base URL.
func siteFS(articles map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{"content/_index.md": {Data: []byte("---\ntitle: T\nbase_url: https://example.org/\n---\nIntro.\n")}}
	for p, src := range articles {
		fsys[p] = &fstest.MapFile{Data: []byte(src)}
	}
	return fsys
}
