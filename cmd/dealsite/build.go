package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/layouts"
	"github.com/dealsite/dealsite/static"
)

// defaultTheme is the theme embedded in the binary.
var defaultTheme = build.Theme{Layouts: layouts.FS, Static: static.FS}

// buildFlags are the flags build and watch share.
type buildFlags struct {
	site, out, baseURL string
	drafts, quiet      bool
}

func (f *buildFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.site, "site", ".", "site folder holding content/, layouts/ and static/")
	fs.StringVar(&f.out, "out", "", "output folder (default SITE/public)")
	fs.StringVar(&f.baseURL, "base-url", "", "absolute URL the site is published under, overriding base_url")
	fs.BoolVar(&f.drafts, "drafts", false, "include articles marked draft: true")
	fs.BoolVar(&f.quiet, "quiet", false, "print nothing but errors")
}

// parse parses and checks the flags: a bad base URL or an output folder
// that could hold sources are usage errors.
func (f *buildFlags) parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	if f.out == "" {
		f.out = filepath.Join(f.site, "public")
	}
	if f.baseURL != "" {
		if _, err := content.NormalizeBaseURL(f.baseURL); err != nil {
			return usageError{"-base-url: " + err.Error()}
		}
	}
	if err := build.CheckOutputDir(f.site, f.out); err != nil {
		return usageError{err.Error()}
	}
	return nil
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f buildFlags
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	f.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: dealsite build [flags]\n\nBuilds the site into the output folder. On any error nothing is written.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := f.parse(fs, args, stdout, stderr); err != nil {
		return err
	}
	return buildSite(ctx, build.NewBuilder(), f, stdout)
}

// buildSite builds once and writes the output folder.
func buildSite(ctx context.Context, b *build.Builder, f buildFlags, stdout io.Writer) error {
	start := time.Now()
	out, err := b.Build(ctx, os.DirFS(f.site), build.Options{BaseURL: f.baseURL, Drafts: f.drafts, Theme: defaultTheme})
	if err != nil {
		return buildFailed(err)
	}
	ws, err := out.Write(ctx, f.out)
	if err != nil {
		return fmt.Errorf("%w\nbuild failed while writing %s", err, f.out)
	}
	if !f.quiet {
		s := out.Stats()
		fmt.Fprintf(stdout, "Built %d pages (%d articles, %d tags) and %d static files into %s in %s: %d written, %d unchanged, %d removed.\n",
			s.Pages, s.Articles, s.Tags, s.Static, f.out, time.Since(start).Round(time.Millisecond), ws.Written, ws.Unchanged, ws.Removed)
	}
	return nil
}

// buildFailed adds a count to a list of diagnostics, so the last line of
// a long error listing still says what happened.
func buildFailed(err error) error {
	var list diag.List
	if errors.As(err, &list) && len(list) > 0 {
		noun := "errors"
		if len(list) == 1 {
			noun = "error"
		}
		return fmt.Errorf("%w\nbuild failed: %d %s; the output folder was not changed", err, len(list), noun)
	}
	return fmt.Errorf("%w\nbuild failed; the output folder was not changed", err)
}
