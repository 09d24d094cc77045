package outdir

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
)

// A Tx is one build's files on their way to a Folder or a Memory. Put,
// PutSum and Stream may be called from several goroutines at
// once; then exactly one of Commit or Discard.
type Tx interface {
	// Put adds one file. data must not change afterwards. After a
	// failure Put returns ErrStopped, so that the caller can stop
	// early; Commit returns the failure itself.
	Put(path string, data []byte) error
	// PutSum is Put with a checksum of data computed by the caller (a
	// render cache key): within one Folder's life equal sums for a path
	// must mean equal bytes. It saves hashing a file that did not change.
	PutSum(path string, data []byte, sum uint64) error
	// Stream adds one file as write produces it, on the caller's
	// goroutine, never holding it whole. An error from write is
	// returned as is, with nothing of the file left behind.
	Stream(path string, write func(io.Writer) error) error
	// KeepRest says every produced file that is not put or streamed
	// in this transaction is produced again with the bytes the commit
	// identified by commit (Stats.Commit) left, and reports whether the
	// target still holds them: only when that commit is its last and
	// nothing changed it since. When it reports false, the caller must
	// put every file. It saves a call per unchanged file: a rebuild
	// hands over only what changed.
	KeepRest(commit uint64) bool
	// Commit makes the target hold the files put, streamed or kept, and
	// removes the stale files dealsite wrote. If it fails before it
	// changed anything, the error wraps ErrNothingWritten.
	Commit() (Stats, error)
	// Discard drops every file added; the target is left as it was.
	Discard()
}

// ErrStopped is what Put and Stream return once a transaction has
// failed; Commit returns the reason.
var ErrStopped = errors.New("outdir: the transaction has failed")

// ErrNothingWritten marks a failed commit that left the folder as it
// was.
var ErrNothingWritten = errors.New("the folder was left as it was")

// folderTx is a transaction on a Folder.
type folderTx struct {
	f        *Folder
	produced map[string]bool
	list     []string // produced, sorted
	// steady: the same files as the Folder's last commit (see
	// Folder.beginSteady).
	steady   bool
	st       *stager
	base     uint64 // the commit the Folder remembers, or 0
	keepRest bool   // KeepRest was granted
	done     bool
}

func (tx *folderTx) Put(p string, data []byte) error { return tx.st.put(p, data, 0) }

func (tx *folderTx) PutSum(p string, data []byte, sum uint64) error {
	return tx.st.put(p, data, sum)
}

func (tx *folderTx) Stream(p string, write func(io.Writer) error) error {
	return tx.st.stream(p, write)
}

func (tx *folderTx) KeepRest(commit uint64) bool {
	if commit == 0 || commit != tx.base || tx.st.known == nil {
		return false
	}
	tx.keepRest = true
	return true
}

// keepRest takes every produced file neither put nor streamed as the
// Folder remembers it, once staging is done: an error if it does not
// remember one, which KeepRest's caller promised it would.
func (tx *folderTx) keepRestOf(st *stager) error {
	if !tx.keepRest {
		return nil
	}
	if tx.steady { // the same files: copy the sums whole, lay the new ones over
		sums := maps.Clone(st.known)
		maps.Copy(sums, st.sums)
		st.unchanged += len(sums) - len(st.sums)
		st.sums = sums
		return nil
	}
	for p := range tx.produced {
		if _, ok := st.sums[p]; ok {
			continue
		}
		sum, ok := st.known[p]
		if !ok {
			return fmt.Errorf("outdir: %s was neither put nor kept", p)
		}
		st.sums[p] = sum
		st.unchanged++
	}
	return nil
}

// Commit waits for the staging to finish, then records in the manifest
// every file the folder may be left with, deletes the stale files
// dealsite owns, renames the staged files into place and records exactly
// the produced files. If staging failed, the staged files are removed
// and the folder is left as it was.
func (tx *folderTx) Commit() (Stats, error) {
	f := tx.f
	f.mu.Lock()
	defer f.mu.Unlock()
	defer tx.end()
	var ws Stats
	st, last := tx.st, f.mem
	_, _, err := st.finish()
	if err == nil {
		err = tx.keepRestOf(st)
	}
	staged, unchanged := st.staged, st.unchanged
	if err == nil {
		err = tx.recordBefore(last)
	}
	if err != nil {
		tx.discardStaged()
		if errors.As(err, new(*ConflictError)) {
			return ws, err
		}
		return ws, fmt.Errorf("writing %s: %w (%w)", f.dir, err, ErrNothingWritten)
	}
	f.mem = nil // until the commit is known to have landed whole
	ws.Unchanged, ws.Written, ws.Kept = unchanged, len(st.direct), st.plan.foreign
	var gone []string
	if !tx.steady { // else nothing is stale
		var removed int
		removed, gone, err = removeStale(f.root, st.plan, tx.produced)
		ws.Removed = removed
		if err != nil {
			return ws, fmt.Errorf("writing %s: %w", f.dir, err)
		}
	}
	for _, p := range staged {
		if err := tx.rename(p); err != nil {
			return ws, err
		}
		ws.Written++
	}
	if err := placeFolders(f.root, st.plan); err != nil {
		return ws, fmt.Errorf("writing %s: %w", f.dir, err)
	}
	changed := ws.Written > 0 || ws.Removed > 0 || len(st.plan.claimed) > 0 || len(st.plan.replaced) > 0
	manifest, encoded, err := tx.recordAfter(last, changed)
	if err != nil {
		return ws, fmt.Errorf("writing %s: %w", f.dir, err)
	}
	f.created = nil // committed: the folder stays
	ws.Commit = f.nextCommit()
	next := &memory{owned: tx.produced, sums: st.sums, manifest: manifest, encoded: encoded, commit: ws.Commit, produced: tx.list}
	if tx.steady {
		next.seen, next.steady = last.seen, last.steady // the same files and folders
	} else {
		next.seen = st.plan.scan.after(st.plan, tx.produced, gone)
	}
	f.mem = next
	return ws, nil
}

