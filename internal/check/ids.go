package check

import (
	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/diag"
)

// checkDuplicateIDs reports every id that more than one element of a
// page carries: a #fragment to it lands on the first only, and
// aria-labelledby may name the wrong element. The default theme's
// headings never repeat an id; a theme that shows several article bodies
// on one page repeats theirs.
func checkDuplicateIDs(out *build.Output, pages map[string]*page, l *diag.List) {
	s := out.Site()
	for _, p := range sortedKeys(pages) {
		for _, id := range pages[p].repeated {
			l.Add(at(s, p, diag.DuplicateID, "page %s has the id %q %d times; ids must be unique on a page", p, id, pages[p].idCount[id]))
		}
	}
}
