// Package build is the pipeline: load → model → render, from a site
// folder (an fs.FS) and Options to files handed to a target, through one
// entry point, Builder.Run. The target is where the files go: an
// outdir.Folder (build and watch), an outdir.Memory (serve, tests) or a
// reader of pages as they are made (check); this package never touches
// a disk itself, and nothing here reads the clock (but to time phases
// for -v) or the environment, so equal input gives byte-identical
// output.
//
//	          Options, fs.FS
//	               │
//	templates ─ load (content) ─ model (site) ─ plan (render)   every error found here: nothing begun
//	               │
//	        target.Begin(produced paths)
//	               │
//	   render every page ─→ tx.Put / PutSum / Stream; static files ─→ tx.Put
//	               │
//	        tx.Commit (or Discard on any error)
//
// A Builder made with Config.Rebuilds keeps parsed articles, the model
// and rendered pages for its next Run (watch, serve); a one-shot Builder
// keeps nothing and may set article bodies aside in a scratch file the
// caller owns (Config.Scratch).
package build

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/media"
	"github.com/dealsite/dealsite/internal/outdir"
	"github.com/dealsite/dealsite/internal/render"
	"github.com/dealsite/dealsite/internal/site"
)

// StaticDir is the folder of a site copied as is to the output root.
const StaticDir = "static"

// SourceDirs are the folders of a site a build reads: the content (with
// the site settings), the layouts and the static files.
var SourceDirs = []string{content.Dir, render.LayoutsDir, StaticDir}

// Theme is the default look a site builds with: templates under a
// site's layouts/ and files under its static/ override these file by file.
type Theme struct {
	Layouts fs.FS // page templates, base.html and partials/
	Static  fs.FS // assets copied to the output root
}

// Options change what a Run produces.
type Options struct {
	// BaseURL overrides the site's base_url (e.g. for a project page
	// under a sub-path). Empty keeps the setting.
	BaseURL string
	// Drafts publishes articles marked draft: true.
	Drafts bool
	// Theme supplies the default templates and assets.
	Theme Theme
	// Progress, when set, hears how many articles have been read; see
	// content.Loader.Progress.
	Progress func(done, total int)
	// Limits bound how many events a page lists; zero fields take the
	// defaults (see site.Limits). Tests set small ones.
	Limits site.Limits
	// Changes, when set, lists the files changed since the Builder's
	// previous build, as watch reports them: the build reads those and
	// trusts its memory of every other article (see
	// content.Loader.Changed). nil means unknown: every file is looked
	// at, as a one-shot build does.
	Changes *Changes
}

// Changes lists changed files: see Options.Changes.
type Changes = content.Changes

// Stats counts what a build produced.
type Stats struct {
	Pages    int            // HTML pages
	Kinds    map[string]int // pages by kind: articles, years, tags, parties, other
	Articles int            // published
	Skipped  int            // drafts left out
	Tags     int
	Parties  int
	Static   int     // files copied from static/ and the theme
	Phases   []Phase // how long each stage took
	BaseURL  string  // the URL the site was built for, ends in '/'
}

// Phase is one timed stage of a build.
type Phase struct {
	Name string
	Took time.Duration
}

// Config is what a Builder keeps and where it sets things aside.
type Config struct {
	// Rebuilds keeps each Run's work (parsed articles, the model,
	// rendered pages) for the next one: for watch and serve. A one-shot
	// build leaves it off and uses less memory.
	Rebuilds bool
	// Scratch, when set, holds the article bodies and event snippets of
	// a one-shot build until their pages are made, instead of memory. It
	// must be empty; its caller makes, closes and removes it. A Builder
	// with a Scratch runs once.
	Scratch content.ReadWriterAt
	// MediaCache is the folder where encoded pictures and social cards
	// are kept between builds and runs, outside the output (see
	// media.NewProcessor and render.Cards); "" keeps them only in
	// memory, for one Builder's life. Its caller picks it: package
	// build touches no disk of its own accord.
	MediaCache string
	// Media are the settings pictures are published with; the zero
	// value means media.DefaultSettings.
	Media media.Settings
	// Cards draws a social card for every article without a raster
	// lead image and for the site (see render.Media.Cards). dealsite's
	// commands always do; it is off by default because a card costs
	// some 10 ms to draw when no cache folder has it, which tests and
	// tools building thousands of articles need not pay.
	Cards bool
}

