package content

import (
	"bytes"
	"html"
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
)

// Markdown parses and renders the files of one site. It wraps a single
// goldmark instance (safe for concurrent use) configured with GFM,
// footnotes, typographer, heading ids, goldmark-meta front matter and
// dealsite's link checks.
type Markdown struct {
	md goldmark.Markdown
}

// NewMarkdown configures goldmark. Raw HTML in markdown is dropped unless
// unsafeHTML is set; dangerous link schemes are refused either way.
func NewMarkdown(unsafeHTML bool) *Markdown {
	var rendererOptions []goldmark.Option
	if unsafeHTML {
		rendererOptions = append(rendererOptions, goldmark.WithRendererOptions(goldhtml.WithUnsafe()))
	}
	md := goldmark.New(append(rendererOptions,
		goldmark.WithExtensions(meta.Meta, extension.GFM, extension.Typographer,
			extension.NewFootnote(extension.WithFootnoteIDPrefixFunction(footnotePrefix))),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(newNodeRenderer(), 100))),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithAttribute(),
			parser.WithASTTransformers(util.Prioritized(bodyTransformer{}, 900)),
		),
	)...)
	return &Markdown{md: md}
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
}

// parse reads front matter and markdown. Problems go to diags; the
// returned document is nil only when the front matter is unusable. The
// YAML is read by readFrontMatter; goldmark sees the file with the YAML
// lines blanked, so goldmark-meta takes the "---" lines out of the tree
// without decoding anything, and line numbers stay the file's.
func (m *Markdown) parse(path string, src []byte, diags *diag.List) *document {
	fm, src := readFrontMatter(path, src, diags)
	if fm == nil {
		return nil
	}
	if line, depth := deepestNesting(src); depth > MaxNesting {
		diags.Addf(diag.TooDeep, path, line, "quotes and lists are nested %d levels deep on one line; at most %d are allowed", depth, MaxNesting)
		return nil
	}
	pc := parser.NewContext()
	links := &linkState{path: path, lines: newLineIndex(src), diags: diags}
	pc.Set(linkStateKey, links)
	root := m.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	return &document{path: path, src: src, front: fm, root: root, refs: links.refs, headings: links.headings, words: links.words.n}
}

// html renders n (the whole document or one node of it).
func (m *Markdown) html(doc *document, n ast.Node) (string, error) {
	var buf bytes.Buffer
	if err := m.md.Renderer().Render(&buf, doc.src, n); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// headings lists the document's h2–h6 headings with their ids.
func (m *Markdown) headingList(doc *document) []Heading {
	var out []Heading
	for _, h := range doc.headings {
		id, _ := h.AttributeString("id")
		b, _ := id.([]byte)
		out = append(out, Heading{Level: h.Level, ID: string(b), Text: inlineText(h, doc.src)})
	}
	return out
}

// inlineText is the text of an inline tree read straight from the source
// (no rendering): text segments and the typographer's entities, decoded.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
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

// MaxNesting bounds the quote and list markers opening one line. goldmark
// rescans the rest of the line for each level it opens, so thousands of
// "> > > …" take time with the square of their number.
const MaxNesting = 100

// deepestNesting returns the line (1-based) with the most quote and list
// markers at its start, and their number.
func deepestNesting(src []byte) (line, depth int) {
	for n, l := range bytes.Split(src, []byte("\n")) {
		if d := nesting(l); d > depth {
			line, depth = n+1, d
		}
	}
	return line, depth
}

// nesting counts the block-quote and list markers that open a line.
func nesting(l []byte) int {
	d := 0
	for {
		l = bytes.TrimLeft(l, " \t")
		switch {
		case len(l) > 0 && l[0] == '>':
			l = l[1:]
		case len(l) > 1 && (l[0] == '-' || l[0] == '*' || l[0] == '+') && (l[1] == ' ' || l[1] == '\t'):
			l = l[2:]
		default:
			digits := 0
			for digits < len(l) && digits < 9 && '0' <= l[digits] && l[digits] <= '9' {
				digits++
			}
			if digits == 0 || digits+1 >= len(l) || (l[digits] != '.' && l[digits] != ')') || (l[digits+1] != ' ' && l[digits+1] != '\t') {
				return d
			}
			l = l[digits+2:]
		}
		d++
	}
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
