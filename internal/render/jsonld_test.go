package render

import (
	"encoding/json"
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/site"
)

// TestArticleJSONLDDates: Google's Article structured data wants
// datePublished as a full ISO 8601 date (and time). An article dated to
// the day (or to the second) gives its date; one dated to a month or a
// year has no such date and gives none, rather than "2017". dealsite
// does not know when an article was last changed, or an image for it,
// so dateModified and image are left out.
func TestArticleJSONLDDates(t *testing.T) {
	tests := map[string]string{
		"2013-09-03":                "2013-09-03",
		"2013-09-03T10:30:00+02:00": "2013-09-03T10:30:00+02:00",
		"2013-09":                   "",
		"2013":                      "",
	}
	fsys := fstest.MapFS{"content/_index.md": {Data: []byte("---\ntitle: T\nbase_url: https://example.org/\n---\n")}}
	i := 0
	for date := range tests {
		i++
		fsys[fmt.Sprintf("content/a%d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: %q\ndate: %s\n---\nx\n", date, date))}
	}
	c, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	s, err := site.New(c, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range s.Articles {
		var ld map[string]any
		if err := json.Unmarshal([]byte(articleJSONLD(s, a, nil)), &ld); err != nil {
			t.Fatal(err)
		}
		got, _ := ld["datePublished"].(string)
		if want := tests[a.Title]; got != want {
			t.Errorf("date %s: datePublished %q, want %q", a.Title, got, want)
		}
		for _, absent := range []string{"dateModified", "image"} {
			if v, ok := ld[absent]; ok {
				t.Errorf("date %s: %s %v, want none", a.Title, absent, v)
			}
		}
	}
}
