package media

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"testing"

	"golang.org/x/image/draw"
)

// The benchmarks encode every variant of a camera-sized JPEG and of a
// screenshot-sized PNG with alpha, as a first build of a site does, and
// report the cost per megapixel of the original. Run them with
//
//	go test -run '^$' -bench . -benchtime 3x ./internal/media
//
// (each iteration encodes several variants of a large picture).

func BenchmarkEncode(b *testing.B) {
	for _, c := range []struct {
		name string
		src  func(testing.TB) []byte
	}{
		{"jpeg-12MP", func(tb testing.TB) []byte { return encodeJPEG(tb, photo(4000, 3000, 1), 90) }},
		{"png-alpha-2MP", func(tb testing.TB) []byte { return encodePNG(tb, translucent(1600, 1250, 2)) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			src := c.src(b)
			info := mustInspect(b, src)
			vs := DefaultSettings.Variants(info)
			megapixels := float64(info.Width*info.Height) / 1e6
			NewProcessor("", DefaultSettings).Encode(src, info, vs[0]) // libwebp compiled once, outside the timing
			b.ResetTimer()
			var served int
			for b.Loop() {
				p := NewProcessor("", DefaultSettings)
				for _, v := range vs {
					out, err := p.Encode(src, info, v)
					if err != nil {
						b.Fatal(err)
					}
					if v.Width == 800 && v.Format == WebP {
						served = len(out)
					}
				}
			}
			ms := float64(b.Elapsed().Milliseconds()) / float64(b.N)
			b.ReportMetric(ms/megapixels, "ms/MP")
			b.ReportMetric(float64(len(vs)), "variants")
			// What a screen 800 pixels wide downloads (the 800-pixel WebP)
			// against the original file.
			b.ReportMetric(100*(1-float64(served)/float64(len(src))), "%saved@800px")
		})
	}
}

// BenchmarkScale compares x/image/draw's kernels on the work every
// variant of a photo does: a 12-megapixel JPEG's pixels to 1600 wide.
func BenchmarkScale(b *testing.B) {
	src, err := jpeg.Decode(bytes.NewReader(encodeJPEG(b, photo(4000, 3000, 1), 90)))
	if err != nil {
		b.Fatal(err)
	}
	for _, k := range kernels {
		b.Run(k.name, func(b *testing.B) {
			dst := image.NewRGBA(image.Rect(0, 0, 1600, 1200))
			for b.Loop() {
				k.scaler.Scale(dst, dst.Rect, src, src.Bounds(), draw.Src, nil)
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/12, "ms/MP")
		})
	}
}

var kernels = []struct {
	name   string
	scaler draw.Scaler
}{
	{"ApproxBiLinear", draw.ApproxBiLinear},
	{"BiLinear", draw.BiLinear},
	{"CatmullRom", draw.CatmullRom},
}

// TestScaleKernelKeepsDetail measures what each kernel does to stripes
// when a picture shrinks by 2.5: stripes 8 pixels apart once shrunk
// should keep their contrast (detail), and stripes 1.2 pixels apart,
// finer than the smaller picture can show, should fade to grey instead
// of turning into coarser false stripes (aliasing, moiré). It checks
// that the chosen kernel does best on both together: the reason it was
// chosen.
func TestScaleKernelKeepsDetail(t *testing.T) {
	score := map[string]float64{}
	for _, k := range kernels {
		detail := stripeContrast(k.scaler, 20)
		alias := stripeContrast(k.scaler, 3)
		score[k.name] = detail - alias
		t.Logf("%-14s keeps %.2f of the detail and %.2f of what it cannot show", k.name, detail, alias)
	}
	for name, s := range score {
		if s > score["CatmullRom"] {
			t.Errorf("%s scores %.2f, more than the chosen Catmull-Rom's %.2f", name, s, score["CatmullRom"])
		}
	}
	if scaler != draw.CatmullRom {
		t.Errorf("the scaler is not the kernel measured here")
	}
}

// stripeContrast shrinks vertical sine stripes of the period (in
// pixels) from 400 to 160 pixels wide and returns the contrast left,
// from 0 (flat) to 1 (all of it).
func stripeContrast(s draw.Scaler, period float64) float64 {
	src := image.NewGray(image.Rect(0, 0, 400, 40))
	for x := range 400 {
		v := uint8(128 + 100*math.Sin(2*math.Pi*float64(x)/period))
		for y := range 40 {
			src.Pix[y*src.Stride+x] = v
		}
	}
	dst := image.NewGray(image.Rect(0, 0, 160, 16))
	s.Scale(dst, dst.Rect, src, src.Bounds(), draw.Src, nil)
	lo, hi := 255, 0
	for x := 8; x < 152; x++ { // away from the edges
		v := int(dst.Pix[8*dst.Stride+x])
		lo, hi = min(lo, v), max(hi, v)
	}
	return float64(hi-lo) / 200
}
