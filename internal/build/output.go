package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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
	var ws WriteStats
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ws, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return ws, err
	}
	defer root.Close()
	unlock, err := lock(root)
	if err != nil {
		return ws, fmt.Errorf("locking %s: %w", dir, err)
	}
	defer unlock()
	staged, unchanged, err := o.stage(ctx, root)
	if err != nil {
		discard(root, staged)
		return ws, fmt.Errorf("writing %s: %w (the folder was left as it was)", dir, err)
	}
	ws.Unchanged = unchanged
	for _, p := range staged {
		if info, err := root.Lstat(p); err == nil && info.IsDir() {
			// A folder of an older build where this one has a file.
			if err := root.RemoveAll(p); err != nil {
				return ws, fmt.Errorf("writing %s: %w", path.Join(dir, p), err)
			}
		}
		if err := root.Rename(tmpName(p), p); err != nil {
			return ws, fmt.Errorf("writing %s: %w", path.Join(dir, p), err)
		}
		ws.Written++
	}
	ws.Removed, err = o.removeStale(root)
	return ws, err
}

// stage writes every changed file under its temporary name, on several
// workers (the work is mostly system calls), and returns the paths staged
// and the number already right. On an error or a cancelled ctx it returns
// the error with every path it staged, for the caller to discard.
func (o *Output) stage(ctx context.Context, root *os.Root) (staged []string, unchanged int, err error) {
	paths := o.Paths()
	outcome := make([]stageResult, len(paths))
	var dirs sync.Map // folders known to exist
	var failed atomic.Bool
	next := make(chan int)
	var wg sync.WaitGroup
	for range stageWorkers {
		wg.Go(func() {
			for i := range next {
				if failed.Load() {
					outcome[i] = stageResult{err: errStopped}
					continue
				}
				outcome[i] = o.stageOne(ctx, root, paths[i], &dirs)
				if outcome[i].err != nil {
					failed.Store(true)
				}
			}
		})
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, r := range outcome {
		switch {
		case r.staged:
			staged = append(staged, paths[i])
		case r.err != nil && (err == nil || err == errStopped):
			err = r.err
		case r.err == nil:
			unchanged++
		}
	}
	return staged, unchanged, err
}

// errStopped marks files not tried because another failed first.
var errStopped = errors.New("stopped after an earlier error")

// stageWorkers overlaps the system calls of staging; more than the CPUs
// helps because most of the time is spent waiting on the file system.
const stageWorkers = 8

type stageResult struct {
	staged bool
	err    error
}

func (o *Output) stageOne(ctx context.Context, root *os.Root, p string, dirs *sync.Map) stageResult {
	if err := ctx.Err(); err != nil {
		return stageResult{err: err}
	}
	if !fs.ValidPath(p) || strings.Contains(p, `\`) {
		return stageResult{err: fmt.Errorf("invalid output path %q", p)}
	}
	if same(root, p, o.files[p]) {
		return stageResult{}
	}
	if dir := path.Dir(p); dir != "." {
		if _, known := dirs.Load(dir); !known {
			if err := root.MkdirAll(dir, 0o755); err != nil {
				return stageResult{err: err}
			}
			dirs.Store(dir, true)
		}
	}
	if err := root.WriteFile(tmpName(p), o.files[p], 0o644); err != nil {
		_ = root.Remove(tmpName(p)) // a partial file (disk full, size limit)
		return stageResult{err: err}
	}
	return stageResult{staged: true}
}

// same reports whether p already holds exactly data, reading the file
// only when its size matches.
func same(root *os.Root, p string, data []byte) bool {
	info, err := root.Lstat(p)
	if err != nil || !info.Mode().IsRegular() || info.Size() != int64(len(data)) {
		return false
	}
	old, err := root.ReadFile(p)
	return err == nil && bytes.Equal(old, data)
}

func tmpName(p string) string { return path.Join(path.Dir(p), tmpPrefix+path.Base(p)) }

func discard(root *os.Root, staged []string) {
	for _, p := range staged {
		_ = root.Remove(tmpName(p))
	}
}

// removeStale deletes files under root that are not in the output
// (including temporary files an interrupted run left), then the folders
// left empty.
func (o *Output) removeStale(root *os.Root) (int, error) {
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
		case !o.has(p):
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
