package watch

import (
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

	"github.com/fsnotify/fsnotify"
)

// notifier keeps an fsnotify watch on every folder that counts, and on
// the root and the folders leading to the watched ones, so that watched
// folders created later are seen. It watches folders only, never files:
// a file watch follows the inode, which an editor's atomic save (write a
// new file, rename it over the old one) leaves behind. For the same
// reason a link to a file is followed by watching the folder its target
// is in, wherever that is inside the root.
//
// Everything runs on Run's goroutine: there are no locks.
type notifier struct {
	root    string // absolute
	rule    *rule
	fsw     *fsnotify.Watcher
	add     func(fsw *fsnotify.Watcher, dir string) error // fsnotify's Add; tests simulate the watch limit
	watched map[string]bool                               // folders with a watch, relative to root ("." is the root)
	links   map[string]string                             // link files that count → their targets, both relative to root
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
	n := &notifier{root: root, rule: r, fsw: fsw, add: add, watched: map[string]bool{}, links: map[string]string{}}
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
// leading to each watched folder, on each watched folder and everything
// in it, and on the folders of link targets. It returns the paths to
// look at because their watch is new: watched folders that reappeared,
// and links whose target's folder did. Folders that do not exist yet
// are left for the next call.
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
	for link, target := range n.links {
		dir := path.Dir(target)
		if n.watched[dir] {
			continue
		}
		ok, err := n.watch(dir)
		if err != nil {
			return appeared, err
		}
		if ok {
			appeared = append(appeared, link)
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
		if n.rule.skip(child, e.IsDir()) {
			continue
		}
		var err error
		switch {
		case e.IsDir():
			_, err = n.watchTree(child)
		case e.Type()&fs.ModeSymlink != 0: // to a file: links to folders are not followed, as in the build
			err = n.follow(child)
		}
		if err != nil {
			return true, err
		}
	}
	return true, nil
}

// follow keeps track of the file rel if it is a link: the folder of its
// target is watched, so that an edit there counts as an edit to rel. Only
// targets inside the root are followed, as the build follows no others;
// a target that does not exist yet is watched for all the same.
func (n *notifier) follow(rel string) error {
	target, ok := n.linkTarget(rel)
	if !ok {
		delete(n.links, rel)
		return nil
	}
	n.links[rel] = target
	_, err := n.watch(path.Dir(target))
	return err
}

// linkTarget is where the link rel finally leads, relative to the root,
// if rel is a link and that place is inside the root.
func (n *notifier) linkTarget(rel string) (string, bool) {
	abs := n.abs(rel)
	if info, err := os.Lstat(abs); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		return "", false
	}
	root, err := filepath.EvalSymlinks(n.root)
	if err != nil {
		return "", false
	}
	dest, err := resolveLink(abs)
	if err != nil {
		return "", false
	}
	inside, err := filepath.Rel(root, dest)
	if err != nil || !filepath.IsLocal(inside) {
		return "", false
	}
	return filepath.ToSlash(inside), true
}

// resolveLink is the real path a link leads to. When the target does not
// exist (yet), its folder is resolved instead and the name kept.
func resolveLink(abs string) (string, error) {
	if dest, err := filepath.EvalSymlinks(abs); err == nil {
		return dest, nil
	}
	dest, err := os.Readlink(abs)
	if err != nil {
		return "", err
	}
	if !filepath.IsAbs(dest) {
		from, err := filepath.EvalSymlinks(filepath.Dir(abs))
		if err != nil {
			return "", err
		}
		dest = filepath.Join(from, dest)
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(dest))
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.Base(dest)), nil
}

// linksInto lists the links whose target is rel or lies under it.
func (n *notifier) linksInto(rel string) []string {
	var links []string
	for link, target := range n.links {
		if under(target, rel) {
			links = append(links, link)
		}
	}
	return links
}

// unwatch drops the watches of rel and every folder under it (gone, or
// moved: a watch would follow the folder to its new name but keep
// reporting the old one), and forgets the links in them. Links into
// them keep their targets: the folder is watched again if it comes back.
func (n *notifier) unwatch(rel string) {
	for w := range n.watched {
		if under(w, rel) {
			_ = n.fsw.Remove(n.abs(w))
			delete(n.watched, w)
		}
	}
	for link := range n.links {
		if under(link, rel) {
			delete(n.links, link)
		}
	}
}

// rewatch drops every watch and adds them again, after events were lost
// and folders may have come and gone unseen.
func (n *notifier) rewatch() error {
	n.unwatch(".") // and the links: watchTree finds them again
	_, err := n.ensure()
	return err
}

// handle turns one fsnotify event into the paths the tracker should look
// at, keeping the watches in step: a new folder is watched at once, with
// everything already in it, and a removed or renamed one is dropped.
// An event on a link's target names the link too. Chmod-only events and
// paths that do not count give nothing.
func (n *notifier) handle(e fsnotify.Event) ([]string, error) {
	if !e.Has(fsnotify.Create) && !e.Has(fsnotify.Write) && !e.Has(fsnotify.Remove) && !e.Has(fsnotify.Rename) {
		return nil, nil // Chmod: touch, chmod; never a change of content
	}
	rel, ok := n.rel(e.Name)
	if !ok {
		return nil, nil
	}
	paths, err := n.changed(e, rel)
	paths = append(paths, n.linksInto(rel)...)
	if err == nil && (e.Has(fsnotify.Remove) || e.Has(fsnotify.Rename)) {
		var lost []string
		lost, err = n.restoreLost()
		paths = append(paths, lost...)
	}
	return paths, err
}

// restoreLost watches again the folders that lost their watch when
// another name's was dropped, and returns them, for what changed in
// them meanwhile. inotify has one watch per folder, whatever its name: a
// folder moved within the watched tree keeps its watch, which fsnotify
// still files under the old name until the move's event is handled. If
// a walk meets the folder at its new name first (mkdir -p and mv at
// once), adding it returns that same watch, and dropping the old name
// then drops the watch of the new one as well.
func (n *notifier) restoreLost() ([]string, error) {
	listed := map[string]bool{}
	for _, p := range n.fsw.WatchList() {
		listed[p] = true
	}
	var lost []string
	for _, w := range slices.Sorted(maps.Keys(n.watched)) {
		if listed[n.abs(w)] {
			continue
		}
		delete(n.watched, w)
		ok, err := n.watchTree(w)
		if err != nil {
			return lost, err
		}
		if ok {
			lost = append(lost, w)
		}
	}
	return lost, nil
}

// changed is handle for the path the event names.
func (n *notifier) changed(e fsnotify.Event, rel string) ([]string, error) {
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
	var err error
	switch {
	case isDir && e.Has(fsnotify.Create):
		_, err = n.watchTree(rel)
	case !isDir:
		err = n.follow(rel) // a link made, replaced or removed
	}
	return []string{rel}, err
}

// describe formats a non-overflow fsnotify error for the user.
func describe(err error) string {
	return fmt.Sprintf("file watching reported an error (%v); looking at every file again", err)
}
