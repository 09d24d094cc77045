package media

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
)

// Format is the kind of an image file.
type Format string

// The formats dealsite reads (all but WebP and SVG are also written).
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
	SVG  Format = "svg"
)

// MIME is the media type of the format, for <source type>.
func (f Format) MIME() string {
	if f == SVG {
		return "image/svg+xml"
	}
	return "image/" + string(f)
}

// Ext is the file extension of the format, with its dot.
func (f Format) Ext() string {
	if f == JPEG {
		return ".jpg"
	}
	return "." + string(f)
}

// Info is what a page needs to lay an image out.
type Info struct {
	Format Format
	// Width and Height are the size as shown: a JPEG whose EXIF
	// orientation turns it a quarter has them swapped from its pixels.
	Width, Height int
	// Hash is the SHA-256 of the file's bytes.
	Hash [32]byte
}

// Variant is one published rendition of an image.
type Variant struct {
	Width, Height int
	Format        Format
}

// Settings decide the variants of every image of a build.
type Settings struct {
	// Widths are the widths offered in srcset, in pixels, ascending.
	Widths []int
	// Quality is the lossy quality of WebP and JPEG variants, 1–100.
	Quality int
}

// DefaultSettings are the settings of a site that sets none.
var DefaultSettings = Settings{Widths: []int{480, 800, 1200, 1600}, Quality: 80}

// Key is a fingerprint of the settings: variants made with other
// settings have other names and other cache entries.
func (s Settings) Key() string {
	return fmt.Sprint(s.Widths, s.Quality)
}

// Fallback is the format offered to browsers without WebP.
func Fallback(f Format) Format {
	if f == JPEG {
		return JPEG
	}
	return PNG
}

// Variants lists an image's variants: each width of s narrower than
// the image, and the image's own width when it is narrower than the
// widest (never upscaled), each in WebP then in the fallback format.
// An SVG has none.
func (s Settings) Variants(info Info) []Variant {
	if info.Format == SVG || info.Width <= 0 || info.Height <= 0 {
		return nil
	}
	var widths []int
	for _, w := range s.Widths {
		if w < info.Width {
			widths = append(widths, w)
		}
	}
	if len(s.Widths) == 0 || info.Width <= slices.Max(s.Widths) {
		widths = append(widths, info.Width)
	}
	var out []Variant
	for _, f := range []Format{WebP, Fallback(info.Format)} {
		for _, w := range widths {
			h := max(1, (info.Height*w+info.Width/2)/info.Width)
			out = append(out, Variant{Width: w, Height: h, Format: f})
		}
	}
	return out
}

// Name is the file name of a variant of an image whose file was named
// stem (without extension): "signing-3fa94c0e1b-800.webp". The hash
// part covers the image's bytes, the settings and the versions of the
// code that encodes it, so the name changes whenever the bytes can.
func Name(stem string, info Info, v Variant, s Settings) string {
	h := sha256.New()
	h.Write(info.Hash[:])
	h.Write([]byte(s.Key()))
	h.Write([]byte(pipeline))
	sum := hex.EncodeToString(h.Sum(nil))[:10]
	return stem + "-" + sum + "-" + strconv.Itoa(v.Width) + v.Format.Ext()
}
