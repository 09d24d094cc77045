// Package diag holds the one value every stage of dealsite reports: a
// diagnostic with a stable code, a severity, the file (and line and
// column when known), a message and a fix hint, so an editor can jump
// straight to it and a CI system can annotate it. Stages collect every
// problem they find into a List and return it once, so a single run
// shows all of them. Output formats are in format.go, the codes in
// codes.go.
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Severity says whether a diagnostic fails the run.
type Severity int

// The severities, most severe first.
const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one problem in one input file.
type Diagnostic struct {
	Code     Code
	Severity Severity
	// Path is slash-separated and relative to the site folder
	// ("content/2013/deal.md"); empty for problems with no file.
	Path string
	// Line and Col are 1-based; 0 when unknown.
	Line, Col int
	// Message says what is wrong.
	Message string
	// Hint says how to fix it; defaults to the code's hint.
	Hint string
	// Stack, for an Internal error, is where the panic happened, for a
	// bug report. No format prints it; the command shows it on request.
	Stack string
}

// Error renders the diagnostic as human text:
// "content/a.md:3:1: error DS101: unknown field …".
func (d Diagnostic) Error() string {
	var b strings.Builder
	if d.Path != "" {
		b.WriteString(d.Path)
		if d.Line > 0 {
			fmt.Fprintf(&b, ":%d", d.Line)
			if d.Col > 0 {
				fmt.Fprintf(&b, ":%d", d.Col)
			}
		}
		b.WriteString(": ")
	}
	if d.Code != "" {
		b.WriteString(d.Severity.String() + " " + string(d.Code) + ": ")
	}
	b.WriteString(d.Message)
	return b.String()
}

// New makes an error diagnostic with a formatted message.
func New(code Code, path string, line int, format string, args ...any) Diagnostic {
	return Diagnostic{Code: code, Path: path, Line: line, Message: fmt.Sprintf(format, args...)}
}

// List collects diagnostics from one run.
type List []Diagnostic

// Add appends d.
func (l *List) Add(d Diagnostic) { *l = append(*l, d) }

// Addf appends an error diagnostic with a formatted message.
func (l *List) Addf(code Code, path string, line int, format string, args ...any) {
	l.Add(New(code, path, line, format, args...))
}

// Warnf appends a warning.
func (l *List) Warnf(code Code, path string, line int, format string, args ...any) {
	d := New(code, path, line, format, args...)
	d.Severity = Warning
	l.Add(d)
}

// Merge appends every diagnostic carried by err: a List, a Diagnostic,
// a joined error of those, or any other error (kept as a pathless
// message).
func (l *List) Merge(err error) {
	if err == nil {
		return
	}
	var list List
	var d Diagnostic
	switch {
	case errors.As(err, &list):
		*l = append(*l, list...)
	case errors.As(err, &d):
		l.Add(d)
	default:
		l.Add(Diagnostic{Message: err.Error()})
	}
}

// Sorted returns the list sorted by path, line and column, with exact
// duplicates removed, so output is stable from run to run.
func (l List) Sorted() List {
	sorted := slices.Clone(l)
	slices.SortStableFunc(sorted, compare)
	return slices.Compact(sorted)
}

// Err returns nil when the list holds no errors (warnings alone do not
// fail a run), or the whole list, sorted.
func (l List) Err() error {
	if !slices.ContainsFunc(l, func(d Diagnostic) bool { return d.Severity == Error }) {
		return nil
	}
	return l.Sorted()
}

// Errors counts the diagnostics of severity Error.
func (l List) Errors() int {
	n := 0
	for _, d := range l {
		if d.Severity == Error {
			n++
		}
	}
	return n
}

func compare(a, b Diagnostic) int {
	return cmp.Or(
		strings.Compare(a.Path, b.Path),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Col, b.Col),
		strings.Compare(string(a.Code), string(b.Code)),
		strings.Compare(a.Message, b.Message),
	)
}

// Error prints one diagnostic per line.
func (l List) Error() string {
	lines := make([]string, len(l))
	for i, d := range l {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}
