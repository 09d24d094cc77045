package render

import (
	"bytes"
	"cmp"
	"html/template"
	"io"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/site"
)

// job is one file to render: its output path and either a template with
// its data or a function producing bytes. Jobs with a key are looked up
// in, and stored into, the cache.
type job struct {
	path     string
	template string
	data     Page
	make     func() ([]byte, error)
	key      uint64
	cached   bool // to be stored in the cache under key
	hit      bool // taken from the cache
	size     int  // the page's expected size in bytes, if known
	// writeTo, for a file made by Go code rather than a template, writes
	// it (make is the other way, for files small enough to build whole).
	writeTo func(io.Writer) error
	// fill completes data when the job runs rather than when it is
	// planned: article JSON-LD, so that 10,000 of them are not all held
	// at once, and the home page's chart, not made when it is cached.
	fill func(*Page)
}

// Files renders every page, feed, sitemap and data file of s into a map
// from output path (slash-separated, relative to the output folder) to
// content. All template execution errors are returned together.
//
// cache, when not nil, keeps article pages and event snippets between
// calls (see Cache); the result is the same with or without it.
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
	jobs  []job
}

// Plan renders the page frame's chrome and the event snippets every
// listing shows, and lists the files of s. cache is left unused, and
// emptied, when its keys do not cover t (see Cache).
func (t *Templates) Plan(s *site.Site, cache *Cache) (*Plan, error) {
	if cache != nil && !cache.covers(t) {
		cache.forget()
		cache = nil
	}
	cache.begin(t, s)
	t.facts = new(sync.Map)
	if err := t.renderChrome(s); err != nil {
		return nil, err
	}
	if err := t.renderEvents(s, cache); err != nil {
		return nil, err
	}
	found, err := t.searchJobs(s, cache)
	if err != nil {
		return nil, err
	}
	return &Plan{t: t, s: s, cache: cache, jobs: append(t.jobs(s, cache), found...)}, nil
}

// Paths lists the output path of every file, in no particular order.
func (p *Plan) Paths() []string {
	paths := make([]string, len(p.jobs))
	for i, j := range p.jobs {
		paths[i] = j.path
	}
	return paths
}

// A Sink receives the files of a Run.
type Sink struct {
	// File receives one file. It is called from several goroutines at
	// once; data is File's to keep, and nothing changes it afterwards.
	// key, when not 0, is the file's cache key: equal keys mean equal
	// bytes within one Cache's life, so a caller can compare files
	// without hashing them.
	File func(path string, data []byte, key uint64) error
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
		mu      sync.Mutex
		diags   diag.List
		sinkErr error
		stopped atomic.Bool
	)
	panics := parallel(len(p.jobs), p.rendering, func(i int, buf *bytes.Buffer) {
		if stopped.Load() {
			return
		}
		renderErr, err := p.runOne(buf, p.jobs[i], sink)
		if renderErr == nil && err == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		diags.Merge(renderErr)
		if err != nil {
			stopped.Store(true)
			sinkErr = cmp.Or(sinkErr, err)
		}
	})
	if sinkErr != nil {
		return sinkErr
	}
	diags = append(diags, panics...)
	if err := diags.Err(); err != nil {
		return err
	}
	p.cache.retain(p.s, p.jobs)
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
	if j.cached && !j.hit {
		p.cache.put(p.cache.pages, j.path, j.key, data)
	}
	return nil, sink.File(j.path, data, j.key)
}

