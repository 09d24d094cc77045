package content

import (
	"errors"
	"io/fs"
	"path"
	"runtime"
	"strings"
	"sync"

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
func Load(fsys fs.FS) (*Content, error) {
	var diags diag.List
	paths, err := ArticlePaths(fsys)
	if errors.As(err, new(diag.Diagnostic)) && paths == nil {
		return nil, err // no content folder: nothing else to report
	}
	diags.Merge(err)
	settingsSrc, err := fs.ReadFile(fsys, SettingsPath)
	hasSettings := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		diags.Addf(SettingsPath, 0, "cannot read: %v", unwrapPathError(err))
	}
	md := NewMarkdown(hasSettings && peekUnsafeHTML(settingsSrc))
	c := &Content{Settings: DefaultSettings()}
	if hasSettings {
		c.Settings, err = md.ParseSettings(settingsSrc)
		diags.Merge(err)
	}
	c.Articles, c.Broken = md.parseAll(fsys, paths, &diags)
	if err != nil {
		c.Broken = append(c.Broken, SettingsPath)
	}
	return c, diags.Err()
}

// parseAll reads and parses articles on every CPU, keeping path order.
func (m *Markdown) parseAll(fsys fs.FS, paths []string, diags *diag.List) (parsed []*Article, broken []string) {
	articles := make([]*Article, len(paths))
	errs := make([]error, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				articles[i], errs[i] = m.readArticle(fsys, paths[i])
			}
		})
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, a := range articles {
		diags.Merge(errs[i])
		if a != nil {
			parsed = append(parsed, a)
		} else {
			broken = append(broken, paths[i])
		}
	}
	return parsed, broken
}

func (m *Markdown) readArticle(fsys fs.FS, p string) (*Article, error) {
	src, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, diag.At(p, 0, "cannot read: %v", unwrapPathError(err))
	}
	return m.ParseArticle(p, src)
}

// ArticlePaths lists the article files under content/, sorted, skipping
// what Ignored says editors do not mean to publish.
func ArticlePaths(fsys fs.FS) ([]string, error) {
	if info, err := fs.Stat(fsys, Dir); err != nil || !info.IsDir() {
		return nil, diag.At(Dir, 0, "no content folder: create %s/ with one markdown file per article (run dealsite in the site folder or pass -site DIR)", Dir)
	}
	var paths []string
	var diags diag.List
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			diags.Addf(p, 0, "cannot read: %v", unwrapPathError(err))
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
		if !d.IsDir() && strings.EqualFold(path.Ext(p), ".md") {
			paths = append(paths, p)
		}
		return nil
	})
	diags.Merge(err)
	return paths, diags.Err()
}

// Ignored reports names that are never content: hidden and underscore
// names (the settings file is read separately) and editor leftovers.
func Ignored(name string) bool {
	switch {
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "_"):
		return true
	case strings.HasSuffix(name, "~"), strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"):
		return true
	case strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"):
		return true
	}
	return false
}

// unwrapPathError drops the *fs.PathError wrapper, whose path would
// repeat the one the diagnostic already names.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
