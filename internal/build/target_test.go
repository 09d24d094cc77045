package build

import (
	"context"
	"io/fs"

	"github.com/dealsite/dealsite/internal/outdir"
)

// buildTo is a one-shot build into the folder dir, as dealsite build
// runs it: a Folder of its own, the article bodies in its scratch file.
func buildTo(ctx context.Context, siteFS fs.FS, opts Options, dir string) (Stats, outdir.Stats, error) {
	return buildToWith(ctx, siteFS, opts, dir, outdir.Options{})
}

func buildToWith(ctx context.Context, siteFS fs.FS, opts Options, dir string, fo outdir.Options) (Stats, outdir.Stats, error) {
	f, err := outdir.Open(dir, fo)
	if err != nil {
		return Stats{}, outdir.Stats{}, err
	}
	defer f.Close()
	scratch, err := f.Scratch()
	if err != nil {
		return Stats{}, outdir.Stats{}, err
	}
	defer scratch.Close()
	r, err := NewBuilder(Config{Scratch: scratch}).Run(ctx, siteFS, opts, f)
	return r.Stats, r.Write, err
}

// rebuilder is watch's way of building: one Builder and one Folder kept
// from build to build.
type rebuilder struct {
	b *Builder
	f *outdir.Folder
}

func newRebuilder(dir string) (*rebuilder, error) {
	f, err := outdir.Open(dir, outdir.Options{})
	if err != nil {
		return nil, err
	}
	return &rebuilder{b: NewBuilder(Config{Rebuilds: true}), f: f}, nil
}

func (r *rebuilder) build(ctx context.Context, siteFS fs.FS, opts Options) (Stats, outdir.Stats, error) {
	defer r.f.Close()
	res, err := r.b.Run(ctx, siteFS, opts, r.f)
	return res.Stats, res.Write, err
}

// writeOutput writes a whole in-memory build into dir through a Folder
// of its own.
func writeOutput(ctx context.Context, o *Output, dir string) (outdir.Stats, error) {
	f, err := outdir.Open(dir, outdir.Options{})
	if err != nil {
		return outdir.Stats{}, err
	}
	defer f.Close()
	tx, err := f.Begin(ctx, o.Paths())
	if err != nil {
		return outdir.Stats{}, err
	}
	for _, p := range o.Paths() {
		data, _ := o.File(p)
		if tx.Put(p, data) != nil {
			break
		}
	}
	return tx.Commit()
}

// warm is watch's and serve's way of building, for tests: one Builder
// kept from build to build, into a Memory or into a Folder per output
// folder, each kept too.
type warm struct {
	b       *Builder
	mem     *outdir.Memory
	folders map[string]*outdir.Folder
}

func newWarm() *warm {
	return &warm{b: NewBuilder(Config{Rebuilds: true}), mem: outdir.NewMemory(), folders: map[string]*outdir.Folder{}}
}

// Build runs into the Memory.
func (w *warm) Build(ctx context.Context, siteFS fs.FS, opts Options) (*Output, error) {
	r, err := w.b.Run(ctx, siteFS, opts, w.mem)
	if err != nil {
		return nil, err
	}
	return &Output{Files: w.mem.Files(), site: r.Site, stats: r.Stats}, nil
}

// BuildTo runs into the Folder kept for dir.
func (w *warm) BuildTo(ctx context.Context, siteFS fs.FS, opts Options, dir string) (Stats, outdir.Stats, error) {
	f := w.folders[dir]
	if f == nil {
		var err error
		if f, err = outdir.Open(dir, outdir.Options{}); err != nil {
			return Stats{}, outdir.Stats{}, err
		}
		w.folders[dir] = f
	}
	defer f.Close()
	r, err := w.b.Run(ctx, siteFS, opts, f)
	return r.Stats, r.Write, err
}

// For the tests of package build_test (benchmarks, fuzzing).
var (
	WriteOutput = writeOutput
	NewWarm     = newWarm
)
