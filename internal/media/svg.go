package media

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// An SVG is published as the file it is and shown through <img>, never
// inlined into a page, so a browser runs none of its scripts there. It
// is still checked as an image, since the file is also reachable by its
// own URL (where a browser would run them, with the site's origin):
// well-formed XML whose root is <svg> in the SVG namespace, with a size,
// no DOCTYPE (and so no entities to expand), no <script> element, no
// on* event attribute and no javascript: link.

const svgNamespace = "http://www.w3.org/2000/svg"

var utf8BOM = []byte("\xEF\xBB\xBF")

// looksLikeXML reports whether a file starts, after a byte-order mark
// and white space, with a markup character.
func looksLikeXML(src []byte) bool {
	src = bytes.TrimPrefix(src, utf8BOM)
	src = bytes.TrimLeft(src, " \t\r\n")
	return len(src) > 0 && src[0] == '<'
}

// inspectSVG checks an SVG file and reads its size.
func inspectSVG(src []byte) (Info, error) {
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(src, utf8BOM)))
	var root *xml.StartElement
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Info{}, svgInvalid(err.Error())
		}
		if err := checkSVGToken(tok, root == nil); err != nil {
			return Info{}, err
		}
		if start, ok := tok.(xml.StartElement); ok && root == nil {
			s := start.Copy()
			root = &s
		}
	}
	if root == nil {
		return Info{}, svgInvalid("no root element")
	}
	w, h, err := svgSize(root.Attr)
	if err != nil {
		return Info{}, err
	}
	return Info{Format: SVG, Width: w, Height: h}, nil
}

func svgInvalid(reason string) error {
	return &InvalidError{Format: SVG, Reason: reason}
}

// checkSVGToken refuses what an SVG must not hold; first tells whether
// tok comes before the root element.
func checkSVGToken(tok xml.Token, first bool) error {
	switch tok := tok.(type) {
	case xml.Directive:
		return svgInvalid("it has a <!DOCTYPE> or <!ENTITY>; remove it")
	case xml.CharData:
		if first && len(bytes.TrimSpace(tok)) > 0 {
			return svgInvalid("text before the root element")
		}
	case xml.StartElement:
		if first && (tok.Name.Space != svgNamespace || tok.Name.Local != "svg") {
			return svgInvalid(fmt.Sprintf("the root element is <%s> in namespace %q, not <svg> in %q",
				tok.Name.Local, tok.Name.Space, svgNamespace))
		}
		return checkSVGElement(tok)
	}
	return nil
}

// checkSVGElement refuses scripts and event handlers.
func checkSVGElement(e xml.StartElement) error {
	if strings.EqualFold(e.Name.Local, "script") {
		return svgInvalid("it has a <script> element")
	}
	for _, a := range e.Attr {
		name := strings.ToLower(a.Name.Local)
		if strings.HasPrefix(name, "on") {
			return svgInvalid(fmt.Sprintf("<%s> has an event attribute %s", e.Name.Local, a.Name.Local))
		}
		v := strings.ToLower(strings.TrimSpace(a.Value))
		if name == "href" && strings.HasPrefix(v, "javascript:") {
			return svgInvalid(fmt.Sprintf("<%s> links to javascript:", e.Name.Local))
		}
	}
	return nil
}

// svgSize is the size of the root <svg>: its width and height in
// pixels, or what of them is missing from its viewBox's proportions.
func svgSize(attrs []xml.Attr) (int, int, error) {
	var w, h, vw, vh float64
	for _, a := range attrs {
		if a.Name.Space != "" {
			continue
		}
		switch a.Name.Local {
		case "width":
			w = svgLength(a.Value)
		case "height":
			h = svgLength(a.Value)
		case "viewBox":
			vw, vh = svgViewBox(a.Value)
		}
	}
	switch {
	case w > 0 && h > 0:
	case vw > 0 && vh > 0 && w > 0:
		h = w * vh / vw
	case vw > 0 && vh > 0 && h > 0:
		w = h * vw / vh
	case vw > 0 && vh > 0:
		w, h = vw, vh
	default:
		return 0, 0, svgInvalid("no size: give the <svg> a width and height in pixels, or a viewBox")
	}
	return svgPixels(w), svgPixels(h), nil
}

// svgLength reads a length in pixels ("120" or "120px"); 0 for any
// other unit, which cannot be known without a page around it.
func svgLength(s string) float64 {
	s = strings.TrimSuffix(strings.TrimSpace(s), "px")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// svgViewBox reads the width and height of a viewBox ("0 0 400 300").
func svgViewBox(s string) (float64, float64) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
	if len(f) != 4 {
		return 0, 0
	}
	w, h := svgLength(f[2]), svgLength(f[3])
	if w == 0 || h == 0 {
		return 0, 0
	}
	return w, h
}

// svgPixels rounds a length to whole pixels, at least 1 and at most a
// size a page can lay out.
func svgPixels(v float64) int {
	const most = 1 << 20
	return int(min(max(math.Round(v), 1), most))
}
