package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/dealsite/dealsite/internal/diag"
)

// output says how a command prints diagnostics.
type output struct {
	format diag.Format
	color  bool
}

// registerFormat adds -format; GitHub annotations are the default inside
// GitHub Actions.
func registerFormat(fs *flag.FlagSet, dst *string) {
	def := "text"
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		def = "github"
	}
	fs.StringVar(dst, "format", def, "diagnostics format: text, json (one object a line) or github (Actions annotations)")
}

// newOutput checks the -format value and decides on colour: text on a
// terminal, unless NO_COLOR is set.
func newOutput(format string, stderr io.Writer) (output, error) {
	f, err := diag.ParseFormat(format)
	if err != nil {
		return output{}, usageError{"-format: " + err.Error()}
	}
	return output{format: f, color: f == diag.Text && isTerminal(stderr) && os.Getenv("NO_COLOR") == ""}, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// printed wraps an error whose diagnostics were already printed, so
// report only picks the exit code.
type printed struct{ err error }

func (p printed) Error() string { return p.err.Error() }
func (p printed) Unwrap() error { return p.err }

// printDiagnostics writes the diagnostics carried by err, then, in text
// format, a closing line saying what happened, and what to do about an
// internal error. It returns a printed error.
func (o output) printDiagnostics(stderr io.Writer, err error, closing string) error {
	var list diag.List
	list.Merge(err)
	_ = diag.Write(stderr, list, o.format, o.color)
	if o.format == diag.Text && closing != "" {
		fmt.Fprintln(stderr, closing)
	}
	printStacks(stderr, list, o.format)
	return printed{err}
}

// traceEnv, set to anything, prints the stack of each internal error
// after the diagnostics: what a bug report needs, and what nobody else
// should have to read.
const traceEnv = "DEALSITE_TRACE"

// printStacks follows the diagnostics of internal errors with their
// stacks when traceEnv is set (in any format: it was asked for), or else,
// in text, with one line saying how to get them.
func printStacks(stderr io.Writer, list diag.List, format diag.Format) {
	if !hasInternal(list) {
		return
	}
	if os.Getenv(traceEnv) == "" {
		if format != diag.Text {
			return // the hint of DS006 says it
		}
		fmt.Fprintf(stderr, "dealsite: an internal error is a bug in dealsite; run again with %s=1 to print where it happened, and report it with that output\n", traceEnv)
		return
	}
	for _, d := range list.Sorted() {
		if d.Code == diag.Internal {
			fmt.Fprintf(stderr, "\n%s\n%s", d.Error(), d.Stack)
		}
	}
}

// hasInternal reports whether err carries an internal error (DS006).
func hasInternal(err error) bool {
	var list diag.List
	list.Merge(err)
	for _, d := range list {
		if d.Code == diag.Internal {
			return true
		}
	}
	return false
}

// failedLine is the last line of a failed build's text output.
func failedLine(err error) string {
	var list diag.List
	list.Merge(err)
	n := list.Errors()
	if n == 0 {
		return "build failed; the output folder was not changed"
	}
	noun := "errors"
	if n == 1 {
		noun = "error"
	}
	return fmt.Sprintf("build failed: %d %s; the output folder was not changed", n, noun)
}
