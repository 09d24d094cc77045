package latency

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMedianAndPercentile(t *testing.T) {
	ms := func(vs ...int) []time.Duration {
		var ds []time.Duration
		for _, v := range vs {
			ds = append(ds, time.Duration(v)*time.Millisecond)
		}
		return ds
	}
	for _, tc := range []struct {
		ds          []time.Duration
		median, p90 time.Duration
	}{
		{ms(5), 5 * time.Millisecond, 5 * time.Millisecond},
		{ms(9, 1, 5), 5 * time.Millisecond, 9 * time.Millisecond},
		{ms(4, 1, 3, 2), 2500 * time.Microsecond, 4 * time.Millisecond},
		{ms(10, 9, 8, 7, 6, 5, 4, 3, 2, 1), 5500 * time.Microsecond, 9 * time.Millisecond},
		{nil, 0, 0},
	} {
		if got := Median(tc.ds); got != tc.median {
			t.Errorf("Median(%v) = %v, want %v", tc.ds, got, tc.median)
		}
		if got := Percentile(tc.ds, 90); got != tc.p90 {
			t.Errorf("Percentile(%v, 90) = %v, want %v", tc.ds, got, tc.p90)
		}
	}
}

func TestNewArticle(t *testing.T) {
	src := "---\ntitle: \"Old\"\ndate: 2013-09-03\nend_date: 2014\ntags: [A, B]\nsources:\n  - title: \"Press\"\n    date: 2013-09-03\nslug: old\ndraft: false\n---\nBody.\n"
	want := "---\ntitle: \"Latency probe new\"\ndate: 2013-12-31T23:59:59Z\ntags: [A, B]\nsources:\n  - title: \"Press\"\n    date: 2013-09-03\n---\nBody.\n"
	if got := string(newArticle(src, "new", "2013")); got != want {
		t.Errorf("newArticle =\n%s\nwant\n%s", got, want)
	}
}

func TestNewestArticle(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{
		"content/_index.md":         "---\ntitle: Site\n---\n",
		"content/a/2019-01-01-x.md": "---\ntitle: X\ndate: 2019-01-01\n---\n",
		"content/2019-12-x.md":      "---\ntitle: Y\ndate: \"2019-12\"\n---\n",
		"content/z.md":              "---\ntitle: Draft\ndate: 2030-01-01\ndraft: true\n---\n",
		"content/s.md":              "---\ntitle: Slug\ndate: 2031-01-01\nslug: s\n---\n",
	})
	path, _, date, err := newestArticle(site)
	if err != nil || filepath.Base(path) != "2019-12-x.md" || date != "2019-12" {
		t.Errorf("newestArticle = %s, %s, %v; want 2019-12-x.md, 2019-12", path, date, err)
	}
	if slug := slugOf(path); slug != "x" {
		t.Errorf("slugOf(%s) = %q, want x", path, slug)
	}
}

func TestLastPages(t *testing.T) {
	out := t.TempDir()
	write(t, out, map[string]string{
		"tags/a/index.html":          "",
		"tags/a/page/2/index.html":   "",
		"tags/a/page/10/index.html":  "",
		"tags/b/index.html":          "",
		"sitemap.xml":                "",
		"sitemap-1.xml":              "",
		"sitemap-2.xml":              "",
		"tags/a/page/notes.txt/x.md": "",
		"timeline/2023.json":         "",
		"timeline/2024.json":         "",
		"timeline/2024-2.json":       "",
		"timeline/2024-3.json":       "",
		"timeline/2024-x.json":       "",
	})
	paths := func(vs []*view) string {
		var s []string
		for _, v := range vs {
			rel, _ := filepath.Rel(out, v.path)
			s = append(s, filepath.ToSlash(rel))
		}
		return strings.Join(s, " ")
	}
	for _, tc := range []struct{ got, want string }{
		{paths(lastPages(out, "tags/a")), "tags/a/page/10/index.html tags/a/page/11/index.html"},
		{paths(lastPages(out, "tags/b")), "tags/b/index.html tags/b/page/2/index.html"},
		{paths(sitemaps(out)), "sitemap-1.xml sitemap-2.xml sitemap-3.xml"},
		{paths(lastTimelines(out, "2024")), "timeline/2024-3.json timeline/2024-4.json"},
		{paths(lastTimelines(out, "2023")), "timeline/2023.json timeline/2023-2.json"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %s, want %s", tc.got, tc.want)
		}
	}
}

func TestLinkedListings(t *testing.T) {
	page := `<a href="/deals/tags/">Tags</a> <a href="/deals/tags/5g/">5G</a> <a href="/deals/parties/cr%C3%A9dit-lumi%C3%A8re-group/">Crédit</a> <a href="/deals/tags/5g/">again</a> <a href="/deals/tags/5g/feed.xml">feed</a>`
	got := strings.Join(linkedListings(page), " ")
	if want := "tags/5g parties/crédit-lumière-group"; got != want {
		t.Errorf("linkedListings = %s, want %s", got, want)
	}
}

func TestViewReadsTheTailOrTheWhole(t *testing.T) {
	dir := t.TempDir()
	big := "head-marker" + strings.Repeat(".", tailSize) + "tail-marker"
	write(t, dir, map[string]string{"big.txt": big})
	tail, whole := newView(filepath.Join(dir, "big.txt")), newWholeView(filepath.Join(dir, "big.txt"))
	if tail.has("head-marker") || !tail.has("tail-marker") || !whole.has("head-marker") || !whole.has("tail-marker") {
		t.Errorf("tail view: head %v, tail %v; whole view: head %v, tail %v; want false, true, true, true",
			tail.has("head-marker"), tail.has("tail-marker"), whole.has("head-marker"), whole.has("tail-marker"))
	}
	if err := os.Remove(filepath.Join(dir, "big.txt")); err != nil {
		t.Fatal(err)
	}
	if whole.has("tail-marker") || whole.exists() {
		t.Error("a removed file still shows")
	}
}

// TestEdits runs Edits against a stand-in watcher that copies the
// article's body into its page a little later, and checks that each
// edit is timed until the page shows it and the article is restored.
func TestEdits(t *testing.T) {
	dir := t.TempDir()
	article, page := filepath.Join(dir, "a.md"), filepath.Join(dir, "page.html")
	src := "---\ntitle: A\ndate: 2013\n---\nFirst paragraph.\n"
	write(t, dir, map[string]string{"a.md": src, "page.html": src})
	stop := make(chan struct{})
	defer close(stop)
	go func() { // the stand-in watcher
		last := ""
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			if data, err := os.ReadFile(article); err == nil && string(data) != last {
				last = string(data)
				os.WriteFile(page+".tmp", data, 0o644)
				os.Rename(page+".tmp", page)
			}
		}
	}()
	for _, first := range []bool{false, true} {
		settled := 0
		took, err := Edits(article, page, 3, first, Options{Deadline: time.Minute, Settle: func(int) error { settled++; return nil }})
		if err != nil || len(took) != 3 || settled != 4 {
			t.Fatalf("Edits(first=%v) = %v, %v with %d settles; want 3 durations, 4 settles", first, took, err, settled)
		}
		if got, _ := os.ReadFile(article); string(got) != src {
			t.Errorf("article not restored: %q", got)
		}
	}
}

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
