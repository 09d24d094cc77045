package card

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"sync"
)

// An ink is one of the colours text and rules are drawn in.
type ink uint8

const (
	inkText ink = iota
	inkMuted
	inkAccent
	numInks
)

// levels is how many shades lie between the background and each ink
// (the last is the ink itself): enough for smooth antialiased edges,
// few enough that the whole palette fits in one byte per pixel.
const levels = 16

// A canvas is a card being drawn: an image.Paletted whose palette is the
// background followed by, for each ink, a ramp of levels shades from
// the background to the ink. A byte per pixel instead of four, and long
// runs of equal bytes, make the PNG small and quick to compress.
type canvas struct {
	img *image.Paletted
}

func newCanvas(c Colors) *canvas {
	inks := [numInks]color.RGBA{inkText: c.Text, inkMuted: c.Muted, inkAccent: c.Accent}
	pal := make(color.Palette, 0, 1+numInks*levels)
	pal = append(pal, opaque(c.Background))
	for _, in := range inks {
		for l := 1; l <= levels; l++ {
			pal = append(pal, blend(c.Background, in, l))
		}
	}
	return &canvas{img: image.NewPaletted(image.Rect(0, 0, Width, Height), pal)}
}

// opaque drops alpha: a card is an opaque picture whatever the theme says.
func opaque(c color.RGBA) color.RGBA {
	c.A = 0xff
	return c
}

// blend returns the shade l/levels of the way from bg to fg.
func blend(bg, fg color.RGBA, l int) color.RGBA {
	mix := func(a, b uint8) uint8 {
		return uint8((int(a)*(levels-l) + int(b)*l + levels/2) / levels)
	}
	return color.RGBA{mix(bg.R, fg.R), mix(bg.G, fg.G), mix(bg.B, fg.B), 0xff}
}

// index is the palette index of ink at level l (1..levels).
func index(in ink, l int) uint8 {
	return uint8(1 + int(in)*levels + l - 1)
}

// fill paints r in ink at level l.
func (c *canvas) fill(r image.Rectangle, in ink, l int) {
	r = r.Intersect(c.img.Rect)
	px := index(in, l)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := c.img.Pix[y*c.img.Stride+r.Min.X : y*c.img.Stride+r.Max.X]
		for i := range row {
			row[i] = px
		}
	}
}

// stamp draws g in ink with its origin at (x, y). Where two glyphs'
// antialiased edges meet, the darker shade wins; where another ink is
// already drawn (text never overlaps, but be safe) the stronger
// coverage wins.
func (c *canvas) stamp(g *glyph, x, y int, in ink) {
	x0, y0 := x+g.dx, y+g.dy
	for gy := 0; gy < g.h; gy++ {
		py := y0 + gy
		if py < 0 || py >= Height {
			continue
		}
		for gx := 0; gx < g.w; gx++ {
			px := x0 + gx
			a := int(g.mask[gy*g.w+gx])
			if a == 0 || px < 0 || px >= Width {
				continue
			}
			c.blendPixel(py*c.img.Stride+px, in, (a*levels+127)/255)
		}
	}
}

func (c *canvas) blendPixel(i int, in ink, l int) {
	if l == 0 {
		return
	}
	old := c.img.Pix[i]
	if old != 0 {
		oldInk, oldLevel := ink((int(old)-1)/levels), (int(old)-1)%levels+1
		if oldLevel >= l && (oldInk == in || oldLevel > l) {
			return
		}
	}
	c.img.Pix[i] = index(in, l)
}

// encoder writes PNGs with the fastest compression: a card is mostly
// long runs of one byte, which even the fastest level packs well.
var encoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: new(bufferPool)}

type bufferPool sync.Pool

func (p *bufferPool) Get() *png.EncoderBuffer {
	b, _ := (*sync.Pool)(p).Get().(*png.EncoderBuffer)
	return b
}

func (p *bufferPool) Put(b *png.EncoderBuffer) { (*sync.Pool)(p).Put(b) }

func (c *canvas) png() ([]byte, error) {
	var out bytes.Buffer
	if err := encoder.Encode(&out, c.img); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
