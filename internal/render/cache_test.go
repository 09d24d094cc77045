package render

import (
	"encoding/hex"
	"reflect"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/site"
	"github.com/dealsite/dealsite/layouts"
)

// TestMetaKeyCoversArticle keeps keyer.meta complete: a field added to
// site.Article must be hashed there (listings may show it) or listed
// here as shown only on the article's own page.
func TestMetaKeyCoversArticle(t *testing.T) {
	inMeta := []string{"Path", "Title", "Date", "EndDate", "Weight", "Summary", "OwnSummary", "Value", "Sources",
		"Slug", "Draft", "Tags", "Parties", "Page", "Year", "Era"}
	derived := []string{"Amount", "DateISO", "WhenText", "FirstOfEra"}                          // worked out from fields in inMeta
	ownPage := []string{"body", "hrefs", "Headings", "Words", "Prev", "Next", "Related", "src"} // in the full key or the page key
	for f := range reflect.TypeFor[site.Article]().Fields() {
		if !slices.Contains(inMeta, f.Name) && !slices.Contains(derived, f.Name) && !slices.Contains(ownPage, f.Name) {
			t.Errorf("site.Article.%s is in no cache key: add it to keyer.meta and to this test", f.Name)
		}
	}
}

// TestSettingsKeyCoversSite keeps the keys complete for the site: a
// field added to site.Site must be hashed by keyer (every page may show
// it) or be worked out from what is.
func TestSettingsKeyCoversSite(t *testing.T) {
	keyed := []string{"Title", "Description", "Language", "Author", "BaseURL", "Intro", "Eras", "Limits"}
	derived := []string{"BasePath", "fixed", "latest"}               // from BaseURL; from Articles and Limits
	fromArticles := []string{"Articles", "Years", "Tags", "Parties"} // every article's meta key is in the site key
	notShown := []string{"warnings", "inc"}                          // diagnostics for the command line; site.Update's bookkeeping
	for f := range reflect.TypeFor[site.Site]().Fields() {
		if !slices.Contains(keyed, f.Name) && !slices.Contains(derived, f.Name) && !slices.Contains(fromArticles, f.Name) && !slices.Contains(notShown, f.Name) {
			t.Errorf("site.Site.%s is in no cache key: add it to Cache.keyer or Cache.begin and to this test", f.Name)
		}
	}
}

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
	fsys := fstest.MapFS{"content/_index.md": {Data: []byte("---\ntitle: T\nbase_url: https://example.org/\n---\nIntro.\n")}}
	for p, src := range articles {
		fsys[p] = &fstest.MapFile{Data: []byte(src)}
	}
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
	if err := p.Run(Sink{File: func(string, []byte, uint64) error { return nil }}); err != nil {
		t.Fatal(err)
	}
	return p
}

// rendered lists the files a plan renders rather than takes from the cache.
func rendered(p *Plan) []string {
	var paths []string
	for _, j := range p.jobs {
		if !j.hit {
			paths = append(paths, j.path)
		}
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
	if got, want := rendered(plan(t, cache, articles)), []string{"articles/b/index.html", "feed.xml"}; !slices.Equal(got, want) {
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

// TestAuditedThemeIsTheDefault ties the cache's keys to the default
// theme they were written for.
func TestAuditedThemeIsTheDefault(t *testing.T) {
	tmpl, err := LoadTemplates(nil, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString([]byte(tmpl.fingerprint)); got != auditedTheme {
		t.Errorf("the default theme changed, and the render cache is off until its keys are checked again: "+
			"make sure keyer.meta, pageKey and listingKey cover every field the templates in layouts/ now read "+
			"(an article page may show its own body and its neighbours' and related events' metadata; "+
			"a listing, the metadata of every article), run the model test with more seeds "+
			"(DEALSITE_MODEL_SEEDS=200 go test -run TestModel ./cmd/dealsite), then set auditedTheme to\n%q", got)
	}
}

// TestSiteTemplatesRenderEveryPage: with any template of the site's own,
// a warm build renders every page, whatever the templates read.
func TestSiteTemplatesRenderEveryPage(t *testing.T) {
	site := fstest.MapFS{"layouts/404.html": {Data: []byte(`{{template "base" .}}{{define "main"}}{{len .Site.Articles}}{{end}}`)}}
	tmpl, err := LoadTemplates(site, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	cache := NewCache()
	articles := map[string]string{"content/a.md": "---\ntitle: A\ndate: 2011-01-01\n---\nFirst.\n"}
	plan(t, cache, articles) // the default theme fills the cache
	p := planWith(t, tmpl, cache, articles)
	if got := rendered(p); len(got) != len(p.jobs) {
		t.Errorf("with a site template, a warm build rendered only %q of %d files", got, len(p.jobs))
	}
	if len(cache.pages) != 0 || len(cache.events) != 0 {
		t.Errorf("the cache kept %d pages and %d events it cannot use", len(cache.pages), len(cache.events))
	}
}
