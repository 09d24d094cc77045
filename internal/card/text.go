package card

import (
	"cmp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
)

// drawable returns s as the card draws it. It is composed (NFC), since
// the font has accented letters but no combining accents to add to a
// letter. Runs of white space become one space, or one no-break space
// where the text asks not to break (U+00A0, U+2007, U+202F). Invisible
// or decorative characters the font lacks (format characters,
// variation selectors, emoji and other pictographs) are left out, and
// control and format characters (a soft hyphen too: cards do not
// hyphenate) always are.
//
// It reports false when s holds a letter, digit, mark, punctuation or
// other symbol the font lacks: such text is not drawn at all (see the
// package doc), because a title missing some of its words or signs
// would say something else.
func drawable(buf *sfnt.Buffer, f *face, s string) (string, bool) {
	var b strings.Builder
	var space rune // the space to write before the next letter
	for _, r := range norm.NFC.String(s) {
		switch {
		case noBreak(r):
			space = '\u00a0'
			continue
		case unicode.IsSpace(r):
			space = cmp.Or(space, ' ')
			continue
		case unicode.In(r, unicode.Cc, unicode.Cf):
			continue // never drawn, even where the font has a glyph
		case f.has(buf, r):
		case ignorable(r):
			continue
		default:
			return "", false
		}
		if space != 0 && b.Len() > 0 {
			b.WriteRune(space)
		}
		space = 0
		b.WriteRune(r)
	}
	return b.String(), true
}

// noBreak reports whether r is a space that must not break a line.
func noBreak(r rune) bool { return r == '\u00a0' || r == '\u2007' || r == '\u202f' }

// ignorable reports whether leaving r out changes no word: control and
// format characters (zero-width joiners, direction marks), variation
// selectors, emoji and other pictographic symbols.
func ignorable(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.So, unicode.Sk, unicode.Variation_Selector)
}

// A token is a word and the separator drawn before it when it does not
// begin a line.
type token struct{ sep, text string }

// words splits text, as drawable returns it, into tokens at its spaces
// (not its no-break spaces), to be drawn separated by sep.
func words(text, sep string) []token {
	var toks []token
	for w := range strings.SplitSeq(text, " ") {
		if w != "" {
			toks = append(toks, token{sep, w})
		}
	}
	return toks
}

// join draws a line of tokens as one string.
func join(line []token) string {
	var b strings.Builder
	for i, t := range line {
		if i > 0 {
			b.WriteString(t.sep)
		}
		b.WriteString(t.text)
	}
	return b.String()
}

const ellipsis = "…"

// A wrapper breaks text into lines of a face at most width wide.
type wrapper struct {
	buf   *sfnt.Buffer
	face  *face
	width fixed.Int26_6
}

func (w wrapper) fits(s string) bool { return w.face.width(w.buf, s) <= w.width }

// wrap breaks toks into at most maxLines lines between tokens, and a
// token wider than a line into pieces (see split). When the text needs
// more lines, the last line ends with an ellipsis and cut is true.
func (w wrapper) wrap(toks []token, maxLines int) (lines []string, cut bool) {
	var done [][]token
	var cur []token
	for _, t := range toks {
		if len(cur) > 0 && w.fits(join(append(cur, t))) {
			cur = append(cur, t)
			continue
		}
		if len(cur) > 0 {
			done, cur = append(done, cur), nil
		}
		for len(done) < maxLines && !w.fits(t.text) {
			head, tail := w.split(t.text)
			done = append(done, []token{{text: head}})
			t = token{text: tail}
		}
		if len(done) == maxLines {
			return w.finish(done, true), true
		}
		cur = []token{t}
	}
	if len(cur) > 0 {
		done = append(done, cur)
	}
	return w.finish(done, false), false
}

// balance rewraps toks, which wrap laid out uncut as lines, on as many
// lines of nearly equal width, as a headline is set: "Nokia and
// Microsoft: / a deal history" rather than "Nokia and Microsoft: a /
// deal history". It narrows the width as far as the text still takes
// no more lines, but never below its widest word, so that no word
// breaks which did not.
func (w wrapper) balance(toks []token, lines []string) []string {
	if len(lines) < 2 {
		return lines
	}
	lo := fixed.Int26_6(0) // too narrow, or the widest word
	for _, t := range toks {
		lo = max(lo, w.face.width(w.buf, t.text)-1)
	}
	hi := w.width // wide enough
	for hi-lo > 64 {
		mid := w
		mid.width = (lo + hi) / 2
		if l, cut := mid.wrap(toks, len(lines)); cut || len(l) > len(lines) {
			lo = mid.width
		} else {
			hi = mid.width
		}
	}
	narrow := w
	narrow.width = hi
	lines, _ = narrow.wrap(toks, len(lines))
	return lines
}

// finish joins the lines, ending the last with an ellipsis if cut.
func (w wrapper) finish(done [][]token, cut bool) []string {
	lines := make([]string, len(done))
	for i, l := range done {
		lines[i] = join(l)
	}
	if cut && len(done) > 0 {
		lines[len(lines)-1] = w.ellipsize(done[len(done)-1])
	}
	return lines
}

// ellipsize ends a line with an ellipsis, dropping words (or, from a
// single word, letters) until it fits.
func (w wrapper) ellipsize(line []token) string {
	for len(line) > 1 && !w.fits(trimEnd(join(line))+ellipsis) {
		line = line[:len(line)-1]
	}
	s := trimEnd(join(line))
	for s != "" && !w.fits(s+ellipsis) {
		_, size := utf8.DecodeLastRuneInString(s)
		s = trimEnd(s[:len(s)-size])
	}
	return s + ellipsis
}

// trimEnd drops the spaces and separating punctuation an ellipsis
// should not follow.
func trimEnd(s string) string { return strings.TrimRight(s, " \u00a0,;:·•–—-") }

// split cuts a token too wide for a line: head is the longest start of
// it that fits (at least one letter), ending at a space or after a
// hyphen, dash or slash when it holds one.
func (w wrapper) split(text string) (head, tail string) {
	end, soft := 0, 0
	for i, r := range text {
		next := i + utf8.RuneLen(r)
		if end > 0 && !w.fits(text[:next]) {
			break
		}
		end = next
		switch {
		case r == ' ' && i > 0:
			soft = i
		case strings.ContainsRune("-–—/", r) && next < len(text):
			soft = next
		}
	}
	if soft > 0 {
		end = soft
	}
	return text[:end], strings.TrimLeft(text[end:], " ")
}
