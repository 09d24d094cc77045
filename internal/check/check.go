// Package check inspects a built site for problems a build alone does
// not catch: internal links and #fragments that do not resolve, links
// that leave the base path, images (<img src>, <img> and <source>
// srcset) that are not files of the build, draft pages reachable from published ones,
// ids given to two elements of one page, and editorial slips (two
// events with one title on one date, tags that differ only in spelling). It reads a build's pages one at a time as
// they are made (Build), or an Output in memory (Site), and reports
// diag.Diagnostics; it never writes anything. Its cost grows with the
// number of links, never with links times pages or drafts.
package check

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"
	"sync"

	"golang.org/x/net/html"

	"github.com/dealsite/dealsite/internal/outdir"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/site"
)

// Site checks out, the published build. drafts lists the site-relative
// folders of draft articles (e.g. "articles/plan/"), which published
// pages must not link to.
func Site(out *build.Output, drafts []string) diag.List {
	c := newLinkCheck(out.Site(), out.Paths(), drafts)
	for _, p := range out.Paths() {
		data, _ := out.File(p)
		c.file(p, data)
	}
	return c.finish()
}

// Build builds the site in siteFS with opts and checks it like Site, one
// page at a time as the build makes them, never holding the whole site.
// A build's errors come back as err, the check's problems as the list.
//
// The article bodies wait for their pages in a temporary file, which is
// removed at once (on Unix) or at the end, as a build's do. mediaCache is
// the folder of encoded pictures a build keeps (build.Config.MediaCache),
// "" for none: check encodes the pictures the pages show, and reuses
// what build, watch and serve encoded.
func Build(ctx context.Context, siteFS fs.FS, opts build.Options, drafts []string, mediaCache string) (diag.List, build.Stats, error) {
	spill, err := os.CreateTemp("", "dealsite-check-*")
	if err != nil {
		return nil, build.Stats{}, err
	}
	defer os.Remove(spill.Name())
	defer spill.Close()
	os.Remove(spill.Name()) // fails harmlessly where an open file cannot go
	t := &target{drafts: drafts}
	r, err := build.NewBuilder(build.Config{Scratch: spill, MediaCache: mediaCache}).Run(ctx, siteFS, opts, t)
	if err != nil {
		return nil, r.Stats, err
	}
	return t.c.finish(), r.Stats, nil
}

// target is where Build's pages go: into the link check, as they come.
type target struct {
	drafts []string
	s      *site.Site
	c      *linkCheck
}

func (t *target) ReadModel(s *site.Site) { t.s = s }

func (t *target) Begin(_ context.Context, produced []string) (outdir.Tx, error) {
	t.c = newLinkCheck(t.s, produced, t.drafts)
	return checkTx{t.c}, nil
}

// checkTx checks each file it is given, and keeps none.
type checkTx struct{ c *linkCheck }

func (tx checkTx) Put(p string, data []byte) error { tx.c.file(p, data); return nil }

func (tx checkTx) PutSum(p string, data []byte, _ uint64) error { return tx.Put(p, data) }

func (tx checkTx) Stream(p string, write func(io.Writer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	return tx.Put(p, b.Bytes())
}

// KeepRest is never true: check keeps nothing, so every page comes
// whole.
func (tx checkTx) KeepRest(uint64) bool { return false }

func (tx checkTx) Commit() (outdir.Stats, error) { return outdir.Stats{}, nil }

func (tx checkTx) Discard() {}

// page is what the link check needs of one HTML file.
type page struct {
	links []string
	// images are the URLs of the files the page shows: <img src>, and
	// each candidate of an <img> or <source> srcset.
	images []string
	ids    map[string]bool // id and name attributes: what a #fragment finds
	// idCount counts the elements with each id attribute; repeated
	// lists the ids counted twice, in order of their second use.
	idCount  map[string]int
	repeated []string
}

// linkCheck checks the links of a build's pages as they come, from
// several goroutines at once. A link is checked when its page comes,
// except one to a #fragment of another page, which waits for finish,
// when every page's ids are known.
type linkCheck struct {
	s      *site.Site
	base   *url.URL
	files  map[string]bool // every output path
	drafts draftSet

	mu      sync.Mutex
	ids     map[string][]string // of every HTML page, sorted: a map each would cost several times more
	waiting []fragmentLink
	sources map[string]string // article page → its source file; see add
	l       diag.List
}

// fragmentLink is a link to an element of a page.
type fragmentLink struct{ from, raw, file, frag string }

func newLinkCheck(s *site.Site, paths []string, drafts []string) *linkCheck {
	base, _ := url.Parse(s.BaseURL)
	c := &linkCheck{s: s, base: base, files: make(map[string]bool, len(paths)), drafts: newDraftSet(drafts), ids: map[string][]string{}}
	for _, p := range paths {
		c.files[p] = true
	}
	return c
}

// file checks the links of one output file, if it is a page.
func (c *linkCheck) file(from string, data []byte) {
	if path.Ext(from) != ".html" {
		return
	}
	pg := parse(data) // outside the lock: most of the work
	pageURL := c.base.ResolveReference(&url.URL{Path: pageFolder(from)})
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ids[from] = sortedIDs(pg.ids)
	c.duplicateIDs(from, pg)
	for _, raw := range pg.links {
		ref, err := url.Parse(strings.TrimSpace(raw))
		if err != nil {
			c.add(from, diag.BrokenLink, "page %s has a link that is not a valid URL: %q", from, raw)
			continue
		}
		target := pageURL.ResolveReference(ref)
		if !sameSite(target, c.base) {
			continue // mailto:, tel: and other sites are not ours to check
		}
		c.link(from, raw, target)
	}
	for _, raw := range pg.images {
		c.image(from, raw, pageURL)
	}
}

// image checks that an image a page shows is a file of the build: an
// image is never a page, so no index.html stands in for it.
func (c *linkCheck) image(from, raw string, pageURL *url.URL) {
	ref, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		c.add(from, diag.BrokenMedia, "page %s shows an image whose URL is not valid: %q", from, raw)
		return
	}
	target := pageURL.ResolveReference(ref)
	if !sameSite(target, c.base) {
		return // another site's: not ours to check
	}
	switch rel, inside := strings.CutPrefix(target.Path, c.base.Path); {
	case !inside:
		c.add(from, diag.OutsideBase, "page %s shows the image %s, outside the base path %s", from, raw, c.base.Path)
	case !c.files[rel]:
		c.add(from, diag.BrokenMedia, "page %s shows the image %s: the build wrote no such file", from, raw)
	}
}

