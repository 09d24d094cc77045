package build

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/corpus"
	model "github.com/dealsite/dealsite/internal/site"
)

// A one-shot BuildTo streams its largest files (the timeline of 1,000
// events here, every one listed by a raised home limit, is over
// streamAbove, like timeline.json) to disk as they are rendered. They must come out as Build makes them, compare as
// unchanged on the next build, and vanish when their template fails.
func TestStreamedPages(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 1,000 articles")
	}
	ctx := context.Background()
	site := corpus.Generate(1000, 1)
	opts := Options{Theme: theme, Limits: model.Limits{HomeEvents: 1000}}
	want, err := Build(ctx, site, opts)
	if err != nil {
		t.Fatal(err)
	}
	if index, _ := want.File("index.html"); len(index) < 1<<20 {
		t.Fatalf("index.html is %d bytes: too small to be streamed", len(index))
	}
	dir := filepath.Join(t.TempDir(), "public")
	if _, _, err := buildTo(ctx, site, opts, dir); err != nil {
		t.Fatal(err)
	}
	got := readDir(t, dir)
	for _, p := range want.Paths() {
		if b, _ := want.File(p); got[p] != string(b) {
			t.Errorf("%s on disk differs from Build's", p)
		}
	}
	if len(got) != len(want.Paths()) {
		t.Errorf("%d files on disk, want %d", len(got), len(want.Paths()))
	}
	_, ws, err := buildTo(ctx, site, opts, dir)
	if err != nil || ws.Written != 0 || ws.Unchanged != len(want.Paths()) {
		t.Errorf("second build: %+v, %v; want every file unchanged", ws, err)
	}

	// The home page fails after most of it was written.
	broken := maps.Clone(site)
	index := readFile(t, "../../layouts/index.html")
	broken["layouts/index.html"] = &fstest.MapFile{Data: []byte(strings.Replace(index, `{{template "years" .Site.Latest}}`, `{{template "years" .Site.Latest}}{{.NoSuchField}}`, 1))}
	if !strings.Contains(string(broken["layouts/index.html"].Data), "NoSuchField") {
		t.Fatal("the layout no longer has the spot this test breaks")
	}
	before := snapshotDir(t, dir)
	if _, _, err := buildTo(ctx, broken, opts, dir); err == nil || !strings.Contains(err.Error(), "NoSuchField") {
		t.Fatalf("error = %v", err)
	}
	equalDirs(t, before, snapshotDir(t, dir))
	fresh := filepath.Join(t.TempDir(), "public")
	if _, _, err := buildTo(ctx, broken, opts, fresh); err == nil {
		t.Fatal("a failing template built")
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("a failed build left %s: %v", fresh, slices.Collect(maps.Keys(readDir(t, fresh))))
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
