package check

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/layouts"
	"github.com/dealsite/dealsite/static"
)

func TestCheckFindsEveryKindOfProblem(t *testing.T) {
	fsys := problemSite()
	out, err := build.Build(context.Background(), fsys, build.Options{Theme: build.Theme{Layouts: layouts.FS, Static: static.FS}})
	if err != nil {
		t.Fatal(err)
	}
	got := Site(out, []string{"articles/plan/"}).Sorted()
	checkProblems(t, got)
}

// Build, checking the pages as they are made, finds what Site finds in
// a whole Output.
func TestBuildChecksAsItBuilds(t *testing.T) {
	got, stats, err := Build(context.Background(), problemSite(), build.Options{Theme: build.Theme{Layouts: layouts.FS, Static: static.FS}}, []string{"articles/plan/"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if stats.Pages == 0 {
		t.Error("no pages counted")
	}
	checkProblems(t, got)
}

func problemSite() fstest.MapFS {
	return fstest.MapFS{
		"content/_index.md": {Data: []byte("---\ntitle: T\nbase_url: https://example.org/deals/\n---\nIntro.\n")},
		"content/a.md": {Data: []byte("---\ntitle: Same\ndate: 2011-02-11\ntags: [Windows Phone]\n---\n" +
			"## Terms\n\n" +
			"[ok](#terms) [ok2](/deals/tags/) [ok3](b.md) [ok4](https://other.example/x) [ok5](mailto:a@b.c)\n\n" +
			"[broken](/deals/articles/nope/) [frag](#missing) [frag2](/deals/articles/b/#nowhere)\n\n" +
			"[outside](/elsewhere/) [abs](https://example.org/other/) [draft](/deals/articles/plan/)\n")},
		"content/b.md":    {Data: []byte("---\ntitle: same\ndate: 2011-02-11\ntags: [Windows-Phone]\n---\nB.\n")},
		"content/plan.md": {Data: []byte("---\ntitle: Plan\ndate: 2012-01-01\ndraft: true\n---\nSecret.\n")},
	}
}

func checkProblems(t *testing.T, got diag.List) {
	t.Helper()
	want := []string{
		"content/a.md: error DS501: page articles/a/index.html links to /deals/articles/nope/: no such page",
		"content/a.md: error DS502: page articles/a/index.html links to #missing: articles/a/index.html has no id \"missing\"",
		"content/a.md: error DS502: page articles/a/index.html links to /deals/articles/b/#nowhere: articles/b/index.html has no id \"nowhere\"",
		"content/a.md: error DS503: page articles/a/index.html links to /elsewhere/, outside the base path /deals/",
		"content/a.md: error DS503: page articles/a/index.html links to https://example.org/other/, outside the base path /deals/",
		"content/a.md: error DS504: page articles/a/index.html links to the draft /deals/articles/plan/",
		"content/b.md: warning DS505: \"same\" on 2011-02-11 is also the title of content/a.md on the same date",
		"content/b.md: warning DS506: tag \"Windows-Phone\" differs from \"Windows Phone\" only in punctuation; they show as two tags",
	}
	var lines []string
	for _, d := range got {
		lines = append(lines, d.Error())
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if got.Errors() != 6 {
		t.Errorf("%d errors", got.Errors())
	}
	_ = diag.Text
}

// A link reaches a draft when it names the draft's folder or anything
// inside it, and only then.
func TestDraftSet(t *testing.T) {
	d := newDraftSet([]string{"articles/plan/", "articles/a/b/"})
	for rel, want := range map[string]bool{
		"articles/plan/":            true,
		"articles/plan/index.html":  true,
		"articles/plan/img/x.png":   true,
		"articles/a/b/":             true,
		"articles/a/b/index.html":   true,
		"articles/plan":             false, // another file, served as such by no static host
		"articles/planned/":         false,
		"articles/a/":               false,
		"articles/":                 false,
		"":                          false,
		"tags/plan/":                false,
		"articles/plan2/index.html": false,
	} {
		if got := d.holds(rel); got != want {
			t.Errorf("holds(%q) = %v, want %v", rel, got, want)
		}
	}
}
