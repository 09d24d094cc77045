package build

import (
	"bytes"
	"context"
	"errors"
	"github.com/dealsite/dealsite/internal/outdir"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func buildDir(t *testing.T, site string) *Output {
	t.Helper()
	out, err := Build(context.Background(), os.DirFS(site), Options{Theme: theme})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWriteRemovesStaleFilesAndKeepsUnchangedOnes(t *testing.T) {
	site, dir := t.TempDir(), t.TempDir()
	copyTree(t, "testdata/golden/basic/site", site)
	mustWrite(t, filepath.Join(dir, "old/page/index.html"), []byte("not dealsite's"))
	mustWrite(t, filepath.Join(dir, ".git/HEAD"), []byte("ref: main"))
	first := buildDir(t, site)
	ws, err := writeOutput(context.Background(), first, dir)
	if err != nil {
		t.Fatal(err)
	}
	if ws.Removed != 0 || ws.Unchanged != 0 || ws.Kept != 1 {
		t.Errorf("first write = %+v, want the file dealsite did not write kept", ws)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "old/page/index.html")); string(b) != "not dealsite's" {
		t.Errorf("a file dealsite did not write was changed: %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git/HEAD")); err != nil {
		t.Errorf(".git removed: %v", err)
	}

	old := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	index := filepath.Join(dir, "index.html")
	if err := os.Chtimes(index, old, old); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(site, "content/2011/2011-02-14-support.md")) // drops tags c and übernahme too
	second := buildDir(t, site)
	ws, err = writeOutput(context.Background(), second, dir)
	if err != nil {
		t.Fatal(err)
	}
	// The search index loses the shards of the words only that article
	// had, and a document chunk.
	searchGone := 0
	for _, p := range first.Paths() {
		if _, ok := second.File(p); !ok && strings.HasPrefix(p, "search/") {
			searchGone++
		}
	}
	if searchGone == 0 {
		t.Error("removing an article removed no search index file")
	}
	for _, gone := range []string{"articles/support", "tags/c", "tags/übernahme"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s survived the rebuild", gone)
		}
	}
	if ws.Removed != 5+searchGone || ws.Unchanged == 0 { // the article, two tag pages and their feeds, and search files
		t.Errorf("second write = %+v", ws)
	}
	info, err := os.Stat(index)
	if err != nil {
		t.Fatal(err)
	}
	if info.ModTime().Equal(old) {
		t.Error("index.html changed content but kept its old mtime")
	}
	css := filepath.Join(dir, "css/style.css")
	os.Chtimes(css, old, old)
	if _, err := writeOutput(context.Background(), buildDir(t, site), dir); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(css); !info.ModTime().Equal(old) {
		t.Error("an unchanged file was rewritten")
	}
}

func TestWriteStaysInsideOutputThroughPlantedSymlink(t *testing.T) {
	site, dir, elsewhere := t.TempDir(), t.TempDir(), t.TempDir()
	copyTree(t, "testdata/golden/basic/site", site)
	if err := os.Symlink(elsewhere, filepath.Join(dir, "articles")); err != nil {
		t.Skip("symlinks not supported:", err)
	}
	if err := os.Symlink(filepath.Join(elsewhere, "x.html"), filepath.Join(dir, "404.html")); err != nil {
		t.Fatal(err)
	}
	if _, err := writeOutput(context.Background(), buildDir(t, site), dir); err == nil {
		t.Log("write succeeded") // os.Root may refuse or replace the links; either way:
	}
	entries, _ := os.ReadDir(elsewhere)
	if len(entries) != 0 {
		t.Errorf("wrote outside the output folder: %v", entries)
	}
}

func TestCheckOutputDir(t *testing.T) {
	site := t.TempDir()
	for _, d := range []string{"content", "layouts", "static", "other/content"} {
		os.MkdirAll(filepath.Join(site, d), 0o755)
	}
	tests := []struct {
		out  string
		want string // "" for accepted
	}{
		{filepath.Join(site, "public"), ""},
		{filepath.Join(site, "a/b/new"), ""},
		{filepath.Join(site, "public/../public"), ""},
		{site, "is the site folder"},
		{site + "/.", "is the site folder"},
		{filepath.Dir(site), "contains the site folder"},
		{filepath.Join(site, "content"), "inside the site's content/"},
		{filepath.Join(site, "content/public"), "inside the site's content/"},
		{filepath.Join(site, "static/out"), "inside the site's static/"},
		{filepath.Join(site, "layouts"), "inside the site's layouts/"},
		{filepath.Join(site, "other"), "contains a content/ folder"},
	}
	for _, tt := range tests {
		err := CheckOutputDir(site, tt.out)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckOutputDir(%s) = %v, want accepted", tt.out, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("CheckOutputDir(%s) = %v, want %q", tt.out, err, tt.want)
		}
	}
}

