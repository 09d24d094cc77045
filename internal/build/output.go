package build

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"
	"syscall"

	"github.com/dealsite/dealsite/internal/site"
)

// Output is a complete built site in memory.
type Output struct {
	files map[string][]byte // slash path relative to the output root → bytes
	site  *site.Site        // the model the pages were rendered from
	stats Stats
}

// Site is the model the output was rendered from, for checks.
func (o *Output) Site() *site.Site { return o.site }

// Stats reports what the build produced.
func (o *Output) Stats() Stats { return o.stats }

// Paths lists every output file, sorted.
func (o *Output) Paths() []string { return sortedKeys(o.files) }

// File returns the bytes of one output file.
func (o *Output) File(p string) ([]byte, bool) {
	b, ok := o.files[p]
	return b, ok
}

func (o *Output) has(p string) bool {
	_, ok := o.files[p]
	return ok
}

// WriteStats counts what Write changed on disk.
type WriteStats struct {
	Written   int // files created or changed
	Unchanged int // files whose bytes were already right (left untouched)
	Removed   int // files deleted: stale ones dealsite wrote, and with Clean any other
	Kept      int // files dealsite did not write, left in place
}

// tmpPrefix marks files Write stages inside the output folder.
const tmpPrefix = ".dealsite-tmp-"

// Write makes dir hold the output, in two phases so that a failure or an
// interrupt never leaves a half-written site:
//
//  1. Stage: every new or changed file is written to a temporary name
//     beside its target. An error (disk full, permissions) or a cancelled
//     ctx removes the staged files and leaves dir as it was.
//  2. Commit: the staged files are renamed into place (fast, and not
//     interrupted by ctx), and the files dealsite wrote that the build
//     no longer produces are deleted.
//
// dir's manifest (ManifestName) lists the files dealsite wrote there, and
// only those are ever overwritten or deleted: other files are left in
// place and counted, and one where the build writes a file or needs a
// folder makes the write fail with a *ConflictError, changing nothing. A
// path may change between file and folder from one write to the next.
//
// Files whose bytes are already right are not touched, so their
// modification times stay and rsync or a CDN upload sends nothing. Every
// file system call that changes dir goes through an os.Root opened on
// it, so no name can reach outside it, even through a symlink planted
// inside. A lock on dir makes a second concurrent Write on the same
// folder wait its turn.
func (o *Output) Write(ctx context.Context, dir string) (WriteStats, error) {
	w, err := openOutputDir(dir)
	if err != nil {
		return WriteStats{}, err
	}
	defer w.close()
	produced := make(map[string]bool, len(o.files))
	for p := range o.files {
		produced[p] = true
	}
	plan, err := w.plan(produced, false, w.look())
	if err != nil {
		w.discard(nil)
		return WriteStats{}, err
	}
	st := w.stager(ctx, plan)
	for _, p := range o.Paths() {
		if st.put(p, o.files[p], 0) != nil {
			break
		}
	}
	return w.commit(st, produced)
}

// outputDir is an output folder opened and locked for writing.
type outputDir struct {
	dir     string
	root    *os.Root
	unlock  func()
	created []string // folders made to open dir, deepest first
	closed  bool
}

// openOutputDir creates dir if needed, opens it as an os.Root and locks
// it; a second writer waits for the lock.
func openOutputDir(dir string) (*outputDir, error) {
	created := missingDirs(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	unlock, err := lock(root)
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("locking %s: %w", dir, err)
	}
	return &outputDir{dir: dir, root: root, unlock: unlock, created: created}, nil
}

// spill opens an anonymous scratch file for article bodies (see
// content.Spill) inside the output folder, the one place a build writes:
// it is removed from the folder at once, so it can never be left behind
// or deployed, and the space returns when the build closes it.
func (w *outputDir) spill() (*os.File, error) {
	name := tmpPrefix + "bodies"
	f, err := w.root.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	if err := w.root.Remove(name); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// missingDirs lists dir and those of its parents that do not exist yet,
// deepest first.
func missingDirs(dir string) []string {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || filepath.Dir(d) == d {
			return missing
		}
		missing = append(missing, d)
	}
}

func (w *outputDir) close() {
	if w.closed {
		return
	}
	w.closed = true
	w.unlock()
	w.root.Close()
}

// survey is what a write learns of its folder before it writes: the
// manifest, and everything else the folder holds.
type survey struct {
	owned map[string]bool
	found bool // there is a manifest
	scan  *folderScan
	err   error
}

// look reads dir's manifest and scans dir in the background, so that
// the walk of a big folder overlaps the build's reading of the site; the
// function returned waits for the result. A folder this write created
// holds nothing to look at.
func (w *outputDir) look() func() survey {
	if len(w.created) > 0 {
		return func() survey { return survey{owned: map[string]bool{}, scan: &folderScan{}} }
	}
	done := make(chan survey, 1)
	go func() {
		var s survey
		s.owned, s.found, s.err = readManifest(w.root)
		if s.err == nil {
			if s.scan, s.err = scanFolder(w.dir); s.err != nil {
				s.err = fmt.Errorf("reading %s: %w", w.dir, s.err)
			}
		}
		done <- s
	}()
	return sync.OnceValue(func() survey { return <-done })
}

