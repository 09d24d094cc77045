// Package build is the whole pipeline: load → model → render, as a pure
// function from a site folder (an fs.FS) and Options to an Output held in
// memory. Output.Write is the only code that touches the output folder.
// watch and serve reuse Build; nothing here reads the clock or the
// environment, so equal input gives byte-identical output.
package build

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/render"
	"github.com/dealsite/dealsite/internal/site"
)

// StaticDir is the folder of a site copied as is to the output root.
const StaticDir = "static"

// Theme is the default look a site builds with: templates under a
// site's layouts/ and files under its static/ override these file by file.
type Theme struct {
	Layouts fs.FS // page templates, base.html and partials/
	Static  fs.FS // assets copied to the output root
}

// Options change what Build produces.
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
	// Clean lets BuildTo delete or overwrite every file in the output
	// folder, not only those its manifest says dealsite wrote; a .git
	// file or folder at the root is still never touched.
	Clean bool
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

// Build reads the site in siteFS and renders it. Every problem found, in
// content, settings and templates, is returned at once as a diag.List.
// A panic in any stage is in it too, as an internal error (diag.Internal)
// naming the file being processed, never a crash.
//
// Unlike a Builder, it keeps no rendered pages for a next build, which
// would only cost memory.
func Build(ctx context.Context, siteFS fs.FS, opts Options) (*Output, error) {
	once := &Builder{loader: content.NewLoader()}
	return once.Build(ctx, siteFS, opts)
}

// Builder runs successive builds of one site (for watch and serve) and
// remembers per-file work between them: articles are parsed again only
// when their bytes change. Its output is always identical to a fresh
// Build of the same input. Builds through one Builder are serialised.
// The model of its Output (Output.Site) is the one its next build
// updates in place (see site.Update): read it before starting another.
type Builder struct {
	mu     sync.Mutex
	loader *content.Loader
	pages  *render.Cache
	memo   *site.Memo // nil in one-shot builds
	last   *site.Site // the last model made, for site.Update
	// written remembers, per output folder, a checksum of every file the
	// last successful BuildTo left there, so that the next one can tell an
	// unchanged file without reading it back. nil in one-shot builds.
	written map[string]*writtenFiles
}

// NewBuilder returns a Builder with empty caches.
func NewBuilder() *Builder {
	return &Builder{loader: content.NewLoader(), pages: render.NewCache(), memo: site.NewMemo(), written: map[string]*writtenFiles{}}
}

// Build is like the package's Build, reusing earlier work.
func (b *Builder) Build(ctx context.Context, siteFS fs.FS, opts Options) (*Output, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.loader.Changed(opts.Changes) // told even if this build stops early: the next one reads them
	p, err := b.prepare(ctx, siteFS, opts)
	if err != nil {
		return nil, err
	}
	files, err := p.plan.Files()
	if err != nil {
		return nil, err
	}
	maps.Copy(files, p.static)
	p.phases.done("render")
	p.stats.Phases = p.phases.list
	return &Output{files: files, site: p.site, stats: p.stats}, ctx.Err()
}

// BuildTo builds the site straight into the folder dir, with the
// guarantees of Output.Write: on any error, or when ctx is cancelled,
// dir is left as it was; files already right are not touched; stale
// files dealsite wrote are removed, and others are kept (see Output.Write
// and Options.Clean). Pages are staged on disk as they are rendered, so
// memory never holds the whole site.
func BuildTo(ctx context.Context, siteFS fs.FS, opts Options, dir string) (Stats, WriteStats, error) {
	once := &Builder{loader: content.NewLoader()}
	return once.BuildTo(ctx, siteFS, opts, dir)
}

// BuildTo is like the package's BuildTo, reusing earlier work.
func (b *Builder) BuildTo(ctx context.Context, siteFS fs.FS, opts Options, dir string) (Stats, WriteStats, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.loader.Changed(opts.Changes) // told even if this build stops early: the next one reads them
	w, err := openOutputDir(dir)
	if err != nil {
		return Stats{}, WriteStats{}, &WriteError{Dir: dir, Err: err}
	}
	defer w.close()
	if b.pages == nil { // one-shot: nothing is kept for a next build
		spill, err := w.spill()
		if err != nil {
			w.discard(nil)
			return Stats{}, WriteStats{}, &WriteError{Dir: dir, Err: err}
		}
		defer spill.Close()
		b.loader.Spill = content.NewSpill(spill)
	}
	looked := w.look()
	defer looked() // never leave the scan running past the lock
	p, err := b.prepare(ctx, siteFS, opts)
	if err == nil && b.loader.Spill != nil {
		if err := b.loader.Spill.Flush(); err != nil { // a full disk, say
			w.discard(nil)
			return Stats{}, WriteStats{}, &WriteError{Dir: dir, Err: err}
		}
	}
	if err != nil {
		w.discard(nil)
		return Stats{}, WriteStats{}, err
	}
	produced := p.produces()
	plan, err := w.plan(produced, opts.Clean, looked)
	if err != nil {
		w.discard(nil)
		return p.stats, WriteStats{}, &WriteError{Dir: dir, Err: err}
	}
	st := w.stager(ctx, plan)
	if b.written != nil {
		st.remember(b.written[dir])
		delete(b.written, dir) // until this build is known to have landed
	}
	if err := p.stage(st); err != nil && !errors.Is(err, errStagingFailed) {
		st.finish()
		w.discard(st)
		if b.written != nil {
			b.written[dir] = st.known // the folder is as it was
		}
		return p.stats, WriteStats{}, err
	}
	p.phases.done("render")
	p.stats.Phases = p.phases.list
	ws, err := w.commit(st, produced)
	if err != nil {
		if errors.Is(err, errNothingWritten) && b.written != nil {
			b.written[dir] = st.known // the folder is as it was
		}
		return p.stats, ws, &WriteError{Dir: dir, Err: err}
	}
	if b.written != nil {
		b.written[dir] = st.sums
	}
	return p.stats, ws, nil
}