func (t *Templates) jobs(s *site.Site, cache *Cache) []job {
	tmpl := t // t names a term in the loops below
	listingJob := func(template string, d Page) job {
		return job{path: d.Rel + "index.html", template: template, data: d, size: tmpl.listingSize(d.Listing.Articles)}
	}
	base := Page{Site: s, Feed: s.Feed()}
	page := func(kind, title, summary string, p site.Page) Page {
		d := base
		d.Kind, d.Title, d.Summary, d.Page = kind, title, summary, p
		return d
	}
	home := page("home", s.Title, s.Description, s.Home())
	fillHome := func(d *Page) { d.Chart, d.JSONLD = Chart(s), timelineJSONLD(s) }
	jobs := []job{
		{path: "index.html", template: "index.html", data: home, fill: fillHome, size: t.listingSize(s.Articles[len(s.Articles)-s.LatestCount():])},
		{path: "404.html", template: "404.html", data: page("404", "Page not found", s.Description, s.NotFound())},
		{path: "years/index.html", template: "years.html", data: page("years", "Years", "Every year of "+s.Title, s.YearIndex())},
		termsJob(page("tags", "Tags", "Every tag of "+s.Title, s.TagIndex()), s.Tags),
		termsJob(page("parties", "Parties", "Every company in "+s.Title, s.PartyIndex()), s.Parties),
		{path: "feed.xml", make: func() ([]byte, error) { return Feed(s, s.Title, s.Feed(), s.Home(), s.Articles, true) }},
		{path: "robots.txt", make: func() ([]byte, error) { return Robots(s), nil }},
		{path: "timeline.json", writeTo: func(w io.Writer) error { return WriteTimelineJSON(w, s) }, size: 1500 * s.LatestCount()},
		{path: EventsNDJSON, writeTo: func(w io.Writer) error { return WriteEventsNDJSON(w, s) }, size: 1000 * len(s.Articles)},
	}
	jobs = append(jobs, timelineJobs(s)...)
	sitemaps := planSitemaps(s, sitemapURLs(s), sitemapMaxBytes)
	for _, f := range sitemaps {
		jobs = append(jobs, job{path: f.path, make: func() ([]byte, error) { return f.bytes(s, sitemaps), nil }})
	}
	for _, a := range s.Articles {
		d := page("article", a.Title, a.Summary, a.Page)
		j := job{path: a.Rel + "index.html", template: "article.html"}
		if cache != nil {
			j.key, j.cached = cache.pageKey(a), true
			if data, hit := cache.get(cache.pages, j.path, j.key); hit {
				j.make, j.hit = func() ([]byte, error) { return data, nil }, true
				jobs = append(jobs, j)
				continue
			}
		}
		d.Article = a
		j.data = d
		j.fill = func(d *Page) { d.JSONLD = articleJSONLD(s, a) }
		jobs = append(jobs, j)
	}
	for _, y := range s.Years {
		year := strconv.Itoa(y.Year)
		for _, l := range y.Listings() {
			d := page("year", pageOf(year, l), pageOf("Events of "+year+" in "+s.Title, l), l.Page)
			d.Year, d.Listing = y, l
			jobs = append(jobs, listingJob("year.html", d))
		}
	}
	for _, t := range s.Tags {
		for _, l := range t.Listings() {
			d := page("tag", pageOf("Tag: "+t.Name, l), pageOf("Events tagged "+t.Name+" in "+s.Title, l), l.Page)
			d.Term, d.Listing, d.Feed = t, l, t.Feed
			jobs = append(jobs, listingJob("term.html", d))
		}
		jobs = append(jobs, job{path: t.Feed.Rel, make: func() ([]byte, error) {
			return Feed(s, s.Title+": "+t.Name, t.Feed, t.Page, t.Articles, false)
		}})
	}
	for _, t := range s.Parties {
		for _, l := range t.Listings() {
			d := page("party", pageOf(t.Name, l), pageOf("Events involving "+t.Name+" in "+s.Title, l), l.Page)
			d.Term, d.Listing = t, l
			jobs = append(jobs, listingJob("term.html", d))
		}
	}
	if cache != nil {
		for i, j := range jobs {
			if !j.cached {
				jobs[i] = cache.listingJob(j)
			}
		}
	}
	return jobs
}

