// Package watch decides when a site must be rebuilt. It knows nothing
// about building: Run calls a function with the files whose content
// changed, one call at a time, and the caller decides what to do.
//
//	err := watch.Run(ctx, watch.Options{
//		Root: site,
//		Dirs: []string{"content", "layouts", "static"},
//		Skip: isOutputFolder,
//		Warn: func(msg string) { fmt.Fprintln(stderr, msg) },
//	}, func(b watch.Batch) { rebuild() })
//
// # The contract
//
//   - Only content counts. Each file is remembered by the SHA-256 of its
//     content; a batch lists the files whose content differs from what
//     was last seen, and the files that appeared or disappeared. A touch,
//     a chmod, a save without edits, or a temporary file that comes and
//     goes within the quiet period gives no batch.
//   - A save is quick; bursts are one batch. Every event restarts a
//     quiet period; the changes are looked at and reported when it ends.
//     Its length fits what it has collected: a save of one to three files
//     the watcher already knows waits a fifth of Options.Debounce (20ms
//     by default), so a saved file shows up fast; anything else (a new or
//     deleted folder, a new file, a fourth file) waits the whole debounce
//     (100ms by default), so a git checkout of 500 files is one batch even
//     when its first file arrives alone. Once a quiet period has collected
//     64 paths it is stretched to four times the debounce, so a large
//     burst that stalls briefly on a busy machine is still one batch. A
//     checkout that changes only files the watcher knows and stalls for
//     more than the short period after its first one, two or three files
//     is reported in two batches.
//     Writes that never pause postpone the batch until they do.
//   - One call at a time. onChange is never called while it runs: the
//     changes made meanwhile are collected and reported in exactly one
//     follow-up call, one quiet period after it returns (so a change made
//     just as it returns, whose event is still on its way, is in the same
//     follow-up). A file changed and changed back during the call is in
//     the follow-up if the watcher saw the intermediate content, since the
//     call may have read it.
//   - Recursive, including later. Every folder under the watched ones is
//     watched, including folders created later: a new folder is watched
//     as soon as its event arrives and then read, so files written into
//     it before the watch existed are found too (mkdir -p a/b/c followed
//     at once by files inside). Watched folders that are missing at the
//     start are picked up when they appear. Folders renamed or removed
//     lose their watches and are read again under their new name.
//   - Folders only. Watches are on folders, never files, so editors'
//     atomic saves (write a temporary file, rename it over the original)
//     are seen: vim (the 4913 probe, file~ backups), JetBrains "safe
//     write" (___jb_tmp___, ___jb_old___), VS Code, sed -i (sedXXXXXX),
//     emacs lock files (.#file).
//   - Never watched: names starting with "." (so .git and every other
//     dot-folder and dot-file), editor leftovers (content.EditorLeftover),
//     and whatever Options.Skip excludes, such as the output folder.
//     Names starting with "_" are watched: content/_index.md holds the
//     site settings.
//
// # Starting
//
// Run adds its watches, then records every file's hash (the baseline:
// nothing has changed yet), then calls Options.Ready. A change made
// after Ready is called is reported; one made before may not be. A caller
// that builds once before watching should build in Ready (or after it),
// not before Run: then an edit made during that first build is reported
// once it is done, and never lost.
//
// # Robustness
//
// fsnotify's error channel is always drained. An event-queue overflow
// means events were lost: every watch is added again and every file
// hashed again, and the batch, if anything changed, has Rescan set. When
// the system's inotify watch limit is reached, Options.Warn receives a
// message with the command that raises it
// (sudo sysctl fs.inotify.max_user_watches=524288) and Run polls every
// second instead. If the root is deleted Run stays up, reports the files
// as deleted, and picks everything up again when the root reappears
// (it looks every second).
//
// A panic, which is a bug, never ends the process: in the watcher's own
// work or in onChange (which runs on a goroutine of Run's), it ends Run
// with a diag.Internal error naming the file being looked at or the one
// changed, once onChange has returned.
//
// # Polling
//
// With Options.Poll, Run walks the watched folders at that interval
// instead of using file system events, for network drives and container
// mounts where events do not arrive. The same code decides what changed:
// a file is hashed when its size or modification time moved, and once
// more two seconds after a modification time that was too recent to
// trust (a second write within the same timestamp tick keeps both). A
// walk that finds changes
// waits one quiet period and walks again, so a burst is one batch there
// too.
//
// Symbolic links are followed where the build follows them: a watched
// folder may be one, and a link to a file counts as that file. The
// folder a linked file is in is watched too, wherever it is inside the
// root, so an edit to the target of content/a.md -> ../shared/a.md is
// reported as content/a.md. Only the link's final target counts: when a
// link leads through another link, retargeting that one is seen by
// polling only. A link out of the root is not followed (the build
// refuses it).
package watch
