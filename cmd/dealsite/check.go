package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/check"
	"github.com/dealsite/dealsite/internal/diag"
)

// runCheck validates the site like build, without writing anything, and
// then checks the built pages' links and the content's consistency.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var siteDir, baseURL, format string
	var strict bool
	var cache cacheFlags
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.StringVar(&siteDir, "site", ".", "site folder")
	fs.StringVar(&baseURL, "base-url", "", "check as published under this URL, overriding base_url")
	fs.BoolVar(&strict, "strict", false, "fail (exit 1) on warnings too")
	registerFormat(fs, &format)
	cache.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: dealsite check [flags]\n\nEverything build validates, without writing public/, plus: internal links and\n#fragments resolve, no link leaves the base path, no draft is reachable;\nwarnings for duplicate titles on one date and tags spelt two ways.\nExit 0 when clean, 1 on errors (or on warnings with -strict).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	o, err := newOutput(format, stderr)
	if err != nil {
		return err
	}
	opts := build.Options{BaseURL: baseURL, Theme: defaultTheme}
	siteFS, done := openSite(siteDir)
	defer done()
	drafts, warnings, reviewErr := draftsOf(siteFS)
	// The pages are checked as they are rendered, never all held at once.
	found, stats, err := check.Build(ctx, siteFS, opts, drafts, cache.folder())
	if err == nil {
		err = reviewErr
	}
	if err != nil {
		return o.printDiagnostics(stderr, err, "check failed: "+countLine(diagsOf(err)))
	}
	found = append(found, warnings...)
	_ = diag.Write(stderr, found, o.format, o.color)
	if o.format == diag.Text {
		fmt.Fprintf(stdout, "Checked %d pages: %s.\n", stats.Pages, countLine(found))
	}
	if found.Errors() > 0 || (strict && len(found) > 0) {
		return printed{fmt.Errorf("check found problems")}
	}
	return nil
}

// draftsOf lists the folders of the site's drafts, which published pages
// must not link to, with the warnings of a review of every article. The
// reviewed site is not kept (the check's build holds its own), and its
// bodies, which it does not show, go to a scratch file.
func draftsOf(siteFS fs.FS) ([]string, diag.List, error) {
	spill, err := os.CreateTemp("", "dealsite-review-*")
	if err != nil {
		return nil, nil, err
	}
	defer os.Remove(spill.Name())
	defer spill.Close()
	review, err := reviewDrafts(siteFS, spill)
	if err != nil {
		return nil, nil, err
	}
	var drafts []string
	for _, a := range review.Articles {
		if a.Draft {
			drafts = append(drafts, a.Rel)
		}
	}
	return drafts, review.Warnings(), nil
}

func diagsOf(err error) diag.List {
	var l diag.List
	l.Merge(err)
	return l
}

func countLine(l diag.List) string {
	errs := l.Errors()
	return fmt.Sprintf("%s, %s", plural(errs, "error"), plural(len(l)-errs, "warning"))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
