package render

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"io"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/site"
	"golang.org/x/sync/errgroup"
)

// job is one file to render: its output path and either a template with
// its data or a function producing bytes. With a Cache, a job is either
// taken from it (kept) or records what it reads in rec.
type job struct {
	path     string
	template string
	data     Page
	make     func() ([]byte, error)
	size     int // the page's expected size in bytes, if known
	// writeTo, for a file made by Go code rather than a template, writes
	// it (make is the other way, for files small enough to build whole).
	writeTo func(io.Writer) error
	// fill completes data when the job runs rather than when it is
	// planned: article JSON-LD, so that 10,000 of them are not all held
	// at once, and the home page's chart.
	fill func(*Page)
	rec  *recorder // what the job read, with a Cache
	src  []byte    // for a file made before planning, its bytes (see bytesJob)
}

// keptJob is a file the cache has up to date: the sink is asked to keep
// it (see Sink.KeepRest), and when it cannot, build makes its job again.
type keptJob struct {
	path  string
	build func(r *recorder) job
}

// Files renders every page, feed, sitemap and data file of s into a map
// from output path (slash-separated, relative to the output folder) to
// content. All template execution errors are returned together.
//
// cache, when not nil, keeps what it renders between calls (see Cache);
// the result is the same with or without it.
func (t *Templates) Files(s *site.Site, cache *Cache) (map[string][]byte, error) {
	plan, err := t.Plan(s, cache)
	if err != nil {
		return nil, err
	}
	return plan.Files()
}

