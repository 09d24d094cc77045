package content

import (
	"path"
	"strings"

	"github.com/dealsite/dealsite/internal/diag"
)

// BundleIndex is the name of the article file of an article folder.
const BundleIndex = "index.md"

// IsBundle reports whether the article at p (a slash path relative to
// the site) is the index.md of an article folder: a folder under
// content/ holding the article and the files it shows or links to
// ("content/2013-sale/index.md" beside "signing.jpg"). content/index.md
// is an ordinary article: content/ is no article's folder.
func IsBundle(p string) bool {
	return strings.EqualFold(path.Base(p), BundleIndex) && path.Dir(p) != Dir
}

// articleName is the name an article's slug is made from: its file name
// without the extension, or for an article folder's index.md the
// folder's name.
func articleName(p string) string {
	if IsBundle(p) {
		return path.Base(path.Dir(p))
	}
	return strings.TrimSuffix(path.Base(p), path.Ext(p))
}

// bundleOf returns the index.md of the article folder p lies in (p a
// markdown file other than that index.md), or "". bundles are the
// folders that hold an index.md.
func bundleOf(p string, bundles map[string]string) string {
	dir := path.Dir(p)
	if IsBundle(p) {
		dir = path.Dir(dir) // an index.md starts its own folder: look above it
	}
	for ; dir != Dir && dir != "." && dir != "/"; dir = path.Dir(dir) {
		if index, ok := bundles[dir]; ok {
			return index
		}
	}
	return ""
}

// inBundles finds the markdown files inside another article's folder.
// An article folder holds one article: Hugo would publish such a file
// nowhere, dealsite before article folders as an article of its own, so
// either would surprise someone and it is an error instead.
func inBundles(paths []string, diags *diag.List) map[string]bool {
	bundles := map[string]string{}
	for _, p := range paths {
		if IsBundle(p) {
			bundles[path.Dir(p)] = p
		}
	}
	if len(bundles) == 0 {
		return nil
	}
	inside := map[string]bool{}
	for _, p := range paths {
		if index := bundleOf(p, bundles); index != "" {
			inside[p] = true
			diags.Addf(diag.BundleMarkdown, p, 1, "a markdown file inside the article folder of %s; an article folder holds one article: move this file out of %s/ to make it an article of its own", index, path.Dir(index))
		}
	}
	return inside
}
