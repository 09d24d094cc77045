package content

import (
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
