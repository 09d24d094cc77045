package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/outdir"
	"github.com/dealsite/dealsite/layouts"
	"github.com/dealsite/dealsite/static"
)

// defaultTheme is the theme embedded in the binary.
var defaultTheme = build.Theme{Layouts: layouts.FS, Static: static.FS}

// buildFlags are the flags build and watch share.
type buildFlags struct {
	site, out, baseURL string
	drafts, quiet      bool
	verbose            bool
	clean              bool // build only: delete what dealsite did not write
	format             string
	diagOut            output
	cache              cacheFlags
}

func (f *buildFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.site, "site", ".", "site folder holding content/, layouts/ and static/")
	fs.StringVar(&f.out, "out", "", "output folder (default SITE/public)")
	fs.StringVar(&f.baseURL, "base-url", "", "absolute URL the site is published under, overriding base_url")
	fs.BoolVar(&f.drafts, "drafts", false, "include articles marked draft: true")
	fs.BoolVar(&f.quiet, "quiet", false, "print nothing but errors")
	fs.BoolVar(&f.verbose, "v", false, "also print how long each phase took")
	registerFormat(fs, &f.format)
	f.cache.register(fs)
}

// parse parses and checks the flags: a bad base URL or an output folder
// that could hold sources are usage errors.
func (f *buildFlags) parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	o, err := newOutput(f.format, stderr)
	if err != nil {
		return err
	}
	f.diagOut = o
	if f.out == "" {
		f.out = filepath.Join(f.site, outdir.DefaultName)
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
	fs.BoolVar(&f.clean, "clean", false, "also delete or overwrite files in the output folder that dealsite did not write (a .git at its root is kept)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: dealsite build [flags]\n\nBuilds the site into the output folder. On any error nothing is written.\nOnly files dealsite wrote are overwritten or deleted, unless -clean is given.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := f.parse(fs, args, stdout, stderr); err != nil {
		return err
	}
	folder, err := outdir.Open(f.out, outdir.Options{Clean: f.clean})
	if err != nil {
		return fmt.Errorf("%w\nbuild failed while writing %s", err, f.out)
	}
	defer folder.Close()
	// The article bodies wait for their pages in a scratch file in the
	// output folder rather than in memory: one build of a big site.
	scratch, err := folder.Scratch()
	if err != nil {
		return fmt.Errorf("%w\nbuild failed while writing %s", err, f.out)
	}
	defer scratch.Close()
	return buildSite(ctx, build.NewBuilder(build.Config{Scratch: scratch, MediaCache: f.cache.folder(), Cards: true}), folder, nil, f, stdout, stderr)
}

// buildSite runs b into the output folder and closes it (a Folder kept
// for the next rebuild reopens itself), printing the diagnostics of a
// failed build in the chosen format. changes says what changed since b's
// last build (nil: unknown).
func buildSite(ctx context.Context, b *build.Builder, folder *outdir.Folder, changes *build.Changes, f buildFlags, stdout, stderr io.Writer) error {
	start := time.Now()
	progress := newProgress(stderr, f.quiet)
	siteFS, done := openSite(f.site)
	defer done()
	opts := build.Options{BaseURL: f.baseURL, Drafts: f.drafts, Theme: defaultTheme, Progress: progress.update, Changes: changes}
	r, err := b.Run(ctx, siteFS, opts, folder)
	folder.Close()
	progress.clear()
	var writeErr *build.WriteError
	if errors.As(err, &writeErr) {
		return fmt.Errorf("%w\nbuild failed while writing %s", err, f.out)
	}
	if err != nil {
		return f.diagOut.printDiagnostics(stderr, err, failedLine(err))
	}
	if !f.quiet {
		printSummary(stdout, r.Stats, r.Write, f, time.Since(start))
	}
	return nil
}

// printSummary prints what was built as a short table, the phase timings
// with -v, and one closing line.
func printSummary(w io.Writer, s build.Stats, ws outdir.Stats, f buildFlags, took time.Duration) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\tarticles\tyears\ttags\tparties\tother\tstatic\t\n")
	fmt.Fprintf(tw, "pages\t%d\t%d\t%d\t%d\t%d\t%d\t\n", s.Kinds["articles"], s.Kinds["years"], s.Kinds["tags"], s.Kinds["parties"], s.Kinds["other"], s.Static)
	tw.Flush()
	fmt.Fprintf(w, "Articles: %d published, %d drafts skipped.\n", s.Articles, s.Skipped)
	printRobotsNote(w, s.BaseURL)
	if f.verbose {
		for _, p := range s.Phases {
			fmt.Fprintf(w, "  %-10s %s\n", p.Name, p.Took.Round(time.Microsecond))
		}
		fmt.Fprintf(w, "  %-10s %s\n", "write", (took - sumPhases(s.Phases)).Round(time.Microsecond))
	}
	if ws.Kept > 0 {
		them := "them"
		if ws.Kept == 1 {
			them = "it"
		}
		fmt.Fprintf(w, "Kept %s in %s that dealsite did not write (dealsite build -clean deletes %s).\n", plural(ws.Kept, "file"), f.out, them)
	}
	fmt.Fprintf(w, "Built %d pages (%d articles, %d tags) and %d static files into %s in %s: %d written, %d unchanged, %d removed.\n",
		s.Pages, s.Articles, s.Tags, s.Static, f.out, took.Round(time.Millisecond), ws.Written, ws.Unchanged, ws.Removed)
}

// printRobotsNote warns when the site is published below a host's root:
// crawlers read robots.txt only at the root, so the one dealsite writes
// is never seen there, and the sitemap it names is not found that way.
func printRobotsNote(w io.Writer, baseURL string) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Path == "" || u.Path == "/" {
		return
	}
	root := u.Scheme + "://" + u.Host + "/"
	fmt.Fprintf(w, "Note: robots.txt is at %srobots.txt, but crawlers only read %srobots.txt.\n", baseURL, root)
	fmt.Fprintf(w, "  To point them at this site's sitemap, add this line to %srobots.txt:\n", root)
	fmt.Fprintf(w, "  Sitemap: %ssitemap.xml\n", baseURL)
}

func sumPhases(phases []build.Phase) time.Duration {
	var total time.Duration
	for _, p := range phases {
		total += p.Took
	}
	return total
}
