package card

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/font/sfnt"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const site = "Nokia and Microsoft: a deal history"

// goldens are the cards kept as testdata/<name>.png: look at them when
// the layout changes.
var goldens = map[string]Spec{
	"article": { // as the bundled site's
		SiteTitle: site, Date: "3 September 2013",
		Title:   "Microsoft agrees to buy Nokia's phone business for $7.2 billion",
		Parties: []string{"Nokia", "Microsoft"},
	},
	"site": {
		SiteTitle: site,
		Description: "A dated timeline of Nokia and Microsoft's dealings from the Windows Phone 7 launch in 2010, " +
			"through the 2011 partnership and the 2013 sale of Nokia's phone business, to the 2019 cooperation on cloud and networks.",
	},
	"long": {
		SiteTitle: site + " — a very long site title that has to be cut somewhere before the edge",
		Date:      "3 September 2013",
		Title: "Rechtsschutzversicherungsgesellschaftenvertragsbedingungen and a very long title that goes on about " +
			"the acquisition, the board, the shareholders, the regulators in Brussels and Washington, and the staff",
		Parties: []string{"Microsoft Corporation", "Nokia Oyj", "Stephen Elop", "Steve Ballmer",
			"European Commission", "US Department of Justice", "Shareholders", "Qualcomm", "Foxconn"},
	},
	"greek-cyrillic": {
		SiteTitle: "Хронология", Date: "3 Σεπτεμβρίου 2013",
		Title:   "Η Microsoft εξαγοράζει τη Nokia — Microsoft покупает телефонный бизнес Nokia",
		Parties: []string{"Microsoft", "Nokia", "Стивен Элоп"},
	},
	"cjk": {
		SiteTitle: site, Date: "3 September 2013",
		Title:   "微软收购诺基亚手机业务",
		Parties: []string{"Microsoft", "Nokia"},
	},
}

func TestGolden(t *testing.T) {
	for name, spec := range goldens {
		t.Run(name, func(t *testing.T) {
			got := render(t, spec)
			path := filepath.Join("testdata", name+".png")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if n := differentPixels(decode(t, want), decode(t, got)); n > 0 {
				t.Errorf("%d pixels differ from %s (look at it, then run go test -update)", n, path)
			}
		})
	}
}

// goldenDigests records, for each Version, a digest of the golden cards
// it draws: cards drawn differently need a new Version, or caches would
// keep serving the old ones.
var goldenDigests = map[string]string{
	"3": "e042d5b861fda0a3515e437537521b97c66f1abd26d67cdb30786dc709d61863", // 2 drew the foot's rule without a site title
}

func TestVersion(t *testing.T) {
	h := sha256.New()
	for _, name := range slices.Sorted(maps.Keys(goldens)) {
		b, err := os.ReadFile(filepath.Join("testdata", name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		h.Write(decode(t, b).Pix)
	}
	if got := hex.EncodeToString(h.Sum(nil)); goldenDigests[Version] != got {
		t.Errorf("the golden cards are not those card.Version %q drew: give Version a new value, and record it in goldenDigests with digest %s", Version, got)
	}
}

func render(t testing.TB, s Spec) []byte {
	t.Helper()
	b, err := Render(s)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return b
}

// decode returns the card's pixels, as RGBA whatever the PNG holds.
func decode(t testing.TB, b []byte) *image.RGBA {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decoding the card: %v", err)
	}
	if got := img.Bounds(); got != image.Rect(0, 0, Width, Height) {
		t.Fatalf("card is %v, want %dx%d", got, Width, Height)
	}
	rgba := image.NewRGBA(img.Bounds())
	if p, ok := img.(*image.Paletted); ok { // as Render writes them: quick
		for i, c := range p.Pix {
			r, g, b, a := p.Palette[c].RGBA()
			copy(rgba.Pix[4*i:], []uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)})
		}
		return rgba
	}
	draw.Draw(rgba, rgba.Rect, img, image.Point{}, draw.Src)
	return rgba
}

func differentPixels(a, b *image.RGBA) int {
	n := 0
	for i := 0; i < len(a.Pix); i += 4 {
		if !bytes.Equal(a.Pix[i:i+4], b.Pix[i:i+4]) {
			n++
		}
	}
	return n
}

