package build

import (
	"context"
	"os"
	"path/filepath"
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
	mustWrite(t, filepath.Join(dir, "old/page/index.html"), []byte("stale"))
	mustWrite(t, filepath.Join(dir, ".git/HEAD"), []byte("ref: main"))
	ws, err := buildDir(t, site).Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ws.Removed != 1 || ws.Unchanged != 0 {
		t.Errorf("first write = %+v", ws)
	}
	if _, err := os.Stat(filepath.Join(dir, "old")); !os.IsNotExist(err) {
		t.Errorf("stale folder kept: %v", err)
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
	ws, err = buildDir(t, site).Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"articles/support", "tags/c", "tags/übernahme"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s survived the rebuild", gone)
		}
	}
	if ws.Removed != 5 || ws.Unchanged == 0 { // the article, two tag pages and their feeds
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
	if _, err := buildDir(t, site).Write(dir); err != nil {
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
	if _, err := buildDir(t, site).Write(dir); err == nil {
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
