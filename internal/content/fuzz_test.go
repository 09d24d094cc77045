package content_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"image"
	"image/png"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
)

// The fuzz targets of this file sit at the boundary where untrusted text
// (article files, dates, names) enters dealsite. Run one with
//
//	go test -run XXX -fuzz '^FuzzParseArticle$' -fuzztime 20s ./internal/content
//
// or all of them with scripts/fuzz.sh. Inputs the fuzzer found
// interesting are kept in testdata/fuzz/<FuzzName>/ and run as plain
// tests by go test.

// fuzzPath is the path every fuzzed article is parsed under.
const fuzzPath = "content/x.md"

// articleSeeds are whole article files: well-formed ones, and the hostile
// shapes a shared content folder may hold.
var articleSeeds = []string{
	"---\ntitle: A\ndate: 2013-09-03\n---\nBody.\n",
	"---\ntitle: \"Sale\"\ndate: 2013-09\nend_date: 2014\ntags: [A, \"b c\"]\nparties: [Nokia]\nvalue: \"$7.2 billion\"\nsources:\n  - title: S\n    url: https://example.org/\n    date: 2013-09-03\nslug: sale\nweight: -3\ndraft: false\n---\n## One {#one .wide}\n\nText[^1].\n\n[^1]: Note.\n",
	// Billion laughs: nine levels of ten aliases each.
	aliasBomb(9),
	// Self-referencing and undefined aliases.
	"---\ntitle: &a [*a]\ndate: 2013\n---\n",
	"---\ntitle: *nope\ndate: 2013\n---\n",
	"---\ntitle: A\ndate: 2013\ntags: &t [a, *t]\n---\n",
	"---\ntitle: A\ndate: 2013\n<<: {title: B}\n---\n",
	// Deep nesting in YAML and in markdown.
	"---\ntitle: A\ndate: 2013\ntags: " + strings.Repeat("[", 500) + strings.Repeat("]", 500) + "\n---\n",
	"---\ntitle: A\ndate: 2013\nsources: " + strings.Repeat("{a: ", 500) + "1" + strings.Repeat("}", 500) + "\n---\n",
	"---\ntitle: A\ndate: 2013\n---\n" + strings.Repeat("> ", 500) + "deep\n",
	"---\ntitle: A\ndate: 2013\n---\n" + strings.Repeat("- ", 500) + "deep\n",
	"---\ntitle: A\ndate: 2013\n---\n" + strings.Repeat("*", 500) + "a" + strings.Repeat("*", 500) + "\n",
	"---\ntitle: A\ndate: 2013\n---\n" + strings.Repeat("[", 500) + "a" + strings.Repeat("](b)", 500) + "\n",
	// NUL bytes, invalid UTF-8, BOM and CRLF.
	"---\ntitle: \"a\x00b\"\ndate: 2013\n---\nx\x00y\n",
	"---\x00\ntitle: A\ndate: 2013\n---\n",
	"---\ntitle: \xff\xfe\xfd\ndate: 2013\n---\n\xc3\x28 \xed\xa0\x80\n",
	"\xEF\xBB\xBF---\r\ntitle: A\r\ndate: 2013\r\n---\r\nBody\r\n",
	// Slugs that try to leave their folder.
	"---\ntitle: A\ndate: 2013\nslug: ../../etc\n---\n",
	"---\ntitle: A\ndate: 2013\nslug: \"..\"\n---\n",
	"---\ntitle: A\ndate: 2013\nslug: a/b\n---\n",
	"---\ntitle: A\ndate: 2013\nslug: \"a\\\\b\"\n---\n",
	"---\ntitle: A\ndate: 2013\nslug: \"%2e%2e\"\n---\n",
	// Links to other files that try to leave content/.
	"---\ntitle: A\ndate: 2013\n---\n[x](../../etc/passwd.md) [y](/abs.md) [z](%2e%2e/%2e%2e/q.md)\n",
	// javascript: in many spellings, and raw HTML.
	"---\ntitle: A\ndate: 2013\n---\n[x](javascript:alert(1))\n",
	"---\ntitle: A\ndate: 2013\n---\n[x](JaVaScRiPt:alert(1))\n",
	"---\ntitle: A\ndate: 2013\n---\n[x](java&#x73;cript:alert(1))\n",
	"---\ntitle: A\ndate: 2013\n---\n[x](java&#115;cript:alert(1))\n",
	"---\ntitle: A\ndate: 2013\n---\n[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))\n",
	"---\ntitle: A\ndate: 2013\n---\n[x](java\\script:alert(1))\n",
	"---\ntitle: A\ndate: 2013\n---\n[x](<java\tscript:alert(1)>)\n",
	"---\ntitle: A\ndate: 2013\n---\n[x](<java\nscript:alert(1)>)\n",
	"---\ntitle: A\ndate: 2013\n---\n[x](%6Aavascript:alert(1))\n",
	"---\ntitle: A\ndate: 2013\n---\n[x](\x01javascript:alert(1))\n",
	"---\ntitle: A\ndate: 2013\n---\n![x](data:text/html;base64,PHNjcmlwdD4=)\n",
	"---\ntitle: A\ndate: 2013\n---\n[x]\n\n[x]: vbscript:msgbox(1)\n",
	"---\ntitle: A\ndate: 2013\n---\n<javascript:alert(1)>\n",
	"---\ntitle: A\ndate: 2013\n---\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<a href=\"javascript:alert(1)\">x</a>\n",
	"---\ntitle: A\ndate: 2013\n---\n## H {onclick=alert(1) style=x id=\"\\\"><script>\"}\n",
	"---\ntitle: A\ndate: 2013\n---\n```\n</code><script>alert(1)</script>\n```\n",
	"---\ntitle: A\ndate: 2013\n---\n```go\n\"</script><script>alert(1)</script>\"\n```\n",
	"---\ntitle: A\ndate: 2013\n---\n[dealsite-ref:0](dealsite-ref:0)\n",
	// Images: found, missing, remote, decorative, nested, escaped, in
	// links, leaving the site, and files of an article folder.
	"---\ntitle: A\ndate: 2013\n---\n![a chart](p.png \"A <caption> & more\")\n\nText ![a \"map\"](/s.png) and [![x](p.png)](https://example.org/).\n",
	"---\ntitle: A\ndate: 2013\n---\n![](p.png \"decorative\") ![](p.png) ![a ![b](q.png)](p.png) ![x](nothing.png)\n",
	"---\ntitle: A\ndate: 2013\n---\n![x](https://example.com/a.png) ![x](//example.com/a.png) ![x](../../etc/passwd) ![x](/../content/p.png) ![x](p%2Epng?x#y)\n",
	"---\ntitle: A\ndate: 2013\n---\n![x\n<script>](p.png 'a\nb') ![\\*x\\*&amp;](<p.png>)\n\n# ![heading](p.png)\n",
	"---\ntitle: A\ndate: 2013\nimage: {src: p.png, alt: \"A <b>\", caption: c, credit: d}\n---\n[memo](memo.pdf) [gone](gone.pdf)\n",
	// Huge numbers and odd types.
	"---\ntitle: 1e309\ndate: 99999999999999999999\nweight: 99999999999999999999999\n---\n",
	"---\ntitle: A\ndate: 2013\nweight: 0x7fffffffffffffff\n---\n",
	"---\ntitle: A\ndate: 2013\nweight: -9223372036854775808\n---\n",
	"---\ntitle: .inf\ndate: .nan\n---\n",
	"---\ntitle: [a]\ndate: {a: 1}\ntags: yes\nsources: [1, [2], {title: T, url: \"javascript:x\"}]\n---\n",
	// Front matter that never closes, or is not there.
	"---\ntitle: A\n",
	"---",
	"",
	"no front matter",
}

