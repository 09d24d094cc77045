// Package media inspects and processes the pictures of a site: the
// images an article's markdown shows, the lead image of its front
// matter, and pictures under static/ that articles use.
//
// It is a leaf: it knows nothing of articles, pages or folders. Its
// callers give it bytes and get bytes back.
//
// # Inspecting
//
// Inspect reads what a page needs to lay an image out before any pixel
// is decoded: its format (JPEG, PNG, GIF, WebP or SVG, told by its
// first bytes, whatever the file is called), its size as shown and the
// SHA-256 of its bytes. A JPEG's EXIF orientation is applied to the
// size: a photo taken with the camera held upright, stored lying down
// (orientations 5–8), reports its width and height swapped.
//
// Inspect refuses, with errors a caller can tell apart:
//   - a file over MaxBytes (50 MB) or a raster over MaxPixels (50
//     megapixels, about 200 MB decoded), which is how a decompression
//     bomb, a small file declaring a huge picture, is stopped before it
//     is decoded: a *LimitError, errors.Is(err, ErrTooLarge);
//   - a file that starts like an image but cannot be used (a broken
//     header, an animated WebP): an *InvalidError;
//   - an SVG that is not well-formed XML with an <svg> root in the SVG
//     namespace, has no size (width and height in pixels, or a
//     viewBox), or has a DOCTYPE (and so entities), a <script>, an on*
//     event attribute or a javascript: link: an *InvalidError. An SVG is
//     published as its own file and shown through <img>, never inlined,
//     and never rasterized;
//   - anything else: ErrUnknownFormat.
//
// # Variants
//
// Settings.Variants decides the responsive variants of an image from
// its Info alone: each of the settings' widths narrower than the image,
// and the image's own width when it is no wider than the widest (never
// upscaled), each in WebP and in a fallback of the original's kind
// (JPEG for JPEG, PNG for PNG, GIF and WebP). An SVG has none: it is
// published as it is. Name gives each variant a file name that changes
// whenever its bytes could (the image's hash, the settings, and the
// versions of the code that encodes it), so published names can be
// cached for ever.
//
// A Processor encodes a variant: decode (a GIF's first frame), scale,
// orient, encode. Nothing but pixels is carried over: no EXIF, GPS,
// ICC profile, XMP or comment reaches a variant. Transparency is kept
// in PNG and WebP variants. An image is decoded once for all its
// variants; each variant is scaled with Catmull-Rom from the smallest
// exact 2×2 halving of the pixels that is still at least twice its
// size. WebP variants are lossy at the settings' quality (alpha kept
// exactly); JPEG variants use the same quality; PNG variants are
// lossless.
//
// # Determinism
//
// The same image and settings give the same bytes on every machine.
// JPEG and PNG are written by the standard library; WebP by libwebp 1.4
// compiled to WebAssembly and embedded in github.com/gen2brain/webp,
// run by wazero (compiled on amd64 and arm64, interpreted elsewhere,
// with the same results: the tests pin its bytes). That package would
// use a system libwebp instead when one is installed as libwebp.so (a
// development package) and the binary was not built with
// -tags nodynamic; such a binary is deterministic on its own machine
// only, and keeps its cache entries apart. Build releases with
// -tags nodynamic.
//
// # Caching
//
// A Processor keeps encoded variants in memory (256 MB at most, the
// least recently used dropped first) and in a cache folder outside the
// site's output, by default DefaultCacheDir: dealsite/media under the
// user's cache directory (~/.cache/dealsite/media on Linux). An entry is
// keyed by the image's hash, the quality, the variant and the versions
// of everything that makes its bytes, so a text edit in watch never
// encodes an image again, a clean build of an unchanged site reuses the
// folder, and changing the widths re-encodes only the new widths. The
// folder may be deleted at any time; when it cannot be created the
// Processor keeps variants in memory only. Entries are written whole (a
// temporary file renamed) and checked when read; a damaged one is
// encoded and written again. Stats counts what was encoded and what
// came from each cache.
package media
