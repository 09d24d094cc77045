// Package corpus generates synthetic deal-history sites for benchmarks:
// realistic articles with full front matter and varied markdown, the
// same for the same size and seed on every machine.
//
// A corpus of n articles is a site folder holding content/_index.md and
// n articles spread over year folders, content/<yyyy>/<date>-<slug>.md.
// The articles have:
//
//   - dates spread over 1995–2024, mostly exact days, some only a month
//     or a year, a few periods with an end_date;
//   - 2–5 tags: the deal kind's, a sector, and more drawn Zipf-like from
//     about 200 (a few spelt in lower case, which dealsite groups with
//     the capitalised spelling);
//   - 1–3 parties from about 100 invented companies, a value such as
//     "$3.4 billion" on about 60 %, 1–3 sources with https URLs;
//   - drafts, about 2 %, which no other article links to;
//   - bodies of 400–900 words with ## headings, bulleted and numbered
//     lists, external links, relative links to other (published)
//     article files, tables, emphasis, code spans, footnotes, the odd
//     fenced code block, and some non-ASCII text (é, ü, 日本, emoji).
//
// Every article is drawn from its own PCG streams seeded by (seed,
// index), so generation runs on every CPU and stays deterministic.
//
// The package imports nothing from dealsite, so it cannot drift with the
// code it measures; its test checks that dealsite builds what it makes.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing/fstest"
)

// BaseURL is the base_url of every generated site.
const BaseURL = "https://example.org/deals/"

// SettingsPath is the site settings file every corpus has.
const SettingsPath = "content/_index.md"

// Generate returns a site folder of n articles as an in-memory file
// system rooted at the site (paths "content/…").
func Generate(n int, seed uint64) fstest.MapFS {
	plans := planAll(n, seed)
	published := publishedIndexes(plans)
	bodies := make([][]byte, n)
	parallel(n, func(i int) {
		bodies[i] = writeArticle(plans, published, i, seed)
	})
	fsys := make(fstest.MapFS, n+1)
	fsys[SettingsPath] = &fstest.MapFile{Data: settingsFile(plans, published, n, seed), Mode: 0o644}
	for i, p := range plans {
		fsys[p.path] = &fstest.MapFile{Data: bodies[i], Mode: 0o644}
	}
	return fsys
}

// WriteDir writes a site folder of n articles into dir, creating it. It
// refuses a dir that already holds a content/ folder.
func WriteDir(dir string, n int, seed uint64) error {
	if _, err := os.Stat(filepath.Join(dir, "content")); err == nil {
		return fmt.Errorf("%s already has a content folder", dir)
	}
	fsys := Generate(n, seed)
	paths := make([]string, 0, len(fsys))
	dirs := map[string]bool{}
	for p := range fsys {
		paths = append(paths, p)
		dirs[filepath.Dir(filepath.Join(dir, filepath.FromSlash(p)))] = true
	}
	for d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	errs := make([]error, len(paths))
	parallel(len(paths), func(i int) {
		errs[i] = os.WriteFile(filepath.Join(dir, filepath.FromSlash(paths[i])), fsys[paths[i]].Data, 0o644)
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// parallel calls f(0) … f(n-1) on every CPU.
func parallel(n int, f func(i int)) {
	next := make(chan int, 64)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// rng returns one random stream of one article (stream 0 plans it,
// stream 1 writes it), independent of every other article's.
func rng(seed uint64, index, stream int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(index)<<1|uint64(stream)))
}
