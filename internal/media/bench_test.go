package media

import (
	"bytes"
	"image"
	stddraw "image/draw"
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
// ms/MP is time on the clock; cpu-ms/MP the processor time of the
// whole test process (all its threads), steadier on a busy machine.

func BenchmarkEncode(b *testing.B) {
	for _, c := range []struct {
		name string
		src  func(testing.TB) []byte
	}{
		{"jpeg-12MP", func(tb testing.TB) []byte { return encodeJPEG(tb, scene(4000, 3000, 1), 90) }},
		{"png-alpha-2MP", func(tb testing.TB) []byte { return encodePNG(tb, translucentScene(1600, 1250, 2)) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			src := c.src(b)
			info := mustInspect(b, src)
			vs := DefaultSettings.Variants(info)
			megapixels := float64(info.Width*info.Height) / 1e6
			NewProcessor("", DefaultSettings).Encode(src, info, vs[0]) // libwebp compiled once, outside the timing
			b.ResetTimer()
			var served, fallback int
			cpu := cpuTime()
			for b.Loop() {
				p := NewProcessor("", DefaultSettings)
				for _, v := range vs {
					out, err := p.Encode(src, info, v)
					if err != nil {
						b.Fatal(err)
					}
					switch {
					case v.Width == 800 && v.Format == WebP:
						served = len(out)
					case v.Width == 800:
						fallback = len(out)
					}
				}
			}
			cpu = cpuTime() - cpu
			ms := float64(b.Elapsed().Milliseconds()) / float64(b.N)
			b.ReportMetric(ms/megapixels, "ms/MP")
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N)/megapixels, "cpu-ms/MP")
			b.ReportMetric(float64(len(vs)), "variants")
			// What a screen 800 pixels wide downloads (the 800-pixel WebP)
			// against the original file.
			b.ReportMetric(100*(1-float64(served)/float64(len(src))), "%saved@800px")
			b.ReportMetric(float64(len(src))/1000, "original-kB")
			b.ReportMetric(float64(served)/1000, "webp800-kB")
			b.ReportMetric(float64(fallback)/1000, "fallback800-kB")
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

// TestVariantsKeepDetailWithoutMoire measures the stripes of
// TestScaleKernelKeepsDetail through the whole of a variant's scaling
// (halvings, then Catmull-Rom), at several sizes.
func TestVariantsKeepDetailWithoutMoire(t *testing.T) {
	for _, c := range []struct {
		period    float64 // of the stripes in a picture 400 wide
		width     int     // of the variant
		low, high float64 // the contrast it may keep
	}{
		{20, 160, 0.9, 1},  // 8 pixels apart once shrunk: kept
		{20, 100, 0.85, 1}, // 5 apart
		{8, 160, 0.8, 1},   // 3.2 apart
		{8, 60, 0, 0.05},   // 1.2 apart, finer than the variant shows: grey
		{5, 100, 0, 0.05},
		{3, 160, 0, 0.05},
		{3, 60, 0, 0.05},
	} {
		src := stripes(c.period)
		rgba := image.NewRGBA(src.Rect)
		stddraw.Draw(rgba, rgba.Rect, src, src.Rect.Min, stddraw.Src)
		s := &source{orientation: 1, levels: []*image.RGBA{rgba}}
		dst := s.variant(Variant{Width: c.width, Height: 16, Format: PNG})
		gray := image.NewGray(dst.Rect)
		stddraw.Draw(gray, gray.Rect, dst, dst.Rect.Min, stddraw.Src)
		if got := contrast(gray); got < c.low || got > c.high {
			t.Errorf("stripes %v apart shrunk from 400 to %d keep %.2f of their contrast, want %.2f to %.2f",
				c.period, c.width, got, c.low, c.high)
		}
	}
}

// stripeContrast shrinks vertical sine stripes of the period (in
// pixels) from 400 to 160 pixels wide and returns the contrast left,
// from 0 (flat) to 1 (all of it).
func stripeContrast(s draw.Scaler, period float64) float64 {
	src := stripes(period)
	dst := image.NewGray(image.Rect(0, 0, 160, 16))
	s.Scale(dst, dst.Rect, src, src.Bounds(), draw.Src, nil)
	return contrast(dst)
}

// stripes is a grey picture 400×40 of vertical sine stripes.
func stripes(period float64) *image.Gray {
	src := image.NewGray(image.Rect(0, 0, 400, 40))
	for x := range 400 {
		v := uint8(128 + 100*math.Sin(2*math.Pi*float64(x)/period))
		for y := range 40 {
			src.Pix[y*src.Stride+x] = v
		}
	}
	return src
}

// contrast is the contrast left along the middle row of a shrunk
// picture of stripes, away from its edges: 0 flat, 1 all of it.
func contrast(img *image.Gray) float64 {
	w, y := img.Rect.Dx(), img.Rect.Dy()/2
	lo, hi := 255, 0
	for x := 3; x < w-3; x++ {
		v := int(img.Pix[y*img.Stride+x])
		lo, hi = min(lo, v), max(hi, v)
	}
	return float64(hi-lo) / 200
}
