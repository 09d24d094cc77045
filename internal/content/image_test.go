package content

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite the golden files of the picture markup")

// testPNG is a PNG of w×h pixels; seed varies its bytes.
func testPNG(w, h int, seed uint8) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.NRGBA{seed, 2, 3, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// testJPEG is a JPEG of w×h pixels.
func testJPEG(w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

const testSVG = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40"><rect width="120" height="40"/></svg>`

// mediaSite is a site with an article folder and images beside it and
// under static/.
func mediaSite(article string) fstest.MapFS {
	return fstest.MapFS{
		"content/_index.md":             {Data: []byte(testSettings)},
		"content/2013-sale/index.md":    {Data: []byte(article)},
		"content/2013-sale/signing.jpg": {Data: testJPEG(1000, 600)},
		"content/2013-sale/small.png":   {Data: testPNG(300, 200, 1)},
		"content/2013-sale/memo.pdf":    {Data: []byte("%PDF-1.4")},
		"content/2013-sale/notes.txt":   {Data: []byte("not linked, not published")},
		"static/img/map.png":            {Data: testPNG(2000, 1000, 2)},
		"static/img/logo.svg":           {Data: []byte(testSVG)},
	}
}

const front = "---\ntitle: The sale\ndate: 2013-09-03\n---\n"

// TestPictureMarkup: each way of showing an image in a body, against
// golden files (testdata/pictures/*.html, rewritten by -update).
func TestPictureMarkup(t *testing.T) {
	tests := map[string]string{
		"figure":     `![Executives sign the agreement](signing.jpg "Signing in Espoo, <2013>")`,
		"alone":      `![Executives sign the agreement](signing.jpg)`,
		"inline":     `The map ![a map of Espoo](/img/map.png "Espoo") shows it.`,
		"small":      `![A small chart & "quotes"](small.png)`,
		"decorative": `![](small.png "decorative")`,
		"svg":        `![The logo](/img/logo.svg "Our logo")`,
		"escaped":    `![Q\*A &amp; *more*](sm%61ll.png)`,
		"nested":     `![a chart ![](nothing.png)](small.png)`,
		"resource":   `Read [the memo](memo.pdf#page=2) and [the site](https://example.com/).`,
		"outside":    `Files out of the folder are no resources: [a](../x&amp;amp;y.pdf) [b](../c:d.pdf).`,
	}
	for name, md := range tests {
		t.Run(name, func(t *testing.T) {
			c, err := Load(mediaSite(front + md + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			a := c.Articles[0]
			got := a.Body
			for i, r := range a.Refs {
				got += "\n" + RefHref(i) + ": " + strings.Join(r.Files, ", ")
				if r.Beside {
					got += " (beside the page)"
				}
			}
			golden(t, filepath.Join("testdata", "pictures", name+".html"), got+"\n")
		})
	}
}

func golden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s--- want\n%s", file, got, want)
	}
}

// TestImageErrors: every problem with an image, each at path:line:col,
// all in one run.
func TestImageErrors(t *testing.T) {
	md := front + "![](signing.jpg)\n\n" + // 5: no alt
		"Text ![a chart](nothing.png) here.\n\n" + // 7: missing file
		"![the memo](memo.pdf)\n\n" + // 9: not an image
		"![a photo](https://example.com/x.jpg)\n\n" + // 11: remote
		"![a photo](//example.com/x.jpg)\n\n" + // 13: remote
		"![the settings](../_index.md)\n\n" + // 15: no image
		"![a secret](../../go.mod)\n\n" + // 17: outside
		"![a map](/img/nomap.png)\n" // 19: missing under static/
	_, err := Load(mediaSite(md))
	p := "content/2013-sale/index.md"
	want := []string{
		p + `:5:1: error DS601: image "signing.jpg" has no alt text: describe what it shows, ![what it shows](signing.jpg), or mark it decorative, ![](signing.jpg "decorative")`,
		p + `:7:6: error DS602: image content/2013-sale/nothing.png: no such file`,
		p + `:9:1: error DS603: image content/2013-sale/memo.pdf is not an image dealsite reads: not a JPEG, PNG, GIF, WebP or SVG image`,
		p + `:11:1: error DS605: image "https://example.com/x.jpg" is on another host; copy the file into the article's folder or static/ and refer to it there (a remote image shifts the page while it loads and tells its host who reads it)`,
		p + `:13:1: error DS605: image "//example.com/x.jpg" is on another host; copy the file into the article's folder or static/ and refer to it there (a remote image shifts the page while it loads and tells its host who reads it)`,
		p + `:15:1: error DS603: image content/_index.md is not an image dealsite reads: not a JPEG, PNG, GIF, WebP or SVG image`,
		p + `:17:1: error DS606: image "../../go.mod" is outside content/ and static/; refer to a file beside the article, or to /path for static/path`,
		p + `:19:1: error DS602: image static/img/nomap.png: no such file`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("got\n%v\nwant\n%s", err, strings.Join(want, "\n"))
	}
}

// TestImageTooLarge: an image file over MaxImageBytes is refused before
// it is read.
func TestImageTooLarge(t *testing.T) {
	fsys := mediaSite(front + "![a huge photo](huge.png)\n")
	fsys["content/2013-sale/huge.png"] = &fstest.MapFile{Data: make([]byte, MaxImageBytes+1)}
	_, err := Load(fsys)
	want := "content/2013-sale/index.md:5:1: error DS604: image content/2013-sale/huge.png is 50.0 MiB; image files are limited to 50 MiB"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestMissingLinkedFile: in an article folder, a link to a file of the
// folder that does not exist is an error; one that exists is a resource,
// once however often it is linked; files not linked are none.
func TestLinkedFilesOfAFolder(t *testing.T) {
	_, err := Load(mediaSite(front + "[the memo](memo.pdf), [again](memo.pdf), [the minutes](minutes.pdf)\n"))
	want := "content/2013-sale/index.md:5:42: error DS609: link to content/2013-sale/minutes.pdf: no such file in the article's folder"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	c, err := Load(mediaSite(front + "[the memo](memo.pdf), [again](./memo.pdf), ![a chart](small.png)\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Articles[0].Resources, " "); got != "content/2013-sale/memo.pdf" {
		t.Errorf("resources %q", got)
	}
}

// TestLeadImage: the front matter image field, typed and strict.
func TestLeadImage(t *testing.T) {
	md := "---\ntitle: The sale\ndate: 2013-09-03\nimage:\n  src: signing.jpg\n  alt: Executives sign\n  caption: In Espoo\n  credit: Press office\n---\nx\n"
	c, err := Load(mediaSite(md))
	if err != nil {
		t.Fatal(err)
	}
	lead := c.Articles[0].Lead
	if lead == nil || lead.Src != "content/2013-sale/signing.jpg" || lead.Alt != "Executives sign" || lead.Caption != "In Espoo" ||
		lead.Credit != "Press office" || lead.Info.Width != 1000 || lead.Info.Height != 600 || lead.Line != 4 || lead.Col != 1 {
		t.Errorf("lead image %+v", lead)
	}
	c, err = Load(mediaSite("---\ntitle: The sale\ndate: 2013-09-03\nimage: {src: /img/map.png, alt: \"\", decorative: true}\n---\nx\n"))
	if err != nil {
		t.Fatal(err)
	}
	if lead := c.Articles[0].Lead; lead == nil || !lead.Decorative || lead.Src != "static/img/map.png" {
		t.Errorf("decorative lead image %+v", lead)
	}
}

func TestLeadImageErrors(t *testing.T) {
	p := "content/2013-sale/index.md"
	tests := map[string]string{
		"image: signing.jpg":                            p + `:4:1: error DS607: image must be a map like {src: signing.jpg, alt: "what it shows"}, not "signing.jpg"`,
		"image: {src: signing.jpg}":                     p + `:4:8: error DS601: image has no alt text: describe what it shows with alt: "…", or mark it decorative with alt: "" and decorative: true`,
		"image: {src: signing.jpg, alt: \"\"}":          p + `:4:27: error DS601: image has no alt text: describe what it shows with alt: "…", or mark it decorative with alt: "" and decorative: true`,
		"image:\n  sr: signing.jpg\n  alt: x":           p + `:5:3: error DS101: unknown image field "sr" (did you mean "src"?)` + "\n" + p + `:5:3: error DS607: image needs src, the image file, relative to the article or /path for static/path`,
		"image: {src: x.jpg, alt: A, decorative: true}": p + `:4:9: error DS602: image content/2013-sale/x.jpg: no such file` + "\n" + p + `:4:29: error DS607: a decorative image has empty alt text (alt: ""); leave decorative out to describe it`,
		"image: {src: memo.pdf, alt: A memo}":           p + `:4:9: error DS603: image content/2013-sale/memo.pdf is not an image dealsite reads: not a JPEG, PNG, GIF, WebP or SVG image`,
		"image: {src: 'https://x.org/a.jpg', alt: A}":   p + `:4:9: error DS605: image "https://x.org/a.jpg" is on another host; copy the file into the article's folder or static/ and refer to it there (a remote image shifts the page while it loads and tells its host who reads it)`,
	}
	for field, want := range tests {
		_, err := Load(mediaSite("---\ntitle: The sale\ndate: 2013-09-03\n" + field + "\n---\nx\n"))
		if err == nil || err.Error() != want {
			t.Errorf("%s:\ngot  %v\nwant %s", field, err, want)
		}
	}
}
