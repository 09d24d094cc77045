package render

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/site"
	"github.com/dealsite/dealsite/layouts"
)

// greedyTheme reads, from the chrome and the event snippets, things
// the default theme never shows there: the number of events on every
// page, the next event's title and the year's count in each snippet,
// each tag's count in the facts.
var greedyTheme = fstest.MapFS{
	"layouts/partials/chrome.html": {Data: []byte(`{{define "site-head"}}{{end}}` +
		`{{define "site-header"}}<header>{{len .Site.Articles}} events</header>{{end}}{{define "site-footer"}}{{end}}`)},
	"layouts/partials/event.html": {Data: []byte(`{{define "event"}}<p>{{.Title}}{{with .Next}} before {{.Title}}{{end}}` +
		` one of {{len .Year.Articles}}{{facts .}}</p>{{end}}` +
		`{{define "facts"}}{{range .Tags}} {{.Name}}={{len .Articles}}{{end}}{{end}}` +
		`{{define "years"}}{{range .}}{{range .Articles}}{{event .}}{{end}}{{end}}{{end}}` +
		`{{define "term-list"}}{{range .}}{{.Name}} {{len .Articles}}{{end}}{{end}}`)},
}

// siteOf models articles (path → source) under the test settings.
func siteOf(t *testing.T, articles map[string]string) *site.Site {
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
	return s
}

