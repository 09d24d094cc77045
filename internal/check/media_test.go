package check

import (
	"bytes"
	"context"
	"encoding/xml"
	"image"
	"image/jpeg"
	"image/png"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/site"
	"github.com/dealsite/dealsite/layouts"
	"github.com/dealsite/dealsite/static"
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

// pictureSite is a site whose article folder shows a JPEG beside it and
// a PNG under static/, and links to a PDF of its folder.
func pictureSite() fstest.MapFS {
	return fstest.MapFS{
		"content/_index.md": {Data: []byte("---\ntitle: T\nbase_url: https://example.org/deals/\n---\nIntro.\n")},
		"content/2013-sale/index.md": {Data: []byte("---\ntitle: Sale\ndate: 2013-09-03\n---\n" +
			"![Two pens on a contract](signing.jpg \"The signing\")\n\nThe map ![a map](/img/map.png) and [the memo](memo.pdf).\n")},
		"content/2013-sale/signing.jpg": {Data: testJPEG(900, 500)},
		"content/2013-sale/memo.pdf":    {Data: []byte("%PDF-1.4")},
		"static/img/map.png":            {Data: testPNG(500, 300)},
	}
}

var mediaTheme = build.Theme{Layouts: layouts.FS, Static: static.FS}

// TestBuiltPicturesPassCheck: the pictures and files a build publishes
// are where its pages say, so check finds nothing wrong.
func TestBuiltPicturesPassCheck(t *testing.T) {
	got, _, err := Build(context.Background(), pictureSite(), build.Options{Theme: mediaTheme}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range got {
		t.Errorf("%v", d)
	}
}

// TestFeedPicturesAreAbsolute: in the Atom feed an article's pictures and
// files resolve, against the entry's xml:base, to absolute URLs of files
// the build wrote: a feed reader shows them away from the site.
func TestFeedPicturesAreAbsolute(t *testing.T) {
	out, err := build.Build(context.Background(), pictureSite(), build.Options{Theme: mediaTheme})
	if err != nil {
		t.Fatal(err)
	}
	data, ok := out.File("feed.xml")
	if !ok {
		t.Fatal("no feed.xml")
	}
	var feed struct {
		Entries []struct {
			Content struct {
				Base string `xml:"base,attr"`
				Body string `xml:",chardata"`
			} `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(data, &feed); err != nil || len(feed.Entries) != 1 {
		t.Fatalf("feed: %v, %d entries", err, len(feed.Entries))
	}
	entry := feed.Entries[0].Content
	base, err := url.Parse(entry.Base)
	if err != nil || !base.IsAbs() {
		t.Fatalf("xml:base %q is not an absolute URL", entry.Base)
	}
	pg := parse([]byte(entry.Body))
	urls := append(pg.images, pg.links...)
	if len(pg.images) != 12 { // the JPEG's 3 widths in 2 formats and its src, the PNG's 2 and its src
		t.Errorf("%d image URLs in the feed entry:\n%s", len(pg.images), entry.Body)
	}
	files := map[string]bool{}
	for _, p := range out.Paths() {
		files[p] = true
	}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			t.Errorf("%q: %v", raw, err)
			continue
		}
		abs := base.ResolveReference(u).String()
		rel, ok := strings.CutPrefix(abs, "https://example.org/deals/")
		if !ok || !files[rel] {
			t.Errorf("%q resolves to %s, not a file of the build", raw, abs)
		}
	}
}

func testJPEG(w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func testPNG(w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		panic(err)
	}
	return b.Bytes()
}
