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
	"sync"
	"sync/atomic"

	"github.com/dealsite/dealsite/internal/diag"
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

// Loader loads sites and remembers the articles it parsed, keyed by path
// and content hash, so a rebuild after an edit parses only what changed.
// Results are the same as a fresh Load. It is safe for one Load at a time.
type Loader struct {
	markdown map[bool]*Markdown // by unsafe_html
	cache    map[string]cached  // by article path
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
}

type cached struct {
	stamp   stamp
	sum     [sha256.Size]byte
	unsafe  bool
	article *Article
	err     error
}

// NewLoader returns a Loader with an empty cache.
func NewLoader() *Loader {
	return &Loader{markdown: map[bool]*Markdown{}, cache: map[string]cached{}}
}

func (l *Loader) md(unsafe bool) *Markdown {
	if l.markdown[unsafe] == nil {
		l.markdown[unsafe] = NewMarkdown(unsafe, l.ReservedIDs...)
	}
	return l.markdown[unsafe]
}

// reserve starts over with new markdown and an empty cache when
// ReservedIDs changed since the last Load.
func (l *Loader) reserve() {
	key := strings.Join(l.ReservedIDs, "\x00")
	if key == l.reserved {
		return
	}
	l.reserved = key
	clear(l.markdown)
	clear(l.cache)
}

// Load is like the package's Load, reusing earlier parses.
func (l *Loader) Load(fsys fs.FS) (*Content, error) {
	return l.LoadContext(context.Background(), fsys)
}

// LoadContext is Load that stops parsing when ctx is done, then returns
// ctx's error and keeps its cache as it was.
func (l *Loader) LoadContext(ctx context.Context, fsys fs.FS) (*Content, error) {
	l.reserve()
	var diags diag.List
	paths, err := ArticlePaths(fsys)
	if errors.As(err, new(diag.Diagnostic)) && paths == nil {
		return nil, err // no content folder: nothing else to report
	}
	diags.Merge(err)
	c := &Content{Settings: DefaultSettings()}
	unsafe := false
	settingsSrc, err := fs.ReadFile(fsys, SettingsPath)
	switch {
	case err == nil:
		unsafe = peekUnsafeHTML(settingsSrc)
		var settingsErr error
		c.Settings, settingsErr = l.md(unsafe).ParseSettings(settingsSrc)
		if settingsErr != nil {
			diags.Merge(settingsErr)
			c.Broken = append(c.Broken, SettingsPath)
		}
	case !errors.Is(err, fs.ErrNotExist):
		diags.Addf(diag.Unreadable, SettingsPath, 0, "cannot read: %v", unwrapPathError(err))
		c.Broken = append(c.Broken, SettingsPath)
	}
	var broken []string
	c.Articles, broken = l.parseAll(ctx, fsys, paths, unsafe, &diags)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.Broken = append(c.Broken, broken...)
	return c, diags.Err()
}

// parseAll reads and parses articles on every CPU, keeping path order
// and reusing cached parses of unchanged files.
func (l *Loader) parseAll(ctx context.Context, fsys fs.FS, paths []string, unsafe bool, diags *diag.List) (parsed []*Article, broken []string) {
	results := make([]cached, len(paths))
	md := l.md(unsafe)
	next := make(chan int)
	var wg sync.WaitGroup
	var done atomic.Int64
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				results[i] = l.readRecovering(ctx, md, fsys, paths[i], unsafe)
				if l.Progress != nil {
					l.Progress(int(done.Add(1)), len(paths))
				}
			}
		})
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	if l.Spill != nil {
		_ = l.Spill.Flush() // an error stays in the Spill for its owner to report
	}
	if ctx.Err() != nil {
		return nil, nil // the cache must not learn cancelled parses
	}
	clear(l.cache) // forget deleted files
	for i, r := range results {
		l.cache[paths[i]] = r
		diags.Merge(r.err)
		if r.article != nil {
			parsed = append(parsed, r.article)
		} else {
			broken = append(broken, paths[i])
		}
	}
	return parsed, broken
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
// Workers only read the cache; parseAll writes it afterwards.
func (l *Loader) readArticle(ctx context.Context, md *Markdown, fsys fs.FS, p string, unsafe bool) cached {
	if err := ctx.Err(); err != nil {
		return cached{err: err}
	}
	st := stampOf(fsys, p)
	if old, ok := l.cache[p]; ok && st.valid && old.stamp == st && old.unsafe == unsafe {
		return old // not even read: nothing about the file moved
	}
	if st.size > MaxArticleBytes {
		return cached{err: diag.New(diag.TooLarge, p, 0, "is %.1f MiB; articles are limited to %d MiB", float64(st.size)/(1<<20), MaxArticleBytes>>20)}
	}
	src, err := fs.ReadFile(fsys, p)
	if err != nil {
		return cached{err: diag.New(diag.Unreadable, p, 0, "cannot read: %v", unwrapPathError(err))}
	}
	sum := sha256.Sum256(src)
	if old, ok := l.cache[p]; ok && old.sum == sum && old.unsafe == unsafe {
		old.stamp = st
		return old
	}
	a, err := md.ParseArticleContext(ctx, p, src)
	if a != nil {
		a.Hash = sum
	}
	return cached{stamp: st, sum: sum, unsafe: unsafe, article: a, err: err}
}

// ArticlePaths lists the article files under content/, sorted, skipping
// what Ignored says editors do not mean to publish.
func ArticlePaths(fsys fs.FS) ([]string, error) {
	if info, err := fs.Stat(fsys, Dir); err != nil || !info.IsDir() {
		return nil, diag.New(diag.NoContent, Dir, 0, "no content folder: create %s/ with one markdown file per article (run dealsite in the site folder or pass -site DIR)", Dir)
	}
	var paths []string
	var diags diag.List
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
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
			checkLinkedFolder(fsys, p, &diags)
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
	})
	diags.Merge(err)
	return paths, diags.Err()
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
