package render

import (
	"bytes"
	"runtime"
	"sync"

	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/site"
)

// Page is the data every page template receives as dot.
type Page struct {
	Site    *site.Site
	Kind    string // "home", "article", "tags", "tag" or "404"
	Title   string // page title; the site title on the home page
	Summary string // meta description
	site.Page
	Article *site.Article // on "article" pages
	Tag     *site.Tag     // on "tag" pages
}

// Link returns the root-relative URL of a path under the base URL, for
// assets and fixed pages: {{.Link "css/style.css"}}.
func (p Page) Link(rel string) string { return p.Site.BasePath + rel }

// job is one page to render: its output path, template and data.
type job struct {
	path     string
	template string
	data     Page
}

// Files renders every page, feed, sitemap and robots.txt of s into a map
// from output path (slash-separated, relative to the output folder) to
// content. All template execution errors are returned together.
func (t *Templates) Files(s *site.Site) (map[string][]byte, error) {
	jobs := pageJobs(s)
	out := make(map[string][]byte, len(jobs)+3)
	results := t.execute(jobs)
	var diags diag.List
	for i, j := range jobs {
		if results[i].err != nil {
			diags.Merge(results[i].err)
			continue
		}
		out[j.path] = results[i].data
	}
	out["feed.xml"] = Feed(s)
	out["sitemap.xml"] = Sitemap(s)
	out["robots.txt"] = Robots(s)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func pageJobs(s *site.Site) []job {
	base := Page{Site: s}
	page := func(kind, title, summary string, p site.Page) Page {
		d := base
		d.Kind, d.Title, d.Summary, d.Page = kind, title, summary, p
		return d
	}
	jobs := []job{
		{"index.html", "index.html", page("home", s.Title, s.Description, s.Home())},
		{"tags/index.html", "tags.html", page("tags", "Tags", "Every tag on "+s.Title, s.TagIndex())},
		{"404.html", "404.html", page("404", "Page not found", s.Description, s.NotFound())},
	}
	for _, a := range s.Articles {
		d := page("article", a.Title, a.Summary, a.Page)
		d.Article = a
		jobs = append(jobs, job{a.Rel + "index.html", "article.html", d})
	}
	for _, tag := range s.Tags {
		d := page("tag", "Tag: "+tag.Name, "Events tagged "+tag.Name+" on "+s.Title, tag.Page)
		d.Tag = tag
		jobs = append(jobs, job{tag.Rel + "index.html", "tag.html", d})
	}
	return jobs
}

type result struct {
	data []byte
	err  error
}

// execute runs the jobs on every CPU; templates are safe for concurrent
// execution once parsed.
func (t *Templates) execute(jobs []job) []result {
	results := make([]result, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf bytes.Buffer
			for i := range next {
				buf.Reset()
				results[i] = t.run(&buf, jobs[i])
			}
		})
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

func (t *Templates) run(buf *bytes.Buffer, j job) result {
	tmpl := t.pages[j.template]
	name := LayoutsDir + "/" + j.template
	if err := tmpl.ExecuteTemplate(buf, name, j.data); err != nil {
		d := templateError(name, err)
		d.Message = "rendering " + j.path + ": " + d.Message
		return result{err: d}
	}
	return result{data: bytes.Clone(buf.Bytes())}
}
