package content

import (
	"bufio"
	"bytes"
	"html"
	"regexp"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// Heading is one section heading of an article, for tables of contents.
type Heading struct {
	Level int    // 2–6 (the page title is the only h1)
	ID    string // the id attribute, unique within the article
	Text  string // plain text
}

// nodeRenderer adds a self-link to every heading with an id, so a reader
// can copy a link to the section, and highlights fenced code at build time with chroma, using CSS classes (the theme styles them for
// light and dark), so pages need no script for it.
type nodeRenderer struct {
	formatter *chromahtml.Formatter
}

func newNodeRenderer() *nodeRenderer {
	return &nodeRenderer{formatter: chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true))}
}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, r.renderHeading)
	reg.Register(ast.KindFencedCodeBlock, r.renderCode)
	reg.Register(kindRawInline, r.renderRaw)
	reg.Register(kindRawBlock, r.renderRaw)
}

// renderRaw writes the markup the body transformer made (pictures),
// escaped where it was made.
func (r *nodeRenderer) renderRaw(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		switch n := node.(type) {
		case *rawInline:
			_, _ = w.WriteString(n.html)
		case *rawBlock:
			_, _ = w.WriteString(n.html)
		}
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) renderHeading(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	level := string(rune('0' + n.Level))
	if entering {
		_, _ = w.WriteString("<h" + level)
		goldhtml.RenderAttributes(w, n, goldhtml.HeadingAttributeFilter)
		_ = w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if id, ok := n.AttributeString("id"); ok {
		if b, ok := id.([]byte); ok {
			escaped := html.EscapeString(string(b))
			_, _ = w.WriteString(` <a class="heading-anchor" href="#` + escaped + `" aria-label="Link to this section">#</a>`)
		}
	}
	_, _ = w.WriteString("</h" + level + ">\n")
	return ast.WalkContinue, nil
}

// languageName keeps info strings usable as a class name.
var languageName = regexp.MustCompile(`^[A-Za-z0-9_+#.-]{1,40}$`)

func (r *nodeRenderer) renderCode(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.FencedCodeBlock)
	var code bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		code.Write(seg.Value(src))
	}
	lang := infoLanguage(n, src)
	if !languageName.MatchString(lang) {
		lang = ""
	}
	lexer := lexers.Get(lang)
	if lang == "" || lexer == nil {
		_, _ = w.WriteString(`<pre><code` + classAttr(lang) + `>`)
		_, _ = w.WriteString(html.EscapeString(code.String()))
		_, _ = w.WriteString("</code></pre>\n")
		return ast.WalkSkipChildren, nil
	}
	tokens, err := chroma.Coalesce(lexer).Tokenise(nil, code.String())
	if err != nil {
		return ast.WalkStop, err
	}
	_, _ = w.WriteString(`<pre class="chroma"><code` + classAttr(lang) + `>`)
	if err := r.formatter.Format(w, chromaStyle, tokens); err != nil {
		return ast.WalkStop, err
	}
	_, _ = w.WriteString("</code></pre>\n")
	return ast.WalkSkipChildren, nil
}

// infoLanguage is the first word of a fenced block's info string,
// decoded as CommonMark says (backslash escapes and character
// references), so ```foo\+bar names the language "foo+bar".
func infoLanguage(n *ast.FencedCodeBlock, src []byte) string {
	lang := n.Language(src)
	if lang == nil {
		return ""
	}
	// goldmark's writer decodes in one pass, as CommonMark says (an
	// escaped '&' starts no reference), and HTML-escapes the result.
	var b bytes.Buffer
	w := bufio.NewWriterSize(&b, 64) // not goldmark's 4 KiB for a word
	goldhtml.DefaultWriter.Write(w, lang)
	_ = w.Flush() // to memory
	return html.UnescapeString(b.String())
}

func classAttr(lang string) string {
	if lang == "" {
		return ""
	}
	return ` class="language-` + html.EscapeString(lang) + `"`
}

// chromaStyle only matters for inline styles, which we do not use; the
// formatter still needs one.
var chromaStyle = chroma.MustNewStyle("dealsite", chroma.StyleEntries{chroma.Background: ""})
