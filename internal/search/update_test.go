package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/corpus"
	"github.com/dealsite/dealsite/internal/site"
)

// TestUpdatedIndexEqualsFreshIndex edits a site step by step (the words
// of a body, a title, a date that moves an article, its tags; an article
// added or deleted) and builds
// its index through one Cache, as watch does, and afresh: the files must
// be the same, path for path and byte for byte. Seeded; most steps take
// the update in place, which the test checks it exercised.
func TestUpdatedIndexEqualsFreshIndex(t *testing.T) {
	words := strings.Fields("merger bid plant ægir são bento núñez board chip cloud phone patent fund rival deal " +
		"north harbour licence zebra quartz vendor alpha omega østfold telecom grid")
	for seed := range uint64(12) {
		rng := rand.New(rand.NewPCG(seed, 7))
		text := func(n int) string {
			w := make([]string, n)
			for i := range w {
				w[i] = words[rng.IntN(len(words))]
			}
			return strings.Join(w, " ")
		}
		dates, heads := map[int]string{}, map[int]string{}
		article := func(i, step int) string {
			if _, ok := dates[i]; !ok || rng.IntN(4) == 0 { // a quarter of the edits move it
				dates[i] = fmt.Sprintf("%d-%02d-%02d", 2000+rng.IntN(3), 1+rng.IntN(12), 1+i%28)
			}
			if _, ok := heads[i]; !ok || rng.IntN(2) == 0 { // half of the edits are of the body alone
				heads[i] = fmt.Sprintf("title: %s %d\ndate: %s\ntags: [%s]\nsummary: %s", text(2), step, dates[i], words[rng.IntN(len(words))], text(3))
			}
			return fmt.Sprintf("---\n%s\n---\n%s.\n", heads[i], text(3+rng.IntN(12)))
		}
		files := map[string]string{"content/_index.md": "---\ntitle: T\nbase_url: https://example.org/\n---\n"}
		const n = 48
		for i := range n {
			files[fmt.Sprintf("content/a%02d.md", i)] = article(i, 0)
		}
		cache := NewCache()
		for step := range 15 {
			for range 1 + rng.IntN(3) {
				i := rng.IntN(n + n/4) // a new article a fifth of the time
				path := fmt.Sprintf("content/a%02d.md", i)
				if _, ok := files[path]; ok && rng.IntN(5) == 0 {
					delete(files, path)
					continue
				}
				files[path] = article(i, step)
			}
			s := buildSite(t, files, site.Options{})
			warm, cold := warmAndCold(t, s, cache)
			if !equalFiles(warm, cold) {
				w, c := fileMap(warm), fileMap(cold)
				for p := range c {
					if w[p] != c[p] {
						t.Errorf("seed %d step %d: %s differs from a fresh build:\n got %q\nwant %q", seed, step, p, w[p], c[p])
					}
				}
				for p := range w {
					if _, ok := c[p]; !ok {
						t.Errorf("seed %d step %d: %s is not in a fresh build", seed, step, p)
					}
				}
				t.FailNow()
			}
		}
		if cache.updates < 3 || cache.resized < 1 {
			t.Errorf("seed %d: %d of 14 builds updated the index in place, %d of them adding or deleting an article", seed, cache.updates, cache.resized)
		}
	}
}

