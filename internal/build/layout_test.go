package build

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dealsite/dealsite/internal/diag"
)

// TestLayoutFollowsThePlan changes a plan's paths as rebuilds do (a
// stretch inserted, removed or replaced, a path moved, nothing changed)
// and requires the layout worked out from the last one to equal the one
// worked out afresh.
func TestLayoutFollowsThePlan(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 1))
	next := 0
	fresh := func() string {
		next++
		kinds := []string{"articles/a%d/index.html", "tags/t%d/index.html", "search/t/%d.json", "p%d.html", "years/%d/page/2/index.html"}
		return fmt.Sprintf(kinds[r.IntN(len(kinds))], next)
	}
	var paths []string
	for range 200 {
		paths = append(paths, fresh())
	}
	static := map[string][]byte{"robots.txt": nil, "css/site.css": nil}
	var last *layout
	for step := range 400 {
		paths = slices.Clone(paths)
		i := r.IntN(len(paths) + 1)
		switch r.IntN(5) {
		case 0: // insert a stretch
			var add []string
			for range 1 + r.IntN(5) {
				add = append(add, fresh())
			}
			paths = slices.Insert(paths, i, add...)
		case 1: // remove one
			if i < len(paths) {
				paths = slices.Delete(paths, i, i+1)
			}
		case 2: // replace a stretch
			for j := i; j < min(i+1+r.IntN(4), len(paths)); j++ {
				paths[j] = fresh()
			}
		case 3: // move one
			if i < len(paths) {
				p := paths[i]
				paths = slices.Delete(paths, i, i+1)
				paths = slices.Insert(paths, r.IntN(len(paths)+1), p)
			}
		case 4: // the same paths
		}
		if r.IntN(7) == 0 {
			paths = append(paths, "robots.txt") // generated and static
			paths = slices.Compact(paths)
		}
		sorted, kinds := last.sortPaths(paths)
		got := newLayout(paths, sorted, kinds, static)
		wantSorted, wantKinds := (*layout)(nil).sortPaths(paths)
		want := newLayout(paths, wantSorted, wantKinds, static)
		if !slices.Equal(got.sorted, want.sorted) || !slices.Equal(got.produced, want.produced) ||
			got.pages != want.pages || !maps.Equal(got.kinds, want.kinds) {
			t.Fatalf("step %d: worked out from the last layout:\n%+v\nafresh:\n%+v", step, got, want)
		}
		last = got
	}
}

// TestCheckStaticFindsEveryClash checks each kind of clash between a
// static file and the generated ones, and that a static file beside
// them passes.
func TestCheckStaticFindsEveryClash(t *testing.T) {
	generated := slices.Sorted(slices.Values([]string{"index.html", "articles/a/index.html", "tags/index.html", "robots.txt", "feed.xml"}))
	files := map[string][]byte{
		"articles/a/index.html": nil, // a generated page
		"articles":              nil, // a file where a folder is needed
		"feed.xml/x.png":        nil, // inside a generated file
		"robots.txt":            nil, // may replace the generated one
		"articles/a/photo.jpg":  nil, // beside a page: fine
		"art":                   nil, // a prefix of a folder's name: fine
		".dealsite-manifest":    nil,
	}
	var diags diag.List
	checkStatic(files, generated, &diags)
	if got, want := slices.Sorted(maps.Keys(files)), []string{"art", "articles/a/photo.jpg", "robots.txt"}; !slices.Equal(got, want) {
		t.Errorf("static files kept: %q, want %q (problems: %v)", got, want, diags.Err())
	}
}

// BenchmarkLayoutAfterAdd works out the layout of a plan of 120,000
// paths after one path was added in its middle: from the last layout
// (from=last), as a rebuild does, and afresh (from=none).
//
//	go test -run '^$' -bench LayoutAfterAdd ./internal/build
func BenchmarkLayoutAfterAdd(b *testing.B) {
	var paths []string
	for i := range 120_000 {
		paths = append(paths, fmt.Sprintf("articles/%x/index.html", i*7919%120_000))
	}
	static := map[string][]byte{"robots.txt": nil, "css/site.css": nil}
	added := slices.Insert(slices.Clone(paths), len(paths)/2, "articles/new/index.html")
	sorted, kinds := (*layout)(nil).sortPaths(paths)
	last := newLayout(paths, sorted, kinds, static)
	for _, from := range []*layout{last, nil} {
		name := map[bool]string{true: "from=last", false: "from=none"}[from != nil]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				sorted, kinds := from.sortPaths(added)
				var diags diag.List
				checkStatic(maps.Clone(static), sorted, &diags)
				newLayout(added, sorted, kinds, static)
			}
		})
	}
}
