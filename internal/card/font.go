package card

import (
	"fmt"
	"image"
	"image/draw"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// fonts are the two Go fonts a card is drawn with, parsed once: parsing
// is the slow part, and an sfnt.Font is safe for concurrent use as long
// as every call brings its own sfnt.Buffer.
var fonts = sync.OnceValues(func() (map[bool]*sfnt.Font, error) {
	regular, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("card: Go Regular: %w", err)
	}
	bold, err := sfnt.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("card: Go Bold: %w", err)
	}
	return map[bool]*sfnt.Font{false: regular, true: bold}, nil
})

// A face is one of the fonts at one pixel size. Its caches make a card
// cheap once the first few cards have drawn the common letters; they
// only memoize what the font says, so they never change what is drawn.
// A face is safe for concurrent use.
type face struct {
	font   *sfnt.Font
	px     int // the size, in pixels per em
	ppem   fixed.Int26_6
	ascent int // pixels above the baseline

	runes  sync.Map // rune → runeInfo
	glyphs sync.Map // glyphKey → *glyph
}

// faces holds every face made so far. Cards use a handful of sizes,
// so it stays small.
var faces sync.Map // faceKey → *face

type faceKey struct {
	bold bool
	px   int
}

// runeInfo is what a face knows about a rune: its glyph (0 when the font
// lacks it) and how far it moves the pen.
type runeInfo struct {
	index   sfnt.GlyphIndex
	advance fixed.Int26_6
}

// subpixels is how many horizontal positions within a pixel a glyph is
// rasterized at: enough to space letters evenly at the card's sizes.
const subpixels = 4

type glyphKey struct {
	index sfnt.GlyphIndex
	phase uint8 // which of the subpixels positions
}

// A glyph is a rasterized letter: a coverage mask whose top-left corner
// sits at (dx, dy) from the pen position on the baseline.
type glyph struct {
	mask   []uint8
	w, h   int
	dx, dy int
}

// faceOf returns the Go font (bold or regular) at px pixels per em.
func faceOf(buf *sfnt.Buffer, bold bool, px int) (*face, error) {
	key := faceKey{bold, px}
	if f, ok := faces.Load(key); ok {
		return f.(*face), nil
	}
	all, err := fonts()
	if err != nil {
		return nil, err
	}
	f := &face{font: all[bold], px: px, ppem: fixed.I(px)}
	m, err := f.font.Metrics(buf, f.ppem, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("card: font metrics: %w", err)
	}
	f.ascent = m.Ascent.Ceil()
	actual, _ := faces.LoadOrStore(key, f)
	return actual.(*face), nil
}

// rune returns what the face knows about r. Only the runes the font
// has are kept, so text in other scripts cannot grow the cache.
func (f *face) rune(buf *sfnt.Buffer, r rune) runeInfo {
	if ri, ok := f.runes.Load(r); ok {
		return ri.(runeInfo)
	}
	x, err := f.font.GlyphIndex(buf, r)
	if err != nil || x == 0 {
		return runeInfo{}
	}
	adv, err := f.font.GlyphAdvance(buf, x, f.ppem, font.HintingNone)
	if err != nil {
		return runeInfo{}
	}
	ri := runeInfo{index: x, advance: adv}
	f.runes.Store(r, ri)
	return ri
}

// has reports whether the font has a glyph for r.
func (f *face) has(buf *sfnt.Buffer, r rune) bool {
	return f.rune(buf, r).index != 0
}

// kern returns the kerning between two glyphs (0 where the font has none).
func (f *face) kern(buf *sfnt.Buffer, a, b sfnt.GlyphIndex) fixed.Int26_6 {
	if a == 0 || b == 0 {
		return 0
	}
	k, err := f.font.Kern(buf, a, b, f.ppem, font.HintingNone)
	if err != nil {
		return 0
	}
	return k
}

// width returns how wide s is drawn in this face.
func (f *face) width(buf *sfnt.Buffer, s string) fixed.Int26_6 {
	var w fixed.Int26_6
	var prev sfnt.GlyphIndex
	for _, r := range s {
		ri := f.rune(buf, r)
		w += f.kern(buf, prev, ri.index) + ri.advance
		prev = ri.index
	}
	return w
}

// glyph returns the rasterized glyph x at a subpixel phase.
func (f *face) glyph(buf *sfnt.Buffer, x sfnt.GlyphIndex, phase uint8) (*glyph, error) {
	key := glyphKey{x, phase}
	if g, ok := f.glyphs.Load(key); ok {
		return g.(*glyph), nil
	}
	g, err := f.rasterize(buf, x, fixed.Int26_6(phase)*64/subpixels)
	if err != nil {
		return nil, err
	}
	actual, _ := f.glyphs.LoadOrStore(key, g)
	return actual.(*glyph), nil
}

// rasterize draws glyph x with its origin at (originX, 0) into a new mask.
func (f *face) rasterize(buf *sfnt.Buffer, x sfnt.GlyphIndex, originX fixed.Int26_6) (*glyph, error) {
	segs, err := f.font.LoadGlyph(buf, x, f.ppem, nil)
	if err != nil {
		return nil, fmt.Errorf("card: glyph %d: %w", x, err)
	}
	b := segs.Bounds()
	b.Min.X += originX
	b.Max.X += originX
	g := &glyph{dx: b.Min.X.Floor(), dy: b.Min.Y.Floor()}
	g.w, g.h = b.Max.X.Ceil()-g.dx, b.Max.Y.Ceil()-g.dy
	if g.w <= 0 || g.h <= 0 {
		g.w, g.h = 0, 0
		return g, nil // a space
	}
	biasX, biasY := originX-fixed.I(g.dx), -fixed.I(g.dy)
	pt := func(p fixed.Point26_6) (float32, float32) {
		return float32(p.X+biasX) / 64, float32(p.Y+biasY) / 64
	}
	r := vector.NewRasterizer(g.w, g.h)
	r.DrawOp = draw.Src
	for _, s := range segs {
		ax, ay := pt(s.Args[0])
		bx, by := pt(s.Args[1])
		cx, cy := pt(s.Args[2])
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			r.MoveTo(ax, ay)
		case sfnt.SegmentOpLineTo:
			r.LineTo(ax, ay)
		case sfnt.SegmentOpQuadTo:
			r.QuadTo(ax, ay, bx, by)
		case sfnt.SegmentOpCubeTo:
			r.CubeTo(ax, ay, bx, by, cx, cy)
		}
	}
	mask := image.NewAlpha(image.Rect(0, 0, g.w, g.h))
	r.Draw(mask, mask.Bounds(), image.Opaque, image.Point{})
	g.mask = mask.Pix
	return g, nil
}
