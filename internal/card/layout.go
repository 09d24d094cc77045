package card

import (
	"cmp"
	"image"
	"strconv"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The card's geometry, in pixels.
const (
	margin   = 80                  // left and right, and above the text
	barH     = 14                  // the accent bar across the top
	textW    = Width - 2*margin    // the width text wraps to
	footRule = Height - 104        // the rule above the site's title
	footBase = Height - 54         // the site's title's baseline
	bodyEnd  = footRule - 36       // an article's text ends above the rule
	siteEnd  = Height - margin + 8 // the site card's text ends here
)

// A style is how a piece of text is drawn.
type style struct {
	bold    bool
	px      int // pixels per em
	leading int // from one baseline to the next, in percent of px
	ink     ink
	lines   int // at most
}

// The styles of a card's texts. A title takes the first of its sizes in
// which it fits uncut.
var (
	dateStyle        = style{px: 34, leading: 150, ink: inkMuted, lines: 1}
	titleStyles      = []style{{true, 76, 115, inkText, 4}, {true, 64, 115, inkText, 4}, {true, 54, 115, inkText, 4}}
	partiesStyle     = style{px: 36, leading: 130, ink: inkText, lines: 2}
	footStyle        = style{bold: true, px: 32, leading: 120, ink: inkAccent, lines: 1}
	siteTitleStyles  = []style{{true, 96, 112, inkText, 3}, {true, 80, 112, inkText, 3}, {true, 68, 112, inkText, 3}}
	descriptionStyle = style{px: 40, leading: 130, ink: inkMuted, lines: 4}
)

// Gaps above a block, in pixels.
const (
	partiesGap     = 24 // on an article's card
	descriptionGap = 20
	siteCardGap    = 28 // above the parties on the site's card
)

// A painter draws one card. Its sfnt.Buffer makes it, and so Render,
// safe to use alongside other painters on the shared faces.
type painter struct {
	buf    sfnt.Buffer
	canvas *canvas
	err    error // the first glyph that could not be drawn
}

// A block is text laid out in one style.
type block struct {
	face  *face
	style style
	lines []string
}

func (b block) lineHeight() int { return (b.style.px*b.style.leading + 50) / 100 }
func (b block) height() int     { return len(b.lines) * b.lineHeight() }

// gap is px above b, none when b is empty.
func (b block) gap(px int) int {
	if len(b.lines) == 0 {
		return 0
	}
	return px
}

func (p *painter) card(s Spec) error {
	p.canvas.fill(image.Rect(0, 0, Width, barH), inkAccent, levels)
	f, err := p.face(titleStyles[0])
	if err != nil {
		return err
	}
	title, ok := drawable(&p.buf, f, s.Title)
	if !ok || title == "" {
		return p.siteCard(s)
	}
	return p.articleCard(s, title)
}

// articleCard lays out an event's card: date, title and parties from
// the top, the site's title at the foot.
func (p *painter) articleCard(s Spec, title string) error {
	top := barH + margin
	date, err1 := p.text(dateStyle, s.Date)
	parties, err2 := p.parties(s.Parties)
	room := bodyEnd - top - date.height() - parties.height() - parties.gap(partiesGap)
	head, err3 := p.fit(titleStyles, title, room)
	foot, err4 := p.text(footStyle, s.SiteTitle)
	if err := cmp.Or(err1, err2, err3, err4); err != nil {
		return err
	}
	y := p.draw(date, top)
	y = p.draw(head, y)
	p.draw(parties, y+parties.gap(partiesGap))
	if len(foot.lines) > 0 { // a rule over nothing would look like a mistake
		p.canvas.fill(image.Rect(margin, footRule, Width-margin, footRule+2), inkMuted, levels/4)
		p.draw(foot, footBase-foot.face.ascent)
	}
	return nil
}

// siteCard lays out the site's own card, centred below the bar. It is
// also the card of an event whose title the font cannot draw.
func (p *painter) siteCard(s Spec) error {
	date, err1 := p.text(dateStyle, s.Date)
	desc, err2 := p.text(descriptionStyle, s.Description)
	parties, err3 := p.parties(s.Parties)
	rest := date.height() + desc.height() + desc.gap(descriptionGap) + parties.height() + parties.gap(siteCardGap)
	head, err4 := p.fit(siteTitleStyles, s.SiteTitle, siteEnd-barH-margin-rest)
	if err := cmp.Or(err1, err2, err3, err4); err != nil {
		return err
	}
	y := max(barH+margin, barH+(Height-barH-rest-head.height())/2)
	y = p.draw(date, y)
	y = p.draw(head, y)
	y = p.draw(desc, y+desc.gap(descriptionGap))
	p.draw(parties, y+parties.gap(siteCardGap))
	return nil
}

func (p *painter) face(st style) (*face, error) { return faceOf(&p.buf, st.bold, st.px) }

// text lays out text in st, empty when the font cannot draw it.
func (p *painter) text(st style, text string) (block, error) {
	f, err := p.face(st)
	if err != nil {
		return block{}, err
	}
	b := block{face: f, style: st}
	if s, ok := drawable(&p.buf, f, text); ok {
		b.lines, _ = p.wrapper(f).wrap(words(s, " "), st.lines)
	}
	return b, nil
}

// fit lays out text in the first of styles in which it fits uncut in
// height, or else cut in the last.
func (p *painter) fit(styles []style, text string, height int) (block, error) {
	var b block
	for _, st := range styles {
		f, err := p.face(st)
		if err != nil {
			return block{}, err
		}
		b = block{face: f, style: st}
		s, _ := drawable(&p.buf, f, text)
		toks := words(s, " ")
		var cut bool
		b.lines, cut = p.wrapper(f).wrap(toks, max(1, min(st.lines, height/b.lineHeight())))
		if !cut {
			b.lines = p.wrapper(f).balance(toks, b.lines)
			break
		}
	}
	return b, nil
}

// parties lays out the parties on at most two lines, separated by
// bullets. When they do not all fit, the last are counted instead:
// "Microsoft • Nokia • +3". If any is not drawable, none is drawn.
func (p *painter) parties(parties []string) (block, error) {
	f, err := p.face(partiesStyle)
	if err != nil {
		return block{}, err
	}
	b := block{face: f, style: partiesStyle}
	var names []string
	for _, party := range parties {
		s, ok := drawable(&p.buf, f, party)
		if !ok {
			return b, nil
		}
		if s != "" {
			names = append(names, s)
		}
	}
	w := p.wrapper(f)
	for k := w.mostParties(names); k > 0; k-- {
		var cut bool
		b.lines, cut = w.wrap(partyTokens(names[:k], len(names)-k), partiesStyle.lines)
		if !cut {
			break
		}
	}
	return b, nil
}

// partySep stands between parties: a bullet reads as a separator at
// every size, where the font's middle dot looks like a stray mark.
const partySep = " • "

// mostParties is how many of names two lines could hold at most: the
// lines of a wrap are no wider than the text they hold, less one
// separator at the break. Trying no more than these keeps the
// parties' layout linear in their number.
func (w wrapper) mostParties(names []string) int {
	sep := w.face.width(w.buf, partySep)
	room := 2*w.width + sep
	for k, name := range names {
		room -= w.face.width(w.buf, name)
		if room < 0 {
			return k + 1
		}
		room -= sep
	}
	return len(names)
}

// partyTokens are the names, each kept whole on a line when it fits,
// followed by "+more" when more are left out.
func partyTokens(names []string, more int) []token {
	var toks []token
	for _, name := range names {
		toks = append(toks, token{partySep, name})
	}
	if more > 0 {
		toks = append(toks, token{partySep, "+" + strconv.Itoa(more)})
	}
	return toks
}

func (p *painter) wrapper(f *face) wrapper {
	return wrapper{buf: &p.buf, face: f, width: fixed.I(textW)}
}

// draw draws b's lines from top down and returns the y below them.
func (p *painter) draw(b block, top int) int {
	for i, l := range b.lines {
		p.drawLine(b.face, l, margin, top+i*b.lineHeight()+b.face.ascent, b.style.ink)
	}
	return top + b.height()
}

// drawLine draws s with its baseline starting at (x, y).
func (p *painter) drawLine(f *face, s string, x, y int, in ink) {
	pen := fixed.I(x)
	var prev sfnt.GlyphIndex
	for _, r := range s {
		ri := f.rune(&p.buf, r)
		pen += f.kern(&p.buf, prev, ri.index)
		prev = ri.index
		if ri.index != 0 {
			p.stamp(f, ri.index, pen, y, in)
		}
		pen += ri.advance
	}
}

// stamp draws glyph x with its origin at (pen, y).
func (p *painter) stamp(f *face, x sfnt.GlyphIndex, pen fixed.Int26_6, y int, in ink) {
	g, err := f.glyph(&p.buf, x, uint8((pen&63)*subpixels/64))
	if err != nil {
		p.err = cmp.Or(p.err, err)
		return
	}
	p.canvas.stamp(g, pen.Floor(), y, in)
}