// aliasBomb is a YAML "billion laughs": each level refers ten times to
// the one before, so full expansion would hold 10^levels strings.
func aliasBomb(levels int) string {
	var b strings.Builder
	b.WriteString("---\ntitle: A\ndate: 2013\nsummary: &l0 \"lol\"\n")
	prev := "l0"
	for i := 1; i <= levels; i++ {
		name := "l" + string(rune('0'+i))
		b.WriteString("x" + name + ": &" + name + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = name
	}
	b.WriteString("tags: *" + prev + "\n---\nBody\n")
	return b.String()
}

func FuzzParseArticle(f *testing.F) {
	for _, s := range articleSeeds {
		f.Add([]byte(s))
	}
	safe, unsafe := content.NewMarkdown(false), content.NewMarkdown(true)
	f.Fuzz(func(t *testing.T, data []byte) {
		a, _, err := safe.ParseArticleFS(context.Background(), fuzzFS, fuzzPath, data)
		if err != nil {
			checkDiagPaths(t, err, fuzzPath)
		} else {
			checkArticle(t, a)
		}
		// Raw HTML passes through on purpose here: only no panic.
		if a, _, err := unsafe.ParseArticleFS(context.Background(), fuzzFS, fuzzPath, data); err != nil {
			checkDiagPaths(t, err, fuzzPath)
		} else if a.Path != fuzzPath {
			t.Errorf("unsafe: Path = %q, want %q", a.Path, fuzzPath)
		}
	})
}

// checkDiagPaths fails unless err is made of diagnostics that all name
// path.
func checkDiagPaths(t *testing.T, err error, path string) {
	t.Helper()
	var list diag.List
	var one diag.Diagnostic
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = diag.List{one}
	default:
		t.Fatalf("error is not a diagnostic (%T): %v", err, err)
	}
	if len(list) == 0 {
		t.Fatalf("empty diagnostic list as error: %v", err)
	}
	for _, d := range list {
		if d.Path != path {
			t.Errorf("diagnostic names %q, want %q: %v", d.Path, path, d)
		}
	}
}