func (c *linkCheck) link(from, raw string, target *url.URL) {
	rel, inside := strings.CutPrefix(target.Path, c.base.Path)
	if !inside {
		c.add(from, diag.OutsideBase, "page %s links to %s, outside the base path %s", from, raw, c.base.Path)
		return
	}
	if c.drafts.holds(rel) {
		c.add(from, diag.DraftReachable, "page %s links to the draft %s", from, raw)
		return
	}
	switch file := c.outputFile(rel); {
	case file == "":
		c.add(from, diag.BrokenLink, "page %s links to %s: no such page", from, raw)
	case target.Fragment == "":
	case file == from: // its ids are known: most links to fragments
		c.fragment(fragmentLink{from, raw, file, target.Fragment})
	default:
		c.waiting = append(c.waiting, fragmentLink{from, raw, file, target.Fragment})
	}
}

// fragment checks a link to an element of a page whose ids are known.
func (c *linkCheck) fragment(w fragmentLink) {
	if ids, isPage := c.ids[w.file]; isPage {
		if _, found := slices.BinarySearch(ids, w.frag); !found {
			c.add(w.from, diag.BrokenFragment, "page %s links to %s: %s has no id %q", w.from, w.raw, w.file, w.frag)
		}
	}
}

// sortedIDs lists a page's ids, sorted.
func sortedIDs(ids map[string]bool) []string {
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	slices.Sort(list)
	return list
}

// finish checks the links to fragments, then the content's editorial
// slips, and returns every problem, sorted.
func (c *linkCheck) finish() diag.List {
	for _, w := range c.waiting {
		c.fragment(w)
	}
	checkTitles(c.s, &c.l)
	checkTagSpellings(c.s, &c.l)
	return c.l.Sorted()
}

// outputFile maps a path under the base URL to the output file a static
// host would serve for it, or "".
func (c *linkCheck) outputFile(rel string) string {
	candidates := []string{rel, path.Join(rel, "index.html")}
	if rel == "" || strings.HasSuffix(rel, "/") {
		candidates = []string{rel + "index.html"}
	}
	for _, f := range candidates {
		if c.files[f] {
			return f
		}
	}
	return ""
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
			name, _ := z.TagName()
			image := string(name) == "img" || string(name) == "source"
			for {
				key, val, more := z.TagAttr()
				switch k := string(key); {
				case k == "id" || k == "name":
					pg.ids[string(val)] = true
					if k == "id" {
						pg.countID(string(val))
					}
				case image && k == "src":
					pg.images = append(pg.images, string(val))
				case image && k == "srcset":
					pg.images = append(pg.images, srcsetURLs(string(val))...)
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

// srcsetURLs are the URLs of the candidates of a srcset: "a.webp 480w,
// b.webp 800w". dealsite's own never hold a comma.
func srcsetURLs(srcset string) []string {
	var urls []string
	for _, candidate := range strings.Split(srcset, ",") {
		if fields := strings.Fields(candidate); len(fields) > 0 {
			urls = append(urls, fields[0])
		}
	}
	return urls
}

func (pg *page) countID(id string) {
	pg.idCount[id]++
	if pg.idCount[id] == 2 {
		pg.repeated = append(pg.repeated, id)
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
	return build.StaticDir + "/" + page
}
