package card

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// drawable returns s as the card draws it: runs of white space become
// one space, and invisible or decorative characters the font lacks
// (format characters, variation selectors, emoji and other pictographs)
// are left out. It reports false when s holds a letter, digit, mark,
// punctuation or other symbol the font lacks: such text is not drawn at
// all (see the package doc), because a title missing some of its words
// or signs would say something else.
func drawable(buf *sfnt.Buffer, f *face, s string) (string, bool) {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case f.has(buf, r):
		case ignorable(r):
			continue
		default:
			return "", false
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// ignorable reports whether leaving r out changes no word: control and
// format characters (zero-width joiners, direction marks), variation
// selectors, emoji and other pictographic symbols.
func ignorable(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.So, unicode.Sk, unicode.Variation_Selector)
}

// A token is a word and the separator drawn before it when it does not
// begin a line.
type token struct{ sep, text string }

// words splits text into tokens separated by sep.
func words(text, sep string) []token {
	var toks []token
	for _, w := range strings.Fields(text) {
		toks = append(toks, token{sep, w})
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

// wrap breaks toks into at most max lines on token boundaries, and a
// token wider than a line into pieces. When the text needs more lines,
// the last line ends with an ellipsis and cut is true.
func (w wrapper) wrap(toks []token, max int) (lines []string, cut bool) {
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
		for len(done) < max && !w.fits(t.text) {
			head, tail := w.split(t.text)
			done = append(done, []token{{text: head}})
			t = token{text: tail}
		}
		if len(done) == max {
			return w.finish(done, true), true
		}
		cur = []token{t}
	}
	if len(cur) > 0 {
		done = append(done, cur)
	}
	return w.finish(done, false), false
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
func trimEnd(s string) string { return strings.TrimRight(s, " ,;:·–—-") }

// split cuts a word too wide for a line: head is the longest start of it
// that fits (at least one letter), ending after a hyphen, dash or slash
// when it holds one.
func (w wrapper) split(word string) (head, tail string) {
	end, soft := 0, 0
	for i, r := range word {
		next := i + utf8.RuneLen(r)
		if end > 0 && !w.fits(word[:next]) {
			break
		}
		end = next
		if strings.ContainsRune("-–—/", r) && next < len(word) {
			soft = next
		}
	}
	if soft > 0 {
		end = soft
	}
	return word[:end], word[end:]
}
