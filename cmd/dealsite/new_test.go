package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewReducedPrecisionDate: dealsite new names the file by the date as
// written, at whatever precision, and the article's URL never carries it.
func TestNewReducedPrecisionDate(t *testing.T) {
	site := newSite(t, smallSite())
	for date, file := range map[string]string{
		"2013-09":    "2013-09-phone-deal.md",
		"2014":       "2014-phone-deal.md",
		"2015-01-02": "2015-01-02-phone-deal.md",
	} {
		r := runIn(t, site, "new", "-date", date, "Phone deal")
		if want := filepath.Join("content", file); r.code != 0 || strings.TrimSpace(r.stdout) != want {
			t.Fatalf("new -date %s = %v, want %s", date, r, want)
		}
		out := filepath.Join(t.TempDir(), "out")
		build(t, site, out, "-drafts", "-quiet")
		if page := filepath.Join(out, "articles/phone-deal/index.html"); !exists(page) {
			t.Errorf("new -date %s: no articles/phone-deal/ page", date)
		}
		if r := runIn(t, site, "list", "drafts"); !strings.Contains(r.stdout, "content/"+file) {
			t.Errorf("list drafts after new -date %s:\n%s", date, r)
		}
		if err := os.Remove(filepath.Join(site, "content", file)); err != nil {
			t.Fatal(err)
		}
	}
}
