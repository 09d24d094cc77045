// Command gencorpus writes a generated deal-history site folder for
// benchmarks:
//
//	go run ./internal/corpus/cmd/gencorpus -n 10000 -seed 1 -out DIR
//
// DIR then holds content/_index.md and the articles; build it with
// dealsite build -site DIR. The same -n and -seed give the same files.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/dealsite/dealsite/internal/corpus"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "gencorpus:", err)
		}
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gencorpus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 1000, "number of articles")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and -n give the same files")
	out := fs.String("out", "", "site folder to create (must not hold a content/ folder)")
	quiet := fs.Bool("quiet", false, "print nothing on success")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 || *n < 0 {
		fs.Usage()
		return errors.New("usage: gencorpus -n N [-seed S] -out DIR")
	}
	if err := corpus.WriteDir(*out, *n, *seed); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stdout, "Wrote %d articles (seed %d) into %s\n", *n, *seed, *out)
	}
	return nil
}
