package render

import (
	"encoding/json"
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/site"
)

// timelineSite is a site with eras of every precision, one of a single
// year and one of a single day, and labels that are not HTML.
func timelineSite(t *testing.T) *site.Site {
	t.Helper()
	fsys := fstest.MapFS{
		"content/_index.md": {Data: []byte(`---
title: "Deals <&> more"
base_url: https://example.org/
eras:
  - {title: "Partners", start: 2011-02, end: 2013-08}
  - {title: "Networks & <b>cloud</b>", start: 2019, end: 2019}
  - {title: "Launch day", start: 2020-03-04, end: 2020-03-04}
  - {title: "Leap", start: 2023-06-15, end: 2024-02}
---
`)},
		"content/a.md": {Data: []byte("---\ntitle: \"<i>A</i>\"\ndate: 2011-03\nend_date: 2012\n---\nx\n")},
		"content/b.md": {Data: []byte("---\ntitle: B\ndate: 2019-11-05\n---\nx\n")},
		"content/c.md": {Data: []byte("---\ntitle: C\ndate: 2013\nend_date: 2014-04\n---\nx\n")},
	}
	c, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	s, err := site.New(c, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type jsonTimeline struct {
	Events []struct {
		StartDate map[string]any    `json:"start_date"`
		EndDate   map[string]any    `json:"end_date"`
		Text      map[string]string `json:"text"`
		Group     string            `json:"group"`
	} `json:"events"`
	Eras []struct {
		StartDate map[string]any    `json:"start_date"`
		EndDate   map[string]any    `json:"end_date"`
		Text      map[string]string `json:"text"`
	} `json:"eras"`
}

func decodeTimeline(t *testing.T, s *site.Site) jsonTimeline {
	t.Helper()
	data, err := TimelineJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	var tl jsonTimeline
	if err := json.Unmarshal(data, &tl); err != nil {
		t.Fatalf("%v in:\n%s", err, data)
	}
	return tl
}

// ymd prints a TimelineJS date's calendar fields, "2013-08-31".
func ymd(d map[string]any) string {
	n := func(k string) int {
		f, _ := d[k].(float64)
		return int(f)
	}
	return fmt.Sprintf("%04d-%02d-%02d", n("year"), n("month"), n("day"))
}

// droppedByTimelineJS is TimelineJS's test for a redundant end date
// (TimelineConfig._processDates): every field of the start equals the
// end's. TimelineJS deletes such an end, and then refuses an era that
// has none ("All eras must have start and end dates").
func droppedByTimelineJS(start, end map[string]any) bool {
	for k, v := range start {
		if end[k] != v {
			return false
		}
	}
	return true
}

// TestTimelineJSEras: an era's end is inclusive (its whole last month or
// year), so it is exported as the last moment of that period, which
// TimelineJS can never take for the start.
func TestTimelineJSEras(t *testing.T) {
	tl := decodeTimeline(t, timelineSite(t))
	want := []struct{ start, end string }{
		{"2011-02-01", "2013-08-31"},
		{"2019-01-01", "2019-12-31"},
		{"2020-03-04", "2020-03-04"},
		{"2023-06-15", "2024-02-29"},
	}
	if len(tl.Eras) != len(want) {
		t.Fatalf("%d eras, want %d", len(tl.Eras), len(want))
	}
	for i, e := range tl.Eras {
		if ymd(e.StartDate) != want[i].start || ymd(e.EndDate) != want[i].end {
			t.Errorf("era %q: %s to %s, want %s to %s", e.Text["headline"], ymd(e.StartDate), ymd(e.EndDate), want[i].start, want[i].end)
		}
		if droppedByTimelineJS(e.StartDate, e.EndDate) {
			t.Errorf("era %q: TimelineJS would drop the end %v as equal to the start %v", e.Text["headline"], e.EndDate, e.StartDate)
		}
	}
	if got := tl.Eras[1].Text["headline"]; got != "Networks &amp; &lt;b&gt;cloud&lt;/b&gt;" {
		t.Errorf("era headline %q is not escaped HTML", got)
	}
}

// TestTimelineJSEvents: an event's end_date is the last day of its
// period and says so as written; group labels, which TimelineJS inserts
// as HTML, are escaped like headlines.
func TestTimelineJSEvents(t *testing.T) {
	tl := decodeTimeline(t, timelineSite(t))
	byHeadline := map[string]int{}
	for i, e := range tl.Events {
		byHeadline[e.Text["headline"]] = i
	}
	a := tl.Events[byHeadline["&lt;i&gt;A&lt;/i&gt;"]]
	if ymd(a.StartDate) != "2011-03-00" || ymd(a.EndDate) != "2012-12-31" || a.EndDate["display_date"] != "2012" {
		t.Errorf("event A: %v to %v, want March 2011 to the last day of 2012, shown as 2012", a.StartDate, a.EndDate)
	}
	if a.Group != "Partners" {
		t.Errorf("event A: group %q, want Partners", a.Group)
	}
	c := tl.Events[byHeadline["C"]]
	if ymd(c.EndDate) != "2014-04-30" || c.EndDate["display_date"] != "April 2014" {
		t.Errorf("event C: end %v, want 30 April 2014, shown as April 2014", c.EndDate)
	}
	b := tl.Events[byHeadline["B"]]
	if b.EndDate != nil {
		t.Errorf("event B has an end_date %v", b.EndDate)
	}
	if b.Group != "Networks &amp; &lt;b&gt;cloud&lt;/b&gt;" {
		t.Errorf("event B: group %q is not escaped HTML", b.Group)
	}
}
