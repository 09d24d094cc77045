package build

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/corpus"
	"github.com/dealsite/dealsite/internal/media"
	"github.com/dealsite/dealsite/internal/outdir"
	"github.com/dealsite/dealsite/internal/render"
)

// testJPEG and testPNG are pictures made for the tests: a gradient, so
// that scaling has something to do; the PNG half transparent.
func testJPEG(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func testPNG(t testing.TB, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{20, uint8(x * 255 / w), 160, uint8(255 * (x % 2))})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// mediaSite is a site with a lead JPEG in an article folder, a PNG
// under static/ that two articles show, a PDF beside one of them, and an
// article without pictures.
func mediaSite(t testing.TB) fstest.MapFS {
	return fstest.MapFS{
		"content/_index.md": {Data: []byte("---\ntitle: Pictured deals\nbase_url: https://example.org/deals/\n---\nIntro.\n")},
		"content/2013-sale/index.md": {Data: []byte("---\ntitle: The sale\ndate: 2013-09-03\nparties: [Nokia, Microsoft]\n" +
			"image: {src: signing.jpg, alt: Two pens on a contract, caption: The signing table, credit: Project drawing}\n---\n" +
			"The sale closed.\n\n![A map of the two head offices](/img/map.png \"Where they are\")\n\nThe [memo](memo.pdf).\n")},
		"content/2013-sale/signing.jpg": {Data: testJPEG(t, 1000, 600)},
		"content/2013-sale/memo.pdf":    {Data: []byte("%PDF-1.4 memo")},
		"content/2014-later.md": {Data: []byte("---\ntitle: Later\ndate: 2014-04-25\n---\n" +
			"Again the map.\n\n![A map of the two head offices](/img/map.png)\n")},
		"content/2015-plain.md": {Data: []byte("---\ntitle: A plain event with a title long enough to wrap on its card\ndate: 2015-07-08\nparties: [Microsoft]\n---\nNo pictures.\n")},
		"static/img/map.png":    {Data: testPNG(t, 700, 400)},
	}
}

// TestPicturesArePublished: every variant of every picture is published
// once at the size it claims, pages give them width and height, and
// og:image names a published file: the lead picture, else a card.
func TestPicturesArePublished(t *testing.T) {
	fsys := mediaSite(t)
	out, err := buildWithCards(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]media.Variant{}
	for _, src := range []string{"content/2013-sale/signing.jpg", "static/img/map.png"} {
		info, err := media.Inspect(fsys[src].Data)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range media.DefaultSettings.Variants(info) {
			want[content.VariantPath(src, info, v, media.DefaultSettings)] = v
		}
	}
	published := 0
	for _, p := range out.Paths() {
		if strings.HasPrefix(p, "media/") {
			published++
		}
	}
	if published != len(want) {
		t.Errorf("%d files under media/, want %d (one per variant, the shared map once)", published, len(want))
	}
	for p, v := range want {
		b, ok := out.File(p)
		if !ok {
			t.Errorf("%s (%d×%d %s) not published", p, v.Width, v.Height, v.Format)
			continue
		}
		info, err := media.Inspect(b)
		if err != nil || info.Format != v.Format || info.Width != v.Width || info.Height != v.Height {
			t.Errorf("%s is %+v, %v; want %d×%d %s", p, info, err, v.Width, v.Height, v.Format)
		}
	}
	if b, ok := out.File("articles/sale/memo.pdf"); !ok || string(b) != "%PDF-1.4 memo" {
		t.Errorf("the memo beside its article = %q, %v", b, ok)
	}
	if _, ok := out.File("img/map.png"); !ok {
		t.Error("static/img/map.png is no longer copied as it is")
	}

	page := file(t, out, "articles/sale/index.html")
	for _, s := range []string{`width="1000" height="600"`, `alt="Two pens on a contract"`, `fetchpriority="high"`,
		`<figcaption>The signing table <span aria-hidden="true">·</span> <span class="credit">Project drawing</span></figcaption>`, `type="image/webp"`,
		`width="700" height="400"`, `name="twitter:card" content="summary_large_image"`} {
		if !strings.Contains(page, s) {
			t.Errorf("the article page lacks %s", s)
		}
	}
	assertSharedImage(t, out, "articles/sale/index.html", 1000, 600, ".jpg")
	assertSharedImage(t, out, "articles/later/index.html", cardWidth, cardHeight, "cards/later.png")
	assertSharedImage(t, out, "index.html", cardWidth, cardHeight, render.SiteCard)
	assertSharedImage(t, out, "years/2014/index.html", cardWidth, cardHeight, render.SiteCard)
	if _, ok := out.File("cards/sale.png"); ok {
		t.Error("an article with a lead picture has a card too")
	}

	tl := file(t, out, "timeline.json")
	if !regexp.MustCompile(`"media": \{\s*"url": "https://example.org/deals/media/signing-[0-9a-f]+-1000\.jpg",\s*"caption": "The signing table",\s*"credit": "Project drawing",\s*"thumbnail": "https://example.org/deals/media/signing-[0-9a-f]+-480\.jpg",\s*"alt": "Two pens on a contract"`).MatchString(tl) {
		t.Errorf("timeline.json has no media for the sale:\n%s", tl)
	}
}

// The size of a social card (package card, which build does not import).
const cardWidth, cardHeight = 1200, 630

// assertSharedImage checks that page's og:image, twitter:image and
// JSON-LD image name one published file of the size it claims.
func assertSharedImage(t *testing.T, out *Output, page string, w, h int, suffix string) {
	t.Helper()
	html := file(t, out, page)
	m := regexp.MustCompile(`<meta property="og:image" content="https://example.org/deals/([^"]+)">\n<meta property="og:image:width" content="(\d+)">\n<meta property="og:image:height" content="(\d+)">`).FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("%s has no og:image with its size", page)
	}
	if !strings.HasSuffix(m[1], suffix) {
		t.Errorf("%s: og:image %s, want …%s", page, m[1], suffix)
	}
	b, ok := out.File(m[1])
	if !ok {
		t.Fatalf("%s: og:image %s is not published", page, m[1])
	}
	info, err := media.Inspect(b)
	if err != nil || info.Width != w || info.Height != h || m[2] != strconv.Itoa(w) || m[3] != strconv.Itoa(h) {
		t.Errorf("%s: og:image %s is %+v (%v), says %s×%s; want %d×%d", page, m[1], info, err, m[2], m[3], w, h)
	}
	if !strings.Contains(html, `<meta name="twitter:image" content="https://example.org/deals/`+m[1]+`">`) {
		t.Errorf("%s: twitter:image is not og:image", page)
	}
	if strings.HasPrefix(page, "articles/") && !strings.Contains(html, `"image":"https://example.org/deals/`+m[1]+`"`) {
		t.Errorf("%s: JSON-LD image is not og:image", page)
	}
}

