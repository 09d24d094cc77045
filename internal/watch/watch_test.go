package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const debounce = 50 * time.Millisecond

// harness runs Run on a temp site and collects batches.
type harness struct {
	t       *testing.T
	root    string
	batches chan Batch
	calls   atomic.Int32
}

func start(t *testing.T, poll time.Duration, onChange func(Batch)) *harness {
	t.Helper()
	h := &harness{t: t, root: t.TempDir(), batches: make(chan Batch, 100)}
	for _, d := range []string{"content/2011", "layouts", "public", ".git"} {
		h.mkdir(d)
	}
	h.write("content/a.md", "a")
	h.write("content/2011/b.md", "b")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	opts := Options{
		Root: h.root, Dirs: []string{"content", "layouts", "static"},
		Skip:     func(rel string, _ bool) bool { return rel == "public" || strings.HasPrefix(rel, "public/") },
		Debounce: debounce, Poll: poll,
		Warn: func(msg string) { t.Log("warn:", msg) },
	}
	go func() {
		done <- Run(ctx, opts, func(b Batch) {
			h.calls.Add(1)
			if onChange != nil {
				onChange(b)
			}
			h.batches <- b
		})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	time.Sleep(2 * debounce) // let the first scan and watches settle
	return h
}

func (h *harness) path(rel string) string { return filepath.Join(h.root, filepath.FromSlash(rel)) }

func (h *harness) mkdir(rel string) {
	if err := os.MkdirAll(h.path(rel), 0o755); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) write(rel, data string) {
	if err := os.WriteFile(h.path(rel), []byte(data), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// expect waits (generously) for the next batch and checks its paths.
func (h *harness) expect(want ...string) Batch {
	h.t.Helper()
	select {
	case b := <-h.batches:
		if !slices.Equal(b.Paths, want) {
			h.t.Errorf("batch = %q, want %q", b.Paths, want)
		}
		return b
	case <-time.After(10 * time.Second):
		h.t.Fatalf("no batch within 10s, want %q", want)
		return Batch{}
	}
}

// expectNone checks that nothing arrives within a few quiet periods.
func (h *harness) expectNone() {
	h.t.Helper()
	select {
	case b := <-h.batches:
		h.t.Errorf("unexpected batch %q", b.Paths)
	case <-time.After(6 * debounce):
	}
}

func TestCreateEditDeleteRename(t *testing.T) {
	for _, mode := range []struct {
		name string
		poll time.Duration
	}{{"fsnotify", 0}, {"poll", 20 * time.Millisecond}} {
		t.Run(mode.name, func(t *testing.T) {
			h := start(t, mode.poll, nil)
			h.write("content/new.md", "new")
			h.expect("content/new.md")
			h.write("content/new.md", "edited")
			h.expect("content/new.md")
			os.Remove(h.path("content/new.md"))
			h.expect("content/new.md")
			os.Rename(h.path("content/a.md"), h.path("content/renamed.md"))
			h.expect("content/a.md", "content/renamed.md")
		})
	}
}

func TestNewNestedFoldersAndFilesInside(t *testing.T) {
	h := start(t, 0, nil)
	h.mkdir("content/x/y/z")
	h.write("content/x/y/z/deep.md", "deep")
	h.write("content/x/top.md", "top")
	h.expect("content/x/top.md", "content/x/y/z/deep.md")
	// The new folders are watched now: a later edit deep inside is seen.
	h.write("content/x/y/z/deep.md", "deeper")
	h.expect("content/x/y/z/deep.md")
	// A folder that did not exist at the start (static/) is picked up.
	h.mkdir("static/css")
	h.write("static/css/site.css", "body{}")
	h.expect("static/css/site.css")
}

func TestRenamedFolderIsRewalked(t *testing.T) {
	h := start(t, 0, nil)
	os.Rename(h.path("content/2011"), h.path("content/archive"))
	h.expect("content/2011/b.md", "content/archive/b.md")
	h.write("content/archive/b.md", "edited in the moved folder")
	h.expect("content/archive/b.md")
}

func TestEditorSaves(t *testing.T) {
	h := start(t, 0, nil)
	// vim: probe file 4913, backup by rename, write anew, drop the backup.
	h.write("content/4913", "")
	os.Remove(h.path("content/4913"))
	os.Rename(h.path("content/a.md"), h.path("content/a.md~"))
	h.write("content/a.md", "vim saved")
	os.Remove(h.path("content/a.md~"))
	h.expect("content/a.md")
	// JetBrains safe write: temp file, old renamed away, temp renamed in.
	h.write("content/a.md___jb_tmp___", "jetbrains saved")
	os.Rename(h.path("content/a.md"), h.path("content/a.md___jb_old___"))
	os.Rename(h.path("content/a.md___jb_tmp___"), h.path("content/a.md"))
	os.Remove(h.path("content/a.md___jb_old___"))
	h.expect("content/a.md")
	// sed -i and emacs lock files.
	h.write("content/sedAb12Cd", "sed saved")
	os.Rename(h.path("content/sedAb12Cd"), h.path("content/2011/b.md"))
	os.Symlink("user@host.1234", h.path("content/.#b.md"))
	h.expect("content/2011/b.md")
	h.write("content/.a.md.swp", "swap")
	h.expectNone()
}

func TestNoContentChangeNoBatch(t *testing.T) {
	h := start(t, 0, nil)
	now := time.Now().Add(time.Minute)
	os.Chtimes(h.path("content/a.md"), now, now) // touch
	os.Chmod(h.path("content/a.md"), 0o600)
	h.write("content/2011/b.md", "b") // saved without edits
	h.expectNone()
	h.write("public/index.html", "output")
	h.write(".git/index", "git")
	h.mkdir("content/.hidden")
	h.write("content/.hidden/x.md", "x")
	h.expectNone()
}

func TestBurstGivesOneBatch(t *testing.T) {
	h := start(t, 0, nil)
	var want []string
	for i := range 500 {
		rel := fmt.Sprintf("content/burst/%03d.md", i)
		want = append(want, rel)
	}
	h.mkdir("content/burst")
	for _, rel := range want {
		h.write(rel, rel)
	}
	h.expect(want...)
	h.expectNone()
	if n := h.calls.Load(); n != 1 {
		t.Errorf("%d calls for one burst", n)
	}
}

func TestChangesDuringACallGiveOneFollowUp(t *testing.T) {
	release := make(chan struct{})
	first := true
	h := start(t, 0, func(Batch) {
		if first {
			first = false
			<-release // a slow build
		}
	})
	h.write("content/a.md", "one")
	deadline := time.Now().Add(10 * time.Second)
	for h.calls.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	for i := range 20 {
		h.write("content/2011/b.md", fmt.Sprint("edit ", i))
		time.Sleep(debounce / 5)
	}
	h.write("content/c.md", "c")
	time.Sleep(3 * debounce) // the follow-up must wait for the running call
	if n := h.calls.Load(); n != 1 {
		t.Fatalf("%d calls while the first was running", n)
	}
	close(release)
	h.expect("content/a.md")
	h.expect("content/2011/b.md", "content/c.md")
	h.expectNone()
}

func TestRootDeletedAndRecreated(t *testing.T) {
	h := start(t, 0, nil)
	os.RemoveAll(h.path("content"))
	h.expect("content/2011/b.md", "content/a.md")
	h.mkdir("content")
	h.write("content/back.md", "back")
	h.expect("content/back.md")
	h.write("content/back.md", "edited")
	h.expect("content/back.md")
}

func TestContentReplacedBySymlink(t *testing.T) {
	h := start(t, 0, nil)
	elsewhere := t.TempDir()
	os.WriteFile(filepath.Join(elsewhere, "x.md"), []byte("x"), 0o644)
	os.RemoveAll(h.path("content"))
	if err := os.Symlink(elsewhere, h.path("content")); err != nil {
		t.Skip(err)
	}
	b := h.expect("content/2011/b.md", "content/a.md", "content/x.md")
	_ = b
}
