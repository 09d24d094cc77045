package site

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/dealsite/dealsite/internal/content"
)

// Term is one tag or one party, with the articles that carry it.
type Term struct {
	Kind string // "tag" or "party"
	Name string // the first spelling used, in time order
	Slug string
	Page
	Feed     Page       // the term's Atom feed (tags only; zero for parties)
	Articles []*Article // in time order
	Years    []*Year    // the same articles grouped by year; each links to the site's year page
	// Pages splits Articles into pages of at most Limits.PageEvents,
	// each with its own Years; the first is at Page.
	Pages []*Listing

	id   string // Kind/Slug: see Dep
	revs [2]Revision
}

// taxonomy says how one kind of term is read and where its pages go.
type taxonomy struct {
	kind   string
	folder string // "tags/"
	feeds  bool
	names  func(*content.Article) []string
	attach func(*Article, *Term)
	has    func(*Article, *Term) bool
}

var tagTaxonomy = taxonomy{
	kind: "tag", folder: "tags/", feeds: true,
	names:  func(a *content.Article) []string { return a.Tags },
	attach: func(a *Article, t *Term) { a.Tags = append(a.Tags, t) },
	has:    func(a *Article, t *Term) bool { return slices.Contains(a.Tags, t) },
}

var partyTaxonomy = taxonomy{
	kind: "party", folder: "parties/",
	names:  func(a *content.Article) []string { return a.Parties },
	attach: func(a *Article, t *Term) { a.Parties = append(a.Parties, t) },
	has:    func(a *Article, t *Term) bool { return slices.Contains(a.Parties, t) },
}

// TermKey is the identity of a term: case and spacing do not matter, so
// "Windows Phone" and "windows  phone" are one tag.
func TermKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// group collects one taxonomy's terms from the published articles
// (already in time order), links articles and terms both ways and gives
// every term a slug no other term of its kind has.
func (s *Site) group(tx taxonomy) []*Term {
	byKey := map[string]*Term{}
	var terms []*Term
	for _, a := range s.Articles {
		for _, name := range tx.names(a.src) {
			key := TermKey(name)
			t, ok := byKey[key]
			if !ok {
				t = &Term{Kind: tx.kind, Name: strings.Join(strings.Fields(name), " ")}
				byKey[key] = t
				terms = append(terms, t)
			}
			if tx.has(a, t) {
				continue // the same term twice on one article
			}
			tx.attach(a, t)
			t.Articles = append(t.Articles, a)
		}
	}
	slices.SortFunc(terms, func(a, b *Term) int {
		return strings.Compare(TermKey(a.Name), TermKey(b.Name))
	})
	s.assignSlugs(tx, terms)
	for _, t := range terms {
		s.groupTermYears(t)
	}
	return terms
}

// groupTermYears groups t's articles by year.
func (s *Site) groupTermYears(t *Term) {
	t.Years = yearsOf(t.Articles)
	for _, y := range t.Years {
		y.Page = s.yearPage(y.Year) // the heading links to the whole year
	}
}

// assignSlugs gives terms (sorted by key) distinct slugs. Symbols are
// spelled out by content.Slugify, so collisions are rare; when two terms
// still meet ("Nokia!" and "Nokia?"), the later one gets "-2", "-3"…
func (s *Site) assignSlugs(tx taxonomy, terms []*Term) {
	taken := map[string]bool{}
	for _, t := range terms {
		base := content.Slugify(t.Name)
		if base == "" { // only punctuation or emoji: name it by its hash
			sum := sha256.Sum256([]byte(TermKey(t.Name)))
			base = tx.kind + "-" + hex.EncodeToString(sum[:4])
		}
		slug := base
		for n := 2; taken[slug]; n++ {
			slug = base + "-" + strconv.Itoa(n)
		}
		taken[slug] = true
		t.Slug = slug
		t.Page = s.page(tx.folder + slug + "/")
		if tx.feeds {
			t.Feed = s.page(tx.folder + slug + "/feed.xml")
		}
	}
}
