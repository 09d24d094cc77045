//go:build linux

package outdir

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestCreateNewStaysInTheFolder checks the fast way of creating a file:
// it never follows a symbolic link, never replaces a file, and leaves
// both cases, untouched, to the Root.
func TestCreateNewStaysInTheFolder(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "there.html"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	fd, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)

	for _, p := range []string{"link/x.html", "there.html", "../x.html"} {
		if done, err := createNew(fd, dir, p, []byte("new")); done || err != nil {
			t.Errorf("createNew(%q) = %v, %v; want false, nil", p, done, err)
		}
	}
	if _, err := os.Lstat(filepath.Join(outside, "x.html")); err == nil {
		t.Error("createNew wrote through a symbolic link")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "there.html")); string(b) != "mine" {
		t.Errorf("createNew changed an existing file: %q", b)
	}

	if err := os.Mkdir(filepath.Join(dir, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if done, err := createNew(fd, dir, "d/new.html", []byte("new")); !done || err != nil {
		t.Fatalf("createNew(d/new.html) = %v, %v; want true, nil", done, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "d", "new.html")); string(b) != "new" {
		t.Errorf("d/new.html holds %q", b)
	}
}
