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

// TestHoldsBeneathAnswersAsTheRoot compares the fast way of telling
// whether a file already holds the build's bytes with the Root's, on
// files that do, files that differ (in size, or only in the last piece
// of a large file), missing files, folders and symbolic links.
func TestHoldsBeneathAnswersAsTheRoot(t *testing.T) {
	dir := t.TempDir()
	big := make([]byte, 200<<10)
	for i := range big {
		big[i] = byte(i * 7)
	}
	files := map[string][]byte{"a.html": []byte("page"), "d/big.bin": big}
	for p, b := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("a.html", filepath.Join(dir, "link.html")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("d", filepath.Join(dir, "dlink")); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	fd, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)

	changed := append([]byte(nil), big...)
	changed[len(changed)-1]++
	for _, c := range []struct {
		path     string
		data     []byte
		answered bool // by the fast way
	}{
		{"a.html", []byte("page"), true},
		{"a.html", []byte("Page"), true},
		{"a.html", []byte("pages"), true},
		{"d/big.bin", big, true},
		{"d/big.bin", changed, true},
		{"missing.html", []byte("page"), true},
		{"a.html/x", []byte("page"), true},
		{"d", []byte("page"), true},
		{"link.html", []byte("page"), false},
		{"dlink/big.bin", big, false},
	} {
		got, ok := holdsBeneath(fd, c.path, c.data)
		want := same(root, c.path, c.data)
		if ok != c.answered || ok && got != want {
			t.Errorf("holdsBeneath(%q) = %v, %v; the Root says %v, and the fast way should answer: %v", c.path, got, ok, want, c.answered)
		}
	}
}
