package media

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"

	xwebp "golang.org/x/image/webp"
)

// The limits Inspect enforces, so that a small file that declares a
// huge picture (a decompression bomb) is refused before any pixel is
// decoded. A 50-megapixel photo decodes to about 200 MB.
const (
	// MaxPixels is the most pixels (width × height) of a raster image.
	MaxPixels = 50_000_000
	// MaxBytes is the largest image file, of any format, in bytes.
	MaxBytes = 50 << 20
)

// ErrUnknownFormat is returned by Inspect for bytes that are no image it reads.
var ErrUnknownFormat = errors.New("not a JPEG, PNG, GIF, WebP or SVG image")

// ErrTooLarge is matched (errors.Is) by every *LimitError.
var ErrTooLarge = errors.New("image too large")

// A LimitError is returned by Inspect for an image over MaxBytes or
// MaxPixels. errors.Is(err, ErrTooLarge) reports it.
type LimitError struct {
	Format        Format // "" when the file was refused by its size alone
	Bytes         int    // the file's size
	Width, Height int    // the declared size, when the file was read
}

func (e *LimitError) Error() string {
	if e.Width == 0 {
		return fmt.Sprintf("image file is %d bytes, more than the %d MB dealsite reads", e.Bytes, MaxBytes>>20)
	}
	return fmt.Sprintf("%s image is %d×%d pixels, more than the %d megapixels dealsite processes",
		e.Format, e.Width, e.Height, MaxPixels/1_000_000)
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *LimitError) Is(target error) bool { return target == ErrTooLarge }

// An InvalidError is returned by Inspect for a file that starts like an
// image of Format but cannot be used: a broken header, an SVG with a
// DOCTYPE or a script, an animated WebP.
type InvalidError struct {
	Format Format
	Reason string
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("invalid %s image: %s", e.Format, e.Reason)
}

// Inspect reads an image's format, size and hash without decoding its
// pixels. The size is the size as shown: a JPEG whose EXIF orientation
// turns it a quarter (orientations 5–8) has its width and height
// swapped. It returns a *LimitError for files over MaxBytes or rasters
// over MaxPixels, an *InvalidError for a recognised but unusable file,
// and ErrUnknownFormat for anything else.
func Inspect(src []byte) (Info, error) {
	if len(src) > MaxBytes {
		return Info{}, &LimitError{Bytes: len(src)}
	}
	f := sniff(src)
	var (
		info Info
		err  error
	)
	switch f {
	case "":
		return Info{}, ErrUnknownFormat
	case SVG:
		info, err = inspectSVG(src)
	default:
		info, err = inspectRaster(src, f)
	}
	if err != nil {
		return Info{}, err
	}
	info.Hash = sha256.Sum256(src)
	return info, nil
}

// sniff tells a file's format from its first bytes ("" for none).
func sniff(src []byte) Format {
	switch {
	case bytes.HasPrefix(src, []byte("\xFF\xD8\xFF")):
		return JPEG
	case bytes.HasPrefix(src, []byte("\x89PNG\r\n\x1A\n")):
		return PNG
	case bytes.HasPrefix(src, []byte("GIF87a")), bytes.HasPrefix(src, []byte("GIF89a")):
		return GIF
	case len(src) >= 12 && string(src[:4]) == "RIFF" && string(src[8:12]) == "WEBP":
		return WebP
	case looksLikeXML(src):
		return SVG
	}
	return ""
}

// inspectRaster reads the header of a JPEG, PNG, GIF or WebP file.
func inspectRaster(src []byte, f Format) (Info, error) {
	cfg, err := decodeConfig(src, f)
	if err != nil {
		return Info{}, &InvalidError{Format: f, Reason: err.Error()}
	}
	w, h := cfg.Width, cfg.Height
	if w <= 0 || h <= 0 {
		return Info{}, &InvalidError{Format: f, Reason: fmt.Sprintf("size %d×%d", w, h)}
	}
	if int64(w)*int64(h) > MaxPixels {
		return Info{}, &LimitError{Format: f, Bytes: len(src), Width: w, Height: h}
	}
	if f == WebP && webpAnimated(src) {
		return Info{}, &InvalidError{Format: f, Reason: "animated WebP is not supported; use a still image"}
	}
	if f == JPEG && jpegOrientation(src) >= 5 {
		w, h = h, w
	}
	return Info{Format: f, Width: w, Height: h}, nil
}

// decodeConfig reads a raster header with the format's own decoder, not
// image.DecodeConfig: two WebP decoders register themselves, and which
// one image.DecodeConfig picks would depend on initialisation order.
func decodeConfig(src []byte, f Format) (image.Config, error) {
	r := bytes.NewReader(src)
	switch f {
	case JPEG:
		return jpeg.DecodeConfig(r)
	case PNG:
		return png.DecodeConfig(r)
	case GIF:
		return gif.DecodeConfig(r)
	case WebP:
		return xwebp.DecodeConfig(r)
	}
	return image.Config{}, ErrUnknownFormat
}
