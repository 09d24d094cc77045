package render

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/layouts"
)

// With a Spill, Plan keeps the event snippets, and the facts they share
// with the article pages, on disk, not in memory, and every file is byte
// for byte what it is without one: a one-shot build of 10,000 articles
// would otherwise hold some 12 MB of snippets and 7 MB of facts through
// all rendering, at the peak of its memory.
func TestEventSnippetsSetAsideRenderTheSame(t *testing.T) {
	articles := map[string]string{}
	for i := range 30 {
		articles[fmt.Sprintf("content/a%02d.md", i)] = fmt.Sprintf("---\ntitle: Deal %d\ndate: 20%02d-03-04\ntags: [t%d]\nparties: [P%d]\n---\nBody %d.\n", i, 10+i%5, i%3, i%4, i)
	}
	want, err := plan(t, nil, articles).Files()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.CreateTemp(t.TempDir(), "spill")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tmpl, err := LoadTemplates(nil, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	tmpl.SetAside(content.NewSpill(f))
	p, err := tmpl.Plan(planWith(t, tmpl, nil, articles).s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if held := heldEventBytes(tmpl); held != 0 || len(tmpl.events) != 30 {
		t.Errorf("%d snippets, %d bytes of them in memory; want 30, 0 bytes", len(tmpl.events), held)
	}
	if held := heldFactsBytes(tmpl); held != 0 {
		t.Errorf("%d bytes of facts in memory, want 0", held)
	}
	got, err := p.Files()
	if err != nil {
		t.Fatal(err)
	}
	for path, data := range want {
		if !bytes.Equal(got[path], data) {
			t.Errorf("%s differs with the snippets set aside", path)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d files, want %d", len(got), len(want))
	}
}

// heldEventBytes is how many bytes of event snippets t holds in memory.
func heldEventBytes(t *Templates) int {
	n := 0
	for _, e := range t.events {
		n += len(e.html)
	}
	return n
}

// heldFactsBytes is how many bytes of facts partials t holds in memory.
func heldFactsBytes(t *Templates) int {
	n := 0
	t.facts.Range(func(_, v any) bool {
		if e, ok := v.(eventHTML); ok && !e.aside {
			n += len(e.html)
		}
		return true
	})
	return n
}

// fullDisk fails every write, like a disk with no space left.
type fullDisk struct{}

func (fullDisk) Write([]byte) (int, error)         { return 0, errors.New("no space left on device") }
func (fullDisk) ReadAt([]byte, int64) (int, error) { return 0, io.EOF }

// A Spill that cannot write keeps its error through Plan, for the build
// to report before it runs the plan: a snippet the Spill buffered and
// then lost cannot be read back.
func TestPlanLeavesTheSpillsErrorToItsOwner(t *testing.T) {
	s := timelineSite(t)
	tmpl, err := LoadTemplates(nil, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	spill := content.NewSpill(fullDisk{})
	tmpl.SetAside(spill)
	if _, err := tmpl.Plan(s, nil); err != nil {
		t.Fatal(err)
	}
	if err := spill.Flush(); err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Errorf("Flush = %v, want the write error", err)
	}
}

// A theme whose event partial shows the facts twice renders them the
// same with the snippets set aside: the second {{facts .}} cannot read
// back what the first set aside before the Spill is flushed.
func TestFactsTwiceInAnEventSetAside(t *testing.T) {
	event, err := fs.ReadFile(layouts.FS, "partials/event.html")
	if err != nil {
		t.Fatal(err)
	}
	twice := strings.Replace(string(event), "{{- facts .}}", "{{- facts .}}{{facts .}}", 1)
	if twice == string(event) {
		t.Fatal("the theme's event partial no longer shows {{- facts .}}")
	}
	theme := fstest.MapFS{"layouts/partials/event.html": {Data: []byte(twice)}}
	load := func() *Templates {
		tmpl, err := LoadTemplates(theme, layouts.FS)
		if err != nil {
			t.Fatal(err)
		}
		return tmpl
	}
	articles := map[string]string{"content/a.md": "---\ntitle: A\ndate: 2011-01-01\nparties: [P]\n---\nFirst.\n"}
	want, err := planWith(t, load(), nil, articles).Files()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.CreateTemp(t.TempDir(), "spill")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tmpl := load()
	tmpl.SetAside(content.NewSpill(f))
	got, err := planWith(t, tmpl, nil, articles).Files()
	if err != nil {
		t.Fatal(err)
	}
	for path, data := range want {
		if !bytes.Equal(got[path], data) {
			t.Errorf("%s differs with the snippets set aside", path)
		}
	}
}
