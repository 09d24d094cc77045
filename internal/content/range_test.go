package content

import (
	"strings"
	"testing"
)

// rangeCases are periods (start, end) with whether each is valid: an end
// is valid when its last written day is not before the start's first
// written day, so a coarser end covers its whole period; two times of
// day on one day are compared by instant.
var rangeCases = []struct {
	start, end string
	valid      bool
}{
	{"2013-05", "2013", true},
	{"2013-05-20", "2013-05", true},
	{"2013-12-31", "2013", true},
	{"2013", "2013-12", true},
	{"2013", "2013-01-01", true},
	{"2013-09-03T10:00:00Z", "2013-09-03", true},
	{"2013-09-03", "2013-09-03T10:00:00Z", true},
	{"2013-09-03T10:00:00Z", "2013-09-03T10:00:00Z", true},
	{"2013-09-03T23:00:00-05:00", "2013-09-03T23:00:00+02:00", false}, // the end is seven hours earlier
	{"2013-09-03T10:00:00Z", "2013-09-03T09:59:59Z", false},
	{"2013-09-04T01:00:00+14:00", "2013-09-03T23:00:00-05:00", false}, // earlier day as written, though later in UTC
	{"2014", "2013", false},
	{"2013-05", "2013-04", false},
	{"2013-05-02", "2013-05-01", false},
	{"2014-01", "2013", false},
}

func TestEndsBefore(t *testing.T) {
	for _, c := range rangeCases {
		start, end := mustDate(t, c.start), mustDate(t, c.end)
		if got := EndsBefore(end, start); got == c.valid {
			t.Errorf("EndsBefore(%s, %s) = %v, want %v", c.end, c.start, got, !c.valid)
		}
	}
}

// An article's end_date follows the rule.
func TestArticleEndDateRange(t *testing.T) {
	for _, c := range rangeCases {
		_, errs := parse(t, "---\ntitle: T\ndate: "+c.start+"\nend_date: "+c.end+"\n---\nx\n")
		if bad := len(errs) > 0 && strings.Contains(errs[0], "DS108"); bad == c.valid || len(errs) > 1 {
			t.Errorf("date %s, end_date %s: errors %q, want valid=%v", c.start, c.end, errs, c.valid)
		}
	}
}

// An era's end follows the same rule.
func TestEraEndRange(t *testing.T) {
	for _, c := range rangeCases {
		src := "---\ntitle: T\neras:\n  - title: A\n    start: " + c.start + "\n    end: " + c.end + "\n---\n"
		_, err := NewMarkdown(false).ParseSettings([]byte(src))
		errs := lines(err)
		if bad := len(errs) > 0 && strings.Contains(errs[0], "DS108"); bad == c.valid || len(errs) > 1 {
			t.Errorf("start %s, end %s: errors %q, want valid=%v", c.start, c.end, errs, c.valid)
		}
	}
}

// An era is drawn as a band from its first moment to its last, read on
// the clocks written to the second (as TimelineJS reads them): one that
// spans no time draws nothing, and TimelineJS drops such an end and then
// refuses the whole timeline. Such an era is an error (DS112).
func TestEraMustSpanTime(t *testing.T) {
	for _, c := range []struct {
		start, end string
		valid      bool
	}{
		{"2013-09-03", "2013-09-03", true},
		{"2019", "2019", true},
		{"2013-09-03T10:00:00Z", "2013-09-03T10:00:01Z", true},
		{"2013-09-03T10:00:00Z", "2013-09-03T10:00:00Z", false},
		{"2013-09-03T10:00:00.2Z", "2013-09-03T10:00:00.7Z", false},
		{"2013-09-03", "2013-09-03T00:00:00Z", false},
		{"2013-09-03T10:00:00+02:00", "2013-09-03T09:30:00Z", false}, // later by the instant, earlier on the clocks written
	} {
		src := "---\ntitle: T\neras:\n  - title: A\n    start: " + c.start + "\n    end: " + c.end + "\n---\n"
		_, err := NewMarkdown(false).ParseSettings([]byte(src))
		errs := lines(err)
		if bad := len(errs) == 1 && strings.Contains(errs[0], "DS112"); bad == c.valid || len(errs) > 1 || (!c.valid && !bad) {
			t.Errorf("start %s, end %s: errors %q, want valid=%v", c.start, c.end, errs, c.valid)
		}
	}
}
