package build

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestRandomDatesBuildAsWritten builds sites of random dates through the
// whole pipeline: every precision, clock times near midnight in offsets
// from -14:00 to +14:00, days at the edges of months and years, 29
// February. Whatever the dates, the build must not fail, every year must
// appear once and in order, every event must be on the page of the year
// written and nowhere else, the timeline must list events by the day
// written, and the output must be byte for byte the same from build to
// build and whatever the number of CPUs.
//
// The seeds are fixed, so a failure names its seed and repeats.
func TestRandomDatesBuildAsWritten(t *testing.T) {
	seeds := 24
	if testing.Short() {
		seeds = 6
	}
	for seed := range uint64(seeds) {
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 2013))
			dates := randomDates(r, 3+r.IntN(20))
			files := datedSite(dates)
			files["content/_index.md"].Data = []byte("---\ntitle: Dates\nbase_url: https://example.org/\neras:\n  - title: Turn of the year\n    start: 2012-12\n    end: 2013-01-31\n---\n")
			out := buildAt(t, files, 2)
			checkYears(t, out, dates)
			checkTimelineOrder(t, out, dates)
			checkEra(t, out, dates)
			checkExportsAgree(t, out, dates)
			for _, procs := range []int{1, 2, 8} {
				sameOutput(t, out, buildAt(t, files, procs), fmt.Sprintf("GOMAXPROCS=%d", procs))
			}
			if t.Failed() {
				t.Logf("dates: %v", dates)
			}
		})
	}
}

// randomDates writes n dates, by slug, in every form an editor may use.
func randomDates(r *rand.Rand, n int) map[string]string {
	dates := map[string]string{}
	for i := range n {
		dates[fmt.Sprintf("e%02d", i)] = randomDate(r)
	}
	return dates
}

func randomDate(r *rand.Rand) string {
	year := 2011 + r.IntN(4) // 2012 is a leap year
	month := pick(r, 1, 12, 2, 1+r.IntN(12))
	last := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	day := pick(r, 1, last, last, 1+r.IntN(last)) // 29 February in 2012
	switch r.IntN(5) {
	case 0:
		return fmt.Sprintf("%04d", year)
	case 1:
		return fmt.Sprintf("%04d-%02d", year, month)
	case 2:
		return fmt.Sprintf("%04d-%02d-%02d", year, month, day)
	}
	hour, minute := pick(r, 0, 23, 23, r.IntN(24)), pick(r, 0, 30, 59, r.IntN(60))
	offset := pick(r, -14*60, 14*60, -5*60, (r.IntN(113)-56)*15) // minutes, in quarter hours
	return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:00%s", year, month, day, hour, minute, zone(offset))
}

// pick returns one of choices, the edge cases as often as a random value.
func pick(r *rand.Rand, choices ...int) int { return choices[r.IntN(len(choices))] }

func zone(minutes int) string {
	if minutes == 0 {
		return "Z"
	}
	sign := "+"
	if minutes < 0 {
		sign, minutes = "-", -minutes
	}
	return fmt.Sprintf("%s%02d:%02d", sign, minutes/60, minutes%60)
}

// buildAt builds files with runtime.GOMAXPROCS set to procs.
func buildAt(t *testing.T, files fstest.MapFS, procs int) *Output {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	out, err := Build(context.Background(), files, Options{Theme: theme})
	if err != nil {
		t.Fatalf("GOMAXPROCS=%d: %v", procs, err)
	}
	return out
}

// writtenYear and writtenFirstDay read the date as the editor wrote it.
func writtenYear(date string) string { return date[:4] }

func writtenFirstDay(date string) string {
	return date[:min(len(date), 10)] + "-01-01"[min(len(date), 10)-4:]
}

// writtenFields are the year, month and day written, 0 when not given.
func writtenFields(date string) [3]int {
	var f [3]int
	for i, at := range [][2]int{{0, 4}, {5, 7}, {8, 10}} {
		if len(date) >= at[1] {
			f[i], _ = strconv.Atoi(date[at[0]:at[1]])
		}
	}
	return f
}

var yearIDs = regexp.MustCompile(`id="year-(\d+)"`)

