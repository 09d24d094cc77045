package watch

import (
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/dealsite/dealsite/internal/content"
)

// Options say what to watch and how.
type Options struct {
	Root string   // the site folder
	Dirs []string // folders under Root to watch recursively; missing ones are picked up when created
	// Skip excludes more paths (slash-separated, relative to Root).
	Skip func(rel string, isDir bool) bool
	// Debounce is the quiet period after the last event; default 100ms.
	Debounce time.Duration
	// Poll, when positive, scans at this interval instead of using
	// file system events (for network drives and some container mounts).
	Poll time.Duration
	// Warn receives messages for the user, such as the inotify limit.
	Warn func(msg string)
}

// Batch is one set of changes.
type Batch struct {
	Paths  []string // changed, added or deleted files, relative to Root, sorted
	Rescan bool     // events were lost (queue overflow): treat everything as changed
}

// retry is how often a missing root or failed watch is retried.
const retry = time.Second

// Run watches until ctx is done and returns nil then. It returns an error
// only when watching cannot start at all.
func Run(ctx context.Context, opts Options, onChange func(Batch)) error {
	if opts.Debounce <= 0 {
		opts.Debounce = 100 * time.Millisecond
	}
	if opts.Warn == nil {
		opts.Warn = func(string) {}
	}
	w := &watcher{opts: opts, files: map[string]fileState{}}
	w.scan() // the baseline: nothing has changed yet
	src, err := w.newSource()
	if err != nil {
		return err
	}
	defer src.close()
	return w.loop(ctx, src, onChange)
}

// fileState is what a scan remembers of one file.
type fileState struct {
	size  int64
	mtime time.Time
	sum   [sha256.Size]byte
}

type watcher struct {
	opts  Options
	files map[string]fileState // by slash path relative to Root
	dirs  []string             // folders seen by the last scan, relative to Root
}

// loop runs the debounce timer and the callback, one call at a time.
func (w *watcher) loop(ctx context.Context, src source, onChange func(Batch)) error {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	retryTick := time.NewTicker(retry)
	defer retryTick.Stop()
	var (
		pending, rescan bool
		running         bool
		held            []string // changes found but not reported yet
		done            = make(chan struct{})
	)
	for {
		select {
		case <-ctx.Done():
			if running {
				<-done
			}
			return nil
		case ev := <-src.events():
			if ev.overflow {
				rescan = true
			}
			switch {
			case ev.tick && !pending:
				timer.Reset(0) // polling: scan now; the interval is the debounce
			case !ev.tick:
				timer.Reset(w.opts.Debounce)
			}
			pending = true
		case <-retryTick.C:
			if src.retry(w) {
				pending = true
				timer.Reset(w.opts.Debounce)
			}
		case <-timer.C:
			if running {
				continue // the follow-up scan waits for the call to return
			}
			pending = false
			changed, newDirs := w.scan()
			src.sync(w)
			held = merge(held, changed)
			switch {
			case src.polling() && len(changed) > 0:
				// Polling sees a burst in slices: report once a scan
				// finds nothing new, one interval later.
				continue
			case newDirs:
				// Files written into a folder before its watch was added
				// sent no events: wait one more quiet period for them.
				timer.Reset(w.opts.Debounce)
				continue
			}
			if len(held) == 0 && !rescan {
				continue
			}
			batch := Batch{Paths: held, Rescan: rescan}
			held, rescan, running = nil, false, true
			go func() {
				onChange(batch)
				done <- struct{}{}
			}()
		case <-done:
			running = false
			if pending {
				timer.Reset(w.opts.Debounce)
			}
		}
	}
}

// skip reports paths never watched.
func (w *watcher) skip(rel string, isDir bool) bool {
	name := path.Base(rel)
	if strings.HasPrefix(name, ".") || content.EditorLeftover(name) {
		return true
	}
	return w.opts.Skip != nil && w.opts.Skip(rel, isDir)
}

// scan walks the watched folders, updates what it remembers and returns
// the files whose content changed, appeared or disappeared, and whether
// it found folders the last scan did not have.
func (w *watcher) scan() (changed []string, newDirs bool) {
	seen := make(map[string]bool, len(w.files))
	var dirs []string
	for _, dir := range w.opts.Dirs {
		// Follow a watched folder that is a symlink, as the build does.
		root, err := filepath.EvalSymlinks(filepath.Join(w.opts.Root, filepath.FromSlash(dir)))
		if err != nil {
			continue
		}
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			sub, _ := filepath.Rel(root, p)
			rel := path.Join(dir, filepath.ToSlash(sub))
			if err != nil || (rel != dir && w.skip(rel, d.IsDir())) {
				if d != nil && d.IsDir() && err == nil {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				dirs = append(dirs, rel)
				return nil
			}
			if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
				return nil
			}
			seen[rel] = true
			if w.update(rel, p) {
				changed = append(changed, rel)
			}
			return nil
		})
	}
	for rel := range w.files {
		if !seen[rel] {
			delete(w.files, rel)
			changed = append(changed, rel)
		}
	}
	for _, d := range dirs {
		if _, known := slices.BinarySearch(w.dirs, d); !known {
			newDirs = true
			break
		}
	}
	slices.Sort(dirs)
	w.dirs = dirs
	slices.Sort(changed)
	return changed, newDirs
}

// merge adds b's paths to a, sorted and without duplicates.
func merge(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// update refreshes one file's state and reports a content change. The
// hash is computed only when size or modification time moved.
func (w *watcher) update(rel, p string) bool {
	info, err := os.Stat(p)
	if err != nil {
		return false // vanished mid-scan: the next scan records the deletion
	}
	old, known := w.files[rel]
	if known && old.size == info.Size() && old.mtime.Equal(info.ModTime()) {
		return false
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return false
	}
	st := fileState{size: info.Size(), mtime: info.ModTime(), sum: sha256.Sum256(data)}
	w.files[rel] = st
	return !known || old.sum != st.sum
}

// event is one wake-up from a source.
type event struct {
	overflow bool // events were lost: rescan and say so
	tick     bool // a poll tick rather than a file system event
}

// source wakes the loop: fsnotify or a poll ticker.
type source interface {
	events() <-chan event
	sync(w *watcher)       // after a scan: watch the folders it found
	retry(w *watcher) bool // periodic: re-add failed watches; true if that found something
	polling() bool         // wake-ups are ticks, not events
	close()
}

func (w *watcher) newSource() (source, error) {
	if w.opts.Poll > 0 {
		return newPoller(w.opts.Poll), nil
	}
	n, err := newNotifier(w)
	if errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENOSPC) {
		w.opts.Warn(limitMessage)
		return newPoller(retry), nil
	}
	return n, err
}

// limitMessage explains the inotify limits and the fallback.
const limitMessage = "the system's limit on file watches is reached, so dealsite falls back to scanning for changes every second. " +
	"To raise the limit: sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=1024 " +
	"(add the same settings to /etc/sysctl.conf to keep them)"