func TestCheckOutputDirSeesThroughSymlinks(t *testing.T) {
	site, links := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(site, "content"), 0o755)
	alias := filepath.Join(links, "alias")
	if err := os.Symlink(site, alias); err != nil {
		t.Skip(err)
	}
	if err := CheckOutputDir(site, alias); err == nil {
		t.Error("accepted the site folder through a symlink")
	}
}

// snapshotDir records every file's bytes and modification time.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := readDir(t, dir)
	for p := range files {
		info, err := os.Stat(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		files[p] += "@" + info.ModTime().String()
	}
	return files
}

func equalDirs(t *testing.T, before, after map[string]string) {
	t.Helper()
	for p, v := range before {
		if after[p] != v {
			t.Errorf("%s changed", p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s appeared", p)
		}
	}
}

func TestWriteCancelledOrFailingLeavesFolderAsItWas(t *testing.T) {
	site, dir := t.TempDir(), t.TempDir()
	copyTree(t, "testdata/golden/basic/site", site)
	if _, err := writeOutput(context.Background(), buildDir(t, site), dir); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(site, "content/2012-new.md"), []byte("---\ntitle: New\ndate: 2012-05-05\ntags: [Fresh]\n---\nNew.\n"))
	changed := buildDir(t, site)
	before := snapshotDir(t, dir)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := writeOutput(ctx, changed, dir); err == nil {
		t.Error("cancelled write succeeded")
	}
	equalDirs(t, before, snapshotDir(t, dir))

	// A file where the build needs a folder makes staging fail midway.
	mustWrite(t, filepath.Join(dir, "articles/new"), []byte("in the way")) // content/2012-new.md's page
	before = snapshotDir(t, dir)
	if _, err := writeOutput(context.Background(), changed, dir); !errors.Is(err, outdir.ErrNothingWritten) {
		t.Errorf("error = %v", err)
	}
	equalDirs(t, before, snapshotDir(t, dir))
}

func TestWriteRemovesLeftoverTempFiles(t *testing.T) {
	site, dir := t.TempDir(), t.TempDir()
	copyTree(t, "testdata/golden/basic/site", site)
	mustWrite(t, filepath.Join(dir, "tags/x/.dealsite-tmp-index.html"), []byte("interrupted"))
	ws, err := writeOutput(context.Background(), buildDir(t, site), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "tags/x")); !os.IsNotExist(err) || ws.Removed != 0 {
		t.Errorf("leftover kept or counted: %v %+v", err, ws)
	}
}

func TestConcurrentWritesDoNotInterleave(t *testing.T) {
	siteA, siteB, dir := t.TempDir(), t.TempDir(), t.TempDir()
	copyTree(t, "testdata/golden/basic/site", siteA)
	copyTree(t, "testdata/golden/basic/site", siteB)
	mustWrite(t, filepath.Join(siteB, "content/_index.md"), []byte("---\ntitle: B site\nbase_url: https://b.example/\n---\nB.\n"))
	a, b := buildDir(t, siteA), buildDir(t, siteB)
	for range 5 {
		errs := make(chan error, 2)
		go func() { _, err := writeOutput(context.Background(), a, dir); errs <- err }()
		go func() { _, err := writeOutput(context.Background(), b, dir); errs <- err }()
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		got := readDir(t, dir)
		matches := func(o *Output) bool {
			if len(got) != len(o.Paths()) {
				return false
			}
			for _, p := range o.Paths() {
				data, _ := o.File(p)
				if got[p] != string(data) {
					return false
				}
			}
			return true
		}
		if !matches(a) && !matches(b) {
			t.Fatal("the folder is a mix of two builds")
		}
	}
}

func TestFileReplacesOldFolder(t *testing.T) {
	site, dir := t.TempDir(), t.TempDir()
	copyTree(t, "testdata/golden/basic/site", site)
	mustWrite(t, filepath.Join(dir, "404.html/old.txt"), []byte("a folder where a page goes"))
	before := snapshotDir(t, dir)
	// Not dealsite's: the write is refused.
	var conflict *outdir.ConflictError
	if _, err := writeOutput(context.Background(), buildDir(t, site), dir); !errors.As(err, &conflict) {
		t.Fatalf("error = %v, want a outdir.ConflictError", err)
	}
	equalDirs(t, before, snapshotDir(t, dir))

	// Written by an older build: replaced.
	mustWrite(t, filepath.Join(dir, outdir.ManifestName), []byte("404.html/old.txt\n"))
	if _, err := writeOutput(context.Background(), buildDir(t, site), dir); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(filepath.Join(dir, "404.html")); err != nil || info.IsDir() {
		t.Errorf("404.html is not a file: %v", err)
	}
}