func checkYears(t *testing.T, out *Output, dates map[string]string) {
	t.Helper()
	var years []string
	for _, m := range yearIDs.FindAllStringSubmatch(page(t, out, "index.html"), -1) {
		years = append(years, m[1])
	}
	if !slices.IsSorted(years) || len(slices.Compact(slices.Clone(years))) != len(years) {
		t.Errorf("the timeline's years are %v, not strictly ascending", years)
	}
	for slug, date := range dates {
		var on []string
		for _, y := range years {
			if strings.Contains(page(t, out, "years/"+y+"/index.html"), "/articles/"+slug+"/") {
				on = append(on, y)
			}
		}
		if len(on) != 1 || on[0] != writtenYear(date) {
			t.Errorf("%s (%s) is on the pages of %v, want only %s", slug, date, on, writtenYear(date))
		}
	}
}

var articleLinks = regexp.MustCompile(`<h3 class="event-title"><a href="/articles/(e\d+)/">`)

// checkTimelineOrder checks that the timeline lists every event once, by
// the first day written.
func checkTimelineOrder(t *testing.T, out *Output, dates map[string]string) {
	t.Helper()
	var days []string
	for _, m := range articleLinks.FindAllStringSubmatch(page(t, out, "index.html"), -1) {
		days = append(days, writtenFirstDay(dates[m[1]]))
	}
	if len(days) != len(dates) || !slices.IsSorted(days) {
		t.Errorf("the timeline lists days %v", days)
	}
}

var feedIDs = regexp.MustCompile(`<id>https://example.org/articles/(e\d+)/</id>`)

// checkExportsAgree checks that the year pages, timeline.json and the
// feed list the events in the timeline's order (the feed newest first),
// and that timeline.json gives the year, month and day written.
func checkExportsAgree(t *testing.T, out *Output, dates map[string]string) {
	t.Helper()
	order := slugs(articleLinks, page(t, out, "index.html"))
	var byYear []string
	for _, y := range out.Site().Years {
		byYear = append(byYear, slugs(articleLinks, page(t, out, "years/"+strconv.Itoa(y.Year)+"/index.html"))...)
	}
	feed := slugs(feedIDs, page(t, out, "feed.xml"))
	slices.Reverse(feed)
	var tl struct {
		Events []struct {
			ID    string                         `json:"unique_id"`
			Start struct{ Year, Month, Day int } `json:"start_date"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(page(t, out, "timeline.json")), &tl); err != nil {
		t.Fatal(err)
	}
	var exported []string
	for _, e := range tl.Events {
		exported = append(exported, e.ID)
		if got, want := [3]int{e.Start.Year, e.Start.Month, e.Start.Day}, writtenFields(dates[e.ID]); got != want {
			t.Errorf("timeline.json dates %s (%s) as %v", e.ID, dates[e.ID], got)
		}
	}
	for what, got := range map[string][]string{"the year pages": byYear, "the feed": feed, "timeline.json": exported} {
		if !slices.Equal(got, order) {
			t.Errorf("%s list %v, the timeline %v", what, got, order)
		}
	}
}

// slugs lists the first submatch of every match of re in doc.
func slugs(re *regexp.Regexp, doc string) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(doc, -1) {
		out = append(out, m[1])
	}
	return out
}

// checkEra checks that the era from December 2012 to January 2013 holds
// the events written in those two months.
func checkEra(t *testing.T, out *Output, dates map[string]string) {
	t.Helper()
	for _, a := range out.Site().Articles {
		day := writtenFirstDay(dates[a.Slug])
		want := day >= "2012-12-01" && day <= "2013-01-31"
		if got := a.Era != nil; got != want {
			t.Errorf("%s (%s) in the era: %v, want %v", a.Slug, dates[a.Slug], got, want)
		}
	}
}

func sameOutput(t *testing.T, a, b *Output, what string) {
	t.Helper()
	if !slices.Equal(a.Paths(), b.Paths()) {
		t.Fatalf("%s: other files: %q, was %q", what, b.Paths(), a.Paths())
	}
	for _, p := range a.Paths() {
		x, _ := a.File(p)
		y, _ := b.File(p)
		if !bytes.Equal(x, y) {
			t.Errorf("%s: %s differs", what, p)
		}
	}
}
