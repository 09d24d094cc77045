package corpus

import (
	"fmt"
	"path"
	"strings"
)

// eras are the named periods of every generated site.
var eras = []struct{ title, start, end string }{
	{"The dot-com years", "1995", "2000-03"},
	{"After the crash", "2000-04", "2007-06"},
	{"The financial crisis", "2007-07", "2009-12"},
	{"The platform decade", "2010", "2019"},
}

// settingsFile is content/_index.md: the site settings and an
// introduction linking to the first published article.
func settingsFile(plans []plan, published []int, n int, seed uint64) []byte {
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: \"A synthetic deal history (%d articles, seed %d)\"\n", n, seed)
	b.WriteString("description: \"Invented companies, invented deals: a generated corpus for benchmarking dealsite.\"\n")
	fmt.Fprintf(&b, "base_url: %q\n", BaseURL)
	b.WriteString("language: \"en\"\nauthor: \"The corpus generator\"\neras:\n")
	for _, e := range eras {
		fmt.Fprintf(&b, "  - title: %q\n    start: %s\n    end: %s\n", e.title, e.start, e.end)
	}
	b.WriteString("---\n")
	fmt.Fprintf(&b, "This site is generated: %d articles about invented companies from %d to %d, ", n, FirstYear, LastYear)
	b.WriteString("with the tags, parties, values and sources a real deal history has.")
	if len(published) > 0 {
		p := plans[published[0]]
		fmt.Fprintf(&b, " It starts anywhere, for example with [one of the %d deals](%d/%s).", p.year, p.year, path.Base(p.path))
	}
	b.WriteString("\n\nEverything here is *fiction*; any likeness to a real company is a coincidence of common words.\n")
	return []byte(b.String())
}
