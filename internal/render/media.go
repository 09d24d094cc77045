package render

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/dealsite/dealsite/internal/card"
	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/media"
	"github.com/dealsite/dealsite/internal/site"
)

// Media publishing. Every picture an article shows (its lead image and
// those of its body) is published as the variants media.Settings.Variants
// decides, each at media/<media.Name(…)> under the site root, an SVG as
// it is at media/<its name at its own size>; the other files of an
// article's folder its body links to are published beside its page under
// their own names. A variant's name changes whenever its bytes could, so
// one picture shown by two articles is one file, and a file published
// before is the same file: a Plan with a Cache keeps it with the rest of
// the sink's files (Sink.KeepRest) without encoding anything, and
// encodes only what the sink no longer holds, through the Encoder (a
// media.Processor, with its own cache of encoded variants).
//
// Social cards: every article whose lead image is not a raster picture
// gets a card (package card) at cards/<slug>.png, the home page, the
// indexes and every listing the site's card at card.png. Pages name
// their card (or lead image) in Page.Image, for og:image and
// twitter:image.

// SiteCard is the output path of the site's own social card.
const SiteCard = "card.png"

// cardDir is the output folder of the articles' social cards.
const cardDir = "cards/"

// Media is what a Plan publishes pictures and cards with (see
// Templates.SetMedia). A Plan without one publishes neither.
type Media struct {
	// FS is the site folder: a content.Image's Src and an article's
	// Resources are paths in it.
	FS       fs.FS
	Settings media.Settings
	// Encoder encodes a variant: a *media.Processor.
	Encoder Encoder
	// Cards draws a social card; nil publishes no cards.
	Cards CardMaker
}

// An Encoder encodes one variant of a picture (see media.Processor).
type Encoder interface {
	Encode(src []byte, info media.Info, v media.Variant) ([]byte, error)
}

// A CardMaker draws social cards: card.Render, or a cache of its work
// (see Cards).
type CardMaker interface {
	Card(spec card.Spec) ([]byte, error)
}

// SetMedia makes Plan publish pictures and cards with m.
func (t *Templates) SetMedia(m *Media) { t.media = m }

// SocialImage is the picture a link to a page shows when shared:
// og:image and twitter:image.
type SocialImage struct {
	URL           string // absolute
	Width, Height int
	Alt           string
}

// ImageView is a picture as templates show it ({{lead .}}): its text, its
// size as shown, and the URLs of its published variants.
type ImageView struct {
	Alt, Caption, Credit string
	Decorative           bool
	Width, Height        int // as shown, for <img width height>: no layout shift
	// Src is the root-relative URL of the widest variant in the
	// fallback format (JPEG for a JPEG, PNG otherwise), or of the SVG.
	Src string
	// Type is the MIME type of Src.
	Type string
	// SrcSet lists the fallback-format variants, WebPSrcSet the WebP
	// ones, for <img srcset> and <source srcset>; both are empty for an
	// SVG.
	SrcSet, WebPSrcSet string
	// Thumb is the narrowest fallback variant, of ThumbWidth ×
	// ThumbHeight pixels, for a thumbnail in a listing.
	Thumb                   string
	ThumbWidth, ThumbHeight int
}

// pictures names the published files of pictures, for one site.
type pictures struct {
	settings media.Settings
	basePath string // root-relative URLs
	baseURL  string // absolute URLs
}

func (t *Templates) pictures(s *site.Site) pictures {
	ps := defaultPictures(s)
	if t.media != nil {
		ps.settings = t.media.Settings
	}
	return ps
}

func defaultPictures(s *site.Site) pictures {
	return pictures{settings: media.DefaultSettings, basePath: s.BasePath, baseURL: s.BaseURL}
}

// variantPath is the output path of variant v of img: the one its
// article's body names (see content.VariantPath).
func (ps pictures) variantPath(img *content.Image, v media.Variant) string {
	return content.VariantPath(img.Src, img.Info, v, ps.settings)
}

// published lists the output path of every file of img with its variant.
func (ps pictures) published(img *content.Image) ([]string, []media.Variant) {
	vs := ps.settings.Variants(img.Info)
	if img.Info.Format == media.SVG {
		vs = []media.Variant{{Width: img.Info.Width, Height: img.Info.Height, Format: media.SVG}}
	}
	paths := make([]string, len(vs))
	for i, v := range vs {
		paths[i] = ps.variantPath(img, v)
	}
	return paths, vs
}

// view is img as templates show it.
func (ps pictures) view(img *content.Image) *ImageView {
	iv := &ImageView{Alt: img.Alt, Caption: img.Caption, Credit: img.Credit, Decorative: img.Decorative,
		Width: img.Info.Width, Height: img.Info.Height}
	paths, vs := ps.published(img)
	var fallback, webp []string
	for i, v := range vs {
		url := ps.basePath + paths[i]
		entry := url + " " + strconv.Itoa(v.Width) + "w"
		if v.Format == media.WebP {
			webp = append(webp, entry)
			continue
		}
		if iv.Thumb == "" {
			iv.Thumb, iv.ThumbWidth, iv.ThumbHeight = url, v.Width, v.Height
		}
		iv.Src, iv.Type = url, v.Format.MIME()
		fallback = append(fallback, entry)
	}
	if img.Info.Format != media.SVG {
		iv.SrcSet, iv.WebPSrcSet = strings.Join(fallback, ", "), strings.Join(webp, ", ")
	}
	return iv
}

