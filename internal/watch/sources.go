package watch

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// poller wakes the loop at a fixed interval; the scan finds the changes.
type poller struct {
	ch     chan event
	ticker *time.Ticker
	stop   chan struct{}
}

func newPoller(every time.Duration) *poller {
	p := &poller{ch: make(chan event, 1), ticker: time.NewTicker(every), stop: make(chan struct{})}
	go func() {
		for {
			select {
			case <-p.stop:
				return
			case <-p.ticker.C:
				select {
				case p.ch <- event{tick: true}:
				default:
				}
			}
		}
	}()
	return p
}

func (p *poller) events() <-chan event { return p.ch }
func (p *poller) sync(*watcher)        {}
func (p *poller) retry(*watcher) bool  { return false }
func (p *poller) close()               { p.ticker.Stop(); close(p.stop) }

// notifier watches every folder with fsnotify. Folder watches (never file
// watches) see atomic saves, which replace the file by a rename.
type notifier struct {
	fs      *fsnotify.Watcher
	ch      chan event
	watched map[string]os.FileInfo // absolute folder paths with a watch, and what they were
	stop    chan struct{}
	limited bool // the watch limit was hit; the retry tick polls instead
}

func newNotifier(w *watcher) (*notifier, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	n := &notifier{fs: fsw, ch: make(chan event, 1), watched: map[string]os.FileInfo{}, stop: make(chan struct{})}
	go n.forward()
	n.sync(w)
	return n, nil
}

// forward turns fsnotify events and errors into wake-ups, dropping
// chmod-only events and draining errors so fsnotify never blocks.
func (n *notifier) forward() {
	for {
		var ev event
		select {
		case <-n.stop:
			return
		case e, ok := <-n.fs.Events:
			if !ok {
				return
			}
			if e.Op == fsnotify.Chmod {
				continue
			}
		case err, ok := <-n.fs.Errors:
			if !ok {
				return
			}
			ev.overflow = errors.Is(err, fsnotify.ErrEventOverflow)
		}
		select {
		case n.ch <- ev:
		default:
			if ev.overflow { // make sure an overflow is not lost behind a plain wake-up
				<-n.ch
				n.ch <- ev
			}
		}
	}
}

func (n *notifier) events() <-chan event { return n.ch }

// sync watches the root, the watched folders' parents and every folder
// the last scan found, and drops watches of folders that are gone or were
// replaced (a watch follows the old folder, not the name).
func (n *notifier) sync(w *watcher) {
	want := map[string]bool{filepath.Clean(w.opts.Root): true}
	for _, d := range w.dirs {
		want[filepath.Join(w.opts.Root, filepath.FromSlash(d))] = true
	}
	for _, d := range w.opts.Dirs {
		want[filepath.Dir(filepath.Join(w.opts.Root, filepath.FromSlash(d)))] = true
	}
	for dir, was := range n.watched {
		now, err := os.Stat(dir)
		if !want[dir] || err != nil || !os.SameFile(was, now) {
			_ = n.fs.Remove(dir)
			delete(n.watched, dir)
		}
	}
	for dir := range want {
		if n.watched[dir] != nil {
			continue
		}
		info, err := os.Stat(dir)
		if err != nil || !info.IsDir() {
			continue // not there (yet): retry adds it when it appears
		}
		err = n.fs.Add(dir)
		switch {
		case err == nil:
			n.watched[dir] = info
		case errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE):
			if !n.limited {
				w.opts.Warn(limitMessage)
			}
			n.limited = true
		}
	}
}

// retry re-adds watches that could not be added (a root that was
// deleted, say). When the watch limit was hit it reports true every
// tick, which turns the retry ticker into a poller.
func (n *notifier) retry(w *watcher) bool {
	before := len(n.watched)
	n.sync(w)
	return n.limited || len(n.watched) != before
}

func (n *notifier) polling() bool { return n.limited }

func (n *notifier) close() {
	close(n.stop)
	_ = n.fs.Close()
}

func (p *poller) polling() bool { return true }
