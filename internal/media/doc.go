// Package media inspects and processes the pictures of a site: the
// images an article's markdown shows, the lead image of its front
// matter, and pictures under static/ that articles use.
//
// It is a leaf: it knows nothing of articles, pages or folders. Its
// callers give it bytes and get bytes back.
//
//   - Inspect reads what a page needs to lay an image out before any
//     pixel is decoded: its format, its size as shown (the EXIF
//     orientation applied) and the hash of its bytes.
//   - Settings.Variants decides the responsive variants of an image
//     from that alone: a few widths, never wider than the original, each
//     in WebP and in a fallback of the original's kind (JPEG for JPEG,
//     PNG for PNG and GIF). An SVG has none: it is published as it is.
//     Name gives each variant a file name that changes whenever its
//     bytes could, so published names can be cached for ever.
//   - A Processor encodes a variant: decode, orient, scale, encode,
//     with no metadata (EXIF, GPS, ICC comments) carried over. The same
//     input and settings give the same bytes on every machine. Encoded
//     variants are kept by content hash and settings, in memory and in
//     a cache folder outside the output (see NewProcessor), so a text
//     edit in watch never encodes an image again and a clean build of
//     an unchanged site reuses the cache.
package media
