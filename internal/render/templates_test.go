package render

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/site"
	"github.com/dealsite/dealsite/layouts"
)

func TestSiteTemplateOverridesThemeFileByFile(t *testing.T) {
	siteFS := fstest.MapFS{
		"layouts/404.html":            {Data: []byte(`{{template "base" .}}{{define "main"}}<p>custom {{template "extra" .}}</p>{{end}}`)},
		"layouts/partials/extra.html": {Data: []byte(`{{define "extra"}}partial{{end}}`)},
	}
	tmpl, err := LoadTemplates(siteFS, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	s := &site.Site{Title: "T", BaseURL: "https://example.org/", BasePath: "/", Language: "en"}
	files, err := tmpl.Files(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(files["404.html"]); !strings.Contains(got, "<p>custom partial</p>") || !strings.Contains(got, `<html lang="en">`) {
		t.Errorf("404.html = %s", got)
	}
	if !strings.Contains(string(files["index.html"]), `class="timeline"`) {
		t.Errorf("index.html not from the theme")
	}
}

func TestTemplateErrorsNameFileAndLine(t *testing.T) {
	siteFS := fstest.MapFS{
		"layouts/term.html":   {Data: []byte("{{template \"base\" .}}\n{{define \"main\"}}\n{{.Nope}}\n{{end}}\n")},
		"layouts/index.html":  {Data: []byte("{{template \"base\" .}}\n\n{{end}}\n")},
		"layouts/artcle.html": {Data: []byte("x")},
	}
	_, err := LoadTemplates(siteFS, layouts.FS)
	var list diag.List
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("errors = %v", err)
	}
	if list[0].Path != "layouts/artcle.html" || list[1].Path != "layouts/index.html" || list[1].Line != 3 {
		t.Errorf("errors = %+v", list)
	}

	delete(siteFS, "layouts/index.html")
	delete(siteFS, "layouts/artcle.html")
	tmpl, err := LoadTemplates(siteFS, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	s := &site.Site{BaseURL: "https://example.org/", BasePath: "/"}
	s.Tags = []*site.Term{{Kind: "tag", Name: "x", Slug: "x", Page: site.Page{Rel: "tags/x/"}, Feed: site.Page{Rel: "tags/x/feed.xml"}}}
	_, err = tmpl.Files(s, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "layouts/term.html:3:2: error DS402: rendering tags/x/index.html: ") {
		t.Errorf("execution error = %v", err)
	}
}

func TestFilesWithoutCache(t *testing.T) {
	tmpl, err := LoadTemplates(nil, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	s := &site.Site{Title: "T", BaseURL: "https://example.org/", BasePath: "/"}
	a := &site.Article{Title: "A", Page: site.Page{Rel: "articles/a/", URL: "/articles/a/"}}
	s.Articles = []*site.Article{a}
	s.Years = []*site.Year{{Year: 2011, Articles: s.Articles, Page: site.Page{Rel: "years/2011/"}}}
	if _, err := tmpl.Files(s, nil); err != nil {
		t.Fatal(err)
	}
}
