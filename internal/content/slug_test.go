package content

import (
	"testing"
	"testing/fstest"
)

// TestFileNameSlug: an article without a slug field is named by its file,
// without the leading date the file name carries, at any precision:
// dealsite new writes 2013-09-phone-deal.md for -date 2013-09.
func TestFileNameSlug(t *testing.T) {
	tests := map[string]string{
		"2013-09-03-phone-deal.md": "phone-deal",
		"2013-09-phone-deal.md":    "phone-deal",
		"2013-phone-deal.md":       "phone-deal",
		"2013/sale.md":             "sale",
		"phone-deal.md":            "phone-deal",
		"2013-100-things.md":       "2013-100-things", // 100 is no month
		"2013-09-03-.md":           "2013-09-03",
		"2013-09-03.md":            "2013-09-03", // nothing after the date: the date is the name
		"1984.md":                  "1984",
		"20130-phone.md":           "20130-phone",
	}
	for name, want := range tests {
		fsys := fstest.MapFS{
			"content/_index.md": {Data: []byte("---\ntitle: T\nbase_url: https://example.org/\n---\n")},
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
