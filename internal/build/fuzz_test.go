package build_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"html"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/layouts"
	"github.com/dealsite/dealsite/static"
)

// defaultTheme is the embedded theme, as the dealsite command uses it.
var defaultTheme = build.Theme{Layouts: layouts.FS, Static: static.FS}

// fuzzBasePath is the path of fuzzSettings' base_url.
const fuzzBasePath = "/deals/"

const fuzzSettings = "---\ntitle: \"Fuzz\"\nbase_url: \"https://example.org/deals/\"\n---\nThe introduction.\n"

// fuzzArticlePath is the one article of every fuzzed site.
const fuzzArticlePath = "content/a.md"

// fuzzArticle makes the article file: title and tag are quoted into a
// front-matter template, extra is more YAML, and body follows. With raw,
// body alone is the whole file.
func fuzzArticle(title, tag, extra, body string, raw bool) []byte {
	if raw {
		return []byte(body)
	}
	return []byte("---\ntitle: " + strconv.Quote(title) + "\ndate: 2013-09-03\ntags: [" + strconv.Quote(tag) +
		"]\nparties: [" + strconv.Quote(tag) + "]\n" + extra + "\n---\n" + body)
}

// FuzzBuild builds a one-article site and writes it to disk. It checks
// that errors name the article, that every output path is a clean path
// inside the output folder, that nothing is written anywhere else, and
// that no script or javascript: link from the input reaches any page,
// feed or JSON file unescaped. Run it with
//
//	go test -run XXX -fuzz '^FuzzBuild$' -fuzztime 20s ./internal/build
func FuzzBuild(f *testing.F) {
	xss := []string{
		"<script>alert(1)</script>", "</script><script>alert(1)</script>", "javascript:alert(1)",
		"\"><img src=x onerror=alert(1)>", "<!--", "]]>", "\u2028\u2029", "{{.Site}}", "&lt;script&gt;",
	}
	for _, s := range xss {
		f.Add(s, s, "summary: "+strconv.Quote(s)+"\nvalue: "+strconv.Quote(s), s, false)
	}
	f.Add("A", "Acquisition", "", "[x](javascript:alert(1))", false)
	f.Add("A", "Acquisition", "", "[x](java&#x73;cript:alert(1))", false)
	f.Add("A", "Acquisition", "", "[x](JAVA\tSCRIPT:alert(1))", false)
	f.Add("A", "Acquisition", "", "<a href=\"javascript:alert(1)\">x</a> <svg onload=alert(1)>", false)
	f.Add("A", "Acquisition", "", "```html\n</code></pre><script>alert(1)</script>\n```\n", false)
	f.Add("A", "Acquisition", "sources:\n  - title: S\n    url: \"javascript:alert(1)\"", "", false)
	f.Add("A", "Acquisition", "sources:\n  - title: \"<script>\"\n    url: \"https://example.org/<script>\"\n    publisher: \"javascript:x\"", "", false)
	f.Add("A", "../../../etc", "slug: ../../etc", "", false)
	f.Add("..", "..", "slug: \"..\"", "[up](../../_index.md) [self](a.md#x)", false)
	f.Add("A", "a\\b", "", "", false)
	f.Add("A", "", "", "", false)
	f.Add("\x00", "\x00", "", "\x00", false)
	f.Add("\xff\xfe", "\xc3\x28", "", "\xed\xa0\x80", false)
	f.Add("A", "B", "weight: 99999999999999999999999\nend_date: 9999-12-31T23:59:59+23:59", "", false)
	f.Add("A", "B", "date: 0000-01-01", "", false)
	f.Add("A", "B", "draft: true", "", false)
	f.Add("", "", "", "---\ntitle: &a [*a, *a]\ndate: 2013\n---\n", true)
	f.Add("", "", "", "---\ntitle: A\ndate: 2013\ntags: ["+strings.Repeat("[", 300)+"]\n---\n", true)
	f.Add("", "", "", "---\ntitle: A\ndate: 2013-09-03\n---\n"+strings.Repeat("> ", 300)+"x\n", true)
	f.Add("", "", "", "---\ntitle: A\ndate: 2013-09-03\n---\n"+strings.Repeat("- ", 300)+"x\n", true)
	f.Add("", "", "", "---\ntitle: A\ndate: 2013-09-03\nslug: b\n---\n## One\n## Two\n## Three {#x .y onclick=z}\n[^1]\n\n[^1]: <script>x</script>\n", true)
	f.Fuzz(func(t *testing.T, title, tag, extra, body string, raw bool) {
		ctx := context.Background()
		fsys := fstest.MapFS{
			"content/_index.md": {Data: []byte(fuzzSettings)},
			fuzzArticlePath:     {Data: fuzzArticle(title, tag, extra, body, raw)},
		}
		out, err := build.Build(ctx, fsys, build.Options{Theme: defaultTheme})
		if err != nil {
			t.Logf("refused: %.300v", err)
			checkDiagPaths(t, err, fuzzArticlePath)
			return
		}
		checkOutput(t, out, fuzzBasePath)
		checkWrite(t, ctx, out)
	})
}

