package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/outdir"
	"github.com/dealsite/dealsite/internal/site"
)

// themeSite is a small site; each case of
// TestWarmRebuildEqualsColdBuildForEveryTheme adds its layouts.
var themeSite = map[string]string{
	"content/_index.md": "---\ntitle: Deals\nbase_url: https://example.org/\n---\nIntro.\n",
	"content/a.md":      "---\ntitle: Alpha\ndate: 2011-02-11\ntags: [Phones]\n---\nFirst.\n",
	"content/b.md":      "---\ntitle: Beta\ndate: 2011-05-01\ntags: [Phones]\n---\nSecond.\n",
	"content/c.md":      "---\ntitle: Gamma\ndate: 2013-09-03\ntags: [Cloud]\n---\nThird.\n",
}

// chromeOverride is the default chrome plus a count of every article.
const chromeOverride = `{{define "site-head"}}{{end}}{{define "site-header"}}<p>{{len .Site.Articles}} events</p>{{end}}{{define "site-footer"}}{{end}}`

// TestWarmRebuildEqualsColdBuildForEveryTheme gives a Builder sites whose
// templates print documented data the default theme does not (site-wide
// counts, a tag's articles, an event's neighbour and its year): after
// each edit, the warm build must equal a fresh one.
func TestWarmRebuildEqualsColdBuildForEveryTheme(t *testing.T) {
	added := map[string]string{"content/d.md": "---\ntitle: Delta\ndate: 2011-03-01\ntags: [Phones]\n---\nFourth.\n"}
	retitled := map[string]string{"content/b.md": "---\ntitle: Beta renamed\ndate: 2011-05-01\ntags: [Phones]\n---\nSecond.\n"}
	for _, tc := range []struct {
		name   string
		layout map[string]string
		edit   map[string]string
	}{
		{"chrome counts the site's articles", map[string]string{"layouts/partials/chrome.html": chromeOverride}, added},
		{"article page counts a tag's articles", map[string]string{
			"layouts/article.html": `{{template "base" .}}{{define "main"}}{{range .Article.Tags}}{{.Name}}: {{len .Articles}}{{end}}{{end}}`,
			// Gamma's neighbours and related events stay as they are
			// when an early Cloud event is added.
			"content/c1.md": "---\ntitle: Gamma 1\ndate: 2013-09-04\ntags: [Cloud]\n---\nx\n",
			"content/c2.md": "---\ntitle: Gamma 2\ndate: 2013-09-05\ntags: [Cloud]\n---\nx\n",
			"content/c3.md": "---\ntitle: Gamma 3\ndate: 2013-09-06\ntags: [Cloud]\n---\nx\n",
		}, map[string]string{"content/early.md": "---\ntitle: Early\ndate: 2001-01-01\ntags: [Cloud]\n---\nx\n"}},
		{"event shows the next event's title", map[string]string{"layouts/partials/event.html": `{{define "event"}}{{.Title}} then {{with .Next}}{{.Title}}{{end}}{{end}}{{define "facts"}}{{end}}{{define "years"}}{{range .}}{{range .Articles}}{{event .}}{{end}}{{end}}{{end}}{{define "term-list"}}{{end}}`}, retitled},
		{"event counts its year's articles", map[string]string{"layouts/partials/event.html": `{{define "event"}}{{.Title}} of {{len .Year.Articles}}{{end}}{{define "facts"}}{{end}}{{define "years"}}{{range .}}{{range .Articles}}{{event .}}{{end}}{{end}}{{end}}{{define "term-list"}}{{end}}`}, added},
		{"default theme, article added", nil, added},
		{"default theme, title edited", nil, retitled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := maps.Clone(themeSite)
			maps.Copy(files, tc.layout)
			b := newWarm()
			if _, err := b.Build(context.Background(), mapFS(files), Options{Theme: theme}); err != nil {
				t.Fatal(err)
			}
			maps.Copy(files, tc.edit)
			warm, err := b.Build(context.Background(), mapFS(files), Options{Theme: theme})
			if err != nil {
				t.Fatal(err)
			}
			cold, err := Build(context.Background(), mapFS(files), Options{Theme: theme})
			if err != nil {
				t.Fatal(err)
			}
			matchesFresh(t, warm, cold)
		})
	}
}

