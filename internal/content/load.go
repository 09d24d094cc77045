package content

import (
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/media"
	"golang.org/x/sync/errgroup"
)

// Dir is the folder of a site that holds its articles.
const Dir = "content"

// Content is everything read from a site's content/ folder.
type Content struct {
	Settings Settings
	Articles []*Article // sorted by Path
	// Broken lists files (articles or the settings) that exist but could
	// not be read or parsed, so later stages do not report them again as
	// missing.
	Broken []string
}

// Load reads content/ from fsys, which is rooted at the site folder.
// It returns every problem found in every file as one diag.List, and
// alongside it the content that did parse, so the caller can look for
// more problems (slug collisions, broken links) in the same run.
func Load(fsys fs.FS) (*Content, error) { return NewLoader().Load(fsys) }

// Loader loads sites and remembers what it read, so that a rebuild
// after an edit reads only what changed. Results are the same as a fresh
// Load. It is safe for one Load at a time.
//
// By default each load lists content/ again and stats every article,
// parsing only the files whose stamp or bytes changed. A caller that
// knows which files changed (a watcher) says so with Changed: the next
// load then looks at those paths only and reuses every other article
// without touching its file.
type Loader struct {
	markdown map[bool]*Markdown // by unsafe_html
	cache    map[string]cached  // by article path
	// users maps each file a cached parse used (an image) to the
	// articles that used it: the reverse index that makes a change of
	// that file read those articles again.
	users map[string]map[string]bool
	// Media are the settings that name image variants (see
	// Markdown.Media); the zero value means media.DefaultSettings. A
	// change makes the next Load parse every file again.
	Media media.Settings
	// Progress, when set, is called from the parsing goroutines as
	// articles are read: done of total so far. It must be safe for
	// concurrent use and quick.
	Progress func(done, total int)
	// Spill, when set, receives every body parsed (see Spill). Only for
	// a Loader used once: its cache would keep pointing into the file.
	Spill *Spill
	// ReservedIDs are the ids the theme's pages give their own
	// elements; heading ids avoid them (see NewMarkdown). A change
	// makes the next Load parse every file again.
	ReservedIDs []string
	reserved    string // ReservedIDs the markdown and cache were made for
	// now is the clock racy stamps are judged by (see settled).
	now func() time.Time
	// last is what the last completed load found; nil until there is
	// one, or when the next load must look at everything.
	last *listing
	// pending are the paths Changed named since the last completed load;
	// told says it was called, unknown that it was called with nil.
	pending       map[string]bool
	told, unknown bool
}

type cached struct {
	stamp   stamp
	sum     [sha256.Size]byte
	unsafe  bool
	article *Article
	err     error
	uses    []use // the files the parse read besides the article's own
}

// NewLoader returns a Loader with an empty cache.
func NewLoader() *Loader {
	return &Loader{markdown: map[bool]*Markdown{}, cache: map[string]cached{}, users: map[string]map[string]bool{}, now: time.Now, pending: map[string]bool{}}
}

func (l *Loader) md(unsafe bool) *Markdown {
	if l.markdown[unsafe] == nil {
		l.markdown[unsafe] = NewMarkdown(unsafe, l.ReservedIDs...)
		l.markdown[unsafe].Media = l.media()
	}
	return l.markdown[unsafe]
}

// reserve starts over with new markdown and an empty cache when
// ReservedIDs changed since the last Load.
func (l *Loader) reserve() {
	key := strings.Join(l.ReservedIDs, "\x00") + "\x01" + l.media().Key()
	if key == l.reserved {
		return
	}
	l.reserved = key
	clear(l.markdown)
	clear(l.cache)
	clear(l.users)
	l.last = nil
}

// media are the settings that name image variants.
func (l *Loader) media() media.Settings {
	if l.Media.Widths == nil && l.Media.Quality == 0 {
		return media.DefaultSettings
	}
	return l.Media
}

// Load is like the package's Load, reusing earlier parses.
func (l *Loader) Load(fsys fs.FS) (*Content, error) {
	return l.LoadContext(context.Background(), fsys)
}

// LoadContext is Load that stops parsing when ctx is done, then returns
// ctx's error and keeps its cache as it was (and the changes it was told
// of, for the next load).
func (l *Loader) LoadContext(ctx context.Context, fsys fs.FS) (*Content, error) {
	l.reserve()
	if info, err := fs.Stat(fsys, Dir); err != nil || !info.IsDir() {
		l.last = nil
		return nil, noContent() // nothing else to report
	}
	settings, roots := l.plan(fsys)
	found, diags, err := l.relist(ctx, fsys, roots, settings.unsafe)
	if err != nil {
		return nil, err
	}
	l.last = &listing{settings: settings, paths: found, problems: diags}
	clear(l.pending)
	l.told, l.unknown = false, false
	return l.assemble()
}