// checkArticle checks what a successful parse with raw HTML off promises:
// a URL-safe slug and a body with no script and no dangerous link.
func checkArticle(t *testing.T, a *content.Article) {
	t.Helper()
	if a.Path != fuzzPath {
		t.Errorf("Path = %q, want %q", a.Path, fuzzPath)
	}
	if a.Title == "" || a.Date.IsZero() {
		t.Errorf("parsed without title or date: %q %v", a.Title, a.Date)
	}
	if a.Slug == "" || content.Slugify(a.Slug) != a.Slug {
		t.Errorf("slug %q is not URL-safe", a.Slug)
	}
	// Links to other article files are placeholders until the site model
	// resolves them; each must stand for one of the article's Refs.
	// So are the URLs of pictures and of an article folder's files.
	body := a.Body
	for i := range a.Refs {
		body = strings.ReplaceAll(body, `="`+content.RefHref(i)+`"`, `="#resolved-later"`)
	}
	if problem := unsafeHTML(body); problem != "" {
		t.Errorf("body has %s:\n%s", problem, a.Body)
	}
	images := a.Images
	if a.Lead != nil {
		images = append(images, *a.Lead)
	}
	for _, img := range images {
		if img.Alt == "" && !img.Decorative || img.Alt != "" && img.Decorative {
			t.Errorf("image %s: alt %q, decorative %v", img.Src, img.Alt, img.Decorative)
		}
		if fuzzFS[img.Src] == nil || img.Info.Width == 0 {
			t.Errorf("image %s is no image of the site: %+v", img.Src, img)
		}
	}
}

// fuzzFS is the site the fuzzed article is in: images beside it and
// under static/, and a file an article folder could link to.
var fuzzFS = fstest.MapFS{
	"content/p.png":    {Data: fuzzPNG},
	"content/memo.pdf": {Data: []byte("%PDF")},
	"static/s.png":     {Data: fuzzPNG},
}

var fuzzPNG = func() []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 3, 2))); err != nil {
		panic(err)
	}
	return b.Bytes()
}()

// tagPattern finds start tags in goldmark's output, where a '<' that is
// not markup is always written as &lt;.
var tagPattern = regexp.MustCompile(`<([A-Za-z][A-Za-z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>`)

// attrPattern finds name="value" attributes (goldmark always quotes).
var attrPattern = regexp.MustCompile(`([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?`)

// unsafeHTML names the first thing in h that could run script: a script,
// iframe, object or embed element, an on* attribute, or a link whose
// scheme is not http, https, mailto or tel. It returns "" when h is safe.
func unsafeHTML(h string) string {
	for _, m := range tagPattern.FindAllStringSubmatch(h, -1) {
		switch name := strings.ToLower(m[1]); name {
		case "script", "iframe", "object", "embed", "style", "base", "form", "meta", "link":
			return "a <" + name + "> element"
		}
		for _, a := range attrPattern.FindAllStringSubmatch(m[2], -1) {
			name, value := strings.ToLower(a[1]), html.UnescapeString(a[2]+a[3]+a[4])
			switch {
			case strings.HasPrefix(name, "on"):
				return "an event handler attribute " + a[0]
			case name == "href" || name == "src" || name == "action" || name == "formaction" || name == "xlink:href":
				if scheme := schemeOf(value); scheme != "" && !allowedScheme[scheme] {
					return "a " + scheme + ": link " + a[0]
				}
			}
		}
	}
	return ""
}

