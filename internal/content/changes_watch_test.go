package content_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/watch"
)

// TestLoaderTrustsTheWatcher feeds a Loader the batches of the real
// watcher while a site is edited on disk the ways editors and shells do
// (a rename, a folder renamed and deleted, a save through a temporary
// file, the target of a linked article edited outside content/, images
// an article shows beside it and under static/ added, replaced, broken
// and deleted). After
// each operation the told loader must come to exactly what a fresh Load
// reads; one that misses a change never does.
func TestLoaderTrustsTheWatcher(t *testing.T) {
	dir := t.TempDir()
	abs := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	put := func(rel, title string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		src := fmt.Sprintf("---\ntitle: %s\ndate: 2013-01-02\n---\nText of %s.\n", title, title)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	do := func(f func() error) func() {
		return func() {
			if err := f(); err != nil {
				t.Fatal(err)
			}
		}
	}
	write := func(rel string, data any) {
		t.Helper()
		p := abs(rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		b, _ := data.([]byte)
		if s, ok := data.(string); ok {
			b = []byte(s)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	settings := func(title string) {
		t.Helper()
		src := "---\ntitle: " + title + "\nbase_url: https://example.org/\n---\nIntro.\n"
		if err := os.WriteFile(abs("content/_index.md"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put("content/a.md", "A")
	settings("Deals")
	put("content/a.md", "A")
	put("content/2013/b.md", "B")
	put("content/2013/c.md", "C")
	put("shared/linked.md", "Linked")
	if err := os.Symlink("../shared/linked.md", abs("content/linked.md")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	steps := []struct {
		name string
		op   func()
	}{
		{"edit", func() { put("content/a.md", "A2") }},
		{"add", func() { put("content/2013/d.md", "D") }},
		{"rename a file", do(func() error { return os.Rename(abs("content/2013/d.md"), abs("content/e.md")) })},
		{"rename a folder", do(func() error { return os.Rename(abs("content/2013"), abs("content/2014")) })},
		{"save through a temporary file", func() {
			put("content/4913", "probe")
			_ = os.Remove(abs("content/4913"))
			put("content/e.md___jb_tmp___", "E2")
			do(func() error { return os.Rename(abs("content/e.md___jb_tmp___"), abs("content/e.md")) })()
		}},
		{"edit the target of a link", func() { put("shared/linked.md", "Linked2") }},
		{"show an image not there yet", func() {
			write("content/pic/index.md", "---\ntitle: Pic\ndate: 2013-01-02\n---\n![a chart](p.png) ![a map](/s.png)\n")
		}},
		{"add the image", func() { write("content/pic/p.png", pngOf(4)) }},
		{"replace the image", func() { write("content/pic/p.png", pngOf(8)) }},
		{"add the image under static/", func() { write("static/s.png", pngOf(4)) }},
		{"replace the image under static/", func() { write("static/s.png", pngOf(6)) }},
		{"break the image", func() { write("content/pic/p.png", []byte("not an image")) }},
		{"delete the image", do(func() error { return os.Remove(abs("static/s.png")) })},
		{"edit the settings", func() { settings("Deals2") }},
		{"delete a folder", do(func() error { return os.RemoveAll(abs("content/2014")) })},
		{"delete a file", do(func() error { return os.Remove(abs("content/a.md")) })},
	}

	batches := make(chan watch.Batch, 100)
	ready := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		done <- watch.Run(ctx, watch.Options{Root: dir, Dirs: []string{"content", "static"}, Ready: func() { close(ready) }},
			func(b watch.Batch) { batches <- b })
	}()
	defer func() { cancel(); <-done }()
	<-ready
	l := content.NewLoader()
	fsys := os.DirFS(dir)
	if _, err := l.Load(fsys); err != nil {
		t.Fatal(err)
	}
	for _, step := range steps {
		step.op()
		settled(t, step.name, l, fsys, batches)
	}
}

// settled hands the loader the watcher's batches until what it loads is
// what a fresh load reads, or fails after a generous deadline.
func settled(t *testing.T, step string, l *content.Loader, fsys fs.FS, batches <-chan watch.Batch) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	var told []watch.Batch
	for {
		select {
		case b := <-batches:
			told = append(told, b)
			l.Changed(&content.Changes{Paths: b.Paths, Rescan: b.Rescan})
			got, gotErr := l.Load(fsys)
			want, wantErr := content.Load(fsys)
			if fmt.Sprint(gotErr) == fmt.Sprint(wantErr) && reflect.DeepEqual(got, want) {
				return
			}
		case <-deadline:
			t.Fatalf("%s: after the batches %+v the loader still differs from a fresh load", step, told)
		}
	}
}

// pngOf is a PNG w pixels wide.
func pngOf(w int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, 2))); err != nil {
		panic(err)
	}
	return b.Bytes()
}