// TestOutputCheckerCatchesScript keeps FuzzBuild's checks honest: they
// must flag every way script can reach a page, and pass the theme's own.
func TestOutputCheckerCatchesScript(t *testing.T) {
	bad := []string{
		`<script>alert(1)</script>`, `<SCRIPT SRC=//x.example>`, `<p><img src=x onerror=alert(1)></p>`,
		`<a href="javascript:alert(1)">`, `<a href="JaVa&#x53;cript:alert(1)">`, `<a href=" java	script:x">`,
		`<a href='vbscript:x'>`, `<img src="data:text/html,x">`, `<iframe src="https://x.example">`,
		`<meta http-equiv="refresh" content="0;url=javascript:x">`, `<p>1 < 2</p>`,
		`<script type="application/ld+json">{"a":"</script><script>x"}</script>`,
		`<script src="/evil.js" defer></script>`,
	}
	for _, h := range bad {
		if htmlProblem(h, "/", true) == "" {
			t.Errorf("htmlProblem(%q) = \"\", want a problem", h)
		}
	}
	good := []string{
		`<script src="/js/filter.js" defer></script>`, `<script type="application/ld+json">{"a":"\u003c/script"}</script>`,
		`<p>javascript:alert(1) &lt;script&gt;</p>`, `<a href="https://example.org/">x</a>`, `<a href="#ZgotmplZ">x</a>`,
		`<a href="../x/">x</a>`, `<!-- raw HTML omitted -->`, `<meta name="description" content="javascript:x">`,
	}
	for _, h := range good {
		if problem := htmlProblem(h, "/", true); problem != "" {
			t.Errorf("htmlProblem(%q) = %q, want none", h, problem)
		}
	}
	if xmlProblem([]byte(`<feed><content type="html">&lt;script&gt;x&lt;/script&gt;</content></feed>`)) == "" {
		t.Error("xmlProblem missed a script in feed HTML")
	}
	if jsonProblem([]byte(`{"events":[{"url":"javascript:x"}]}`)) == "" {
		t.Error("jsonProblem missed a javascript: url")
	}
}

// checkDiagPaths fails unless err is made of diagnostics that all name
// one of paths.
func checkDiagPaths(t *testing.T, err error, paths ...string) {
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
		if !slices.Contains(paths, d.Path) {
			t.Errorf("diagnostic names %q, want one of %q: %v", d.Path, paths, d)
		}
	}
}

// checkOutput checks every output path and the content of every page,
// feed and JSON file.
func checkOutput(t *testing.T, out *build.Output, basePath string) {
	t.Helper()
	for _, p := range out.Paths() {
		if problem := outputPathProblem(p); problem != "" {
			t.Errorf("output path %q: %s", p, problem)
		}
		b, _ := out.File(p)
		var problem string
		switch filepath.Ext(p) {
		case ".html":
			problem = htmlProblem(string(b), basePath, true)
		case ".xml":
			problem = xmlProblem(b)
		case ".json":
			problem = jsonProblem(b)
		}
		if problem != "" {
			t.Errorf("%s: %s", p, problem)
		}
	}
}

