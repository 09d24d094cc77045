package content

import (
	"slices"
	"strings"
	"testing"
)

// TestFrontMatterKeepsWhatIsWritten covers front matter that used to be
// cut short or rewritten without a word: every field written is read,
// with its text as written.
func TestFrontMatterKeepsWhatIsWritten(t *testing.T) {
	tests := []struct {
		name, yaml string
		check      func(a *Article) bool
	}{
		{"dashes in a block scalar", "summary: |\n  before\n  --\n  after\ntags: [x]\n",
			func(a *Article) bool { return a.Summary == "before\n--\nafter" && slices.Equal(a.Tags, []string{"x"}) }},
		{"lone dash in a block scalar", "summary: |\n  before\n  -\n  after\ntags: [x]\n",
			func(a *Article) bool { return a.Summary == "before\n-\nafter" && slices.Equal(a.Tags, []string{"x"}) }},
		{"indented closing-like line", "summary: |\n  before\n  ---\n  after\n",
			func(a *Article) bool { return a.Summary == "before\n---\nafter" }},
		{"numbers keep their written form", "value: 010\ntags: [1.0, 0x1F, 2.10]\nparties: [007]\n",
			func(a *Article) bool {
				return a.Value == "010" && slices.Equal(a.Tags, []string{"1.0", "0x1F", "2.10"}) && slices.Equal(a.Parties, []string{"007"})
			}},
		{"booleans and yes/no in text are text", "summary: yes\ntags: [No, true, off]\n",
			func(a *Article) bool {
				return a.Summary == "yes" && slices.Equal(a.Tags, []string{"No", "true", "off"})
			}},
		{"escaped slash", "summary: \"a\\/b\"\n", func(a *Article) bool { return a.Summary == "a/b" }},
		{"tabs around values", "summary:\tA\t\ntags: [a,\tb]\n",
			func(a *Article) bool { return a.Summary == "A" && slices.Equal(a.Tags, []string{"a", "b"}) }},
		{"tab after a list dash", "tags:\n  -\tx\n  -\ty\n",
			func(a *Article) bool { return slices.Equal(a.Tags, []string{"x", "y"}) }},
		{"closing line with trailing blanks", "tags: [x]\n--- \t\nBody.\n",
			func(a *Article) bool {
				return slices.Equal(a.Tags, []string{"x"}) && strings.Contains(a.Body, "<p>Body.</p>")
			}},
		{"list written like JSON", "tags: [\n  a,\n  # a comment\n# another\n  b\n]\n",
			func(a *Article) bool { return slices.Equal(a.Tags, []string{"a", "b"}) }},
		{"explicit string tag", "value: !!str 2.10\n", func(a *Article) bool { return a.Value == "2.10" }},
		{"anchor and alias", "parties: &p [A, B]\ntags: *p\n",
			func(a *Article) bool { return slices.Equal(a.Tags, []string{"A", "B"}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "---\ntitle: T\ndate: 2013-09-03\n" + tt.yaml
			if !strings.Contains(tt.yaml, "\n---") {
				src += "---\n"
			}
			a, errs := parse(t, src)
			if errs != nil {
				t.Fatalf("errors: %q", errs)
			}
			if !tt.check(a) {
				t.Errorf("article read as title %q, summary %q, tags %q, parties %q, value %q, body %q", a.Title, a.Summary, a.Tags, a.Parties, a.Value, a.Body)
			}
		})
	}
}

// TestFrontMatterTitleAsWritten checks a number as title is shown as
// written, and a date written without quotes still reads as a date.
func TestFrontMatterTitleAsWritten(t *testing.T) {
	a, errs := parse(t, "---\ntitle: 2.10\ndate: 2013-09-03\nend_date: 2014\nsources:\n  - title: 1.50\n    date: 2013-09\n---\n")
	if errs != nil {
		t.Fatal(errs)
	}
	if a.Title != "2.10" || a.Date.ISO() != "2013-09-03" || a.EndDate.ISO() != "2014" || a.Sources[0].Title != "1.50" || a.Sources[0].Date.ISO() != "2013-09" {
		t.Errorf("read title %q, date %s, end %s, sources %+v", a.Title, a.Date.ISO(), a.EndDate.ISO(), a.Sources)
	}
}

// TestFrontMatterErrors checks that front matter that cannot be read in
// full is an error, one line, at the line and column of the key or value
// at fault.
func TestFrontMatterErrors(t *testing.T) {
	const path = "content/2013/2013-09-03-the-sale.md"
	tests := []struct {
		name, src string
		want      []string
	}{
		{"document end marker", "---\ntitle: A\ndate: 2013\n...\nsummary: x\n---\n", []string{
			path + `:4:1: error DS102: invalid front matter: a line "..." ends the YAML here, so the fields after it would be lost`}},
		{"document start marker with text", "---\ntitle: A\ndate: 2013\n--- x\nsummary: y\n---\n", []string{
			path + `:4:5: error DS102: invalid front matter: `}},
		{"flow mapping then block lines", "---\n{title: \"A\", date: 2020-01-01}\nsummary: \"x\"\n---\n", []string{
			path + `:3:1: error DS102: invalid front matter: `}},
		{"under-indented list item", "---\ntitle: A\ndate: 2013\ntags:\n  - a\n - b\n---\n", []string{
			path + `:6:2: error DS102: invalid front matter: `}},
		{"error on the first YAML line", "---\ntitle: a: b\ndate: 2013\n---\n", []string{
			path + `:2:9: error DS102: invalid front matter: `}},
		{"unclosed flow list", "---\ntitle: A\ndate: 2013\ntags: [a, b\n---\n", []string{
			path + `:4:7: error DS102: invalid front matter: `}},
		{"indented key after a value", "---\ntitle: Bad\ndate: 2012-01-01\n  value: indented\nsummary: x\n---\n", []string{
			path + `:4:8: error DS102: invalid front matter: `}},
		{"not a mapping", "---\n- a\n- b\n---\n", []string{
			path + `:2:1: error DS102: invalid front matter: it must be fields written as "name: value" lines, not a list`}},
		{"quoted text continued without indent", "---\ntitle: \"A\nB\"\ndate: 2013\n---\n", []string{
			path + `:3:1: error DS102: invalid front matter: this line continues a quoted text and must be indented more than its field name`}},
		{"comment glued to a quoted value", "---\ntitle: \"A\"# note\ndate: 2013\n---\n", []string{
			path + `:2:11: error DS102: invalid front matter: a comment must be separated from the value by a space`}},
		{"binary title", "---\ntitle: !!binary /w==\ndate: 2013\n---\n", []string{
			path + `:2:1: error DS104: title must be text, not binary data (!!binary)`}},
		{"unknown tag", "---\ntitle: !x A\ndate: 2013\n---\n", []string{
			path + `:2:1: error DS104: title has the tag "!x", which dealsite does not know: remove it`}},
		{"undefined alias", "---\ntitle: *nope\ndate: 2013\n---\n", []string{
			path + `:2:8: error DS102: invalid front matter: alias "*nope" refers to no anchor`}},
		{"invalid UTF-8", "---\ntitle: a\xffb\ndate: 2013\n---\n", []string{
			path + `:2:9: error DS102: invalid front matter: the text is not valid UTF-8`}},
		{"control character", "---\ntitle: a\x00b\ndate: 2013\n---\n", []string{
			path + `:2:9: error DS102: invalid front matter: YAML does not allow the control character U+0000`}},
		{"list entry of the wrong type", "---\ntitle: A\ndate: 2013\ntags:\n  - a\n  - [b]\n---\n", []string{
			path + `:6:5: error DS104: tags entry 2 must be a single line of text, not a list`}},
		{"columns count bytes", "---\ntitle: A\ndate: 2013\ntags: [ü, [x]]\n---\n", []string{
			path + `:4:12: error DS104: tags entry 2 must be a single line of text, not a list`}},
		{"control character after non-ASCII text", "---\ntitle: é\x01\ndate: 2013\n---\n", []string{
			path + `:2:10: error DS102: invalid front matter: YAML does not allow the control character U+0001`}},
		{"nested too deep", "---\ntitle: A\ndate: 2013\ntags:\n" + strings.Repeat("  ", 0) + deepBlockList(101) + "---\n", []string{
			path + `:105: error DS116: front matter is nested 101 levels deep here; at most 100 are allowed`}},
		{"nested too deep in flow", "---\ntitle: A\ndate: 2013\ntags: " + strings.Repeat("[", 101) + strings.Repeat("]", 101) + "\n---\n", []string{
			path + `:4: error DS116: front matter is nested 101 levels deep here; at most 100 are allowed`}},
		{"too large", "---\ntitle: A\ndate: 2013\nsummary: " + strings.Repeat("a", MaxFrontMatterBytes) + "\n---\n", []string{
			path + `:1: error DS116: front matter is 1048606 bytes; at most 1048576 (1 MiB) are allowed`}},
		{"body lines stay the file's", "---\ntitle: t\ndate: 2011\nsummary: |\n  a\n  --\n  b\n---\n\n[x](javascript:alert(1))\n", []string{
			path + `:10:1: error DS201: link "javascript:alert(1)"`}},
		{"duplicate key", "---\ntitle: a\ndate: 2011-01-01\ntitle: b\n---\n", []string{
			path + `:4:1: error DS109: field "title" is given twice (also on line 2)`}},
		{"duplicate quoted key", "---\ntitle: a\ndate: 2011-01-01\n\"title\": b\n---\n", []string{
			path + `:4:1: error DS109: field "title" is given twice (also on line 2)`}},
		{"source field errors on their lines", "---\ntitle: t\ndate: 2011-01-01\nsources:\n  - titel: x\n    url: javascript:alert(1)\n---\n", []string{
			path + `:5:5: error DS101: source 1: unknown source field "titel" (did you mean "title"?)`,
			path + `:5:5: error DS107: source 1: needs a title`,
			path + `:6:5: error DS107: source 1: url "javascript:alert(1)" must be an absolute http or https address`}},
		{"weight not decimal", "---\ntitle: t\ndate: 2011-01-01\nweight: 0x10\n---\n", []string{
			path + `:4:1: error DS104: weight must be a whole number like 3, not "0x10"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := parse(t, tt.src)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d errors %q, want %d like %q", len(got), got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) || strings.Contains(got[i], "\n") {
					t.Errorf("error %d = %q, want one line starting %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestFrontMatterUnclosedFlowListPointsAtItsStart(t *testing.T) {
	_, errs := parse(t, "---\ntitle: Bad\ndate: 2012-01-01\ntags: [a, b\nsummary: x\n---\nx\n")
	want := `content/2013/2013-09-03-the-sale.md:4:7: error DS102: invalid front matter: this "[" is not closed on its line, and line 5 is not indented to continue it`
	if len(errs) != 1 || !strings.HasPrefix(errs[0], want) {
		t.Errorf("errors = %q, want one starting %q", errs, want)
	}
}

// deepBlockList is a list nested n levels deep, one level a line.
func deepBlockList(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i) + "-\n")
	}
	return b.String()
}

// TestSettingsErrorsAtTheirField checks era problems point at the era's
// own field, not at the "eras:" line.
func TestSettingsErrorsAtTheirField(t *testing.T) {
	src := "---\ntitle: T\neras:\n  - title: A\n    start: 2011\n    end: 2010\n  - title: B\n    start: 2012\n    ned: 2013\n---\n"
	_, err := NewMarkdown(false).ParseSettings([]byte(src))
	want := []string{
		`content/_index.md:6:5: error DS108: era 1: end 2010 is before start 2011`,
		`content/_index.md:7:5: error DS103: era 2: missing required field "end"`,
		`content/_index.md:9:5: error DS101: era 2: unknown era field "ned" (did you mean "end"?)`,
	}
	got := lines(err)
	if len(got) != len(want) {
		t.Fatalf("errors = %q, want %q", got, want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %d = %q, want prefix %q", i, got[i], want[i])
		}
	}
}
