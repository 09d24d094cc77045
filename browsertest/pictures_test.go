package browsertest

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/outdir"
	"github.com/dealsite/dealsite/layouts"
	"github.com/dealsite/dealsite/static"
)

// TestBrowserPictures builds an article with a lead JPEG and, far below
// the fold, a JPEG of its folder and a PNG under static/, and has
// Chromium (pictures.mjs) check that nothing shifts while it loads and
// scrolls, axe finds nothing, and the lazy pictures are fetched when
// scrolled to; and that TimelineJS shows the lead picture with its
// caption and credit on the event's slide.
func TestBrowserPictures(t *testing.T) {
	tools := findTools(t)
	tmp := t.TempDir()
	siteDir, public := filepath.Join(tmp, "site"), filepath.Join(tmp, "public")
	writePictureSite(t, siteDir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	baseURL := "http://" + ln.Addr().String() + "/"
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	folder, err := outdir.Open(public, outdir.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := build.Options{BaseURL: baseURL, Theme: build.Theme{Layouts: layouts.FS, Static: static.FS}}
	_, err = build.NewBuilder(build.Config{Cards: true}).Run(ctx, os.DirFS(siteDir), opts, folder)
	folder.Close()
	if err != nil {
		t.Fatal(err)
	}
	serveSite(t, ln, public)
	cmd := exec.CommandContext(ctx, tools.node, "pictures.mjs", baseURL, "/articles/sale/")
	cmd.Env = append(os.Environ(), "DEALSITE_CHROMIUM="+tools.chromium)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	t.Logf("node pictures.mjs:\n%s", out)
	if err != nil {
		t.Fatalf("picture checks failed (%v); screenshots in browsertest/artifacts/screenshots/pictures-*.png", err)
	}
	// TimelineJS shows the lead picture on the event's slide.
	tl := exec.CommandContext(ctx, tools.node, "timelinejs.mjs", baseURL)
	tl.Env = cmd.Env
	tl.WaitDelay = 5 * time.Second
	out, err = tl.CombinedOutput()
	t.Logf("node timelinejs.mjs:\n%s", out)
	if err != nil {
		t.Errorf("TimelineJS does not show the media of timeline.json (%v)", err)
	}
}

// writePictureSite writes a site whose one long article shows a lead
// picture and two more far below the fold.
func writePictureSite(t *testing.T, dir string) {
	var body strings.Builder
	body.WriteString("---\ntitle: The sale\ndate: 2013-09-03\nparties: [Nokia, Microsoft]\n" +
		"image: {src: lead.jpg, alt: A gradient standing in for the signing table, caption: The lead picture, credit: Test drawing}\n---\n")
	paragraph := "The agreement moved the phone business from one company to the other, with its factories, its staff and its brands, and both sides explained at length what it meant for them.\n\n"
	for range 40 {
		body.WriteString(paragraph)
	}
	body.WriteString("![A gradient standing in for a factory](factory.jpg \"A picture of the article's folder\")\n\n")
	for range 10 {
		body.WriteString(paragraph)
	}
	body.WriteString("![A half-transparent gradient standing in for a map](/img/map.png \"A picture under static/\")\n\n")
	for range 5 {
		body.WriteString(paragraph)
	}
	files := map[string][]byte{
		"content/_index.md":             []byte("---\ntitle: Pictured deals\nbase_url: https://example.org/\n---\nA test site.\n"),
		"content/2013-sale/index.md":    []byte(body.String()),
		"content/2013-sale/lead.jpg":    gradientJPEG(t, 1600, 900),
		"content/2013-sale/factory.jpg": gradientJPEG(t, 1200, 800),
		"static/img/map.png":            gradientPNG(t, 900, 600),
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func gradientJPEG(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gradientPNG(t *testing.T, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{30, uint8(x * 255 / w), 170, uint8(128 + 127*y/h)})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
