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
// YearView, TermView, EraView or ListingView shows the site object of
// the same name with the same names: a copy of its plain fields (.Title,
// .DateISO, .URL) and, for what leads elsewhere in the model (.Next,
// .Tags, .Year, .Articles, .Body), methods that return views. A
// template reads {{.Next.Title}} from a method exactly as from a field,
// so a theme is written as if it read the site types themselves
// (README's template reference lists what each has).
//
// Three template functions reuse work done once per build: {{event .}}
// and {{facts .}} return an article's "event" and "facts" partials,
// and {{chrome "NAME" .Kind}} a template of partials/chrome.html as
// rendered for that kind of page (its dot is a Chrome: .Site and .Kind).
// {{lead .}} returns an article's lead image with the URLs of its
// published files (an ImageView), or nil.
//
// # Pictures and cards
//
// With Templates.SetMedia, a Plan also publishes the files of every
// picture articles show (each variant at media/<name>, named by its
// content, so one picture shown twice is one file), the files of
// article folders their bodies link to (beside their pages), and social
// cards (cards/<slug>.png, card.png); each page names its shared
// picture in Page.Image. A picture's variant is named by its bytes, so
// it depends on nothing a text edit changes, and an article's card on
// what the article shows in a list: with a Cache they are kept like any
// page still up to date, so a text edit in watch encodes nothing and
// draws no card but the edited article's when its title, date or
// parties changed. See media.go.
//
// # Recorded dependencies
//
// While a page renders, its views note, in the page's recorder, which
// facet of which model object it read (see site.Facet): a view records
// the facet of its fields when it is made, and each method what it
// reads. What a page shows is therefore known by construction, whatever
// its templates read, with these rules:
//
//   - every page depends on the site settings and on the bytes of the
//     chrome (a chrome that counts the events makes every page depend on
//     that count);
//   - a page showing {{event .}} depends on the bytes of that snippet,
//     and the snippet on what its template read; {{facts .}} adds what
//     the facts partial read to whichever page or snippet shows it;
//   - a list a template can reach whole (the site's, a year's, a
//     term's or an era's articles) depends on its owner's members,
//     whose revision covers what each member shows in a list; a short
//     one (a page of a listing, the related events) on each member;
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
// one per Builder), each file is kept as a checksum with its recorded
// dependencies, and each snippet with its bytes as well. An index from
// each dependency to the entries that recorded it lets each Plan go
// from the facets whose revision changed straight to the files and
// snippets they make stale, whatever the size of the site; after an
// update of the model in place (site.Update), a Plan looks only at the
// revisions of the objects the update restamped. A file is
// taken as it is while none of its dependencies changed since it was
// rendered and the templates are the same set (by a fingerprint of
// their text); anything else is rendered again. events.ndjson, which
// shows every event and so changes with any of them, is kept a line at
// a time, each with what it shows: an article added or deleted encodes
// one line of JSON.
//
// A file taken from the cache is not handed to the Sink at all when its
// KeepRest reports that it still holds the last Run's files (a target
// answers from the ID of its last commit; see outdir.Tx.KeepRest). When
// it does not, the file is rendered again: the cache holds no page
// bytes. The result is byte for byte that of a build without a cache,
// for any theme.
package render