func file(t *testing.T, out *Output, p string) string {
	t.Helper()
	b, ok := out.File(p)
	if !ok {
		t.Fatalf("%s not produced", p)
	}
	return string(b)
}

// buildWithCards is Build with social cards.
func buildWithCards(fsys fs.FS) (*Output, error) {
	mem := outdir.NewMemory()
	r, err := NewBuilder(Config{Cards: true}).Run(context.Background(), fsys, Options{Theme: theme}, mem)
	if err != nil {
		return nil, err
	}
	return &Output{Files: mem.Files(), site: r.Site, stats: r.Stats}, nil
}

// TestTextEditEncodesNothing: after a text edit, a rebuild in watch asks
// the Processor for nothing and draws no card but the edited article's
// (its title is on it): the output still holds every variant.
func TestTextEditEncodesNothing(t *testing.T) {
	fsys := mediaSite(t)
	b := NewBuilder(Config{Rebuilds: true, Cards: true})
	mem := outdir.NewMemory()
	if _, err := b.Run(context.Background(), fsys, Options{Theme: theme}, mem); err != nil {
		t.Fatal(err)
	}
	proc, cards := b.media.Encoder.(*media.Processor), b.media.Cards.(*render.Cards)
	first, drawn := proc.Stats(), cards.Drawn()
	if first.Encoded == 0 || drawn == 0 {
		t.Fatalf("the first build encoded %d variants and drew %d cards", first.Encoded, drawn)
	}
	fsys["content/2013-sale/index.md"].Data = bytes.Replace(fsys["content/2013-sale/index.md"].Data, []byte("The sale closed."), []byte("The sale closed in April."), 1)
	fsys["content/2015-plain.md"].Data = bytes.Replace(fsys["content/2015-plain.md"].Data, []byte("title: A plain"), []byte("title: The plain"), 1)
	if _, err := b.Run(context.Background(), fsys, Options{Theme: theme}, mem); err != nil {
		t.Fatal(err)
	}
	if got := proc.Stats(); got != first {
		t.Errorf("a text edit asked the Processor for variants: %+v, then %+v", first, got)
	}
	if got := cards.Drawn(); got != drawn+1 {
		t.Errorf("a retitled article drew %d cards, want 1", got-drawn)
	}
	if !strings.Contains(string(must(mem.Files().File("articles/sale/index.html"))), "closed in April") {
		t.Error("the edit is not published")
	}
}

