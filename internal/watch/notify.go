package watch

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/fsnotify/fsnotify"
)

// notifier keeps an fsnotify watch on every folder that counts, and on
// the root and the folders leading to the watched ones, so that watched
// folders created later are seen. It watches folders only, never files:
// a file watch follows the inode, which an editor's atomic save (write a
// new file, rename it over the old one) leaves behind.
//
// Everything runs on Run's goroutine: there are no locks.
type notifier struct {
	root    string // absolute
	rule    *rule
	fsw     *fsnotify.Watcher
	add     func(fsw *fsnotify.Watcher, dir string) error // fsnotify's Add; tests simulate the watch limit
	watched map[string]bool                               // folders with a watch, relative to root ("." is the root)
}

// limitError reports that the system's limit on inotify watches or
// instances was reached.
type limitError struct{ err error }

func (e limitError) Error() string { return e.err.Error() }
func (e limitError) Unwrap() error { return e.err }

// isLimit reports errors that mean "too many watches or watchers".
func isLimit(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE)
}

// limitMessage explains a limitError and the fallback to polling.
func limitMessage(err error, every string) string {
	if errors.Is(err, syscall.EMFILE) {
		return "cannot watch for file changes: too many inotify instances are open (" + err.Error() + "), so dealsite checks for changes every " + every + " instead. " +
			"To raise the limit, run: sudo sysctl fs.inotify.max_user_instances=1024 " +
			"(add fs.inotify.max_user_instances=1024 to /etc/sysctl.conf to keep it), or pass -poll to choose the interval"
	}
	return "cannot watch every folder: the system's limit on inotify watches is reached, so dealsite checks for changes every " + every + " instead. " +
		"To raise the limit, run: sudo sysctl fs.inotify.max_user_watches=524288 " +
		"(add fs.inotify.max_user_watches=524288 to /etc/sysctl.conf to keep it), or pass -poll to choose the interval"
}

func fsnotifyAdd(fsw *fsnotify.Watcher, dir string) error { return fsw.Add(dir) }

// newNotifier starts fsnotify and watches everything there is. A
// limitError means the caller should poll instead.
func newNotifier(root string, r *rule, add func(*fsnotify.Watcher, string) error) (*notifier, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		if isLimit(err) {
			return nil, limitError{err}
		}
		return nil, err
	}
	n := &notifier{root: root, rule: r, fsw: fsw, add: add, watched: map[string]bool{}}
	if _, err := n.ensure(); err != nil {
		n.close()
		return nil, err
	}
	return n, nil
}

func (n *notifier) close() { _ = n.fsw.Close() }

func (n *notifier) abs(rel string) string { return filepath.Join(n.root, filepath.FromSlash(rel)) }

// rel turns an event's name into a slash path relative to the root.
func (n *notifier) rel(name string) (string, bool) {
	if name == n.root {
		return ".", true
	}
	rest, ok := strings.CutPrefix(name, n.root+string(filepath.Separator))
	return filepath.ToSlash(rest), ok && rest != ""
}

// ensure adds the watches that are missing: on the root and the folders
// leading to each watched folder, and on each watched folder and
// everything in it. It returns the watched folders that had no watch and
// now have one (a root or folder that reappeared), whose files the
// caller should look at. Folders that do not exist yet are left for the
// next call.
func (n *notifier) ensure() ([]string, error) {
	var appeared []string
	for _, d := range n.rule.dirs {
		if n.watched[d] {
			continue
		}
		ok, err := n.watchPath(d)
		if err != nil {
			return appeared, err
		}
		if ok {
			appeared = append(appeared, d)
		}
	}
	return appeared, nil
}

// watchPath watches the folders from the root down to the watched folder
// d, then d and everything in it. It reports false if d does not exist.
func (n *notifier) watchPath(d string) (bool, error) {
	var chain []string
	for p := d; p != "."; p = path.Dir(p) {
		chain = append(chain, path.Dir(p))
	}
	for i := len(chain) - 1; i >= 0; i-- {
		if ok, err := n.watch(chain[i]); !ok || err != nil {
			return false, err
		}
	}
	return n.watchTree(d)
}

// watch adds one folder's watch if it has none. It reports false if the
// folder is not there (or not a folder).
func (n *notifier) watch(rel string) (bool, error) {
	if n.watched[rel] {
		return true, nil
	}
	abs := n.abs(rel)
	if info, err := os.Stat(abs); err != nil || !info.IsDir() {
		return false, nil
	}
	if err := n.add(n.fsw, abs); err != nil {
		if isLimit(err) {
			return false, limitError{err}
		}
		return false, nil // vanished meanwhile, or unreadable: nothing to watch
	}
	n.watched[rel] = true
	return true, nil
}

// watchTree watches the folder rel and every folder in it that counts.
// The watch is added before the folder is read, so a folder created
// inside meanwhile is either listed or reported by an event.
func (n *notifier) watchTree(rel string) (bool, error) {
	if ok, err := n.watch(rel); !ok || err != nil {
		return false, err
	}
	entries, _ := os.ReadDir(n.abs(rel))
	for _, e := range entries {
		child := path.Join(rel, e.Name())
		if !e.IsDir() || n.rule.skip(child, true) { // links to folders are not followed, as in the build
			continue
		}
		if _, err := n.watchTree(child); err != nil {
			return true, err
		}
	}
	return true, nil
}

// unwatch drops the watches of rel and every folder under it (gone, or
// moved: a watch would follow the folder to its new name but keep
// reporting the old one).
func (n *notifier) unwatch(rel string) {
	for w := range n.watched {
		if under(w, rel) {
			_ = n.fsw.Remove(n.abs(w))
			delete(n.watched, w)
		}
	}
}

// rewatch drops every watch and adds them again, after events were lost
// and folders may have come and gone unseen.
func (n *notifier) rewatch() error {
	n.unwatch(".")
	_, err := n.ensure()
	return err
}

// handle turns one fsnotify event into the paths the tracker should look
// at, keeping the watches in step: a new folder is watched at once, with
// everything already in it, and a removed or renamed one is dropped.
// Chmod-only events and paths that do not count give nothing.
func (n *notifier) handle(e fsnotify.Event) ([]string, error) {
	if !e.Has(fsnotify.Create) && !e.Has(fsnotify.Write) && !e.Has(fsnotify.Remove) && !e.Has(fsnotify.Rename) {
		return nil, nil // Chmod: touch, chmod; never a change of content
	}
	rel, ok := n.rel(e.Name)
	if !ok {
		return nil, nil
	}
	wasDir := n.watched[rel]
	if e.Has(fsnotify.Remove) || e.Has(fsnotify.Rename) {
		n.unwatch(rel)
	}
	if n.rule.leadsTo(rel) {
		// The root or a folder above watched ones came or went.
		appeared, err := n.ensure()
		if e.Has(fsnotify.Create) {
			return appeared, err
		}
		return n.rule.dirsUnder(rel), err
	}
	isDir := wasDir || slices.Contains(n.rule.dirs, rel) // a watched folder may be a link to one
	if e.Has(fsnotify.Create) && !isDir {
		info, err := os.Lstat(e.Name)
		isDir = err == nil && info.IsDir()
	}
	if !n.rule.admits(rel, isDir) {
		return nil, nil
	}
	if isDir && e.Has(fsnotify.Create) {
		if _, err := n.watchTree(rel); err != nil {
			return []string{rel}, err
		}
	}
	return []string{rel}, nil
}

// describe formats a non-overflow fsnotify error for the user.
func describe(err error) string {
	return fmt.Sprintf("file watching reported an error (%v); looking at every file again", err)
}
