package build_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
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
// -short; DEALSITE_BENCH_N=N measures N articles instead). Whole-process
// comparisons with the floor and Hugo are in scripts/bench.sh.
//
//	go test -run XXX -bench . -benchmem ./internal/build
//	go test -run XXX -bench 'Build/n=10000' -cpuprofile cpu.out ./internal/build

// benchSizes are the corpus sizes measured; DEALSITE_BENCH_N=N measures N
// articles instead (scripts/bench.sh passes the size of its corpus).
var benchSizes = sizesFromEnv()

func sizesFromEnv() []int {
	if n, err := strconv.Atoi(os.Getenv("DEALSITE_BENCH_N")); err == nil && n > 0 {
		return []int{n}
	}
	return []int{1000, 10000}
}

var benchTheme = build.Theme{Layouts: layouts.FS, Static: static.FS}

// benchCorpora caches each generated corpus, and what the stages before
// the one measured make of it, for the whole test binary. A stage's
// benchmark leaves its last result here for the next stage, so a full
// run does each expensive step no more often than it measures it.
var (
	benchMu      sync.Mutex
	benchCorpora = map[int]*benchCorpus{}
)

type benchCorpus struct {
	fsys    fstest.MapFS
	content *content.Content // content.Load(fsys)
	site    *site.Site       // site.New(content)
	out     *build.Output    // build.Build(fsys)
}

// corpusFor returns the corpus of n articles, generating it on first use.
func corpusFor(n int) *benchCorpus {
	benchMu.Lock()
	defer benchMu.Unlock()
	c, ok := benchCorpora[n]
	if !ok {
		c = &benchCorpus{fsys: corpus.Generate(n, 1)}
		benchCorpora[n] = c
	}
	return c
}

func (c *benchCorpus) loaded(b *testing.B) *content.Content {
	if c.content == nil {
		var err error
		if c.content, err = content.Load(c.fsys); err != nil {
			b.Fatal(err)
		}
	}
	return c.content
}

func (c *benchCorpus) modelled(b *testing.B) *site.Site {
	if c.site == nil {
		var err error
		if c.site, err = site.New(c.loaded(b), site.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	return c.site
}

func (c *benchCorpus) built(b *testing.B) *build.Output {
	if c.out == nil {
		var err error
		if c.out, err = build.Build(context.Background(), c.fsys, build.Options{Theme: benchTheme}); err != nil {
			b.Fatal(err)
		}
	}
	return c.out
}

// eachSize runs f as one sub-benchmark per size, n=1000 and n=10000 by
// default.
func eachSize(b *testing.B, f func(b *testing.B, c *benchCorpus)) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			if n > 1000 && testing.Short() {
				b.Skip("skipping 10,000 articles in -short mode")
			}
			c := corpusFor(n)
			b.ReportAllocs()
			f(b, c)
		})
	}
}

// BenchmarkLoad reads and parses every article (front matter, markdown).
func BenchmarkLoad(b *testing.B) {
	eachSize(b, func(b *testing.B, c *benchCorpus) {
		for b.Loop() {
			loaded, err := content.Load(c.fsys)
			if err != nil {
				b.Fatal(err)
			}
			c.content = loaded
		}
	})
}

// BenchmarkModel orders, groups and links the loaded articles.
func BenchmarkModel(b *testing.B) {
	eachSize(b, func(b *testing.B, c *benchCorpus) {
		loaded := c.loaded(b)
		b.ResetTimer()
		for b.Loop() {
			s, err := site.New(loaded, site.Options{})
			if err != nil {
				b.Fatal(err)
			}
			c.site = s
		}
	})
}

