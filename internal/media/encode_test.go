package media

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"testing"
)

func mustInspect(t testing.TB, src []byte) Info {
	t.Helper()
	info, err := Inspect(src)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func TestEncodeEveryVariant(t *testing.T) {
	s := Settings{Widths: []int{100, 240, 400}, Quality: 80}
	sources := map[string][]byte{
		"jpeg":          encodeJPEG(t, photo(300, 200, 1), 90),
		"png":           encodePNG(t, translucent(300, 200, 2)),
		"gif":           encodeGIF(t, photo(300, 200, 3)),
		"lossy webp":    encodeWebP(t, photo(300, 200, 4), false),
		"lossless webp": encodeWebP(t, translucent(300, 200, 5), true),
	}
	for name, src := range sources {
		t.Run(name, func(t *testing.T) {
			info := mustInspect(t, src)
			p := NewProcessor("", s)
			vs := s.Variants(info)
			if len(vs) != 6 { // 100, 240 and the image's own 300, in two formats
				t.Fatalf("variants %v, want 3 widths × 2 formats", vs)
			}
			for _, v := range vs {
				out, err := p.Encode(src, info, v)
				if err != nil {
					t.Fatalf("%v: %v", v, err)
				}
				img, f := decodeAny(t, out)
				if got := img.Bounds().Size(); f != v.Format || got != image.Pt(v.Width, v.Height) {
					t.Errorf("variant %v is a %v %s", v, got, f)
				}
			}
		})
	}
}

// The orientations as the EXIF standard describes them, written out
// rather than computed: for a stored picture whose quarters are red,
// green, blue, white (top left, top right, bottom left, bottom right),
// the colours shown in the same quarters.
var shownQuadrants = map[int][4]color.RGBA{
	1: {red, green, blue, white},
	2: {green, red, white, blue}, // mirrored left to right
	3: {white, blue, green, red}, // turned a half
	4: {blue, white, red, green}, // mirrored top to bottom
	5: {red, blue, green, white}, // stored row 0 is the left column, column 0 the top row
	6: {blue, red, white, green}, // turned a quarter clockwise
	7: {white, green, blue, red}, // stored row 0 is the right column, column 0 the bottom row
	8: {green, white, red, blue}, // turned a quarter anticlockwise
}

func TestEncodeAppliesEveryOrientation(t *testing.T) {
	stored := encodeJPEG(t, quadrants(64, 32), 100)
	for o := 1; o <= 8; o++ {
		for _, order := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
			t.Run(fmt.Sprintf("%d/%v", o, order), func(t *testing.T) {
				src := withSegment(stored, exifSegment(order, o, false))
				info := mustInspect(t, src)
				want := image.Pt(64, 32)
				if o >= 5 {
					want = image.Pt(32, 64)
				}
				if got := image.Pt(info.Width, info.Height); got != want {
					t.Fatalf("Inspect says %v, want %v", got, want)
				}
				for _, f := range []Format{JPEG, WebP} {
					out, err := NewProcessor("", DefaultSettings).Encode(src, info, Variant{Width: want.X, Height: want.Y, Format: f})
					if err != nil {
						t.Fatal(err)
					}
					img, _ := decodeAny(t, out)
					checkQuadrants(t, img, shownQuadrants[o])
				}
			})
		}
	}
}

// checkQuadrants looks at the middle of each quarter of img.
func checkQuadrants(t *testing.T, img image.Image, want [4]color.RGBA) {
	t.Helper()
	b := img.Bounds()
	if b.Dx() < 4 || b.Dy() < 4 {
		t.Fatalf("image of %v is too small to look at", b)
	}
	for i, c := range want {
		x := b.Min.X + b.Dx()/4 + (i%2)*b.Dx()/2
		y := b.Min.Y + b.Dy()/4 + (i/2)*b.Dy()/2
		if got := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA); !near(got, c, 40) {
			t.Errorf("quarter %d shows %v, want %v", i, got, c)
		}
	}
}

