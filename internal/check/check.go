// Package check inspects a built site for problems a build alone does
// not catch: internal links and #fragments that do not resolve, links
// that leave the base path, draft pages reachable from published ones,
// ids given to two elements of one page, and editorial slips (two events with one title on one date, tags that
// differ only in spelling). It reads the build's output in memory and
// reports diag.Diagnostics; it never writes anything.
package check

import (
	"bytes"
	"net/url"
	"path"
	"slices"
	"strings"

	"golang.org/x/net/html"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/site"
)

// Site checks out, the published build. drafts lists the site-relative
// folders of draft articles (e.g. "articles/plan/"), which published
// pages must not link to.
func Site(out *build.Output, drafts []string) diag.List {
	var l diag.List
	pages := parsePages(out)
	checkLinks(out, pages, drafts, &l)
	checkTitles(out.Site(), &l)
	checkTagSpellings(out.Site(), &l)
	checkDuplicateIDs(out, pages, &l)
	return l
}

// page is what the link check needs of one HTML file.
type page struct {
	links []string
	ids   map[string]bool // id and name attributes: what a #fragment finds
	// idCount counts the elements with each id attribute; repeated
	// lists the ids counted twice, in order of their second use.
	idCount  map[string]int
	repeated []string
}

// parsePages tokenises every HTML file once.
func parsePages(out *build.Output) map[string]*page {
	pages := map[string]*page{}
	for _, p := range out.Paths() {
		if path.Ext(p) != ".html" {
			continue
		}
		data, _ := out.File(p)
		pages[p] = parse(data)
	}
	return pages
}

// linkAttrs are the attributes that hold URLs the browser follows or loads.
var linkAttrs = map[string]bool{"href": true, "src": true}

func parse(data []byte) *page {
	pg := &page{ids: map[string]bool{}, idCount: map[string]int{}}
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return pg
		case html.StartTagToken, html.SelfClosingTagToken:
			for {
				key, val, more := z.TagAttr()
				switch k := string(key); {
				case k == "id" || k == "name":
					pg.ids[string(val)] = true
					if k == "id" {
						pg.countID(string(val))
					}
				case linkAttrs[k]:
					pg.links = append(pg.links, string(val))
				}
				if !more {
					break
				}
			}
		}
	}
}

func (pg *page) countID(id string) {
	pg.idCount[id]++
	if pg.idCount[id] == 2 {
		pg.repeated = append(pg.repeated, id)
	}
}

// checkLinks resolves every link of every page against the output.
func checkLinks(out *build.Output, pages map[string]*page, drafts []string, l *diag.List) {
	s := out.Site()
	base, _ := url.Parse(s.BaseURL)
	for _, from := range sortedKeys(pages) {
		pageURL := base.ResolveReference(&url.URL{Path: pageFolder(from)})
		for _, raw := range pages[from].links {
			ref, err := url.Parse(strings.TrimSpace(raw))
			if err != nil {
				l.Add(at(s, from, diag.BrokenLink, "page %s has a link that is not a valid URL: %q", from, raw))
				continue
			}
			target := pageURL.ResolveReference(ref)
			if !sameSite(target, base) {
				continue // mailto:, tel: and other sites are not ours to check
			}
			checkLink(out, pages, drafts, s, base, from, raw, target, l)
		}
	}
}

func checkLink(out *build.Output, pages map[string]*page, drafts []string, s *site.Site, base *url.URL, from, raw string, target *url.URL, l *diag.List) {
	rel, inside := strings.CutPrefix(target.Path, base.Path)
	if !inside {
		l.Add(at(s, from, diag.OutsideBase, "page %s links to %s, outside the base path %s", from, raw, base.Path))
		return
	}
	if slices.ContainsFunc(drafts, func(d string) bool { return rel == d || strings.HasPrefix(rel, d) }) {
		l.Add(at(s, from, diag.DraftReachable, "page %s links to the draft %s", from, raw))
		return
	}
	file := outputFile(out, rel)
	if file == "" {
		l.Add(at(s, from, diag.BrokenLink, "page %s links to %s: no such page", from, raw))
		return
	}
	if frag := target.Fragment; frag != "" && pages[file] != nil && !pages[file].ids[frag] {
		l.Add(at(s, from, diag.BrokenFragment, "page %s links to %s: %s has no id %q", from, raw, file, frag))
	}
}

// outputFile maps a path under the base URL to the output file a static
// host would serve for it, or "".
func outputFile(out *build.Output, rel string) string {
	candidates := []string{rel, path.Join(rel, "index.html")}
	if rel == "" || strings.HasSuffix(rel, "/") {
		candidates = []string{rel + "index.html"}
	}
	for _, c := range candidates {
		if _, ok := out.File(c); ok {
			return c
		}
	}
	return ""
}

// pageFolder is the URL path of an output file, relative to the base.
func pageFolder(file string) string {
	if strings.HasSuffix(file, "index.html") {
		return strings.TrimSuffix(file, "index.html")
	}
	return file
}

func sameSite(u, base *url.URL) bool {
	return (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, base.Host)
}

// at attributes a problem on a page to its source: the article's file for
// article pages, else the template that renders the page.
func at(s *site.Site, page string, code diag.Code, format string, args ...any) diag.Diagnostic {
	return diag.New(code, sourceOf(s, page), 0, format, args...)
}

func sourceOf(s *site.Site, page string) string {
	for _, a := range s.Articles {
		if a.Rel+"index.html" == page {
			return a.Path
		}
	}
	kind, _, _ := strings.Cut(page, "/")
	switch {
	case page == "index.html":
		return "layouts/index.html"
	case page == "404.html":
		return "layouts/404.html"
	case kind == "years" && page == "years/index.html":
		return "layouts/years.html"
	case kind == "years":
		return "layouts/year.html"
	case (kind == "tags" || kind == "parties") && strings.Count(page, "/") == 1:
		return "layouts/terms.html"
	case kind == "tags" || kind == "parties":
		return "layouts/term.html"
	}
	return "static/" + page
}

func sortedKeys(m map[string]*page) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
