package render

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/site"
	"github.com/dealsite/dealsite/layouts"
)

// chromeSite is a site with a page of every kind.
func chromeSite(t *testing.T) *site.Site {
	t.Helper()
	c, err := content.Load(fstest.MapFS{
		"content/_index.md": {Data: []byte("---\ntitle: T\nbase_url: https://example.org/\n---\n")},
		"content/a.md":      {Data: []byte("---\ntitle: A\ndate: 2011-01-01\ntags: [x]\nparties: [P]\n---\nText.\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := site.New(c, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPageKindsAreEveryKind(t *testing.T) {
	tmpl, err := LoadTemplates(nil, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := tmpl.Plan(chromeSite(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, j := range plan.jobs {
		if j.template != "" && !slices.Contains(kinds, j.data.Kind) {
			kinds = append(kinds, j.data.Kind)
		}
	}
	slices.Sort(kinds)
	want := slices.Sorted(slices.Values(pageKinds))
	if !slices.Equal(kinds, want) {
		t.Errorf("pages are of kinds %q, pageKinds = %q", kinds, want)
	}
}

func TestSiteChromeOverridesTheTheme(t *testing.T) {
	siteFS := fstest.MapFS{"layouts/partials/chrome.html": {Data: []byte(
		`{{define "site-head"}}<link rel="x">{{end}}` +
			`{{define "site-header"}}<header>{{.Kind}} of {{.Site.Title}}</header>{{end}}` +
			`{{define "site-footer"}}<footer>f</footer>{{end}}`)}}
	tmpl, err := LoadTemplates(siteFS, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	files, err := tmpl.Files(chromeSite(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"index.html":            "<header>home of T</header>",
		"articles/a/index.html": "<header>article of T</header>",
		"parties/index.html":    "<header>parties of T</header>",
		"404.html":              "<header>404 of T</header>",
	} {
		if got := string(files[path]); !strings.Contains(got, want) || !strings.Contains(got, "<footer>f</footer>") {
			t.Errorf("%s = %s, want %s and the footer", path, got, want)
		}
	}
}

func TestBaseWithoutChrome(t *testing.T) {
	siteFS := fstest.MapFS{"layouts/base.html": {Data: []byte(`{{define "base"}}<body>{{block "main" .}}{{end}}</body>{{end}}`)}}
	tmpl, err := LoadTemplates(siteFS, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	files, err := tmpl.Files(chromeSite(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(files["articles/a/index.html"]); !strings.HasPrefix(got, `<body><article class="article">`) {
		t.Errorf("article page = %s", got)
	}
}

func TestChromeErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file, text string
		want             diag.Diagnostic
	}{{
		name: "a page's field",
		file: "layouts/partials/chrome.html",
		text: "{{define \"site-head\"}}{{end}}{{define \"site-footer\"}}{{end}}\n{{define \"site-header\"}}\n{{.Title}}{{end}}",
		want: diag.Diagnostic{Path: "layouts/partials/chrome.html", Line: 3, Message: "rendering site-header for home pages: executing \"site-header\" at <.Title>: can't evaluate field Title in type render.Chrome"},
	}, {
		name: "no such chrome",
		file: "layouts/base.html",
		text: "{{define \"base\"}}\n{{chrome \"site-nav\" .Kind}}{{end}}",
		want: diag.Diagnostic{Path: "layouts/base.html", Line: 2, Message: "rendering 404.html: executing \"base\" at <chrome \"site-nav\" .Kind>: error calling chrome: layouts/partials/chrome.html defines no template \"site-nav\""},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := LoadTemplates(fstest.MapFS{tc.file: {Data: []byte(tc.text)}}, layouts.FS)
			if err != nil {
				t.Fatal(err)
			}
			_, err = tmpl.Files(chromeSite(t), nil)
			var list diag.List
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error = %v", err)
			}
			if d := list[0]; d.Path != tc.want.Path || d.Line != tc.want.Line || d.Message != tc.want.Message {
				t.Errorf("error = %s:%d: %s\nwant    %s:%d: %s", d.Path, d.Line, d.Message, tc.want.Path, tc.want.Line, tc.want.Message)
			}
		})
	}
}
