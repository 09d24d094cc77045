package build

import (
	"context"
	"io/fs"

	"github.com/dealsite/dealsite/internal/outdir"
	"github.com/dealsite/dealsite/internal/site"
)

// Output is a whole build held in memory, with the model it was rendered
// from: what tests and check.Site look at.
type Output struct {
	*outdir.Files
	site  *site.Site
	stats Stats
}

// Site is the model the output was rendered from.
func (o *Output) Site() *site.Site { return o.site }

// Stats reports what the build produced.
func (o *Output) Stats() Stats { return o.stats }

// Build is a one-shot Run into memory: a thin wrapper for tests and
// tools that want the whole site at hand.
func Build(ctx context.Context, siteFS fs.FS, opts Options) (*Output, error) {
	mem := outdir.NewMemory()
	r, err := NewBuilder(Config{}).Run(ctx, siteFS, opts, mem)
	if err != nil {
		return nil, err
	}
	return &Output{Files: mem.Files(), site: r.Site, stats: r.Stats}, nil
}
