package watch

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealsite/dealsite/internal/diag"
)

// panickyFS panics when the file boom is opened once armed: a stand-in
// for a bug in the watcher's work on that file.
type panickyFS struct {
	fs.FS
	boom  string
	armed *atomic.Bool
}

func (f panickyFS) Open(name string) (fs.File, error) {
	if name == f.boom && f.armed.Load() {
		panic("boom opening " + name)
	}
	return f.FS.Open(name)
}

// runUntilError runs the watcher on root, polling, with fsys over it,
// calls change once it is ready, and returns what Run returned, failing
// the test if it does not return within the deadline.
func runUntilError(t *testing.T, root string, fsys func(string) fs.FS, onChange func(Batch), change func()) error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, Options{Root: root, Dirs: []string{"content"}, Poll: 20 * time.Millisecond, Debounce: 20 * time.Millisecond,
			Ready: change}, onChange, hooks{add: fsnotifyAdd, retry: time.Second, fallback: time.Second, fsys: fsys})
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(deadline):
		t.Fatal("Run did not return after a panic")
		return nil
	}
}

func siteFolder(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.md", "boom.md"} {
		if err := os.WriteFile(filepath.Join(root, "content", name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// wantInternal checks that err is one internal error about path, with
// its stack, whose message says what panicked.
func wantInternal(t *testing.T, err error, path, panicked string) {
	t.Helper()
	var d diag.Diagnostic
	if !errors.As(err, &d) || d.Code != diag.Internal || d.Path != path || !strings.Contains(d.Message, panicked) || d.Stack == "" {
		t.Errorf("Run returned %v, want an internal error about %q saying %q, with its stack", err, path, panicked)
	}
}

// The watcher reads the files it watches on Run's goroutine, which is
// the caller's (serve runs it on one of its own): a panic there ends Run
// with an internal error naming the file, not the process.
func TestPanicReadingAWatchedFileIsAnInternalError(t *testing.T) {
	root := siteFolder(t)
	var armed atomic.Bool
	fsys := func(root string) fs.FS { return panickyFS{os.DirFS(root), "content/boom.md", &armed} }
	err := runUntilError(t, root, fsys, func(Batch) {}, func() {
		armed.Store(true)
		if err := os.WriteFile(filepath.Join(root, "content", "boom.md"), []byte("changed"), 0o644); err != nil {
			t.Error(err)
		}
	})
	wantInternal(t, err, "content/boom.md", "boom opening content/boom.md")
}

// onChange runs on a goroutine of the watcher's: a panic in it ends Run
// with an internal error naming the changed file, not the process.
func TestPanicInOnChangeIsAnInternalError(t *testing.T) {
	root := siteFolder(t)
	onChange := func(b Batch) { panic("boom acting on " + strings.Join(b.Paths, ", ")) }
	err := runUntilError(t, root, nil, onChange, func() {
		if err := os.WriteFile(filepath.Join(root, "content", "a.md"), []byte("changed"), 0o644); err != nil {
			t.Error(err)
		}
	})
	wantInternal(t, err, "content/a.md", "boom acting on content/a.md")
}
