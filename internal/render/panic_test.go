package render

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/site"
	"github.com/dealsite/dealsite/layouts"
)

// brokenSite is a model that breaks the invariants New guarantees, as a
// bug in the model would: its years run backwards (the chart indexes out
// of range) and its list of eras holds a nil (timeline.json dereferences
// it).
func brokenSite() *site.Site {
	s := &site.Site{Title: "T", BaseURL: "https://example.org/", BasePath: "/"}
	a := &site.Article{Title: "A", Slug: "a", Page: site.Page{Rel: "articles/a/", URL: "/articles/a/"}}
	b := &site.Article{Title: "B", Slug: "b", Page: site.Page{Rel: "articles/b/", URL: "/articles/b/"}}
	s.Articles = []*site.Article{a, b}
	s.Eras = []*site.Era{nil}
	s.Years = []*site.Year{
		{Year: 2014, Articles: s.Articles[:1], Page: site.Page{Rel: "years/2014/"}},
		{Year: 2013, Articles: s.Articles[1:], Page: site.Page{Rel: "years/2013/"}},
	}
	return s
}

// internalErrors returns the DS006 diagnostics err carries.
func internalErrors(err error) diag.List {
	var list, out diag.List
	list.Merge(err)
	for _, d := range list {
		if d.Code == diag.Internal {
			out = append(out, d)
		}
	}
	return out
}

// A panic while rendering a page, on a worker goroutine, must come back
// as an error naming the page, not end the process.
func TestPanicRenderingAPageIsAnInternalError(t *testing.T) {
	tmpl, err := LoadTemplates(nil, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tmpl.Files(brokenSite(), nil)
	found := internalErrors(err)
	var pages []string
	for _, d := range found {
		pages = append(pages, d.Message)
		if d.Stack == "" || strings.Contains(d.Message, "\n") {
			t.Errorf("want one line and a stack: %+v", d)
		}
	}
	if len(found) != 2 || !strings.Contains(found.Error(), "internal error while rendering index.html: runtime error: index out of range") ||
		!strings.Contains(found.Error(), "internal error while rendering timeline.json: runtime error: invalid memory address") {
		t.Errorf("internal errors: %q; all: %v", pages, err)
	}
}

// A streamed file whose rendering panics fails its write function with
// the error, so the sink discards what it wrote as for any other error.
func TestPanicInAStreamedFileFailsItsWrite(t *testing.T) {
	tmpl, err := LoadTemplates(nil, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	p, err := tmpl.Plan(brokenSite(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	failed := map[string]error{}
	err = p.Run(Sink{
		File: func(string, []byte, uint64) error { return nil },
		Stream: func(path string, write func(io.Writer) error) error {
			werr := write(new(bytes.Buffer))
			mu.Lock()
			failed[path] = werr
			mu.Unlock()
			return werr
		},
	})
	if len(internalErrors(err)) == 0 {
		t.Errorf("Run = %v, want an internal error", err)
	}
	if werr := failed["timeline.json"]; !errors.As(werr, new(diag.Diagnostic)) {
		t.Errorf("timeline.json's write returned %v, want the internal error", werr)
	}
}