// folders lists every folder under dir, for checks that a failed build
// leaves none behind.
func folders(t *testing.T, dir string) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return dirs
}

func TestBuildToWritesWhatBuildProduces(t *testing.T) {
	site, dir := t.TempDir(), filepath.Join(t.TempDir(), "public")
	copyTree(t, "testdata/golden/basic/site", site)
	mustWrite(t, filepath.Join(dir, "old/page/index.html"), []byte("not dealsite's"))
	want := buildDir(t, site)
	_, ws, err := buildTo(context.Background(), os.DirFS(site), Options{Theme: theme}, dir)
	if err != nil {
		t.Fatal(err)
	}
	got := readDir(t, dir)
	if len(got) != len(want.Paths())+1 || ws.Written != len(want.Paths()) || ws.Removed != 0 || ws.Kept != 1 {
		t.Errorf("%d files on disk, %+v; want %d written and 1 kept", len(got), ws, len(want.Paths()))
	}
	for _, p := range want.Paths() {
		if b, _ := want.File(p); got[p] != string(b) {
			t.Errorf("%s on disk differs from Build's", p)
		}
	}
	_, ws, err = buildTo(context.Background(), os.DirFS(site), Options{Theme: theme}, dir)
	if err != nil || ws.Written != 0 || ws.Unchanged != len(want.Paths()) {
		t.Errorf("second build: %+v, %v; want every file unchanged", ws, err)
	}
}

// A template that fails on some pages fails after others were staged:
// the staged files and the folders made for them must go again.
func TestBuildToTemplateErrorLeavesFolderAsItWas(t *testing.T) {
	site, parent := t.TempDir(), t.TempDir()
	dir := filepath.Join(parent, "public")
	copyTree(t, "testdata/golden/basic/site", site)
	mustWrite(t, filepath.Join(site, "layouts/term.html"), []byte(`{{template "base" .}}{{define "main"}}{{.NoSuchField}}{{end}}`))
	mustWrite(t, filepath.Join(site, "content/2012-new.md"), []byte("---\ntitle: New\ndate: 2012-05-05\ntags: [Fresh]\n---\nNew.\n"))

	// Into a folder that does not exist yet: it must not appear.
	if _, _, err := buildTo(context.Background(), os.DirFS(site), Options{Theme: theme}, dir); err == nil {
		t.Fatal("a failing template built")
	}
	if got := folders(t, parent); len(got) != 1 {
		t.Errorf("a failed build left folders behind: %q", got[1:])
	}

	// Into an earlier build: nothing changes, no folder appears.
	os.Remove(filepath.Join(site, "layouts/term.html"))
	os.Remove(filepath.Join(site, "content/2012-new.md"))
	if _, _, err := buildTo(context.Background(), os.DirFS(site), Options{Theme: theme}, dir); err != nil {
		t.Fatal(err)
	}
	before, beforeDirs := snapshotDir(t, dir), folders(t, dir)
	mustWrite(t, filepath.Join(site, "layouts/term.html"), []byte(`{{template "base" .}}{{define "main"}}{{.NoSuchField}}{{end}}`))
	mustWrite(t, filepath.Join(site, "content/2012-new.md"), []byte("---\ntitle: New\ndate: 2012-05-05\ntags: [Fresh]\n---\nNew.\n"))
	if _, _, err := buildTo(context.Background(), os.DirFS(site), Options{Theme: theme}, dir); err == nil || !strings.Contains(err.Error(), "NoSuchField") {
		t.Fatalf("error = %v", err)
	}
	equalDirs(t, before, snapshotDir(t, dir))
	if after := folders(t, dir); !slices.Equal(beforeDirs, after) {
		t.Errorf("folders changed:\nbefore %q\nafter  %q", beforeDirs, after)
	}
}

