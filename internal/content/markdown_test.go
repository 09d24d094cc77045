package content

import (
	"strings"
	"testing"
	"testing/fstest"
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

func TestFencedLanguageIsDecodedBeforeTheCheck(t *testing.T) {
	for _, tt := range []struct{ info, class string }{
		{"go", ` class="language-go"`},
		{`foo\+bar`, ` class="language-foo+bar"`},
		{"c&#43;&#43;", ` class="language-c++"`},
		{"f&num;", ` class="language-f#"`},
		{"a&quot;b", ""}, // decodes to a quote: not a class name
		{`c\&#43;`, ""},  // an escaped '&' starts no reference: "c&#43;"
		{`c\\&#43;`, ""}, // an escaped '\', then '+': "c\+"
	} {
		a, errs := parse(t, article("```"+tt.info+"\nx\n```\n"))
		if errs != nil {
			t.Fatal(errs)
		}
		if !strings.Contains(a.Body, "<code"+tt.class+">") {
			t.Errorf("info %q: body %s, want <code%s>", tt.info, a.Body, tt.class)
		}
	}
}

func TestRelativeLinkWithAColonIsNotAScheme(t *testing.T) {
	for _, tt := range []struct{ md, href string }{
		{`[link](foo\)\:)`, `href="./foo):"`},
		{`[x](<IMG SRC="javascript:alert(1);">)`, `href="./IMG%20SRC=%22javascript:alert(1);%22"`},
		{`[x](<:x>)`, `href="./:x"`},
		{`[x](a/b:c) [y](?q=a:b) [z](#a:b)`, `href="a/b:c"`},
	} {
		a, errs := parse(t, article(tt.md+"\n"))
		if errs != nil {
			t.Errorf("%s: errors %q", tt.md, errs)
			continue
		}
		if !strings.Contains(a.Body, tt.href) {
			t.Errorf("%s: body %s, want %s", tt.md, a.Body, tt.href)
		}
	}
}

func TestSchemeRefusalsNameTheScheme(t *testing.T) {
	for _, tt := range []struct{ md, scheme string }{
		{"[x](ftp://example.com/f)", `"ftp:" scheme`},
		{"[x](<java\tscript:alert(1)>)", `"javascript:" scheme`},
		{"[x](<a b:c>)", `"ab:" scheme`},
		{"[x](jav&#x09;ascript:alert(1))", `"javascript:" scheme`},
		{"![x](data:image/svg+xml,x)", `"data:" scheme`},
		{"<javascript:alert(1)>", `"javascript:" scheme`},
		{"<VBScript:x>", `"vbscript:" scheme`},
		{"<file:///etc/passwd>", `"file:" scheme`},
	} {
		_, errs := parse(t, article(tt.md+"\n"))
		if len(errs) != 1 || !strings.Contains(errs[0], "error DS201") || !strings.Contains(errs[0], tt.scheme) {
			t.Errorf("%s: errors %q, want one DS201 naming the %s", tt.md, errs, tt.scheme)
		}
	}
}

func TestHarmlessAutolinkSchemesShowAsText(t *testing.T) {
	a, errs := parse(t, article("Files at ftp://foo.bar.baz and <irc://foo.bar:2233/baz>, web at www.example.com.\n"))
	if errs != nil {
		t.Fatal(errs)
	}
	want := `<p>Files at ftp://foo.bar.baz and irc://foo.bar:2233/baz, web at <a href="http://www.example.com">www.example.com</a>.</p>`
	if strings.TrimSpace(a.Body) != want {
		t.Errorf("body = %s\nwant   %s", a.Body, want)
	}
}

func TestHeadingIDsAvoidReservedIDs(t *testing.T) {
	md := NewMarkdown(false, "main", "toc-heading")
	a, err := md.ParseArticle("content/a.md", []byte(article("## Main\n\n## Main\n\n## Toc heading\n\n## Other {#main-3}\n")))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range a.Headings {
		ids = append(ids, h.ID)
	}
	if want := "main-1 main-2 toc-heading-1 main-3"; strings.Join(ids, " ") != want {
		t.Errorf("ids = %q, want %q", ids, want)
	}
	if !strings.Contains(a.Body, `<h2 id="main-1">`) {
		t.Errorf("body = %s", a.Body)
	}
}

func TestWrittenHeadingIDMustBeFree(t *testing.T) {
	md := NewMarkdown(false, "main", "toc-heading")
	for _, tt := range []struct{ body, want string }{
		{"## Contents {#toc-heading}\n", `content/a.md:5:1: error DS206: heading id "toc-heading" is used by the theme's page`},
		{"## A {#x}\n\n## B {#x}\n", `content/a.md:7:1: error DS206: heading id "x" is already the id of the heading on line 5`},
		{"## X\n\n## Y {#x}\n", `content/a.md:7:1: error DS206: heading id "x" is already the id of the heading on line 5`},
	} {
		_, err := md.ParseArticle("content/a.md", []byte(article(tt.body)))
		if errs := lines(err); len(errs) != 1 || !strings.HasPrefix(errs[0], tt.want) {
			t.Errorf("%q: errors %q, want %q", tt.body, errs, tt.want)
		}
	}
}

func TestLoaderReparsesWhenReservedIDsChange(t *testing.T) {
	fsys := fstest.MapFS{"content/a.md": {Data: []byte(article("## Main\n"))}}
	l := NewLoader()
	for _, tt := range []struct {
		reserved []string
		id       string
	}{{[]string{"main"}, "main-1"}, {nil, "main"}, {[]string{"main"}, "main-1"}} {
		l.ReservedIDs = tt.reserved
		c, err := l.Load(fsys)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Articles[0].Headings[0].ID; got != tt.id {
			t.Errorf("reserved %q: id %q, want %q", tt.reserved, got, tt.id)
		}
	}
}
