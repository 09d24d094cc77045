package content

import (
	"strings"
	"testing"
)

// article wraps a markdown body in valid front matter.
func article(body string) string {
	return "---\ntitle: t\ndate: 2011-01-01\n---\n" + body
}

func TestTOCShowsRenderedHeadingText(t *testing.T) {
	a, errs := parse(t, article("## AT\\&T \\*draft\\*\n\n## See <https://example.com/x>\n\n## *Terms* &amp; `code`\n"))
	if errs != nil {
		t.Fatal(errs)
	}
	want := []string{"AT&T *draft*", "See https://example.com/x", "Terms & code"}
	var got []string
	for _, h := range a.Headings {
		got = append(got, h.Text)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("TOC texts = %q, want %q", got, want)
	}
}
