package outdir

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/dealsite/dealsite/internal/diag"
)

// This file is how files reach the output folder: the stager writes each
// one beside its target (or in place, in a folder the transaction
// created) while the build goes on, on a few workers, and records the
// checksum of every file for the Folder to remember. Commit and Discard,
// in tx.go, finish or undo its work.

// A stager writes files under their temporary names as they arrive, on
// several workers (the work is mostly system calls, and a build keeps
// rendering meanwhile). Files whose bytes are already there are left
// alone. After the first error it stages nothing more.
type stager struct {
	ctx   context.Context // cancelled at the first error
	g     *errgroup.Group
	root  *os.Root
	dirfd int      // root's folder open, or -1 (see createNew)
	dir   string   // the folder root is open on
	dirs  sync.Map // folder → true if this transaction created it, false if it was there
	// freshRoot: opening the Folder created the output folder.
	freshRoot bool
	failed    atomic.Bool

	seed  maphash.Seed
	known map[string]uint64 // checksums of the folder's files as the Folder left them; nil after a fresh look
	plan  *writePlan        // what the transaction may replace

	mu        sync.Mutex
	sums      map[string]uint64 // checksums of the files produced, for the Folder to remember
	staged    []string          // written under a temporary name
	direct    []string          // written in place, into a folder this transaction made
	created   []string          // folders made for staged files
	conflicts []string          // files dealsite did not write, with other bytes than the build's
	unchanged int
	err       error
	finished  bool
}

type stagedFile struct {
	path string
	data []byte
	key  uint64
}

// stageWorkers overlaps the system calls of staging; more than the CPUs
// helps because most of the time is spent waiting on the file system.
const stageWorkers = 8

// newStager starts staging into f's open folder under the rules of plan.
func newStager(ctx context.Context, f *Folder, plan *writePlan, known map[string]uint64) *stager {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(stageWorkers)
	return &stager{ctx: gctx, g: g, root: f.root, dirfd: f.dirfd, dir: f.dir, freshRoot: len(f.created) > 0,
		seed: f.seed, known: known, plan: plan, sums: map[string]uint64{}, conflicts: slices.Clone(plan.conflicts)}
}

// put queues one file, waiting while every worker is busy. key, when
// not 0, identifies data and saves hashing it. put returns ErrStopped
// once staging has failed, so that the caller can stop early.
func (st *stager) put(p string, data []byte, key uint64) error {
	if st.failed.Load() {
		return ErrStopped
	}
	f := stagedFile{p, data, key}
	st.g.Go(func() error {
		if st.failed.Load() {
			return nil
		}
		return st.stage(f)
	})
	return nil
}

// sum records the checksum of f's bytes, or its key, and reports whether
// it is the one the Folder remembers for its path.
func (st *stager) sum(f stagedFile) (known bool) {
	sum := f.key
	if sum == 0 {
		sum = maphash.Bytes(st.seed, f.data)
	}
	st.mu.Lock()
	st.sums[f.path] = sum
	st.mu.Unlock()
	last, ok := st.known[f.path]
	return ok && last == sum
}

// stream writes one file as write produces it, on the caller's
// goroutine: for the largest pages, which are never held whole. Unlike
// put it cannot compare before writing, so a file going next to an
// existing one is written under its temporary name and compared after.
// An error from write is returned as is, with nothing left behind; an
// error writing the file fails the staging like put's.
func (st *stager) stream(p string, write func(io.Writer) error) error {
	if st.failed.Load() {
		return ErrStopped
	}
	how, writeErr, err := st.streamOne(p, write)
	st.mu.Lock()
	defer st.mu.Unlock()
	switch {
	case writeErr != nil:
		return writeErr
	case err != nil:
		if st.err == nil {
			st.err = err
		}
		st.failed.Store(true)
		return ErrStopped
	case how == stagedAside:
		st.staged = append(st.staged, st.target(p))
	case how == stagedInPlace:
		st.direct = append(st.direct, st.target(p))
	default:
		st.unchanged++
	}
	return nil
}