// social is the widest raster variant of img as a page's og:image, or
// nil for an SVG, which sharing sites do not show.
func (ps pictures) social(img *content.Image) *SocialImage {
	if img == nil || img.Info.Format == media.SVG {
		return nil
	}
	paths, vs := ps.published(img)
	var out *SocialImage
	for i, v := range vs {
		if v.Format != media.WebP {
			out = &SocialImage{URL: ps.baseURL + paths[i], Width: v.Width, Height: v.Height, Alt: img.Alt}
		}
	}
	return out
}

// cardPath is the output path of an article's social card.
func cardPath(a *site.Article) string { return cardDir + a.Slug + ".png" }

// articleImage is an article's og:image: its lead picture, else its
// card, else none.
func (p *Plan) articleImage(a *site.Article) *SocialImage {
	if img := p.pics.social(a.Lead); img != nil {
		return img
	}
	if p.t.media == nil || p.t.media.Cards == nil {
		return nil
	}
	return &SocialImage{URL: p.s.BaseURL + cardPath(a), Width: card.Width, Height: card.Height,
		Alt: a.Title + ", " + a.WhenText}
}

// siteImage is the og:image of every page but the articles'.
func (p *Plan) siteImage() *SocialImage {
	if p.t.media == nil || p.t.media.Cards == nil {
		return nil
	}
	return &SocialImage{URL: p.s.BaseURL + SiteCard, Width: card.Width, Height: card.Height, Alt: p.s.Title}
}

// lead is the template function {{lead .}}: the article's lead image,
// or nil. What it shows is the article's metadata, which its view
// recorded.
func (t *Templates) lead(v *ArticleView) (*ImageView, error) {
	if v == nil {
		return nil, errNoArticle
	}
	if v.a.Lead == nil {
		return nil, nil
	}
	return t.pics.view(v.a.Lead), nil
}

// mediaJobs are the files of every picture the articles show, once
// each, the resources of their folders, and the social cards.
func (p *Plan) mediaJobs(jobs []job) []job {
	m := p.t.media
	if m == nil {
		return jobs
	}
	planned := map[string]bool{}
	for _, a := range p.s.Articles {
		if a.Lead != nil {
			jobs = p.pictureJobs(jobs, a.Lead, planned)
		}
		for i := range a.Images() {
			jobs = p.pictureJobs(jobs, &a.Images()[i], planned)
		}
		for _, res := range a.Resources() {
			// A file read as it is: nothing in the model stands for
			// its bytes, so it is read again on every build.
			jobs = p.add(jobs, a.Rel+path.Base(res), func(r *recorder) job {
				if r != nil {
					r.unbounded = true
				}
				return job{make: func() ([]byte, error) { return fs.ReadFile(m.FS, res) }}
			})
		}
	}
	return p.cardJobs(jobs)
}

// pictureJobs adds the jobs of img's files not yet planned. A variant's
// path names its bytes, so it depends on nothing but what every file
// does: the Cache keeps it, and a rebuild encodes it again only when
// the sink lost it.
func (p *Plan) pictureJobs(jobs []job, img *content.Image, planned map[string]bool) []job {
	paths, vs := p.pics.published(img)
	for i, out := range paths {
		if planned[out] {
			continue
		}
		planned[out] = true
		v := vs[i]
		jobs = p.data(jobs, out, func(*recorder) {}, job{make: func() ([]byte, error) { return p.encode(img, v) }})
	}
	return jobs
}

// encode reads img's file and encodes variant v of it; an SVG is
// published as it is.
func (p *Plan) encode(img *content.Image, v media.Variant) ([]byte, error) {
	src, err := fs.ReadFile(p.t.media.FS, img.Src)
	if err != nil {
		return nil, err
	}
	if v.Format == media.SVG {
		return src, nil
	}
	b, err := p.t.media.Encoder.Encode(src, img.Info, v)
	if err != nil {
		return nil, fmt.Errorf("%s: encoding %d px %s: %w", img.Src, v.Width, v.Format, err)
	}
	return b, nil
}

// cardJobs are the site's card (which shows the settings) and every
// card of an article without a raster lead image (see cardDeps).
func (p *Plan) cardJobs(jobs []job) []job {
	cards := p.t.media.Cards
	if cards == nil {
		return jobs
	}
	s := p.s
	siteSpec := card.Spec{SiteTitle: s.Title, Description: s.Description, Colors: card.DefaultColors}
	jobs = p.data(jobs, SiteCard, func(*recorder) {}, job{make: func() ([]byte, error) { return cards.Card(siteSpec) }})
	for _, a := range s.Articles {
		if p.pics.social(a.Lead) != nil {
			continue
		}
		jobs = p.data(jobs, cardPath(a), func(r *recorder) { cardDeps(r, a) }, job{make: func() ([]byte, error) {
			return cards.Card(card.Spec{SiteTitle: s.Title, Date: a.WhenText, Title: a.Title, Parties: names(a.Parties), Colors: card.DefaultColors})
		}})
	}
	return jobs
}

// cardDeps records what an article's card shows: its date and title,
// and the names of its parties, which are the terms' (a term's name may
// change with another article's spelling while this one's stays).
func cardDeps(r *recorder, a *site.Article) {
	r.article(a, site.ArticleMeta)
	for _, t := range a.Parties {
		r.term(t, site.TermMeta)
	}
}
