package check

import (
	"strings"
	"testing"

	"github.com/dealsite/dealsite/internal/site"
)

// TestImagesMustBeFilesOfTheBuild: every URL of a picture (src, each
// srcset candidate, of <img> and <source>) must be a file the build
// wrote; an image is never served as a folder's index.html.
func TestImagesMustBeFilesOfTheBuild(t *testing.T) {
	s := &site.Site{BaseURL: "https://example.org/deals/"}
	files := []string{"articles/a/index.html", "media/x-1-480.webp", "media/x-1-800.jpg", "articles/a/chart.png"}
	c := newLinkCheck(s, files, nil)
	c.file("articles/a/index.html", []byte(`<main>
<picture><source type="image/webp" srcset="/deals/media/x-1-480.webp 480w, /deals/media/x-1-800.webp 800w" sizes="100vw">
<img src="/deals/media/x-1-800.jpg" srcset="/deals/media/x-1-480.jpg 480w,/deals/media/x-1-800.jpg 800w" alt="x"></picture>
<img src="chart.png" alt="a chart"> <img src="missing.png" alt="gone"> <img src="/deals/articles/a/" alt="a page">
<img src="https://other.example/x.png" alt="elsewhere"> <img src="/elsewhere/x.png" alt="outside">
<a href="/deals/media/x-1-800.jpg">the photo</a></main>`))
	var got []string
	for _, d := range c.finish() {
		got = append(got, d.Error())
	}
	const page = "static/articles/a/index.html: error "
	want := []string{
		page + "DS503: page articles/a/index.html shows the image /elsewhere/x.png, outside the base path /deals/",
		page + "DS610: page articles/a/index.html shows the image /deals/articles/a/: the build wrote no such file",
		page + "DS610: page articles/a/index.html shows the image /deals/media/x-1-480.jpg: the build wrote no such file",
		page + "DS610: page articles/a/index.html shows the image /deals/media/x-1-800.webp: the build wrote no such file",
		page + "DS610: page articles/a/index.html shows the image missing.png: the build wrote no such file",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
