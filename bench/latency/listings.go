package latency

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// AddDelete measures adding and deleting an article in a dealsite site
// folder whose output folder out a watcher keeps up to date. It saves n
// changes (n even): a new article, then its deletion, alternately, and
// returns how long each took until every output listed below showed it
// (or no longer did). The site is left as it was.
//
// The new article copies the site's newest published article (its tags,
// parties, sources and body) under a new title, in the same folder, dated
// the last second of that article's year, so that it is the newest of the
// site: it appears last on its year page, tag pages and party pages, at
// the head of the feeds, and on the home page and in timeline.json. The
// outputs waited for, as they exist after the first build, are: its own
// page; index.html, feed.xml, timeline.json, events.ndjson, the last of
// the year's TimelineJS files (timeline/YYYY.json, YYYY-2.json, …); the
// last page of years/YYYY/ and of each tags/… and parties/… folder the
// copied article's page links to (or the page after it, when the article
// starts a new one), with their feed.xml; and the sitemap (any of its
// files). Pages that change without naming the article (the year and tag
// indexes' counts, the previous article's "next" link) are left to the
// model test, which compares every byte.
func AddDelete(site, out string, n int, o Options) ([]time.Duration, error) {
	if n%2 != 0 {
		return nil, fmt.Errorf("AddDelete: n = %d, want an even count to leave the site as it was", n)
	}
	src, text, date, err := newestArticle(site)
	if err != nil {
		return nil, err
	}
	year := date[:4]
	l, err := planListings(out, slugOf(src), year)
	if err != nil {
		return nil, err
	}
	var took []time.Duration
	var file, slug string
	defer func() {
		if file != "" {
			os.Remove(file) // a failed measure leaves the site as it was, too
		}
	}()
	for i := range n {
		add := i%2 == 0
		if add {
			slug = fmt.Sprintf("latency-added-%d-%d", i/2, time.Now().UnixNano())
			file = filepath.Join(filepath.Dir(src), year+"-12-31-"+slug+".md")
		}
		page := newView(filepath.Join(out, "articles", slug, "index.html"))
		done := func() bool {
			if page.has(slug) != add {
				l.pending = "its own page"
				return false
			}
			return l.showing(slug, add)
		}
		what := func() string {
			return fmt.Sprintf("%s of %s on every listing (still waiting for %s)", verb(add), slug, l.pending)
		}
		d, err := timeSave(file, newArticle(text, slug, year), !add, done, what, o)
		if err != nil {
			return took, err
		}
		took = append(took, d)
		if !add {
			file = ""
		}
		if err := o.settle(i + 1); err != nil {
			return took, err
		}
	}
	return took, nil
}

func verb(add bool) string {
	if add {
		return "addition"
	}
	return "deletion"
}

// newestArticle finds the published article, without a slug field, with
// the latest date (compared as written: ISO dates sort as text), and
// returns its path, text and date.
func newestArticle(site string) (path, text, date string, err error) {
	err = walkArticles(site, func(p, t string) {
		front, _, ok := splitFrontMatter(t)
		d := field(front, "date")
		if !ok || d == "" || field(front, "slug") != "" || field(front, "draft") == "true" {
			return
		}
		if d > date {
			path, text, date = p, t, d
		}
	})
	if err == nil && path == "" {
		err = errNoArticle
	}
	return path, text, date, err
}

// field returns the value of a top-level scalar field of a front matter,
// unquoted, or "".
func field(front, key string) string {
	for _, line := range strings.Split(front, "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			v = strings.TrimSpace(v)
			if u, err := strconv.Unquote(v); err == nil {
				return u
			}
			return strings.Trim(v, "'")
		}
	}
	return ""
}

// datePrefix is the date a file name may start with, which the default
// slug drops.
var datePrefix = regexp.MustCompile(`^\d{4}(-\d{2}){0,2}-`)

// slugOf is the default slug of an article file.
func slugOf(path string) string {
	return datePrefix.ReplaceAllString(strings.TrimSuffix(filepath.Base(path), ".md"), "")
}

// newArticle is src with a new title and the last second of year as its
// date (dropping any end_date, slug or draft field).
func newArticle(src, slug, year string) []byte {
	front, body, _ := splitFrontMatter(src)
	lines := strings.Split(strings.TrimSuffix(strings.TrimPrefix(front, "---\n"), "\n---\n"), "\n")
	kept := []string{"---", fmt.Sprintf("title: \"Latency probe %s\"", slug), "date: " + year + "-12-31T23:59:59Z"}
	dropping := false
	for _, line := range lines {
		if line == "" || line[0] != ' ' && line[0] != '\t' {
			key, _, _ := strings.Cut(line, ":")
			dropping = slices.Contains([]string{"title", "date", "end_date", "slug", "draft"}, key)
		}
		if !dropping {
			kept = append(kept, line)
		}
	}
	return []byte(strings.Join(append(kept, "---", ""), "\n") + body)
}

