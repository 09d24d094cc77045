package content

import (
	"cmp"
	"fmt"
	"strings"
	"time"
)

// Precision says how much of a Date the editor wrote.
type Precision int

// The precisions a date can have, coarsest first, so that ordering by
// (calendar day, precision) puts "2013" before "2013-09" before
// "2013-09-03". A day with a clock time is finer still (see Compare).
const (
	Year Precision = iota
	Month
	Day
)

// Date is an event date as written in front matter: a year, a month or a
// day, optionally with a clock time and offset (RFC 3339).
//
// The calendar fields of a date are the ones written: 23:30 on 31
// December 2013 at -05:00 is in 2013, though it is 2014 in UTC. Year,
// Month and Day give them, and every grouping (years, eras) and ordering
// (Compare) uses them. Only Instant knows the moment, for the formats
// that need one.
//
// The zero Date is a date not given. That is a state of its own, not a
// time: 0001-01-01T00:00:00Z is a date like any other.
type Date struct {
	t         time.Time // as written, in the offset written (UTC without one); the first day of the period for Year and Month
	Precision Precision
	hasClock  bool
	set       bool // given: false only in the zero Date
}

// ParseDate accepts YYYY, YYYY-MM, YYYY-MM-DD and RFC 3339 timestamps,
// and rejects dates that are not on the calendar (2011-02-30). A time
// may give a fraction of a second down to the millisecond, the finest
// that HTML's <time datetime> and TimelineJS hold; a finer one is
// refused rather than published as another time.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	layouts := []struct {
		layout    string
		precision Precision
		clock     bool
	}{
		{"2006", Year, false},
		{"2006-01", Month, false},
		{"2006-01-02", Day, false},
		{time.RFC3339Nano, Day, true},
	}
	for _, l := range layouts {
		if len(s) != len(l.layout) && !l.clock {
			continue
		}
		t, err := time.Parse(l.layout, s)
		if err == nil && t.Nanosecond()%int(time.Millisecond) != 0 {
			return Date{}, fmt.Errorf("date %q gives a time finer than a millisecond; write at most three digits after the seconds, as HTML's <time> allows", s)
		}
		if err == nil {
			// time.Parse keeps the offset written, so t's calendar
			// fields are the day the editor wrote, not the UTC day.
			return Date{t: t, Precision: l.precision, hasClock: l.clock, set: true}, nil
		}
	}
	return Date{}, fmt.Errorf("date %q is not a valid date (write YYYY-MM-DD, e.g. 2013-09-03)", s)
}

// IsZero reports whether the date was not given (the zero Date).
func (d Date) IsZero() bool { return !d.set }

// Year is the year written.
func (d Date) Year() int { return d.t.Year() }

// Month is the month written; January for a date that gives only a year.
func (d Date) Month() time.Month { return d.t.Month() }

// Day is the day of the month written; 1 for a date that gives only a
// year or a month.
func (d Date) Day() int { return d.t.Day() }

// HasClock reports whether a time of day was written.
func (d Date) HasClock() bool { return d.hasClock }

// Instant is the moment the date stands for, for formats that need a
// timestamp (Atom): the time written, in its offset, or midnight UTC at
// the start of the period. Never group or order dates by it: see Compare.
func (d Date) Instant() time.Time { return d.t }

// Compare orders dates as a reader of the calendar would: by the day
// written (the first day of the period for a year or a month), then the
// coarser date first on one day (a year, a month, a day, a time of
// day), then two times of day by the instant, whatever their offsets.
// It returns 0 only for dates that are equal in all of these.
func (d Date) Compare(o Date) int {
	return cmp.Or(
		compareDays(d.firstDay(), o.firstDay()),
		cmp.Compare(d.fineness(), o.fineness()),
		d.compareClocks(o),
	)
}

// CompareDay orders dates by the day written alone (the first day of
// the period for a year or a month), as the first step of Compare: it
// finds where the dates of a day begin in a list in Compare's order.
func (d Date) CompareDay(o Date) int { return compareDays(d.firstDay(), o.firstDay()) }

// fineness ranks how much of a day a date pins down: its precision, and
// one more for a time of day.
func (d Date) fineness() int {
	if d.hasClock {
		return int(Day) + 1
	}
	return int(d.Precision)
}

// compareClocks orders two times of day by instant; dates without one
// are equal here.
func (d Date) compareClocks(o Date) int {
	if !d.hasClock || !o.hasClock {
		return 0
	}
	return d.t.Compare(o.t)
}