var allowedScheme = map[string]bool{"http": true, "https": true, "mailto": true, "tel": true}

// schemeOf reads a URL scheme the way browsers do: ignoring control
// characters and whitespace, in any case. It is "" for relative URLs.
func schemeOf(u string) string {
	cleaned := strings.Map(func(r rune) rune {
		if r <= ' ' || r == utf8.RuneError {
			return -1
		}
		return r
	}, u)
	end := strings.IndexAny(cleaned, ":/?#")
	if end <= 0 || cleaned[end] != ':' {
		return ""
	}
	return strings.ToLower(cleaned[:end])
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2013", "2013-09", "2013-09-03", "2013-09-03T10:30:00+02:00", "2013-09-03T10:30:00.123456789Z", "2013-09-03T10:30:00.5Z",
		"2014-01-01T00:30:00-23:59", "0000", "0000-01-01", "9999-12-31T23:59:59Z", "10000-01-01",
		"2011-02-30", "2011-13-45", "2011-2-3", " 2013 ", "2013\x00", "\xff", "-001", "+2013",
		"2013-09-03T24:00:00Z", "2013-09-03T10:30:60Z", "2013-09-03T10:30:00+99:99", "99999999999999999999",
		"2013-09-03t10:30:00z", "2013-09-03 10:30:00Z", "1e4", "２０１３",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := content.ParseDate(s)
		if err != nil {
			return
		}
		iso := d.ISO()
		again, err := content.ParseDate(iso)
		if err != nil {
			t.Fatalf("ParseDate(%q).ISO() = %q, which does not parse: %v", s, iso, err)
		}
		if again.ISO() != iso || again.Precision != d.Precision {
			t.Fatalf("ParseDate(%q): ISO %q reads back as %q (precision %d, was %d)", s, iso, again.ISO(), again.Precision, d.Precision)
		}
		if again != d && !again.Instant().Equal(d.Instant()) {
			t.Fatalf("ParseDate(%q): ISO %q is another time, %s", s, iso, again.Instant())
		}
		if written, fields := strings.TrimSpace(s), fmt.Sprintf("%04d-%02d-%02d", d.Year(), d.Month(), d.Day()); !strings.HasPrefix(fields, written[:min(len(written), 10)]) {
			t.Errorf("ParseDate(%q): year, month and day are %s, not the ones written", s, fields)
		}
		_ = d.String()
	})
}

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{
		"Windows Phone", "C++", "C#", "../../etc/passwd", `a\b`, "...", "-a-", "日本 市場", "İstanbul",
		"\xff\xfe", "a\x00b", "ǅungla", "e\u0301", "\u0301", strings.Repeat("ä", 60), strings.Repeat("a+", 40),
		strings.Repeat("x", 99) + "+", "%2e%2e", "con", "ﬃ", "Ⅻ", "ꙮ", "\u200d", "a\u2028b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		slug := content.Slugify(s)
		if again := content.Slugify(slug); again != slug {
			t.Errorf("Slugify(%q) = %q, but Slugify(%q) = %q", s, slug, slug, again)
		}
		switch {
		case len(slug) > 100:
			t.Errorf("Slugify(%q) = %q: %d bytes", s, slug, len(slug))
		case !utf8.ValidString(slug):
			t.Errorf("Slugify(%q) = %q: invalid UTF-8", s, slug)
		case strings.ContainsAny(slug, `/\.`):
			t.Errorf("Slugify(%q) = %q: contains a path character", s, slug)
		case strings.HasPrefix(slug, "-") || strings.HasSuffix(slug, "-"):
			t.Errorf("Slugify(%q) = %q: leading or trailing dash", s, slug)
		case strings.Contains(slug, "--"):
			t.Errorf("Slugify(%q) = %q: double dash", s, slug)
		}
	})
}

