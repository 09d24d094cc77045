package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	stddraw "image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"

	"github.com/gen2brain/webp"
	"golang.org/x/image/draw"
	xwebp "golang.org/x/image/webp"
)

// scaler resamples every variant. Catmull-Rom is the sharpest of
// golang.org/x/image/draw's kernels, and x/image/draw widens any kernel
// by the scale factor when it shrinks, so none of them alias; measured
// on a 12-megapixel photo-like JPEG (BenchmarkScale), Catmull-Rom costs
// about twice bilinear's time, which is small next to decoding the JPEG
// and encoding the WebP, and it keeps visibly more detail (see
// TestScaleKernelKeepsDetail).
var scaler = draw.CatmullRom

// encodeVariant makes one variant of a raster image: decode, scale,
// orient, encode. Nothing but pixels goes from src to the result.
func encodeVariant(src []byte, info Info, v Variant, quality int) ([]byte, error) {
	img, err := decodeRaster(src, info.Format)
	if err != nil {
		return nil, err
	}
	orientation := 1
	if info.Format == JPEG {
		orientation = jpegOrientation(src)
	}
	w, h := v.Width, v.Height // scaled before it is turned
	if orientation >= 5 {
		w, h = h, w
	}
	shown := img.Bounds().Size()
	if orientation >= 5 {
		shown.X, shown.Y = shown.Y, shown.X
	}
	if shown.X != info.Width || shown.Y != info.Height {
		return nil, fmt.Errorf("media: the image is %d×%d, not the %d×%d it was inspected as",
			shown.X, shown.Y, info.Width, info.Height)
	}
	pic := orient(scale(img, w, h), orientation)
	return encodeAs(pic, v.Format, quality, lossless(src, info.Format))
}

// decodeRaster decodes a raster image with its format's own decoder. A
// GIF gives its first frame, laid on its transparent canvas.
func decodeRaster(src []byte, f Format) (image.Image, error) {
	r := bytes.NewReader(src)
	switch f {
	case JPEG:
		return jpeg.Decode(r)
	case PNG:
		return png.Decode(r)
	case WebP:
		return xwebp.Decode(r)
	case GIF:
		return decodeGIFFrame(src)
	}
	return nil, fmt.Errorf("media: cannot decode %s", f)
}

// decodeGIFFrame lays a GIF's first frame on a canvas of the GIF's size
// (a frame may cover only part of it).
func decodeGIFFrame(src []byte) (image.Image, error) {
	cfg, err := gif.DecodeConfig(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	frame, err := gif.Decode(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	canvas := image.NewNRGBA(image.Rect(0, 0, cfg.Width, cfg.Height))
	stddraw.Draw(canvas, frame.Bounds(), frame, frame.Bounds().Min, stddraw.Src)
	return canvas, nil
}

// scale resamples img to w×h, in premultiplied RGBA so that transparent
// pixels do not darken the edges of what they surround.
func scale(img image.Image, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	b := img.Bounds()
	if b.Dx() == w && b.Dy() == h {
		stddraw.Draw(dst, dst.Rect, img, b.Min, stddraw.Src)
		return dst
	}
	scaler.Scale(dst, dst.Rect, img, b, draw.Src, nil)
	return dst
}

// lossless reports whether the source keeps exact pixels (PNG, GIF, a
// lossless WebP): its WebP variants are then lossless too, so a chart or
// a screenshot keeps its crisp edges. A JPEG or lossy WebP source gets
// lossy WebP variants at the settings' quality.
func lossless(src []byte, f Format) bool {
	switch f {
	case PNG, GIF:
		return true
	case WebP:
		return webpLossless(src)
	}
	return false
}

// encodeAs writes an image in a variant's format, with no metadata: the
// standard library's JPEG and PNG encoders and libwebp (as
// github.com/gen2brain/webp drives it) write pixels and nothing else.
func encodeAs(img *image.RGBA, f Format, quality int, lossless bool) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch f {
	case JPEG:
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	case PNG:
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		err = enc.Encode(&buf, straight(img))
	case WebP:
		err = webp.Encode(&buf, straight(img), webp.Options{Quality: quality, Lossless: lossless, Method: webpMethod})
	default:
		err = errors.New("no encoder")
	}
	if err != nil {
		return nil, fmt.Errorf("media: encoding %s: %w", f, err)
	}
	return buf.Bytes(), nil
}

// webpMethod is libwebp's effort, 0 (fast) to 6 (small): its default.
const webpMethod = 4

// straight converts premultiplied pixels to the non-premultiplied ones
// the PNG and WebP encoders want (github.com/gen2brain/webp would read
// an *image.RGBA's premultiplied bytes as if they were straight, which
// darkens every half-transparent pixel). An opaque image is the same in
// both and is only relabelled.
func straight(img *image.RGBA) *image.NRGBA {
	if img.Opaque() {
		return &image.NRGBA{Pix: img.Pix, Stride: img.Stride, Rect: img.Rect}
	}
	out := image.NewNRGBA(img.Rect)
	stddraw.Draw(out, out.Rect, img, img.Rect.Min, stddraw.Src)
	return out
}