// rebuild renders articles with cache and checks the result against a
// build without one; it returns the files rendered rather than kept.
func rebuild(t *testing.T, theme fstest.MapFS, cache *Cache, articles map[string]string) []string {
	t.Helper()
	tmpl, err := LoadTemplates(theme, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	p, err := tmpl.Plan(siteOf(t, articles), cache)
	if err != nil {
		t.Fatal(err)
	}
	got := runHolding(t, p, cache)
	fresh, err := LoadTemplates(theme, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	want, err := fresh.Files(siteOf(t, articles), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range slices.Sorted(maps.Keys(want)) {
		if string(got[path]) != string(want[path]) {
			t.Errorf("%s differs from a fresh build:\n%s\nwant:\n%s", path, got[path], want[path])
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d files, a fresh build has %d", len(got), len(want))
	}
	return rendered(p)
}

// held is what the sink of the last rebuild with each cache holds.
var held = map[*Cache]map[string][]byte{}

// runHolding runs p into a sink that holds the files of the last run
// with cache, as a target does: it keeps what it holds, and the files
// handed over replace them.
func runHolding(t *testing.T, p *Plan, cache *Cache) map[string][]byte {
	t.Helper()
	last := held[cache]
	got := map[string][]byte{}
	var mu sync.Mutex
	err := p.Run(Sink{
		File: func(path string, data []byte, _ uint64) error {
			mu.Lock()
			defer mu.Unlock()
			got[path] = data
			return nil
		},
		KeepRest: func() bool { return last != nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range p.Paths() {
		if _, ok := got[path]; !ok {
			got[path] = last[path]
		}
	}
	held[cache] = got
	return got
}

func TestAnyThemeRendersOnlyWhatAnEditChanges(t *testing.T) {
	articles := map[string]string{
		"content/a.md": "---\ntitle: A\ndate: 2011-01-01\ntags: [x]\n---\nFirst.\n",
		"content/b.md": "---\ntitle: B\ndate: 2012-01-01\ntags: [x]\nsummary: Second.\n---\nSecond.\n",
		"content/c.md": "---\ntitle: C\ndate: 2013-03-01\ntags: [z]\n---\nThird.\n",
		"content/d.md": "---\ntitle: D\ndate: 2013-04-01\ntags: [z]\n---\nFourth.\n",
	}
	cache := NewCache()
	all := rebuild(t, greedyTheme, cache, articles)
	if got := rebuild(t, greedyTheme, cache, articles); len(got) != 0 {
		t.Errorf("no change rendered %q, want nothing", got)
	}

	// The text of b: its own page and the full-content feed.
	articles["content/b.md"] = "---\ntitle: B\ndate: 2012-01-01\ntags: [x]\nsummary: Second.\n---\nSecond, longer now.\n"
	// The search index files of its new words change with it (their
	// bytes decide: see bytesJob), and no document chunk.
	pages, index := splitSearch(rebuild(t, greedyTheme, cache, articles))
	if want := []string{"articles/b/index.html", "feed.xml"}; !slices.Equal(pages, want) {
		t.Errorf("a body edit rendered %q, want %q", pages, want)
	}
	for _, p := range index {
		if p != "search/index.json" && !strings.HasPrefix(p, "search/t/") {
			t.Errorf("a body edit rendered %s: only the index and its term shards may change", p)
		}
	}

	// The title of b: the pages showing it, and no others. a's snippet
	// shows b's title as the next event's. (The tag index shows how many
	// events each tag has: a list's count depends on its members and
	// what each shows in a list, so it is rendered again too.)
	articles["content/b.md"] = "---\ntitle: Bee\ndate: 2012-01-01\ntags: [x]\nsummary: Second.\n---\nSecond, longer now.\n"
	got := rebuild(t, greedyTheme, cache, articles)
	mustAndMustNot(t, "a title edit", got,
		[]string{"articles/a/index.html", "articles/b/index.html", "articles/c/index.html", "index.html",
			"years/2011/index.html", "years/2012/index.html", "tags/x/index.html", "timeline.json", "feed.xml"},
		[]string{"articles/d/index.html", "years/2013/index.html", "tags/z/index.html", "404.html", "robots.txt"})

	// A tag for c: the count of x in every snippet showing it.
	articles["content/c.md"] = "---\ntitle: C\ndate: 2013-03-01\ntags: [z, x]\n---\nThird.\n"
	got = rebuild(t, greedyTheme, cache, articles)
	mustAndMustNot(t, "a new tag", got,
		[]string{"articles/a/index.html", "articles/c/index.html", "tags/x/index.html", "tags/z/index.html", "years/2011/index.html", "tags/index.html"},
		[]string{"404.html", "robots.txt"})

	// d moves before c: b's snippet names another next event, though
	// neither b nor c changed.
	articles["content/d.md"] = "---\ntitle: D\ndate: 2013-02-01\ntags: [z]\n---\nFourth.\n"
	got = rebuild(t, greedyTheme, cache, articles)
	mustAndMustNot(t, "a move", got, []string{"articles/b/index.html", "years/2012/index.html"}, []string{"years/2011/index.html", "404.html"})

	// One more event: the chrome of every page counts them.
	articles["content/e.md"] = "---\ntitle: E\ndate: 2014-01-01\n---\nFifth.\n"
	pages, _ = splitSearch(rebuild(t, greedyTheme, cache, articles))
	if allPages, _ := splitSearch(all); len(pages) != len(allPages)+2 { // its page and its year's
		t.Errorf("a new event rendered %d files of %d", len(pages), len(allPages)+2)
	}
}

// splitSearch tells the search index's files from the others.
func splitSearch(paths []string) (pages, index []string) {
	for _, p := range paths {
		if strings.HasPrefix(p, "search/") && p != "search/index.html" {
			index = append(index, p)
		} else {
			pages = append(pages, p)
		}
	}
	return pages, index
}

func mustAndMustNot(t *testing.T, edit string, got, must, mustNot []string) {
	t.Helper()
	for _, p := range must {
		if !slices.Contains(got, p) {
			t.Errorf("%s did not render %s (rendered %q)", edit, p, got)
		}
	}
	for _, p := range mustNot {
		if slices.Contains(got, p) {
			t.Errorf("%s rendered %s, which does not show it", edit, p)
		}
	}
}

// TestThemeChangeRendersEverything: the cache holds only for the
// templates that made it.
func TestThemeChangeRendersEverything(t *testing.T) {
	articles := map[string]string{"content/a.md": "---\ntitle: A\ndate: 2011-01-01\n---\nFirst.\n"}
	cache := NewCache()
	all := rebuild(t, nil, cache, articles)
	if got := rebuild(t, greedyTheme, cache, articles); !slices.Equal(got, all) {
		t.Errorf("a new theme rendered %q, want every file", got)
	}
}

// TestSinkKeepRest: the files taken from the cache are not handed to
// a sink that keeps what it holds, and rendered again for one that
// does not.
func TestSinkKeepRest(t *testing.T) {
	articles := map[string]string{"content/a.md": "---\ntitle: A\ndate: 2011-01-01\n---\nFirst.\n"}
	cache := NewCache()
	all := len(rebuild(t, nil, cache, articles))
	tmpl, err := LoadTemplates(nil, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, has := range []bool{true, false} {
		p, err := tmpl.Plan(siteOf(t, articles), cache)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var files []string
		asked := 0
		err = p.Run(Sink{
			File: func(path string, _ []byte, key uint64) error {
				mu.Lock()
				defer mu.Unlock()
				if key == 0 {
					t.Errorf("%s came without a key", path)
				}
				files = append(files, path)
				return nil
			},
			KeepRest: func() bool { asked++; return has },
		})
		if err != nil {
			t.Fatal(err)
		}
		if asked != 1 {
			t.Errorf("KeepRest asked %d times, want once", asked)
		}
		if has && len(files) != 0 {
			t.Errorf("with the files kept: %d sent, want none", len(files))
		}
		if !has && len(files) != all {
			t.Errorf("with the files gone: %d sent, want %d", len(files), all)
		}
	}
}

// TestViewsCoverTheModel keeps the views complete: every exported field
// and method of a model type a template can reach must be a method of
// its view, or a theme reading it would fail.
func TestViewsCoverTheModel(t *testing.T) {
	notForTemplates := []string{"Dep", "Rev", "Revision", "Warnings", "Generation", "Restamped"}
	for model, view := range map[reflect.Type]reflect.Type{
		reflect.TypeFor[*site.Site]():     reflect.TypeFor[*SiteView](),
		reflect.TypeFor[*site.Article]():  reflect.TypeFor[*ArticleView](),
		reflect.TypeFor[*site.Year]():     reflect.TypeFor[*YearView](),
		reflect.TypeFor[*site.Term]():     reflect.TypeFor[*TermView](),
		reflect.TypeFor[*site.Era]():      reflect.TypeFor[*EraView](),
		reflect.TypeFor[*site.Listing]():  reflect.TypeFor[*ListingView](),
		reflect.TypeFor[site.PagerLink](): reflect.TypeFor[PagerLink](),
	} {
		var names []string
		for _, f := range reflect.VisibleFields(structOf(model)) {
			names = append(names, f.Name)
		}
		for i := range model.NumMethod() {
			names = append(names, model.Method(i).Name)
		}
		for _, name := range names {
			if !isExported(name) || slices.Contains(notForTemplates, name) {
				continue
			}
			_, isMethod := view.MethodByName(name)
			f, isField := structOf(view).FieldByName(name)
			if !isMethod && !(isField && f.IsExported()) {
				t.Errorf("%s has no %s, which %s has", view, name, model)
			}
		}
	}
}

func structOf(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		return t.Elem()
	}
	return t
}

func isExported(name string) bool { return name != "" && strings.ToUpper(name[:1]) == name[:1] }

// TestKindOfRoundTrips: the cache observes an object's facets by kind
// and slot, and names what changed kind+slot: that must be the facet a
// page recorded, or the change would reach no dependent.
func TestKindOfRoundTrips(t *testing.T) {
	facets := []site.Facet{snippetFacet, chromeFacet}
	for f := site.ArticleMeta; f <= site.SiteAll; f++ {
		facets = append(facets, f)
	}
	for _, f := range facets {
		kind, slot := kindOf(f)
		if kind+site.Facet(slot) != f || slot >= len(observed{}.rev) {
			t.Errorf("facet %d is kind %d, slot %d", f, kind, slot)
		}
	}
}

// TestViewsLeakNoModel: a template reaches the model only through
// views, whose methods record what is read. A field or method of a view
// that gives a site object itself (a promoted field the view does not
// shadow with a method, say) would let a page read it unrecorded.
func TestViewsLeakNoModel(t *testing.T) {
	for _, view := range []reflect.Type{
		reflect.TypeFor[*SiteView](), reflect.TypeFor[*ArticleView](), reflect.TypeFor[*YearView](),
		reflect.TypeFor[*TermView](), reflect.TypeFor[*EraView](), reflect.TypeFor[*ListingView](),
		reflect.TypeFor[PagerLink](), reflect.TypeFor[Page](), reflect.TypeFor[Chrome](),
	} {
		for _, f := range reflect.VisibleFields(structOf(view)) {
			if _, shadowed := view.MethodByName(f.Name); f.IsExported() && !shadowed && givesModel(f.Type, 0) {
				t.Errorf("%s.%s gives the model unrecorded: shadow it with a method that returns views", view, f.Name)
			}
		}
		for i := range view.NumMethod() {
			m := view.Method(i)
			for out := range m.Type.Outs() {
				if givesModel(out, 0) {
					t.Errorf("%s.%s gives the model unrecorded: make it return views", view, m.Name)
				}
			}
		}
	}
}

// givesModel reports whether a template can reach a site object from a
// value of type typ.
func givesModel(typ reflect.Type, depth int) bool {
	if depth > 4 {
		return false
	}
	switch typ.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return givesModel(typ.Elem(), depth+1)
	case reflect.Map:
		return givesModel(typ.Key(), depth+1) || givesModel(typ.Elem(), depth+1)
	case reflect.Struct:
		if typ.PkgPath() == reflect.TypeFor[Page]().PkgPath() {
			return false // a view, or holds views: checked on its own
		}
		if typ.PkgPath() == reflect.TypeFor[site.Site]().PkgPath() && typ != reflect.TypeFor[site.Page]() &&
			typ != reflect.TypeFor[site.Amount]() && typ != reflect.TypeFor[site.Limits]() && typ != reflect.TypeFor[site.Dep]() {
			return true
		}
		for _, f := range reflect.VisibleFields(typ) {
			if f.IsExported() && givesModel(f.Type, depth+1) {
				return true
			}
		}
	}
	return false
}

// TestEventOfNothing: {{event .Prev}} on the first event is a template
// error naming the page and saying what is missing, not a nil dereference.
func TestEventOfNothing(t *testing.T) {
	theme := fstest.MapFS{"layouts/article.html": {Data: []byte(`{{template "base" .}}{{define "main"}}{{event .Article.Prev}}{{end}}`)}}
	tmpl, err := LoadTemplates(theme, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tmpl.Files(siteOf(t, map[string]string{"content/a.md": "---\ntitle: A\ndate: 2011-01-01\n---\nFirst.\n"}), nil)
	if err == nil || !strings.Contains(err.Error(), "layouts/article.html") || !strings.Contains(err.Error(), "no article") {
		t.Errorf("got %v, want a template error in layouts/article.html about no article", err)
	}
}