// frontMatterSeeds are YAML texts put between the "---" lines by
// FuzzFrontMatter: the shapes that used to be cut short, rewritten or
// reported on the wrong line, and YAML's rarer corners.
var frontMatterSeeds = []string{
	"title: A\ndate: 2013\nimage: {src: p.png, alt: \"A chart\", caption: c, credit: d}\n",
	"title: A\ndate: 2013\nimage:\n  src: /s.png\n  alt: \"\"\n  decorative: true\n  sr: x\n",
	"title: A\ndate: 2013\nimage: p.png\n",
	"title: A\ndate: 2013\nimage: {src: \"a\\nb.png\", alt: x}\n",
	"title: A\ndate: 2013\nimage: {src: [p.png], alt: {a: b}, decorative: maybe}\n",
	"title: A\ndate: 2013-09-03\n",
	"title: A\ndate: 2013\nsummary: |\n  a\n  --\n  -\n  b\ntags: [x]\n",
	"title: A\ndate: 2013\n...\nsummary: x\n",
	"{title: \"A\", date: 2020-01-01}\nsummary: \"x\"\n",
	"title: A\ndate: 2013\ntags:\n  - a\n - b\n",
	"- a\n",
	"title: \"a\\/b\"\ndate:\t2013\t\n",
	"title: \"value\"# comment\ndate: 2013\n",
	"title: !!binary /w==\ndate: 2013\n",
	"title: 2.10\nvalue: 010\ntags: [1.0, 0x1F]\ndate: 2013\n",
	"title: \"\\x80\\xff\\u00e9\\U0001F600\\0\"\ndate: 2013\n",
	"title: A\ndate: 2013\nsources:\n  - title: S\n    url: https://example.org/\n    date: 2013-09\n  - [x]\n  - ~\n",
	"? title\n: A\n? [x]\n: y\ndate: 2013\n",
	"title: &a A\ndate: *a\ntags: [*a, *b]\n<<: {x: 1}\n",
	"title: >-\n  folded\n  text\ndate: 2013\n\t\n",
	"%YAML 1.2\n---\ntitle: A\n",
	"title: 'it''s'\ndate: \"2013\"\nweight: 1_000\ndraft: True\n",
	"title: a\xffb\x00c\r\n",
	"title: é\u0085x\ufeff\ndate: 2013\n",
}

// FuzzFrontMatter puts arbitrary text between the "---" lines of an
// article and checks that reading it never panics, that every problem is
// one line, at a line (and column) inside the file, and that every field
// of an article read is valid UTF-8.
func FuzzFrontMatter(f *testing.F) {
	for _, s := range frontMatterSeeds {
		f.Add(s)
	}
	md := content.NewMarkdown(false)
	f.Fuzz(func(t *testing.T, yaml string) {
		src := "---\n" + yaml + "\n---\nBody.\n"
		a, _, err := md.ParseArticleFS(context.Background(), fuzzFS, fuzzPath, []byte(src))
		if err != nil {
			checkDiagPaths(t, err, fuzzPath)
			checkDiagPlaces(t, err, src)
			return
		}
		if a == nil {
			t.Fatal("no article and no error")
		}
		texts := append([]string{a.Title, a.Summary, a.Value, a.Slug}, a.Tags...)
		texts = append(texts, a.Parties...)
		for _, s := range a.Sources {
			texts = append(texts, s.Title, s.URL, s.Publisher)
		}
		for _, s := range texts {
			if !utf8.ValidString(s) {
				t.Errorf("field %q is not valid UTF-8", s)
			}
		}
	})
}

// checkDiagPlaces fails unless every diagnostic in err is one line and
// points inside src: a line of the file and, if given, a column on it
// (or just after its end), counted in bytes.
func checkDiagPlaces(t *testing.T, err error, src string) {
	t.Helper()
	var list diag.List
	if !errors.As(err, &list) {
		return // checkDiagPaths has failed already
	}
	lines := strings.Split(src, "\n")
	for _, d := range list {
		switch {
		case strings.ContainsAny(d.Error(), "\n\r"):
			t.Errorf("diagnostic spans lines: %q", d.Error())
		case d.Line < 1 || d.Line > len(lines):
			t.Errorf("diagnostic on line %d of a %d-line file: %v", d.Line, len(lines), d)
		case d.Col < 0 || d.Col > len(lines[d.Line-1])+1: // columns count bytes
			t.Errorf("diagnostic at column %d of line %d, %q: %v", d.Col, d.Line, lines[d.Line-1], d)
		}
	}
}
