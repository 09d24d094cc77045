package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestSiteFSReadsAsTheRootDoes reads files through openSite's fast way
// and checks each answer against the Root's: a symlink out of the site
// stays unreadable, one within it is followed.
func TestSiteFSReadsAsTheRootDoes(t *testing.T) {
	site, outside := t.TempDir(), t.TempDir()
	write := func(p, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(site, "content", "a.md"), "article")
	write(filepath.Join(site, "content", "empty.md"), "")
	write(filepath.Join(outside, "secret.md"), "secret")
	for link, to := range map[string]string{
		"content/leak.md":     filepath.Join(outside, "secret.md"),
		"content/up.md":       "../../" + filepath.Base(outside) + "/secret.md",
		"content/alias.md":    "a.md",
		"content/folder-link": ".",
	} {
		if err := os.Symlink(to, filepath.Join(site, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	fsys, done := openSite(site)
	defer done()
	root, err := os.OpenRoot(site)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	for _, p := range []string{"content/a.md", "content/empty.md", "content/leak.md", "content/up.md",
		"content/alias.md", "content/folder-link/a.md", "content", "content/missing.md", "../x", "/etc/passwd"} {
		got, gotErr := fs.ReadFile(fsys, p)
		want, wantErr := fs.ReadFile(root.FS(), p)
		if string(got) != string(want) || (gotErr == nil) != (wantErr == nil) {
			t.Errorf("ReadFile(%q) = %q, %v; the Root reads %q, %v", p, got, gotErr, want, wantErr)
		}
	}
	if b, err := fs.ReadFile(fsys, "content/leak.md"); err == nil {
		t.Errorf("read %q through a symlink out of the site", b)
	}
}
