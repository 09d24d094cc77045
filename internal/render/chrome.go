package render

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"html/template"
	"slices"

	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/site"
)

// chromeFile defines the chrome: the parts of the page frame that are
// the same on every page of one kind (the site's links in <head>, the
// header and its navigation, the footer).
const chromeFile = "partials/chrome.html"

// Chrome is the data the templates of partials/chrome.html receive as
// dot. It holds nothing of any one page, so that each can be rendered
// once per build for each kind of page rather than once per page, which
// spares some 30 calls of html/template's escapers on every page.
type Chrome struct {
	Site *SiteView
	Kind string // as Page.Kind
}

// pageKinds are the values of Page.Kind.
var pageKinds = []string{"home", "article", "year", "years", "tag", "tags", "party", "parties", "search", "404"}

// chromeKey names one rendered chrome template.
type chromeKey struct{ name, kind string }

// chrome is the template function {{chrome "NAME" .Kind}}: the template
// NAME of chromeFile as rendered by renderChrome for pages of that kind.
func (t *Templates) chrome(name, kind string) (template.HTML, error) {
	if h, ok := t.chromes[chromeKey{name, kind}]; ok {
		return h, nil
	}
	if !slices.Contains(pageKinds, kind) {
		return "", fmt.Errorf("%q is not a kind of page: kinds are %q", kind, pageKinds)
	}
	return "", fmt.Errorf("%s/%s defines no template %q", LayoutsDir, chromeFile, name)
}

// renderChrome fills t.chromes with every template chromeFile defines,
// for every kind of page, and hashes them all into t.chromeRev: every
// page depends on the chrome's bytes, not on what it read to make them,
// so that a chrome showing how many events there are renders every page
// again when that number changes, and one showing settings only does
// so only when they change.
func (t *Templates) renderChrome(s *site.Site) error {
	t.chromes = map[chromeKey]template.HTML{}
	var diags diag.List
	var buf bytes.Buffer
	var sum maphash.Hash
	sum.SetSeed(chromeSeed)
	view := siteView(s, nil)
	for _, name := range t.chromeNames() {
		for _, kind := range pageKinds {
			buf.Reset()
			if err := t.shared.ExecuteTemplate(&buf, name, Chrome{Site: view, Kind: kind}); err != nil {
				d := templateError(diag.TemplateRun, LayoutsDir+"/"+chromeFile, err)
				d.Message = "rendering " + name + " for " + kind + " pages: " + d.Message
				diags.Add(d)
				break // the other kinds likely fail the same way
			}
			t.chromes[chromeKey{name, kind}] = template.HTML(buf.String())
			sum.WriteString(name + "\x00" + kind + "\x00")
			sum.Write(buf.Bytes())
		}
	}
	t.chromeRev = site.Revision(sum.Sum64())
	return diags.Err()
}

// chromeSeed seeds the hash of the chrome: revisions are compared only
// within one process.
var chromeSeed = maphash.MakeSeed()

// chromeNames lists the templates defined in chromeFile, sorted.
func (t *Templates) chromeNames() []string {
	file := LayoutsDir + "/" + chromeFile
	var names []string
	for _, tmpl := range t.shared.Templates() {
		if tmpl.Tree != nil && tmpl.Tree.ParseName == file && tmpl.Name() != file {
			names = append(names, tmpl.Name())
		}
	}
	slices.Sort(names)
	return names
}