func must(b []byte, ok bool) []byte { return b }

// TestStaticMayNotHidePictures: a file under static/ at the path of a
// published variant is refused, as any static file hiding a generated
// one.
func TestStaticMayNotHidePictures(t *testing.T) {
	fsys := mediaSite(t)
	info, _ := media.Inspect(fsys["static/img/map.png"].Data)
	v := media.DefaultSettings.Variants(info)[0]
	clash := content.VariantPath("static/img/map.png", info, v, media.DefaultSettings)
	fsys["static/"+clash] = &fstest.MapFile{Data: []byte("not a picture")}
	_, err := buildWithCards(fsys)
	if err == nil || !strings.Contains(err.Error(), "static/"+clash+": error DS") || !strings.Contains(err.Error(), "would overwrite the generated page "+clash) {
		t.Errorf("err = %v, want a clash at static/%s", err, clash)
	}
}

// TestPicturesAreDeterministic: two clean builds of a site with
// pictures, each with its own Processor, are byte for byte the same,
// and so is a warm rebuild after the lead picture changed.
func TestPicturesAreDeterministic(t *testing.T) {
	fsys := mediaSite(t)
	warm := newWarm()
	warm.b = NewBuilder(Config{Rebuilds: true, Cards: true})
	if _, err := warm.Build(context.Background(), fsys, Options{Theme: theme}); err != nil {
		t.Fatal(err)
	}
	fsys["content/2013-sale/signing.jpg"] = &fstest.MapFile{Data: testJPEG(t, 900, 900)}
	builds := make([]*Output, 3)
	for i := range builds {
		build := func(ctx context.Context, fsys fs.FS, opts Options) (*Output, error) { return buildWithCards(fsys) }
		if i == 2 {
			build = warm.Build
		}
		out, err := build(context.Background(), fsys, Options{Theme: theme})
		if err != nil {
			t.Fatal(err)
		}
		builds[i] = out
	}
	for _, other := range builds[1:] {
		if !slices.Equal(builds[0].Paths(), other.Paths()) {
			t.Fatalf("paths differ:\n%q\n%q", builds[0].Paths(), other.Paths())
		}
		for _, p := range builds[0].Paths() {
			a, _ := builds[0].File(p)
			b, _ := other.File(p)
			if !bytes.Equal(a, b) {
				t.Errorf("%s differs between builds", p)
			}
		}
	}
	if !strings.Contains(file(t, builds[2], "articles/sale/index.html"), `width="900" height="900"`) {
		t.Error("the warm build shows the old picture")
	}
}