func (st *stager) streamOne(p string, write func(io.Writer) error) (how int, writeErr, err error) {
	if err := st.ctx.Err(); err != nil {
		return unchanged, nil, err
	}
	if !fs.ValidPath(p) || strings.Contains(p, `\`) {
		return unchanged, nil, fmt.Errorf("invalid output path %q", p)
	}
	target := st.target(p)
	if target == "" {
		return unchanged, nil, nil
	}
	name, how := tmpName(target), stagedAside
	if st.isNew(path.Dir(target)) {
		name, how = target, stagedInPlace
	} else if err := st.mkdirs(path.Dir(target)); err != nil {
		return unchanged, nil, err
	}
	f, err := st.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return unchanged, nil, err
	}
	fw := &firstError{w: f}
	var h maphash.Hash
	h.SetSeed(st.seed)
	bw := streamBuffers.Get().(*bufio.Writer)
	defer streamBuffers.Put(bw)
	bw.Reset(io.MultiWriter(fw, &h))
	defer bw.Reset(nil) // hold on to neither the file nor the hash
	writeErr = write(bw)
	if writeErr == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if fw.err != nil { // the disk's error, whatever write made of it
		writeErr, err = nil, fw.err
	}
	if writeErr != nil || err != nil {
		_ = st.root.Remove(name)
		return unchanged, writeErr, err
	}
	st.mu.Lock()
	st.sums[p] = h.Sum64()
	st.mu.Unlock()
	if how == stagedAside && target == p && sameFiles(st.root, p, name) {
		_ = st.root.Remove(name)
		return unchanged, nil, nil
	}
	if st.plan.claimed[p] {
		_ = st.root.Remove(name)
		st.conflict(p)
		return unchanged, nil, nil
	}
	return how, nil, nil
}

// streamBuffers are the write buffers of streamed files, reused: a
// clean build streams hundreds of large pages, and a new 256 KB buffer
// each was garbage for the collector.
var streamBuffers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 256<<10) }}

// claim looks at a file dealsite did not write where it writes f: one
// with the very same bytes becomes its own, unchanged; any other stops
// the write.
func (st *stager) claim(f stagedFile) {
	if !st.holds(f.path, f.data) {
		st.conflict(f.path)
	}
	st.sum(f)
}

// conflict records that p, a file dealsite did not write, is where the
// build writes other bytes.
func (st *stager) conflict(p string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.conflicts = append(st.conflicts, p+": a file dealsite did not write is where the build writes one")
}

// target is where p is staged: its own place, or, under a file of an
// older build that becomes a folder, the same path in a folder apart,
// moved into place on commit once the file is gone. It is "" under a
// file dealsite did not write: the write is refused, so p is not staged.
func (st *stager) target(p string) string {
	switch f := st.plan.fileOnTheWay(p); {
	case f == "":
		return p
	case st.plan.replaced[f]:
		return path.Join(shadowDir, p)
	}
	return ""
}

// shadowDir holds the files staged under a file that becomes a folder.
const shadowDir = tmpPrefix + "folders"

// firstError remembers the first error of the writer it wraps.
type firstError struct {
	w   io.Writer
	err error
}

func (f *firstError) Write(b []byte) (int, error) {
	n, err := f.w.Write(b)
	if err != nil && f.err == nil {
		f.err = err
	}
	return n, err
}

// sameFiles reports whether the regular files a and b hold the same bytes.
func sameFiles(root *os.Root, a, b string) bool {
	ia, err := root.Lstat(a)
	if err != nil || !ia.Mode().IsRegular() {
		return false
	}
	ib, err := root.Lstat(b)
	if err != nil || ia.Size() != ib.Size() {
		return false
	}
	fa, err := root.Open(a)
	if err != nil {
		return false
	}
	defer fa.Close()
	fb, err := root.Open(b)
	if err != nil {
		return false
	}
	defer fb.Close()
	ra, rb := bufio.NewReaderSize(fa, 64<<10), bufio.NewReaderSize(fb, 64<<10)
	bufA, bufB := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		na, errA := io.ReadFull(ra, bufA)
		nb, errB := io.ReadFull(rb, bufB)
		if na != nb || !bytes.Equal(bufA[:na], bufB[:nb]) {
			return false
		}
		if errA != nil || errB != nil {
			return errors.Is(errA, io.ErrUnexpectedEOF) || errors.Is(errA, io.EOF)
		}
	}
}

// finish waits for the queued files and returns the paths staged (to be
// renamed into place, or discarded on an error), sorted, and how many
// were already right. Files dealsite did not write in the way of the
// build are a *ConflictError. It may be called more than once.
func (st *stager) finish() (staged []string, unchanged int, err error) {
	if !st.finished {
		st.finished = true
		if err := st.g.Wait(); err != nil && st.err == nil {
			st.err = err
		}
		slices.Sort(st.staged)
		if st.err == nil && len(st.conflicts) > 0 {
			st.err = &ConflictError{Dir: st.dir, Conflicts: slices.Sorted(slices.Values(st.conflicts)), Manifest: st.plan.manifest}
		}
	}
	return st.staged, st.unchanged, st.err
}

// stage writes one file on a worker and records how; its error stops
// the others.
func (st *stager) stage(f stagedFile) error {
	how, err := st.stageRecovering(f)
	st.mu.Lock()
	defer st.mu.Unlock()
	switch {
	case how == stagedAside:
		st.staged = append(st.staged, st.target(f.path))
	case how == stagedInPlace:
		st.direct = append(st.direct, st.target(f.path))
	case err != nil:
		st.failed.Store(true)
		return err
	default:
		st.unchanged++
	}
	return nil
}

// stageRecovering is stageOne on a worker goroutine, where a panic
// would end the process: it fails the write as an internal error
// naming the file instead, as the rest of the pipeline does.
func (st *stager) stageRecovering(f stagedFile) (how int, err error) {
	defer diag.Recover(&err, "", "writing "+f.path)
	return st.stageOne(f)
}

// How a file was staged.
const (
	unchanged     = iota // already right on disk
	stagedAside          // under its temporary name, renamed on commit
	stagedInPlace        // under its own name: its folder is new
)

// stageOne writes one file. A file in a folder this write created cannot
// replace anything, so it goes straight to its own name (a failed build
// removes it with the folder); that saves a rename per file, which is
// most of a clean build's writing.
func (st *stager) stageOne(f stagedFile) (how int, err error) {
	p, data := f.path, f.data
	if err := st.ctx.Err(); err != nil {
		return unchanged, err
	}
	if !fs.ValidPath(p) || strings.Contains(p, `\`) {
		return unchanged, fmt.Errorf("invalid output path %q", p)
	}
	if st.plan.claimed[p] {
		st.claim(f)
		return unchanged, nil
	}
	if st.sum(f) {
		// As the Folder left it: nothing on disk is looked at.
		return unchanged, nil
	}
	target := st.target(p)
	if target == "" {
		return unchanged, nil
	}
	if dir := path.Dir(target); st.isNew(dir) {
		if err := st.writeNew(target, data); err != nil {
			_ = st.root.Remove(target) // a partial file (disk full, size limit)
			return unchanged, err
		}
		return stagedInPlace, nil
	}
	if target == p && st.holds(p, data) {
		return unchanged, nil
	}
	if err := st.mkdirs(path.Dir(target)); err != nil {
		return unchanged, err
	}
	if err := st.root.WriteFile(tmpName(target), data, 0o644); err != nil {
		_ = st.root.Remove(tmpName(target)) // a partial file (disk full, size limit)
		return unchanged, err
	}
	return stagedAside, nil
}

// writeNew writes a file into a folder this transaction created, where
// nothing can be in its way: created in one call where the system
// allows (createNew), else through the Root.
func (st *stager) writeNew(p string, data []byte) error {
	if done, err := createNew(st.dirfd, st.dir, p, data); done {
		return err
	}
	return st.root.WriteFile(p, data, 0o644)
}

// isNew makes sure the folder dir exists and reports whether this write
// created it (the output folder itself counts when Open made it).
func (st *stager) isNew(dir string) bool {
	if dir == "." {
		return st.freshRoot
	}
	if err := st.mkdirs(dir); err != nil {
		return false // stageOne's own mkdirs reports the error
	}
	isNew, _ := st.dirs.Load(dir)
	return isNew.(bool)
}

// mkdirs makes sure the folder dir exists, remembering the folders it
// creates so that a failed build can remove them again.
func (st *stager) mkdirs(dir string) error {
	if dir == "." {
		return nil
	}
	if _, known := st.dirs.Load(dir); known {
		return nil
	}
	if err := st.mkdirs(path.Dir(dir)); err != nil {
		return err
	}
	err := st.root.Mkdir(dir, 0o755)
	switch {
	case err == nil:
		st.mu.Lock()
		st.created = append(st.created, dir)
		st.mu.Unlock()
		st.dirs.Store(dir, true)
	case errors.Is(err, fs.ErrExist):
		// There already, or made by another worker just now; a file in
		// its place makes the write fail.
		st.dirs.LoadOrStore(dir, false)
	default:
		return err
	}
	return nil
}

// holds reports whether p is a regular file holding exactly data: in a
// few calls where the system allows (holdsBeneath), else through the
// Root.
func (st *stager) holds(p string, data []byte) bool {
	if same, ok := holdsBeneath(st.dirfd, p, data); ok {
		return same
	}
	return same(st.root, p, data)
}

// sizeIs reports whether p is a regular file of n bytes.
func sizeIs(root *os.Root, p string, n int) bool {
	info, err := root.Lstat(p)
	return err == nil && info.Mode().IsRegular() && info.Size() == int64(n)
}

// same reports whether p already holds exactly data, reading the file
// only when its size matches.
func same(root *os.Root, p string, data []byte) bool {
	if !sizeIs(root, p, len(data)) {
		return false
	}
	old, err := root.ReadFile(p)
	return err == nil && bytes.Equal(old, data)
}

func tmpName(p string) string { return path.Join(path.Dir(p), tmpPrefix+path.Base(p)) }