// TestAddingAnArticleRewritesAFewFiles adds the newest article to a
// generated site of 1,000 and deletes it again, building the index
// through one Cache as watch does. Each build must equal a fresh one,
// and each must change only a few of the index's files: the shards of
// the article's words, its chunk, the manifest and its year's order,
// not every document's number; and in those shards, encode no more
// postings than the article's own and each one's next (a common word's
// other postings are copied from its last encoding).
func TestAddingAnArticleRewritesAFewFiles(t *testing.T) {
	fsys := corpus.Generate(1000, 3)
	newest := ""
	for p := range fsys {
		if p != corpus.SettingsPath && p > newest {
			newest = p
		}
	}
	year := path.Base(path.Dir(newest)) // the newest article's year, as a site's next article
	added := "content/" + year + "/" + year + "-12-31-added.md"
	src := regexp.MustCompile(`(?m)^date: .*$`).ReplaceAll(fsys[newest].Data, []byte("date: "+year+"-12-31"))
	y, _ := strconv.Atoi(year)
	model := func() *site.Site { return modelOf(t, fsys) }
	cache := NewCache()
	lastSite := model()
	last, err := Build(lastSite, cache)
	if err != nil {
		t.Fatal(err)
	}
	fileMap(last) // made, as the render plan makes them
	for _, step := range []string{"add", "delete", "add"} {
		if step == "add" {
			fsys[added] = &fstest.MapFile{Data: src}
		} else {
			delete(fsys, added)
		}
		s := model()
		postings := cache.counts.postings.Load()
		warm, cold := warmAndCold(t, s, cache)
		if !equalFiles(warm, cold) {
			t.Fatalf("%s: the index built through the cache differs from a fresh one", step)
		}
		with, withFiles := s, warm // the site holding the article
		if step == "delete" {
			with, withFiles = lastSite, last
		}
		if n, terms := cache.counts.postings.Load()-postings, termCount(t, with, added); n > 2*int64(terms) {
			t.Errorf("%s: %d postings encoded for an article of %d terms, want each term's own and at most the next", step, n, terms)
		}
		own := filesOf(t, with, added, withFiles)
		var chunks int
		for _, p := range changedFiles(last, warm) {
			if strings.HasPrefix(p, Dir+"d/") {
				chunks++
			} else if !own[p] && p != Manifest && p != orderPath(y) {
				t.Errorf("%s: %s changed, which holds no word of the article", step, p)
			}
		}
		if chunks > 2 {
			t.Errorf("%s: %d chunks changed, want its own and at most one more", step, chunks)
		}
		last, lastSite = warm, s
	}
}

