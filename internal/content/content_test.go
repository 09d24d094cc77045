package content

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/diag"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, iso, shown string
		ok             bool
	}{
		{"2013-09-03", "2013-09-03", "3 September 2013", true},
		{"2013-09", "2013-09", "September 2013", true},
		{"2013", "2013", "2013", true},
		{"2013-09-03T10:30:00+02:00", "2013-09-03T10:30:00+02:00", "3 September 2013", true},
		{"2014-01-01T00:30:00+02:00", "2014-01-01T00:30:00+02:00", "1 January 2014", true},
		{"2011-13-45", "", "", false},
		{"2011-02-30", "", "", false},
		{"2011-2-3", "", "", false},
		{"yesterday", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		d, err := ParseDate(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseDate(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if tt.ok && (d.ISO() != tt.iso || d.String() != tt.shown) {
			t.Errorf("ParseDate(%q) = %s / %s, want %s / %s", tt.in, d.ISO(), d, tt.iso, tt.shown)
		}
	}
}

func TestDateOrderPutsCoarserFirst(t *testing.T) {
	year, _ := ParseDate("2013")
	month, _ := ParseDate("2013-01")
	day, _ := ParseDate("2013-01-01")
	if year.Compare(month) >= 0 || month.Compare(day) >= 0 || day.Compare(year) <= 0 {
		t.Errorf("want 2013 < 2013-01 < 2013-01-01")
	}
}

func TestSlugify(t *testing.T) {
	tests := map[string]string{
		"Windows Phone":           "windows-phone",
		"  Nokia & Microsoft ":    "nokia-and-microsoft",
		"C++":                     "c-plus-plus",
		"C#":                      "c-sharp",
		"C":                       "c",
		"Übernahme":               "übernahme",
		"日本 市場":                   "日本-市場",
		"../../etc/passwd":        "etc-passwd",
		"a/b\\c.d":                "a-b-c-d",
		"!!!":                     "",
		"5G":                      "5g",
		strings.Repeat("ab ", 80): strings.Repeat("ab-", 33) + "a", // cut at 100 bytes
	}
	for in, want := range tests {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
		if got := Slugify(in); Slugify(got) != got {
			t.Errorf("Slugify is not idempotent on %q", in)
		}
	}
}

func parse(t *testing.T, src string) (*Article, []string) {
	t.Helper()
	a, err := NewMarkdown(false).ParseArticle("content/2013/2013-09-03-the-sale.md", []byte(src))
	return a, lines(err)
}

func lines(err error) []string {
	if err == nil {
		return nil
	}
	var list diag.List
	if !errors.As(err, &list) {
		return []string{"not a diag.List: " + err.Error()}
	}
	var out []string
	for _, d := range list {
		out = append(out, d.Error())
	}
	return out
}

func TestParseArticleFields(t *testing.T) {
	a, errs := parse(t, `---
title: "Microsoft buys <Nokia>"
date: 2013-09-03
tags: [Acquisition, "Windows Phone"]
parties: [Nokia, Microsoft]
value: "$7.2 billion"
sources:
  - title: A report
    url: https://example.com/r
    publisher: Example
    date: 2013-09-04
---
The *first* paragraph, with a [link](https://example.com).

Second paragraph.
`)
	if errs != nil {
		t.Fatal(errs)
	}
	if a.Title != "Microsoft buys <Nokia>" || a.Date.ISO() != "2013-09-03" || a.Slug != "the-sale" || a.Value != "$7.2 billion" {
		t.Errorf("fields = %+v", a)
	}
	if strings.Join(a.Tags, "|") != "Acquisition|Windows Phone" || strings.Join(a.Parties, "|") != "Nokia|Microsoft" {
		t.Errorf("lists = %q %q", a.Tags, a.Parties)
	}
	if len(a.Sources) != 1 || a.Sources[0].URL != "https://example.com/r" || a.Sources[0].Date.ISO() != "2013-09-04" {
		t.Errorf("sources = %+v", a.Sources)
	}
	if a.Summary != "The first paragraph, with a link." {
		t.Errorf("default summary = %q", a.Summary)
	}
	if !strings.Contains(a.Body, "<em>first</em>") || !strings.Contains(a.Body, "<p>Second paragraph.</p>") {
		t.Errorf("body = %s", a.Body)
	}
}

func TestParseArticleErrors(t *testing.T) {
	const path = "content/2013/2013-09-03-the-sale.md"
	tests := []struct {
		name, src string
		want      []string
	}{
		{"no front matter", "Just text\n", []string{path + ":1: error DS100: missing front matter"}},
		{"unclosed", "---\ntitle: x\n", []string{path + ":1: error DS111: front matter is not closed"}},
		{"bad yaml", "---\ntitle: x\ndate: 2013-01-01\ntags: [a\n---\n", []string{path + ":"}},
		{"missing fields", "---\nsummary: s\n---\n", []string{
			path + `:1: error DS103: missing required field "date"`, path + `:1: error DS103: missing required field "title"`}},
		{"typos", "---\ntittle: x\ntitle: z\ndate: 2013-01-01\ntag: [a]\n---\n", []string{
			path + `:2:1: error DS101: unknown front-matter field "tittle" (did you mean "title"?)`,
			path + `:5:1: error DS101: unknown front-matter field "tag" (did you mean "tags"?)`}},
		{"unknown far", "---\ntitle: z\ndate: 2013-01-01\ncolour: red\n---\n", []string{
			path + `:4:1: error DS101: unknown front-matter field "colour" (known fields: title,`}},
		{"bad date", "---\ntitle: z\ndate: 2011-13-45\n---\n", []string{path + `:3:1: error DS105: date "2011-13-45" is not a valid date`}},
		{"empty title", "---\ntitle: \"\"\ndate: 2011-01-01\n---\n", []string{path + `:2:1: error DS110: title must not be empty`}},
		{"null title", "---\ntitle:\ndate: 2011-01-01\n---\n", []string{path + `:2:1: error DS110: title must not be empty`}},
		{"yes is not a boolean", "---\ntitle: t\ndate: 2011-01-01\ndraft: yes\n---\n", []string{path + `:4:1: error DS104: draft must be true or false, not "yes"`}},
		{"tags not list", "---\ntitle: t\ndate: 2011-01-01\ntags: a\n---\n", []string{path + `:4:1: error DS104: tags must be a list`}},
		{"draft not bool", "---\ntitle: t\ndate: 2011-01-01\ndraft: yes please\n---\n", []string{path + `:4:1: error DS104: draft must be true or false`}},
		{"bad slug", "---\ntitle: t\ndate: 2011-01-01\nslug: ../../evil\n---\n", []string{path + `:4:1: error DS106: slug "../../evil" is not URL-safe`}},
		{"bad source", "---\ntitle: t\ndate: 2011-01-01\nsources:\n  - titel: x\n    url: javascript:alert(1)\n---\n", []string{
			path + `:5:5: error DS101: source 1: unknown source field "titel" (did you mean "title"?)`,
			path + `:5:5: error DS107: source 1: needs a title`,
			path + `:6:5: error DS107: source 1: url "javascript:alert(1)" must be an absolute http or https address`}},
		{"dangerous links", "---\ntitle: t\ndate: 2011-01-01\n---\n[a](javascript:alert(1))\n\n[b](JaVaScRiPt:alert(1))\n\n![c](data:text/html,x)\n\n<vbscript:msgbox>\n", []string{
			path + `:5:1: error DS201: link "javascript:alert(1)" uses the "javascript:" scheme`,
			path + `:7:1: error DS201: link "JaVaScRiPt:alert(1)" uses the "javascript:" scheme`,
			path + `:9:1: error DS201: link "data:text/html,x" uses the "data:" scheme`,
			path + `:11:1: error DS201: link "vbscript:msgbox" uses the "vbscript:" scheme`}},
		{"encoded schemes", "---\ntitle: t\ndate: 2011-01-01\n---\n[a](java&#x73;cript:alert(1))\n\n[b](&#102;tp://example.com/)\n\n![](javascript:x)\n\n<javascript:alert(1)>\n", []string{
			path + `:5:1: error DS201: link "javascript:alert(1)" uses the "javascript:" scheme`,
			path + `:7:1: error DS201: link "ftp://example.com/" uses the "ftp:" scheme`,
			path + `:9:1: error DS201: link "javascript:x" uses the "javascript:" scheme`,
			path + `:9:1: error DS601: image "javascript:x" has no alt text`,
			path + `:11:1: error DS201: link "javascript:alert(1)" uses the "javascript:" scheme`}},
		{"duplicate key", "---\ntitle: a\ndate: 2011-01-01\ntitle: b\n---\n", []string{
			path + `:4:1: error DS109: field "title" is given twice (also on line 2)`}},
		{"link outside content", "---\ntitle: t\ndate: 2011-01-01\n---\n\n[up](../../README.md)\n", []string{
			path + `:6:1: error DS202: link "../../README.md" points outside content/`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := parse(t, tt.src)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d errors %q, want %d like %q", len(got), got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("error %d = %q, want prefix %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestYAMLErrorLineIsFileLine(t *testing.T) {
	_, errs := parse(t, "---\ntitle: x\ndate: 2013-01-01\nsummary: a: b\n---\n")
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "content/2013/2013-09-03-the-sale.md:4:11: error DS102: invalid front matter") {
		t.Errorf("errors = %q, want one on line 4", errs)
	}
}

func TestBOMAndCRLF(t *testing.T) {
	a, errs := parse(t, "\xEF\xBB\xBF---\r\ntitle: Windows\r\ndate: 2011-02-11\r\n---\r\nBody line one\r\nline two.\r\n")
	if errs != nil {
		t.Fatal(errs)
	}
	if a.Title != "Windows" || a.Summary != "Body line one line two." || strings.Contains(a.Body, "\r") {
		t.Errorf("article = %+v", a)
	}
}

func TestRawHTMLDroppedUnlessUnsafe(t *testing.T) {
	src := []byte("---\ntitle: t\ndate: 2011-01-01\n---\n<script>alert(1)</script>\n\nText <b>bold</b>.\n")
	safe, err := NewMarkdown(false).ParseArticle("content/a.md", src)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(safe.Body, "<script") || strings.Contains(safe.Body, "<b>") {
		t.Errorf("safe body keeps raw HTML: %s", safe.Body)
	}
	unsafe, err := NewMarkdown(true).ParseArticle("content/a.md", src)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(unsafe.Body, "<b>bold</b>") {
		t.Errorf("unsafe body drops raw HTML: %s", unsafe.Body)
	}
}

func TestHeadingAttributesKeepOnlyIDAndClass(t *testing.T) {
	a, errs := parse(t, "---\ntitle: t\ndate: 2011-01-01\n---\n## Terms {#terms .big style=\"position:fixed\" onclick=\"alert(1)\"}\n")
	if errs != nil {
		t.Fatal(errs)
	}
	if want := `<h2 id="terms" class="big">Terms <a class="heading-anchor" href="#terms" aria-label="Link to this section">#</a></h2>`; strings.TrimSpace(a.Body) != want {
		t.Errorf("body = %s, want %s", a.Body, want)
	}
}

func TestArticleLinksBecomeRefs(t *testing.T) {
	a, errs := parse(t, "---\ntitle: t\ndate: 2011-01-01\n---\nSee [the deal](../2011/2011-02-11-deal.md#terms) and [home](https://example.com/x.md).\n")
	if errs != nil {
		t.Fatal(errs)
	}
	want := Ref{Target: "content/2011/2011-02-11-deal.md", Fragment: "terms", Line: 5, Col: 5}
	if len(a.Refs) != 1 || !reflect.DeepEqual(a.Refs[0], want) {
		t.Fatalf("refs = %+v, want %+v", a.Refs, want)
	}
	if !strings.Contains(a.Body, `href="`+RefHref(0)+`"`) || !strings.Contains(a.Body, `href="https://example.com/x.md"`) {
		t.Errorf("body = %s", a.Body)
	}
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":    {Data: []byte("---\ntitle: Deals\nbase_url: https://example.org/deals\nunsafe_html: true\n---\nIntro <i>here</i>.\n")},
		"content/2013/b.md":    {Data: []byte("---\ntitle: B\ndate: 2013-01-01\n---\nb\n")},
		"content/a.md":         {Data: []byte("---\ntitle: A\ndate: 2012-01-01\n---\na\n")},
		"content/.hidden.md":   {Data: []byte("broken")},
		"content/_drafts/x.md": {Data: []byte("broken")},
		"content/a.md~":        {Data: []byte("broken")},
		"content/.a.md.swp":    {Data: []byte("broken")},
		"content/#a.md#":       {Data: []byte("broken")},
		"content/notes.txt":    {Data: []byte("not markdown")},
		"content/.git/x.md":    {Data: []byte("broken")},
		"content/2013/4913":    {Data: []byte("vim probe")},
	}
	c, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if c.Settings.Title != "Deals" || c.Settings.BaseURL != "https://example.org/deals/" || !c.Settings.UnsafeHTML {
		t.Errorf("settings = %+v", c.Settings)
	}
	if !strings.Contains(c.Settings.Intro, "<i>here</i>") {
		t.Errorf("intro with unsafe_html = %q", c.Settings.Intro)
	}
	var paths []string
	for _, a := range c.Articles {
		paths = append(paths, a.Path)
	}
	if strings.Join(paths, " ") != "content/2013/b.md content/a.md" {
		t.Errorf("paths = %q", paths)
	}
}

func TestLoadReportsEveryFile(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md": {Data: []byte("---\ntitel: x\n---\n")},
		"content/b.md":      {Data: []byte("---\ntitle: B\n---\n")},
		"content/a.md":      {Data: []byte("---\ndate: 2013-01-01\n---\n")},
	}
	_, err := Load(fsys)
	got := lines(err)
	want := []string{
		`content/_index.md:2:1: error DS101: unknown site setting field "titel" (did you mean "title"?)`,
		`content/a.md:1: error DS103: missing required field "title"`,
		`content/b.md:1: error DS103: missing required field "date"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLoadWithoutContentFolder(t *testing.T) {
	_, err := Load(fstest.MapFS{"README.md": {Data: []byte("x")}})
	if err == nil || !strings.HasPrefix(err.Error(), "content: error DS001: no content folder") {
		t.Errorf("error = %v", err)
	}
}

func TestEditDistanceHints(t *testing.T) {
	for word, want := range map[string]string{"tittle": "title", "tag": "tags", "Date": "date", "partys": "parties", "xyzzy": ""} {
		if got := closest(word, articleFields); got != want {
			t.Errorf("closest(%q) = %q, want %q", word, got, want)
		}
	}
}

func TestMissingSettingsFileIsNotBroken(t *testing.T) {
	c, err := Load(fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2012-01-01\n---\na\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Broken) != 0 || c.Settings.Title != "Deal history" {
		t.Errorf("broken = %q, settings = %+v", c.Broken, c.Settings)
	}
}

func TestNestingLimit(t *testing.T) {
	// Depth as the parser sees it: each marker below opens one level.
	for _, line := range []string{"plain", "> quote", "- > 1. > * x", "-not a list", "12) item"} {
		if _, errs := parse(t, "---\ntitle: t\ndate: 2011-01-01\n---\n"+strings.Repeat(line+"\n", 20)); errs != nil {
			t.Errorf("%q: %q", line, errs)
		}
		if _, errs := parse(t, "---\ntitle: t\ndate: 2011-01-01\n---\n"+strings.Repeat("> ", 95)+line+"\n"); errs != nil {
			t.Errorf("95 levels, then %q: %q", line, errs)
		}
	}
	if _, errs := parse(t, "---\ntitle: t\ndate: 2011-01-01\n---\n"+strings.Repeat("> ", 96)+"- > 1. > * x\n"); len(errs) != 1 {
		t.Errorf("96 + 5 levels: errors %q", errs)
	}
	_, errs := parse(t, "---\ntitle: t\ndate: 2011-01-01\n---\nok\n\n"+strings.Repeat("- ", 101)+"deep\n")
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "content/2013/2013-09-03-the-sale.md:7: error DS115: quotes and lists are nested 101 levels deep") {
		t.Errorf("errors = %q", errs)
	}
	if _, errs := parse(t, "---\ntitle: t\ndate: 2011-01-01\n---\n"+strings.Repeat("> ", 100)+"fine\n"); errs != nil {
		t.Errorf("100 levels refused: %q", errs)
	}
}

// A colon before any slash makes a scheme only after a valid scheme
// name; ":x" and "%05:" are relative paths (see
// TestRelativeLinkWithAColonIsNotAScheme), "a b:c" may read as "ab:".
func TestColonBeforeAnySlashIsRefused(t *testing.T) {
	for _, dest := range []string{"a b:c", "a\tb:c", "x-y.z+w:q"} {
		_, errs := parse(t, "---\ntitle: t\ndate: 2011-01-01\n---\n[x](<"+dest+">)\n")
		if len(errs) != 1 || !strings.Contains(errs[0], "error DS201") {
			t.Errorf("link %q: errors %q", dest, errs)
		}
	}
	if _, errs := parse(t, "---\ntitle: t\ndate: 2011-01-01\n---\n[x](a/b:c) [y](?q=a:b) [z](#a:b)\n"); errs != nil {
		t.Errorf("colons after a slash, ? or #: %q", errs)
	}
}