// TestWarmBuildToMatchesColdAndRepairsTheFolder checks what a kept
// Folder remembers: warm builds write only what changed and equal a cold
// build. A page changed by hand behind its back is not looked at until a
// build makes it anew (see package outdir); a build with a Folder of its
// own, as every dealsite build, repairs everything.
func TestWarmBuildToMatchesColdAndRepairsTheFolder(t *testing.T) {
	site, warmDir, coldDir := t.TempDir(), t.TempDir(), t.TempDir()
	copyTree(t, "testdata/golden/basic/site", site)
	b := newWarm()
	ctx := context.Background()
	warm := func() outdir.Stats {
		t.Helper()
		_, ws, err := b.BuildTo(ctx, os.DirFS(site), Options{Theme: theme}, warmDir)
		if err != nil {
			t.Fatal(err)
		}
		return ws
	}
	first := warm()
	if ws := warm(); ws.Written != 0 || ws.Unchanged != first.Written {
		t.Errorf("no change: %+v, want nothing written", ws)
	}

	p := filepath.Join(site, "content/2011/2011-02-14-support.md")
	src, _ := os.ReadFile(p)
	edit := func(from, to string) {
		t.Helper()
		src = bytes.Replace(src, []byte(from), []byte(to), 1)
		mustWrite(t, p, src)
	}
	edit("runs to billions", "runs to several billions")
	if ws := warm(); ws.Written != 3 {
		t.Errorf("one edit of a body: %+v, want its page, the full feed and the search shard of \"several\" written", ws)
	}
	cold := func() {
		t.Helper()
		if _, _, err := buildTo(ctx, os.DirFS(site), Options{Theme: theme}, coldDir); err != nil {
			t.Fatal(err)
		}
	}
	cold()
	if !maps.Equal(readDir(t, warmDir), readDir(t, coldDir)) {
		t.Error("the warm build's folder differs from a cold build's")
	}

	page := filepath.Join(warmDir, "articles/support/index.html")
	os.Remove(page)
	mustWrite(t, filepath.Join(warmDir, "tags/index.html"), []byte("edited by hand"))
	if ws := warm(); ws.Written != 0 {
		t.Errorf("nothing changed in the site: %+v, want nothing written: the folder is not looked at", ws)
	}
	edit("runs to several billions", "runs to many billions")
	if ws := warm(); ws.Written < 2 {
		t.Errorf("the removed page made anew: %+v, want it, the feed and search shards written", ws)
	}
	if _, err := os.Stat(page); err != nil {
		t.Errorf("the page removed by hand and made anew is not back: %v", err)
	}
	cold()
	if _, ws, err := buildTo(ctx, os.DirFS(site), Options{Theme: theme}, warmDir); err != nil || ws.Written != 1 {
		t.Errorf("a build of its own: %+v, %v; want the page edited by hand repaired", ws, err)
	}
	if !maps.Equal(readDir(t, warmDir), readDir(t, coldDir)) {
		t.Error("a build of its own did not repair the folder")
	}
	if ws := warm(); ws.Written != 0 || ws.Unchanged != first.Written {
		t.Errorf("the kept Folder after another build: %+v, want every file unchanged", ws)
	}
}

func TestWarmBuildToRemovesDeletedArticles(t *testing.T) {
	site, warmDir, coldDir := t.TempDir(), t.TempDir(), t.TempDir()
	copyTree(t, "testdata/golden/basic/site", site)
	b := newWarm()
	ctx := context.Background()
	for range 2 {
		if _, _, err := b.BuildTo(ctx, os.DirFS(site), Options{Theme: theme}, warmDir); err != nil {
			t.Fatal(err)
		}
	}
	os.Remove(filepath.Join(site, "content/2011/2011-02-14-support.md")) // with its tags C and Übernahme
	_, ws, err := b.BuildTo(ctx, os.DirFS(site), Options{Theme: theme}, warmDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := buildTo(ctx, os.DirFS(site), Options{Theme: theme}, coldDir); err != nil {
		t.Fatal(err)
	}
	if ws.Removed == 0 || !maps.Equal(readDir(t, warmDir), readDir(t, coldDir)) {
		t.Errorf("after a deletion the warm folder differs from a cold build (%+v)", ws)
	}
	if !slices.Equal(relFolders(t, warmDir), relFolders(t, coldDir)) {
		t.Errorf("folders differ:\nwarm %q\ncold %q", relFolders(t, warmDir), relFolders(t, coldDir))
	}
}

func relFolders(t *testing.T, dir string) []string {
	var rel []string
	for _, d := range folders(t, dir) {
		r, _ := filepath.Rel(dir, d)
		rel = append(rel, r)
	}
	return rel
}

// A static file may not take the manifest's name or a temporary file's:
// the write would overwrite it, or take it for a leftover and delete it.
func TestStaticMayNotTakeDealsitesOwnNames(t *testing.T) {
	site := t.TempDir()
	copyTree(t, "testdata/golden/basic/site", site)
	mustWrite(t, filepath.Join(site, "static", outdir.ManifestName), []byte("mine"))
	mustWrite(t, filepath.Join(site, "static/sub/.dealsite-tmp-x"), []byte("mine"))
	_, err := Build(context.Background(), os.DirFS(site), Options{Theme: theme})
	for _, want := range []string{"static/.dealsite-manifest: error DS405: ", "static/sub/.dealsite-tmp-x: error DS405: "} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %q", err, want)
		}
	}
}