// listings are the outputs an article added at the end of the site must
// appear in, each a set of candidate files: it appears in one of them.
type listings struct {
	checks  []listing
	pending string // the first listing not yet as wanted, for errors
}

type listing struct {
	name  string
	files []*view
}

// showing reports whether every listing shows slug (want) or none does.
func (l *listings) showing(slug string, want bool) bool {
	for _, c := range l.checks {
		if slices.ContainsFunc(c.files, func(v *view) bool { return v.has(slug) }) != want {
			l.pending = c.name
			return false
		}
	}
	return true
}

// tagLink finds links to tag and party pages in an article page.
var tagLink = regexp.MustCompile(`/((?:tags|parties)/[^/"#?]+)/"`)

// planListings lists the outputs of out that an article added after the
// newest one of year, with the tags and parties of the article whose
// slug is given, must appear in.
func planListings(out, slug, year string) (*listings, error) {
	page, err := os.ReadFile(filepath.Join(out, "articles", slug, "index.html"))
	if err != nil {
		return nil, fmt.Errorf("the page of the article copied: %w", err)
	}
	l := &listings{}
	single := func(rel string) {
		if v := newView(filepath.Join(out, rel)); v.exists() {
			l.checks = append(l.checks, listing{rel, []*view{v}})
		}
	}
	paged := func(dir string) {
		l.checks = append(l.checks, listing{dir + "/ (last page)", lastPages(out, dir)})
		single(dir + "/feed.xml")
	}
	single("index.html")
	paged("years/" + year)
	for _, dir := range linkedListings(string(page)) {
		paged(dir)
	}
	for _, rel := range []string{"feed.xml", "timeline.json", "events.ndjson"} {
		single(rel)
	}
	if newView(filepath.Join(out, "timeline", year+".json")).exists() {
		l.checks = append(l.checks, listing{"timeline/" + year + "*.json (last file)", lastTimelines(out, year)})
	}
	l.checks = append(l.checks, listing{"the sitemap", sitemaps(out)})
	return l, nil
}

// linkedListings returns the folders of the tag and party pages an
// article page links to, in order, each once, as paths on disk (the
// links are percent-encoded: "parties/cr%C3%A9dit-lumi%C3%A8re-group").
func linkedListings(page string) []string {
	var dirs []string
	for _, m := range tagLink.FindAllStringSubmatch(page, -1) {
		dir, err := url.PathUnescape(m[1])
		if err == nil && !slices.Contains(dirs, dir) {
			dirs = append(dirs, dir)
		}
	}
	return dirs
}

// lastPages returns the last page of a paginated listing folder
// (dir/index.html, dir/page/2/index.html, …) and the page after it.
func lastPages(out, dir string) []*view {
	nth := func(n int) string { return filepath.Join(out, dir, "page", strconv.Itoa(n), "index.html") }
	return lastOf(filepath.Join(out, dir, "index.html"), nth, lastNumber(filepath.Join(out, dir, "page"), "", ""))
}

// lastTimelines returns the last TimelineJS file of a year (timeline/YYYY.json,
// timeline/YYYY-2.json, …) and the one after it.
func lastTimelines(out, year string) []*view {
	dir := filepath.Join(out, "timeline")
	nth := func(n int) string { return filepath.Join(dir, year+"-"+strconv.Itoa(n)+".json") }
	return lastOf(filepath.Join(dir, year+".json"), nth, lastNumber(dir, year+"-", ".json"))
}

// lastOf returns the last file of a numbered series and the one after
// it: first is the first file, nth(n) the n-th for n ≥ 2, and last the
// largest n found (0 if none).
func lastOf(first string, nth func(int) string, last int) []*view {
	file := func(n int) *view {
		if n < 2 {
			return newView(first)
		}
		return newView(nth(n))
	}
	return []*view{file(last), file(max(last, 1) + 1)}
}

// sitemaps returns sitemap.xml, or, when it is an index of numbered
// files (sitemap-1.xml, …), each of them and the one after the last:
// the newest article is where the articles end, not at the end of the
// last file, which lists the listings after them.
func sitemaps(out string) []*view {
	last := lastNumber(out, "sitemap-", ".xml")
	if last == 0 {
		return []*view{newWholeView(filepath.Join(out, "sitemap.xml"))}
	}
	var views []*view
	for n := 1; n <= last+1; n++ {
		views = append(views, newWholeView(filepath.Join(out, fmt.Sprintf("sitemap-%d.xml", n))))
	}
	return views
}

// lastNumber is the largest N among the entries of dir named
// prefix+N+suffix, or 0.
func lastNumber(dir, prefix, suffix string) int {
	entries, _ := os.ReadDir(dir)
	last := 0
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if num, ok2 := strings.CutSuffix(rest, suffix); ok && ok2 {
			if n, err := strconv.Atoi(num); err == nil {
				last = max(last, n)
			}
		}
	}
	return last
}