// civilDay is a calendar day with no time and no place: the day written.
type civilDay struct {
	year  int
	month time.Month
	day   int
}

func compareDays(a, b civilDay) int {
	return cmp.Or(cmp.Compare(a.year, b.year), cmp.Compare(a.month, b.month), cmp.Compare(a.day, b.day))
}

// firstDay is the first day of the period the date names, as written.
func (d Date) firstDay() civilDay {
	y, m, day := d.t.Date()
	return civilDay{y, m, day}
}

// lastDay is the last day of the period the date names, as written.
func (d Date) lastDay() civilDay {
	y, m, day := d.t.Date()
	first := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	switch d.Precision {
	case Year:
		first = first.AddDate(1, 0, -1)
	case Month:
		first = first.AddDate(0, 1, -1)
	}
	y, m, day = first.Date()
	return civilDay{y, m, day}
}

// ISO is the machine-readable form, valid in <time datetime="…">: the
// date as written, a fraction of a second included (without trailing
// zeros: "10:30:00.250Z" is "10:30:00.25Z").
func (d Date) ISO() string {
	switch {
	case d.Precision == Year:
		return d.t.Format("2006")
	case d.Precision == Month:
		return d.t.Format("2006-01")
	case d.hasClock:
		return d.t.Format(time.RFC3339Nano)
	default:
		return d.t.Format("2006-01-02")
	}
}

// FullISO is ISO when the date names a day or a moment, and "" for a
// month or a year: the form for fields that take only a complete ISO
// 8601 date or datetime, such as Open Graph's article:published_time
// and schema.org's datePublished, which must rather be left out than
// say "2017".
func (d Date) FullISO() string {
	if d.IsZero() || d.Precision < Day {
		return ""
	}
	return d.ISO()
}

// String is the form shown to readers: "2013", "September 2013" or
// "3 September 2013".
func (d Date) String() string {
	switch d.Precision {
	case Year:
		return d.t.Format("2006")
	case Month:
		return d.t.Format("January 2006")
	default:
		return d.t.Format("2 January 2006")
	}
}

// Range shows a period: "February 2011 – April 2014". With a zero end,
// or one that reads as the start (a day, and a time on it), it is just
// the start.
func Range(start, end Date) string {
	from, to := start.String(), end.String()
	if end.IsZero() || to == from {
		return from
	}
	return from + " – " + to
}

// EndsBefore reports whether end is before start, so that the two make
// no period: the last day written for end is before the first day
// written for start. A coarser end covers its whole period ("2013-05"
// to "2013" is a period, "2013-09-03T10:00:00Z" to "2013-09-03" too).
// Only two times of day on that one day are compared by instant. This is
// the one rule for end_date and for an era's end.
func EndsBefore(end, start Date) bool {
	if c := compareDays(end.lastDay(), start.firstDay()); c != 0 {
		return c < 0
	}
	return end.compareClocks(start) < 0
}

// Contains reports whether the day written for d falls within the
// period from start to end, both counted in whole days as written: from
// the first day of start to the last day of end. A date that gives only
// a year or a month counts from its first day.
func Contains(start, end, d Date) bool {
	day := d.firstDay()
	return compareDays(day, start.firstDay()) >= 0 && compareDays(day, end.lastDay()) <= 0
}

// FirstMoment is the first second of the period d names, on the clock
// written: midnight of its first day, or its time of day (to the second).
func (d Date) FirstMoment() time.Time { return d.t.Truncate(time.Second) }

// LastMoment is the last second of the period d names, on the clock
// written: the last second of its last day, or its time of day (to the
// second). Era bands and inclusive ends are drawn to it.
func (d Date) LastMoment() time.Time {
	switch {
	case d.Precision == Year:
		return d.t.AddDate(1, 0, 0).Add(-time.Second)
	case d.Precision == Month:
		return d.t.AddDate(0, 1, 0).Add(-time.Second)
	case d.hasClock:
		return d.t.Truncate(time.Second)
	}
	return d.t.AddDate(0, 0, 1).Add(-time.Second)
}

// SpansNoTime reports whether the period from start to end has no
// length when read on the clocks written, to the second: the way a
// reader of the two dates (and TimelineJS, which ignores offsets) sees
// it. EndsBefore may accept such a pair; an era drawn from it would be
// no band at all.
func SpansNoTime(start, end Date) bool {
	return !onClock(end.LastMoment()).After(onClock(start.FirstMoment()))
}

// onClock is t's wall-clock reading as if in UTC, so that two readings
// written in different offsets compare as they read.
func onClock(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}
