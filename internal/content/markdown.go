package content

import (
	"bufio"
	"bytes"
	"context"
	"html"
	"io/fs"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	meta "github.com/yuin/goldmark-meta"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/media"
)

// Markdown parses and renders the files of one site. It wraps a single
// goldmark instance (safe for concurrent use) configured with GFM,
// footnotes, typographer, heading ids, goldmark-meta front matter and
// dealsite's link checks.
type Markdown struct {
	md       goldmark.Markdown
	reserved []string // ids the theme's pages use, see NewMarkdown
	// Media decides the names of the image variants a body's pictures
	// offer: media.DefaultSettings unless the caller sets others before
	// the first parse (the site's pages and its published image files
	// must be made with the same).
	Media media.Settings
}

// NewMarkdown configures goldmark. Raw HTML in markdown is dropped unless
// unsafeHTML is set; dangerous link schemes are refused either way.
// reservedIDs are the ids the theme gives its own elements ("main",
// "toc-heading"): a heading whose id would be one of them gets the next
// free one ("main-1"), as a second heading with the same text does, and
// an id written with {#…} that is taken is an error.
func NewMarkdown(unsafeHTML bool, reservedIDs ...string) *Markdown {
	options := []goldmark.Option{
		// First: the extensions add their block parsers to it.
		goldmark.WithParser(newGuardedParser()),
		goldmark.WithExtensions(meta.Meta, extension.GFM, extension.Typographer,
			extension.NewFootnote(extension.WithFootnoteIDPrefixFunction(footnotePrefix))),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(newNodeRenderer(), 100))),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithAttribute(),
			parser.WithASTTransformers(util.Prioritized(bodyTransformer{}, 900)),
		),
	}
	if unsafeHTML {
		options = append(options, goldmark.WithRendererOptions(goldhtml.WithUnsafe()))
	}
	return &Markdown{md: goldmark.New(options...), reserved: reservedIDs, Media: media.DefaultSettings}
}

// document is one parsed file: its front matter and its markdown tree.
type document struct {
	path     string
	src      []byte
	front    *frontMatter
	root     ast.Node
	refs     []Ref
	headings []*ast.Heading
	words    int
	// images, uses and resources: see linkState.
	images    []Image
	uses      []string
	resources []string
}

// parse reads front matter and markdown. Problems go to diags; the
// returned document is nil only when the front matter is unusable or
// the markdown nests too deep.
func (m *Markdown) parse(path string, src []byte, diags *diag.List) *document {
	return m.parseContext(context.Background(), nil, path, src, diags)
}

// parseContext is parse that stops early, returning nil, once ctx is
// done. The YAML is read by readFrontMatter; goldmark sees the file with
// the YAML lines blanked, so goldmark-meta takes the "---" lines out of
// the tree without decoding anything, and line numbers stay the file's.
// Images and linked files are read through fsys (nil: there are none).
func (m *Markdown) parseContext(ctx context.Context, fsys fs.FS, path string, src []byte, diags *diag.List) *document {
	fm, src := readFrontMatter(path, src, diags)
	if fm == nil {
		return nil
	}
	root, links := m.parseMarkdown(ctx, fsys, path, src, diags)
	if root == nil {
		return nil
	}
	return &document{path: path, src: src, front: fm, root: root, refs: links.refs, headings: links.headings, words: links.words.n,
		images: links.pictures, uses: links.uses, resources: links.resources}
}

// parseMarkdown parses src with the per-file state that the body
// transformer and the nesting guard keep. root is nil when ctx is done
// or the markdown nests too deep.
func (m *Markdown) parseMarkdown(ctx context.Context, fsys fs.FS, path string, src []byte, diags *diag.List) (root ast.Node, links *linkState) {
	pc := parser.NewContext()
	links = &linkState{path: path, lines: newLineIndex(src), diags: diags, ids: m.reserveIDs(pc), fsys: fsys, media: m.Media}
	pc.Set(linkStateKey, links)
	guard := &parseGuard{ctx: ctx, lines: links.lines}
	pc.Set(parseGuardKey, guard)
	root = m.md.Parser().Parse(guardedReader{text.NewReader(src), guard}, parser.WithContext(pc))
	switch {
	case ctx.Err() != nil:
		return nil, links
	case guard.deepLine != 0:
		diags.Addf(diag.TooDeep, path, guard.deepLine, "quotes and lists are nested %d levels deep; at most %d are allowed", MaxNesting+1, MaxNesting)
		return nil, links
	}
	return root, links
}

// reserveIDs tells pc's heading id generator that the theme's ids are
// taken, and returns them as the page's taken ids (see linkState.ids).
func (m *Markdown) reserveIDs(pc parser.Context) map[string]int {
	taken := make(map[string]int, len(m.reserved))
	for _, id := range m.reserved {
		pc.IDs().Put([]byte(id))
		taken[id] = 0
	}
	return taken
}

