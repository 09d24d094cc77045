package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTermLen is the length, in code points, a term is cut to: a long
// run of letters (a hash, a URL's path) is still found by its start
// without filling a shard.
const MaxTermLen = 32

// Fold returns s as the index and the script compare it: every mark
// dropped, every letter or digit the fold table lists replaced by its
// folding, and every other code point lower-cased. "Ægir", "São" and
// "Núñez" fold to "aegir", "sao" and "nunez".
//
// search.js folds with the same rules and the same table, which the
// index manifest carries: TestSharedCases runs both on the same inputs.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
		case unicode.Is(unicode.M, r):
		default:
			if f, ok := foldTable[r]; ok {
				b.WriteString(f)
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
		}
	}
	return b.String()
}

// Tokens returns the terms of s: its folded text cut into runs of
// letters and digits, each cut to MaxTermLen code points, in order and
// with repeats.
func Tokens(s string) []string {
	var terms []string
	tz := tokenizer{emit: func(t []byte) { terms = append(terms, string(t)) }}
	for _, r := range s {
		tz.add(r)
	}
	tz.end()
	return terms
}

// tokenizer folds code points one at a time and hands each term to
// emit, as Tokens does, without making a string of the folded text:
// emit's argument is only valid during the call.
type tokenizer struct {
	emit func(term []byte)
	buf  []byte
	n    int // code points in buf
}

// add folds one code point of the text into the term under way, or
// ends it.
func (tz *tokenizer) add(r rune) {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			tz.push(r)
		} else {
			tz.end()
		}
		return
	}
	switch {
	case unicode.Is(unicode.M, r):
		return // a mark is dropped, within a term or not
	case !unicode.IsLetter(r) && !unicode.IsNumber(r):
		tz.end()
	default:
		if f, ok := foldTable[r]; ok {
			for _, fr := range f {
				tz.push(fr)
			}
			return
		}
		tz.push(unicode.ToLower(r))
	}
}

func (tz *tokenizer) push(r rune) {
	if tz.n < MaxTermLen {
		tz.buf = utf8.AppendRune(tz.buf, r)
	}
	tz.n++
}

// end hands the term under way, if any, to emit.
func (tz *tokenizer) end() {
	if tz.n > 0 {
		tz.emit(tz.buf)
	}
	tz.buf, tz.n = tz.buf[:0], 0
}
