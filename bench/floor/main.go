// Command floor is the physical floor of the benchmark in issue 5: the
// least work any generator of a deal site must do. It reads every
// article under SITE/content (**/*.md, except _index.md and files
// starting with '.' or '_'), strips the front matter, converts the body
// with one shared goldmark (GFM, footnotes, typographer) and writes one
// HTML file per article into -out, on GOMAXPROCS workers. No templates,
// no listings, no model: whatever dealsite spends above this is its own
// overhead.
//
//	go run ./bench/floor -site DIR -out DIR
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("floor", flag.ContinueOnError)
	fl.SetOutput(stderr)
	site := fl.String("site", ".", "site folder holding content/")
	out := fl.String("out", "", "output folder (required)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("-out is required")
	}
	paths, err := articles(filepath.Join(*site, "content"))
	if err != nil {
		return err
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer))
	n, err := convertAll(ctx, md, filepath.Join(*site, "content"), *out, paths)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "floor: %d articles into %s\n", n, *out)
	return nil
}

// articles lists the .md files under dir, relative to it.
func articles(dir string) ([]string, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(name, ".md") {
			rel, err := filepath.Rel(dir, p)
			paths = append(paths, rel)
			return err
		}
		return nil
	})
	return paths, err
}

// convertAll converts every article on GOMAXPROCS workers and returns
// how many it wrote, or the first error.
func convertAll(ctx context.Context, md goldmark.Markdown, src, dst string, paths []string) (int, error) {
	next := make(chan string)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf bytes.Buffer
			for rel := range next {
				if err := convert(md, &buf, filepath.Join(src, rel), filepath.Join(dst, strings.TrimSuffix(rel, ".md")+".html")); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	var err error
feed:
	for _, rel := range paths {
		select {
		case next <- rel:
		case err = <-errs:
			break feed
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	return len(paths), err
}

// convert reads one article, strips its front matter and writes its body
// as HTML.
func convert(md goldmark.Markdown, buf *bytes.Buffer, from, to string) error {
	src, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	buf.Reset()
	if err := md.Convert(body(src), buf); err != nil {
		return fmt.Errorf("%s: %w", from, err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return os.WriteFile(to, buf.Bytes(), 0o644)
}

// body returns src without a leading "---" front-matter block.
func body(src []byte) []byte {
	rest, ok := bytes.CutPrefix(src, []byte("---\n"))
	if !ok {
		return src
	}
	if i := bytes.Index(rest, []byte("\n---\n")); i >= 0 {
		return rest[i+len("\n---\n"):]
	}
	return src
}
