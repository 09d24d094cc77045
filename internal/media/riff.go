package media

import "encoding/binary"

// webpChunks calls yield with the FourCC of each chunk of a WebP (RIFF)
// file, in order, until yield returns false or the chunks run out or
// stop making sense.
func webpChunks(src []byte, yield func(fourCC string) bool) {
	for i := 12; i+8 <= len(src); {
		if !yield(string(src[i : i+4])) {
			return
		}
		n := uint64(binary.LittleEndian.Uint32(src[i+4:]))
		next := uint64(i) + 8 + n + n&1 // chunks are padded to an even size
		if next > uint64(len(src)) {
			return
		}
		i = int(next)
	}
}

// webpAnimated reports whether a WebP file holds an animation, which
// golang.org/x/image/webp does not decode.
func webpAnimated(src []byte) bool {
	animated := false
	webpChunks(src, func(c string) bool {
		animated = c == "ANIM" || c == "ANMF"
		return !animated
	})
	return animated
}