// timelineJobs are the per-year TimelineJS files and their index, when
// timeline.json holds only the newest events.
func timelineJobs(s *site.Site) []job {
	files := timelineFiles(s)
	if files == nil {
		return nil
	}
	jobs := []job{{path: TimelineIndex, make: func() ([]byte, error) { return timelineIndex(s, files) }}}
	for _, f := range files {
		// A page of events is small: made whole, not streamed, which
		// would cost a file writer's buffers for each.
		jobs = append(jobs, job{path: f.path, make: func() ([]byte, error) {
			var b bytes.Buffer
			err := f.write(&b, s)
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

func termsJob(d Page, terms []*site.Term) job {
	d.Terms = terms
	return job{path: d.Rel + "index.html", template: "terms.html", data: d}
}

// event is the template function {{event .}}: the article's "event"
// partial, which every listing (timeline, year, tag and party pages)
// shows. Rendering it once per build instead of once per listing is
// most of the rendering work saved.
func (t *Templates) event(a *site.Article) (template.HTML, error) {
	if e, ok := t.events[a]; ok {
		return e.read()
	}
	var buf bytes.Buffer
	err := t.shared.ExecuteTemplate(&buf, "event", a)
	return template.HTML(buf.String()), err
}

// eventHTML is one article's event snippet: in memory, or set aside in
// a Spill.
type eventHTML struct {
	html  template.HTML
	piece content.Piece
	aside bool // the snippet is piece's text
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
func (t *Templates) factsOf(a *site.Article) (template.HTML, error) {
	if t.factsAside == nil {
		if v, ok := t.facts.LoadAndDelete(a); ok {
			return v.(eventHTML).read()
		}
	}
	var b strings.Builder
	if err := t.shared.ExecuteTemplate(&b, "facts", a); err != nil {
		return "", err
	}
	h := template.HTML(b.String())
	t.facts.Store(a, setAside(t.factsAside, string(h)))
	return h, nil
}

// renderEvents fills t.events for every article, on every CPU, taking
// unchanged ones from the cache, or setting them aside (see SetAside).
func (t *Templates) renderEvents(s *site.Site, cache *Cache) error {
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
	rendering := func(i int) (path, doing string) { return s.Articles[i].Path, "rendering its event" }
	panics := parallel(len(s.Articles), rendering, func(i int, buf *bytes.Buffer) {
		a := s.Articles[i]
		var key uint64
		if cache != nil {
			key = cache.eventKey(a)
			if data, hit := cache.get(cache.events, a.Rel, key); hit {
				html[i].html = template.HTML(data)
				return
			}
		}
		if errs[i] = t.shared.ExecuteTemplate(buf, "event", a); errs[i] != nil {
			return
		}
		html[i] = setAside(aside, buf.String())
		if cache != nil {
			cache.put(cache.events, a.Rel, key, []byte(html[i].html))
		}
	})
	if aside != nil {
		_ = aside.Flush() // an error stays in the Spill for its owner to report
	}
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
// buffer, reset before each call.
//
// A panic in fn(i) is recovered and returned as an internal error that
// names(i) the file and what was being done: a panic on a worker
// goroutine cannot be recovered by the caller and would end the
// process, where a bug in rendering one page must only fail the build.
func parallel(n int, names func(i int) (path, doing string), fn func(i int, buf *bytes.Buffer)) diag.List {
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var panics diag.List
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf bytes.Buffer
			for i := range next {
				buf.Reset()
				if d, panicked := callRecovering(i, &buf, names, fn); panicked {
					mu.Lock()
					panics.Add(d)
					mu.Unlock()
				}
				if buf.Cap() > maxKeptBuffer {
					buf = bytes.Buffer{} // one huge listing need not stay
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return panics
}

// callRecovering calls fn(i, buf), turning a panic into its diagnostic.
func callRecovering(i int, buf *bytes.Buffer, names func(int) (string, string), fn func(int, *bytes.Buffer)) (d diag.Diagnostic, panicked bool) {
	defer func() {
		if v := recover(); v != nil {
			path, doing := names(i)
			d, panicked = diag.FromPanic(path, doing, v, debug.Stack()), true
		}
	}()
	fn(i, buf)
	return d, false
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
