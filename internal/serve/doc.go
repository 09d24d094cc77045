// Package serve is dealsite's development server. It serves the latest
// good build from memory (never from disk, and it never writes one), so
// drafts and localhost URLs cannot leak into a deploy folder.
//
// Live reload: every HTML response gets a small script, embedded in the
// binary, that listens to Server-Sent Events on a reserved path. Publish
// swaps in a complete build as one immutable snapshot behind an atomic
// pointer and only then tells clients; each build has an id, so a page
// reloads once per build. When only stylesheets changed, pages swap them
// in place. When a build fails, the last good site keeps being served and
// every page shows an overlay listing the errors, which the next good
// build clears.
//
// Stopping: an event stream lasts as long as its page, so Close ends
// them all; call it before the http.Server's Shutdown, which would
// otherwise wait for them until its timeout.
//
// Safety: only GET and HEAD are served, every response says
// Cache-Control: no-store, and requests whose Host header is not the
// bound address or localhost are refused (a DNS-rebinding defence),
// unless the server binds all interfaces on purpose.
package serve
