package build_test

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/corpus"
	"github.com/dealsite/dealsite/internal/render"
	"github.com/dealsite/dealsite/internal/site"
	"github.com/dealsite/dealsite/layouts"
	"github.com/dealsite/dealsite/static"
)

// The benchmarks of issue 5: each pipeline stage and the whole build on
// generated corpora of 1,000 and 10,000 articles (10,000 is skipped with
// -short). Whole-process comparisons with the floor and Hugo are in
// scripts/bench.sh.
//
//	go test -run XXX -bench . -benchmem ./internal/build
//	go test -run XXX -bench 'Build/n=10000' -cpuprofile cpu.out ./internal/build

var benchSizes = []int{1000, 10000}

var benchTheme = build.Theme{Layouts: layouts.FS, Static: static.FS}

// benchCorpora caches each generated corpus, and what the stages before
// the one measured make of it, for the whole test binary.
var (
	benchMu      sync.Mutex
	benchCorpora = map[int]*benchCorpus{}
)

type benchCorpus struct {
	fsys    fstest.MapFS
	content *content.Content
	site    *site.Site
	out     *build.Output
}

// corpusFor returns the corpus of n articles, generating and building it
// on first use.
func corpusFor(b *testing.B, n int) *benchCorpus {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if c, ok := benchCorpora[n]; ok {
		return c
	}
	c := &benchCorpus{fsys: corpus.Generate(n, 1)}
	var err error
	if c.content, err = content.Load(c.fsys); err != nil {
		b.Fatal(err)
	}
	if c.site, err = site.New(c.content, site.Options{}); err != nil {
		b.Fatal(err)
	}
	if c.out, err = build.Build(context.Background(), c.fsys, build.Options{Theme: benchTheme}); err != nil {
		b.Fatal(err)
	}
	benchCorpora[n] = c
	return c
}

// eachSize runs f as the sub-benchmarks n=1000 and n=10000.
func eachSize(b *testing.B, f func(b *testing.B, c *benchCorpus)) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			if n > 1000 && testing.Short() {
				b.Skip("skipping 10,000 articles in -short mode")
			}
			c := corpusFor(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			f(b, c)
		})
	}
}

// BenchmarkLoad reads and parses every article (front matter, markdown).
func BenchmarkLoad(b *testing.B) {
	eachSize(b, func(b *testing.B, c *benchCorpus) {
		for b.Loop() {
			if _, err := content.Load(c.fsys); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkModel orders, groups and links the loaded articles.
func BenchmarkModel(b *testing.B) {
	eachSize(b, func(b *testing.B, c *benchCorpus) {
		for b.Loop() {
			if _, err := site.New(c.content, site.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRender parses the templates and renders every page.
func BenchmarkRender(b *testing.B) {
	eachSize(b, func(b *testing.B, c *benchCorpus) {
		for b.Loop() {
			t, err := render.LoadTemplates(c.fsys, layouts.FS)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := t.Files(c.site); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWrite writes a built site into an empty folder (cold) and
// into a folder that already holds it (unchanged: nothing is written).
func BenchmarkWrite(b *testing.B) {
	ctx := context.Background()
	b.Run("cold", func(b *testing.B) {
		eachSize(b, func(b *testing.B, c *benchCorpus) {
			for b.Loop() {
				b.StopTimer()
				dir := b.TempDir()
				b.StartTimer()
				if _, err := c.out.Write(ctx, dir); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("unchanged", func(b *testing.B) {
		eachSize(b, func(b *testing.B, c *benchCorpus) {
			dir := b.TempDir()
			if _, err := c.out.Write(ctx, dir); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				ws, err := c.out.Write(ctx, dir)
				if err != nil {
					b.Fatal(err)
				}
				if ws.Written+ws.Removed != 0 {
					b.Fatalf("unchanged write changed files: %+v", ws)
				}
			}
		})
	})
}

// BenchmarkBuild is the whole in-memory build from a fresh Builder.
func BenchmarkBuild(b *testing.B) {
	ctx := context.Background()
	eachSize(b, func(b *testing.B, c *benchCorpus) {
		for b.Loop() {
			if _, err := build.Build(ctx, c.fsys, build.Options{Theme: benchTheme}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRebuildEdit is the warm rebuild watch and serve do after an
// editor saves one article: each iteration builds, through one Builder,
// a site that differs from the previous build in that one file.
func BenchmarkRebuildEdit(b *testing.B) {
	ctx := context.Background()
	opts := build.Options{Theme: benchTheme}
	eachSize(b, func(b *testing.B, c *benchCorpus) {
		edited := editOne(b, c)
		builder := build.NewBuilder()
		if _, err := builder.Build(ctx, c.fsys, opts); err != nil {
			b.Fatal(err)
		}
		versions := []fstest.MapFS{edited, c.fsys}
		b.ResetTimer()
		i := 0
		for b.Loop() {
			if _, err := builder.Build(ctx, versions[i%2], opts); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// editOne returns a copy of the corpus (sharing unchanged files) in
// which the first published article has one more paragraph.
func editOne(b *testing.B, c *benchCorpus) fstest.MapFS {
	b.Helper()
	fsys := c.fsys
	if len(c.site.Articles) == 0 {
		b.Fatal("no published article to edit")
	}
	p := c.site.Articles[0].Path
	edited := maps.Clone(fsys)
	data := append([]byte(nil), fsys[p].Data...)
	edited[p] = &fstest.MapFile{Data: append(data, "\nEdited: the *terms* changed.\n"...), Mode: fsys[p].Mode}
	return edited
}
