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
	xwebp "golang.org/x/image/webp"
)

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
