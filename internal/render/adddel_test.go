package render

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/site"
	"github.com/dealsite/dealsite/layouts"
)

// growingSite is a site of n articles over twelve years and three tags,
// and the same site with one more, the newest.
func growingSite(n int) (before, after map[string]string) {
	before = map[string]string{}
	for i := range n {
		before[fmt.Sprintf("content/a%03d.md", i)] = fmt.Sprintf("---\ntitle: A%d\ndate: %d-%02d-01\ntags: [t%d]\nparties: [P%d]\nsummary: S.\n---\nText %d.\n", i, 2000+i%12, 1+i%12, i%3, i%5, i)
	}
	after = map[string]string{"content/new.md": "---\ntitle: New\ndate: 2011-12-31\ntags: [t1]\nparties: [P2]\nsummary: S.\n---\nText.\n"}
	for p, src := range before {
		after[p] = src
	}
	return before, after
}

// TestAddingAnArticleEncodesOneEvent: events.ndjson shows every event,
// so an article added or deleted changes it, but each line shows one
// event and is kept with what it shows: the lines of the others are not
// encoded again. The file is the same as without a cache.
func TestAddingAnArticleEncodesOneEvent(t *testing.T) {
	var encoded []int
	for _, n := range []int{40, 160} {
		before, after := growingSite(n)
		cache := NewCache()
		filesOf(t, cache, before)
		filesOf(t, cache, after)
		encoded = append(encoded, cache.ndjson.encoded)
		got := filesOf(t, cache, before)
		encoded = append(encoded, cache.ndjson.encoded)
		if want := filesOf(t, nil, before); !bytes.Equal(got[EventsNDJSON], want[EventsNDJSON]) {
			t.Errorf("at %d articles, %s differs from a build without a cache", n, EventsNDJSON)
		}
	}
	for _, got := range encoded {
		if got > 2 {
			t.Errorf("adding or deleting an article encoded %v events of %s, want at most it and its neighbour", encoded, EventsNDJSON)
			break
		}
	}
}

// filesOf renders the site of articles with cache and the default theme.
func filesOf(t *testing.T, cache *Cache, articles map[string]string) map[string][]byte {
	t.Helper()
	tmpl, err := LoadTemplates(nil, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	files, err := tmpl.Files(siteOf(t, articles), cache)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestPagesViewOnlyWhatTheyList: the bundled theme shows how many events
// the site, a year, a term or an era has with .Count, which makes no
// view of them, so that no page makes views of more events than it
// lists, however long the lists whose length it shows. With
// {{len .Articles}}, each page of a tag made a view of every event of
// the tag, and an article added re-rendered every page of its tags.
func TestPagesViewOnlyWhatTheyList(t *testing.T) {
	const shown = 4
	articles, _ := growingSite(60)
	fsys := siteFS(articles)
	c, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	s, err := site.New(c, site.Options{Limits: site.Limits{PageEvents: shown, HomeEvents: shown}})
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := LoadTemplates(nil, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	p, err := tmpl.Plan(s, NewCache())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Run(Sink{File: func(string, []byte, uint64) error { return nil }}); err != nil {
		t.Fatal(err)
	}
	for _, j := range p.jobs {
		// A listing's events, grouped by year as well on term pages,
		// and up to three related events.
		if j.rec.views > 2*shown+3 {
			t.Errorf("%s made views of %d events, lists at most %d", j.path, j.rec.views, shown)
		}
	}
}

// TestEditObservesWhatChanged: a plan looks at the revisions of what the
// model's update in place restamped, not at every object of the site,
// so that a text edit costs the same at 40 and 160 articles; the
// articles added and deleted by an update, and the pages showing them,
// are still seen to change.
func TestEditObservesWhatChanged(t *testing.T) {
	var observed []int
	for _, n := range []int{40, 160} {
		before, after := growingSite(n)
		tmpl, err := LoadTemplates(nil, layouts.FS)
		if err != nil {
			t.Fatal(err)
		}
		cache, opts, loader := NewCache(), site.Options{Memo: site.NewMemo()}, content.NewLoader()
		var s *site.Site
		build := func(articles map[string]string) {
			t.Helper()
			if s, err = site.Update(s, loaded(t, loader, articles), opts); err != nil {
				t.Fatal(err)
			}
			files, err := tmpl.Files(s, cache)
			if err != nil {
				t.Fatal(err)
			}
			want, err := tmpl.Files(siteOf(t, articles), nil)
			if err != nil {
				t.Fatal(err)
			}
			for p := range want {
				if !bytes.Equal(files[p], want[p]) {
					t.Errorf("at %d articles, %s differs from a build without a cache", n, p)
				}
			}
		}
		build(before)
		build(after)
		after["content/new.md"] += "Edited.\n"
		build(after)
		observed = append(observed, cache.observedNow)
		build(before)
	}
	if observed[0] != observed[1] {
		t.Errorf("a text edit observed %d and %d objects at 40 and 160 articles, want the same", observed[0], observed[1])
	}
}

// loaded is the content of a site of articles, as loader reads it: an
// article whose text is the same is the one it read before.
func loaded(t *testing.T, loader *content.Loader, articles map[string]string) *content.Content {
	t.Helper()
	fsys := siteFS(articles)
	c, err := loader.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
