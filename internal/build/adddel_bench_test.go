package build_test

import (
	"bytes"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// BenchmarkRebuildAddDelete is the warm rebuild after an editor adds the
// site's newest article, then deletes it again: each iteration builds,
// through one Builder, a site that has the article when the previous
// build had not, or the reverse, and names its file in Options.Changes
// as watch does.
//
//	DEALSITE_BENCH_N=10000 go test -run '^$' -bench 'RebuildAddDelete/n=10000$' -benchtime 20x ./internal/build
func BenchmarkRebuildAddDelete(b *testing.B) {
	eachSize(b, func(b *testing.B, c *benchCorpus) {
		added, p := addNewest(b, c.fsys)
		alternate(b, c.fsys, added, p, "add-delete")
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
