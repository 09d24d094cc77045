// Package outdir is the one seam between a build and the disk: the
// output folder as a transaction. Nothing else in dealsite writes there.
//
//	f, err := outdir.Open(dir, outdir.Options{})   // create, lock, start looking
//	tx, err := f.Begin(ctx, produced)              // the paths the build makes
//	tx.Put(path, data)                             // or PutSum, Stream; from any goroutine
//	tx.KeepRest(last.Commit)                       // the files not put are as the last commit left them
//	stats, err := tx.Commit()                      // or tx.Discard()
//	f.Close()
//
// A Memory takes the same transactions and keeps the files in memory
// (serve); both are targets of build.Builder.Run.
//
// # Atomicity
//
// A transaction stages every new or changed file under a temporary name
// beside its target (a file in a folder the transaction created goes
// straight to its own name: nothing can be in its way). An error, a
// cancelled context or Discard removes the staged files and the folders
// made for them: the folder is left as it was. Commit renames the staged
// files into place (fast, and not interrupted by the context), deletes
// the stale files, and only then records the new set in the manifest;
// before it changes anything it records the union of old and new, so
// that a commit cut short by a crash still knows every file it may have
// left. Leftover temporary files of such a crash are removed by the next
// transaction that looks at the folder. Files whose bytes are already
// right are not touched, so their modification times stay and rsync or
// a CDN upload sends nothing.
//
// # Ownership
//
// The manifest, ManifestName in the folder, lists the files dealsite
// wrote there, and only those are ever overwritten or deleted (with
// Options.Clean, every file but a .git file or folder at the root).
// Another file where the build writes one is adopted only if it holds
// the very same bytes; otherwise, and for a file where the build needs a
// folder or a folder holding others' files where it writes a file, the
// commit fails with a *ConflictError and changes nothing. Every call
// that changes the folder goes through an os.Root opened on it (or, for
// a new file in a folder the transaction made, on Linux, an openat2
// resolved beneath the folder that follows no symlink at all), so no
// name can reach outside it, even through a symlink planted inside. A
// lock on the folder (flock, where there is one) makes a second writer,
// even in another process, wait for the end of the transaction.
//
// # What a transaction looks at
//
// The first transaction of a Folder reads the manifest and lists the
// whole folder (in the background, from Open on, so that the walk
// overlaps the build's reading of the site), and compares each produced
// file with the one on disk before writing it.
//
// After a commit the Folder remembers what it left: the manifest, the
// folder's files and folders as it saw and changed them, and a checksum
// of every file it produced. A later transaction on the same Folder (a
// rebuild in watch) reads neither the manifest nor the folder: it takes
// a file whose checksum is the remembered one as unchanged without
// touching the disk, and looks (one lstat each) only at the paths it
// newly produces and the folders they need, so that a file put there by
// hand is still never overwritten. A transaction producing the very
// files of the last commit (a text edit) does not even look at the list:
// the plan of the last such transaction holds, nothing is stale, and the
// manifest's list is the same. KeepRest, given the last commit's ID
// (Stats.Commit), marks every produced file that is not put as produced
// again unchanged, without a call or even the bytes per file: a rebuild
// hands over only what it rendered again.
//
// So a change made behind the Folder's back to a file dealsite wrote (a
// page deleted or edited by hand) is repaired only when a build
// produces that file with new bytes; a new Folder (every dealsite build)
// always compares and repairs everything. A file a user adds at a path
// dealsite never writes is never looked at, as in any build. Every
// commit that changes the folder replaces the manifest by a rename, and
// each transaction begins with one lstat of it: if it is not the file
// the Folder's last commit left (another build wrote the folder, or the
// folder was deleted), the Folder forgets what it remembers and looks
// at the folder afresh.
package outdir
