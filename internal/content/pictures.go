package content

import (
	"html"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"

	"github.com/dealsite/dealsite/internal/diag"
)

// picture checks one image of the body (alt text, file) and replaces
// its node with the picture's markup: a figure with the title as its
// caption when the image is alone in its paragraph, else an inline
// picture. An image with a problem is left as it is: the article is
// refused anyway.
func (st *linkState) picture(n *ast.Image, src []byte) {
	if insideImage(n) {
		return // only its text shows, in the outer image's alt
	}
	at := st.position(n)
	report := func(code diag.Code, format string, args ...any) { st.add(code, at, format, args...) }
	raw := decodeDestination(string(n.Destination))
	img := Image{Alt: altText(n, src), Caption: strings.TrimSpace(decodeDestination(string(n.Title))), Line: at.line, Col: at.col}
	if img.Alt == "" && img.Caption == DecorativeTitle {
		img.Decorative, img.Caption = true, ""
	}
	if img.Alt == "" && !img.Decorative {
		report(diag.MissingAlt, "image %q has no alt text: describe what it shows, ![what it shows](%s), or mark it decorative, ![](%s \"decorative\")", truncate(raw), truncate(raw), truncate(raw))
	}
	if img.Src = imageFile(st.path, raw, report); img.Src == "" {
		return
	}
	st.uses = append(st.uses, img.Src)
	info, ok := inspectImage(st.fsys, img.Src, report)
	if !ok || img.Alt == "" && !img.Decorative {
		return
	}
	img.Info = info
	st.pictures = append(st.pictures, img)
	para, alone := n.Parent().(*ast.Paragraph)
	if alone && para.ChildCount() == 1 && img.Caption != "" {
		fig := &rawBlock{html: figureHTML(pictureHTML(img, "", st.media, at, &st.refs), img.Caption)}
		para.Parent().ReplaceChild(para.Parent(), para, fig)
		return
	}
	n.Parent().ReplaceChild(n.Parent(), n, &rawInline{html: pictureHTML(img, img.Caption, st.media, at, &st.refs)})
}

// insideImage reports an image written inside another's description
// (![a ![b](b.png)](a.png)), which CommonMark shows as text only.
func insideImage(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*ast.Image); ok {
			return true
		}
	}
	return false
}

// altText is the plain text of an image's description, as a browser
// shows it: escapes and character references decoded, markup dropped.
func altText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(util.UnescapePunctuations(c.Segment.Value(src)))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// isFileLink reports a relative link to a file that is no article: in
// an article folder, a link to one of its files.
func isFileLink(dest string) bool {
	p, _, _ := strings.Cut(dest, "#")
	p, _, _ = strings.Cut(p, "?")
	return p != "" && !strings.HasPrefix(p, "/") && !strings.HasSuffix(strings.ToLower(p), ".md")
}

// bundleFile handles a link from an article folder's index.md to a file:
// one inside the folder is a resource, published beside the page, and
// must exist; the link becomes a placeholder for its URL there (nil
// when the file is missing). ok is false for a link out of the folder,
// which is none of its business.
func (st *linkState) bundleFile(raw string, at pos) (href []byte, ok bool) {
	p, fragment, _ := strings.Cut(raw, "#")
	p, _, _ = strings.Cut(p, "?")
	unescaped, err := url.PathUnescape(p)
	dir := path.Dir(st.path)
	target := path.Join(dir, unescaped)
	if err != nil || !strings.HasPrefix(target, dir+"/") {
		return nil, false
	}
	st.uses = append(st.uses, target)
	if !st.exists(target) {
		st.add(diag.MissingFile, at, "link to %s: no such file in the article's folder", shownPath(target))
		return nil, true
	}
	if !slices.Contains(st.resources, target) {
		st.resources = append(st.resources, target)
	}
	file := escapePath(strings.TrimPrefix(target, dir+"/"))
	if fragment != "" {
		file += "#" + (&url.URL{Fragment: fragment}).EscapedFragment()
	}
	st.refs = append(st.refs, Ref{Files: []string{file}, Beside: true, Line: at.line, Col: at.col})
	return []byte(RefHref(len(st.refs) - 1)), true
}

// exists reports whether p is a regular file of the site.
func (st *linkState) exists(p string) bool {
	if st.fsys == nil {
		return false
	}
	info, err := fs.Stat(st.fsys, p)
	return err == nil && info.Mode().IsRegular()
}

// escapePath URL-escapes each segment of a slash path.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// rawInline and rawBlock carry markup made while transforming the tree
// (pictures, figures) to the renderer, which writes it as it is.
type rawInline struct {
	ast.BaseInline
	html string
}

type rawBlock struct {
	ast.BaseBlock
	html string
}

var (
	kindRawInline = ast.NewNodeKind("DealsiteRawInline")
	kindRawBlock  = ast.NewNodeKind("DealsiteRawBlock")
)

func (n *rawInline) Kind() ast.NodeKind { return kindRawInline }
func (n *rawBlock) Kind() ast.NodeKind  { return kindRawBlock }

func (n *rawInline) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }
func (n *rawBlock) Dump(src []byte, level int)  { ast.DumpHelper(n, src, level, nil, nil) }
