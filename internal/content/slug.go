package content

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// symbolWords spell out symbols that carry meaning in names, so that
// "C++" and "C" or "C#" get different slugs.
var symbolWords = map[rune]string{'+': "plus", '#': "sharp", '&': "and", '@': "at", '%': "percent"}

// Slugify makes a URL path segment from text: lower-case letters and
// digits of any script, words joined by single dashes. The result never
// contains '/', '.', '\\' or anything else that could leave its folder;
// it is at most 100 bytes long and empty when text has no letters, digits or known symbols.
func Slugify(text string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(text) {
		word, isSymbol := symbolWords[r]
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		case isSymbol:
			if b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteString(word)
			dash = true
		default:
			dash = true
		}
	}
	return truncateSlug(b.String())
}

// maxSlugBytes keeps every path segment far below the 255-byte name limit
// of common file systems.
const maxSlugBytes = 100

func truncateSlug(s string) string {
	if len(s) <= maxSlugBytes {
		return s
	}
	cut := maxSlugBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimRight(s[:cut], "-")
}
