package build

import (
	"bytes"
	"html"
	"image"
	"image/png"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing/fstest"

	"github.com/yuin/goldmark"
	meta "github.com/yuin/goldmark-meta"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"github.com/dealsite/dealsite/internal/diag"
)

// The spec examples show images by paths no site has ("/url",
// "train.jpg"). So that they still test how a body shows an image (its
// alt text, its title, where it sits), buildCases puts a small PNG at
// every local path an example's images point to; the picture rule then
// compares our markup with goldmark's <img> but for the URLs.

// addSpecImages writes a PNG at the site path of every local image of
// the case, resolved as content does: relative to the article, or
// /path under static/.
func addSpecImages(fsys fstest.MapFS, c specCase) {
	src := []byte(c.source())
	doc := goldmark.New(goldmark.WithExtensions(meta.Meta, extension.GFM)).Parser().Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering {
			if p := specImagePath(c, html.UnescapeString(string(img.Destination))); p != "" {
				fsys[p] = &fstest.MapFile{Data: specPNG}
			}
		}
		return ast.WalkContinue, nil
	})
}

func specImagePath(c specCase, dest string) string {
	if strings.Contains(dest, ":") || strings.HasPrefix(dest, "//") || strings.ContainsRune(dest, '\\') {
		return ""
	}
	p, _, _ := strings.Cut(dest, "#")
	p, _, _ = strings.Cut(p, "?")
	p, err := url.PathUnescape(p)
	if err != nil || p == "" {
		return ""
	}
	if strings.HasPrefix(p, "/") {
		return path.Join("static", p)
	}
	if target := path.Join(path.Dir(c.path()), p); strings.HasPrefix(target, "content/") && !strings.HasSuffix(target, ".md") {
		return target
	}
	return ""
}

var specPNG = func() []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 3))); err != nil {
		panic(err)
	}
	return b.Bytes()
}()

var (
	// ourPicture is a picture of a body, with its alt text and title.
	ourPicture = regexp.MustCompile(`<picture><source [^>]*><img src="[^"]*" [^>]*?alt="([^"]*)"(?: title="([^"]*)")? loading="lazy" decoding="async"></picture>`)
	// ourFigure is a figure made of an image alone in its paragraph.
	ourFigure = regexp.MustCompile(`<figure>(<img alt="[^"]*">)<figcaption>([^<]*)</figcaption></figure>`)
	// goldmarkImg is goldmark's image.
	goldmarkImg = regexp.MustCompile(`<img src="[^"]*" alt="([^"]*)"(?: title="([^"]*)")?>`)
)

// plainImg is an image without its URL, its text decoded, so that
// escaping styles (&quot; or &#34;) do not count.
func plainImg(alt, title string) string {
	s := `<img alt="` + html.UnescapeString(alt) + `"`
	if title != "" {
		s += ` title="` + html.UnescapeString(title) + `"`
	}
	return s + ">"
}

var (
	picture = specRule{
		doc: "an image is a <picture> of variants under media/ with width and height, lazy; alone in its paragraph with a title, a <figure> whose caption is the title",
		undo: func(ours, ref string) (string, string) {
			ours = ourPicture.ReplaceAllStringFunc(ours, func(m string) string {
				s := ourPicture.FindStringSubmatch(m)
				return plainImg(s[1], s[2])
			})
			ours = ourFigure.ReplaceAllStringFunc(ours, func(m string) string {
				s := ourFigure.FindStringSubmatch(m)
				return "<p>" + strings.TrimSuffix(s[1], ">") + ` title="` + html.UnescapeString(s[2]) + `"></p>`
			})
			ref = goldmarkImg.ReplaceAllStringFunc(ref, func(m string) string {
				s := goldmarkImg.FindStringSubmatch(m)
				return plainImg(s[1], s[2])
			})
			return ours, ref
		},
	}
	remoteImage = specRule{
		doc:     "an image on another host is refused: its size is unknown and it tells the host who reads",
		refused: diag.RemoteImage,
	}
	noAlt = specRule{
		doc:     "an image without alt text is refused (decorative ones say so with the title \"decorative\")",
		refused: diag.MissingAlt,
	}
)
