package render

import (
	"regexp"
	"slices"
)

// literalID finds id attributes whose whole value is written in the
// template (id="toc-heading"), not made by an action (id="year-{{.Year}}").
var literalID = regexp.MustCompile(`\bid\s*=\s*(?:"([^"{}]+)"|'([^'{}]+)')`)

// literalIDs lists, sorted and once each, the ids written literally in
// the template files.
func literalIDs(files map[string]string) []string {
	var ids []string
	for _, text := range files {
		for _, m := range literalID.FindAllStringSubmatch(text, -1) {
			ids = append(ids, m[1]+m[2])
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// IDs are the ids the templates give their own elements, such as "main"
// and "toc-heading": article heading ids must avoid them. Ids made by an
// action are not listed; dealsite check reports any page where one
// repeats.
func (t *Templates) IDs() []string {
	if t == nil {
		return nil
	}
	return t.ids
}
