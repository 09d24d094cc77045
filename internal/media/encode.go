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

// encodeAs writes an image in a variant's format, with no metadata: the
// standard library's JPEG and PNG encoders and libwebp (as
// github.com/gen2brain/webp drives it) write pixels and nothing else.
//
// WebP is always lossy, with its alpha channel kept exactly (libwebp
// compresses alpha losslessly in lossy files): lossless WebP, measured
// on a 2-megapixel photo with alpha, was 50 times larger (1.6 MB
// against 32 KB) and 15 times slower, and a drawing that needs
// exact edges is better published as SVG. The PNG fallback, which only
// browsers without WebP fetch, is compressed for speed: measured on the
// same picture, png.BestSpeed wrote 3.1 MB in 0.7 s where
// png.BestCompression wrote 2.6 MB in 10.5 s.
func encodeAs(img *image.RGBA, f Format, quality int) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch f {
	case JPEG:
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	case PNG:
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		err = enc.Encode(&buf, straight(img))
	case WebP:
		err = webp.Encode(&buf, straight(img), webp.Options{Quality: quality, Method: webpMethod})
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