// Builder runs builds of one site. Its output is always identical to a
// fresh one-shot Builder's on the same input. Runs through one Builder
// are serialised. The model of a Run's Result (Result.Site) is the one
// its next Run updates in place (see site.Update): read it before
// starting another.
type Builder struct {
	mu     sync.Mutex
	loader *content.Loader
	pages  *render.Cache // nil unless Config.Rebuilds
	memo   *site.Memo    // nil unless Config.Rebuilds
	last   *site.Site    // the last model made, for site.Update
	// media publishes pictures and cards: one processor and card maker
	// for the Builder's life, so watch and serve encode a picture once.
	media render.Media
	// committed identifies the last commit of pages rendered through
	// pages (outdir.Stats.Commit): a target still holding it keeps the
	// files the cache has up to date (see outdir.Tx.KeepRest). 0 while
	// the cache may hold files no target got, after a failed Run.
	committed uint64
	layout    *layout // the files of the last Run, with Config.Rebuilds
}

// NewBuilder returns a Builder configured by c.
func NewBuilder(c Config) *Builder {
	b := &Builder{loader: content.NewLoader(), media: newMedia(c)}
	if c.Rebuilds {
		b.pages, b.memo = render.NewCache(), site.NewMemo()
	}
	if c.Scratch != nil {
		b.loader.Spill = content.NewSpill(c.Scratch)
	}
	return b
}

// A Target receives the files of a Run: an *outdir.Folder, an
// *outdir.Memory, or a reader of the pages. Begin is called only once
// the site has been read, modelled and planned without an error, with
// every output path, sorted.
type Target interface {
	Begin(ctx context.Context, produced []string) (outdir.Tx, error)
}

// A ModelReader is a Target that hears the site model before Begin:
// check judges links against it as pages come.
type ModelReader interface {
	ReadModel(s *site.Site)
}

// Result is what a Run made.
type Result struct {
	Stats Stats
	Write outdir.Stats // what the target's commit changed
	Site  *site.Site   // the model the pages were rendered from
}

// Run reads the site in siteFS, renders it into a transaction of to and
// commits it. Every problem found in content, settings and templates is
// returned at once as a diag.List, and then to is not even begun. A
// failure of the target (a permission, a full disk, files in the way) is
// a *WriteError. On any error, or when ctx is cancelled, the transaction
// is discarded and to is left as it was. A panic in any stage is an
// internal error (diag.Internal) naming the file being processed, never
// a crash.
func (b *Builder) Run(ctx context.Context, siteFS fs.FS, opts Options, to Target) (Result, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.loader.Changed(opts.Changes) // told even if this build stops early: the next one reads them
	p, err := b.prepare(ctx, siteFS, opts)
	if err == nil && b.loader.Spill != nil {
		if err = b.loader.Spill.Flush(); err != nil { // a full disk, say
			err = &WriteError{Err: err}
		}
	}
	if err != nil {
		return Result{}, err
	}
	r := Result{Stats: p.stats, Site: p.site}
	if mr, ok := to.(ModelReader); ok {
		mr.ReadModel(p.site)
	}
	tx, err := to.Begin(ctx, p.layout.produced)
	if err != nil {
		return r, &WriteError{Err: err}
	}
	base := b.committed
	b.committed = 0
	if err := p.put(tx, base); err != nil && !errors.Is(err, outdir.ErrStopped) {
		tx.Discard()
		return r, err
	}
	if err := ctx.Err(); err != nil {
		tx.Discard()
		return r, err
	}
	p.phases.done("render")
	r.Stats.Phases = p.phases.list
	r.Write, err = tx.Commit()
	if err != nil {
		return r, &WriteError{Err: err}
	}
	if b.pages != nil {
		b.committed = r.Write.Commit
	}
	return r, nil
}

