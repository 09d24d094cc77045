package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"

	"github.com/gen2brain/webp"
)

// The test pictures are made here, not kept as files: photo-like ones
// are smooth gradients with seeded noise (as a camera's sensor gives,
// so encoders work as hard as on a photo), and the rest are flat
// shapes whose colours a test can look for after encoding.

// photo is an opaque w×h picture: diagonal gradients plus seeded noise.
func photo(w, h int, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, 15))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			n := rng.IntN(25) - 12
			i := img.PixOffset(x, y)
			img.Pix[i+0] = clamp8(255*x/w + n)
			img.Pix[i+1] = clamp8(255*y/h + n)
			img.Pix[i+2] = clamp8(255*(x+y)/(w+h) + n)
			img.Pix[i+3] = 255
		}
	}
	return img
}

// scene is an opaque w×h picture closer to a photograph than photo, for
// measuring bytes: a sky and a textured ground (grass, gravel: detail
// a few pixels across), seeded discs with hard edges (things in
// front), and mild sensor noise.
func scene(w, h int, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, 16))
	const cell = 6 // pixels across a grain of the ground's texture
	gw := w/cell + 2
	grain := make([]int, gw*(h/cell+2))
	for i := range grain {
		grain[i] = rng.IntN(61) - 30
	}
	texture := func(x, y int) int { // the grain, smoothly interpolated
		cx, cy, fx, fy := x/cell, y/cell, x%cell, y%cell
		at := func(i, j int) int { return grain[(cy+j)*gw+cx+i] }
		top := at(0, 0)*(cell-fx) + at(1, 0)*fx
		bottom := at(0, 1)*(cell-fx) + at(1, 1)*fx
		return (top*(cell-fy) + bottom*fy) / (cell * cell)
	}
	type disc struct{ x, y, r, c int }
	discs := make([]disc, 12)
	for i := range discs {
		discs[i] = disc{rng.IntN(w), h/3 + rng.IntN(h), w/40 + rng.IntN(w/8), rng.IntN(200)}
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			r, g, b := 90+100*y/h, 140+80*y/h, 230-60*y/h // sky
			if y > h/2 {
				t := texture(x, y)
				r, g, b = 70+30*x/w+t, 110-40*(y-h/2)/h+t, 50+t/2 // ground
			}
			for _, d := range discs {
				if dx, dy := x-d.x, y-d.y; dx*dx+dy*dy < d.r*d.r {
					r, g, b = d.c, 160-d.c/2, 60+d.c/3
				}
			}
			n := rng.IntN(7) - 3
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = clamp8(r+n), clamp8(g+n), clamp8(b+n), 255
		}
	}
	return img
}

// translucent is a w×h picture whose alpha falls from opaque on the
// left to clear on the right, over seeded noise.
func translucent(w, h int, seed uint64) *image.NRGBA {
	p := photo(w, h, seed)
	img := image.NewNRGBA(p.Rect)
	copy(img.Pix, p.Pix)
	for y := range h {
		for x := range w {
			img.Pix[img.PixOffset(x, y)+3] = uint8(255 - 255*x/max(1, w-1))
		}
	}
	return img
}

// translucentScene is scene with the alpha of translucent.
func translucentScene(w, h int, seed uint64) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	copy(img.Pix, scene(w, h, seed).Pix)
	for y := range h {
		for x := range w {
			img.Pix[img.PixOffset(x, y)+3] = uint8(255 - 255*x/max(1, w-1))
		}
	}
	return img
}

// quadrants is a w×h picture with flat red, green, blue and white
// quarters (top left, top right, bottom left, bottom right).
func quadrants(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, quadrantColors[2*(2*y/h)+2*x/w])
		}
	}
	return img
}

var (
	red   = color.RGBA{255, 0, 0, 255}
	green = color.RGBA{0, 255, 0, 255}
	blue  = color.RGBA{0, 0, 255, 255}
	white = color.RGBA{255, 255, 255, 255}

	quadrantColors = []color.RGBA{red, green, blue, white}
)

func clamp8(v int) uint8 { return uint8(min(max(v, 0), 255)) }

func encodeJPEG(t testing.TB, img image.Image, quality int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeGIF(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeWebP(t testing.TB, img image.Image, lossless bool) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := webp.Encode(&b, img, webp.Options{Quality: 90, Lossless: lossless}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// exifSegment is a JPEG APP1 segment holding an Exif block with the
// orientation tag (none when orientation is 0) and, when gps, a GPS
// block (a position and the marker text gpsMarker), in the byte order.
func exifSegment(order byteOrder, orientation int, gps bool) []byte {
	var tiff []byte
	if order == binary.LittleEndian {
		tiff = []byte("II*\x00")
	} else {
		tiff = []byte("MM\x00*")
	}
	tiff = order.AppendUint32(tiff, 8) // IFD0 right after the header
	type entry struct {
		tag, typ uint16
		count    uint32
		value    uint32
	}
	var ifd0 []entry
	if orientation != 0 {
		// A SHORT is left-justified in the 4-byte value field.
		v := make([]byte, 4)
		order.PutUint16(v, uint16(orientation))
		ifd0 = append(ifd0, entry{0x0112, 3, 1, order.Uint32(v)})
	}
	gpsAt := uint32(8 + 2 + 12*(len(ifd0)+1) + 4)
	if gps {
		ifd0 = append(ifd0, entry{0x8825, 4, 1, gpsAt})
	}
	tiff = order.AppendUint16(tiff, uint16(len(ifd0)))
	for _, e := range ifd0 {
		tiff = order.AppendUint16(tiff, e.tag)
		tiff = order.AppendUint16(tiff, e.typ)
		tiff = order.AppendUint32(tiff, e.count)
		tiff = order.AppendUint32(tiff, e.value)
	}
	tiff = order.AppendUint32(tiff, 0) // no IFD1
	if gps {
		// GPSLatitudeRef "N", then an ASCII tag holding the marker
		// (GPSMapDatum), its text after the directory.
		text := uint32(len(tiff) + 2 + 2*12 + 4)
		tiff = order.AppendUint16(tiff, 2)
		tiff = order.AppendUint16(tiff, 0x0001)
		tiff = order.AppendUint16(tiff, 2)
		tiff = order.AppendUint32(tiff, 2)
		tiff = append(tiff, 'N', 0, 0, 0)
		tiff = order.AppendUint16(tiff, 0x0012)
		tiff = order.AppendUint16(tiff, 2)
		tiff = order.AppendUint32(tiff, uint32(len(gpsMarker)+1))
		tiff = order.AppendUint32(tiff, text)
		tiff = order.AppendUint32(tiff, 0)
		tiff = append(tiff, gpsMarker+"\x00"...)
	}
	body := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(body)+2))
	return append(seg, body...)
}

// byteOrder is what exifSegment writes with.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// gpsMarker is text a GPS block carries, to look for in outputs.
const gpsMarker = "WGS-84 SECRET PLACE"

// withSegment puts a segment right after a JPEG's start-of-image marker.
func withSegment(jpg, seg []byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// decodeAny decodes a variant's bytes by their format.
func decodeAny(t testing.TB, b []byte) (image.Image, Format) {
	t.Helper()
	f := sniff(b)
	var img image.Image
	var err error
	if f == WebP {
		img, err = webp.Decode(bytes.NewReader(b))
	} else {
		img, err = decodeRaster(b, f)
	}
	if err != nil {
		t.Fatalf("decoding a %s variant: %v", f, err)
	}
	return img, f
}
