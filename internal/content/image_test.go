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
		"escaped":    `![Q\*A &amp; *more*](sm%61ll.png)`,
		"resource":   `Read [the memo](memo.pdf#page=2) and [the site](https://example.com/).`,
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
