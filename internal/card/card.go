// Package card draws social cards: the 1200×630 PNG a link to a page
// shows when it is shared (og:image, twitter:image), for an article
// without a lead image and for the site's other pages.
//
// An article's card shows the event's date above its title in large
// bold letters, the parties below it, and the site's title at the foot,
// under a rule. A Spec without a Title draws the site's card (home page
// and listings): the site's title in large letters and its description.
// Both carry an accent bar across the top. The card is drawn in the
// theme's Colors (DefaultColors when the Spec leaves them zero).
//
// # Fitting text
//
// Text wraps on spaces; a word longer than a line is broken, after a
// hyphen, dash or slash when it has one. A title takes at most four
// lines (its size shrinks in steps before it is cut), the parties two
// (parties that do not fit are counted, "· +3"), the date, the site's
// title on an article card and the description one to three lines.
// Text that still does not fit is cut at a word with an ellipsis: it
// never overflows the card or overlaps other text.
//
// # Font and scripts
//
// Cards are drawn with the Go fonts (Go Regular and Go Bold, from
// golang.org/x/image/font/gofont), made for the Go project by Bigelow &
// Holmes and released under the same open-source licence as Go; they
// are compiled into dealsite, so nothing is read from the machine. They
// cover the Latin alphabets of Western, Central and Eastern European
// languages (Basic Latin, Latin-1, Latin Extended-A and part of B),
// modern Greek (without polytonic accents), and Cyrillic (Russian,
// Ukrainian, Belarusian, Bulgarian, Serbian, Macedonian; not the
// Cyrillic Supplement). Combining accents are not covered: write
// accented letters precomposed (NFC), as editors do.
//
// A card never draws a box or question mark in place of a missing
// letter. Emoji, pictographs and invisible format characters the font
// lacks are left out. Any other character it lacks (a letter of a
// script it does not cover, such as Chinese, Japanese, Korean, Arabic,
// Hebrew, Hindi or Thai, a digit, an accent or a sign) means the text
// holding it is not drawn at all, because a title with some words or
// signs missing would say something else:
//   - a Title not drawable gives the site's card, with the event's date
//     and parties, so the card still says which event it is;
//   - parties any one of which is not drawable are all left out, rather
//     than naming only some of them;
//   - a date, site title or description not drawable is left out.
//
// # Output
//
// Render is safe to call from many goroutines at once. The same Spec
// gives the same bytes on every run (the drawing is pure Go integer and
// float32 arithmetic; machines of the same architecture agree). A card
// is a palette PNG of about 10–30 KB, drawn in about a millisecond once
// the letters it uses are cached; the font is parsed once per process.
package card

