package content

import (
	"html"
	"io/fs"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/media"
)

// Ref is a markdown link from one file to another article's file, like
// [the sale](2013-09-03-sale.md#terms), or the URLs of files the site
// publishes (Files). The body carries RefHref(i) in place of the URL
// until the site model knows the base path and the target's URL.
type Ref struct {
	Target   string // slash path relative to the site: "content/2013/sale.md"
	Fragment string // without '#'
	Line     int
	Col      int
	// Files, when set, make the ref the URLs of published files rather
	// than a link to an article: each a URL-escaped path relative to
	// the base URL ("media/signing-3fa94c0e1b-800.webp"), or with
	// Beside relative to the page of the article ("memo.pdf"),
	// optionally followed by a space and a srcset descriptor ("… 800w").
	// The URL of the ref is theirs, joined with ", " (a srcset).
	Files  []string
	Beside bool
}

// RefScheme marks links waiting for their article's URL. Editors cannot
// forge it: links with unknown schemes are refused.
const RefScheme = "dealsite-ref:"

// RefHref is the placeholder href of the i-th Ref in a body.
func RefHref(i int) string { return RefScheme + strconv.Itoa(i) }

// allowedSchemes are the only URL schemes a link may use. An allow list,
// not a deny list: "javascript:", "vbscript:", "data:" and anything new
// are refused however they are spelled.
var allowedSchemes = map[string]bool{"http": true, "https": true, "mailto": true, "tel": true}

// dangerousSchemes run code or read local files when followed. An
// autolink in prose with another scheme outside the allow list
// (ftp://…, irc://…) is harmless and shows as the text written; one
// with these is an error, like any link that uses them.
var dangerousSchemes = map[string]bool{"javascript": true, "vbscript": true, "data": true, "file": true}

var linkStateKey = parser.NewContextKey()

// linkState is the per-file state of linkTransformer.
type linkState struct {
	path     string
	lines    lineIndex
	diags    *diag.List
	refs     []Ref
	headings []*ast.Heading
	words    wordCounter
	// ids maps the ids taken on the page to the line of the heading
	// that has each, 0 for the theme's reserved ids.
	ids map[string]int
	// fsys is the site the images and files of the body are read from
	// (nil: none can be); media decides the names of image variants.
	fsys  fs.FS
	media media.Settings
	// images are the body's image nodes, turned into pictures after
	// the walk; pictures what they became.
	images   []*ast.Image
	pictures []Image
	// uses are the files of the site the body read or looked for
	// (images, linked files of an article folder), found or not: the
	// article must be read again when one changes, appears or goes.
	uses      []string
	resources []string // files of the article's folder the body links to
}

// bodyTransformer checks every link and image destination, turns
// relative links to .md files into Refs, and keeps only the id and class
// of attributes written with {…} after headings, so markdown cannot set
// style, autofocus or contenteditable on the page.
type bodyTransformer struct{}

