package search

import (
	"bytes"
	"hash/maphash"
	"html"
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
	// terms is each term as its fields byte, the term and a 0 byte, in
	// the order first seen: one allocation an article rather than one a
	// term, which at 10,000 articles would be two million.
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
// each distinct term goes once into one buffer, found again through a
// small hash table of its own, with no string made for any.
type analyzer struct {
	text  []byte  // the distinct terms, one after another
	spans []span  // where each is in text, and its fields so far
	table []int32 // open addressing: 1 + an index of spans, or 0
	seed  maphash.Seed
	tz    tokenizer
	field uint8 // the field being read
}

type span struct {
	start, end int
	fields     uint8
}

func (z *analyzer) analyze(a *site.Article, body string) Entry {
	if z.table == nil {
		z.table, z.seed = make([]int32, 1024), maphash.MakeSeed()
	}
	z.text, z.spans = z.text[:0], z.spans[:0]
	clear(z.table)
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
	if 2*len(z.spans) >= len(z.table) {
		z.grow()
	}
	mask := uint64(len(z.table) - 1)
	for i := maphash.Bytes(z.seed, t) & mask; ; i = (i + 1) & mask {
		if z.table[i] == 0 {
			start := len(z.text)
			z.text = append(z.text, t...)
			z.spans = append(z.spans, span{start, len(z.text), z.field})
			z.table[i] = int32(len(z.spans))
			return
		}
		if sp := &z.spans[z.table[i]-1]; bytes.Equal(z.text[sp.start:sp.end], t) {
			sp.fields |= z.field
			return
		}
	}
}

// grow doubles the table, placing the terms again.
func (z *analyzer) grow() {
	z.table = make([]int32, 2*len(z.table))
	mask := uint64(len(z.table) - 1)
	for n, sp := range z.spans {
		i := maphash.Bytes(z.seed, z.text[sp.start:sp.end]) & mask
		for z.table[i] != 0 {
			i = (i + 1) & mask
		}
		z.table[i] = int32(n + 1)
	}
}

// terms encodes each distinct term, with the fields of all its
// occurrences, as Entry.terms, in the order first seen.
func (z *analyzer) terms() []byte {
	out := make([]byte, 0, len(z.text)+2*len(z.spans))
	for _, sp := range z.spans {
		out = append(append(append(out, sp.fields), z.text[sp.start:sp.end]...), 0)
	}
	return out
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
