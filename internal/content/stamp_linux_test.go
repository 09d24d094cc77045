package content

import (
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

// TestLoaderHashesRacyFiles: two saves of one size within one tick of
// the file system's clock leave the same size, times and inode. A file
// read within that tick must be read again next time, or the second
// save is never seen (watch would rebuild with the first).
func TestLoaderHashesRacyFiles(t *testing.T) {
	written := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	file := func(title string) *fstest.MapFile {
		return &fstest.MapFile{
			Data:    []byte("---\ntitle: " + title + "\ndate: 2011-02-11\n---\nText.\n"),
			ModTime: written,
			Sys:     &syscall.Stat_t{Ino: 7, Ctim: syscall.NsecToTimespec(written.UnixNano())},
		}
	}
	fsys := fstest.MapFS{"content/a.md": file("One")}
	l := NewLoader()
	l.now = func() time.Time { return written.Add(time.Millisecond) } // read in the tick of the save
	if c, err := l.Load(fsys); err != nil || c.Articles[0].Title != "One" {
		t.Fatalf("first load: %v", err)
	}
	fsys["content/a.md"] = file("Two") // saved again in the same tick: same stamp
	l.now = func() time.Time { return written.Add(time.Minute) }
	c, err := l.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Articles[0].Title; got != "Two" {
		t.Errorf("after a second save in the same tick, the title is %q, want Two", got)
	}
}
