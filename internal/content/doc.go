// Package content reads a site's content/ folder: the settings file
// (content/_index.md) and one Article per markdown file. It is the first
// stage of the pipeline (load → model → render → write) and the only one
// that parses what editors write, so it is where untrusted text becomes
// data: every later stage sees only values this package checked.
//
// What it does:
//
//   - Front matter is read with positions (yaml.go, over goccy/go-yaml)
//     into typed fields; every problem is a diag.Diagnostic naming the
//     file, line and column, and a load returns all of them at once.
//   - Dates keep the calendar day as written (Date): the year, month and
//     day an editor typed decide where an event belongs, whatever its
//     offset; Instant is for the few outputs that need one.
//   - Markdown is converted by one goldmark instance per site
//     (Markdown): raw HTML is dropped unless the site opts in, link
//     schemes are checked, nesting is bounded at parse time, heading ids
//     avoid the theme's own (Loader.ReservedIDs), and links to other
//     articles' files become placeholders (RefHref) that the site model
//     resolves once it knows every URL.
//   - Media (image.go, pictures.go, bundle.go): an article may be a
//     folder's index.md (IsBundle), named by the folder, whose files it
//     links to are its Resources. Each image it shows (markdown, or the
//     front matter image field) is read through the fs.FS, inspected
//     with media.Inspect and checked (alt text, a file of content/ or
//     static/, no remote host); the body gets a <picture> whose URLs are
//     placeholders (Ref.Files) for the variants under media/ that
//     Markdown.Media names, which the site model resolves like links.
//
// Loading again (watch, serve): a Loader keeps each parsed article with
// the file's stamp and checksum, and those of the images and files it
// used, and parses a file again only when its bytes, or one of those
// files, changed (a reverse index from used file to articles serves
// Changed), so an unchanged file gives the same *Article pointer;
// the model relies on that to tell what changed. A caller that knows
// which files changed (the watcher's batch) says so with
// Loader.Changed, and the next load looks at those paths only, without
// a stat of the others; nil (or a rescan) means look at everything.
//
// A Spill keeps bodies in a scratch file instead of memory for a
// one-shot build of a large site: the caller decides (package build
// takes the output folder's scratch file).
//
// The package reads only through the fs.FS it is given, writes nothing,
// and reads no clock but the one that judges racy file stamps.
package content