// plan reads the settings if they may have changed and returns them
// with the paths under content/ to look at again: every path Changed
// named, or content/ itself when there is no last load to start from,
// Changed was not told what changed, or the unsafe_html setting flipped
// (every article parses differently).
func (l *Loader) plan(fsys fs.FS) (settingsRead, []string) {
	all := l.last == nil || !l.told || l.unknown
	if all || underAny(SettingsPath, l.pending) {
		s := l.readSettings(fsys)
		if all || s.unsafe != l.last.settings.unsafe {
			return s, []string{Dir}
		}
		return s, l.pendingRoots()
	}
	return l.last.settings, l.pendingRoots()
}

// settingsRead is the settings file as the last load read it.
type settingsRead struct {
	settings Settings
	unsafe   bool
	err      error // its problems
	broken   bool  // it exists but could not be read or parsed
}

func (l *Loader) readSettings(fsys fs.FS) settingsRead {
	r := settingsRead{settings: DefaultSettings()}
	src, err := fs.ReadFile(fsys, SettingsPath)
	switch {
	case err == nil:
		r.unsafe = peekUnsafeHTML(src)
		r.settings, r.err = l.md(r.unsafe).ParseSettings(src)
		r.broken = r.err != nil
	case !errors.Is(err, fs.ErrNotExist):
		r.err = diag.New(diag.Unreadable, SettingsPath, 0, "cannot read: %v", unwrapPathError(err))
		r.broken = true
	}
	return r
}

// readAll reads and parses articles on every CPU, keeping path order
// and reusing cached parses of unchanged files. It leaves the cache as
// it is: the caller stores the results once the load is complete.
func (l *Loader) readAll(ctx context.Context, fsys fs.FS, paths []string, unsafe bool) []cached {
	results := make([]cached, len(paths))
	md := l.md(unsafe)
	var done atomic.Int64
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, p := range paths {
		g.Go(func() error {
			results[i] = l.readRecovering(ctx, md, fsys, p, unsafe)
			if l.Progress != nil {
				l.Progress(int(done.Add(1)), len(paths))
			}
			return nil // problems are in the results
		})
	}
	_ = g.Wait()
	if l.Spill != nil {
		_ = l.Spill.Flush() // an error stays in the Spill for its owner to report
	}
	return results
}

// spill moves a freshly parsed body into the Spill, if there is one.
func (l *Loader) spill(r *cached) {
	a := r.article
	if l.Spill == nil || a == nil || a.spilled != nil {
		return
	}
	at, err := l.Spill.store(a.Body)
	if err != nil {
		return // kept in memory; the Spill keeps the error
	}
	a.Body, a.spilled = "", &at
}

// readRecovering reads one article (readArticle, then spill) on a
// worker goroutine, where a panic would end the process: it becomes an
// internal error naming the file, with no stamp, so that it is not
// taken for a parse of the file's current bytes by the next build.
func (l *Loader) readRecovering(ctx context.Context, md *Markdown, fsys fs.FS, p string, unsafe bool) (r cached) {
	defer diag.Recover(&r.err, p, "reading this article")
	r = l.readArticle(ctx, md, fsys, p, unsafe)
	l.spill(&r)
	return r
}

// readArticle parses one file unless the cache holds the same bytes.
// Workers only read the cache; the load writes it afterwards.
func (l *Loader) readArticle(ctx context.Context, md *Markdown, fsys fs.FS, p string, unsafe bool) cached {
	if err := ctx.Err(); err != nil {
		return cached{err: err}
	}
	st := stampOf(fsys, p)
	if old, ok := l.cache[p]; ok && st.valid && old.stamp == st && old.unsafe == unsafe && l.unchanged(fsys, old.uses) {
		return old // not even read: nothing about the file moved
	}
	st = st.settled(l.now()) // taken before the read: a save after it changes the stamp
	if st.size > MaxArticleBytes {
		return cached{err: diag.New(diag.TooLarge, p, 0, "is %.1f MiB; articles are limited to %d MiB", float64(st.size)/(1<<20), MaxArticleBytes>>20)}
	}
	src, err := fs.ReadFile(fsys, p)
	if err != nil {
		return cached{err: diag.New(diag.Unreadable, p, 0, "cannot read: %v", unwrapPathError(err))}
	}
	sum := sha256.Sum256(src)
	if old, ok := l.cache[p]; ok && old.sum == sum && old.unsafe == unsafe && l.unchanged(fsys, old.uses) {
		old.stamp = st
		return old
	}
	a, uses, err := md.ParseArticleFS(ctx, fsys, p, src)
	if a != nil {
		a.Hash = sum
	}
	return cached{stamp: st, sum: sum, unsafe: unsafe, article: a, err: err, uses: l.usesOf(fsys, uses)}
}

// ArticlePaths lists the article files under content/, sorted, skipping
// what Ignored says editors do not mean to publish.
func ArticlePaths(fsys fs.FS) ([]string, error) {
	if info, err := fs.Stat(fsys, Dir); err != nil || !info.IsDir() {
		return nil, noContent()
	}
	var diags diag.List
	paths := walkArticles(fsys, Dir, &diags)
	return paths, diags.Err()
}

