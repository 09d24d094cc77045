// Package diag holds the one error value every stage of dealsite reports:
// a problem tied to a file (and a line when known), so an editor can jump
// straight to it. Stages collect every problem they find into a List and
// return it once, so a single run shows all of them.
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Diagnostic is one problem in one input file.
type Diagnostic struct {
	// Path is slash-separated and relative to the site folder
	// ("content/2013/deal.md"); empty for problems with no file.
	Path string
	// Line is 1-based; 0 when the problem is not tied to a line.
	Line int
	// Col is 1-based; 0 when unknown.
	Col int
	// Message says what is wrong, and how to fix it when that is not obvious.
	Message string
}

// Error renders the diagnostic as "path:line: message".
func (d Diagnostic) Error() string {
	switch {
	case d.Path == "":
		return d.Message
	case d.Line > 0 && d.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", d.Path, d.Line, d.Col, d.Message)
	case d.Line > 0:
		return fmt.Sprintf("%s:%d: %s", d.Path, d.Line, d.Message)
	default:
		return d.Path + ": " + d.Message
	}
}

// At is shorthand for a Diagnostic with a formatted message.
func At(path string, line int, format string, args ...any) Diagnostic {
	return Diagnostic{Path: path, Line: line, Message: fmt.Sprintf(format, args...)}
}

// List collects diagnostics from one run.
type List []Diagnostic

// Add appends d.
func (l *List) Add(d Diagnostic) { *l = append(*l, d) }

// Addf appends a formatted diagnostic.
func (l *List) Addf(path string, line int, format string, args ...any) {
	l.Add(At(path, line, format, args...))
}

// Merge appends every diagnostic carried by err: a List, a Diagnostic,
// a joined error of those, or any other error (kept as a pathless message).
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

// Err returns nil for an empty list, or the list sorted by path and line
// with exact duplicates removed, so output is stable from run to run.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	sorted := slices.Clone(l)
	slices.SortStableFunc(sorted, compare)
	return slices.Compact(sorted)
}

func compare(a, b Diagnostic) int {
	return cmp.Or(
		strings.Compare(a.Path, b.Path),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Col, b.Col),
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
