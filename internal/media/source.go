package media

import (
	"fmt"
	"image"
	stddraw "image/draw"
	"sync"

	"golang.org/x/image/draw"
)

// scaler resamples every variant. Catmull-Rom is the sharpest of
// golang.org/x/image/draw's kernels, and x/image/draw widens any kernel
// but ApproxBiLinear by the scale factor when it shrinks, so it does
// not alias (TestScaleKernelKeepsDetail measures both). It is also the
// slowest (BenchmarkScale), which the halvings of a source pay for.
var scaler = draw.CatmullRom

// A source is an image decoded once for all its variants: its pixels
// as stored (premultiplied RGBA, so that transparent pixels do not
// darken what they border when averaged), and halvings of them made as
// variants need them. A variant is scaled by Catmull-Rom from the
// smallest halving still at least twice its size, so shrinking a
// 12-megapixel photo to 480 pixels reads a 1000-pixel picture, not
// 4000, while Catmull-Rom, still shrinking by 2 or more, filters out
// what the box averages of the halvings let through (measured by
// TestVariantsKeepDetailWithoutMoire). What a variant is made from
// depends on the image and the variant alone, never on the others.
type source struct {
	orientation int

	mu     sync.Mutex
	levels []*image.RGBA // levels[0] the pixels; each next one half the last
}

// decodeSource decodes src, whose Info is info, into a source.
func decodeSource(src []byte, info Info) (*source, error) {
	img, err := decodeRaster(src, info.Format)
	if err != nil {
		return nil, err
	}
	orientation := 1
	if info.Format == JPEG {
		orientation = jpegOrientation(src)
	}
	shown := img.Bounds().Size()
	if orientation >= 5 {
		shown.X, shown.Y = shown.Y, shown.X
	}
	if shown.X != info.Width || shown.Y != info.Height {
		return nil, fmt.Errorf("media: the image is %d×%d, not the %d×%d it was inspected as",
			shown.X, shown.Y, info.Width, info.Height)
	}
	pix := image.NewRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
	stddraw.Draw(pix, pix.Rect, img, img.Bounds().Min, stddraw.Src)
	return &source{orientation: orientation, levels: []*image.RGBA{pix}}, nil
}

// size is the memory the source holds, for the cache's budget.
func (s *source) size() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, l := range s.levels {
		n += len(l.Pix)
	}
	return n
}

// variant returns the pixels of a variant as shown: scaled and oriented.
func (s *source) variant(v Variant) *image.RGBA {
	w, h := v.Width, v.Height // scaled as stored, then turned
	if s.orientation >= 5 {
		w, h = h, w
	}
	return orient(resample(s.level(w, h), w, h), s.orientation)
}

// level returns the smallest halving at least 2w×2h, or the pixels.
func (s *source) level(w, h int) *image.RGBA {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		last := s.levels[len(s.levels)-1]
		if last.Rect.Dx()/2 < 2*w || last.Rect.Dy()/2 < 2*h {
			break
		}
		s.levels = append(s.levels, halve(last))
	}
	for i := len(s.levels) - 1; ; i-- {
		if l := s.levels[i]; l.Rect.Dx() >= 2*w && l.Rect.Dy() >= 2*h || i == 0 {
			return l
		}
	}
}

// halve averages each square of 2×2 pixels into one, exactly, in
// integers (an odd last row or column is left out).
func halve(src *image.RGBA) *image.RGBA {
	w, h := src.Rect.Dx()/2, src.Rect.Dy()/2
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		top := src.Pix[2*y*src.Stride:]
		bottom := src.Pix[(2*y+1)*src.Stride:]
		out := dst.Pix[y*dst.Stride:]
		for i := range 4 * w {
			j := i + i&^3 // the same channel of the left pixel of the pair
			sum := int(top[j]) + int(top[j+4]) + int(bottom[j]) + int(bottom[j+4])
			out[i] = uint8((sum + 2) / 4)
		}
	}
	return dst
}

// resample scales img to w×h with the scaler (a copy when the size is
// already right).
func resample(img *image.RGBA, w, h int) *image.RGBA {
	if img.Rect.Dx() == w && img.Rect.Dy() == h {
		return img
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	scaler.Scale(dst, dst.Rect, img, img.Rect, draw.Src, nil)
	return dst
}
