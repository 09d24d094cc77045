package content

import "github.com/dealsite/dealsite/internal/media"

// Image is a picture an article shows: its lead image (front matter
// image:) or one its markdown shows (![alt](src "caption")).
type Image struct {
	// Src is the file's slash path relative to the site:
	// "content/2013-sale/signing.jpg" (beside the article, in its
	// folder) or "static/img/map.png".
	Src        string
	Alt        string // required unless Decorative
	Caption    string // the markdown title, or the front matter caption
	Credit     string // front matter only
	Decorative bool   // alt: "" with decorative: true
	Info       media.Info
	Line, Col  int // where the reference is written
}
