package site

import (
	"testing"

	"github.com/dealsite/dealsite/internal/content"
)

// TestFileRefsResolveUnderBasePath: the placeholders content leaves for
// a picture's src and srcset become URLs under the base path, and a
// link to a file of an article folder one beside the article's page,
// also when the body was spilled.
func TestFileRefsResolveUnderBasePath(t *testing.T) {
	a := article("content/2013-sale/index.md", "2013-09-03", "Sale")
	a.Slug = "sale"
	a.Body = `<p><img src="` + content.RefHref(0) + `" srcset="` + content.RefHref(1) + `" alt="x"> <a href="` + content.RefHref(2) + `">memo</a> dealsite-ref:1 </p>`
	a.Refs = []content.Ref{
		{Files: []string{"media/x-1-800.jpg"}},
		{Files: []string{"media/x-1-480.jpg 480w", "media/x-1-800.jpg 800w"}},
		{Files: []string{"memo%20v2.pdf#page=2"}, Beside: true},
	}
	s := newSite(t, Options{}, a)
	got, err := s.Articles[0].Body()
	if err != nil {
		t.Fatal(err)
	}
	u := s.Articles[0].URL
	want := `<p><img src="/deals/media/x-1-800.jpg" srcset="/deals/media/x-1-480.jpg 480w, /deals/media/x-1-800.jpg 800w" alt="x"> <a href="` + u + `memo%20v2.pdf#page=2">memo</a> dealsite-ref:1 </p>`
	if string(got) != want {
		t.Errorf("body\n%s\nwant\n%s", got, want)
	}
}
