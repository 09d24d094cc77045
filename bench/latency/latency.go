// Package latency measures what an editor waits for: the time from saving
// a file in a site folder to the output folder showing the change, through
// a running watcher (`dealsite watch`, `hugo server` rendering to disk).
// The watcher is someone else's process; this package only edits files
// and polls the output, so the same code measures every tool.
//
// Two measures:
//
//   - [Edits]: save an article with one more paragraph, wait until its
//     page on disk shows it, n times.
//   - [AddDelete] (dealsite's output layout): add an article that is the
//     newest of the site, wait until its page and every listing it
//     belongs to show it (home, its year, tag and party pages and their
//     feeds, the site feed, timeline data, events export, sitemap); then
//     delete it and wait until all of them drop it; alternately, n times.
//
// Each save is timed from just before the write to the first poll that
// sees the outcome; the watcher's debounce is included. Before the next
// save, Options.Settle lets the caller wait for the rebuild to finish.
//
// The package imports nothing from dealsite, so it cannot drift with the
// code it measures. It is used by cmd/dealsite's BenchmarkEditToOutput and
// by the command in cmd/latency, which scripts/latency.sh runs against
// dealsite and Hugo side by side.
package latency

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Options tunes a measurement. The zero value is usable.
type Options struct {
	// Deadline bounds the wait for one outcome; default 2 minutes (a
	// 100,000-article site may rebuild everything in a minute).
	Deadline time.Duration
	// Settle, if set, is called after each outcome, with the number of
	// saves made so far, and before the next save: it waits until the
	// watcher is idle (for example by counting its "built" lines), so
	// that no save lands in the middle of the previous rebuild.
	Settle func(saves int) error
}

func (o Options) deadline() time.Duration {
	if o.Deadline <= 0 {
		return 2 * time.Minute
	}
	return o.Deadline
}

// Median is the middle duration of ds (the mean of the two middle ones
// for an even count); ds need not be sorted.
func Median(ds []time.Duration) time.Duration {
	s := slices.Sorted(slices.Values(ds))
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Percentile is the nearest-rank p-th percentile of ds (0 < p ≤ 100):
// the smallest duration that at least p % of ds do not exceed.
func Percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Sorted(slices.Values(ds))
	if len(s) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	return s[min(max(rank, 1), len(s))-1]
}

// Summary formats ds as "median 512.3 ms, p90 601.0 ms, min … max … (n)".
func Summary(ds []time.Duration) string {
	return fmt.Sprintf("median %s, p90 %s, min %s, max %s (%d saves)",
		ms(Median(ds)), ms(Percentile(ds, 90)), ms(slices.Min(ds)), ms(slices.Max(ds)), len(ds))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// timeSave writes data to file (or removes it), then polls until done
// holds, and returns the time from just before the write. what names the
// outcome in errors.
func timeSave(file string, data []byte, remove bool, done func() bool, what func() string, o Options) (time.Duration, error) {
	start := time.Now()
	var err error
	if remove {
		err = os.Remove(file)
	} else {
		err = os.WriteFile(file, data, 0o644)
	}
	if err != nil {
		return 0, err
	}
	deadline := start.Add(o.deadline())
	for !done() {
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("no %s within %v", what(), o.deadline())
		}
		time.Sleep(time.Millisecond)
	}
	return time.Since(start), nil
}

// settle calls o.Settle if set.
func (o Options) settle(saves int) error {
	if o.Settle == nil {
		return nil
	}
	return o.Settle(saves)
}

// Edits saves n edits of article (a markdown file, path on disk), one at
// a time, each adding a paragraph with a new marker at the end of its
// body (or, if first, before its first paragraph, which changes its
// summary too), and returns how long each took to show up in page (the
// path of the article's page on disk). It then restores the article and
// waits until the page no longer shows the last edit.
func Edits(article, page string, n int, first bool, o Options) (took []time.Duration, err error) {
	src, err := os.ReadFile(article)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.WriteFile(article, src, 0o644) // a failed measure leaves the site as it was, too
		}
	}()
	front, body, ok := splitFrontMatter(string(src))
	if !ok {
		return nil, fmt.Errorf("%s: no front matter", article)
	}
	view := newView(page)
	marker := ""
	for i := range n {
		marker = fmt.Sprintf("latency%dx%d", i, time.Now().UnixNano())
		edited := front + strings.TrimRight(body, "\n") + "\n\nEdited: " + marker + ".\n"
		if first {
			edited = front + "Edited: " + marker + ".\n\n" + body
		}
		what := func() string { return "edit " + marker + " in " + page }
		d, err := timeSave(article, []byte(edited), false, func() bool { return view.has(marker) }, what, o)
		if err != nil {
			return took, err
		}
		took = append(took, d)
		if err := o.settle(i + 1); err != nil {
			return took, err
		}
	}
	what := func() string { return "restored " + page }
	if _, err := timeSave(article, src, false, func() bool { return !view.has(marker) }, what, o); err != nil {
		return took, err
	}
	return took, o.settle(n + 1)
}

// splitFrontMatter splits an article into its front matter, both "---"
// lines included, and its body.
func splitFrontMatter(src string) (front, body string, ok bool) {
	rest, ok := strings.CutPrefix(src, "---\n")
	if !ok {
		return "", "", false
	}
	i := strings.Index(rest, "\n---\n")
	if i < 0 {
		return "", "", false
	}
	cut := len("---\n") + i + len("\n---\n")
	return src[:cut], src[cut:], true
}

// errNoArticle is returned when a site has no article to copy.
var errNoArticle = errors.New("no published article without a slug field to copy")

// walkArticles calls f with the path and text of every article file
// under dir/content, in name order.
func walkArticles(dir string, f func(path, text string)) error {
	return filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() || !strings.HasSuffix(name, ".md") || strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f(p, string(data))
		return nil
	})
}

// FirstArticle returns the first published article file of a site
// folder, in name order, that has no slug field, so that the path of its
// page follows from its name.
func FirstArticle(site string) (string, error) {
	found := ""
	err := walkArticles(site, func(p, text string) {
		front, _, ok := splitFrontMatter(text)
		if found == "" && ok && field(front, "slug") == "" && field(front, "draft") != "true" {
			found = p
		}
	})
	if err == nil && found == "" {
		err = errNoArticle
	}
	return found, err
}

// DealsitePage is the page dealsite writes for an article file without a
// slug field, relative to the output folder.
func DealsitePage(article string) string {
	return "articles/" + slugOf(article) + "/index.html"
}

// HugoPage is the page bench/hugo writes for an article file of site: its
// path under content/, without ".md".
func HugoPage(site, article string) (string, error) {
	rel, err := filepath.Rel(filepath.Join(site, "content"), article)
	return filepath.ToSlash(strings.TrimSuffix(rel, ".md")) + "/index.html", err
}
