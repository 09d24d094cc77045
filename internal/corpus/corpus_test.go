package corpus_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/corpus"
	"github.com/dealsite/dealsite/layouts"
	"github.com/dealsite/dealsite/static"
)

// TestDealsiteBuildsCorpus builds a generated site with dealsite: no
// errors, and one page per published article, year, tag and party plus
// the six fixed pages (timeline, 404, years, tags and parties indexes,
// search).
func TestDealsiteBuildsCorpus(t *testing.T) {
	fsys := corpus.Generate(200, 1)
	out, err := build.Build(context.Background(), fsys, build.Options{Theme: build.Theme{Layouts: layouts.FS, Static: static.FS}})
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	want := expect(t, fsys)
	got := out.Stats()
	if got.Articles != want.articles || got.Tags != len(want.tags) {
		t.Errorf("built %d articles and %d tags, want %d and %d", got.Articles, got.Tags, want.articles, len(want.tags))
	}
	if pages := want.articles + len(want.years) + len(want.tags) + len(want.parties) + 6; got.Pages != pages {
		t.Errorf("built %d pages, want %d", got.Pages, pages)
	}
	if want.articles == 200 || want.articles < 180 {
		t.Errorf("%d of 200 articles published; want about 2%% drafts", want.articles)
	}
}

// expected is what a corpus should build to, read from its front matter
// independently of dealsite's parser.
type expected struct {
	articles int
	years    map[string]bool
	tags     map[string]bool // by dealsite's term key: lower case, single spaces
	parties  map[string]bool
}

func expect(t *testing.T, fsys fstest.MapFS) expected {
	t.Helper()
	e := expected{years: map[string]bool{}, tags: map[string]bool{}, parties: map[string]bool{}}
	for p, f := range fsys {
		if p == corpus.SettingsPath {
			continue
		}
		fm := frontMatter(t, p, f.Data)
		if fm["draft"] == "true" {
			continue
		}
		e.articles++
		e.years[fm["date"][:4]] = true
		addTerms(t, p, fm["tags"], e.tags)
		addTerms(t, p, fm["parties"], e.parties)
	}
	return e
}

func addTerms(t *testing.T, file, list string, into map[string]bool) {
	var names []string
	if err := json.Unmarshal([]byte(list), &names); err != nil {
		t.Fatalf("%s: list %s: %v", file, list, err)
	}
	for _, n := range names {
		into[strings.ToLower(strings.Join(strings.Fields(n), " "))] = true
	}
}

// frontMatter reads the top-level "key: value" lines of a file's front
// matter.
func frontMatter(t *testing.T, file string, src []byte) map[string]string {
	t.Helper()
	head, _, ok := bytes.Cut(bytes.TrimPrefix(src, []byte("---\n")), []byte("\n---\n"))
	if !ok || !bytes.HasPrefix(src, []byte("---\n")) {
		t.Fatalf("%s: no front matter", file)
	}
	fm := map[string]string{}
	for line := range strings.Lines(string(head)) {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), ": "); ok && !strings.HasPrefix(line, " ") {
			fm[k] = v
		}
	}
	return fm
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := corpus.Generate(300, 7), corpus.Generate(300, 7)
	if !maps.EqualFunc(a, b, func(x, y *fstest.MapFile) bool { return bytes.Equal(x.Data, y.Data) }) {
		t.Error("two corpora of the same size and seed differ")
	}
	c := corpus.Generate(300, 8)
	if maps.EqualFunc(a, c, func(x, y *fstest.MapFile) bool { return bytes.Equal(x.Data, y.Data) }) {
		t.Error("corpora of different seeds are equal")
	}
}

// TestCorpusShape checks the promises of the package doc on a corpus
// large enough for the proportions to hold.
func TestCorpusShape(t *testing.T) {
	const n = 1000
	fsys := corpus.Generate(n, 1)
	if len(fsys) != n+1 {
		t.Fatalf("%d files, want %d articles and the settings", len(fsys), n)
	}
	var values, drafts, relLinks, tables int
	years := map[string]bool{}
	for p, f := range fsys {
		if p == corpus.SettingsPath {
			continue
		}
		if !strings.HasPrefix(p, "content/") || strings.Count(p, "/") != 2 || path.Ext(p) != ".md" {
			t.Fatalf("%s: want content/<yyyy>/<name>.md", p)
		}
		years[path.Base(path.Dir(p))] = true
		fm := frontMatter(t, p, f.Data)
		if fm["value"] != "" {
			values++
		}
		if fm["draft"] == "true" {
			drafts++
		}
		_, body, _ := bytes.Cut(f.Data[4:], []byte("\n---\n"))
		if words := len(bytes.Fields(body)); words < 380 || words > 950 {
			t.Errorf("%s: %d words, want about 400–900", p, words)
		}
		if bytes.Contains(body, []byte(".md)")) {
			relLinks++
		}
		if bytes.Contains(body, []byte("|---|")) {
			tables++
		}
	}
	within := func(what string, got, lo, hi int) {
		if got < lo*n/100 || got > hi*n/100 {
			t.Errorf("%s in %d of %d articles, want %d–%d %%", what, got, n, lo, hi)
		}
	}
	within("values", values, 55, 65)
	within("drafts", drafts, 1, 4)
	within("links to other articles", relLinks, 65, 85)
	within("tables", tables, 15, 35)
	if len(years) < 28 {
		t.Errorf("articles in %d year folders, want about 30", len(years))
	}
}

// BenchmarkGenerate measures the generator itself: the Go benchmarks
// generate a 10,000-article corpus before they start.
func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				corpus.Generate(n, 1)
			}
		})
	}
}