func noContent() error {
	return diag.New(diag.NoContent, Dir, 0, "no content folder: create %s/ with one markdown file per article (run dealsite in the site folder or pass -site DIR)", Dir)
}

// walkArticles lists the article files at or under root, a path inside
// content/ (or content/ itself), sorted, and adds a problem for each
// thing there that looks like content but cannot be read as such.
func walkArticles(fsys fs.FS, root string, diags *diag.List) []string {
	var paths []string
	visit := func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			diags.Addf(diag.Unreadable, p, 0, "cannot read: %v", unwrapPathError(err))
			return nil
		}
		if p == Dir {
			return nil
		}
		if Ignored(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 && !strings.EqualFold(path.Ext(p), ".md") {
			checkLinkedFolder(fsys, p, diags)
			return nil
		}
		if !d.IsDir() && strings.EqualFold(path.Ext(p), ".md") {
			if err := CheckRegular(fsys, p, d); err != nil {
				diags.Add(*err)
				return nil
			}
			paths = append(paths, p)
		}
		return nil
	}
	if root == Dir {
		diags.Merge(fs.WalkDir(fsys, Dir, visit))
		return paths
	}
	info, err := fs.Lstat(fsys, root)
	switch {
	case err != nil || !reachable(fsys, root):
	case info.IsDir():
		diags.Merge(fs.WalkDir(fsys, root, visit))
	default:
		_ = visit(root, fs.FileInfoToDirEntry(info), nil)
	}
	return paths
}

// reachable reports whether a walk of content/ would get to p: no
// folder between content/ and p is ignored or a symbolic link (the walk
// follows no links to folders).
func reachable(fsys fs.FS, p string) bool {
	for dir := path.Dir(p); dir != Dir; dir = path.Dir(dir) {
		if dir == "." || Ignored(path.Base(dir)) {
			return false
		}
		info, err := fs.Lstat(fsys, dir)
		if err != nil || !info.IsDir() {
			return false
		}
	}
	return true
}

// MaxArticleBytes bounds one article file, and with it the memory and
// time a build can spend on it.
const MaxArticleBytes = 16 << 20

// CheckRegular refuses pipes, devices and sockets (reading a FIFO would
// wait forever, /dev/zero never ends) and symlinks that cannot be
// followed inside the site folder.
func CheckRegular(fsys fs.FS, p string, d fs.DirEntry) *diag.Diagnostic {
	mode := d.Type()
	if mode&fs.ModeSymlink != 0 {
		info, err := fs.Stat(fsys, p)
		if err != nil {
			e := diag.New(diag.Unreadable, p, 0, "cannot follow the symlink: %v", unwrapPathError(err))
			return &e
		}
		mode = info.Mode().Type()
	}
	if !mode.IsRegular() {
		e := diag.New(diag.NotRegular, p, 0, "is not a regular file (%s)", mode)
		return &e
	}
	return nil
}

// checkLinkedFolder reports a symbolic link under content/ that leads to
// a folder, or cannot be followed (a loop, or out of the site): the walk
// does not follow links to folders (they can loop, or lead anywhere), and
// articles in one would otherwise be left out without a word. A link to
// a file that is not markdown, or to nothing, is not content and passes.
func checkLinkedFolder(fsys fs.FS, p string, diags *diag.List) {
	info, err := fs.Stat(fsys, p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		diags.Addf(diag.LinkedDir, p, 0, "is a symbolic link that cannot be followed: %v", unwrapPathError(err))
	case info.IsDir():
		diags.Addf(diag.LinkedDir, p, 0, "is a symbolic link to a folder; dealsite does not follow links to folders, so the articles in it would be left out")
	}
}

// Ignored reports names that are never content: hidden and underscore
// names (the settings file is read separately) and editor leftovers.
func Ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || EditorLeftover(name)
}

// EditorLeftover reports the backup, swap, lock and probe files editors
// write beside the files they save: vim (x~, .x.swp, .x.swx, 4913),
// emacs (#x#, .#x), JetBrains (x___jb_tmp___, x___jb_old___), sed -i
// (sedXXXXXX) and macOS (.DS_Store).
func EditorLeftover(name string) bool {
	switch {
	case strings.HasSuffix(name, "~"), strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"):
		return true
	case strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"), strings.HasPrefix(name, ".#"):
		return true
	case strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"):
		return true
	case name == "4913", name == ".DS_Store", sedTemp.MatchString(name):
		return true
	}
	return false
}

// sedTemp matches the temporary files of GNU sed -i.
var sedTemp = regexp.MustCompile(`^sed[A-Za-z0-9]{6}$`)

// unwrapPathError drops the *fs.PathError wrapper, whose path would
// repeat the one the diagnostic already names.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
