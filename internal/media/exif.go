package media

import (
	"bytes"
	"encoding/binary"
)

// The EXIF orientation says how a camera held sideways stored its
// pixels: 1 is upright, 2–4 mirror or turn half way, and 5–8 turn a
// quarter (so the picture as shown is as wide as the stored one is
// tall). Only this one tag is read: a hand-written reader of a few
// dozen lines, bounds-checked at every step and fuzzed through Inspect,
// is smaller to trust than an EXIF library, and no other metadata is
// ever carried into a variant.
const orientationTag = 0x0112

// jpegOrientation returns the EXIF orientation (1–8) of a JPEG file, or
// 1 when it has none or it cannot be read. It walks the marker
// segments before the first scan and reads the first Exif APP1.
func jpegOrientation(src []byte) int {
	if !bytes.HasPrefix(src, []byte{0xFF, 0xD8}) {
		return 1
	}
	for i := 2; i+4 <= len(src); {
		if src[i] != 0xFF {
			return 1
		}
		marker := src[i+1]
		switch {
		case marker == 0xFF: // fill byte before a marker
			i++
			continue
		case marker == 0x01 || marker >= 0xD0 && marker <= 0xD8: // no length
			i += 2
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan, end of image
			return 1
		}
		n := int(binary.BigEndian.Uint16(src[i+2:]))
		if n < 2 || i+2+n > len(src) {
			return 1
		}
		seg := src[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation reads the orientation tag of the first image file
// directory (IFD0) of the TIFF structure inside an Exif segment; 1 when
// it is absent or out of range.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		order = binary.LittleEndian
	case "MM\x00*":
		order = binary.BigEndian
	default:
		return 1
	}
	off := uint64(order.Uint32(t[4:]))
	if off < 8 || off+2 > uint64(len(t)) {
		return 1
	}
	count := int(order.Uint16(t[off:]))
	entries := t[off+2:]
	for k := 0; k < count && 12*(k+1) <= len(entries); k++ {
		e := entries[12*k:]
		if order.Uint16(e) != orientationTag {
			continue
		}
		const short = 3 // the TIFF type of the orientation value
		if order.Uint16(e[2:]) != short || order.Uint32(e[4:]) != 1 {
			return 1
		}
		if o := int(order.Uint16(e[8:])); o >= 1 && o <= 8 {
			return o
		}
		return 1
	}
	return 1
}
