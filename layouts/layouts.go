// Package layouts is dealsite's default theme: the html/template files in
// this folder, embedded in the binary. A site's own layouts/ folder
// overrides them file by file (see internal/render).
package layouts

import "embed"

// FS holds base.html, the page templates and partials/.
//
//go:embed *.html partials
var FS embed.FS
