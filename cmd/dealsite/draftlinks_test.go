package main_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDraftLinkingToUnwrittenArticle: a draft may link to an article not
// written yet. build accepts it, and check and list agree: the link is a
// warning until the draft is published, and an error with -drafts.
func TestDraftLinkingToUnwrittenArticle(t *testing.T) {
	files := smallSite()
	files["content/plan.md"] = "---\ntitle: Plan\ndate: 2014-01-01\ndraft: true\n---\nSee [the sequel](sequel.md) and [alpha](2011-02-11-alpha.md).\n"
	site := newSite(t, files)
	const where = "content/plan.md:6:5: "

	build(t, site, filepath.Join(t.TempDir(), "out"), "-quiet")

	r := runIn(t, site, "check")
	if r.code != 0 || !strings.Contains(r.stderr, where+"warning DS203: ") || strings.Contains(r.stderr, "error") {
		t.Errorf("check: want exit 0 with a DS203 warning at %s, got:\n%s", where, r)
	}
	if r := runIn(t, site, "check", "-strict"); r.code != 1 || !strings.Contains(r.stderr, "warning DS203") {
		t.Errorf("check -strict: want exit 1 on the warning, got:\n%s", r)
	}
	if r := runIn(t, site, "list", "drafts"); r.code != 0 || !strings.Contains(r.stdout, "content/plan.md") {
		t.Errorf("list drafts: want the draft listed, got:\n%s", r)
	}
	if r := runIn(t, site, "list", "-format", "json", "articles"); r.code != 0 || !strings.Contains(r.stdout, `"title":"Plan"`) {
		t.Errorf("list articles: want the draft listed, got:\n%s", r)
	}

	got := buildFails(t, site, filepath.Join(t.TempDir(), "out"), "-drafts")
	if len(got) != 2 || !strings.HasPrefix(got[0], "content/plan.md:6: link to content/sequel.md") {
		t.Errorf("build -drafts: want the link as an error, got:\n%s", strings.Join(got, "\n"))
	}
}