func near(a, b color.RGBA, tolerance int) bool {
	d := func(x, y uint8) bool { return abs(int(x)-int(y)) <= tolerance }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

func abs(v int) int { return max(v, -v) }

func TestEncodeStripsMetadata(t *testing.T) {
	// A phone's photo: held sideways (orientation 6), with where it was taken.
	src := withSegment(encodeJPEG(t, quadrants(64, 32), 95), exifSegment(binary.BigEndian, 6, true))
	if !bytes.Contains(src, []byte(gpsMarker)) || jpegOrientation(src) != 6 {
		t.Fatal("the test photo carries no GPS block or orientation")
	}
	info := mustInspect(t, src)
	p := NewProcessor("", Settings{Widths: []int{16}, Quality: 80})
	for _, v := range p.settings.Variants(info) {
		out, err := p.Encode(src, info, v)
		if err != nil {
			t.Fatal(err)
		}
		for _, leak := range []string{"Exif", "GPS", "SECRET", "MM\x00*", "II*\x00", "\xFF\xE1", "EXIF", "XMP"} {
			if bytes.Contains(out, []byte(leak)) {
				t.Errorf("%v variant holds %q", v, leak)
			}
		}
		img, _ := decodeAny(t, out)
		if img.Bounds().Dx() > img.Bounds().Dy() {
			t.Errorf("%v variant is %v: not turned upright", v, img.Bounds())
		}
		checkQuadrants(t, img, shownQuadrants[6])
	}
}

func TestEncodeKeepsTransparency(t *testing.T) {
	src := encodePNG(t, translucent(200, 100, 7))
	info := mustInspect(t, src)
	p := NewProcessor("", DefaultSettings)
	for _, f := range []Format{PNG, WebP} {
		for _, w := range []int{200, 100} {
			out, err := p.Encode(src, info, Variant{Width: w, Height: w / 2, Format: f})
			if err != nil {
				t.Fatal(err)
			}
			img, _ := decodeAny(t, out)
			left := color.NRGBAModel.Convert(img.At(0, w/4)).(color.NRGBA)
			mid := color.NRGBAModel.Convert(img.At(w/2, w/4)).(color.NRGBA)
			right := color.NRGBAModel.Convert(img.At(w-1, w/4)).(color.NRGBA)
			if left.A < 240 || right.A > 15 || mid.A < 100 || mid.A > 155 {
				t.Errorf("%s at %d: alpha %d, %d, %d from left to right, want opaque, half, clear",
					f, w, left.A, mid.A, right.A)
			}
			// A half-transparent pixel keeps its colour: premultiplied
			// bytes read as straight ones would halve it.
			src := translucent(200, 100, 7).NRGBAAt(100, 50)
			if abs(int(mid.R)-int(src.R)) > 40 {
				t.Errorf("%s at %d: half-transparent red %d, want about %d", f, w, mid.R, src.R)
			}
		}
	}
}

func TestEncodeGIFFirstFrame(t *testing.T) {
	src := encodeGIF(t, quadrants(40, 40))
	info := mustInspect(t, src)
	out, err := NewProcessor("", DefaultSettings).Encode(src, info, Variant{Width: 40, Height: 40, Format: PNG})
	if err != nil {
		t.Fatal(err)
	}
	img, _ := decodeAny(t, out)
	checkQuadrants(t, img, shownQuadrants[1])
}

func TestEncodeRefusesVariantsTheImageCannotHave(t *testing.T) {
	src := encodeJPEG(t, photo(100, 50, 1), 90)
	info := mustInspect(t, src)
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20"/>`)
	svgInfo := mustInspect(t, svg)
	p := NewProcessor("", DefaultSettings)
	for _, c := range []struct {
		src  []byte
		info Info
		v    Variant
	}{
		{src, info, Variant{Width: 200, Height: 100, Format: WebP}}, // upscaled
		{src, info, Variant{Width: 100, Height: 51, Format: JPEG}},
		{src, info, Variant{Width: 50, Height: 25, Format: PNG}}, // not the fallback of a JPEG
		{src, info, Variant{Width: 0, Height: 0, Format: JPEG}},
		{svg, svgInfo, Variant{Width: 5, Height: 10, Format: SVG}},
		{svg, svgInfo, Variant{Width: 10, Height: 20, Format: PNG}}, // never rasterized
	} {
		if out, err := p.Encode(c.src, c.info, c.v); err == nil {
			t.Errorf("Encode(%v) of a %d×%d %s = %d bytes, want an error", c.v, c.info.Width, c.info.Height, c.info.Format, len(out))
		}
	}
	out, err := p.Encode(svg, svgInfo, Variant{Width: 10, Height: 20, Format: SVG})
	if err != nil || !bytes.Equal(out, svg) {
		t.Errorf("an SVG's own variant = %q, %v; want the file unchanged", out, err)
	}
}

func TestVariantsNeverUpscale(t *testing.T) {
	for w := 1; w < 2000; w += 37 {
		info := Info{Format: JPEG, Width: w, Height: 3*w/4 + 1}
		for _, v := range DefaultSettings.Variants(info) {
			if v.Width > info.Width || v.Height > info.Height || v.Width < 1 || v.Height < 1 {
				t.Errorf("%d×%d has a %v variant", info.Width, info.Height, v)
			}
		}
	}
}
