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
