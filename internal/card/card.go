// Package card draws social cards: the 1200×630 PNG a link to a page
// shows when it is shared (og:image, twitter:image), for an article
// without a lead image and for the site's other pages.
//
// A card is drawn in the theme's colours with an embedded open-licensed
// font, so the same Spec gives the same bytes on every machine.
//
// TODO(card): everything below the types (the card helper owns this).
package card

import (
	"errors"
	"image/color"
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
	Colors    Colors
}

// Render draws the card as PNG bytes.
func Render(s Spec) ([]byte, error) {
	return nil, errors.New("card: Render is not written yet")
}
