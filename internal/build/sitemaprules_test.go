package build

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// The rules of the sitemaps.org protocol, schema 0.9 (sitemap.xsd and
// siteindex.xsd, and the size limits of sitemaps.org/protocol.html),
// checked in Go rather than by xmllint against copies of the schemas:
// the schemas could not be fetched from sitemaps.org where this was
// written, a copy taken from another project is no proof of what the
// protocol says, and a Go check runs in every `go test` without a
// Debian package. Each rule below names the schema's wording.

const (
	sitemapNamespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
	maxSitemapURLs   = 50000            // "up to 50,000 document elements"
	maxSitemapBytes  = 50 * 1024 * 1024 // "no larger than 50MB (52,428,800 bytes)"
)

// xmlNode is any element, for checking a document's structure.
type xmlNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []xmlNode  `xml:",any"`
	Text     string     `xml:",chardata"`
}

// w3cDatetime is the W3C Datetime profile that lastmod takes (tLastmod:
// a date, or a date and time with a zone).
var w3cDatetime = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$`)

var changefreqs = map[string]bool{"always": true, "hourly": true, "daily": true, "weekly": true, "monthly": true, "yearly": true, "never": true}

// checkSitemapRules checks one sitemap file (a urlset or a
// sitemapindex) published under base. It returns the <loc> values and
// whether the file is an index, with every rule broken.
func checkSitemapRules(name string, b []byte, base string) (locs []string, index bool, problems []string) {
	bad := func(format string, args ...any) { problems = append(problems, name+": "+fmt.Sprintf(format, args...)) }
	if len(b) > maxSitemapBytes {
		bad("%d bytes, over the protocol's %d", len(b), maxSitemapBytes)
	}
	if !bytes.HasPrefix(b, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		bad("does not start with an XML declaration of UTF-8")
	}
	var root xmlNode
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	if err := dec.Decode(&root); err != nil {
		bad("not well-formed XML: %v", err)
		return nil, false, problems
	}
	var entry string
	switch root.XMLName {
	case xml.Name{Space: sitemapNamespace, Local: "urlset"}:
		entry = "url"
	case xml.Name{Space: sitemapNamespace, Local: "sitemapindex"}:
		entry, index = "sitemap", true
	default:
		bad("root element %v is neither a urlset nor a sitemapindex of %s", root.XMLName, sitemapNamespace)
		return nil, false, problems
	}
	for _, a := range root.Attrs {
		if a.Name.Space != "xmlns" && a.Name.Local != "xmlns" && a.Name.Space != "http://www.w3.org/2001/XMLSchema-instance" {
			bad("root attribute %v", a.Name)
		}
	}
	if len(root.Children) == 0 {
		bad("no <%s> (the schema asks for one at least)", entry)
	}
	if len(root.Children) > maxSitemapURLs {
		bad("%d entries, over the protocol's %d", len(root.Children), maxSitemapURLs)
	}
	for i, c := range root.Children {
		if c.XMLName != (xml.Name{Space: sitemapNamespace, Local: entry}) {
			bad("entry %d is <%v>, not <%s>", i+1, c.XMLName, entry)
			continue
		}
		loc, p := checkSitemapEntry(c, index, base)
		for _, q := range p {
			bad("entry %d: %s", i+1, q)
		}
		locs = append(locs, loc)
	}
	return locs, index, problems
}

// checkSitemapEntry checks one <url> (tUrl) or <sitemap> (tSitemap).
func checkSitemapEntry(e xmlNode, index bool, base string) (loc string, problems []string) {
	allowed := map[string]bool{"loc": true, "lastmod": true}
	if !index {
		allowed["changefreq"], allowed["priority"] = true, true
	}
	seen := map[string]int{}
	for _, c := range e.Children {
		if c.XMLName.Space != sitemapNamespace {
			continue // xsd:any namespace="##other": extensions are allowed
		}
		if !allowed[c.XMLName.Local] {
			problems = append(problems, fmt.Sprintf("<%s> is not allowed here", c.XMLName.Local))
			continue
		}
		seen[c.XMLName.Local]++
		text := strings.TrimSpace(c.Text)
		switch c.XMLName.Local {
		case "loc":
			loc = text
			problems = append(problems, checkLoc(text, base)...)
		case "lastmod":
			if !w3cDatetime.MatchString(text) {
				problems = append(problems, fmt.Sprintf("lastmod %q is not a W3C Datetime", text))
			}
		case "changefreq":
			if !changefreqs[text] {
				problems = append(problems, fmt.Sprintf("changefreq %q", text))
			}
		case "priority":
			var p float64
			if _, err := fmt.Sscanf(text, "%g", &p); err != nil || p < 0 || p > 1 {
				problems = append(problems, fmt.Sprintf("priority %q is not between 0.0 and 1.0", text))
			}
		}
	}
	for name, n := range seen {
		if n > 1 {
			problems = append(problems, fmt.Sprintf("<%s> %d times", name, n))
		}
	}
	if seen["loc"] == 0 {
		problems = append(problems, "no <loc>")
	}
	return loc, problems
}

// checkLoc checks a <loc> (tLoc: an absolute URI of 12 to 2,048
// characters) and that it lies under the base URL, where the sitemap is:
// a sitemap may only list URLs under its own location.
func checkLoc(loc, base string) []string {
	var problems []string
	if n := len(loc); n < 12 || n > 2048 {
		problems = append(problems, fmt.Sprintf("loc of %d characters, not 12 to 2,048", n))
	}
	u, err := url.Parse(loc)
	if err != nil || !u.IsAbs() || u.Host == "" {
		problems = append(problems, fmt.Sprintf("loc %q is not an absolute URL", loc))
	}
	if !strings.HasPrefix(loc, base) {
		problems = append(problems, fmt.Sprintf("loc %q is not under %s", loc, base))
	}
	return problems
}
