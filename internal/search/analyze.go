package search

import (
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
	terms []termFields // in no order: invert needs none
	doc   docRecord
}

type termFields struct {
	term   string
	fields uint8
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
	fields := make(map[string]uint8, 256)
	var field uint8
	tz := tokenizer{emit: func(t []byte) {
		if f, ok := fields[string(t)]; ok {
			fields[string(t)] = f | field
		} else {
			fields[string(t)] = field
		}
	}}
	add := func(text string, f uint8) {
		field = f
		for _, r := range text {
			tz.add(r)
		}
		tz.end()
	}
	add(a.Title, Title)
	var parties []string
	for _, t := range a.Tags {
		add(t.Name, Facts)
		fields["tag:"+t.Slug] |= Facts
	}
	for _, t := range a.Parties {
		add(t.Name, Facts)
		fields["party:"+t.Slug] |= Facts
		parties = append(parties, t.Name)
	}
	add(a.Value, Facts)
	fields["year:"+strconv.Itoa(a.Date.Year())] |= Facts
	add(a.Summary, Summary)
	field = Body
	eachHTMLRune(body, tz.add)
	tz.end()
	e := Entry{terms: make([]termFields, 0, len(fields))}
	for t, f := range fields {
		e.terms = append(e.terms, termFields{t, f})
	}
	e.doc = docRecord{rel: a.Rel, title: a.Title, when: a.WhenText, parties: strings.Join(parties, ", "), snippet: shorten(a.Summary, snippetLen)}
	return e
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
