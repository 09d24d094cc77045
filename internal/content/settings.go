package content

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/dealsite/dealsite/internal/diag"
)

// SettingsPath is the file holding the site settings and introduction.
const SettingsPath = Dir + "/_index.md"

// Settings are the site-wide options from content/_index.md.
type Settings struct {
	Title       string
	Description string
	BaseURL     string // absolute http(s) URL ending in '/', or empty
	Language    string // BCP 47 tag for <html lang>
	Author      string // feed author and meta author
	UnsafeHTML  bool   // keep raw HTML in markdown (trusted authors only)
	Eras        []Era  // named periods drawn on the timeline, in order
	// Intro is the rendered body of _index.md, shown above the timeline,
	// with placeholders for IntroRefs like Article.Body.
	Intro     string
	IntroRefs []Ref
}

var settingsFields = []string{"title", "description", "base_url", "language", "author", "unsafe_html", "eras"}

// Era is a named period of the history, such as "The Windows Phone bet".
type Era struct {
	Title      string
	Start, End Date
}

// DefaultSettings apply when content/_index.md does not exist.
func DefaultSettings() Settings {
	return Settings{Title: "Deal history", Language: "en"}
}

// peekUnsafeHTML reads only the unsafe_html flag, which must be known
// before any markdown is rendered. Errors are left to ParseSettings.
func peekUnsafeHTML(src []byte) bool {
	var ignored diag.List
	fm, _ := readFrontMatter(SettingsPath, src, &ignored)
	return fm != nil && fm.boolean("unsafe_html")
}

// ParseSettings reads content/_index.md.
func (m *Markdown) ParseSettings(src []byte) (Settings, error) {
	var diags diag.List
	s := DefaultSettings()
	doc := m.parse(SettingsPath, src, &diags)
	if doc == nil {
		return s, diags.Err()
	}
	fm := doc.front
	fm.checkKeys("site setting", settingsFields)
	s.Title = or(fm.text("title"), s.Title)
	s.Description = fm.text("description")
	s.Language = or(fm.text("language"), s.Language)
	s.Author = fm.text("author")
	s.UnsafeHTML = fm.boolean("unsafe_html")
	s.Eras = fm.eras()
	if raw := fm.text("base_url"); raw != "" {
		base, err := NormalizeBaseURL(raw)
		if err != nil {
			fm.errorf(diag.BadBaseURL, "base_url", "%v", err)
		}
		s.BaseURL = base
	}
	intro, err := m.html(doc, doc.root)
	if err != nil {
		diags.Addf(diag.BadMarkdown, SettingsPath, 0, "rendering markdown: %v", err)
	}
	s.Intro, s.IntroRefs = intro, doc.refs
	return s, diags.Err()
}

// NormalizeBaseURL checks that raw is an absolute http(s) URL without
// query or fragment and returns it with a trailing slash.
func NormalizeBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", &baseURLError{raw}
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		u.RawPath = ""
	}
	return u.String(), nil
}

type baseURLError struct{ raw string }

func (e *baseURLError) Error() string {
	return "base URL " + strconv.Quote(e.raw) + " must be an absolute http or https URL like https://example.org/deals/"
}

func or(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}

var eraFields = []string{"title", "start", "end"}

// eras reads the list of {title, start, end} periods.
func (fm *frontMatter) eras() []Era {
	var out []Era
	fm.maps("eras", diag.BadEra, "era", "title, start and end", func(_ int, sub *frontMatter) {
		before := len(*sub.diags)
		sub.checkKeys("era", eraFields)
		era := Era{Title: sub.required("title"), Start: sub.date("start", true), End: sub.date("end", true)}
		switch {
		case era.Start.IsZero() || era.End.IsZero():
		case EndsBefore(era.End, era.Start):
			sub.errorf(diag.BadRange, "end", "end %s is before start %s", era.End.ISO(), era.Start.ISO())
		case SpansNoTime(era.Start, era.End):
			sub.errorf(diag.BadEra, "end", "era %q spans no time: its end %s is not later than its start %s on the clocks written; end it later, or give both dates without a time of day", era.Title, era.End.ISO(), era.Start.ISO())
		}
		if len(*sub.diags) == before {
			out = append(out, era)
		}
	})
	return out
}
