package outdir

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
)

// DefaultName is the output folder a site builds into when none is
// given, inside the site folder.
const DefaultName = "public"

// Options change what a Folder's transactions may do.
type Options struct {
	// Clean lets a transaction delete or overwrite every file in the
	// folder, not only those its manifest says dealsite wrote; a .git
	// file or folder at the root is still never touched.
	Clean bool
}

// Stats counts what a commit changed.
type Stats struct {
	Written   int // files created or changed
	Unchanged int // files whose bytes were already right (left untouched)
	Removed   int // files deleted: stale ones dealsite wrote, and with Clean any other
	Kept      int // files dealsite did not write, left in place
	// Commit identifies the commit for a later transaction's KeepRest;
	// 0 when the target cannot vouch for what it holds.
	Commit uint64
}

// A Folder is an output folder on disk. It is open (its os.Root and
// lock held) from Open or Begin to the end of a transaction or Close,
// and remembers what it wrote across transactions: see the package doc.
// A Folder runs one transaction at a time.
type Folder struct {
	dir  string
	opts Options
	seed maphash.Seed // of the checksums it remembers, fixed for its life

	mu      sync.Mutex
	root    *os.Root // nil while closed
	unlock  func()
	dirfd   int           // the open folder's descriptor while the lock holds it, or -1 (see createNew)
	created []string      // folders made to open dir, deepest first, until a commit
	looking func() survey // the look at the folder, when mem is not trusted
	mem     *memory       // what the folder holds, as far as this Folder knows
	running bool          // a transaction is running
	commits uint64        // the last commit's ID; they start at random (see nextCommit)
}

// memory is what a Folder knows of its folder after a commit: enough to
// plan the next transaction without reading the manifest or walking the
// folder.
type memory struct {
	owned    map[string]bool   // the manifest's files
	seen     *folderScan       // every file and folder, dealsite's and others'
	sums     map[string]uint64 // checksums of the files dealsite left there
	manifest os.FileInfo       // the manifest as the last commit left it
	encoded  []byte            // and its bytes
	commit   uint64            // the commit that left it (Stats.Commit)
	produced []string          // owned, sorted: as the commit's Begin was given it
	steady   *writePlan        // the plan of a transaction producing the same files, once made
}

// Open creates dir if needed, opens it and takes its lock (waiting while
// another dealsite writes it), and starts reading its manifest and
// listing it in the background, so that the look overlaps the build's
// own reading of the site.
func Open(dir string, opts Options) (*Folder, error) {
	f := &Folder{dir: dir, opts: opts, seed: maphash.MakeSeed(), commits: rand.Uint64(), dirfd: -1}
	if err := f.open(); err != nil {
		return nil, err
	}
	return f, nil
}

// open opens the folder and decides whether what f remembers still
// holds: it does when the manifest is the very file f's last commit
// left. Otherwise f looks at the folder afresh.
func (f *Folder) open() error {
	created := missingDirs(f.dir)
	if err := os.MkdirAll(f.dir, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(f.dir)
	if err != nil {
		return err
	}
	unlock, dirfd, err := lock(root)
	if err != nil {
		root.Close()
		return fmt.Errorf("locking %s: %w", f.dir, err)
	}
	f.root, f.unlock, f.dirfd, f.created = root, unlock, dirfd, created
	if f.mem != nil && (len(created) > 0 || !f.mem.stillOurs(root)) {
		f.mem = nil // changed behind our back: an rm -rf, another build
	}
	if f.mem == nil {
		f.looking = f.look()
	}
	return nil
}

// stillOurs reports whether the manifest is the file the last commit
// left. Every commit that changes the folder replaces the manifest by a
// rename, so another writer's commit always gives it a new identity.
func (m *memory) stillOurs(root *os.Root) bool {
	info, err := root.Lstat(ManifestName)
	return err == nil && os.SameFile(info, m.manifest) && info.ModTime().Equal(m.manifest.ModTime()) && info.Size() == m.manifest.Size()
}

// Close releases the folder's lock. If the folder was created by Open
// and nothing was committed into it, it is removed again. What f
// remembers stays: a later Begin reopens the folder and trusts it as
// long as nothing else has written there.
func (f *Folder) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.root == nil {
		return nil
	}
	if f.looking != nil {
		f.looking() // never leave the look running past the lock
	}
	f.release()
	return nil
}

// release ends the open state; a folder this open created that holds
// nothing goes again.
func (f *Folder) release() {
	f.unlock()
	f.dirfd = -1
	f.root.Close()
	f.root, f.looking = nil, nil
	for _, d := range f.created {
		_ = os.Remove(d) // fails, harmlessly, once something is in it
	}
	if len(f.created) > 0 {
		f.mem = nil
	}
	f.created = nil
}

// Scratch opens an anonymous scratch file inside the open folder, the
// one place a build writes anyway: it is removed from the folder at
// once, so it can never be left behind or deployed, and its space
// returns when the caller closes it.
func (f *Folder) Scratch() (*os.File, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.root == nil {
		return nil, errors.New("outdir: Scratch on a closed folder")
	}
	name := tmpPrefix + "bodies"
	file, err := f.root.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.root.Remove(name); err != nil {
		file.Close()
		return nil, err
	}
	return file, nil
}