// BenchmarkRender parses the templates and renders every page.
func BenchmarkRender(b *testing.B) {
	eachSize(b, func(b *testing.B, c *benchCorpus) {
		s := c.modelled(b)
		b.ResetTimer()
		for b.Loop() {
			t, err := render.LoadTemplates(c.fsys, layouts.FS)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := t.Files(s, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkBuild is the whole in-memory build from a fresh Builder:
// load, model, render and the static files, without writing.
func BenchmarkBuild(b *testing.B) {
	ctx := context.Background()
	eachSize(b, func(b *testing.B, c *benchCorpus) {
		for b.Loop() {
			out, err := build.Build(ctx, c.fsys, build.Options{Theme: benchTheme})
			if err != nil {
				b.Fatal(err)
			}
			c.out = out
		}
	})
}

// BenchmarkWrite writes a built site into an empty folder (cold) and
// into a folder that already holds it (unchanged: nothing is written).
func BenchmarkWrite(b *testing.B) {
	ctx := context.Background()
	b.Run("cold", func(b *testing.B) {
		eachSize(b, func(b *testing.B, c *benchCorpus) {
			out := c.built(b)
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				dir := b.TempDir()
				b.StartTimer()
				if _, err := build.WriteOutput(ctx, out, dir); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("unchanged", func(b *testing.B) {
		eachSize(b, func(b *testing.B, c *benchCorpus) {
			out, dir := c.built(b), b.TempDir()
			if _, err := build.WriteOutput(ctx, out, dir); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				ws, err := build.WriteOutput(ctx, out, dir)
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

// BenchmarkRebuildEdit is the warm rebuild watch and serve do after an
// editor saves one article: each iteration builds, through one Builder,
// a site that differs from the previous build in that one file, and
// names that file in Options.Changes as watch does.
func BenchmarkRebuildEdit(b *testing.B) {
	eachSize(b, func(b *testing.B, c *benchCorpus) {
		edited, p := editOne(b, c.fsys)
		alternate(b, c.fsys, edited, p, "edit")
	})
}

// alternate builds site once through one warm Builder, then times
// builds that alternate between changed and site, naming the changed
// path in Options.Changes as watch does. The timed builds carry the
// profile label rebuild=label, so a profile can leave out the first
// build: go tool pprof -tagfocus rebuild=LABEL.
func alternate(b *testing.B, site, changed fstest.MapFS, p, label string) {
	ctx := context.Background()
	versions := []fstest.MapFS{changed, site}
	builder := build.NewWarm()
	if _, err := builder.Build(ctx, site, build.Options{Theme: benchTheme}); err != nil {
		b.Fatal(err)
	}
	opts := build.Options{Theme: benchTheme, Changes: &build.Changes{Paths: []string{p}}}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		pprof.Do(ctx, pprof.Labels("rebuild", label), func(ctx context.Context) {
			if _, err := builder.Build(ctx, versions[i%2], opts); err != nil {
				b.Fatal(err)
			}
		})
		i++
	}
}

// editOne returns a copy of fsys (sharing the unchanged files) in which
// the first published article has one more paragraph, and its path.
func editOne(b *testing.B, fsys fstest.MapFS) (fstest.MapFS, string) {
	b.Helper()
	for _, p := range slices.Sorted(maps.Keys(fsys)) {
		data := fsys[p].Data
		if path.Base(p) == "_index.md" || !strings.HasSuffix(p, ".md") || bytes.Contains(data, []byte("\ndraft: true\n")) {
			continue
		}
		edited := maps.Clone(fsys)
		data = append(slices.Clip(data), "\nEdited: the *terms* changed.\n"...)
		edited[p] = &fstest.MapFile{Data: data, Mode: fsys[p].Mode}
		return edited, p
	}
	b.Fatal("no published article to edit")
	return nil, ""
}

// BenchmarkRebuildToDisk is the memoised path of watch: a Builder builds
// a site folder on disk into an output folder, once, then again after an
// editor saves one article (alternately two versions of its text), as
// watch does on each change. The bundled site is the repository's own;
// the corpora are written to a temporary folder first.
//
//	go test -run XXX -bench RebuildToDisk -benchtime 20x ./internal/build
func BenchmarkRebuildToDisk(b *testing.B) {
	b.Run("bundled", func(b *testing.B) {
		site := b.TempDir()
		if err := os.CopyFS(filepath.Join(site, "content"), os.DirFS("../../content")); err != nil {
			b.Fatal(err)
		}
		rebuildToDisk(b, site)
	})
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			if n > 1000 && testing.Short() {
				b.Skip("skipping 10,000 articles in -short mode")
			}
			site := b.TempDir()
			if err := corpus.WriteDir(site, n, 1); err != nil {
				b.Fatal(err)
			}
			rebuildToDisk(b, site)
		})
	}
}

func rebuildToDisk(b *testing.B, site string) {
	ctx := context.Background()
	opts := build.Options{Theme: benchTheme}
	out := b.TempDir()
	builder := build.NewWarm()
	if _, _, err := builder.BuildTo(ctx, os.DirFS(site), opts, out); err != nil {
		b.Fatal(err)
	}
	edited := firstPublished(b, site)
	orig, err := os.ReadFile(edited)
	if err != nil {
		b.Fatal(err)
	}
	versions := [][]byte{append(slices.Clip(orig), "\nEdited: the *terms* changed.\n"...), orig}
	rel, err := filepath.Rel(site, edited)
	if err != nil {
		b.Fatal(err)
	}
	opts.Changes = &build.Changes{Paths: []string{filepath.ToSlash(rel)}} // as watch names it
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		b.StopTimer()
		if err := os.WriteFile(edited, versions[i%2], 0o644); err != nil {
			b.Fatal(err)
		}
		i++
		b.StartTimer()
		_, ws, err := builder.BuildTo(ctx, os.DirFS(site), opts, out)
		if err != nil {
			b.Fatal(err)
		}
		// Its page, the feed, and the search index's manifest and the
		// shards of the four words the edit adds or takes away.
		if ws.Written == 0 || ws.Written > 2+1+4 {
			b.Fatalf("one edit wrote %d files, want its page, the feed and at most five search index files", ws.Written)
		}
	}
}

// firstPublished returns the path of the first article file, in name
// order, that is not a draft.
func firstPublished(b *testing.B, site string) string {
	var found string
	_ = filepath.WalkDir(filepath.Join(site, "content"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || found != "" || !strings.HasSuffix(p, ".md") || d.Name() == "_index.md" {
			return err
		}
		if data, err := os.ReadFile(p); err == nil && !bytes.Contains(data, []byte("\ndraft: true\n")) {
			found = p
		}
		return nil
	})
	if found == "" {
		b.Fatal("no published article")
	}
	return found
}

// BenchmarkRenderEdit is render's part of the warm rebuild after one
// text edit: Plan and Run with the Cache of the previous build, on a
// model that differs from the previous one in one article's body
// (alternately two versions of it). The sink drops the files.
func BenchmarkRenderEdit(b *testing.B) {
	eachSize(b, func(b *testing.B, c *benchCorpus) {
		editedFS, _ := editOne(b, c.fsys)
		edited := &benchCorpus{fsys: editedFS}
		sites := []*site.Site{c.modelled(b), edited.modelled(b)}
		tmpl, err := render.LoadTemplates(nil, layouts.FS)
		if err != nil {
			b.Fatal(err)
		}
		cache := render.NewCache()
		sink := render.Sink{File: func(string, []byte, uint64) error { return nil }}
		rendered := 0
		renderWith := func(s *site.Site) {
			p, err := tmpl.Plan(s, cache)
			if err != nil {
				b.Fatal(err)
			}
			if err := p.Run(sink); err != nil {
				b.Fatal(err)
			}
			rendered += p.Rendered()
		}
		renderWith(sites[0])
		b.ResetTimer()
		rendered = 0
		for i := 0; b.Loop(); i++ {
			renderWith(sites[(i+1)%2])
		}
		b.ReportMetric(float64(rendered)/float64(b.N), "rendered/op")
	})
}
