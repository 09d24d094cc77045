package content

import (
	"cmp"
	"context"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/dealsite/dealsite/internal/diag"
)

// Changes names the files that changed since a Loader's last load, as a
// watcher reports them: files whose content changed, that appeared or
// that disappeared.
type Changes struct {
	// Paths are slash-separated and relative to the site folder. A
	// folder stands for everything under it. Paths outside content/
	// (layouts/, static/) are not the Loader's business; the settings
	// file is read again only when it is listed.
	Paths []string
	// Rescan says the list may be incomplete (the watcher lost events):
	// every file is looked at again.
	Rescan bool
}

// Changed tells l which files changed since its last load, so that the
// next load looks at those paths only and reuses every other article
// without a stat. nil (or Rescan) means unknown: the next load lists
// content/ again and stats every file, as a Loader that is never told
// does on every load. Changes told before a load that is cancelled or
// never runs are kept for the next one. Like Load, it is for one
// goroutine at a time.
//
// The promise is the watcher's (see package watch): a file whose
// content changed is named. What it does not report reaches the loader
// only with the next nil or Rescan: a link to a folder or a named pipe
// appearing under content/ (which a full load reports as a problem), a
// folder made unreadable (chmod gives no event), a link retargeted
// through another link.
func (l *Loader) Changed(c *Changes) {
	if c == nil || c.Rescan {
		l.unknown = true
		return
	}
	l.told = true
	for _, p := range c.Paths {
		l.pending[path.Clean(p)] = true
	}
}

// listing is what a load found under content/, kept for the next one.
type listing struct {
	settings settingsRead
	paths    []string  // the article files, in walk order
	problems diag.List // found listing them (unreadable folders, links to folders, devices)
}

// walkOrder orders paths as a walk of content/ lists them (fs.WalkDir:
// by name within each folder, a folder's files right after its name),
// the order of Content.Articles. It is not the order of the strings:
// "content/2013/a.md" comes before "content/2013-old.md". In it the
// paths at or under one folder are one run.
func walkOrder(a, b string) int {
	for {
		ai, bi := strings.IndexByte(a, '/'), strings.IndexByte(b, '/')
		ah, bh := a, b
		if ai >= 0 {
			ah = a[:ai]
		}
		if bi >= 0 {
			bh = b[:bi]
		}
		if c := strings.Compare(ah, bh); c != 0 || ai < 0 || bi < 0 {
			return cmp.Or(c, cmp.Compare(ai, bi)) // the shorter path, a folder, first
		}
		a, b = a[ai+1:], b[bi+1:]
	}
}

// pendingRoots are the paths under content/ that Changed named, in walk
// order, without those inside another one: content/ itself stands for
// all.
func (l *Loader) pendingRoots() []string {
	var roots []string
	for _, p := range slices.SortedFunc(maps.Keys(l.pending), walkOrder) {
		if p != Dir && !strings.HasPrefix(p, Dir+"/") {
			continue // layouts/, static/: not content
		}
		if n := len(roots); n > 0 && within(p, roots[n-1]) {
			continue
		}
		roots = append(roots, p)
	}
	return roots
}

// within reports whether p is root or lies under it.
func within(p, root string) bool {
	return p == root || strings.HasPrefix(p, root+"/")
}

// relist looks again at the paths roots (in walk order, none inside another)
// and reads the articles found there, keeping every other article of
// the last load as it was. It returns the article paths and the listing
// problems of the whole of content/; the cache holds every article's
// result. Cancelled, it changes nothing and returns ctx's error.
func (l *Loader) relist(ctx context.Context, fsys fs.FS, roots []string, unsafe bool) ([]string, diag.List, error) {
	var kept, dropped []string
	var problems diag.List
	if l.last != nil {
		kept, dropped = splitUnder(l.last.paths, roots)
		isRoot := make(map[string]bool, len(roots))
		for _, r := range roots {
			isRoot[r] = true
		}
		problems = slices.DeleteFunc(slices.Clone(l.last.problems), func(d diag.Diagnostic) bool {
			return underAny(d.Path, isRoot)
		})
	}
	var found []string
	for _, root := range roots {
		found = append(found, walkArticles(fsys, root, &problems)...)
	}
	kept, found = l.readAgain(kept, found)
	if !slices.IsSortedFunc(found, walkOrder) {
		slices.SortFunc(found, walkOrder) // a root's files come after a later root's folder name
	}
	results := l.readAll(ctx, fsys, found, unsafe)
	if err := ctx.Err(); err != nil {
		return nil, nil, err // the cache must not learn cancelled parses
	}
	if l.last == nil {
		clear(l.cache)
		clear(l.users)
	}
	for _, p := range dropped {
		l.forget(p) // deleted files are forgotten; found ones come back below
	}
	for i, p := range found {
		l.store(p, results[i])
	}
	return mergeSorted(kept, found), problems, nil
}

// readAgain moves the kept articles that used a file Changed named
// (see dependents) to found, to be read again.
func (l *Loader) readAgain(kept, found []string) ([]string, []string) {
	if l.last == nil {
		return kept, found
	}
	again := l.dependents()
	if len(again) == 0 {
		return kept, found
	}
	move := make(map[string]bool, len(again))
	for _, p := range again {
		move[p] = true
	}
	kept = slices.DeleteFunc(slices.Clone(kept), func(p string) bool {
		if move[p] {
			found = append(found, p)
			return true
		}
		return false
	})
	return kept, found
}

// splitUnder splits paths (in walk order) into those at or under none of
// roots and those at or under one. Those under a root are the one run
// that starts where the root would be.
func splitUnder(paths, roots []string) (kept, dropped []string) {
	drop := make([]bool, len(paths))
	some := false
	for _, r := range roots {
		i, _ := slices.BinarySearchFunc(paths, r, walkOrder)
		for ; i < len(paths) && within(paths[i], r); i++ {
			drop[i], some = true, true
		}
	}
	if !some {
		return paths, nil
	}
	kept = make([]string, 0, len(paths))
	for i, p := range paths {
		if drop[i] {
			dropped = append(dropped, p)
		} else {
			kept = append(kept, p)
		}
	}
	return kept, dropped
}

// underAny reports whether p is one of roots or lies under one.
func underAny(p string, roots map[string]bool) bool {
	for ; p != "." && p != "/" && p != ""; p = path.Dir(p) {
		if roots[p] {
			return true
		}
	}
	return false
}

// mergeSorted merges two lists of distinct paths in walk order.
func mergeSorted(a, b []string) []string {
	if len(b) == 0 {
		return a
	}
	out := make([]string, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if walkOrder(a[i], b[j]) < 0 {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// assemble is the Content of the last load, from the listing and the
// cache, with every problem of every file.
func (l *Loader) assemble() (*Content, error) {
	var diags diag.List
	s := l.last.settings
	c := &Content{Settings: s.settings, Articles: make([]*Article, 0, len(l.last.paths))}
	diags.Merge(s.err)
	if s.broken {
		c.Broken = append(c.Broken, SettingsPath)
	}
	diags = append(diags, l.last.problems...)
	inside := inBundles(l.last.paths, &diags)
	for _, p := range l.last.paths {
		r := l.cache[p]
		diags.Merge(r.err)
		if r.article != nil && !inside[p] {
			c.Articles = append(c.Articles, r.article)
		} else {
			c.Broken = append(c.Broken, p)
		}
	}
	return c, diags.Err()
}
