package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dealsite/dealsite/internal/site"
)

// TestUpdatedIndexEqualsFreshIndex edits a site step by step (the words
// of a body, a title, a date that moves an article, its tags) and builds
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
				dates[i] = fmt.Sprintf("%d-%02d-%02d", 2000+rng.IntN(20), 1+rng.IntN(12), 1+i%28)
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
				i := rng.IntN(n)
				files[fmt.Sprintf("content/a%02d.md", i)] = article(i, step)
			}
			s := buildSite(t, files, site.Options{})
			warm, err := Build(s, cache)
			if err != nil {
				t.Fatal(err)
			}
			cold, err := Build(s, nil)
			if err != nil {
				t.Fatal(err)
			}
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
		if cache.updates < 3 {
			t.Errorf("seed %d: %d of 14 builds updated the index in place", seed, cache.updates)
		}
	}
}
