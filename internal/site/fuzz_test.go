package site_test

import (
	"io/fs"
	"net/url"
	"strings"
	"testing"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/site"
)

// FuzzTermSlugs gives one article the tags (and parties) in a
// comma-separated fuzz string and checks that terms which are different
// by site.TermKey get different slugs, each a single URL-safe path
// segment under tags/ or parties/. Run it with
//
//	go test -run XXX -fuzz '^FuzzTermSlugs$' -fuzztime 20s ./internal/site
func FuzzTermSlugs(f *testing.F) {
	for _, s := range []string{
		"Windows Phone,windows  phone,WINDOWS PHONE",
		"C++,C#,C,c-plus-plus,c plus plus,C+",
		"Nokia!,Nokia?,nokia,nokia-2,Nokia-2,nokia 2",
		"!!!,???,😀,😀😀,tag-00000000",
		"../..,..,.,/,\\,%2e%2e,a/b,a\\b",
		"\x00,\xff,a\x00b,\xc3\x28",
		"İ,i̇,ı,I,ǅ,ǆ,Ǆ",
		strings.Repeat("x", 150) + "," + strings.Repeat("x", 150) + "y," + strings.Repeat("x", 100) + "-2",
		"a,a-2,a-2-2,A!,A?,A.",
		"javascript:alert(1),<script>,\"><img src=x onerror=alert(1)>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var names []string
		for _, n := range strings.Split(s, ",") {
			if n = strings.TrimSpace(n); n != "" { // as content.Load reads them
				names = append(names, n)
			}
		}
		date, _ := content.ParseDate("2013-09-03")
		c := &content.Content{
			Settings: content.Settings{Title: "T", Language: "en", BaseURL: "https://example.org/deals/"},
			Articles: []*content.Article{{
				Path: "content/a.md", Title: "A", Date: date, Slug: "a",
				Tags: names, Parties: names, Body: "<p>A</p>",
			}},
		}
		st, err := site.New(c, site.Options{})
		if err != nil {
			t.Fatalf("site.New: %v", err)
		}
		checkTerms(t, "tags/", names, st.Tags)
		checkTerms(t, "parties/", names, st.Parties)
	})
}

func checkTerms(t *testing.T, folder string, names []string, terms []*site.Term) {
	t.Helper()
	keys := map[string]bool{}
	for _, n := range names {
		keys[site.TermKey(n)] = true
	}
	if len(terms) != len(keys) {
		t.Errorf("%s: %d terms for %d distinct keys", folder, len(terms), len(keys))
	}
	bySlug := map[string]string{}
	byKey := map[string]bool{}
	for _, term := range terms {
		key := site.TermKey(term.Name)
		if byKey[key] {
			t.Errorf("%s: key %q has two terms", folder, key)
		}
		byKey[key] = true
		if other, taken := bySlug[term.Slug]; taken {
			t.Errorf("%s: %q and %q share the slug %q", folder, other, term.Name, term.Slug)
		}
		bySlug[term.Slug] = term.Name
		checkTermPage(t, folder, term)
	}
}

// checkTermPage checks that a term's page is one safe folder under
// folder, and that its URL is that folder escaped.
func checkTermPage(t *testing.T, folder string, term *site.Term) {
	t.Helper()
	slug := term.Slug
	switch {
	case slug == "" || slug == "." || slug == "..":
		t.Errorf("%q: slug %q", term.Name, slug)
	case strings.ContainsAny(slug, "/\\.\x00"):
		t.Errorf("%q: slug %q holds a path character", term.Name, slug)
	case term.Rel != folder+slug+"/":
		t.Errorf("%q: Rel %q, want %q", term.Name, term.Rel, folder+slug+"/")
	case !fs.ValidPath(term.Rel + "index.html"):
		t.Errorf("%q: page %q is not a valid path", term.Name, term.Rel+"index.html")
	}
	u, err := url.Parse(term.Permalink)
	if err != nil || u.Host != "example.org" || u.Path != "/deals/"+term.Rel {
		t.Errorf("%q: permalink %q does not lead to /deals/%s (%v)", term.Name, term.Permalink, term.Rel, err)
	}
}
