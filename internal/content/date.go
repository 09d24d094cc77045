package content

import (
	"fmt"
	"strings"
	"time"
)

// Precision says how much of a Date the editor wrote.
type Precision int

// The precisions a date can have, coarsest first, so that sorting by
// (time, precision) puts "2013" before "2013-09" before "2013-09-03".
const (
	Year Precision = iota
	Month
	Day
)

// Date is an event date as written in front matter: a year, a month or a
// day (optionally with a time, RFC 3339).
type Date struct {
	Time      time.Time // in the offset written (UTC without one); the first instant of the period for Year and Month
	Precision Precision
	hasClock  bool
}

// ParseDate accepts YYYY, YYYY-MM, YYYY-MM-DD and RFC 3339 timestamps,
// and rejects dates that are not on the calendar (2011-02-30).
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
		if err == nil {
			// Keep the offset as written: "shown as written" means the
			// day the editor wrote, not the UTC day.
			return Date{Time: t, Precision: l.precision, hasClock: l.clock}, nil
		}
	}
	return Date{}, fmt.Errorf("date %q is not a valid date (write YYYY-MM-DD, e.g. 2013-09-03)", s)
}

// IsZero reports whether the date was never set.
func (d Date) IsZero() bool { return d.Time.IsZero() }

// Compare orders dates by time, then coarser precision first.
func (d Date) Compare(o Date) int {
	if c := d.Time.Compare(o.Time); c != 0 {
		return c
	}
	return int(d.Precision) - int(o.Precision)
}

// ISO is the machine-readable form, valid in <time datetime="…">.
func (d Date) ISO() string {
	switch {
	case d.Precision == Year:
		return d.Time.Format("2006")
	case d.Precision == Month:
		return d.Time.Format("2006-01")
	case d.hasClock:
		return d.Time.Format(time.RFC3339)
	default:
		return d.Time.Format("2006-01-02")
	}
}

// String is the form shown to readers: "2013", "September 2013" or
// "3 September 2013".
func (d Date) String() string {
	switch d.Precision {
	case Year:
		return d.Time.Format("2006")
	case Month:
		return d.Time.Format("January 2006")
	default:
		return d.Time.Format("2 January 2006")
	}
}

// Range shows a period: "February 2011 – April 2014". With a zero end it
// is just the start.
func Range(start, end Date) string {
	if end.IsZero() || end == start {
		return start.String()
	}
	return start.String() + " – " + end.String()
}

// Last is the last instant of the period the date names: the end of the
// year, month or day.
func (d Date) Last() time.Time {
	switch d.Precision {
	case Year:
		return d.Time.AddDate(1, 0, 0).Add(-time.Nanosecond)
	case Month:
		return d.Time.AddDate(0, 1, 0).Add(-time.Nanosecond)
	case Day:
		if d.hasClock {
			return d.Time
		}
		return d.Time.AddDate(0, 0, 1).Add(-time.Nanosecond)
	}
	return d.Time
}

// Contains reports whether t falls within the period from d to end
// (inclusive of end's whole period).
func Contains(start, end Date, t time.Time) bool {
	return !t.Before(start.Time) && !t.After(end.Last())
}
