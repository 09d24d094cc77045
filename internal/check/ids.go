package check

import "github.com/dealsite/dealsite/internal/diag"

// duplicateIDs reports every id that more than one element of a page
// carries: a #fragment to it lands on the first only, and
// aria-labelledby may name the wrong element. The default theme's
// headings never repeat an id; a theme that shows several article bodies
// on one page repeats theirs. c.mu is held.
func (c *linkCheck) duplicateIDs(from string, pg *page) {
	for _, id := range pg.repeated {
		c.add(from, diag.DuplicateID, "page %s has the id %q %d times; ids must be unique on a page", from, id, pg.idCount[id])
	}
}
