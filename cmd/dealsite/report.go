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
// format, a closing line saying what happened. It returns a printed error.
func (o output) printDiagnostics(stderr io.Writer, err error, closing string) error {
	var list diag.List
	list.Merge(err)
	_ = diag.Write(stderr, list, o.format, o.color)
	if o.format == diag.Text && closing != "" {
		fmt.Fprintln(stderr, closing)
	}
	return printed{err}
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