// modelOf loads and models fsys.
func modelOf(t *testing.T, fsys fstest.MapFS) *site.Site {
	t.Helper()
	c, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	s, err := site.New(c, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTextEditCostsTheEdit adds a word no other article has to the body
// of one article of a generated site of 300, then takes it out again,
// building the index through one Cache as watch does. Each build must
// equal a fresh one, analyse that article only and read no other body,
// and encode anew only the shard entries whose postings changed: the new
// word's when it comes, none when it goes (the article's other terms
// keep their postings, fields and all).
func TestTextEditCostsTheEdit(t *testing.T) {
	fsys := corpus.Generate(300, 3)
	cache := NewCache()
	s := modelOf(t, fsys)
	edited := s.Articles[len(s.Articles)/2].Path
	original := fsys[edited].Data
	first, err := Build(s, cache)
	if err != nil {
		t.Fatal(err)
	}
	fileMap(first) // made, as the render plan makes them
	for _, step := range []struct {
		name  string
		data  []byte
		terms int64
	}{
		{"add a word", append(slices.Clip(original), "\nZyxwvq.\n"...), 1},
		{"take it out", original, 0},
	} {
		fsys[edited] = &fstest.MapFile{Data: step.data}
		s := modelOf(t, fsys)
		analysed, bodies, terms := cache.counts.analysed.Load(), cache.counts.bodies.Load(), cache.counts.termsEncoded.Load()
		warm, cold := warmAndCold(t, s, cache)
		if !equalFiles(warm, cold) { // makes every file's bytes
			t.Fatalf("%s: the index built through the cache differs from a fresh one", step.name)
		}
		if n := cache.counts.analysed.Load() - analysed; n != 1 {
			t.Errorf("%s: %d articles analysed, want 1", step.name, n)
		}
		if n := cache.counts.bodies.Load() - bodies; n != 1 {
			t.Errorf("%s: %d bodies read, want 1", step.name, n)
		}
		if n := cache.counts.termsEncoded.Load() - terms; n != step.terms {
			t.Errorf("%s: %d shard entries encoded anew, want %d", step.name, n, step.terms)
		}
	}
}

// filesOf is the set of shards, among files, holding a term of the
// article at path in s.
func filesOf(t *testing.T, s *site.Site, path string, files []File) map[string]bool {
	t.Helper()
	i := slices.IndexFunc(s.Articles, func(a *site.Article) bool { return a.Path == path })
	if i < 0 {
		t.Fatalf("no article %s", path)
	}
	e, err := Analyze(s.Articles[i])
	if err != nil {
		t.Fatal(err)
	}
	var m manifestFile
	if err := json.Unmarshal([]byte(fileMap(files)[Manifest]), &m); err != nil {
		t.Fatal(err)
	}
	own := map[string]bool{}
	e.eachTerm(func(term []byte, _ uint8) {
		for n := len(term); n > 0; n-- {
			if slices.Contains(m.Shards, string(term[:n])) {
				own[shardPath(string(term[:n]))] = true
				return
			}
		}
	})
	return own
}

// termCount is the number of terms of the article at path in s.
func termCount(t *testing.T, s *site.Site, path string) int {
	t.Helper()
	i := slices.IndexFunc(s.Articles, func(a *site.Article) bool { return a.Path == path })
	e, err := Analyze(s.Articles[i])
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	e.eachTerm(func([]byte, uint8) { n++ })
	return n
}

// changedFiles lists the paths of files added, deleted or changed from
// a to b.
func changedFiles(a, b []File) []string {
	before, after := fileMap(a), fileMap(b)
	var changed []string
	for p, data := range after {
		if old, ok := before[p]; !ok || old != data {
			changed = append(changed, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			changed = append(changed, p)
		}
	}
	slices.Sort(changed)
	return changed
}

// TestNumbersStayInTheirYear: every document gets a number of its own,
// inside its year's block (the script reads its year from it), however
// its path hashes; and the numbers are a function of the documents, not
// of their order.
func TestNumbersStayInTheirYear(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for trial := range 200 {
		n := 1 + rng.IntN(300)
		paths, years := make([]string, n), make([]int, n)
		for i := range n {
			paths[i] = fmt.Sprintf("content/%d/a%d.md", trial, i)
			years[i] = 2000 + rng.IntN(1+rng.IntN(6))
		}
		slots, blocks := assignSlots(paths, years)
		seen := map[int]bool{}
		for i, s := range slots {
			b := blocks[slices.IndexFunc(blocks, func(b yearBlock) bool { return b.Year == years[i] })]
			if s < b.Start || s >= b.Start+b.Size || seen[s] {
				t.Fatalf("trial %d: %s (%d) has number %d: block %+v, taken %v", trial, paths[i], years[i], s, b, seen[s])
			}
			seen[s] = true
		}
		perm := rng.Perm(n)
		p2, y2 := make([]string, n), make([]int, n)
		for i, j := range perm {
			p2[i], y2[i] = paths[j], years[j]
		}
		s2, _ := assignSlots(p2, y2)
		for i, j := range perm {
			if s2[i] != slots[j] {
				t.Fatalf("trial %d: %s has number %d, or %d in another order", trial, paths[j], slots[j], s2[i])
			}
		}
	}
}

// TestSplicedPostingsEqualEncoded: postings changed within a span of
// documents (added, taken out, fields changed), spliced into their last
// encoding, are what encoding them afresh gives. Seeded.
func TestSplicedPostingsEqualEncoded(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	list := func(ids map[int]uint32) []uint32 {
		var l []uint32
		for _, id := range slices.Sorted(maps.Keys(ids)) {
			l = append(l, uint32(id)<<fieldBits|ids[id])
		}
		return l
	}
	for trial := range 2000 {
		ids := map[int]uint32{}
		for range rng.IntN(40) {
			ids[rng.IntN(200)] = 1 + uint32(rng.IntN(15))
		}
		var old bytes.Buffer
		encodePostings(&old, list(ids))
		var span docSpan
		for range 1 + rng.IntN(3) {
			id := rng.IntN(200)
			if _, ok := ids[id]; ok && rng.IntN(2) == 0 {
				delete(ids, id)
			} else {
				ids[id] = 1 + uint32(rng.IntN(15))
			}
			span = span.with(id)
		}
		var want, got bytes.Buffer
		encodePostings(&want, list(ids))
		splicePostings(&got, old.Bytes(), list(ids), span)
		if got.String() != want.String() {
			t.Fatalf("trial %d: spliced %q, encoded %q (was %q, span %+v)", trial, got.String(), want.String(), old.String(), span)
		}
	}
}

// warmAndCold builds the index of s through cache and without one.
func warmAndCold(t *testing.T, s *site.Site, cache *Cache) (warm, cold []File) {
	t.Helper()
	warm, err := Build(s, cache)
	if err != nil {
		t.Fatal(err)
	}
	if cold, err = Build(s, nil); err != nil {
		t.Fatal(err)
	}
	return warm, cold
}