func (bodyTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(linkStateKey).(*linkState)
	if st == nil {
		return
	}
	src := reader.Source()
	var inert []*ast.AutoLink // changed after the walk, which they would disturb
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		keepSafeAttributes(n)
		st.words.add(n, src)
		switch n := n.(type) {
		case *ast.Heading:
			st.heading(n)
		case *ast.Link:
			n.Destination = st.link(n.Destination, st.position(n), true)
		case *ast.Image:
			st.images = append(st.images, n)
		case *ast.AutoLink:
			if !st.autoLink(n, src) {
				inert = append(inert, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range inert {
		showAsText(n, src)
	}
	for _, n := range st.images {
		st.picture(n, src)
	}
	// After the walk, which strips unknown attributes.
	doc.SetAttributeString(footnotePrefixKey, []byte(Slugify(strings.TrimSuffix(strings.TrimPrefix(st.path, Dir+"/"), ".md"))+"-"))
}

// heading checks that a heading's id is free and lists h2–h6 for the
// table of contents. Generated ids always are (the generator knows the
// reserved ones and those before); one written with {#…} may not be.
func (st *linkState) heading(n *ast.Heading) {
	v, hasID := n.AttributeString("id")
	if !hasID {
		return
	}
	id, _ := v.([]byte)
	at := st.position(n)
	switch line, taken := st.ids[string(id)]; {
	case taken && line == 0:
		st.add(diag.HeadingID, at, "heading id %q is used by the theme's page; choose another, or leave {#…} out to get a free one", id)
	case taken:
		st.add(diag.HeadingID, at, "heading id %q is already the id of the heading on line %d; ids must be unique on a page", id, line)
	default:
		st.ids[string(id)] = at.line
	}
	if n.Level >= 2 {
		st.headings = append(st.headings, n)
	}
}

func keepSafeAttributes(n ast.Node) {
	attrs := n.Attributes()
	if len(attrs) == 0 {
		return
	}
	n.RemoveAttributes()
	for _, a := range attrs {
		if name := string(a.Name); name == "id" || name == "class" {
			n.SetAttribute(a.Name, a.Value)
		}
	}
}

// link validates one destination and returns the one to render. The
// checks see the destination as the browser will: with character
// references (java&#x73;cript:) and backslash escapes decoded.
func (st *linkState) link(dest []byte, at pos, mayRef bool) []byte {
	raw := decodeDestination(string(dest))
	if scheme, ok := schemeOf(raw); ok {
		if !allowedSchemes[scheme] {
			st.add(diag.BadScheme, at, "link %q uses the %q scheme; only http, https, mailto and tel links are allowed", truncate(raw), scheme+":")
			return nil
		}
		return dest
	}
	if mayRef && IsBundle(st.path) && isFileLink(raw) {
		if href, ok := st.bundleFile(raw, at); ok {
			return href
		}
	}
	if mayRef && isArticleLink(raw) {
		ref, err := st.resolve(raw, at)
		if err != "" {
			st.add(diag.LinkOutside, at, "%s", err)
			return nil
		}
		st.refs = append(st.refs, ref)
		return []byte(RefHref(len(st.refs) - 1))
	}
	if colonInFirstSegment(raw) {
		// Browsers read "foo):" as a relative path, but RFC 3986 readers
		// (feed readers, url.Parse) refuse it or take "foo)" for a
		// scheme; "./foo):" means the same to all of them.
		return append([]byte("./"), dest...)
	}
	return dest
}

// autoLink checks an autolink (<scheme:…>, or an address in prose that
// GFM links) and reports whether it stays a link: an allowed scheme
// does, a dangerous one is an error, any other shows as its text.
func (st *linkState) autoLink(n *ast.AutoLink, src []byte) bool {
	raw := decodeDestination(string(n.URL(src)))
	scheme, ok := schemeOf(raw)
	switch {
	case !ok || allowedSchemes[scheme]:
		return true
	case dangerousSchemes[scheme]:
		st.add(diag.BadScheme, st.position(n), "link %q uses the %q scheme; only http, https, mailto and tel links are allowed", truncate(raw), scheme+":")
	}
	return false
}

// showAsText replaces an autolink with its label, as written.
func showAsText(n *ast.AutoLink, src []byte) {
	text := ast.NewString(n.Label(src))
	text.SetCode(true) // written out as is, only HTML-escaped
	n.Parent().ReplaceChild(n.Parent(), n, text)
}

// decodeDestination resolves what goldmark resolves only when rendering:
// backslash escapes of punctuation and HTML character references.
func decodeDestination(dest string) string {
	if !strings.ContainsAny(dest, `&\`) {
		return dest
	}
	var b strings.Builder
	for i := 0; i < len(dest); i++ {
		if dest[i] == '\\' && i+1 < len(dest) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", dest[i+1]) >= 0 {
			i++
		}
		b.WriteByte(dest[i])
	}
	return html.UnescapeString(b.String())
}

// resolve turns a relative .md link into a site path.
func (st *linkState) resolve(raw string, at pos) (Ref, string) {
	p, fragment, _ := strings.Cut(raw, "#")
	p, _, _ = strings.Cut(p, "?")
	unescaped, err := url.PathUnescape(p)
	if err != nil {
		return Ref{}, "link " + strconv.Quote(truncate(raw)) + " is not a valid path"
	}
	target := path.Join(path.Dir(st.path), unescaped)
	if strings.HasPrefix(unescaped, "/") || !strings.HasPrefix(target, Dir+"/") {
		return Ref{}, "link " + strconv.Quote(truncate(raw)) + " points outside content/; link to article files relative to this file"
	}
	return Ref{Target: target, Fragment: fragment, Line: at.line, Col: at.col}, ""
}

// isArticleLink reports a relative link to a markdown file.
func isArticleLink(dest string) bool {
	p, _, _ := strings.Cut(dest, "#")
	p, _, _ = strings.Cut(p, "?")
	return strings.HasSuffix(strings.ToLower(p), ".md") && !strings.HasPrefix(p, "//")
}

// schemeOf finds the scheme a reader could see in dest: a letter, then
// letters, digits, '+', '-' or '.', then ':' (RFC 3986 and the URL
// standard agree on it), in any letter case, after removing every space
// and control character, which browsers strip around and inside a URL or
// older readers skip: "java\tscript:" is the javascript scheme, while
// "foo):" and ":x" have none and are relative paths.
func schemeOf(dest string) (string, bool) {
	cleaned := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, dest)
	end := strings.IndexByte(cleaned, ':')
	if end < 1 || !isAlpha(cleaned[0]) {
		return "", false
	}
	for i := 1; i < end; i++ {
		if c := cleaned[i]; !isAlpha(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return "", false
		}
	}
	return strings.ToLower(cleaned[:end]), true
}

func isAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// colonInFirstSegment reports a relative reference with a ':' before
// any '/', '?' or '#'.
func colonInFirstSegment(dest string) bool {
	end := strings.IndexAny(dest, "/?#")
	if end < 0 {
		end = len(dest)
	}
	return strings.Contains(dest[:end], ":")
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// pos is a place in a source file, 1-based; col 0 when unknown.
type pos struct{ line, col int }

// position finds where a node starts: its own position when goldmark
// recorded one, else the line of its first text or enclosing block.
func (st *linkState) position(n ast.Node) pos {
	if off := n.Pos(); off >= 0 {
		line := st.lines.line(off)
		return pos{line: line, col: off - st.lines[line-1] + 1}
	}
	for c := ast.Node(n); c != nil; c = c.Parent() {
		if off, ok := firstOffset(c); ok {
			return pos{line: st.lines.line(off)}
		}
	}
	return pos{}
}

// add reports a problem at a place in the file.
func (st *linkState) add(code diag.Code, at pos, format string, args ...any) {
	d := diag.New(code, st.path, at.line, format, args...)
	d.Col = at.col
	st.diags.Add(d)
}

func firstOffset(n ast.Node) (int, bool) {
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Start, true
	}
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return n.Lines().At(0).Start, true
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if off, ok := firstOffset(c); ok {
			return off, true
		}
	}
	return 0, false
}