// put renders every page into tx, then puts the static files. A static
// file replacing a generated one (robots.txt) wins. The files the cache
// has up to date are kept by tx if it still holds what the commit base
// left; else they are rendered again.
func (p *prepared) put(tx outdir.Tx, base uint64) error {
	err := p.plan.Run(render.Sink{
		File: func(path string, data []byte, key uint64) error {
			if _, overridden := p.static[path]; overridden {
				return nil
			}
			if key != 0 {
				return tx.PutSum(path, data, key)
			}
			return tx.Put(path, data)
		},
		KeepRest: func() bool { return tx.KeepRest(base) },
		Stream: func(path string, write func(io.Writer) error) error {
			if _, overridden := p.static[path]; overridden {
				return nil
			}
			return tx.Stream(path, write)
		},
	})
	if err != nil {
		return err
	}
	for _, path := range slices.Sorted(maps.Keys(p.static)) {
		if err := tx.Put(path, p.static[path]); err != nil {
			return err
		}
	}
	return nil
}

// WriteError is a failure of the output folder rather than of the site:
// a permission, a full disk, a lock.
type WriteError struct {
	Err error
}

func (e *WriteError) Error() string { return e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// prepared is a site read, modelled and planned: everything a build does
// before the first page is rendered, and every error it can find.
type prepared struct {
	site   *site.Site
	plan   *render.Plan
	layout *layout           // every file, generated or static
	static map[string][]byte // static files by output path
	stats  Stats
	phases phaseTimer
}

// prepare runs on the caller's goroutine: a panic in it (the model, the
// plan, static files) is an internal error, which leaves the output
// folder and a Builder's last good work as they were. The stages'
// worker goroutines recover their own.
func (b *Builder) prepare(ctx context.Context, siteFS fs.FS, opts Options) (_ *prepared, err error) {
	defer diag.Recover(&err, "", "building the site")
	var diags diag.List
	if opts.BaseURL != "" {
		base, err := content.NormalizeBaseURL(opts.BaseURL)
		if err != nil {
			return nil, diag.New(diag.BadBaseURL, "", 0, "-base-url: %v", err)
		}
		opts.BaseURL = base
	}
	p := &prepared{phases: phaseTimer{last: time.Now()}}
	templates, err := render.LoadTemplates(siteFS, opts.Theme.Layouts)
	diags.Merge(err)
	p.phases.done("templates")
	b.loader.Progress = opts.Progress
	b.loader.ReservedIDs = templates.IDs()
	b.loader.Media = b.media.Settings
	c, err := b.loader.LoadContext(ctx, siteFS)
	diags.Merge(err)
	p.phases.done("load")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if c != nil { // nil only without a content/ folder
		p.site, err = b.model(c, site.Options{BaseURL: opts.BaseURL, Drafts: opts.Drafts, Memo: b.memo, Limits: opts.Limits})
		diags.Merge(err)
	}
	p.phases.done("model")
	if err := diags.Err(); err != nil {
		return nil, err
	}
	if b.loader.Spill != nil { // the snippets go with the bodies
		templates.SetAside(b.loader.Spill)
	}
	m := b.media
	m.FS = siteFS
	templates.SetMedia(&m)
	if p.plan, err = templates.Plan(p.site, b.pages); err != nil {
		return nil, err
	}
	// Planning renders the chrome and the event snippets, builds the
	// search index and decides which files are still fresh: its own
	// phase, so that -v does not count it as reading static files.
	p.phases.done("plan")
	if err := b.lay(p, siteFS, opts.Theme.Static); err != nil {
		return nil, err
	}
	p.stats = pageStats(p.layout, p.site, len(c.Articles))
	p.stats.Static = len(p.static)
	p.phases.done("static")
	return p, ctx.Err()
}

// newMedia is what a Builder configured by c publishes pictures and
// cards with.
func newMedia(c Config) render.Media {
	settings := c.Media
	if len(settings.Widths) == 0 {
		settings = media.DefaultSettings
	}
	mediaDir, cardDir := "", ""
	if c.MediaCache != "" {
		mediaDir, cardDir = filepath.Join(c.MediaCache, "media"), filepath.Join(c.MediaCache, "cards")
	}
	m := render.Media{Settings: settings, Encoder: media.NewProcessor(mediaDir, settings)}
	if c.Cards {
		m.Cards = render.NewCards(cardDir)
	}
	return m
}

// model makes the site model of c: from scratch in a one-shot build,
// else by updating the last one (see site.Update), which this build
// then owns: nothing of an earlier build reads it any more.
func (b *Builder) model(c *content.Content, opts site.Options) (*site.Site, error) {
	if b.memo == nil {
		return site.New(c, opts)
	}
	s, err := site.Update(b.last, c, opts)
	if s != nil {
		b.last = s
	}
	return s, err
}

// lay reads the static files and works out the layout of the files p
// produces: the last Run's when they are the same files, which were
// checked then; else worked out from the last (see layout.sortPaths)
// and checked against the static files (see checkStatic).
func (b *Builder) lay(p *prepared, siteFS, themeFS fs.FS) error {
	paths := p.plan.Paths()
	static, diags := readStatic(siteFS, themeFS)
	if len(diags) == 0 && b.layout.same(paths, static) {
		p.layout, p.static = b.layout, static
		return nil
	}
	sorted, kinds := b.layout.sortPaths(paths)
	checkStatic(static, sorted, &diags)
	if err := diags.Err(); err != nil {
		return err
	}
	p.layout, p.static = newLayout(paths, sorted, kinds, static), static
	if b.pages != nil {
		b.layout = p.layout
	}
	return nil
}

// pageStats counts pages by kind from their paths.
func pageStats(l *layout, s *site.Site, loaded int) Stats {
	return Stats{Articles: len(s.Articles), Tags: len(s.Tags), Parties: len(s.Parties), Skipped: loaded - len(s.Articles),
		Pages: l.pages, Kinds: maps.Clone(l.kinds), BaseURL: s.BaseURL}
}

// phaseTimer measures the stages of a build for -v. Timings go to Stats,
// never into the output, which stays a pure function of the input.
type phaseTimer struct {
	last time.Time
	list []Phase
}

func (t *phaseTimer) done(name string) {
	now := time.Now()
	t.list = append(t.list, Phase{Name: name, Took: now.Sub(t.last)})
	t.last = now
}

// readStatic reads the theme's assets, then the site's static/ over
// them.
func readStatic(siteFS, themeFS fs.FS) (map[string][]byte, diag.List) {
	var diags diag.List
	files := map[string][]byte{}
	if themeFS != nil {
		readTree(themeFS, ".", "", files, &diags)
	}
	readTree(siteFS, StaticDir, StaticDir+"/", files, &diags)
	return files, diags
}

// readTree reads every file under dir of fsys into files, keyed by path
// relative to dir. Go sources (the theme's embedding package) and editor
// leftovers are skipped; other dot-files (.well-known/) are kept.
func readTree(fsys fs.FS, dir, label string, files map[string][]byte, diags *diag.List) {
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return fs.SkipAll // no static/ folder
			}
			diags.Addf(diag.Unreadable, label+relTo(dir, p), 0, "cannot read: %v", err)
			return nil
		}
		if d.IsDir() || skipStatic(d.Name()) {
			return nil
		}
		if bad := content.CheckRegular(fsys, p, d); bad != nil {
			bad.Path = label + relTo(dir, p)
			diags.Add(*bad)
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			diags.Addf(diag.Unreadable, label+relTo(dir, p), 0, "cannot read: %v", err)
			return nil
		}
		files[relTo(dir, p)] = b
		return nil
	})
	diags.Merge(err)
}

func relTo(dir, p string) string {
	if dir == "." {
		return p
	}
	return strings.TrimPrefix(p, dir+"/")
}

func skipStatic(name string) bool {
	return path.Ext(name) == ".go" || content.EditorLeftover(name)
}
