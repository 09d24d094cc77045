package build

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/diag"
)

// panickyFS panics when asked for the file boom: a stand-in for a bug
// in whichever stage handles that file.
type panickyFS struct {
	fstest.MapFS
	boom string
}

func (f panickyFS) Open(name string) (fs.File, error) {
	if name == f.boom {
		panic("boom reading " + name)
	}
	return f.MapFS.Open(name)
}

func (f panickyFS) ReadFile(name string) ([]byte, error) {
	if name == f.boom {
		panic("boom reading " + name)
	}
	return f.MapFS.ReadFile(name)
}

func smallSite() fstest.MapFS {
	return datedSite(map[string]string{"one": "2013-09-03", "two": "2014-01-01"})
}

// wantInternal checks that err is a build failure carrying one internal
// error about path, on one line, with a stack.
func wantInternal(t *testing.T, err error, path string) {
	t.Helper()
	var list diag.List
	list.Merge(err)
	for _, d := range list {
		if d.Code == diag.Internal && d.Path == path && strings.Contains(d.Message, "boom reading") && !strings.Contains(d.Message, "\n") && strings.Contains(d.Stack, "panickyFS") {
			return
		}
	}
	t.Errorf("want an internal error about %q with its stack, got: %v", path, err)
}

// Articles are read on worker goroutines: a panic there must name the
// article and fail the build, not end the process.
func TestPanicReadingAnArticleIsAnInternalError(t *testing.T) {
	files := smallSite()
	files["content/boom.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Boom\ndate: 2013-01-01\n---\n")}
	_, err := Build(context.Background(), panickyFS{files, "content/boom.md"}, Options{Theme: theme})
	wantInternal(t, err, "content/boom.md")
}

// The static files are read on the build's own goroutine.
func TestPanicReadingAStaticFileIsAnInternalError(t *testing.T) {
	files := smallSite()
	files["static/boom.css"] = &fstest.MapFile{Data: []byte("x")}
	_, err := Build(context.Background(), panickyFS{files, "static/boom.css"}, Options{Theme: theme})
	wantInternal(t, err, "")
}

// serve keeps publishing the last good Output: after a build that
// panicked, a Builder builds the same site again, as a fresh one would.
func TestBuilderRecoversAfterAPanic(t *testing.T) {
	b := newWarm()
	files := smallSite()
	good, err := b.Build(context.Background(), files, Options{Theme: theme})
	if err != nil {
		t.Fatal(err)
	}
	broken := fstest.MapFS{"content/boom.md": {Data: []byte("---\ntitle: Boom\ndate: 2013-01-01\n---\n")}}
	for p, f := range files {
		broken[p] = f
	}
	out, err := b.Build(context.Background(), panickyFS{broken, "content/boom.md"}, Options{Theme: theme})
	wantInternal(t, err, "content/boom.md")
	if out != nil {
		t.Error("a build that panicked returned an Output to publish")
	}
	again, err := b.Build(context.Background(), files, Options{Theme: theme})
	if err != nil {
		t.Fatal(err)
	}
	sameOutput(t, good, again, "after a panic")
}

// watch writes with BuildTo: a panic leaves the folder as it was, and the
// next good build writes it.
func TestBuildToLeavesTheFolderAfterAPanic(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	b := newWarm()
	files := smallSite()
	if _, _, err := b.BuildTo(context.Background(), files, Options{Theme: theme}, dir); err != nil {
		t.Fatal(err)
	}
	before := folder(t, dir)
	for _, boom := range []string{"content/one.md", "static/boom.css"} {
		broken := fstest.MapFS{"static/boom.css": {Data: []byte("x")}}
		for p, f := range files {
			broken[p] = f
		}
		_, _, err := b.BuildTo(context.Background(), panickyFS{broken, boom}, Options{Theme: theme}, dir)
		if err == nil {
			t.Fatalf("%s: no error", boom)
		}
		if after := folder(t, dir); after != before {
			t.Errorf("%s: a build that panicked changed the folder:\n%s\nwas\n%s", boom, after, before)
		}
	}
	files["content/three.md"] = &fstest.MapFile{Data: []byte("---\ntitle: three\ndate: 2015-01-01\n---\n")}
	if _, _, err := b.BuildTo(context.Background(), files, Options{Theme: theme}, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "articles/three/index.html")); err != nil {
		t.Error("the build after the panic did not write the new article")
	}
}

// folder lists every file under dir with its size.
func folder(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			rel, _ := filepath.Rel(dir, p)
			b.WriteString(rel + " " + info.ModTime().String() + "\n")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
