package content

import (
	"strings"
	"testing"
	"time"
)

func mustDate(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The calendar fields are the ones written, whatever the offset.
func TestDateCalendarAsWritten(t *testing.T) {
	for in, want := range map[string][3]int{
		"2013-12-31T23:30:00-05:00": {2013, 12, 31},
		"2014-01-01T00:30:00+14:00": {2014, 1, 1},
		"2012-02-29T23:59:59-14:00": {2012, 2, 29},
		"2013-09":                   {2013, 9, 1},
		"2013":                      {2013, 1, 1},
	} {
		d := mustDate(t, in)
		if got := [3]int{d.Year(), int(d.Month()), d.Day()}; got != want {
			t.Errorf("%s: year, month, day = %v, want %v", in, got, want)
		}
	}
}

// Each date is listed before the next: by the day written, coarser
// first, then times of day by instant.
func TestDateCompareByWrittenDay(t *testing.T) {
	ordered := []string{
		"2013",
		"2013-09",
		"2013-09-03",
		"2013-09-03T23:00:00+02:00", // 21:00 UTC
		"2013-09-03T23:00:00-05:00", // 04:00 UTC on the 4th: still the 3rd as written
		"2013-09-04",
		"2013-12-31T23:30:00-05:00", // 2014 in UTC
		"2014",
		"2014-01-01T00:30:00+14:00", // 2013 in UTC
	}
	for i := range ordered {
		for j := range ordered {
			a, b := mustDate(t, ordered[i]), mustDate(t, ordered[j])
			if got, want := sign(a.Compare(b)), sign(i-j); got != want {
				t.Errorf("%s compared with %s = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
}

// One instant written in two offsets is one moment on one day: equal.
func TestDateCompareSameInstant(t *testing.T) {
	a, b := mustDate(t, "2013-09-03T12:00:00+02:00"), mustDate(t, "2013-09-03T10:00:00Z")
	if a.Compare(b) != 0 {
		t.Errorf("one instant in two offsets compares %d", a.Compare(b))
	}
}

func TestContainsCountsWholeWrittenDays(t *testing.T) {
	start, end := mustDate(t, "2013-09"), mustDate(t, "2014")
	for in, want := range map[string]bool{
		"2013-08-31T23:59:59-14:00": false,
		"2013-09-01T00:00:00+14:00": true, // August in UTC
		"2013":                      false,
		"2013-09":                   true,
		"2014-12-31T23:30:00-05:00": true, // 2015 in UTC
		"2015-01-01T00:30:00+02:00": false,
	} {
		if got := Contains(start, end, mustDate(t, in)); got != want {
			t.Errorf("Contains(2013-09, 2014, %s) = %v, want %v", in, got, want)
		}
	}
}

func TestDateInstantKeepsTheWrittenOffset(t *testing.T) {
	d := mustDate(t, "2013-12-31T23:30:00-05:00")
	if got := d.Instant().Format(time.RFC3339); got != "2013-12-31T23:30:00-05:00" {
		t.Errorf("Instant = %s", got)
	}
}

func sign(n int) int { return min(max(n, -1), 1) }

// Only a date never given is zero: the first year of the calendar is a
// date like any other.
func TestDateZeroOnlyWhenNotGiven(t *testing.T) {
	if !(Date{}).IsZero() {
		t.Error("Date{} is not zero")
	}
	for _, in := range []string{"0001", "0001-01", "0001-01-01", "0001-01-01T00:00:00Z"} {
		if mustDate(t, in).IsZero() {
			t.Errorf("%s counts as not given", in)
		}
	}
}

// An end_date in the year 1 is checked and shown like any other.
func TestEndDateInTheYearOne(t *testing.T) {
	_, errs := parse(t, "---\ntitle: T\ndate: 0002\nend_date: 0001\n---\nx\n")
	if len(errs) != 1 || !strings.Contains(errs[0], "DS108") {
		t.Errorf("date 0002, end_date 0001: errors %q, want one DS108", errs)
	}
	if got, want := Range(mustDate(t, "0001"), mustDate(t, "0001-01-01T00:00:00Z")), "0001 – 1 January 0001"; got != want {
		t.Errorf("Range = %q, want %q", got, want)
	}
}

// The machine form keeps the fraction of a second written (without
// trailing zeros), so two times that differ never print the same.
func TestDateISOKeepsFractionalSeconds(t *testing.T) {
	for in, want := range map[string]string{
		"2013-09-03T10:30:00.5Z":        "2013-09-03T10:30:00.5Z",
		"2013-09-03T10:30:00.250+02:00": "2013-09-03T10:30:00.25+02:00",
		"2013-09-03T10:30:00.123Z":      "2013-09-03T10:30:00.123Z",
		"2013-09-03T10:30:00.000Z":      "2013-09-03T10:30:00Z",
		"2013-09-03T10:30:00Z":          "2013-09-03T10:30:00Z",
	} {
		if got := mustDate(t, in).ISO(); got != want {
			t.Errorf("ISO(%s) = %s, want %s", in, got, want)
		}
	}
}

// HTML's <time datetime> and TimelineJS take at most milliseconds: a
// finer time is refused with what to write, rather than published as
// something else.
func TestDateFinerThanAMillisecondIsRefused(t *testing.T) {
	for _, in := range []string{"2013-09-03T10:30:00.0001Z", "2013-09-03T10:30:00.123456789Z"} {
		_, err := ParseDate(in)
		if err == nil || !strings.Contains(err.Error(), "three digits") {
			t.Errorf("ParseDate(%s) = %v, want an error about three digits", in, err)
		}
	}
	if _, err := ParseDate("2013-09-03T10:30:00.1230Z"); err != nil {
		t.Errorf("a whole millisecond with a trailing zero: %v", err)
	}
}

// A period whose end reads as its start is shown once: the same time
// written twice in one offset, or a day and a time on it.
func TestRangeShowsOneDayOnce(t *testing.T) {
	for _, c := range [][2]string{
		{"2013-09-03T10:00:00+02:00", "2013-09-03T10:00:00+02:00"},
		{"2013-09-03", "2013-09-03T18:00:00Z"},
		{"2019", "2019"},
	} {
		start, end := mustDate(t, c[0]), mustDate(t, c[1])
		if got, want := Range(start, end), start.String(); got != want {
			t.Errorf("Range(%s, %s) = %q, want %q", c[0], c[1], got, want)
		}
	}
}
