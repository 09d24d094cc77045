// Package static is the default theme's assets: every file in this
// folder except Go sources, embedded in the binary and copied to the
// output root under a site's own static/ files, which win.
package static

import "embed"

// FS holds the theme's stylesheet and icons.
//
//go:embed css js favicon.svg
var FS embed.FS
