package search

import (
	"bytes"
	"html"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dealsite/dealsite/internal/site"
)

// The fields a term can occur in, as posting bits. Higher ranks first.
const (
	Body    = 1 << iota // the article's text
	Summary             // its summary
	Facts               // its tags, parties and value
	Title               // its title
)

// fieldBits is the width of the fields in a posting.
const fieldBits = 4

// Entry is what the index holds of one article: its terms with the
// fields each occurs in, and what a result shows. It is a function of
// the article alone (see Analyze), so a Cache can keep it.
type Entry struct {
	// terms is each term as its fields byte, the term and a 0 byte,
	// sorted: one allocation an article rather than one a term, which at
	// 10,000 articles would be two million.
	terms []byte
	doc   docRecord
}

// eachTerm calls fn with each term of e and its fields; term is only
// valid during the call.
func (e *Entry) eachTerm(fn func(term []byte, fields uint8)) {
	for b := e.terms; len(b) > 0; {
		end := bytes.IndexByte(b, 0)
		fn(b[1:end], b[0])
		b = b[end+1:]
	}
}

// docRecord is what a result shows of an article.
type docRecord struct {
	rel, title, when, parties, snippet string
}

// snippetLen bounds a result's snippet, in code points.
const snippetLen = 160

// Analyze reads one article's terms and result record. Its body is read
// back (from a spill, if the loader set it aside) and stripped of HTML.
func Analyze(a *site.Article) (Entry, error) {
	body, err := a.Body()
	if err != nil {
		return Entry{}, err
	}
	return analyze(a, string(body)), nil
}

// analyze is Analyze with the body's HTML read.
func analyze(a *site.Article, body string) Entry {
	return new(analyzer).analyze(a, body)
}

// An analyzer analyses articles one after another, reusing its memory:
// every occurrence of a term goes into one buffer, and sorting their
// spans finds each term once, with no string made for any.
type analyzer struct {
	text  []byte // the terms, one after another
	spans []span // where each occurrence is in text
	tz    tokenizer
	field uint8 // the field being read
}

type span struct {
	start, end int
	fields     uint8
}

func (z *analyzer) analyze(a *site.Article, body string) Entry {
	z.text, z.spans = z.text[:0], z.spans[:0]
	z.tz.emit = z.addTerm
	z.read(a.Title, Title)
	var parties []string
	for _, t := range a.Tags {
		z.read(t.Name, Facts)
		z.addTerm([]byte("tag:" + t.Slug))
	}
	for _, t := range a.Parties {
		z.read(t.Name, Facts)
		z.addTerm([]byte("party:" + t.Slug))
		parties = append(parties, t.Name)
	}
	z.read(a.Value, Facts)
	z.addTerm([]byte("year:" + strconv.Itoa(a.Date.Year())))
	z.read(a.Summary, Summary)
	z.field = Body
	eachHTMLRune(body, z.tz.add)
	z.tz.end()
	return Entry{
		terms: z.terms(),
		doc:   docRecord{rel: a.Rel, title: a.Title, when: a.WhenText, parties: strings.Join(parties, ", "), snippet: shorten(a.Summary, snippetLen)},
	}
}

// read adds the terms of text, found in field.
func (z *analyzer) read(text string, field uint8) {
	z.field = field
	for _, r := range text {
		z.tz.add(r)
	}
	z.tz.end()
}

func (z *analyzer) addTerm(t []byte) {
	start := len(z.text)
	z.text = append(z.text, t...)
	z.spans = append(z.spans, span{start, len(z.text), z.field})
}

// terms encodes each distinct term once, with the fields of all its
// occurrences, as Entry.terms.
func (z *analyzer) terms() []byte {
	term := func(s span) []byte { return z.text[s.start:s.end] }
	slices.SortFunc(z.spans, func(x, y span) int { return bytes.Compare(term(x), term(y)) })
	var out []byte
	for i := 0; i < len(z.spans); {
		fields, j := z.spans[i].fields, i+1
		for ; j < len(z.spans) && bytes.Equal(term(z.spans[j]), term(z.spans[i])); j++ {
			fields |= z.spans[j].fields
		}
		out = append(append(append(out, fields), term(z.spans[i])...), 0)
		i = j
	}
	return slices.Clip(out)
}

// eachHTMLRune calls fn with each code point of the text of an HTML
// fragment: a tag is a space, so that the words of two paragraphs do not
// run together, and a character reference is decoded.
func eachHTMLRune(h string, fn func(rune)) {
	for i := 0; i < len(h); {
		switch h[i] {
		case '<':
			gt := strings.IndexByte(h[i:], '>')
			if gt < 0 {
				return
			}
			fn(' ')
			i += gt + 1
			continue
		case '&':
			if semi := strings.IndexByte(h[i:min(len(h), i+maxRefLen)], ';'); semi > 0 {
				for _, r := range html.UnescapeString(h[i : i+semi+1]) {
					fn(r)
				}
				i += semi + 1
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(h[i:])
		fn(r)
		i += size
	}
}

// maxRefLen bounds the length of a character reference, "&CounterClockwiseContourIntegral;".
const maxRefLen = 33

// shorten cuts s to at most n code points, at a space when there is
// one in its second half, and marks the cut with an ellipsis.
func shorten(s string, n int) string {
	count := 0
	for i := range s {
		if count == n {
			cut := s[:i]
			if sp := strings.LastIndexByte(cut, ' '); sp > len(cut)/2 {
				cut = cut[:sp]
			}
			return strings.TrimRight(cut, " ,;:.") + "…"
		}
		count++
	}
	return s
}
