package content

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
)

func TestNestingCountsWhatTheParserOpens(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		want       string // "" when the article builds
	}{
		{"thematic break of 101 markers", strings.Repeat("- ", 101) + "\n", ""},
		{"quote markers in a code block", "```\n" + strings.Repeat("> ", 150) + "x\n```\n", ""},
		{"100 levels on one line", strings.Repeat("> ", 100) + "fine\n", ""},
		{"100 levels over 100 lines", string(nestedList(100)[len(article("")):]), ""},
		{"101 levels on one line", "ok\n\n" + strings.Repeat("- ", 101) + "deep\n",
			":7: error DS115: quotes and lists are nested 101 levels deep"},
		{"150 levels on one line", strings.Repeat("> ", 150) + "x\n",
			":5: error DS115: quotes and lists are nested 101 levels deep"},
		{"101 levels over 101 lines", string(nestedList(101)[len(article("")):]),
			":105: error DS115: quotes and lists are nested 101 levels deep"},
		{"quotes inside 60 list levels", string(nestedList(60)[len(article("")):]) + strings.Repeat("  ", 60) + strings.Repeat("> ", 40) + "x\n", ""},
		{"quotes inside 60 list levels, one too many", string(nestedList(60)[len(article("")):]) + strings.Repeat("  ", 60) + strings.Repeat("> ", 41) + "x\n",
			":65: error DS115: quotes and lists are nested 101 levels deep"},
	} {
		a, errs := parse(t, article(tt.body))
		switch {
		case tt.want == "" && errs != nil:
			t.Errorf("%s: errors %q", tt.name, errs)
		case tt.want == "" && a == nil:
			t.Errorf("%s: no article", tt.name)
		case tt.want != "" && (len(errs) != 1 || !strings.Contains(errs[0], tt.want)):
			t.Errorf("%s: errors %q, want one with %q", tt.name, errs, tt.want)
		}
	}
}

// countdown is a context that is cancelled after its Err has been asked
// n times: a deterministic way to cancel in the middle of a parse.
type countdown struct {
	context.Context
	n atomic.Int64
}

func (c *countdown) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func TestParseStopsWhenCancelled(t *testing.T) {
	ctx := &countdown{Context: context.Background()}
	ctx.n.Store(50)
	a, err := NewMarkdown(false).ParseArticleContext(ctx, "content/deep.md", nestedList(2000))
	if a != nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("ParseArticleContext = %v, %v; want context.Canceled", a, err)
	}
	if asked := 50 - ctx.n.Load(); asked > 1000 {
		t.Errorf("Err asked %d times after the cancel: the parse went on", asked-50)
	}
}

func TestLoadStopsWhenCancelledAndForgetsNothing(t *testing.T) {
	fsys := fstest.MapFS{
		"content/a.md":    {Data: []byte(article("a\n"))},
		"content/deep.md": {Data: nestedList(2000)},
	}
	l := NewLoader()
	ctx := &countdown{Context: context.Background()}
	ctx.n.Store(20)
	if _, err := l.LoadContext(ctx, fsys); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Load = %v, want context.Canceled", err)
	}
	c, err := l.Load(fsys)
	if len(lines(err)) != 1 || !strings.Contains(lines(err)[0], "content/deep.md:105: error DS115") {
		t.Errorf("Load after a cancelled one: %q", lines(err))
	}
	if c == nil || len(c.Articles) != 1 || c.Articles[0].Path != "content/a.md" {
		t.Errorf("Load after a cancelled one kept %+v", c)
	}
}
