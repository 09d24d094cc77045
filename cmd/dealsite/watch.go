package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/outdir"
	"github.com/dealsite/dealsite/internal/watch"
)

// watchedDirs are the folders of a site whose changes trigger a rebuild;
// content/ holds the site settings too.
var watchedDirs = build.SourceDirs

type watchFlags struct {
	buildFlags
	poll time.Duration
}

func runWatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f watchFlags
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	f.register(fs)
	fs.DurationVar(&f.poll, "poll", 0, "poll for changes at this interval (e.g. 500ms) instead of file system events")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: dealsite watch [flags]\n\nBuilds the site, then rebuilds it on every change until interrupted.\nA failed rebuild leaves the output folder as it was.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := f.parse(fs, args, stdout, stderr); err != nil {
		return err
	}
	// The Folder stays for every rebuild: it remembers what it wrote, so
	// that a rebuild never reads the manifest or walks the output.
	folder, err := outdir.Open(f.out, outdir.Options{})
	if err != nil {
		return fmt.Errorf("%w\nbuild failed while writing %s", err, f.out)
	}
	defer folder.Close()
	builder := build.NewBuilder(build.Config{Rebuilds: true, MediaCache: f.cache.folder(), Cards: true})
	rebuild := func(changes *build.Changes) {
		err := buildSite(ctx, builder, folder, changes, f.buildFlags, stdout, stderr)
		if err != nil && ctx.Err() == nil && !errors.As(err, new(printed)) {
			fmt.Fprintln(stderr, err)
		}
	}
	opts := watchOptions(f.site, f.out, f.poll, stderr)
	// Build once the watches are in place, so an edit saved during the
	// first build is not missed: it becomes the first batch.
	opts.Ready = func() {
		rebuild(nil)
		fmt.Fprintf(stdout, "Watching %s for changes. Press Ctrl-C to stop.\n", strings.Join(watchedDirs, "/, ")+"/")
	}
	err = watch.Run(ctx, opts, func(b watch.Batch) {
		fmt.Fprintf(stdout, "%s: %s\n", time.Now().Format("15:04:05"), describeBatch(b))
		rebuild(changesOf(b))
	})
	if ctx.Err() != nil {
		return nil // interrupted: a clean stop
	}
	return err
}

// watchOptions watches the site's source folders, never the output.
func watchOptions(site, out string, poll time.Duration, stderr io.Writer) watch.Options {
	outRel := ""
	if out != "" {
		if rel, err := filepath.Rel(site, out); err == nil && !strings.HasPrefix(rel, "..") {
			outRel = filepath.ToSlash(rel)
		}
	}
	return watch.Options{
		Root: site,
		Dirs: watchedDirs,
		Skip: func(rel string, _ bool) bool {
			return outRel != "" && (rel == outRel || strings.HasPrefix(rel, outRel+"/"))
		},
		Poll: poll,
		Warn: func(msg string) { fmt.Fprintln(stderr, "dealsite: "+msg) },
	}
}

// changesOf hands a batch to the builder, which then reads only the
// files it names.
func changesOf(b watch.Batch) *build.Changes {
	return &build.Changes{Paths: b.Paths, Rescan: b.Rescan}
}

func describeBatch(b watch.Batch) string {
	switch {
	case b.Rescan:
		return "rescanned the site"
	case len(b.Paths) == 1:
		return "changed " + b.Paths[0]
	}
	return fmt.Sprintf("%d files changed", len(b.Paths))
}
