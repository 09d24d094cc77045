package content

import (
	"context"
	"io/fs"
	"regexp"
	"strings"

	"github.com/dealsite/dealsite/internal/diag"
)

// Article is one event of the deal history, read from one markdown file.
type Article struct {
	Path    string // slash path relative to the site: "content/2013/sale.md"
	Title   string
	Date    Date
	EndDate Date     // zero unless the event is a period
	Weight  int      // orders events on the same date: lower first
	Tags    []string // as written; grouping is the site model's job
	Summary string   // plain text
	// OwnSummary is true when the summary was written in front matter
	// rather than taken from the first paragraph (which the body shows).
	OwnSummary bool
	Parties    []string
	Value      string
	Sources    []Source
	Slug       string
	Draft      bool
	// Body is the rendered HTML. Links to other articles' files appear as
	// RefHref(i) placeholders for Refs[i]. It is empty when the Loader
	// set it aside in a Spill: read it with BodyHTML.
	Body     string
	spilled  *spilled
	Refs     []Ref
	Headings []Heading // h2–h6 in order, for a table of contents
	Words    int       // body length in words, for reading time and TOC
	// Lead is the lead image (front matter image:), nil without one.
	Lead *Image
	// Images are the pictures the body shows, in order.
	Images []Image
	// Resources are the other files of the article's folder its body
	// links to (slash paths relative to the site), published beside
	// its page.
	Resources []string
	// Hash is the SHA-256 of the file's bytes, set by the Loader; equal
	// hashes mean equal articles (given the same unsafe_html setting).
	Hash [32]byte
}

// Source is where the facts of an article come from.
type Source struct {
	Title     string
	URL       string // empty, or an absolute http(s) URL
	Publisher string
	Date      Date // zero when not given
}

// articleFields is the strict schema of article front matter.
var articleFields = []string{"title", "date", "end_date", "weight", "tags", "summary", "parties", "value", "sources", "slug", "draft", "image"}

// ParseArticle reads one article file. path is the file's slash path
// relative to the site folder; every problem found is returned as a
// diag.List.
func (m *Markdown) ParseArticle(path string, src []byte) (*Article, error) {
	return m.ParseArticleContext(context.Background(), path, src)
}

// ParseArticleContext is ParseArticle that stops parsing when ctx is
// done and then returns ctx's error.
func (m *Markdown) ParseArticleContext(ctx context.Context, path string, src []byte) (*Article, error) {
	a, _, err := m.ParseArticleFS(ctx, nil, path, src)
	return a, err
}

// ParseArticleFS is ParseArticleContext for an article of the site
// fsys, from which it reads the images the article shows and checks the
// files it links to. uses lists those files (slash paths relative to
// the site, found or not, problems or not): the result stays true while
// the article's bytes and these files stay as they are. With a nil fsys
// every image and linked file of an article folder is missing.
func (m *Markdown) ParseArticleFS(ctx context.Context, fsys fs.FS, path string, src []byte) (a *Article, uses []string, err error) {
	var diags diag.List
	doc := m.parseContext(ctx, fsys, path, src, &diags)
	if doc != nil {
		uses = doc.uses
	}
	a, err = m.article(ctx, fsys, doc, path, &diags, &uses)
	return a, uses, err
}

// article makes the Article of a parsed document (nil when it could not
// be parsed), with every problem of the file.
func (m *Markdown) article(ctx context.Context, fsys fs.FS, doc *document, path string, diags *diag.List, uses *[]string) (*Article, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if doc == nil {
		return nil, diags.Err()
	}
	fm := doc.front
	fm.checkKeys("front-matter", articleFields)
	a := &Article{
		Path:    path,
		Title:   fm.required("title"),
		Date:    fm.date("date", true),
		EndDate: fm.date("end_date", false),
		Weight:  fm.integer("weight"),
		Tags:    fm.list("tags"),
		Summary: fm.text("summary"),
		Parties: fm.list("parties"),
		Value:   fm.text("value"),
		Sources: fm.sources(),
		Slug:    articleSlug(fm),
		Draft:   fm.boolean("draft"),
		Refs:    doc.refs,
		Images:  doc.images,
		Lead:    fm.leadImage(fsys, uses),
	}
	a.Resources = doc.resources
	body, err := m.html(doc, doc.root)
	if err != nil {
		diags.Addf(diag.BadMarkdown, path, 0, "rendering markdown: %v", err)
	}
	a.Body = body
	a.Headings = m.headingList(doc)
	a.Words = doc.words
	for _, list := range []struct {
		key   string
		items []string
	}{{"tags", a.Tags}, {"parties", a.Parties}} {
		if len(list.items) > MaxTerms {
			fm.errorf(diag.TooManyTerms, list.key, "%d %s; an article may have at most %d", len(list.items), list.key, MaxTerms)
		}
	}
	if !a.EndDate.IsZero() && !a.Date.IsZero() && EndsBefore(a.EndDate, a.Date) {
		fm.errorf(diag.BadRange, "end_date", "end_date %s is before date %s", a.EndDate.ISO(), a.Date.ISO())
	}
	a.OwnSummary = a.Summary != ""
	if !a.OwnSummary {
		a.Summary = m.firstParagraphText(doc)
	}
	if err := diags.Err(); err != nil {
		return nil, err
	}
	return a, nil
}

// MaxTerms bounds the tags and the parties of one article: every tag
// page lists its articles' tags, so the output grows with their square.
const MaxTerms = 100

// leadingDate is the date a file name may start with, at any of the
// precisions a date may have: "2013-09-03", "2013-09" or "2013".
var leadingDate = regexp.MustCompile(`^\d{4}(?:-\d{2}(?:-\d{2})?)?`)

// withoutDate is a file name without the date it starts with and the
// dash after it, as dealsite new writes them ("2013-09-phone-deal" gives
// "phone-deal"). A name that is only a date, or whose date runs on into
// more digits ("2013-100-things"), is kept whole.
func withoutDate(name string) string {
	date := leadingDate.FindString(name)
	rest, dash := strings.CutPrefix(name[len(date):], "-")
	if date == "" || !dash || rest == "" {
		return name
	}
	return rest
}

// articleSlug is the front-matter slug, checked to be URL-safe, or one
// made from the file name (an article folder's name, see IsBundle).
func articleSlug(fm *frontMatter) string {
	if given := fm.text("slug"); given != "" {
		if want := Slugify(given); want != given {
			fm.errorf(diag.BadSlug, "slug", "slug %q is not URL-safe: use lower-case letters, digits and dashes, e.g. %q", given, want)
		}
		return given
	}
	slug := Slugify(withoutDate(articleName(fm.path)))
	if slug == "" {
		fm.diags.Addf(diag.BadSlug, fm.path, 1, "cannot make a URL slug from the file name; add a slug field")
	}
	return slug
}

// BodyHTML returns Body, reading it back from the Spill the Loader set
// it aside in, if it did.
func (a *Article) BodyHTML() (string, error) {
	if a.spilled == nil {
		return a.Body, nil
	}
	return a.spilled.read()
}

// Spilled reports whether the body is in a Spill rather than in Body.
func (a *Article) Spilled() bool { return a.spilled != nil }