import (
	"cmp"
	"image"
	"image/color"
	"strconv"
	"strings"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The size of every card, in pixels: the size sharing sites ask for.
const (
	Width  = 1200
	Height = 630
)

// Colors are the theme's colours a card is drawn with.
type Colors struct {
	Background, Text, Muted, Accent color.RGBA
}

// DefaultColors are the default theme's (static/css/style.css, light).
var DefaultColors = Colors{
	Background: color.RGBA{0xfb, 0xfa, 0xf7, 0xff},
	Text:       color.RGBA{0x1b, 0x21, 0x29, 0xff},
	Muted:      color.RGBA{0x56, 0x60, 0x6b, 0xff},
	Accent:     color.RGBA{0x1c, 0x4f, 0x82, 0xff},
}

// Spec is what a card shows. An empty Title draws the site's own card
// (home page and listings).
type Spec struct {
	SiteTitle string
	Date      string // as the page shows it: "3 September 2013"
	Title     string
	Parties   []string
	Colors    Colors // zero: DefaultColors

	// Description is the site's, shown under its title on the site's
	// card; an article's card leaves it out.
	Description string
}

// Render draws the card as PNG bytes.
func Render(s Spec) ([]byte, error) {
	if s.Colors == (Colors{}) {
		s.Colors = DefaultColors
	}
	p := &painter{canvas: newCanvas(s.Colors)}
	if err := p.card(s); err != nil {
		return nil, err
	}
	if p.err != nil {
		return nil, p.err
	}
	return p.canvas.png()
}

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

// A painter draws one card. Its sfnt.Buffer makes it, and so Render,
// safe to use alongside other painters on the shared faces.
type painter struct {
	buf    sfnt.Buffer
	canvas *canvas
	err    error // the first glyph that could not be drawn
}

// A block is text laid out in one face and ink, lineH pixels from one
// baseline to the next.
type block struct {
	face  *face
	lineH int
	ink   ink
	lines []string
}

func newBlock(f *face, spacing float64, in ink) block {
	return block{face: f, lineH: int(float64(f.px)*spacing + 0.5), ink: in}
}

func (b block) height() int { return len(b.lines) * b.lineH }

func (p *painter) card(s Spec) error {
	p.canvas.fill(image.Rect(0, 0, Width, barH), inkAccent, levels)
	title, ok, err := p.field(true, 56, s.Title)
	if err != nil {
		return err
	}
	if !ok || title == "" {
		return p.siteCard(s)
	}
	return p.articleCard(s, title)
}

// field returns text as drawable in the bold or regular face at px, or
// false when the font cannot draw it (see drawable).
func (p *painter) field(bold bool, px int, text string) (string, bool, error) {
	f, err := faceOf(&p.buf, bold, px)
	if err != nil {
		return "", false, err
	}
	s, ok := drawable(&p.buf, f, text)
	return s, ok, nil
}

// articleCard lays out an event's card: date, title and parties from
// the top, the site's title at the foot.
func (p *painter) articleCard(s Spec, title string) error {
	top := barH + margin
	date, err := p.line(false, 34, 1.5, inkMuted, s.Date)
	if err != nil {
		return err
	}
	parties, err := p.parties(s.Parties, 36, 1.3, inkText)
	if err != nil {
		return err
	}
	room := bodyEnd - top - date.height() - parties.height() - gap(parties, 24)
	head, err := p.title(title, true, []int{76, 64, 54}, 1.15, 4, room)
	if err != nil {
		return err
	}
	y := p.draw(date, top)
	y = p.draw(head, y)
	p.draw(parties, y+gap(parties, 24))
	return p.footer(s.SiteTitle)
}

// siteCard lays out the site's own card, also used for an event whose
// title the font cannot draw.
func (p *painter) siteCard(s Spec) error {
	top := barH + margin
	date, err := p.line(false, 34, 1.5, inkMuted, s.Date)
	if err != nil {
		return err
	}
	parties, err := p.parties(s.Parties, 36, 1.3, inkText)
	if err != nil {
		return err
	}
	desc, err := p.text(s.Description, false, 40, 1.3, inkMuted, 3)
	if err != nil {
		return err
	}
	room := siteEnd - top - date.height() - desc.height() - gap(desc, 20) - parties.height() - gap(parties, 28)
	site, _, err := p.field(true, 96, s.SiteTitle)
	if err != nil {
		return err
	}
	head, err := p.title(site, true, []int{96, 80, 68}, 1.12, 3, room)
	if err != nil {
		return err
	}
	y := p.draw(date, top)
	y = p.draw(head, y)
	y = p.draw(desc, y+gap(desc, 20))
	p.draw(parties, y+gap(parties, 28))
	return nil
}

// gap is space above b, none when b is empty.
func gap(b block, px int) int {
	if len(b.lines) == 0 {
		return 0
	}
	return px
}

// footer draws the rule and the site's title at the foot of an
// article's card.
func (p *painter) footer(siteTitle string) error {
	p.canvas.fill(image.Rect(margin, footRule, Width-margin, footRule+2), inkMuted, levels/4)
	site, err := p.line(true, 32, 1.2, inkAccent, siteTitle)
	if err != nil {
		return err
	}
	p.draw(site, footBase-site.face.ascent)
	return nil
}

// line lays out text on one line, empty when the font cannot draw it.
func (p *painter) line(bold bool, px int, spacing float64, in ink, text string) (block, error) {
	return p.text(text, bold, px, spacing, in, 1)
}

// text lays out text on at most max lines, empty when the font cannot
// draw it.
func (p *painter) text(text string, bold bool, px int, spacing float64, in ink, maxLines int) (block, error) {
	f, err := faceOf(&p.buf, bold, px)
	if err != nil {
		return block{}, err
	}
	b := newBlock(f, spacing, in)
	if s, ok := drawable(&p.buf, f, text); ok {
		b.lines, _ = p.wrapper(f).wrap(words(s, " "), maxLines)
	}
	return b, nil
}

// title lays out text in the largest of sizes at which it fits in
// height (and at most max lines) uncut, or cut at the smallest.
func (p *painter) title(text string, bold bool, sizes []int, spacing float64, maxLines, height int) (block, error) {
	var b block
	for _, px := range sizes {
		f, err := faceOf(&p.buf, bold, px)
		if err != nil {
			return block{}, err
		}
		b = newBlock(f, spacing, inkText)
		var cut bool
		b.lines, cut = p.wrapper(f).wrap(words(text, " "), max(1, min(maxLines, height/b.lineH)))
		if !cut {
			break
		}
	}
	return b, nil
}

// parties lays out the parties on at most two lines, separated by a
// middle dot. When they do not all fit, the last are counted instead:
// "Microsoft · Nokia · +3". If any is not drawable, none is drawn.
func (p *painter) parties(parties []string, px int, spacing float64, in ink) (block, error) {
	f, err := faceOf(&p.buf, false, px)
	if err != nil {
		return block{}, err
	}
	b := newBlock(f, spacing, in)
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
	for k := len(names); k > 0; k-- {
		var cut bool
		b.lines, cut = w.wrap(partyTokens(names[:k], len(names)-k), 2)
		if !cut {
			break
		}
	}
	return b, nil
}

// partyTokens are the words of names, the first of each after a middle
// dot, followed by "+more" when more are left out.
func partyTokens(names []string, more int) []token {
	var toks []token
	for _, name := range names {
		ws := words(name, " ")
		ws[0].sep = " · "
		toks = append(toks, ws...)
	}
	if more > 0 {
		toks = append(toks, token{" · ", "+" + strconv.Itoa(more)})
	}
	return toks
}

func (p *painter) wrapper(f *face) wrapper {
	return wrapper{buf: &p.buf, face: f, width: fixed.I(textW)}
}

// draw draws b's lines from top down and returns the y below them.
func (p *painter) draw(b block, top int) int {
	for i, l := range b.lines {
		p.drawLine(b.face, strings.TrimSpace(l), margin, top+i*b.lineH+b.face.ascent, b.ink)
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
