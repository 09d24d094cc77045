package build

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
)

// The tests below build sites whose events are written with clock times
// in other offsets than UTC: each reproduces one symptom of keeping the
// instant, rather than the calendar date written, as an event's date.

// datedSite is a site with one article per slug, titled with its slug
// and dated as given.
func datedSite(dates map[string]string) fstest.MapFS {
	files := fstest.MapFS{"content/_index.md": {Data: []byte("---\ntitle: Dates\nbase_url: https://example.org/\n---\n")}}
	for slug, date := range dates {
		files["content/"+slug+".md"] = &fstest.MapFile{Data: []byte("---\ntitle: " + slug + "\ndate: " + date + "\n---\nx\n")}
	}
	return files
}

func buildDated(t *testing.T, dates map[string]string) *Output {
	t.Helper()
	out, err := Build(context.Background(), datedSite(dates), Options{Theme: theme})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func page(t *testing.T, out *Output, p string) string {
	t.Helper()
	b, ok := out.File(p)
	if !ok {
		t.Fatalf("no %s; pages: %q", p, out.Paths())
	}
	return string(b)
}

// wantOrder checks that the links to the articles with these slugs
// appear in doc in this order.
func wantOrder(t *testing.T, name, doc string, slugs ...string) {
	t.Helper()
	at := -1
	for _, slug := range slugs {
		i := strings.Index(doc, "/articles/"+slug+"/")
		if i < 0 {
			t.Errorf("%s does not link to %s", name, slug)
			return
		}
		if i < at {
			t.Errorf("%s lists %s out of order; want %q", name, slug, slugs)
			return
		}
		at = i
	}
}

// 23:30 on New Year's Eve at -05:00 is 2014 in UTC: it drew a chart
// from 2014 back to 2013 and panicked.
func TestEventOnNewYearsEveStaysInItsWrittenYear(t *testing.T) {
	out := buildDated(t, map[string]string{"eve": "2013-12-31T23:30:00-05:00", "newyear": "2014-01-01"})
	y2013, y2014 := page(t, out, "years/2013/index.html"), page(t, out, "years/2014/index.html")
	if !strings.Contains(y2013, "/articles/eve/") || strings.Contains(y2013, "/articles/newyear/") {
		t.Error("2013's page does not list exactly the event written on 31 December 2013")
	}
	if !strings.Contains(y2014, "/articles/newyear/") || strings.Contains(y2014, "/articles/eve/") {
		t.Error("2014's page does not list exactly the event written on 1 January 2014")
	}
	wantOrder(t, "the timeline", page(t, out, "index.html"), "eve", "newyear")
}

// With other events around them, the years came out as 2013, 2014,
// 2013, 2014: two sections with one id on the timeline, two jobs racing
// for years/2013/, and 2014's next year was 2013.
func TestEachYearOnceAndInOrder(t *testing.T) {
	dates := map[string]string{"june": "2013-06-01", "eve": "2013-12-31T23:30:00-05:00", "newyear": "2014-01-01", "march": "2014-03-01"}
	out := buildDated(t, dates)
	home := page(t, out, "index.html")
	if n := strings.Count(home, `id="year-2013"`); n != 1 {
		t.Errorf(`the timeline has %d id="year-2013", want 1`, n)
	}
	y2014 := page(t, out, "years/2014/index.html")
	if strings.Contains(y2014, "Next year</span> 2013") || !strings.Contains(y2014, "Previous year</span> 2013") {
		t.Error("2014's page does not have 2013 as its previous year and nothing after it")
	}
	wantOrder(t, "2013's page", page(t, out, "years/2013/index.html"), "june", "eve")
	sameOutput(t, out, buildDated(t, dates), "a second build")
}

// 23:00 on 3 September at -05:00 is 4 September in UTC, and was listed
// after an event written on 4 September, everywhere.
func TestEventsInWrittenDayOrder(t *testing.T) {
	out := buildDated(t, map[string]string{"sep3": "2013-09-03T23:00:00-05:00", "sep4": "2013-09-04"})
	wantOrder(t, "the timeline", page(t, out, "index.html"), "sep3", "sep4")
	wantOrder(t, "the year page", page(t, out, "years/2013/index.html"), "sep3", "sep4")
	wantOrder(t, "timeline.json", page(t, out, "timeline.json"), "sep3", "sep4")
	wantOrder(t, "the feed (newest first)", page(t, out, "feed.xml"), "sep4", "sep3")
	if sep3 := page(t, out, "articles/sep3/index.html"); !strings.Contains(sep3, `rel="next"`) {
		t.Error("the event on 3 September has no next event")
	}
	if feed := page(t, out, "feed.xml"); !strings.Contains(feed, "2013-09-03T23:00:00-05:00") {
		t.Error("the feed does not give the time as written")
	}
}

// Two clock times on one written day go by the instant, whatever their
// offsets, before weight and title.
func TestClockTimesOnOneDayByInstant(t *testing.T) {
	out := buildDated(t, map[string]string{
		"a-late":  "2013-09-03T20:00:00-05:00", // 01:00 UTC on the 4th
		"b-early": "2013-09-03T23:00:00+02:00", // 21:00 UTC on the 3rd
		"c-day":   "2013-09-03",                // no time: before both
	})
	wantOrder(t, "the timeline", page(t, out, "index.html"), "c-day", "b-early", "a-late")
}
