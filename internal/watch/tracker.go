package watch

import (
	"crypto/sha256"
	"errors"
	"io"
	"io/fs"
	"path"
	"slices"
	"time"
)

// racyWindow is how close to the moment it was read a file's modification
// time may be before (size, mtime) can no longer prove its content
// unchanged: a second write within the same timestamp tick keeps both.
// Such a "racy" file is hashed once more by the first walk after the
// window has passed. Two seconds covers the coarsest common file systems
// (FAT).
const racyWindow = 2 * time.Second

// tracker remembers the content of every file that counts and decides
// which of them changed. It is the one place that decides, whatever woke
// the watcher: events name paths to check, polls and rescans walk.
type tracker struct {
	fsys  fs.FS // the root
	rule  *rule
	now   func() time.Time
	files map[string]fileState // by slash path relative to the root
	// under indexes the known files by every folder above them ("."
	// included), so that forgetting a path looks at the files under it
	// only: scanning every file for each changed path made a burst of
	// changes quadratic in the size of the site.
	under map[string]map[string]bool
	buf   []byte // reused for hashing
	// looked counts the known files forget has looked at, for the test
	// that keeps its cost bounded by the files under its path.
	looked int
	// looking is the file being looked at, for an internal error if
	// that panics; "" between files.
	looking string
}

// fileState is what the tracker knows of one file.
type fileState struct {
	size  int64
	mtime time.Time
	racy  bool // mtime was within racyWindow of the read: hash again once the window has passed
	sum   [sha256.Size]byte
}

func newTracker(fsys fs.FS, r *rule, now func() time.Time) *tracker {
	return &tracker{fsys: fsys, rule: r, now: now, files: map[string]fileState{}, under: map[string]map[string]bool{}, buf: make([]byte, 64<<10)}
}

// scan walks every watched folder and returns the files that changed.
// With force every file is hashed again, trusting no size or time.
func (t *tracker) scan(force bool) []string {
	var changed []string
	for _, d := range t.rule.dirs {
		changed = append(changed, t.walk(d, force)...)
	}
	return changed
}

// knows reports whether rel is a file the tracker has seen (not a folder).
func (t *tracker) knows(rel string) bool {
	_, ok := t.files[rel]
	return ok
}

// check looks again at one path an event named and returns the files
// that changed: a file is hashed (an event is reason enough, whatever
// its size and time say), a folder is walked, and a path that is gone
// (or no longer counts) takes every file at or under it with it.
func (t *tracker) check(rel string) []string {
	info, err := t.stat(rel)
	switch {
	case err != nil || !t.rule.admits(rel, info.IsDir()):
		return t.forget(rel, nil)
	case info.IsDir():
		return t.walk(rel, false)
	}
	changed := t.forget(rel, map[string]bool{rel: true}) // it may have been a folder
	if t.update(rel, true) {
		changed = append(changed, rel)
	}
	return changed
}

// stat follows a symbolic link only where the build does: at a watched
// folder itself, and to a file. A link to a folder inside is not walked.
func (t *tracker) stat(rel string) (fs.FileInfo, error) {
	if t.isWatchedDir(rel) {
		return fs.Stat(t.fsys, rel)
	}
	info, err := fs.Lstat(t.fsys, rel)
	if err != nil || info.Mode()&fs.ModeSymlink == 0 {
		return info, err
	}
	info, err = fs.Stat(t.fsys, rel)
	if err == nil && info.IsDir() {
		return nil, errors.New("link to a folder")
	}
	return info, err
}

func (t *tracker) isWatchedDir(rel string) bool { return slices.Contains(t.rule.dirs, rel) }

// walk looks at everything under the folder rel, hashing only files whose
// size or time moved (all of them with force), and returns the files that
// changed, appeared or disappeared.
func (t *tracker) walk(rel string, force bool) []string {
	seen := map[string]bool{}
	var changed []string
	_ = fs.WalkDir(t.fsys, rel, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // gone or unreadable: its files count as deleted below
		}
		if p != rel && t.rule.skip(p, d.IsDir()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !(d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0) {
			return nil
		}
		if t.update(p, force) {
			changed = append(changed, p)
		}
		if _, ok := t.files[p]; ok {
			seen[p] = true
		}
		return nil
	})
	return append(changed, t.forget(rel, seen)...)
}

// update reads one file's state and reports whether its content differs
// from what was known (a new file differs). Without force the hash is
// skipped when size and modification time are unchanged and not racy.
// A path that is not a readable file is forgotten.
func (t *tracker) update(rel string, force bool) bool {
	t.looking = rel
	changed := t.updateOne(rel, force)
	t.looking = ""
	return changed
}

func (t *tracker) updateOne(rel string, force bool) bool {
	now := t.now()
	info, err := fs.Stat(t.fsys, rel)
	if err != nil || !info.Mode().IsRegular() {
		return len(t.forget(rel, nil)) > 0
	}
	old, known := t.files[rel]
	same := known && old.size == info.Size() && old.mtime.Equal(info.ModTime())
	if same && !force && (!old.racy || now.Sub(old.mtime) < racyWindow) {
		return false // a racy file is hashed once more when its window has passed
	}
	sum, err := t.hash(rel)
	if err != nil {
		return len(t.forget(rel, nil)) > 0
	}
	if !known {
		t.index(rel)
	}
	t.files[rel] = fileState{
		size:  info.Size(),
		mtime: info.ModTime(),
		racy:  info.ModTime().After(now.Add(-racyWindow)),
		sum:   sum,
	}
	return !known || old.sum != sum
}

func (t *tracker) hash(rel string) (sum [sha256.Size]byte, err error) {
	f, err := t.fsys.Open(rel)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.CopyBuffer(h, f, t.buf); err != nil {
		return sum, err
	}
	h.Sum(sum[:0])
	return sum, nil
}

// forget drops the known files at or under rel that are not in keep and
// returns them: they were deleted.
func (t *tracker) forget(rel string, keep map[string]bool) []string {
	candidates := make([]string, 0, len(t.under[rel])+1)
	if _, ok := t.files[rel]; ok {
		candidates = append(candidates, rel)
	}
	for p := range t.under[rel] {
		candidates = append(candidates, p)
	}
	var gone []string
	for _, p := range candidates {
		t.looked++
		if !keep[p] {
			t.drop(p)
			gone = append(gone, p)
		}
	}
	return gone
}

// index adds a newly known file to the folders above it.
func (t *tracker) index(p string) {
	for _, dir := range foldersAbove(p) {
		if t.under[dir] == nil {
			t.under[dir] = map[string]bool{}
		}
		t.under[dir][p] = true
	}
}

// drop forgets one known file.
func (t *tracker) drop(p string) {
	delete(t.files, p)
	for _, dir := range foldersAbove(p) {
		delete(t.under[dir], p)
		if len(t.under[dir]) == 0 {
			delete(t.under, dir)
		}
	}
}

// foldersAbove lists the folders containing p, innermost first, ending
// with ".": "content/2013/a.md" → "content/2013", "content", ".".
func foldersAbove(p string) []string {
	var dirs []string
	for dir := path.Dir(p); dir != "."; dir = path.Dir(dir) {
		dirs = append(dirs, dir)
	}
	return append(dirs, ".")
}
