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
// lines on an article's card and three on the site's (its size shrinks
// in steps before it is cut), set on lines of nearly equal width as a
// headline is; the parties take two (a name stays whole when it fits;
// parties that do not fit are counted, "• +3"); the date and the site's
// title at the foot one; the description four. Text that still does
// not fit is cut at a word with an ellipsis: it never overflows the
// card or overlaps other text.
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
// Cyrillic Supplement). The font has no combining accents, so text is
// composed first (Unicode NFC): a letter followed by a combining accent
// is drawn as the accented letter when the font has it.
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
// gives the same bytes on every run: the layout is integer arithmetic
// and the drawing pure Go. A card is a palette PNG of 10–35 KB, drawn in
// about 2 ms of CPU once the letters it uses are cached (BenchmarkRender;
// most of it is compression); the fonts are parsed once per process.
package card

import "image/color"

// Version names how Render draws. It changes whenever some Spec would
// be drawn differently (TestVersion, which knows the golden cards each
// Version draws, is the reminder), so a cache of cards keyed by Spec
// and Version never serves an older drawing.
const Version = "3"

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
	defer p.canvas.release()
	if err := p.card(s); err != nil {
		return nil, err
	}
	if p.err != nil {
		return nil, p.err
	}
	return p.canvas.png()
}
