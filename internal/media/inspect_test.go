package media

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"strings"
	"testing"
)

func TestInspectReadsEveryFormat(t *testing.T) {
	for _, c := range []struct {
		name string
		src  []byte
		want Info
	}{
		{"jpeg", encodeJPEG(t, photo(30, 20, 1), 80), Info{Format: JPEG, Width: 30, Height: 20}},
		{"png", encodePNG(t, translucent(31, 21, 1)), Info{Format: PNG, Width: 31, Height: 21}},
		{"gif", encodeGIF(t, photo(32, 22, 1)), Info{Format: GIF, Width: 32, Height: 22}},
		{"lossy webp", encodeWebP(t, photo(33, 23, 1), false), Info{Format: WebP, Width: 33, Height: 23}},
		{"lossless webp", encodeWebP(t, translucent(34, 24, 1), true), Info{Format: WebP, Width: 34, Height: 24}},
		{"svg with a size", []byte(`<?xml version="1.0"?>
<!-- a chart -->
<svg xmlns="http://www.w3.org/2000/svg" width="640px" height="480"><rect width="1" height="1"/></svg>`),
			Info{Format: SVG, Width: 640, Height: 480}},
		{"svg with a viewBox", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300"/>`), Info{Format: SVG, Width: 400, Height: 300}},
		{"svg with a width and a viewBox", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="200" viewBox="0,0,400,300"/>`), Info{Format: SVG, Width: 200, Height: 150}},
		{"svg with a percent width", []byte("\xEF\xBB\xBF <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 40 30\"/>"), Info{Format: SVG, Width: 40, Height: 30}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Inspect(c.src)
			c.want.Hash = sha256.Sum256(c.src)
			if err != nil || got != c.want {
				t.Errorf("Inspect = %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

func TestInspectOrientationSwapsTheSize(t *testing.T) {
	stored := encodeJPEG(t, photo(40, 30, 1), 80)
	for o := 0; o <= 9; o++ { // 0: no tag; 9: out of range, read as upright
		src := withSegment(stored, exifSegment(binary.LittleEndian, o, true))
		info := mustInspect(t, src)
		w, h := 40, 30
		if o >= 5 && o <= 8 {
			w, h = 30, 40
		}
		if info.Width != w || info.Height != h {
			t.Errorf("orientation %d: %d×%d, want %d×%d", o, info.Width, info.Height, w, h)
		}
	}
}

// pngHeader is the start of a PNG that declares a w×h picture: enough
// for its header to be read, and no pixels.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32([]byte("IHDR"), w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA
	b := []byte("\x89PNG\r\n\x1A\n")
	b = binary.BigEndian.AppendUint32(b, 13)
	b = append(b, ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}

func TestInspectRefuses(t *testing.T) {
	svg := func(s string) []byte { return []byte(s) }
	for _, c := range []struct {
		name string
		src  []byte
		want string // in the error
		is   error
	}{
		{"a decompression bomb", pngHeader(20000, 20000), "20000×20000 pixels", ErrTooLarge},
		{"just over the pixel limit", pngHeader(MaxPixels/1000+1, 1000), "megapixels", ErrTooLarge},
		{"a huge file", append(pngHeader(10, 10), make([]byte, MaxBytes)...), "MB", ErrTooLarge},
		{"text", []byte("hello"), "not a JPEG", ErrUnknownFormat},
		{"nothing", nil, "not a JPEG", ErrUnknownFormat},
		{"a truncated jpeg", encodeJPEG(t, photo(8, 8, 1), 80)[:20], "invalid jpeg", nil},
		{"a png of no size", pngHeader(0, 10), "invalid png", nil},
		{"a doctype", svg(`<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg" width="1" height="1">&a;</svg>`), "DOCTYPE", nil},
		{"a script", svg(`<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><script>alert(1)</script></svg>`), "<script>", nil},
		{"an event handler", svg(`<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1" onload="alert(1)"/>`), "onload", nil},
		{"a javascript link", svg(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink" width="1" height="1"><a x:href=" JavaScript:alert(1)"/></svg>`), "javascript:", nil},
		{"no namespace", svg(`<svg width="1" height="1"/>`), "not <svg>", nil},
		{"an html page", svg(`<html><body></body></html>`), "root element is <html>", nil},
		{"no size", svg(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "no size", nil},
		{"ill-formed", svg(`<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><g></svg>`), "invalid svg", nil},
		{"no root", svg(`<!-- only a comment -->`), "no root", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			info, err := Inspect(c.src)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Inspect = %+v, %v; want an error with %q", info, err, c.want)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %v is not %v", err, c.is)
			}
			var invalid *InvalidError
			if c.is == nil && !errors.As(err, &invalid) {
				t.Errorf("error %v is not an *InvalidError", err)
			}
		})
	}
}

func TestInspectRefusesAnimatedWebP(t *testing.T) {
	// A VP8X header flagged as animated, then an ANIM chunk.
	src := []byte("RIFF\x00\x00\x00\x00WEBPVP8X\x0A\x00\x00\x00\x02\x00\x00\x00\x09\x00\x00\x09\x00\x00ANIM\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	binary.LittleEndian.PutUint32(src[4:], uint32(len(src)-8))
	_, err := Inspect(src)
	if err == nil || !strings.Contains(err.Error(), "animated") {
		t.Errorf("Inspect(animated WebP) = %v, want an error saying it is animated", err)
	}
}

// FuzzInspect feeds Inspect arbitrary bytes, starting from every format
// it reads: it must not panic, and what it accepts must be usable.
func FuzzInspect(f *testing.F) {
	jpg := encodeJPEG(f, photo(8, 6, 1), 80)
	f.Add(jpg)
	f.Add(withSegment(jpg, exifSegment(binary.BigEndian, 6, true)))
	f.Add(withSegment(jpg, exifSegment(binary.LittleEndian, 8, false)))
	f.Add(encodePNG(f, translucent(5, 4, 1)))
	f.Add(encodeGIF(f, photo(5, 4, 1)))
	f.Add(encodeWebP(f, photo(5, 4, 1), false))
	f.Add(encodeWebP(f, translucent(5, 4, 1), true))
	f.Add(pngHeader(20000, 20000))
	f.Add([]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" viewBox="0 0 4 3"><g/></svg>`))
	f.Fuzz(func(t *testing.T, src []byte) {
		info, err := Inspect(src)
		if err != nil {
			return
		}
		if info.Width < 1 || info.Height < 1 || info.Hash != sha256.Sum256(src) {
			t.Fatalf("Inspect accepted %+v", info)
		}
		if o := jpegOrientation(src); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
		switch info.Format {
		case JPEG, PNG, GIF, WebP:
			if int64(info.Width)*int64(info.Height) > MaxPixels {
				t.Fatalf("accepted %d×%d pixels", info.Width, info.Height)
			}
		case SVG:
		default:
			t.Fatalf("format %q", info.Format)
		}
	})
}
