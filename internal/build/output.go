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
	"strings"
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
	Removed   int // stale files deleted
}

// tmpPrefix marks files Write stages inside the output folder.
const tmpPrefix = ".dealsite-tmp-"

// Write makes dir hold exactly the output, in two phases so that a
// failure or an interrupt never leaves a half-written site:
//
//  1. Stage: every new or changed file is written to a temporary name
//     beside its target. An error (disk full, permissions) or a cancelled
//     ctx removes the staged files and leaves dir as it was.
//  2. Commit: the staged files are renamed into place (fast, and not
//     interrupted by ctx), then files the build did not produce are
//     deleted, except a .git folder at the root.
//
// Files whose bytes are already right are not touched, so their
// modification times stay and rsync or a CDN upload sends nothing. Every
// file system call goes through an os.Root opened on dir, so no name can
// reach outside it, even through a symlink planted inside. A lock on dir
// makes a second concurrent Write on the same folder wait its turn.
func (o *Output) Write(ctx context.Context, dir string) (WriteStats, error) {
	w, err := openOutputDir(dir)
	if err != nil {
		return WriteStats{}, err
	}
	defer w.close()
	st := w.stager(ctx)
	for _, p := range o.Paths() {
		if st.put(p, o.files[p], 0) != nil {
			break
		}
	}
	return w.commit(st, o.has)
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

// commit waits for st to finish staging, then renames the staged files
// into place and deletes every file keep refuses. If staging failed, the
// staged files are removed and the folder is left as it was.
func (w *outputDir) commit(st *stager, keep func(string) bool) (WriteStats, error) {
	var ws WriteStats
	staged, unchanged, err := st.finish()
	if err != nil {
		w.discard(st)
		return ws, fmt.Errorf("writing %s: %w (%w)", w.dir, err, errNothingWritten)
	}
	ws.Unchanged = unchanged
	ws.Written = len(st.direct)
	for _, p := range staged {
		if info, err := w.root.Lstat(p); err == nil && info.IsDir() {
			// A folder of an older build where this one has a file.
			if err := w.root.RemoveAll(p); err != nil {
				return ws, fmt.Errorf("writing %s: %w", path.Join(w.dir, p), err)
			}
		}
		if err := w.root.Rename(tmpName(p), p); err != nil {
			return ws, fmt.Errorf("writing %s: %w", path.Join(w.dir, p), err)
		}
		ws.Written++
	}
	switch {
	case st.freshRoot:
		// This write created the folder: nothing in it is stale, and
		// walking 10,000 page folders to find that out took 0.3 s.
	case st.known != nil:
		ws.Removed, err = removeRemembered(w.root, st.known, keep)
	default:
		ws.Removed, err = removeStale(w.root, keep)
	}
	return ws, err
}

// removeRemembered deletes the files the last write left that this one
// did not produce, then their folders if empty. It is removeStale
// without walking the whole folder, for warm builds: the last write
// (which removed everything else) is remembered.
func removeRemembered(root *os.Root, last *writtenFiles, keep func(string) bool) (int, error) {
	removed := 0
	dirs := map[string]bool{}
	for p := range last.sums {
		if keep(p) {
			continue
		}
		if err := root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
		removed++
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	// Deepest first: a child's path is longer than its parent's.
	for _, d := range slices.SortedFunc(maps.Keys(dirs), func(a, b string) int { return len(b) - len(a) }) {
		if err := root.Remove(d); err != nil && !isNotEmpty(err) && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
	}
	return removed, nil
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

// removeStale deletes files under root that are not in the output
// (including temporary files an interrupted run left), then the folders
// left empty.
func removeStale(root *os.Root, keep func(string) bool) (int, error) {
	var stale, dirs []string
	err := fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case p == ".":
			return nil
		case p == ".git":
			return fs.SkipDir
		case d.IsDir():
			dirs = append(dirs, p)
		case !keep(p):
			stale = append(stale, p)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, p := range stale {
		if err := root.Remove(p); err != nil {
			return removed, err
		}
		if !strings.HasPrefix(path.Base(p), tmpPrefix) {
			removed++
		}
	}
	slices.Reverse(dirs) // children before parents
	for _, d := range dirs {
		if err := root.Remove(d); err != nil && !isNotEmpty(err) {
			return removed, err
		}
	}
	return removed, nil
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
