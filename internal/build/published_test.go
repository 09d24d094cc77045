package build

import (
	"context"
	"html"
	"regexp"
	"testing"
)

// Open Graph's article:published_time is an ISO 8601 datetime, as is
// JSON-LD's datePublished: both give the article's date when it names
// a day or a moment, and both leave it out for a month or a year
// ("2017" is no datetime). One rule, so they always agree.
func TestPublishedTimeIsAFullDateOrNothing(t *testing.T) {
	want := map[string]string{
		"day":    "2013-09-03",
		"moment": "2013-09-03T10:30:00.25+02:00",
		"month":  "",
		"year":   "",
	}
	files := datedSite(map[string]string{"day": "2013-09-03", "moment": "2013-09-03T10:30:00.250+02:00", "month": "2013-09", "year": "2017"})
	out, err := Build(context.Background(), files, Options{Theme: theme})
	if err != nil {
		t.Fatal(err)
	}
	meta := regexp.MustCompile(`<meta property="article:published_time" content="([^"]*)">`)
	ld := regexp.MustCompile(`"datePublished":"([^"]*)"`)
	for slug, w := range want {
		text := page(t, out, "articles/"+slug+"/index.html")
		for name, re := range map[string]*regexp.Regexp{"article:published_time": meta, "datePublished": ld} {
			got := ""
			if m := re.FindStringSubmatch(text); m != nil {
				got = html.UnescapeString(m[1]) // html/template writes + as &#43;
			}
			if got != w {
				t.Errorf("%s: %s %q, want %q", slug, name, got, w)
			}
		}
	}
}
