package build_test

import (
	"bytes"
	"context"
	"maps"
	"path"
	"regexp"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/build"
)

// BenchmarkRebuildAddDelete is the warm rebuild after an editor adds the
// site's newest article, then deletes it again: each iteration builds,
// through one Builder, a site that has the article when the previous
// build had not, or the reverse, and names its file in Options.Changes
// as watch does.
//
//	DEALSITE_BENCH_N=10000 go test -run '^$' -bench 'RebuildAddDelete/n=10000$' -benchtime 20x ./internal/build
func BenchmarkRebuildAddDelete(b *testing.B) {
	ctx := context.Background()
	eachSize(b, func(b *testing.B, c *benchCorpus) {
		added, p := addNewest(b, c.fsys)
		versions := []fstest.MapFS{added, c.fsys}
		builder := build.NewWarm()
		if _, err := builder.Build(ctx, c.fsys, build.Options{Theme: benchTheme}); err != nil {
			b.Fatal(err)
		}
		opts := build.Options{Theme: benchTheme, Changes: &build.Changes{Paths: []string{p}}}
		b.ResetTimer()
		i := 0
		for b.Loop() {
			// Labelled, so that a profile can leave out the first build:
			// go tool pprof -tagfocus rebuild=add-delete.
			pprof.Do(ctx, pprof.Labels("rebuild", "add-delete"), func(ctx context.Context) {
				if _, err := builder.Build(ctx, versions[i%2], opts); err != nil {
					b.Fatal(err)
				}
			})
			i++
		}
	})
}

// addNewest returns a copy of fsys (sharing its files) with one more
// article, the newest: the text of the last published one, dated the
// last day of its year, under a new path; and that path.
func addNewest(b *testing.B, fsys fstest.MapFS) (fstest.MapFS, string) {
	b.Helper()
	paths := slices.Sorted(maps.Keys(fsys))
	for _, p := range slices.Backward(paths) {
		data := fsys[p].Data
		if path.Base(p) == "_index.md" || !strings.HasSuffix(p, ".md") || bytes.Contains(data, []byte("\ndraft: true\n")) {
			continue
		}
		year := path.Base(path.Dir(p))
		added := maps.Clone(fsys)
		newPath := path.Join(path.Dir(p), year+"-12-31-bench-added.md")
		data = regexp.MustCompile(`(?m)^date: .*$`).ReplaceAll(data, []byte("date: "+year+"-12-31"))
		added[newPath] = &fstest.MapFile{Data: data, Mode: fsys[p].Mode}
		return added, newPath
	}
	b.Fatal("no published article to copy")
	return nil, ""
}
