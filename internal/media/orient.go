package media

import "image"

// orient turns and mirrors stored pixels into the picture as shown, for
// an EXIF orientation 1–8.
func orient(src *image.RGBA, orientation int) *image.RGBA {
	if orientation <= 1 || orientation > 8 {
		return src
	}
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := w, h
	if orientation >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		row := src.Pix[y*src.Stride:]
		for x := range w {
			dx, dy := shownAt(x, y, w, h, orientation)
			copy(dst.Pix[dy*dst.Stride+4*dx:][:4], row[4*x:][:4])
		}
	}
	return dst
}

// shownAt is where the stored pixel (x, y) of a w×h image is shown.
// Each orientation names where the stored first row and column go:
// 2 mirrors, 3 turns a half, 4 flips, 5 transposes, 6 turns a quarter
// clockwise, 7 transposes the other way, 8 turns a quarter anticlockwise.
func shownAt(x, y, w, h, orientation int) (int, int) {
	switch orientation {
	case 2:
		return w - 1 - x, y
	case 3:
		return w - 1 - x, h - 1 - y
	case 4:
		return x, h - 1 - y
	case 5:
		return y, x
	case 6:
		return h - 1 - y, x
	case 7:
		return h - 1 - y, w - 1 - x
	case 8:
		return y, w - 1 - x
	}
	return x, y
}
