package watch

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dealsite/dealsite/internal/content"
)

// rule says which paths count: those inside a watched folder with no
// hidden name, no editor leftover and nothing Options.Skip excludes on
// the way down. Paths are slash-separated and relative to the root.
type rule struct {
	dirs  []string                          // cleaned, none inside another; "." is the whole root
	extra func(rel string, isDir bool) bool // Options.Skip, or nil
}

// newRule checks and cleans the watched folders. No folders means the
// whole root.
func newRule(dirs []string, skip func(string, bool) bool) (*rule, error) {
	var clean []string
	for _, d := range dirs {
		c := path.Clean(filepath.ToSlash(d))
		if path.IsAbs(c) || filepath.IsAbs(d) || c == ".." || strings.HasPrefix(c, "../") {
			return nil, fmt.Errorf("watch: folder %q is not inside the root", d)
		}
		clean = append(clean, c)
	}
	if len(clean) == 0 {
		clean = []string{"."}
	}
	slices.Sort(clean)
	clean = slices.Compact(clean)
	// Drop folders inside other watched folders: the outer walk covers them.
	clean = slices.DeleteFunc(clean, func(d string) bool {
		return slices.ContainsFunc(clean, func(o string) bool { return o != d && under(d, o) })
	})
	return &rule{dirs: clean, extra: skip}, nil
}

// under reports whether rel is dir or inside it.
func under(rel, dir string) bool {
	return dir == "." || rel == dir || strings.HasPrefix(rel, dir+"/")
}

// hidden reports names that are never watched: dot-names (.git, .DS_Store,
// editor swap and lock files) and the temporary and backup files editors
// write while saving (see content.EditorLeftover). It deliberately does not
// use content.Ignored, which also hides "_" names such as the site
// settings, content/_index.md.
func hidden(name string) bool {
	return strings.HasPrefix(name, ".") || content.EditorLeftover(name)
}

// skip reports whether the last element of rel, a path below a watched
// folder, is excluded. Walks call it on each level as they descend.
func (r *rule) skip(rel string, isDir bool) bool {
	return hidden(path.Base(rel)) || (r.extra != nil && r.extra(rel, isDir))
}

// admits reports whether rel counts: it lies in a watched folder and
// neither it nor any folder between it and the watched folder is skipped.
func (r *rule) admits(rel string, isDir bool) bool {
	dir, ok := r.dirOf(rel)
	if !ok {
		return false
	}
	for p := rel; p != dir; p = path.Dir(p) {
		if r.skip(p, isDir || p != rel) {
			return false
		}
	}
	return true
}

// dirOf returns the watched folder that holds rel.
func (r *rule) dirOf(rel string) (string, bool) {
	for _, d := range r.dirs {
		if under(rel, d) {
			return d, true
		}
	}
	return "", false
}

// leadsTo reports whether rel is the root or a folder above a watched
// folder (its creation or removal makes watched folders come or go).
func (r *rule) leadsTo(rel string) bool {
	return slices.ContainsFunc(r.dirs, func(d string) bool {
		return d != rel && under(d, rel)
	})
}

// dirsUnder lists the watched folders at or inside rel.
func (r *rule) dirsUnder(rel string) []string {
	var out []string
	for _, d := range r.dirs {
		if under(d, rel) {
			out = append(out, d)
		}
	}
	return out
}
