package check

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/layouts"
	"github.com/dealsite/dealsite/static"
)

func checkCodes(t *testing.T, fsys fstest.MapFS, code diag.Code) []string {
	t.Helper()
	out, err := build.Build(context.Background(), fsys, build.Options{Theme: build.Theme{Layouts: layouts.FS, Static: static.FS}})
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, d := range Site(out, nil).Sorted() {
		if d.Code == code {
			found = append(found, d.Error())
		}
	}
	return found
}

// Headings named like the theme's own sections get other ids, so no page
// of the default theme has an id twice.
func TestHeadingsNeverTakeTheThemesIDs(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md": {Data: []byte("---\ntitle: T\nbase_url: https://example.org/\n---\n## Eras heading\n\n## Main\n")},
		"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2011-02-11\ntags: [x]\nsources:\n  - title: S\n---\n" +
			"## Main\n\n## Sources heading\n\n## Related heading\n\n## Toc heading\n\n[to main](#main-1) [skip](#main)\n")},
		"content/b.md": {Data: []byte("---\ntitle: B\ndate: 2011-02-12\ntags: [x]\n---\nB.\n")},
	}
	if dups := checkCodes(t, fsys, diag.DuplicateID); dups != nil {
		t.Errorf("duplicate ids:\n%s", strings.Join(dups, "\n"))
	}
}

// A theme that shows several bodies on one page repeats their heading
// ids; check says so.
func TestCheckReportsDuplicateIDs(t *testing.T) {
	article := func(title, date string) []byte {
		return []byte("---\ntitle: " + title + "\ndate: " + date + "\n---\n## Background\n\nText.\n")
	}
	fsys := fstest.MapFS{
		"content/_index.md": {Data: []byte("---\ntitle: T\nbase_url: https://example.org/\n---\n")},
		"content/a.md":      {Data: article("A", "2011-02-11")},
		"content/b.md":      {Data: article("B", "2011-02-12")},
		"layouts/year.html": {Data: []byte(`{{template "base" .}}{{define "main"}}{{range .Year.Articles}}<article>{{.Body}}</article>{{end}}{{end}}`)},
	}
	want := `layouts/year.html: error DS507: page years/2011/index.html has the id "background" 2 times; ids must be unique on a page`
	if dups := checkCodes(t, fsys, diag.DuplicateID); strings.Join(dups, "\n") != want {
		t.Errorf("duplicate ids:\n%s\nwant:\n%s", strings.Join(dups, "\n"), want)
	}
}