func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for p, data := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

// matchesFresh fails unless warm has exactly cold's files and bytes.
func matchesFresh(t *testing.T, warm, cold *Output) {
	t.Helper()
	if !slices.Equal(warm.Paths(), cold.Paths()) {
		t.Fatalf("paths differ:\nwarm %q\ncold %q", warm.Paths(), cold.Paths())
	}
	for _, p := range cold.Paths() {
		w, _ := warm.File(p)
		c, _ := cold.File(p)
		if !bytes.Equal(w, c) {
			t.Errorf("%s differs from a fresh build:\nwarm %s\ncold %s", p, firstDiff(string(w), string(c)), firstDiff(string(c), string(w)))
		}
	}
}

// TestWarmRebuildOfPagedListsEqualsColdBuild pages the default theme's
// listings at two events a page: an added early event moves every later
// event to another page and off the home page, and new limits (which no
// article records) must re-render every listing.
func TestWarmRebuildOfPagedListsEqualsColdBuild(t *testing.T) {
	paged := Options{Theme: theme, Limits: site.Limits{PageEvents: 2, HomeEvents: 2}}
	wider := Options{Theme: theme, Limits: site.Limits{PageEvents: 3, HomeEvents: 3}}
	files := maps.Clone(themeSite)
	for i := range 5 {
		files[fmt.Sprintf("content/p%d.md", i)] = fmt.Sprintf("---\ntitle: Phone %d\ndate: 2011-06-%02d\ntags: [Phones]\n---\nx\n", i, i+1)
	}
	b := newWarm()
	if _, err := b.Build(context.Background(), mapFS(files), paged); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		name string
		edit map[string]string
		opts Options
	}{
		{"an early event added", map[string]string{"content/early.md": "---\ntitle: Early\ndate: 2011-01-01\ntags: [Phones]\n---\nx\n"}, paged},
		{"the limits widened", nil, wider},
	} {
		maps.Copy(files, step.edit)
		warm, err := b.Build(context.Background(), mapFS(files), step.opts)
		if err != nil {
			t.Fatal(err)
		}
		cold, err := Build(context.Background(), mapFS(files), step.opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(step.name, func(t *testing.T) { matchesFresh(t, warm, cold) })
	}
}

// failingCommit is a Memory whose next commit fails, once.
type failingCommit struct {
	*outdir.Memory
	fail bool
}

func (f *failingCommit) Begin(ctx context.Context, produced []string) (outdir.Tx, error) {
	tx, err := f.Memory.Begin(ctx, produced)
	if err != nil || !f.fail {
		return tx, err
	}
	f.fail = false
	return failTx{tx}, nil
}

type failTx struct{ outdir.Tx }

func (tx failTx) Commit() (outdir.Stats, error) {
	tx.Tx.Discard()
	return outdir.Stats{}, errors.New("the disk is full")
}

// TestRebuildAfterAFailedCommit: the pages a Run rendered whose commit
// failed never reached the target, which still holds the commit before.
// The next Run must hand them over again (the cache has them as up to
// date, but the target does not), not keep what the target holds.
func TestRebuildAfterAFailedCommit(t *testing.T) {
	files := maps.Clone(themeSite)
	target := &failingCommit{Memory: outdir.NewMemory()}
	b := NewBuilder(Config{Rebuilds: true})
	ctx := context.Background()
	if _, err := b.Run(ctx, mapFS(files), Options{Theme: theme}, target); err != nil {
		t.Fatal(err)
	}
	files["content/b.md"] = "---\ntitle: Beta renamed\ndate: 2011-05-01\ntags: [Phones]\n---\nSecond.\n"
	target.fail = true
	if _, err := b.Run(ctx, mapFS(files), Options{Theme: theme}, target); err == nil {
		t.Fatal("the commit did not fail")
	}
	r, err := b.Run(ctx, mapFS(files), Options{Theme: theme}, target)
	if err != nil {
		t.Fatal(err)
	}
	cold, err := Build(ctx, mapFS(files), Options{Theme: theme})
	if err != nil {
		t.Fatal(err)
	}
	matchesFresh(t, &Output{Files: target.Files(), site: r.Site, stats: r.Stats}, cold)
}