// Begin starts a transaction that makes the folder hold exactly the
// files produced (slash paths relative to the folder, sorted, not to be
// changed afterwards), besides the files dealsite did not write. It
// opens the folder if it is closed.
func (f *Folder) Begin(ctx context.Context, produced []string) (Tx, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.running {
		return nil, errors.New("outdir: a transaction is already running on " + f.dir)
	}
	if f.root == nil {
		if err := f.open(); err != nil {
			return nil, err
		}
	}
	if m := f.mem; m != nil && !f.opts.Clean && slices.Equal(produced, m.produced) {
		f.running = true
		return f.beginSteady(ctx, m), nil
	}
	set := make(map[string]bool, len(produced))
	for _, p := range produced {
		set[p] = true
	}
	pl, known, err := f.plan(set)
	if err != nil {
		f.release()
		return nil, err
	}
	f.running = true
	tx := &folderTx{f: f, produced: set, list: produced, st: newStager(ctx, f, pl, known)}
	if known != nil {
		tx.base = f.mem.commit
	}
	return tx, nil
}

// beginSteady begins a transaction producing the very files of the last
// commit, which f remembers (a text edit in watch): nothing is new, so
// nothing needs a look, and the plan of the last such transaction holds.
// Its commit is steady too (see folderTx.Commit): no stale file, and
// the manifest's list is the same.
func (f *Folder) beginSteady(ctx context.Context, m *memory) *folderTx {
	if m.steady == nil {
		m.steady = planWrite(m.owned, m.owned, m.seen, false)
		m.steady.manifest = true
	}
	return &folderTx{f: f, produced: m.owned, list: m.produced, st: newStager(ctx, f, m.steady, m.sums), base: m.commit, steady: true}
}

// nextCommit returns a new commit ID.
func (f *Folder) nextCommit() uint64 { return nextCommit(&f.commits) }

// nextCommit counts *last up, skipping 0. Each target's IDs count up
// from a random start, so that a KeepRest given another target's commit
// fails: two targets' IDs meet only if their starts, drawn from 2^64,
// fall within as many commits of each other.
func nextCommit(last *uint64) uint64 {
	*last++
	if *last == 0 {
		*last++
	}
	return *last
}

// plan decides what a transaction may do, from what f remembers or from
// a fresh look, and returns the checksums of the files as f left them
// (nil after a fresh look: every file is then compared on disk).
func (f *Folder) plan(produced map[string]bool) (*writePlan, map[string]uint64, error) {
	m := f.mem
	if m == nil {
		s := f.looking()
		f.looking = nil
		if s.err != nil {
			return nil, nil, s.err
		}
		if err := removeLeftovers(f.root, s.scan.leftovers); err != nil {
			return nil, nil, err
		}
		pl := planWrite(produced, s.owned, s.scan, f.opts.Clean)
		pl.manifest = s.found
		return pl, nil, nil
	}
	m.seen.lookAtNew(f.root, produced, m.owned)
	pl := planWrite(produced, m.owned, m.seen, f.opts.Clean)
	pl.manifest = true
	return pl, m.sums, nil
}

// survey is what a fresh look learns of a folder: the manifest, and
// everything else the folder holds.
type survey struct {
	owned map[string]bool
	found bool // there is a manifest
	scan  *folderScan
	err   error
}

// look reads the manifest and lists the folder in the background; the
// function returned waits for the result. A folder Open created holds
// nothing to look at.
func (f *Folder) look() func() survey {
	if len(f.created) > 0 {
		return func() survey { return survey{owned: map[string]bool{}, scan: newFolderScan()} }
	}
	root, dir := f.root, f.dir
	done := make(chan survey, 1)
	go func() {
		var s survey
		s.owned, s.found, s.err = readManifest(root)
		if s.err == nil {
			if s.scan, s.err = scanFolder(dir); s.err != nil {
				s.err = fmt.Errorf("reading %s: %w", dir, s.err)
			}
		}
		done <- s
	}()
	return sync.OnceValue(func() survey { return <-done })
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

// removeEmptyDirs removes those of dirs that are empty, deepest first,
// and returns the ones it removed.
func removeEmptyDirs(root *os.Root, dirs map[string]bool) ([]string, error) {
	var removed []string
	// A child's path is longer than its parent's.
	for _, d := range slices.SortedFunc(maps.Keys(dirs), func(a, b string) int { return len(b) - len(a) }) {
		err := root.Remove(d)
		switch {
		case err == nil:
			removed = append(removed, d)
		case !isNotEmpty(err) && !errors.Is(err, fs.ErrNotExist):
			return removed, err
		}
	}
	return removed, nil
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
	_, err := removeEmptyDirs(root, dirs)
	return err
}

// union returns the paths in a or b.
func union(a, b map[string]bool) map[string]bool {
	u := maps.Clone(a)
	maps.Copy(u, b)
	return u
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
