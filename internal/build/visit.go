package build

import (
	"context"
	"io/fs"
	"slices"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/render"
	"github.com/dealsite/dealsite/internal/site"
)

// A Visitor reads a build's files one at a time; see Visit.
type Visitor struct {
	// Begin, when set, hears the site and every output path before the
	// first file is made.
	Begin func(s *site.Site, paths []string)
	// File receives each file. It is called from several goroutines at
	// once; data is File's to keep. An error stops the build.
	File func(path string, data []byte) error
	// Spill, when set, is an empty file that holds the article bodies
	// and the event snippets until their pages are made, as BuildTo's
	// does, instead of memory.
	Spill content.ReadWriterAt
}

// Visit builds the site like Build, with the same errors, but hands each
// file to v as soon as it is made and keeps none: check reads a site of
// any size this way without holding it whole in memory.
func Visit(ctx context.Context, siteFS fs.FS, opts Options, v Visitor) (*site.Site, Stats, error) {
	once := &Builder{loader: content.NewLoader()}
	if v.Spill != nil {
		once.loader.Spill = content.NewSpill(v.Spill)
	}
	p, err := once.prepare(ctx, siteFS, opts)
	if err == nil && once.loader.Spill != nil {
		err = once.loader.Spill.Flush()
	}
	if err != nil {
		return nil, Stats{}, err
	}
	if v.Begin != nil {
		paths := slices.Concat(p.paths, sortedKeys(p.static))
		slices.Sort(paths)
		v.Begin(p.site, slices.Compact(paths))
	}
	err = p.plan.Run(render.Sink{File: func(path string, data []byte, _ uint64) error {
		if _, overridden := p.static[path]; overridden {
			return nil
		}
		return v.File(path, data)
	}})
	if err != nil {
		return nil, p.stats, err
	}
	for _, path := range sortedKeys(p.static) {
		if err := v.File(path, p.static[path]); err != nil {
			return nil, p.stats, err
		}
	}
	p.phases.done("render")
	p.stats.Phases = p.phases.list
	return p.site, p.stats, ctx.Err()
}
