// Package render turns a site.Site and a set of templates into the files
// of the site: a page for every article, year, tag and party (in pages
// of Limits.PageEvents events), the indexes, the 404 page, the Atom
// feeds, the sitemaps, robots.txt and the data exports (timeline.json
// for TimelineJS, events.ndjson).
//
// # Templates
//
// LoadTemplates overlays a site's layouts/ on a theme (package layouts
// is the default one) file by file. Every page template receives a Page
// as dot. Its model objects are views: a SiteView, ArticleView,
// YearView, TermView, EraView or ListingView wraps the site object of
// the same name and has a method for each of its exported fields and
// methods, which returns the same thing. A template reads {{.Title}}
// from a method exactly as from a field, so a theme is written as if it
// read the site types themselves (README's template reference lists
// what each has).
//
// Three template functions reuse work done once per build: {{event .}}
// and {{facts .}} return an article's "event" and "facts" partials,
// and {{chrome "NAME" .Kind}} a template of partials/chrome.html as
// rendered for that kind of page (its dot is a Chrome: .Site and .Kind).
//
// # Recorded dependencies
//
// While a page renders, every view method it calls notes, in the page's
// recorder, which facet of which model object it read, with that
// facet's revision (see site.Revision). What a page shows is therefore
// known by construction, whatever its templates read, with these rules:
//
//   - every page depends on the site settings and on the bytes of the
//     chrome (a chrome that counts the events makes every page depend on
//     that count);
//   - a page showing {{event .}} depends on the bytes of that snippet,
//     and the snippet on what its template read; {{facts .}} adds what
//     the facts partial read to whichever page or snippet shows it;
//   - a file made by Go code (feeds, sitemaps, exports, JSON-LD, the
//     chart) declares what it shows when it is planned;
//   - whatever cannot be bounded (a year that no site object stands
//     for) marks the page as depending on everything: it is rendered
//     on every build.
//
// # The cache
//
// Without a Cache, Plan renders everything and records nothing: a
// one-shot build pays only for the views. With one (watch and serve keep
// one per Builder), each file and snippet is kept with its recorded
// dependencies, and the next Plan takes it as it is while every
// dependency still has its recorded revision and the templates are the
// same set (by a fingerprint of their text); anything else is rendered
// again. A Sink with Keep is told of the files taken from the cache
// instead of receiving their bytes. The result is byte for byte that of
// a build without a cache, for any theme.
package render