// plan removes what an interrupted write left in the folder and decides
// what a write of produced may replace, from what look found.
func (w *outputDir) plan(produced map[string]bool, clean bool, looked func() survey) (*writePlan, error) {
	s := looked()
	if s.err != nil {
		return nil, s.err
	}
	if err := removeLeftovers(w.root, s.scan.leftovers); err != nil {
		return nil, err
	}
	pl := planWrite(produced, s.owned, s.scan, clean)
	pl.manifest = s.found
	return pl, nil
}

// commit waits for st to finish staging, then records in the manifest
// every file the write may leave, deletes the stale files it owns,
// renames the staged files into place and records exactly the produced
// files. If staging failed, the staged files are removed and the folder
// is left as it was.
func (w *outputDir) commit(st *stager, produced map[string]bool) (WriteStats, error) {
	var ws WriteStats
	staged, unchanged, err := st.finish()
	if err == nil {
		// Before anything changes: if the write stops halfway, the next
		// one still knows every file it may have left as its own.
		err = writeManifest(w.root, union(st.plan.owned, produced))
	}
	if err != nil {
		w.discard(st)
		if errors.As(err, new(*ConflictError)) {
			return ws, err
		}
		return ws, fmt.Errorf("writing %s: %w (%w)", w.dir, err, errNothingWritten)
	}
	ws.Unchanged, ws.Written, ws.Kept = unchanged, len(st.direct), st.plan.foreign
	if ws.Removed, err = removeStale(w.root, st.plan, produced); err != nil {
		return ws, fmt.Errorf("writing %s: %w", w.dir, err)
	}
	for _, p := range staged {
		if err := w.rename(p); err != nil {
			return ws, err
		}
		ws.Written++
	}
	if err := placeFolders(w.root, st.plan); err != nil {
		return ws, fmt.Errorf("writing %s: %w", w.dir, err)
	}
	return ws, writeManifest(w.root, produced)
}

// rename moves the file staged for p into its place.
func (w *outputDir) rename(p string) error {
	if info, err := w.root.Lstat(p); err == nil && info.IsDir() {
		// What is left of a folder of an older build where this one has
		// a file: planWrite made sure it holds nothing of anyone else's.
		if err := w.root.RemoveAll(p); err != nil {
			return fmt.Errorf("writing %s: %w", joinPath(w.dir, p), err)
		}
	}
	if err := w.root.Rename(tmpName(p), p); err != nil {
		return fmt.Errorf("writing %s: %w", joinPath(w.dir, p), err)
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

// removeStale deletes the files dealsite owns that the write does not
// produce, then the folders that leaves empty, but those the build
// needs; with clean, every empty folder. A path that is a folder now is
// not the file dealsite wrote and stays.
func removeStale(root *os.Root, pl *writePlan, produced map[string]bool) (int, error) {
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
			return removed, err
		}
		removed++
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	if pl.clean {
		maps.Copy(dirs, pl.scan.dirs)
	}
	for d := range pl.needed {
		delete(dirs, d)
	}
	return removed, removeEmptyDirs(root, dirs)
}

// removeEmptyDirs removes those of dirs that are empty, deepest first.
func removeEmptyDirs(root *os.Root, dirs map[string]bool) error {
	// A child's path is longer than its parent's.
	for _, d := range slices.SortedFunc(maps.Keys(dirs), func(a, b string) int { return len(b) - len(a) }) {
		if err := root.Remove(d); err != nil && !isNotEmpty(err) && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// removeLeftovers deletes what an interrupted write left (temporary files
// and folders, by their names), and the folders that leaves empty.
func removeLeftovers(root *os.Root, leftovers []string) error {
	dirs := map[string]bool{}
	for _, p := range leftovers {
		if err := root.RemoveAll(p); err != nil {
			return err
		}
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	return removeEmptyDirs(root, dirs)
}

// union returns the paths in a or b.
func union(a, b map[string]bool) map[string]bool {
	u := maps.Clone(a)
	maps.Copy(u, b)
	return u
}

// discard undoes a failed staging: the staged files, the folders made
// for them, and the output folder itself if this write created it.
// Removing a folder that is not empty fails, so nothing else can go.
// st is nil when nothing was staged.
func (w *outputDir) discard(st *stager) {
	if st != nil {
		for _, p := range st.staged {
			_ = w.root.Remove(tmpName(p))
		}
		for _, p := range st.direct {
			_ = w.root.Remove(p)
		}
		// Workers create folders concurrently, so st.created is not in
		// order; a child's path is always longer than its parent's.
		slices.SortFunc(st.created, func(a, b string) int { return len(b) - len(a) })
		for _, d := range st.created {
			_ = w.root.Remove(d)
		}
	}
	if len(w.created) > 0 {
		w.close()
		for _, d := range w.created {
			_ = os.Remove(d)
		}
	}
}

func isNotEmpty(err error) bool {
	return errors.Is(err, syscall.ENOTEMPTY) || errors.Is(err, fs.ErrExist)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