func sameColor(a, b color.Color) bool {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

// inked returns the bounds of the pixels in r that are not background.
func inked(img *image.RGBA, r image.Rectangle) image.Rectangle {
	bg := img.RGBAAt(Width-1, Height-1)
	var box image.Rectangle
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.RGBAAt(x, y) != bg {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box
}

// TestTextStaysInside: however long the text, it keeps to the margins
// and ends above the rule at the foot, and the site's title stays below it.
func TestTextStaysInside(t *testing.T) {
	for name, spec := range goldens {
		img := decode(t, render(t, spec))
		below := image.Rect(0, barH, Width, Height)
		if box := inked(img, below); box.Min.X < margin-4 || box.Max.X > Width-margin {
			t.Errorf("%s: text spans x %d..%d, want within %d..%d", name, box.Min.X, box.Max.X, margin, Width-margin)
		}
		if spec.Title == "" || strings.ContainsRune(spec.Title, '微') {
			continue // the site's card has no foot
		}
		if box := inked(img, image.Rect(0, bodyEnd, Width, footRule)); !box.Empty() {
			t.Errorf("%s: ink at %v, between the text and the rule", name, box)
		}
		if box := inked(img, image.Rect(0, footRule+2, Width, Height)); box.Max.Y > Height-margin/2+16 {
			t.Errorf("%s: the site's title reaches y %d", name, box.Max.Y)
		}
	}
}

// TestUndrawableTitle: a title in a script the font lacks draws the
// site's card with the date and parties, never boxes in place of letters.
func TestUndrawableTitle(t *testing.T) {
	base := Spec{SiteTitle: site, Date: "3 September 2013", Parties: []string{"Microsoft", "Nokia"}}
	want := render(t, base)
	for _, title := range []string{
		"微软收购诺基亚手机业务",                               // Chinese
		"マイクロソフトがノキアを買収",                            // Japanese
		"مايكروسوفت تستحوذ على نوكيا",               // Arabic
		"Microsoft מוכרת את נוקיה",                  // Hebrew, mixed with Latin
		"Microsoft to buy Nokia for ₹40,000 crore",  // a currency sign the font lacks
		"Microsoft купує бізнес Nokia (Қазақстан)",  // Cyrillic Supplement
		"Nokia\u0332 (a combining accent it lacks)", // U+0332 has no precomposed form
	} {
		s := base
		s.Title = title
		if !bytes.Equal(render(t, s), want) {
			t.Errorf("title %q: the card is not the site's card with the date and parties", title)
		}
	}
}

// TestIgnoredCharacters: emoji and invisible characters the font lacks
// are left out, and the rest of the text is drawn.
func TestIgnoredCharacters(t *testing.T) {
	base := Spec{SiteTitle: site, Date: "3 September 2013", Title: "Deal signed", Parties: []string{"Microsoft", "Nokia"}}
	want := render(t, base)
	for _, title := range []string{"Deal signed 🎉", "Deal\u200b signed", "🤝 Deal  signed ✍🏽", "Deal signed\u200f"} {
		s := base
		s.Title = title
		if !bytes.Equal(render(t, s), want) {
			t.Errorf("title %q is not drawn as %q", title, base.Title)
		}
	}
}

// TestDecomposedAccents: letters written as a letter and a combining
// accent (as some tools save text) are drawn as the precomposed letters
// the font has.
func TestDecomposedAccents(t *testing.T) {
	nfc := Spec{SiteTitle: site, Date: "3 September 2013", Title: "Café Škoda Ελλάδα Йошкар-Ола", Parties: []string{"Nokia Oyj", "Müller"}}
	nfd := Spec{SiteTitle: site, Date: "3 September 2013", Title: "Cafe\u0301 S\u030Ckoda Ελλα\u0301δα И\u0306ошкар-Ола", Parties: []string{"Nokia Oyj", "Mu\u0308ller"}}
	if !bytes.Equal(render(t, nfd), render(t, nfc)) {
		t.Error("decomposed accents are not drawn as the precomposed letters")
	}
}

// TestNoSiteTitle: an article's card without the site's title has no
// rule at its foot either.
func TestNoSiteTitle(t *testing.T) {
	img := decode(t, render(t, Spec{Date: "3 September 2013", Title: "Deal signed", Parties: []string{"Nokia"}}))
	if box := inked(img, image.Rect(0, bodyEnd, Width, Height)); !box.Empty() {
		t.Errorf("ink at %v, below the text", box)
	}
}

// TestUndrawableParty: one party the font cannot draw leaves all out,
// rather than naming some of them.
func TestUndrawableParty(t *testing.T) {
	base := Spec{SiteTitle: site, Date: "3 September 2013", Title: "Joint venture"}
	want := render(t, base)
	s := base
	s.Parties = []string{"Microsoft", "华为"}
	if !bytes.Equal(render(t, s), want) {
		t.Error("parties with one not drawable are drawn")
	}
	s.Parties = []string{"Microsoft"}
	if bytes.Equal(render(t, s), want) {
		t.Error("a drawable party is not drawn")
	}
}

func TestEmptyFields(t *testing.T) {
	for name, s := range map[string]Spec{
		"nothing":      {},
		"only a title": {Title: "Microsoft to buy Nokia"},
		"only a date":  {Date: "3 September 2013"},
		"blank":        {SiteTitle: " ", Title: "\t\n", Parties: []string{"", " "}},
	} {
		img := decode(t, render(t, s))
		if got, want := img.At(Width/2, 2), color.Color(DefaultColors.Accent); !sameColor(got, want) {
			t.Errorf("%s: top bar is %v, want the accent %v", name, got, want)
		}
	}
	if !bytes.Equal(render(t, Spec{Title: "\t\n"}), render(t, Spec{})) {
		t.Error("a blank title is drawn unlike an empty one")
	}
}

func TestColors(t *testing.T) {
	s := goldens["article"]
	if !bytes.Equal(render(t, s), render(t, Spec{Colors: DefaultColors, SiteTitle: s.SiteTitle, Date: s.Date, Title: s.Title, Parties: s.Parties})) {
		t.Error("zero Colors are not DefaultColors")
	}
	dark := Colors{
		Background: color.RGBA{0x12, 0x16, 0x1b, 0xff}, Text: color.RGBA{0xe8, 0xea, 0xed, 0xff},
		Muted: color.RGBA{0xa6, 0xb0, 0xba, 0xff}, Accent: color.RGBA{0x8c, 0xc3, 0xf7, 0xff},
	}
	s.Colors = dark
	img := decode(t, render(t, s))
	if !sameColor(img.At(Width-1, Height-1), dark.Background) || !sameColor(img.At(0, 0), dark.Accent) {
		t.Errorf("background %v and bar %v, want %v and %v", img.At(Width-1, Height-1), img.At(0, 0), dark.Background, dark.Accent)
	}
}

// TestDeterministic renders the same cards twice, the second time from
// many goroutines at once (run with -race).
func TestDeterministic(t *testing.T) {
	first := map[string][]byte{}
	for name, s := range goldens {
		first[name] = render(t, s)
	}
	var wg sync.WaitGroup
	for range 4 {
		for name, s := range goldens {
			wg.Go(func() {
				b, err := Render(s)
				if err != nil || !bytes.Equal(b, first[name]) {
					t.Errorf("%s: rendering again gives other bytes (err %v)", name, err)
				}
			})
		}
	}
	wg.Wait()
}

// BenchmarkRender draws each golden card, once the font is parsed and
// the letters cached (as in a build, after its first few cards).
func BenchmarkRender(b *testing.B) {
	for _, name := range slices.Sorted(maps.Keys(goldens)) {
		s := goldens[name]
		b.Run(name, func(b *testing.B) {
			size := len(render(b, s))
			b.ReportAllocs()
			for b.Loop() {
				render(b, s)
			}
			b.ReportMetric(float64(size), "bytes/card")
		})
	}
}

// TestUndrawableFields: a date, site title or description the font
// cannot draw is left out, and the rest of the card drawn.
func TestUndrawableFields(t *testing.T) {
	article := Spec{SiteTitle: site, Date: "3 September 2013", Title: "Deal signed", Parties: []string{"Microsoft"}}
	home := Spec{SiteTitle: site, Description: "The deals, the people and the money."}
	for _, tc := range []struct {
		name       string
		base       Spec
		undrawable func(*Spec)
		without    func(*Spec)
	}{
		{"date", article, func(s *Spec) { s.Date = "2013年9月3日" }, func(s *Spec) { s.Date = "" }},
		{"site title", article, func(s *Spec) { s.SiteTitle = "诺基亚 timeline" }, func(s *Spec) { s.SiteTitle = "" }},
		{"site card title", home, func(s *Spec) { s.SiteTitle = "诺基亚 timeline" }, func(s *Spec) { s.SiteTitle = "" }},
		{"description", home, func(s *Spec) { s.Description = "עסקאות" }, func(s *Spec) { s.Description = "" }},
	} {
		got, want := tc.base, tc.base
		tc.undrawable(&got)
		tc.without(&want)
		if !bytes.Equal(render(t, got), render(t, want)) {
			t.Errorf("%s not drawable: the card is not the one without it", tc.name)
		}
		if bytes.Equal(render(t, tc.base), render(t, want)) {
			t.Errorf("%s: drawable, it is not drawn", tc.name)
		}
	}
}

// FuzzRender: any text gives a card, with no error. (It reads only the
// PNG's header: decoding every card would slow the fuzzer tenfold.)
func FuzzRender(f *testing.F) {
	for _, s := range goldens {
		f.Add(s.SiteTitle, s.Date, s.Title, strings.Join(s.Parties, "|"))
	}
	f.Add("", "", "a\u0301\u200d🎉\x00\xff", "|||")
	f.Fuzz(func(t *testing.T, siteTitle, date, title, parties string) {
		s := Spec{SiteTitle: siteTitle, Date: date, Title: title, Parties: strings.Split(parties, "|"), Description: title}
		cfg, err := png.DecodeConfig(bytes.NewReader(render(t, s)))
		if err != nil || cfg.Width != Width || cfg.Height != Height {
			t.Fatalf("card is %dx%d (%v), want %dx%d", cfg.Width, cfg.Height, err, Width, Height)
		}
	})
}

// TestCacheBounded: titles in scripts the font lacks do not grow the
// faces' caches, which live as long as the process.
func TestCacheBounded(t *testing.T) {
	var buf sfnt.Buffer
	f, err := faceOf(&buf, true, titleStyles[0].px)
	if err != nil {
		t.Fatal(err)
	}
	for r := rune(0x4e00); r < 0x4e00+5000; r++ { // as 5,000 Chinese titles
		drawable(&buf, f, string(r))
	}
	n := 0
	f.runes.Range(func(any, any) bool { n++; return true })
	if max := f.font.NumGlyphs(); n > max {
		t.Errorf("the face caches %d runes, more than the font's %d glyphs", n, max)
	}
}