// html renders n (the whole document or one node of it).
func (m *Markdown) html(doc *document, n ast.Node) (string, error) {
	var buf bytes.Buffer
	if err := m.md.Renderer().Render(&buf, doc.src, n); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// headingList lists the document's h2–h6 headings with their ids and
// the text a reader sees in them: the plain text of the rendered inline
// content, so escapes are resolved and an autolink shows its address.
func (m *Markdown) headingList(doc *document) []Heading {
	var out []Heading
	var buf bytes.Buffer
	w := bufio.NewWriterSize(&buf, 256) // one for all: goldmark would make one per call
	for _, h := range doc.headings {
		id, _ := h.AttributeString("id")
		b, _ := id.([]byte)
		out = append(out, Heading{Level: h.Level, ID: string(b), Text: m.inlineText(w, &buf, doc, h)})
	}
	return out
}

// inlineText is the plain text of n's rendered children: what a reader
// sees of a heading without its self-link. w writes to buf.
func (m *Markdown) inlineText(w *bufio.Writer, buf *bytes.Buffer, doc *document, n ast.Node) string {
	buf.Reset()
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if err := m.md.Renderer().Render(w, doc.src, c); err != nil {
			break // the body's own rendering reports it
		}
	}
	_ = w.Flush() // to memory
	return plainText(buf.String())
}

// wordCounter counts the words of the text in a document's tree as the
// body transformer walks it, without building the text. A word may span
// text nodes ("bil" "lions"), so the in-a-word state carries across them
// and resets at block boundaries and line breaks.
type wordCounter struct {
	n      int
	inWord bool
}

func (w *wordCounter) add(node ast.Node, src []byte) {
	if node.Type() == ast.TypeBlock {
		w.inWord = false
	}
	t, ok := node.(*ast.Text)
	if !ok {
		return
	}
	text := t.Segment.Value(src)
	for i := 0; i < len(text); {
		var space bool
		if c := text[i]; c < utf8.RuneSelf {
			space = asciiSpace[c]
			i++
		} else {
			r, size := utf8.DecodeRune(text[i:])
			space = unicode.IsSpace(r)
			i += size
		}
		if !space && !w.inWord {
			w.n++
		}
		w.inWord = !space
	}
	if t.SoftLineBreak() || t.HardLineBreak() {
		w.inWord = false
	}
}

// asciiSpace is unicode.IsSpace for ASCII bytes.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// footnotePrefixKey is the document attribute holding the footnote id
// prefix of one file.
const footnotePrefixKey = "dealsite-footnote-prefix"

// footnotePrefix makes footnote ids unique per file ("fn:2013-sale-1"),
// so they cannot clash when several articles share a page.
func footnotePrefix(n ast.Node) []byte {
	for ; n != nil; n = n.Parent() {
		if v, ok := n.AttributeString(footnotePrefixKey); ok {
			b, _ := v.([]byte)
			return b
		}
	}
	return nil
}

// firstParagraphText is the default summary: the first paragraph, as
// plain text with markup removed and entities decoded.
func (m *Markdown) firstParagraphText(doc *document) string {
	var para ast.Node
	_ = ast.Walk(doc.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Kind() == ast.KindParagraph && para == nil {
			para = n
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if para == nil {
		return ""
	}
	rendered, err := m.html(doc, para)
	if err != nil {
		return ""
	}
	return plainText(rendered)
}

// plainText strips tags from goldmark's own output (where '<' only ever
// starts a tag or comment), drops footnote markers (<sup>…</sup>) and
// decodes entities.
func plainText(h string) string {
	var b strings.Builder
	for len(h) > 0 {
		lt := strings.IndexByte(h, '<')
		if lt < 0 {
			b.WriteString(h)
			break
		}
		b.WriteString(h[:lt])
		h = h[lt:]
		if strings.HasPrefix(h, "<sup") {
			if end := strings.Index(h, "</sup>"); end >= 0 {
				h = h[end:]
			}
		}
		gt := strings.IndexByte(h, '>')
		if gt < 0 {
			break
		}
		h = h[gt+1:]
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// normalize drops a UTF-8 byte-order mark and turns CRLF into LF, which
// keeps line numbers the same.
func normalize(src []byte) []byte {
	src = bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF"))
	if bytes.Contains(src, []byte("\r\n")) {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	}
	return src
}

// lineIndex maps byte offsets to 1-based line numbers.
type lineIndex []int

func newLineIndex(src []byte) lineIndex {
	starts := lineIndex{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func (li lineIndex) line(offset int) int {
	lo, hi := 0, len(li)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if li[mid] <= offset {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1
}
