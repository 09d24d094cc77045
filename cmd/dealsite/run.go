package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"github.com/dealsite/dealsite/internal/diag"
)

// Exit codes: 0 success, 1 content or build errors, 2 usage errors, 3 an
// internal error (a bug in dealsite: a panic, recovered, reported as
// diagnostic DS006). A panic that reached the Go runtime would exit 2,
// the usage code, with a trace; run and the pipeline's workers recover
// every one, so 2 always means the command line.
const (
	exitOK       = 0
	exitError    = 1
	exitUsage    = 2
	exitInternal = 3
)

const usage = `dealsite builds a deal-history microsite from a folder of markdown files.

Usage:
  dealsite build [-site DIR] [-out DIR] [-base-url URL] [-drafts] [-quiet] [-clean]
  dealsite watch [-site DIR] [-out DIR] [-base-url URL] [-drafts] [-poll DURATION]
  dealsite serve [-site DIR] [-addr 127.0.0.1:1313] [-drafts] [-poll DURATION] [-open]
  dealsite check [-site DIR] [-base-url URL] [-format text|json|github] [-strict]
  dealsite new [-site DIR] [-date YYYY-MM-DD] [-tags a,b] [-parties X,Y] "Title"
  dealsite list [-site DIR] [-format text|json] drafts|tags|parties|years|articles
  dealsite version
  dealsite help

Run "dealsite COMMAND -h" for the flags of a command.
`

// usageError marks a mistake in the command line (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run is the whole program behind main, testable without a process:
// it returns the exit code. A panic on its goroutine is reported as an
// internal error; the build recovers those on its own goroutines.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if v := recover(); v != nil {
			code = report(diag.FromPanic("", "running dealsite "+strings.Join(args, " "), v, debug.Stack()), stderr)
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "build":
		err = runBuild(ctx, rest, stdout, stderr)
	case "watch":
		err = runWatch(ctx, rest, stdout, stderr)
	case "serve":
		err = runServe(ctx, rest, stdout, stderr)
	case "check":
		err = runCheck(ctx, rest, stdout, stderr)
	case "new":
		err = runNew(rest, time.Now(), stdout, stderr)
	case "list":
		err = runList(ctx, rest, stdout, stderr)
	case "version", "-version", "--version":
		err = runVersion(stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		err = usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
	return report(err, stderr)
}

// report prints err and picks the exit code.
func report(err error, stderr io.Writer) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case hasInternal(err):
		if !errors.As(err, new(printed)) {
			output{format: diag.Text}.printDiagnostics(stderr, err, "")
		}
		return exitInternal
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "dealsite: %s\n\n%s", ue.msg, usage)
		return exitUsage
	case errors.Is(err, errFlagParse):
		return exitUsage // the flag package has printed the problem and usage
	case errors.As(err, new(printed)):
		return exitError // the diagnostics are printed already
	default:
		msg := err.Error()
		fmt.Fprintln(stderr, strings.TrimRight(msg, "\n"))
		return exitError
	}
}

var errFlagParse = errors.New("bad flags")

// parseArgs parses a subcommand's flags, printing help to stdout for -h
// and problems to stderr.
func parseArgs(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	fs.SetOutput(stderr)
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout)
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errFlagParse
	}
	return nil
}

// parseFlags is parseArgs for commands that take no arguments.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	if err := parseArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))}
	}
	return nil
}