// Files runs the plan into a map from output path to content.
func (p *Plan) Files() (map[string][]byte, error) {
	out := make(map[string][]byte, len(p.jobs))
	var mu sync.Mutex
	err := p.Run(Sink{File: func(path string, data []byte, _ uint64) error {
		mu.Lock()
		out[path] = data
		mu.Unlock()
		return nil
	}})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// A Plan is every file of a site, ready to render: Paths says what will
// be produced before anything is, and Run produces it.
type Plan struct {
	t     *Templates
	s     *site.Site
	cache *Cache
	jobs  []job     // the files to render
	kept  []keptJob // the files the cache has up to date
	paths []string  // every file, in the order planned
	pics  pictures  // names the published pictures
}

// Plan renders the page frame's chrome and the event snippets every
// listing shows, and lists the files of s. With a cache, the files and
// snippets whose recorded dependencies all still hold are taken from it
// (see Cache).
func (t *Templates) Plan(s *site.Site, cache *Cache) (*Plan, error) {
	cache.begin(t, s)
	p := &Plan{t: t, s: s, cache: cache, pics: t.pictures(s)}
	t.facts, t.pics = new(sync.Map), p.pics
	if err := t.renderChrome(s); err != nil {
		return nil, err
	}
	cache.observeChrome(t)
	if err := p.renderEvents(); err != nil {
		return nil, err
	}
	cache.observeEvents(t, s)
	p.jobs = p.mediaJobs(p.plan())
	found, err := p.searchJobs()
	if err != nil {
		return nil, err
	}
	p.jobs = append(p.jobs, found...)
	return p, nil
}

// Paths lists the output path of every file, in an order that depends
// only on the site: equal sites give equal lists. It must not be
// changed.
func (p *Plan) Paths() []string { return p.paths }

// Rendered counts the files Run renders rather than takes from the
// cache, if the sink keeps what it holds.
func (p *Plan) Rendered() int { return len(p.jobs) }

// A Sink receives the files of a Run.
type Sink struct {
	// File receives one file. It is called from several goroutines at
	// once; data is File's to keep, and nothing changes it afterwards.
	// key, when not 0, identifies data: equal keys mean equal bytes
	// within one Cache's life, so a caller can compare files without
	// hashing them.
	File func(path string, data []byte, key uint64) error
	// KeepRest, when set, is asked once, before any file is handed
	// over, whether the sink still holds every file of the last Run
	// with the same Cache exactly as that Run handed it over. When it
	// does, the files taken unchanged from the cache are not handed
	// over at all: the sink keeps them as they are. When it does not, or
	// KeepRest is nil, they are rendered again and go to File.
	KeepRest func() bool
	// Stream, when set and no Cache is used, receives the largest files
	// (listings of thousands of events, timeline.json) as a function
	// that writes them, so that they are never held whole in memory.
	// It calls write once and returns its error, after discarding what
	// write wrote, if write fails.
	Stream func(path string, write func(io.Writer) error) error
}

// streamAbove is the expected size above which a page is streamed.
const streamAbove = 1 << 20

// Run renders every file on every CPU and hands each to the sink as soon
// as it is ready, so that a caller writing to disk never holds the whole
// site in memory.
//
// Template errors are collected and returned together. An error from
// the sink stops the run early and is returned as is.
func (p *Plan) Run(sink Sink) error {
	var (
		mu    sync.Mutex
		diags diag.List
	)
	if len(p.kept) > 0 && (sink.KeepRest == nil || !sink.KeepRest()) {
		p.renderKept()
	}
	panics, sinkErr := parallel(len(p.jobs), p.rendering, func(i int, buf *bytes.Buffer) error {
		renderErr, err := p.runOne(buf, p.jobs[i], sink)
		if renderErr != nil {
			mu.Lock()
			diags.Merge(renderErr)
			mu.Unlock()
		}
		return err
	})
	if sinkErr != nil {
		return sinkErr
	}
	diags = append(diags, panics...)
	if err := diags.Err(); err != nil {
		return err
	}
	p.cache.retain()
	return nil
}

// rendering names job i for an internal error.
func (p *Plan) rendering(i int) (path, doing string) { return "", "rendering " + p.jobs[i].path }

// runOne renders one job into the sink: streamed when it is big and
// nothing is cached, else as bytes (kept in the cache if it has one). It
// tells a template's error from the sink's.
//
// A streamed page's writer recovers a panic itself, so that the sink
// sees an error and discards what was written; parallel recovers the
// rest.
func (p *Plan) runOne(buf *bytes.Buffer, j job, sink Sink) (renderErr, sinkErr error) {
	if sink.Stream != nil && p.cache == nil && j.streams() {
		sinkErr = sink.Stream(j.path, func(w io.Writer) error {
			renderErr = p.t.writeRecovering(w, j)
			return renderErr
		})
		if renderErr != nil {
			return renderErr, nil
		}
		return nil, sinkErr
	}
	data, renderErr := p.t.run(buf, j)
	if renderErr != nil {
		return renderErr, nil
	}
	var key uint64
	if p.cache != nil {
		key = p.cache.putFile(j.path, j.rec, data, j.src)
	}
	return nil, sink.File(j.path, data, key)
}

// add appends the job for path unless the cache has it up to date; build
// makes the job, given a recorder of what it reads that already holds
// what every page depends on (the settings and the chrome).
//
// Planning runs on one goroutine, before Run: it reads the cache
// without its lock.
func (p *Plan) add(jobs []job, path string, build func(r *recorder) job) []job {
	p.paths = append(p.paths, path)
	if p.cache != nil {
		if e := p.cache.pages[path]; e.fresh() {
			p.cache.use(e)
			p.kept = append(p.kept, keptJob{path: path, build: build})
			return jobs
		}
	}
	return append(jobs, p.newJob(path, build))
}

// newJob makes the job of path, with a recorder holding what every page
// depends on.
func (p *Plan) newJob(path string, build func(r *recorder) job) job {
	r := newRecorder(p.cache != nil)
	r.site(site.SiteSettings)
	r.add(site.Dep{Facet: chromeFacet})
	j := build(r)
	j.path, j.rec = path, r
	return j
}

// renderKept moves the kept files to the jobs, for a sink that no longer
// holds them.
func (p *Plan) renderKept() {
	for _, k := range p.kept {
		p.jobs = append(p.jobs, p.newJob(k.path, k.build))
	}
	p.kept = nil
}

// data adds a job made by Go code, which shows what deps records.
func (p *Plan) data(jobs []job, path string, deps func(r *recorder), j job) []job {
	return p.add(jobs, path, func(r *recorder) job {
		if r != nil {
			deps(r)
		}
		return j
	})
}

// plan lists the jobs of every file.
func (p *Plan) plan() []job {
	s := p.s
	jobs := make([]job, 0, p.jobCount())
	p.paths = make([]string, 0, p.jobCount()+64)
	page := func(r *recorder, kind, title, summary string, pg site.Page) Page {
		return Page{Site: siteView(s, r), Feed: s.Feed(), Kind: kind, Title: title, Summary: summary, Page: pg, Image: p.siteImage()}
	}
	jobs = p.add(jobs, "index.html", func(r *recorder) job {
		r.site(site.SiteAll) // the chart and the JSON-LD
		fill := func(d *Page) { d.Chart, d.JSONLD = Chart(s), timelineJSONLD(s) }
		return job{template: "index.html", data: page(r, "home", s.Title, s.Description, s.Home()), fill: fill,
			size: p.t.listingSize(s.Articles[len(s.Articles)-s.LatestCount():])}
	})
	jobs = p.add(jobs, "404.html", func(r *recorder) job {
		return job{template: "404.html", data: page(r, "404", "Page not found", s.Description, s.NotFound())}
	})
	jobs = p.add(jobs, "years/index.html", func(r *recorder) job {
		return job{template: "years.html", data: page(r, "years", "Years", "Every year of "+s.Title, s.YearIndex())}
	})
	for _, index := range []struct {
		kind, title, summary string
		pg                   site.Page
		terms                []*site.Term
		facet                site.Facet
	}{
		{"tags", "Tags", "Every tag of ", s.TagIndex(), s.Tags, site.SiteTags},
		{"parties", "Parties", "Every company in ", s.PartyIndex(), s.Parties, site.SiteParties},
	} {
		jobs = p.add(jobs, index.pg.Rel+"index.html", func(r *recorder) job {
			r.site(index.facet)
			d := page(r, index.kind, index.title, index.summary+s.Title, index.pg)
			d.Terms = termViews(index.terms, r)
			return job{template: "terms.html", data: d}
		})
	}
	jobs = p.dataJobs(jobs)
	jobs = p.articleJobs(jobs, page)
	jobs = p.listingJobs(jobs, page)
	return jobs
}

// jobCount is about how many jobs plan makes, to make room for them once.
func (p *Plan) jobCount() int {
	n := 64 + len(p.s.Articles) + 2*len(p.s.Years) + len(p.s.Tags) // pages, timeline files, tag feeds
	for _, y := range p.s.Years {
		n += len(y.Listings())
	}
	for _, terms := range [][]*site.Term{p.s.Tags, p.s.Parties} {
		for _, t := range terms {
			n += len(t.Listings())
		}
	}
	return n
}

// dataJobs are the feeds, data files and sitemaps, made by Go code,
// each with what it shows.
func (p *Plan) dataJobs(jobs []job) []job {
	s := p.s
	latest := s.Articles[len(s.Articles)-s.LatestCount():]
	jobs = p.data(jobs, "feed.xml", func(r *recorder) {
		r.site(site.SiteArticles)
		for _, a := range newest(s.Articles, feedLimit) {
			r.shown(a, true)
		}
	}, job{make: func() ([]byte, error) { return Feed(s, s.Title, s.Feed(), s.Home(), s.Articles, true) }})
	jobs = p.data(jobs, "robots.txt", func(*recorder) {}, job{make: func() ([]byte, error) { return Robots(s), nil }})
	jobs = p.data(jobs, "timeline.json", func(r *recorder) {
		r.site(site.SiteArticles)
		for _, a := range latest {
			r.shown(a, false)
		}
	}, job{writeTo: func(w io.Writer) error { return writeLatestTimeline(w, s, p.pics) }, size: 1500 * s.LatestCount()})
	everything := func(r *recorder) { r.site(site.SiteAll) }
	jobs = p.data(jobs, EventsNDJSON, everything,
		job{writeTo: func(w io.Writer) error { return p.cache.eventLines().write(w, s) }, size: p.cache.eventLines().sizeOf(len(s.Articles))})
	jobs = p.timelineJobs(jobs)
	sitemaps := p.cache.sitemapsOf(s)
	for _, f := range sitemaps {
		jobs = p.data(jobs, f.path, everything, job{make: func() ([]byte, error) { return f.bytes(s, sitemaps), nil }})
	}
	for _, t := range s.Tags {
		jobs = p.data(jobs, t.Feed.Rel, func(r *recorder) {
			r.term(t, site.TermMeta)
			r.term(t, site.TermMembers)
			for _, a := range newest(t.Articles, feedLimit) {
				r.shown(a, false)
			}
		}, job{make: func() ([]byte, error) { return Feed(s, s.Title+": "+t.Name, t.Feed, t.Page, t.Articles, false) }})
	}
	return jobs
}

// newest is the last n of articles, which are in time order.
func newest(articles []*site.Article, n int) []*site.Article {
	return articles[max(0, len(articles)-n):]
}

// articleJobs are the articles' pages.
func (p *Plan) articleJobs(jobs []job, page func(*recorder, string, string, string, site.Page) Page) []job {
	s := p.s
	for _, a := range s.Articles {
		jobs = p.add(jobs, a.Rel+"index.html", func(r *recorder) job {
			r.shown(a, true) // the page's title and the JSON-LD
			d := page(r, "article", a.Title, a.Summary, a.Page)
			d.Article = articleView(a, r)
			d.Image = p.articleImage(a)
			return job{template: "article.html", data: d, fill: func(d *Page) { d.JSONLD = articleJSONLD(s, a, d.Image) }}
		})
	}
	return jobs
}

// listingJobs are the pages of every year's, tag's and party's events.
func (p *Plan) listingJobs(jobs []job, page func(*recorder, string, string, string, site.Page) Page) []job {
	s := p.s
	listing := func(jobs []job, l *site.Listing, template string, d func(r *recorder) Page) []job {
		return p.add(jobs, l.Rel+"index.html", func(r *recorder) job {
			return job{template: template, data: d(r), size: p.t.listingSize(l.Articles)}
		})
	}
	for _, y := range s.Years {
		year := strconv.Itoa(y.Year)
		members, _ := y.Dep()
		for _, l := range y.Listings() {
			jobs = listing(jobs, l, "year.html", func(r *recorder) Page {
				r.add(members)
				d := page(r, "year", pageOf(year, l), pageOf("Events of "+year+" in "+s.Title, l), l.Page)
				d.Year = yearView(y, r, nil)
				d.Listing = listingView(l, r, &owner{members: members, covering: true})
				return d
			})
		}
	}
	for _, terms := range []struct {
		terms         []*site.Term
		kind, title   string
		summaryPrefix string
	}{{s.Tags, "tag", "Tag: ", "Events tagged "}, {s.Parties, "party", "", "Events involving "}} {
		for _, t := range terms.terms {
			for _, l := range t.Listings() {
				jobs = listing(jobs, l, "term.html", func(r *recorder) Page {
					r.term(t, site.TermMeta)
					r.term(t, site.TermMembers)
					d := page(r, terms.kind, pageOf(terms.title+t.Name, l), pageOf(terms.summaryPrefix+t.Name+" in "+s.Title, l), l.Page)
					d.Term = termViews([]*site.Term{t}, r)[0]
					d.Listing = listingView(l, r, &owner{members: t.Dep(site.TermMembers), covering: true})
					if terms.kind == "tag" {
						d.Feed = t.Feed
					}
					return d
				})
			}
		}
	}
	return jobs
}

// timelineJobs are the per-year TimelineJS files and their index, when
// timeline.json holds only the newest events.
func (p *Plan) timelineJobs(jobs []job) []job {
	s := p.s
	files := timelineFiles(s)
	if files == nil {
		return jobs
	}
	jobs = p.data(jobs, TimelineIndex, func(r *recorder) { r.site(site.SiteAll) },
		job{make: func() ([]byte, error) { return timelineIndex(s, files) }})
	for _, f := range files {
		deps := func(r *recorder) {
			d, _ := f.year.Dep()
			r.add(d)
			for _, a := range f.page.Articles {
				r.shown(a, false)
			}
		}
		// A page of events is small: made whole, not streamed, which
		// would cost a file writer's buffers for each.
		jobs = p.data(jobs, f.path, deps, job{make: func() ([]byte, error) {
			var b bytes.Buffer
			err := f.write(&b, s, p.pics)
			return b.Bytes(), err
		}})
	}
	return jobs
}

// pageOf adds "(page 2 of 7)" to the title of a page of a list that
// spans several, so that no two pages share a title.
func pageOf(title string, l *site.Listing) string {
	if !l.Paged() {
		return title
	}
	return title + " (page " + strconv.Itoa(l.Number) + " of " + strconv.Itoa(len(l.Pages())) + ")"
}

// listingSize estimates the size of a page listing articles: their
// event snippets, and room for the rest of the page.
func (t *Templates) listingSize(articles []*site.Article) int {
	n := 16 << 10
	for _, a := range articles {
		n += t.events[a].len() + 32
	}
	return n
}

// event is the template function {{event .}}: the article's "event"
// partial, which every listing (timeline, year, tag and party pages)
// shows. Rendering it once per build instead of once per listing is
// most of the rendering work saved. The page records the snippet's
// bytes as read.
func (t *Templates) event(v *ArticleView) (template.HTML, error) {
	if v == nil {
		return "", errNoArticle
	}
	if e, ok := t.events[v.a]; ok {
		v.r.add(site.Dep{Facet: snippetFacet, ID: v.a.Path})
		return e.read()
	}
	var buf bytes.Buffer
	err := t.shared.ExecuteTemplate(&buf, "event", v)
	return template.HTML(buf.String()), err
}

// errNoArticle is the error of {{event}} or {{facts}} given no article
// ({{event .Prev}} on the first event).
var errNoArticle = errors.New("no article: nil")

// eventHTML is one article's event snippet: in memory, or set aside in
// a Spill.
type eventHTML struct {
	html  template.HTML
	piece content.Piece
	aside bool       // the snippet is piece's text
	key   uint64     // with a Cache, the hash of the snippet's bytes
	deps  []site.Dep // with a Cache, what a "facts" partial read
}

func (e eventHTML) len() int {
	if e.aside {
		return e.piece.Len()
	}
	return len(e.html)
}

func (e eventHTML) read() (template.HTML, error) {
	if !e.aside {
		return e.html, nil
	}
	h, err := e.piece.Text()
	return template.HTML(h), err
}

// SetAside makes Plan keep the event snippets in spill, reading each
// back for every listing that shows it, rather than in memory. That is
// for a one-shot build: the snippets of every article would otherwise be
// held through all of rendering, at the peak of the build's memory. Plan
// ignores it when given a Cache, which keeps the snippets itself. A
// snippet the Spill cannot take stays in memory, and the Spill keeps the
// error for its owner, who must check it before running the plan.
func (t *Templates) SetAside(spill *content.Spill) { t.aside = spill }

// factsOf is the template function {{facts .}}: the article's "facts"
// partial, which both its event snippet and its own page show. Whichever
// renders it first in a build keeps it for the other, which takes it:
// held until the end of the build, the facts of 100,000 articles cost
// some 70 MB. The event snippets render first, so in a one-shot build
// they set the facts aside with themselves (see SetAside); what is set
// aside cannot be read back until the snippets are all rendered, so
// until then an event showing the facts twice renders them twice. A
// theme showing them a third time renders them again.
func (t *Templates) factsOf(v *ArticleView) (template.HTML, error) {
	if v == nil {
		return "", errNoArticle
	}
	if t.factsAside == nil {
		if x, ok := t.facts.LoadAndDelete(v.a); ok {
			e := x.(eventHTML)
			v.r.addAll(e.deps)
			return e.read()
		}
	}
	r := newRecorder(v.r != nil)
	var b strings.Builder
	err := t.shared.ExecuteTemplate(&b, "facts", articleView(v.a, r))
	if r != nil {
		v.r.addAll(r.deps)
	}
	if err != nil {
		return "", err
	}
	h := template.HTML(b.String())
	e := setAside(t.factsAside, string(h))
	if r != nil {
		e.deps = r.deps
	}
	t.facts.Store(v.a, e)
	return h, nil
}

// renderEvents fills t.events for every article, on every CPU, taking
// those still up to date from the cache, or setting them aside (see
// SetAside).
func (p *Plan) renderEvents() error {
	t, s, cache := p.t, p.s, p.cache
	t.events = nil
	if t.shared.Lookup("event") == nil {
		return nil // a theme without the partial does not use {{event .}}
	}
	aside := t.aside
	if cache != nil {
		aside = nil
	}
	// Facts are set aside only while the snippets are: the Spill is
	// flushed once, below, before anything reads them back.
	t.factsAside = aside
	defer func() { t.factsAside = nil }()
	html := make([]eventHTML, len(s.Articles))
	errs := make([]error, len(s.Articles))
	todo := p.eventsToRender(html)
	rendering := func(i int) (path, doing string) { return s.Articles[todo[i]].Path, "rendering its event" }
	panics, _ := parallel(len(todo), rendering, func(i int, buf *bytes.Buffer) error {
		i = todo[i]
		a := s.Articles[i]
		r := newRecorder(cache != nil)
		r.site(site.SiteSettings)
		r.add(site.Dep{Facet: chromeFacet}) // {{chrome}} records nothing
		if errs[i] = t.shared.ExecuteTemplate(buf, "event", articleView(a, r)); errs[i] != nil {
			return nil
		}
		html[i] = setAside(aside, buf.String())
		if cache != nil {
			html[i].key = cache.putEvent(a.Path, r, string(html[i].html))
		}
		return nil
	})
	if aside != nil {
		_ = aside.Flush() // an error stays in the Spill for its owner to report
	}
	cache.rememberEvents(s.Articles, todo)
	events := make(map[*site.Article]eventHTML, len(html))
	diags := panics
	for i, a := range s.Articles {
		if errs[i] != nil {
			d := templateError(diag.TemplateRun, LayoutsDir+"/partials/event.html", errs[i])
			d.Message = "rendering the event of " + a.Path + ": " + d.Message
			diags.Add(d)
			continue
		}
		events[a] = html[i]
	}
	t.events = events
	return diags.Err()
}

// eventsToRender fills html with the snippets the cache has up to date
// and lists the indexes of the articles whose snippets must be
// rendered: all of them without a cache.
func (p *Plan) eventsToRender(html []eventHTML) []int {
	todo := make([]int, 0, len(html))
	for i, a := range p.s.Articles {
		if p.cache != nil {
			if e := p.cache.event(i, a); e.fresh() {
				p.cache.use(e)
				html[i] = eventHTML{html: template.HTML(e.html), key: e.key}
				continue
			}
		}
		todo = append(todo, i)
	}
	return todo
}

// setAside puts a snippet in spill, if there is one and it takes it,
// else keeps it in memory.
func setAside(spill *content.Spill, html string) eventHTML {
	if spill != nil {
		if piece, err := spill.Put(html); err == nil {
			return eventHTML{piece: piece, aside: true}
		}
	}
	return eventHTML{html: template.HTML(html)}
}

// maxKeptBuffer is the largest buffer a worker keeps for its next page.
const maxKeptBuffer = 1 << 20

// parallel calls fn for 0..n-1 on every CPU, each worker with its own
// buffer, reset before each call. The first error fn returns stops the
// calls not yet started, and is returned.
//
// A panic in fn(i) is recovered and returned as an internal error that
// names(i) the file and what was being done: a panic on a worker
// goroutine cannot be recovered by the caller and would end the
// process, where a bug in rendering one page must only fail the build.
func parallel(n int, names func(i int) (path, doing string), fn func(i int, buf *bytes.Buffer) error) (diag.List, error) {
	workers := runtime.GOMAXPROCS(0)
	g, ctx := errgroup.WithContext(context.Background())
	g.SetLimit(workers)
	bufs := make(chan *bytes.Buffer, workers)
	for range workers {
		bufs <- new(bytes.Buffer)
	}
	var mu sync.Mutex
	var panics diag.List
	// Items go in small batches: a goroutine per page would cost more
	// than taking a page from the cache does.
	batch := max(1, min(64, n/(16*workers)))
	for start := 0; start < n && ctx.Err() == nil; start += batch {
		g.Go(func() error {
			buf := <-bufs
			defer func() { bufs <- buf }()
			for i := start; i < min(n, start+batch) && ctx.Err() == nil; i++ {
				buf.Reset()
				d, panicked, err := callRecovering(i, buf, names, fn)
				if panicked {
					mu.Lock()
					panics.Add(d)
					mu.Unlock()
				}
				if buf.Cap() > maxKeptBuffer {
					*buf = bytes.Buffer{} // one huge listing need not stay
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
	}
	return panics, g.Wait()
}

// callRecovering calls fn(i, buf), turning a panic into its diagnostic.
func callRecovering(i int, buf *bytes.Buffer, names func(int) (string, string), fn func(int, *bytes.Buffer) error) (d diag.Diagnostic, panicked bool, err error) {
	defer func() {
		if v := recover(); v != nil {
			path, doing := names(i)
			d, panicked = diag.FromPanic(path, doing, v, debug.Stack()), true
		}
	}()
	return d, false, fn(i, buf)
}

// streams reports whether a job is big enough to stream.
func (j job) streams() bool {
	return j.make == nil && (j.writeTo != nil || j.size > streamAbove)
}

// write renders a job straight into w.
func (t *Templates) write(w io.Writer, j job) error {
	if j.writeTo != nil {
		if err := j.writeTo(w); err != nil {
			return diag.New(diag.TemplateRun, "", 0, "rendering %s: %v", j.path, err)
		}
		return nil
	}
	if j.fill != nil {
		j.fill(&j.data)
	}
	name := LayoutsDir + "/" + j.template
	if err := t.pages[j.template].ExecuteTemplate(w, name, j.data); err != nil {
		d := templateError(diag.TemplateRun, name, err)
		d.Message = "rendering " + j.path + ": " + d.Message
		return d
	}
	return nil
}

// writeRecovering is write with a panic turned into an internal error.
func (t *Templates) writeRecovering(w io.Writer, j job) (err error) {
	defer diag.Recover(&err, "", "rendering "+j.path)
	return t.write(w, j)
}

// run renders one job into bytes of its own, using buf as scratch space.
func (t *Templates) run(buf *bytes.Buffer, j job) ([]byte, error) {
	if j.writeTo != nil && j.make == nil {
		buf.Grow(j.size)
		if err := t.write(buf, j); err != nil {
			return nil, err
		}
		return owned(buf), nil
	}
	if j.make != nil {
		b, err := j.make()
		if err != nil {
			return nil, diag.New(diag.TemplateRun, "", 0, "rendering %s: %v", j.path, err)
		}
		return b, nil
	}
	if j.fill != nil {
		j.fill(&j.data)
	}
	buf.Grow(j.size) // a listing's size is known: no doubling on the way
	name := LayoutsDir + "/" + j.template
	if err := t.pages[j.template].ExecuteTemplate(buf, name, j.data); err != nil {
		d := templateError(diag.TemplateRun, name, err)
		d.Message = "rendering " + j.path + ": " + d.Message
		return nil, d
	}
	return owned(buf), nil
}

// owned returns buf's bytes for keeps: a large buffer is handed over
// whole (the worker starts a new one), a small one copied.
func owned(buf *bytes.Buffer) []byte {
	if buf.Cap() > maxKeptBuffer {
		data := buf.Bytes()
		*buf = bytes.Buffer{}
		return data
	}
	return bytes.Clone(buf.Bytes())
}
