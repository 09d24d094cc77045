package site

import (
	"strings"
	"testing"

	"github.com/dealsite/dealsite/internal/content"
)

// TestReviewDraftsWarnsAboutDraftLinks: a draft under review may link to
// an article not written yet (a warning); published with Drafts, the same
// link is an error; a published article's broken link stays an error.
func TestReviewDraftsWarnsAboutDraftLinks(t *testing.T) {
	draft := article("content/plan.md", "2014-01-01", "Plan")
	draft.Draft = true
	draft.Refs = []content.Ref{{Target: "content/sequel.md", Line: 6, Col: 5}}
	c := &content.Content{Settings: content.Settings{BaseURL: "https://example.org/"}, Articles: []*content.Article{draft}}

	s, err := New(c, Options{ReviewDrafts: true})
	if err != nil {
		t.Fatalf("ReviewDrafts: %v", err)
	}
	if len(s.Articles) != 1 || !s.Articles[0].Draft {
		t.Errorf("ReviewDrafts: articles %q, want the draft", titles(s.Articles))
	}
	want := "content/plan.md:6:5: warning DS203: link to content/sequel.md: no such article"
	if w := s.Warnings(); len(w) != 1 || w[0].Error() != want {
		t.Errorf("ReviewDrafts: warnings %v, want %s", w, want)
	}

	_, err = New(c, Options{Drafts: true})
	if got := errorLines(err); len(got) != 1 || got[0] != strings.Replace(want, "warning", "error", 1) {
		t.Errorf("Drafts: errors %q", got)
	}

	published := article("content/b.md", "2013-01-01", "B")
	published.Refs = []content.Ref{{Target: "content/missing.md", Line: 7}}
	c.Articles = append(c.Articles, published)
	_, err = New(c, Options{ReviewDrafts: true})
	if got := errorLines(err); len(got) != 1 || !strings.HasPrefix(got[0], "content/b.md:7: error DS203") {
		t.Errorf("ReviewDrafts, a published article's broken link: errors %q", got)
	}
}