// outputPathProblem says what is wrong with an output path, or "".
func outputPathProblem(p string) string {
	switch {
	case !fs.ValidPath(p) || p == ".":
		return "not a valid fs path"
	case strings.Contains(p, `\`):
		return "holds a backslash"
	case slices.Contains(strings.Split(p, "/"), ".."):
		return "holds a .. segment"
	}
	return ""
}

// checkWrite writes out into a fresh folder and checks that the folder
// then holds exactly out's files, as regular files, besides the
// manifest, and that nothing appeared beside it (other than a lock file).
func checkWrite(t *testing.T, ctx context.Context, out *build.Output) {
	t.Helper()
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	if _, err := out.Write(ctx, dir); err != nil {
		t.Fatalf("Write: %v", err)
	}
	var written []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			t.Errorf("walked outside the output folder: %s", p)
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			t.Errorf("Write made a symlink: %s", rel)
		case d.Type().IsRegular() && rel != build.ManifestName:
			written = append(written, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(written)
	if !slices.Equal(written, out.Paths()) {
		t.Errorf("written files differ from the output:\n got %q\nwant %q", written, out.Paths())
	}
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if e.Name() != "public" && !strings.Contains(strings.ToLower(e.Name()), "lock") {
			t.Errorf("Write left %s beside the output folder", e.Name())
		}
	}
}

// tagAt matches a start tag at the beginning of a string: html/template,
// goldmark and chroma write every '<' of text as &lt;, so any other '<'
// in a page is markup.
var tagAt = regexp.MustCompile(`^<([A-Za-z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>`)

// attrPattern finds the attributes of a start tag.
var attrPattern = regexp.MustCompile(`([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?`)

// urlAttrs are the attributes browsers read as URLs.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true,
	"poster": true, "background": true, "cite": true, "data": true, "srcset": true, "ping": true,
}

// forbiddenElements may never come out of content; only the theme's two
// known script tags are allowed, on pages.
var forbiddenElements = map[string]bool{
	"script": true, "iframe": true, "frame": true, "frameset": true, "object": true, "embed": true,
	"applet": true, "base": true, "form": true, "style": true,
}

// htmlProblem names the first thing in h that could run script, or "".
// On a page (page is true) the theme's filter script and JSON-LD blocks
// are allowed; in HTML embedded in a feed or JSON nothing is.
func htmlProblem(h, basePath string, page bool) string {
	for i := 0; i < len(h); {
		lt := strings.IndexByte(h[i:], '<')
		if lt < 0 {
			break
		}
		i += lt
		rest := h[i:]
		if skip, ok := skipNonTag(rest); ok {
			i += skip
			continue
		}
		m := tagAt.FindStringSubmatch(rest)
		if m == nil {
			return "unescaped '<' at " + strconv.Quote(excerpt(rest))
		}
		name := strings.ToLower(m[1])
		if name == "script" && page && knownScript(strings.TrimSpace(m[2]), basePath) {
			end := strings.Index(strings.ToLower(rest), "</script>")
			if end < 0 || strings.Contains(rest[len(m[0]):end], "<") {
				return "a theme script block holds '<' or never ends: " + strconv.Quote(excerpt(rest))
			}
			i += end + len("</script>")
			continue
		}
		if name == "form" && page && strings.TrimSpace(m[2]) == themeSearchForm(basePath) {
			i += len(m[0])
			continue
		}
		if forbiddenElements[name] {
			return "a <" + name + "> element: " + strconv.Quote(excerpt(rest))
		}
		if problem := attrProblem(name, m[2]); problem != "" {
			return problem
		}
		i += len(m[0])
	}
	return ""
}

// skipNonTag measures comments, doctypes and end tags at the start of s.
func skipNonTag(s string) (int, bool) {
	switch {
	case strings.HasPrefix(s, "<!--"):
		if end := strings.Index(s, "-->"); end >= 0 {
			return end + 3, true
		}
		return len(s), true
	case strings.HasPrefix(s, "<!"), strings.HasPrefix(s, "</"), strings.HasPrefix(s, "<?"):
		if end := strings.IndexByte(s, '>'); end >= 0 {
			return end + 1, true
		}
		return len(s), true
	}
	return 0, false
}

// knownScript reports the theme's own script tags: the filter script on
// the home page, the search box's loader and the search script, and
// JSON-LD.
func knownScript(attrs, basePath string) bool {
	for _, js := range []string{"filter.js", "search-box.js", "search.js"} {
		if attrs == `src="`+basePath+`js/`+js+`" defer` {
			return true
		}
	}
	return attrs == `type="application/ld+json"`
}

// themeSearchForm is the attributes of the theme's search box, the one
// form a page may have.
func themeSearchForm(basePath string) string {
	return `class="site-search" role="search" action="` + basePath + `search/" data-search="` + basePath + `search/"`
}

func attrProblem(tag, attrs string) string {
	for _, a := range attrPattern.FindAllStringSubmatch(attrs, -1) {
		name, value := strings.ToLower(a[1]), html.UnescapeString(a[2]+a[3]+a[4])
		switch {
		case strings.HasPrefix(name, "on"):
			return "event handler " + strconv.Quote(a[0]) + " on <" + tag + ">"
		case name == "http-equiv":
			return "http-equiv " + strconv.Quote(a[0]) + " on <" + tag + ">"
		case urlAttrs[name]:
			if problem := urlProblem(value); problem != "" {
				return problem + " in " + strconv.Quote(a[0]) + " on <" + tag + ">"
			}
		}
	}
	return ""
}

var allowedSchemes = map[string]bool{"http": true, "https": true, "mailto": true, "tel": true}

// urlProblem reports a URL whose scheme, read the way browsers do
// (ignoring whitespace and control characters, in any case), is not
// http, https, mailto or tel. Relative URLs are fine.
func urlProblem(u string) string {
	cleaned := strings.Map(func(r rune) rune {
		if r <= ' ' {
			return -1
		}
		return r
	}, u)
	end := strings.IndexAny(cleaned, ":/?#")
	if end <= 0 || cleaned[end] != ':' {
		return ""
	}
	if scheme := strings.ToLower(cleaned[:end]); !allowedSchemes[scheme] {
		return "a " + scheme + ": URL"
	}
	return ""
}

// xmlProblem checks that a feed or sitemap is well-formed, that its
// links are safe, and that HTML it carries for feed readers is safe.
func xmlProblem(b []byte) string {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var htmlDepth, depth int
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return ""
		}
		if err != nil {
			return "not well-formed XML: " + err.Error()
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			for _, a := range tok.Attr {
				if a.Name.Local == "href" || a.Name.Local == "base" || a.Name.Local == "src" {
					if problem := urlProblem(a.Value); problem != "" {
						return problem + " in <" + tok.Name.Local + " " + a.Name.Local + ">"
					}
				}
				if a.Name.Local == "type" && (a.Value == "html" || a.Value == "xhtml") {
					htmlDepth = depth
				}
			}
		case xml.EndElement:
			if depth == htmlDepth {
				htmlDepth = 0
			}
			depth--
		case xml.CharData:
			if htmlDepth > 0 {
				if problem := htmlProblem(string(tok), "", false); problem != "" {
					return "feed HTML: " + problem
				}
			}
		}
	}
}

// jsonProblem checks timeline.json: valid JSON, safe url fields, and
// headline and text fields (which TimelineJS reads as HTML) safe.
func jsonProblem(b []byte) string {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return "not valid JSON: " + err.Error()
	}
	return jsonValueProblem("", v)
}

func jsonValueProblem(key string, v any) string {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if problem := jsonValueProblem(k, x); problem != "" {
				return problem
			}
		}
	case []any:
		for _, x := range v {
			if problem := jsonValueProblem(key, x); problem != "" {
				return problem
			}
		}
	case string:
		switch key {
		case "url":
			if problem := urlProblem(v); problem != "" {
				return problem + " in " + key
			}
		case "headline", "text":
			if problem := htmlProblem(v, "", false); problem != "" {
				return problem + " in " + key
			}
		}
	}
	return ""
}

func excerpt(s string) string {
	if len(s) > 80 {
		return s[:80]
	}
	return s
}
