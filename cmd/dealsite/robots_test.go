package main_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRobotsUnderSubPath: under a base URL with a path, robots.txt lands
// where crawlers never look, and the build summary says so and what to do,
// before its closing line. At a host's root it says nothing.
func TestRobotsUnderSubPath(t *testing.T) {
	site := newSite(t, smallSite())
	r := build(t, site, filepath.Join(t.TempDir(), "out"), "-base-url", "https://example.org/deals/")
	parseSummary(t, r.stdout)
	for _, want := range []string{
		"robots.txt is at https://example.org/deals/robots.txt",
		"crawlers only read https://example.org/robots.txt",
		"Sitemap: https://example.org/deals/sitemap.xml",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, base := range []string{"", "https://example.org/", "https://user.example.io"} {
		var args []string
		if base != "" {
			args = append(args, "-base-url", base)
		}
		if r := build(t, site, filepath.Join(t.TempDir(), "out"), args...); strings.Contains(r.stdout, "robots.txt") {
			t.Errorf("base %q: summary mentions robots.txt:\n%s", base, r.stdout)
		}
	}
	if r := build(t, site, filepath.Join(t.TempDir(), "out"), "-quiet", "-base-url", "https://example.org/deals/"); r.stdout != "" {
		t.Errorf("-quiet printed:\n%s", r.stdout)
	}
}