// stage renders every page into st, then queues the static files. A
// static file replacing a generated one (robots.txt) wins.
func (p *prepared) stage(st *stager) error {
	err := p.plan.Run(render.Sink{
		File: func(path string, data []byte, key uint64) error {
			if _, overridden := p.static[path]; overridden {
				return nil
			}
			return st.put(path, data, key)
		},
		Stream: func(path string, write func(io.Writer) error) error {
			if _, overridden := p.static[path]; overridden {
				return nil
			}
			return st.stream(path, write)
		},
	})
	if err != nil {
		return err
	}
	for _, path := range sortedKeys(p.static) {
		if err := st.put(path, p.static[path], 0); err != nil {
			return err
		}
	}
	return nil
}

// produces is the set of files the build makes.
func (p *prepared) produces() map[string]bool {
	produced := make(map[string]bool, len(p.paths)+len(p.static))
	for _, path := range p.paths {
		produced[path] = true
	}
	for path := range p.static {
		produced[path] = true
	}
	return produced
}

// WriteError is a failure of the output folder rather than of the site:
// a permission, a full disk, a lock.
type WriteError struct {
	Dir string
	Err error
}

func (e *WriteError) Error() string { return e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// prepared is a site read, modelled and planned: everything a build does
// before the first page is rendered, and every error it can find.
type prepared struct {
	site   *site.Site
	plan   *render.Plan
	paths  []string          // every generated file
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
	if b.loader.Spill != nil { // one-shot: the snippets go with the bodies
		templates.SetAside(b.loader.Spill)
	}
	if p.plan, err = templates.Plan(p.site, b.pages); err != nil {
		return nil, err
	}
	p.paths = p.plan.Paths()
	p.stats = pageStats(p.paths, p.site, len(c.Articles))
	if p.static, err = staticFiles(siteFS, opts.Theme.Static, p.paths); err != nil {
		return nil, err
	}
	p.stats.Static = len(p.static)
	p.phases.done("static")
	return p, ctx.Err()
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

// pageStats counts pages by kind from their paths.
func pageStats(paths []string, s *site.Site, loaded int) Stats {
	st := Stats{Articles: len(s.Articles), Tags: len(s.Tags), Parties: len(s.Parties), Skipped: loaded - len(s.Articles), Kinds: map[string]int{}, BaseURL: s.BaseURL}
	for _, p := range paths {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		st.Pages++
		kind, _, _ := strings.Cut(p, "/")
		if strings.Count(p, "/") < 2 { // the home page, indexes and 404
			kind = "other"
		}
		st.Kinds[kind]++
	}
	return st
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

// staticOverridable are generated files a site's static/ may replace.
var staticOverridable = []string{"robots.txt"}

// staticFiles reads the theme's assets, then the site's static/ over
// them. A static file in the place of a generated one is an error: it
// would silently hide the page. So is one with a name of dealsite's own
// files in the output folder (ManifestName, temporary files).
func staticFiles(siteFS, themeFS fs.FS, generated []string) (map[string][]byte, error) {
	var diags diag.List
	files := map[string][]byte{}
	if themeFS != nil {
		readTree(themeFS, ".", "", files, &diags)
	}
	readTree(siteFS, StaticDir, StaticDir+"/", files, &diags)
	isGenerated := make(map[string]bool, len(generated))
	for _, p := range generated {
		isGenerated[p] = true
	}
	generatedDirs := dirsOf(generated)
	for _, p := range sortedKeys(files) {
		switch {
		case isOwnName(p):
			diags.Addf(diag.StaticClash, StaticDir+"/"+p, 0, "has a name dealsite keeps for its own files in the output folder: rename it")
		case isGenerated[p] && !slices.Contains(staticOverridable, p):
			diags.Addf(diag.StaticClash, StaticDir+"/"+p, 0, "would overwrite the generated page %s: rename or remove it", p)
		case generatedDirs[p]:
			diags.Addf(diag.StaticClash, StaticDir+"/"+p, 0, "is a file where the site needs the folder %s/: rename or remove it", p)
		case firstFileParent(p, isGenerated) != "":
			diags.Addf(diag.StaticClash, StaticDir+"/"+p, 0, "needs a folder where the site has the page %s: rename or remove it", firstFileParent(p, isGenerated))
		default:
			continue
		}
		delete(files, p)
	}
	return files, diags.Err()
}

// dirsOf lists every folder that holds one of files.
func dirsOf(files []string) map[string]bool {
	dirs := map[string]bool{}
	for _, p := range files {
		for d := path.Dir(p); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	return dirs
}

// firstFileParent returns the first parent folder of p that is one of
// files, or "".
func firstFileParent(p string, files map[string]bool) string {
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if files[d] {
			return d
		}
	}
	return ""
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
