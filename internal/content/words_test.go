package content

import "testing"

// TestWordCount pins the word count (reading time, table of contents)
// on text that splits words across nodes, breaks lines, uses typographer
// punctuation, footnotes, tables and non-ASCII spaces.
func TestWordCount(t *testing.T) {
	for _, tc := range []struct {
		body string
		want int
	}{
		{"One two three.", 3},
		{"bil*lions* of *dollars*, \"quoted\" -- dashes... end", 6},
		{"line one\nline two  \nline three", 6},
		{"# Heading words\n\nPara*graph* text.\n\n- item one\n- item two", 8},
		{"Nokia\u00a0Microsoft\u2003deal — 2013", 5},
		{"Text with a note[^1].\n\n[^1]: The note itself.", 7},
		{"| a b | c |\n|---|---|\n| d | e f |", 6},
		{"`inline code counts` and [link text](https://example.org) too", 7},
		{"```\nfenced code\n```\nafter", 1},
		{"Überschrift größer straße", 3},
	} {
		a, _ := parse(t, "---\ntitle: T\ndate: 2013-01-01\n---\n"+tc.body+"\n")
		if a.Words != tc.want {
			t.Errorf("%q: %d words, want %d", tc.body, a.Words, tc.want)
		}
	}
}
