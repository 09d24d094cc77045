package build

import (
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/outdir"
)

// layout is which files a Run produced, and what was worked out from
// that alone. A rebuild producing the same files (any text edit) reuses
// it; one whose plan differs in a stretch (an article added, a search
// shard split) works from it, so that a rebuild at 100,000 articles
// neither sorts nor hashes every path again.
type layout struct {
	paths    []string // as planned (render.Plan.Paths)
	sorted   []string // paths, sorted
	static   []string // the static files, sorted
	produced []string // both, sorted, each once
	pages    int
	kinds    map[string]int // pages by kind (see pageKind)
}

// same reports whether l is the layout of paths and static.
func (l *layout) same(paths []string, static map[string][]byte) bool {
	if l == nil || !slices.Equal(l.paths, paths) || len(l.static) != len(static) {
		return false
	}
	for _, p := range l.static {
		if _, ok := static[p]; !ok {
			return false
		}
	}
	return true
}

// newLayout is the layout of paths (sorted: the same paths in order,
// kinds: their pages by kind) and the static files.
func newLayout(paths, sorted []string, kinds map[string]int, static map[string][]byte) *layout {
	l := &layout{paths: paths, sorted: sorted, static: slices.Sorted(maps.Keys(static)), kinds: kinds}
	l.produced = mergeSorted(sorted, l.static)
	for _, n := range kinds {
		l.pages += n
	}
	return l
}

// sortPaths returns paths sorted and their pages counted by kind. When
// l is the last Run's layout and its plan differs from paths in one
// stretch (the paths before and after it are the same), only that
// stretch is sorted and merged into l's sorted paths; else all are.
// A plan lists each path once.
func (l *layout) sortPaths(paths []string) ([]string, map[string]int) {
	if l == nil {
		return slices.Sorted(slices.Values(paths)), countKinds(paths, nil, 1)
	}
	old := l.paths
	head := 0
	for head < len(old) && head < len(paths) && old[head] == paths[head] {
		head++
	}
	tail := 0
	for tail < len(old)-head && tail < len(paths)-head && old[len(old)-1-tail] == paths[len(paths)-1-tail] {
		tail++
	}
	gone := slices.Sorted(slices.Values(old[head : len(old)-tail]))
	come := slices.Sorted(slices.Values(paths[head : len(paths)-tail]))
	kinds := countKinds(gone, maps.Clone(l.kinds), -1)
	countKinds(come, kinds, 1)
	maps.DeleteFunc(kinds, func(_ string, n int) bool { return n == 0 })
	return mergeSorted(without(l.sorted, gone), come), kinds
}

// without returns sorted less gone, a sorted subset of it.
func without(sorted, gone []string) []string {
	out := make([]string, 0, len(sorted)-len(gone))
	for _, p := range sorted {
		if len(gone) > 0 && gone[0] == p {
			gone = gone[1:]
			continue
		}
		out = append(out, p)
	}
	return out
}

// mergeSorted returns the sorted union of two sorted lists, each path
// once (robots.txt may be both generated and static).
func mergeSorted(a, b []string) []string {
	out := make([]string, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0] < b[0]:
			out, a = append(out, a[0]), a[1:]
		case b[0] < a[0]:
			out, b = append(out, b[0]), b[1:]
		default:
			out, a, b = append(out, a[0]), a[1:], b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// countKinds adds sign to kinds (a new map when nil) for every page of
// paths, by kind: the first folder of its path ("articles", "tags"),
// or "other" for the home page, the indexes and 404.
func countKinds(paths []string, kinds map[string]int, sign int) map[string]int {
	if kinds == nil {
		kinds = map[string]int{}
	}
	for _, p := range paths {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		kind, _, _ := strings.Cut(p, "/")
		if strings.Count(p, "/") < 2 {
			kind = "other"
		}
		kinds[kind] += sign
	}
	return kinds
}

// staticOverridable are generated files a site's static/ may replace.
var staticOverridable = []string{"robots.txt"}

// checkStatic adds to diags the static files that clash with the
// generated ones (sorted), and drops them from files. A static file in
// the place of a generated one is an error: it would silently hide the
// page. So is one with a name of dealsite's own files in the output
// folder (ManifestName, temporary files). Each static file costs a few
// binary searches, however many pages there are.
func checkStatic(files map[string][]byte, generated []string, diags *diag.List) {
	isGenerated := func(p string) bool {
		_, found := slices.BinarySearch(generated, p)
		return found
	}
	for _, p := range slices.Sorted(maps.Keys(files)) {
		switch {
		case outdir.IsOwnName(p):
			diags.Addf(diag.StaticClash, StaticDir+"/"+p, 0, "has a name dealsite keeps for its own files in the output folder: rename it")
		case isGenerated(p) && !slices.Contains(staticOverridable, p):
			diags.Addf(diag.StaticClash, StaticDir+"/"+p, 0, "would overwrite the generated page %s: rename or remove it", p)
		case holdsGenerated(generated, p):
			diags.Addf(diag.StaticClash, StaticDir+"/"+p, 0, "is a file where the site needs the folder %s/: rename or remove it", p)
		case firstFileParent(p, isGenerated) != "":
			diags.Addf(diag.StaticClash, StaticDir+"/"+p, 0, "needs a folder where the site has the page %s: rename or remove it", firstFileParent(p, isGenerated))
		default:
			continue
		}
		delete(files, p)
	}
}

// holdsGenerated reports whether dir is a folder of one of the sorted
// generated paths: the first path after dir+"/" starts with it.
func holdsGenerated(generated []string, dir string) bool {
	i, _ := slices.BinarySearch(generated, dir+"/")
	return i < len(generated) && strings.HasPrefix(generated[i], dir+"/")
}

// firstFileParent returns the first parent folder of p that is a file,
// or "".
func firstFileParent(p string, isFile func(string) bool) string {
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if isFile(d) {
			return d
		}
	}
	return ""
}
