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

func TestFencedLanguageIsDecodedBeforeTheCheck(t *testing.T) {
	for _, tt := range []struct{ info, class string }{
		{"go", ` class="language-go"`},
		{`foo\+bar`, ` class="language-foo+bar"`},
		{"c&#43;&#43;", ` class="language-c++"`},
		{"f&num;", ` class="language-f#"`},
		{"a&quot;b", ""}, // decodes to a quote: not a class name
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
