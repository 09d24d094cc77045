// Package watch decides when a site must be rebuilt. It knows nothing
// about building: Run calls a function with the files whose content
// changed, and never calls it twice at once.
//
// How it decides, in order:
//
//   - Events only wake it. File system events (fsnotify, on folders only,
//     so editors' atomic saves by rename are seen) or, with Options.Poll,
//     a ticker start a quiet period (Options.Debounce) that restarts on
//     every further event, so a burst such as a git checkout of 500 files
//     gives one batch.
//   - A scan decides. When the period ends, the watched folders are walked
//     and each file's size and modification time compared with the last
//     scan; files that differ are hashed, and only a different hash (or a
//     new or deleted file) counts as a change. A save without edits, a
//     touch or a chmod therefore triggers nothing, and no event can be
//     missed for long: the walk sees everything, including files created
//     in a folder before its watch was added. Poll mode uses the same
//     scan, only the wake-up differs; it reports once a scan finds
//     nothing new, so a burst is one batch there too.
//   - One call at a time. While the callback runs, events keep being
//     collected; when it returns, at most one follow-up scan runs for all
//     of them.
//
// Never watched: names starting with '.' (so .git and other dot-folders),
// editor leftovers (see content.EditorLeftover), and whatever
// Options.Skip excludes, such as the output folder. The watcher survives
// its root being deleted and recreated, falls back to polling when the
// inotify watch limit is reached (and says how to raise it), and treats
// an event-queue overflow as a reason to rescan.
package watch