// recordBefore records in the manifest, before anything changes, every
// file the folder may be left with, so that a commit cut short still
// knows every file it may have left as its own. When the manifest the
// Folder remembers (last) lists them all already, it neither writes nor
// reads it.
func (tx *folderTx) recordBefore(last *memory) error {
	owned := tx.st.plan.owned
	if tx.steady || last != nil && subset(tx.produced, last.owned) && subset(owned, last.owned) {
		return nil
	}
	_, err := writeManifest(tx.f.root, encodeManifest(union(owned, tx.produced)), false)
	return err
}

// recordAfter records exactly the produced files, replacing the
// manifest whenever the commit changed the folder (see writeManifest),
// and returns its identity and bytes. When the set is the one the Folder
// remembers, its bytes are reused and nothing is read.
func (tx *folderTx) recordAfter(last *memory, changed bool) (os.FileInfo, []byte, error) {
	if tx.steady || last != nil && len(tx.produced) == len(last.owned) && subset(tx.produced, last.owned) {
		if !changed {
			return last.manifest, last.encoded, nil
		}
		info, err := writeManifest(tx.f.root, last.encoded, true)
		return info, last.encoded, err
	}
	data := encodeManifest(tx.produced)
	info, err := writeManifest(tx.f.root, data, changed)
	return info, data, err
}

// Discard removes what was staged; the folder is left as it was, and
// what the Folder remembers still holds.
func (tx *folderTx) Discard() {
	f := tx.f
	f.mu.Lock()
	defer f.mu.Unlock()
	if tx.done {
		return
	}
	defer tx.end()
	_, _, _ = tx.st.finish()
	tx.discardStaged()
}

// end closes the folder after a transaction, once.
func (tx *folderTx) end() {
	if !tx.done {
		tx.done = true
		tx.f.running = false
		tx.f.release()
	}
}

// discardStaged undoes a failed staging: the staged files and the
// folders made for them. Removing a folder that is not empty fails, so
// nothing else can go.
func (tx *folderTx) discardStaged() {
	st, root := tx.st, tx.f.root
	for _, p := range st.staged {
		_ = root.Remove(tmpName(p))
	}
	for _, p := range st.direct {
		_ = root.Remove(p)
	}
	// Workers create folders concurrently, so st.created is not in
	// order; a child's path is always longer than its parent's.
	for _, d := range sortedDeepestFirst(st.created) {
		_ = root.Remove(d)
	}
	_ = root.RemoveAll(shadowDir)
}

// rename moves the file staged for p into its place.
func (tx *folderTx) rename(p string) error {
	root, pl := tx.f.root, tx.st.plan
	if info, err := root.Lstat(p); err == nil && info.IsDir() {
		// What is left of a folder of an older build where this one has
		// a file: planWrite made sure it holds nothing of anyone else's.
		// A folder it did not know of is someone else's.
		if !pl.scan.dirs[p] {
			return fmt.Errorf("writing %s: a folder dealsite did not make is where the build writes a file", joinPath(tx.f.dir, p))
		}
		if err := root.RemoveAll(p); err != nil {
			return fmt.Errorf("writing %s: %w", joinPath(tx.f.dir, p), err)
		}
	}
	if err := root.Rename(tmpName(p), p); err != nil {
		return fmt.Errorf("writing %s: %w", joinPath(tx.f.dir, p), err)
	}
	return nil
}

// placeFolders moves the folders staged apart into the places of the
// files they replace, now deleted.
func placeFolders(root *os.Root, pl *writePlan) error {
	if len(pl.replaced) == 0 {
		return nil
	}
	for _, d := range sortedKeys(pl.replaced) {
		if err := root.Rename(path.Join(shadowDir, d), d); err != nil {
			return err
		}
	}
	return root.RemoveAll(shadowDir)
}

// removeStale deletes the files dealsite owns that the build does not
// produce, then the folders that leaves empty, but those the build
// needs; with clean, every empty folder. A path that is a folder now is
// not the file dealsite wrote and stays. It returns how many files it
// removed and the folders it removed.
func removeStale(root *os.Root, pl *writePlan, produced map[string]bool) (int, []string, error) {
	removed := 0
	dirs := map[string]bool{}
	for p := range pl.owned {
		if produced[p] {
			continue
		}
		if info, err := root.Lstat(p); err != nil || info.IsDir() {
			continue // gone already
		}
		if err := root.Remove(p); err != nil {
			return removed, nil, err
		}
		removed++
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	if pl.clean {
		for d := range pl.scan.dirs {
			dirs[d] = true
		}
	}
	for d := range pl.needed {
		delete(dirs, d)
	}
	gone, err := removeEmptyDirs(root, dirs)
	return removed, gone, err
}