// TestCleanBuildReusesTheMediaCache: a second one-shot build with the
// same cache folder encodes no picture and draws no card, and makes the
// same files.
func TestCleanBuildReusesTheMediaCache(t *testing.T) {
	fsys, cache := mediaSite(t), t.TempDir()
	var outs [2]*outdir.Files
	var stats [2]media.Stats
	var drawn [2]int64
	for i := range outs {
		b := NewBuilder(Config{MediaCache: cache, Cards: true})
		mem := outdir.NewMemory()
		if _, err := b.Run(context.Background(), fsys, Options{Theme: theme}, mem); err != nil {
			t.Fatal(err)
		}
		outs[i] = mem.Files()
		stats[i], drawn[i] = b.media.Encoder.(*media.Processor).Stats(), b.media.Cards.(*render.Cards).Drawn()
	}
	if stats[0].Encoded == 0 || drawn[0] == 0 {
		t.Fatalf("the first build encoded %d variants and drew %d cards", stats[0].Encoded, drawn[0])
	}
	if stats[1].Encoded != 0 || drawn[1] != 0 || stats[1].FromDisk != stats[0].Encoded {
		t.Errorf("the second build encoded %d variants (%d from disk, want %d) and drew %d cards; want none",
			stats[1].Encoded, stats[1].FromDisk, stats[0].Encoded, drawn[1])
	}
	for _, p := range outs[0].Paths() {
		a, _ := outs[0].File(p)
		b, _ := outs[1].File(p)
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs when read from the cache", p)
		}
	}
}

// BenchmarkCleanBuildCards measures a clean one-shot build of the
// generated corpus (1,000 and 10,000 articles, or DEALSITE_BENCH_N)
// without cards, drawing every card, and reading them all from a warm
// cache folder:
//
//	go test -run XXX -bench CleanBuildCards -benchtime 1x ./internal/build
func BenchmarkCleanBuildCards(b *testing.B) {
	sizes := []int{1000, 10000}
	if n, err := strconv.Atoi(os.Getenv("DEALSITE_BENCH_N")); err == nil && n > 0 {
		sizes = []int{n}
	}
	for _, n := range sizes {
		fsys := corpus.Generate(n, 1)
		warm := b.TempDir()
		for _, mode := range []string{"off", "drawn", "cached"} {
			b.Run(fmt.Sprintf("n=%d/cards=%s", n, mode), func(b *testing.B) {
				if n > 1000 && testing.Short() {
					b.Skip("skipping 10,000 articles in -short mode")
				}
				if mode == "cached" { // the cache folder is warm before timing starts
					builder := NewBuilder(Config{MediaCache: warm, Cards: true})
					if _, err := builder.Run(context.Background(), fsys, Options{Theme: theme}, outdir.NewMemory()); err != nil {
						b.Fatal(err)
					}
				}
				var drawn int64
				for b.Loop() {
					builder := NewBuilder(Config{})
					switch mode {
					case "off":
						builder.media.Cards = nil
					case "drawn":
						builder.media.Cards = render.NewCards("")
					case "cached":
						builder.media.Cards = render.NewCards(filepath.Join(warm, "cards"))
					}
					if _, err := builder.Run(context.Background(), fsys, Options{Theme: theme}, outdir.NewMemory()); err != nil {
						b.Fatal(err)
					}
					if c, ok := builder.media.Cards.(*render.Cards); ok {
						drawn += c.Drawn()
					}
				}
				b.ReportMetric(float64(drawn)/float64(b.N), "cards-drawn/op")
			})
		}
	}
}

// BenchmarkTextEditWithPictures measures a watch rebuild after a text
// edit of an article with pictures, and reports the variants the
// Processor was asked for (none).
func BenchmarkTextEditWithPictures(b *testing.B) {
	fsys := mediaSite(b)
	builder := NewBuilder(Config{Rebuilds: true})
	mem := outdir.NewMemory()
	if _, err := builder.Run(context.Background(), fsys, Options{Theme: theme}, mem); err != nil {
		b.Fatal(err)
	}
	proc := builder.media.Encoder.(*media.Processor)
	before := proc.Stats()
	i := 0
	for b.Loop() {
		i++
		fsys["content/2013-sale/index.md"].Data = fmt.Appendf(nil, "---\ntitle: The sale\ndate: 2013-09-03\n"+
			"image: {src: signing.jpg, alt: Two pens on a contract}\n---\nEdit %d.\n\n![A map](/img/map.png)\n", i)
		if _, err := builder.Run(context.Background(), fsys, Options{Theme: theme}, mem); err != nil {
			b.Fatal(err)
		}
	}
	after := proc.Stats()
	asked := (after.Encoded + after.FromMemory + after.FromDisk) - (before.Encoded + before.FromMemory + before.FromDisk)
	b.ReportMetric(float64(asked)/float64(b.N), "variants-asked/op")
}
