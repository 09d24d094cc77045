package content

import (
	"strings"
	"testing"
	"testing/fstest"
)

const testSettings = "---\ntitle: T\nbase_url: https://example.org/\n---\n"

// TestBundleSlug: an article folder's index.md is named by its folder,
// without the folder's leading date, as a file is by its name.
func TestBundleSlug(t *testing.T) {
	tests := map[string]string{
		"2013-sale/index.md":          "sale",
		"2013-09-03-sale/index.md":    "sale",
		"2013/2013-09-sale/index.md":  "sale",
		"phone-deal/index.md":         "phone-deal",
		"index.md":                    "index", // content/ itself is no article folder
		"2013-sale/index.md.draft.md": "index-md-draft",
	}
	for name, want := range tests {
		fsys := fstest.MapFS{
			"content/_index.md": {Data: []byte(testSettings)},
			"content/" + name:   {Data: []byte("---\ntitle: A deal\ndate: 2013\n---\nx\n")},
		}
		c, err := Load(fsys)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := c.Articles[0].Slug; got != want {
			t.Errorf("%s: slug %q, want %q", name, got, want)
		}
	}
}

// TestMarkdownInsideBundleIsAnError: an article folder holds one
// article. A second markdown file in it (or in a folder under it) would
// be published nowhere by Hugo's rule and as a second article by the
// old one; both surprise, so it is an error that says what to do.
func TestMarkdownInsideBundleIsAnError(t *testing.T) {
	article := []byte("---\ntitle: A deal\ndate: 2013\n---\nx\n")
	fsys := fstest.MapFS{
		"content/_index.md":               {Data: []byte(testSettings)},
		"content/2013-sale/index.md":      {Data: article},
		"content/2013-sale/notes.md":      {Data: article},
		"content/2013-sale/more/index.md": {Data: article},
		"content/2013-sale/memo.txt":      {Data: []byte("memo")},
		"content/2013-other.md":           {Data: article},
	}
	c, err := Load(fsys)
	want := "content/2013-sale/more/index.md:1: error DS608: a markdown file inside the article folder of content/2013-sale/index.md; an article folder holds one article: move this file out of content/2013-sale/ to make it an article of its own\n" +
		"content/2013-sale/notes.md:1: error DS608: a markdown file inside the article folder of content/2013-sale/index.md; an article folder holds one article: move this file out of content/2013-sale/ to make it an article of its own"
	if err == nil || err.Error() != want {
		t.Fatalf("got error\n%v\nwant\n%s", err, want)
	}
	var paths []string
	for _, a := range c.Articles {
		paths = append(paths, a.Path)
	}
	if got := strings.Join(paths, " "); got != "content/2013-other.md content/2013-sale/index.md" {
		t.Errorf("articles %s", got)
	}
}
