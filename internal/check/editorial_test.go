package check

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/site"
)

// TestTagSpellings: two tags are one tag spelt two ways only when they
// differ in case, spacing or separators, the way their slugs see them.
// Symbols that the slug spells out (C, C++, C#) make distinct tags, as
// the README promises.
func TestTagSpellings(t *testing.T) {
	tests := []struct {
		tags []string
		want []string // the later spelling of each flagged pair
	}{
		{[]string{"C", "C++", "C#"}, nil},
		{[]string{"AT&T", "ATT", "AT T"}, []string{`"ATT" differs from "AT T"`}},
		{[]string{"Windows Phone", "Windows-Phone"}, []string{`"Windows-Phone" differs from "Windows Phone"`}},
		{[]string{"Windows_Phone", "windows phone"}, []string{`"Windows_Phone" differs from "windows phone"`}},
		{[]string{"Partnership", "partnership!"}, []string{`"partnership!" differs from "Partnership"`}},
		{[]string{"🚀", "🎉"}, nil},
		{[]string{"E.ON", "Eon", "E-ON"}, []string{`"E.ON" differs from "E-ON"`, `"Eon" differs from "E-ON"`}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.tags, " "), func(t *testing.T) {
			var l diag.List
			checkTagSpellings(siteWithTags(t, tt.tags), &l)
			var got []string
			for _, d := range l {
				if d.Code != diag.SimilarTags || d.Severity != diag.Warning {
					t.Errorf("unexpected %v", d)
				}
				msg, _, _ := strings.Cut(d.Message, " only in")
				got = append(got, strings.TrimPrefix(msg, "tag "))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// siteWithTags is a published site of one article per tag, in the
// order given.
func siteWithTags(t *testing.T, tags []string) *site.Site {
	t.Helper()
	fsys := fstest.MapFS{
		"content/_index.md": {Data: []byte("---\ntitle: T\nbase_url: https://example.org/\n---\n")},
	}
	for i, tag := range tags {
		fsys[fmt.Sprintf("content/a%d.md", i)] = &fstest.MapFile{
			Data: []byte(fmt.Sprintf("---\ntitle: A%d\ndate: 2011-02-%02d\ntags: [%q]\n---\nx\n", i, i+1, tag)),
		}
	}
	return publishedSite(t, fsys)
}

// TestDuplicateTitlesOnTheWrittenDay: two events with one title count
// as one date when they are on the same day as written, whether or not
// a time of day is given; dates of different days or precisions do not.
func TestDuplicateTitlesOnTheWrittenDay(t *testing.T) {
	tests := []struct {
		a, b string
		dup  bool
	}{
		{"2013-09-03", "2013-09-03T10:00:00Z", true},
		{"2013-09-03T08:00:00+02:00", "2013-09-03T23:00:00-05:00", true},
		{"2013-09-03", "2013-09-03", true},
		{"2013-09-03T23:00:00-05:00", "2013-09-04T04:00:00Z", false}, // one instant, two written days
		{"2013-09", "2013-09-01", false},
		{"2013", "2013-01", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+" "+tt.b, func(t *testing.T) {
			var l diag.List
			checkTitles(siteWithDates(t, tt.a, tt.b), &l)
			if got := len(l) == 1 && l[0].Code == diag.DuplicateTitle; got != tt.dup || len(l) > 1 {
				t.Errorf("warnings %v, want a duplicate: %v", l, tt.dup)
			}
		})
	}
}

// siteWithDates is a published site of one article per date, all with
// the same title.
func siteWithDates(t *testing.T, dates ...string) *site.Site {
	t.Helper()
	fsys := fstest.MapFS{
		"content/_index.md": {Data: []byte("---\ntitle: T\nbase_url: https://example.org/\n---\n")},
	}
	for i, date := range dates {
		fsys[fmt.Sprintf("content/a%d.md", i)] = &fstest.MapFile{
			Data: []byte(fmt.Sprintf("---\ntitle: The sale\ndate: %s\n---\nx\n", date)),
		}
	}
	return publishedSite(t, fsys)
}

// publishedSite models the site in fsys.
func publishedSite(t *testing.T, fsys fstest.MapFS) *site.Site {
	t.Helper()
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
