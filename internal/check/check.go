// Package check inspects a built site for problems a build alone does
// not catch: internal links and #fragments that do not resolve, links
// that leave the base path, draft pages reachable from published ones,
// and editorial slips (two events with one title on one date, tags that
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
	c := &linkCheck{out: out, s: out.Site(), pages: parsePages(out), drafts: newDraftSet(drafts), l: &l}
	c.run()
	checkTitles(out.Site(), &l)
	checkTagSpellings(out.Site(), &l)
	return l
}

// linkCheck is one run of the link check.
type linkCheck struct {
	out     *build.Output
	s       *site.Site
	pages   map[string]*page
	drafts  draftSet
	sources map[string]string // article page → its source file; see at
	l       *diag.List
}

// page is what the link check needs of one HTML file.
type page struct {
	links []string
	ids   map[string]bool
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
	pg := &page{ids: map[string]bool{}}
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

// run resolves every link of every page against the output.
func (c *linkCheck) run() {
	base, _ := url.Parse(c.s.BaseURL)
	for _, from := range sortedKeys(c.pages) {
		pageURL := base.ResolveReference(&url.URL{Path: pageFolder(from)})
		for _, raw := range c.pages[from].links {
			ref, err := url.Parse(strings.TrimSpace(raw))
			if err != nil {
				c.add(from, diag.BrokenLink, "page %s has a link that is not a valid URL: %q", from, raw)
				continue
			}
			target := pageURL.ResolveReference(ref)
			if !sameSite(target, base) {
				continue // mailto:, tel: and other sites are not ours to check
			}
			c.link(base, from, raw, target)
		}
	}
}

func (c *linkCheck) link(base *url.URL, from, raw string, target *url.URL) {
	rel, inside := strings.CutPrefix(target.Path, base.Path)
	if !inside {
		c.add(from, diag.OutsideBase, "page %s links to %s, outside the base path %s", from, raw, base.Path)
		return
	}
	if c.drafts.holds(rel) {
		c.add(from, diag.DraftReachable, "page %s links to the draft %s", from, raw)
		return
	}
	file := outputFile(c.out, rel)
	if file == "" {
		c.add(from, diag.BrokenLink, "page %s links to %s: no such page", from, raw)
		return
	}
	if frag := target.Fragment; frag != "" && c.pages[file] != nil && !c.pages[file].ids[frag] {
		c.add(from, diag.BrokenFragment, "page %s links to %s: %s has no id %q", from, raw, file, frag)
	}
}

// draftSet holds the folders of draft articles ("articles/plan/").
// Asking it about a link costs a lookup per folder of the link's path,
// however many drafts there are: comparing every link with every draft
// made check quadratic on a large site.
type draftSet map[string]bool

func newDraftSet(folders []string) draftSet {
	set := make(draftSet, len(folders))
	for _, f := range folders {
		set[f] = true
	}
	return set
}

// holds reports whether rel is a draft's folder or a path inside one.
func (d draftSet) holds(rel string) bool {
	if d[rel] {
		return true
	}
	for i := range len(rel) {
		if rel[i] == '/' && d[rel[:i+1]] {
			return true
		}
	}
	return false
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

// add reports a problem on a page, attributed to its source: the
// article's file for article pages, else the template that renders the
// page.
func (c *linkCheck) add(page string, code diag.Code, format string, args ...any) {
	c.l.Add(diag.New(code, c.sourceOf(page), 0, format, args...))
}

func (c *linkCheck) sourceOf(page string) string {
	if c.sources == nil { // once, at the first problem: not per problem
		c.sources = make(map[string]string, len(c.s.Articles))
		for _, a := range c.s.Articles {
			c.sources[a.Rel+"index.html"] = a.Path
		}
	}
	if src, ok := c.sources[page]; ok {
		return src
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
