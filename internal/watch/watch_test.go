package watch

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// End-to-end tests: real files in t.TempDir(), real fsnotify (or real
// polling). They wait for outcomes with a generous deadline; only
// "nothing arrives" is a short bounded wait of a few quiet periods.

// The quiet period is generous so that a test paused by a loaded machine
// between two steps of one save does not see the save split in two;
// the tests run in parallel, so it costs little time.
const (
	debounce = 250 * time.Millisecond
	deadline = 10 * time.Second
)

// harness runs Run on a site in a temporary folder and collects batches.
type harness struct {
	t       *testing.T
	root    string
	quiet   time.Duration
	batches chan Batch
	calls   atomic.Int32
	mu      sync.Mutex
	warns   []string

	// The longest pause in the file operations of the current step
	// (since the last expect), and the paths it touched that count: see
	// expect.
	pause   time.Duration
	lastOp  time.Time
	touched map[string]bool
}

// config changes what start does.
type config struct {
	poll     time.Duration
	debounce time.Duration
	onChange func(Batch)
	add      func(*fsnotify.Watcher, string) error
	site     func(h *harness) // replaces the default site
	dirs     []string         // replaces content, layouts, static
}

func start(t *testing.T, c config) *harness {
	t.Helper()
	if c.debounce == 0 {
		c.debounce = debounce
	}
	if c.add == nil {
		c.add = fsnotifyAdd
	}
	h := &harness{t: t, root: filepath.Join(t.TempDir(), "site"), quiet: c.debounce, batches: make(chan Batch, 100)}
	if c.site != nil {
		c.site(h)
	} else {
		h.mkdir("content/2011", "layouts", "public", ".git")
		h.write("content/a.md", "a")
		h.write("content/2011/b.md", "b")
		h.write("layouts/base.html", "base")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	ready := make(chan struct{})
	if c.dirs == nil {
		c.dirs = []string{"content", "layouts", "static"}
	}
	opts := Options{
		Root:     h.root,
		Dirs:     c.dirs,
		Skip:     func(rel string, _ bool) bool { return under(rel, "content/out") },
		Debounce: c.debounce,
		Poll:     c.poll,
		Warn: func(msg string) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.warns = append(h.warns, msg)
		},
		Ready: func() { close(ready) },
	}
	go func() {
		done <- run(ctx, opts, func(b Batch) {
			h.calls.Add(1)
			if c.onChange != nil {
				c.onChange(b)
			}
			h.batches <- b
		}, hooks{add: c.add, retry: 20 * time.Millisecond, fallback: 20 * time.Millisecond})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(deadline):
			t.Errorf("Run did not return within %v of cancel", deadline)
		}
	})
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("Run returned before it was ready: %v", err)
	case <-time.After(deadline):
		t.Fatalf("Run not ready within %v", deadline)
	}
	return h
}

func (h *harness) path(rel string) string { return filepath.Join(h.root, filepath.FromSlash(rel)) }

// do runs one file operation on the paths rels, failing the test on an
// error, and notes how long the test was paused before and during it.
func (h *harness) do(op func() error, rels ...string) {
	h.t.Helper()
	for _, rel := range rels {
		if !hidden(filepath.Base(rel)) {
			if h.touched == nil {
				h.touched = map[string]bool{}
			}
			h.touched[rel] = true
		}
	}
	start := time.Now()
	err := op()
	end := time.Now()
	if !h.lastOp.IsZero() {
		h.pause = max(h.pause, start.Sub(h.lastOp))
	}
	h.pause = max(h.pause, end.Sub(start))
	h.lastOp = end
	if err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) mkdir(rels ...string) {
	h.t.Helper()
	for _, rel := range rels {
		h.do(func() error { return os.MkdirAll(h.path(rel), 0o755) }, rel)
	}
}

func (h *harness) write(rel, data string) {
	h.t.Helper()
	h.do(func() error { return os.WriteFile(h.path(rel), []byte(data), 0o644) }, rel)
}

// link makes a symbolic link at rel to target (as written in the link).
func (h *harness) link(target, rel string) {
	h.t.Helper()
	h.do(func() error { return os.Symlink(target, h.path(rel)) }, rel)
}

func (h *harness) remove(rel string) {
	h.t.Helper()
	h.do(func() error { return os.RemoveAll(h.path(rel)) }, rel)
}

func (h *harness) rename(from, to string) {
	h.t.Helper()
	h.do(func() error { return os.Rename(h.path(from), h.path(to)) }, from, to)
}

// paused reports whether the test was paused for half a quiet period or
// more since the last call, so that the watcher may rightly have seen
// one step as two bursts. A step of a few paths may have had the short
// quiet period of a save (see quietPeriod): then half of that counts.
// Every path a step touches is counted, not only the known files the
// short period is for, so a pause is never missed.
func (h *harness) paused() (time.Duration, bool) {
	p, quiet := h.pause, h.quiet
	if len(h.touched) <= smallBatch {
		quiet /= quickFactor
	}
	h.pause, h.lastOp, h.touched = 0, time.Time{}, nil
	return p, p >= quiet/2
}

// expect waits for the next batch and checks that it holds exactly the
// paths of the step just taken. If the machine paused the test in the
// middle of the step, the watcher was right to report it in several
// batches: then each batch must hold only paths of the step, and
// together they must hold all of them.
func (h *harness) expect(want ...string) {
	h.t.Helper()
	pause, paused := h.paused()
	b := h.next(want)
	if slices.Equal(b.Paths, want) {
		return
	}
	if !paused {
		h.t.Fatalf("batch of %d %s, want %d %s", len(b.Paths), brief(b.Paths), len(want), brief(want))
	}
	got := map[string]bool{}
	for {
		for _, p := range b.Paths {
			if !slices.Contains(want, p) {
				h.t.Fatalf("batch of %d %s has %q, want only %d %s", len(b.Paths), brief(b.Paths), p, len(want), brief(want))
			}
			got[p] = true
		}
		if len(got) == len(want) {
			break
		}
		b = h.next(want)
	}
	h.t.Logf("the test was paused for %v mid-step: %d paths came in several batches", pause, len(want))
	for { // a later part of the split step may still come
		select {
		case b := <-h.batches:
			for _, p := range b.Paths {
				if !slices.Contains(want, p) {
					h.t.Fatalf("batch of %d %s has %q, want only %d %s", len(b.Paths), brief(b.Paths), p, len(want), brief(want))
				}
			}
		case <-time.After(3 * h.quiet):
			return
		}
	}
}

// next waits for the next batch.
func (h *harness) next(want []string) Batch {
	h.t.Helper()
	select {
	case b := <-h.batches:
		return b
	case <-time.After(deadline):
		h.t.Fatalf("no batch within %v, want %d %s", deadline, len(want), brief(want))
		return Batch{}
	}
}

// brief shows at most a few paths.
func brief(paths []string) string {
	if len(paths) > 6 {
		return fmt.Sprintf("%q … %q", paths[:3], paths[len(paths)-3:])
	}
	return fmt.Sprintf("%q", paths)
}

// expectNone checks that no batch arrives within a few quiet periods
// (at most a second).
func (h *harness) expectNone() {
	h.t.Helper()
	h.paused()
	select {
	case b := <-h.batches:
		h.t.Fatalf("unexpected batch of %d %s", len(b.Paths), brief(b.Paths))
	case <-time.After(min(3*h.quiet, time.Second)):
	}
}

func (h *harness) warnings() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.warns)
}

var modes = []struct {
	name string
	poll time.Duration
}{{"fsnotify", 0}, {"poll", 20 * time.Millisecond}}

func TestCreateEditDeleteRename(t *testing.T) {
	t.Parallel()
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, config{poll: mode.poll})
			h.write("content/new.md", "new")
			h.expect("content/new.md")
			h.write("content/new.md", "edited")
			h.expect("content/new.md")
			h.remove("content/new.md")
			h.expect("content/new.md")
			h.rename("content/a.md", "content/renamed.md")
			h.expect("content/a.md", "content/renamed.md")
			h.write("layouts/base.html", "new base")
			h.expect("layouts/base.html")
			h.mkdir("static/css")
			h.write("static/css/site.css", "body{}")
			h.expect("static/css/site.css")
			h.expectNone()
		})
	}
}

func TestNoContentChangeNoBatch(t *testing.T) {
	t.Parallel()
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, config{poll: mode.poll})
			later := time.Now().Add(time.Minute)
			h.do(func() error { return os.Chtimes(h.path("content/a.md"), later, later) }) // touch
			h.do(func() error { return os.Chmod(h.path("content/2011/b.md"), 0o600) })
			h.write("layouts/base.html", "base") // saved without edits
			h.write("public/index.html", "output")
			h.write(".git/index", "git")
			h.mkdir("content/.hidden", "content/out")
			h.write("content/.hidden/x.md", "hidden")
			h.write("content/out/index.html", "skipped by Options.Skip")
			h.write("content/a.md~", "backup")
			h.write("content/.a.md.swp", "swap")
			h.write("README.md", "not watched")
			h.expectNone()
			// The watcher is still alive: a real edit is one batch.
			h.write("content/a.md", "edited")
			h.expect("content/a.md")
		})
	}
}

func TestNewNestedFolders(t *testing.T) {
	t.Parallel()
	h := start(t, config{})
	// mkdir -p, then files at once: most are written before any watch.
	h.mkdir("content/x/y/z")
	h.write("content/x/y/z/deep.md", "deep")
	h.write("content/x/y/mid.md", "mid")
	h.write("content/x/top.md", "top")
	h.expect("content/x/top.md", "content/x/y/mid.md", "content/x/y/z/deep.md")
	// The new folders are watched now.
	h.write("content/x/y/z/deep.md", "deeper")
	h.expect("content/x/y/z/deep.md")
	h.mkdir("content/x/y/z/w")
	h.write("content/x/y/z/w/deepest.md", "deepest")
	h.expect("content/x/y/z/w/deepest.md")
	h.expectNone()
}

func TestRenamedFolderIsWalkedAgain(t *testing.T) {
	t.Parallel()
	h := start(t, config{})
	h.rename("content/2011", "content/archive")
	h.expect("content/2011/b.md", "content/archive/b.md")
	h.write("content/archive/b.md", "edited in the moved folder")
	h.expect("content/archive/b.md")
	// Moved out of the site and back.
	outside := filepath.Join(t.TempDir(), "away")
	h.do(func() error { return os.Rename(h.path("content/archive"), outside) })
	h.expect("content/archive/b.md")
	h.do(func() error { return os.WriteFile(filepath.Join(outside, "c.md"), []byte("written while away"), 0o644) })
	h.do(func() error { return os.Rename(outside, h.path("content/2011")) })
	h.expect("content/2011/b.md", "content/2011/c.md")
	h.write("content/2011/c.md", "edited after coming back")
	h.expect("content/2011/c.md")
	h.expectNone()
}

// TestFolderMovedIntoANewFolder: mkdir -p and mv at once. The new
// parent's walk meets the moved folder while it is still watched under
// its old name (inotify gives one watch per folder, whatever its name),
// and dropping the old name's watch must not leave the new one unwatched.
func TestFolderMovedIntoANewFolder(t *testing.T) {
	t.Parallel()
	h := start(t, config{})
	h.mkdir("content/deals")
	h.rename("content/2011", "content/deals/old")
	h.expect("content/2011/b.md", "content/deals/old/b.md")
	h.write("content/deals/old/b.md", "edited in the moved folder")
	h.expect("content/deals/old/b.md")
	h.write("content/deals/old/new.md", "new")
	h.expect("content/deals/old/new.md")
	h.expectNone()
}

func TestEditorSaves(t *testing.T) {
	t.Parallel()
	h := start(t, config{})
	saves := []struct {
		name string
		save func()
		want []string
	}{
		{"vim", func() {
			// The probe file, a backup by rename, a new file, the backup dropped.
			h.write("content/4913", "")
			h.remove("content/4913")
			h.rename("content/a.md", "content/a.md~")
			h.write("content/a.md", "vim")
			h.remove("content/a.md~")
		}, []string{"content/a.md"}},
		{"JetBrains safe write", func() {
			h.write("content/a.md___jb_tmp___", "jetbrains")
			h.rename("content/a.md", "content/a.md___jb_old___")
			h.rename("content/a.md___jb_tmp___", "content/a.md")
			h.remove("content/a.md___jb_old___")
		}, []string{"content/a.md"}},
		{"VS Code", func() {
			// Truncate and write in place, in two writes.
			h.do(func() error {
				f, err := os.OpenFile(h.path("content/2011/b.md"), os.O_WRONLY|os.O_TRUNC, 0)
				if err != nil {
					return err
				}
				f.WriteString("vs")
				f.WriteString("code")
				return f.Close()
			})
		}, []string{"content/2011/b.md"}},
		{"sed -i", func() {
			h.write("content/2011/sedAb12Cd", "sed")
			h.rename("content/2011/sedAb12Cd", "content/2011/b.md")
		}, []string{"content/2011/b.md"}},
		{"emacs", func() {
			h.do(func() error { return os.Symlink("user@host.1234:1", h.path("content/.#a.md")) })
			h.write("content/#a.md#", "autosave")
			h.rename("content/a.md", "content/a.md~")
			h.write("content/a.md", "emacs")
			h.remove("content/.#a.md")
			h.remove("content/#a.md#")
		}, []string{"content/a.md"}},
	}
	for _, s := range saves {
		s.save()
		t.Log(s.name)
		h.expect(s.want...)
	}
	h.expectNone()
}

func TestBurstIsOneBatchEndToEnd(t *testing.T) {
	t.Parallel()
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			var want []string
			for i := range 500 {
				want = append(want, fmt.Sprintf("content/burst/%02d/%03d.md", i/50, i))
			}
			// One burst is 500 files in 10 new folders, written with no
			// pause. If the machine pauses the test for half a quiet
			// period, the watcher would be right to report two batches:
			// that attempt proves nothing, so try again.
			for attempt := 1; attempt <= 3; attempt++ {
				h := start(t, config{poll: mode.poll, debounce: 500 * time.Millisecond})
				for i, rel := range want {
					if i%50 == 0 {
						h.mkdir(filepath.Dir(rel))
					}
					h.write(rel, rel)
				}
				if pause, paused := h.paused(); paused {
					t.Logf("attempt %d: the test was paused for %v mid-burst; trying again", attempt, pause)
					continue
				}
				h.expect(want...)
				h.expectNone()
				if n := h.calls.Load(); n != 1 {
					t.Errorf("%d calls for one burst", n)
				}
				return
			}
			t.Skip("the machine kept pausing the test for longer than the quiet period")
		})
	}
}

func TestChangesDuringACallGiveOneFollowUp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		during func(h *harness) // runs while the first call is blocked
		want   []string
	}{
		{"early in the call", func(h *harness) {
			for i := range 5 {
				h.write("content/2011/b.md", fmt.Sprint("edit ", i))
			}
			h.write("content/c.md", "c")
			// Several quiet periods pass: the changes are found, and held.
		}, []string{"content/2011/b.md", "content/c.md"}},
		{"as the call returns", func(h *harness) {
			h.write("content/2011/b.md", "edited")
			h.write("content/d.md", "written just before the call returns")
		}, []string{"content/2011/b.md", "content/d.md"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			started := make(chan struct{}, 10)
			release := make(chan struct{})
			var first atomic.Bool
			first.Store(true)
			h := start(t, config{onChange: func(Batch) {
				started <- struct{}{}
				if first.Swap(false) {
					<-release // a slow build
				}
			}})
			h.write("content/a.md", "one")
			select {
			case <-started:
			case <-time.After(deadline):
				t.Fatal("onChange not called")
			}
			h.paused()
			tc.during(h)
			if tc.name == "early in the call" {
				select { // a bounded wait: no second call may start while the first runs
				case <-started:
					t.Fatal("onChange called while it was running")
				case <-time.After(3 * debounce):
				}
			}
			close(release)
			h.expect("content/a.md")
			h.expect(tc.want...)
			h.expectNone()
			if n := h.calls.Load(); n != 2 {
				t.Errorf("%d calls, want 2", n)
			}
		})
	}
}

func TestRootDeletedAndRecreated(t *testing.T) {
	t.Parallel()
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, config{poll: mode.poll})
			h.remove(".")
			h.expect("content/2011/b.md", "content/a.md", "layouts/base.html")
			h.mkdir("content")
			h.write("content/back.md", "back")
			h.expect("content/back.md")
			h.write("content/back.md", "edited")
			h.expect("content/back.md")
			h.mkdir("layouts")
			h.write("layouts/base.html", "base")
			h.expect("layouts/base.html")
			h.expectNone()
		})
	}
}

func TestWatchedFolderDeletedAndRecreated(t *testing.T) {
	t.Parallel()
	h := start(t, config{})
	h.remove("content")
	h.expect("content/2011/b.md", "content/a.md")
	h.mkdir("content/2012")
	h.write("content/2012/c.md", "c")
	h.expect("content/2012/c.md")
	h.write("content/2012/c.md", "edited")
	h.expect("content/2012/c.md")
}

// A watched folder deeper down appears with the folders above it.
func TestNestedWatchedFolderAppears(t *testing.T) {
	t.Parallel()
	h := start(t, config{dirs: []string{"themes/plain"}})
	h.mkdir("themes/plain/css")
	h.write("themes/plain/css/site.css", "css")
	h.write("themes/other.css", "not watched")
	h.expect("themes/plain/css/site.css")
	h.remove("themes")
	h.expect("themes/plain/css/site.css")
	h.mkdir("themes/plain")
	h.write("themes/plain/base.html", "base")
	h.expect("themes/plain/base.html")
	h.expectNone()
}

func TestMissingRootAtStart(t *testing.T) {
	t.Parallel()
	h := start(t, config{site: func(*harness) {}})
	h.mkdir("content")
	h.write("content/a.md", "a")
	h.expect("content/a.md")
	h.write("content/a.md", "edited")
	h.expect("content/a.md")
}

func TestWatchedFolderIsALink(t *testing.T) {
	t.Parallel()
	elsewhere := t.TempDir()
	if err := os.WriteFile(filepath.Join(elsewhere, "x.md"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := start(t, config{})
	h.remove("content")
	h.do(func() error { return os.Symlink(elsewhere, h.path("content")) })
	h.expect("content/2011/b.md", "content/a.md", "content/x.md")
	h.do(func() error {
		return os.WriteFile(filepath.Join(elsewhere, "x.md"), []byte("edited through the link"), 0o644)
	})
	h.expect("content/x.md")
}

// A link to a file may lead out of the watched folders, as the README
// allows for articles (content/a.md -> ../shared/a.md): an edit to its
// target is an edit to the link, whatever made the link and whenever.
func TestLinkedFileOutsideWatchedFolders(t *testing.T) {
	t.Parallel()
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, config{poll: mode.poll, site: func(h *harness) {
				h.mkdir("content", "shared")
				h.write("shared/a.md", "a")
				h.write("shared/unlinked.md", "u")
				h.link("../shared/a.md", "content/a.md")
			}})
			h.write("shared/a.md", "edited")
			h.expect("content/a.md")
			h.write("shared/a.md.tmp", "saved atomically") // an editor's save
			h.rename("shared/a.md.tmp", "shared/a.md")
			h.expect("content/a.md")
			h.write("shared/unlinked.md", "edited")
			h.expectNone()

			// A link made later, into a folder nothing watched yet, and
			// one whose target comes after it.
			h.mkdir("more/deeper")
			h.write("more/deeper/b.md", "b")
			h.link("../more/deeper/b.md", "content/b.md")
			h.expect("content/b.md")
			h.write("more/deeper/b.md", "edited")
			h.expect("content/b.md")
			h.link("../more/c.md", "content/c.md")
			h.expectNone()
			h.write("more/c.md", "c")
			h.expect("content/c.md")

			// The target's folder removed and brought back, as a checkout
			// of another branch does.
			h.remove("shared")
			h.expect("content/a.md")
			h.mkdir("shared")
			h.write("shared/a.md", "back")
			h.expect("content/a.md")
			h.write("shared/a.md", "edited again")
			h.expect("content/a.md")

			// A link removed: its old target no longer counts.
			h.remove("content/b.md")
			h.expect("content/b.md")
			h.write("more/deeper/b.md", "edited after unlinking")
			h.expectNone()
		})
	}
}

// The inotify watch limit is simulated: the third watch fails with
// ENOSPC, as inotify_add_watch does when fs.inotify.max_user_watches is
// reached.
func TestWatchLimitFallsBackToPolling(t *testing.T) {
	t.Parallel()
	var adds atomic.Int32
	h := start(t, config{add: func(w *fsnotify.Watcher, dir string) error {
		if adds.Add(1) > 2 {
			return fmt.Errorf("add %s: %w", dir, syscall.ENOSPC)
		}
		return w.Add(dir)
	}})
	warns := h.warnings()
	if len(warns) != 1 || !strings.Contains(warns[0], "sudo sysctl fs.inotify.max_user_watches=524288") {
		t.Fatalf("warnings %q, want one with the sysctl command", warns)
	}
	h.write("content/2011/b.md", "edited")
	h.expect("content/2011/b.md")
	h.mkdir("static")
	h.write("static/x.css", "x")
	h.expect("static/x.css")
}

// The limit may also be reached later, when a new folder is watched.
func TestWatchLimitLater(t *testing.T) {
	t.Parallel()
	var limited atomic.Bool
	h := start(t, config{add: func(w *fsnotify.Watcher, dir string) error {
		if limited.Load() {
			return syscall.ENOSPC
		}
		return w.Add(dir)
	}})
	limited.Store(true)
	h.mkdir("content/new")
	h.write("content/new/c.md", "c")
	h.expect("content/new/c.md")
	if w := h.warnings(); len(w) != 1 || !strings.Contains(w[0], "max_user_watches=524288") {
		t.Fatalf("warnings %q", w)
	}
	h.write("content/new/c.md", "edited")
	h.expect("content/new/c.md")
}

func TestTooManyInstances(t *testing.T) {
	if !isLimit(fmt.Errorf("couldn't initialize inotify: %w", syscall.EMFILE)) {
		t.Fatal("EMFILE from inotify_init is not a limit")
	}
	msg := limitMessage(syscall.EMFILE, "1s")
	if !strings.Contains(msg, "sudo sysctl fs.inotify.max_user_instances=1024") {
		t.Errorf("message %q lacks the sysctl command", msg)
	}
}

// After an event-queue overflow every watch is added again, including on
// folders whose creation was never seen.
func TestRewatchAfterOverflow(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "content", "a"), 0o755)
	r, _ := newRule([]string{"content"}, nil)
	n, err := newNotifier(root, r, fsnotifyAdd)
	if err != nil {
		t.Fatal(err)
	}
	defer n.close()
	os.MkdirAll(filepath.Join(root, "content", "b", "c"), 0o755) // "lost" events
	os.RemoveAll(filepath.Join(root, "content", "a"))
	if err := n.rewatch(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for w := range n.watched {
		got = append(got, w)
	}
	slices.Sort(got)
	if want := []string{".", "content", "content/b", "content/b/c"}; !slices.Equal(got, want) {
		t.Errorf("watched %q, want %q", got, want)
	}
	if list := n.fsw.WatchList(); len(list) != 4 {
		t.Errorf("fsnotify watches %q, want 4", list)
	}
}

// Only links that stay inside the root are followed, as in the build;
// a link's final target counts, and a missing one is watched for.
func TestWhichLinksAreFollowed(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	outside := t.TempDir()
	for _, dir := range []string{"content/sub", "shared", "far/away", "more"} {
		os.MkdirAll(filepath.Join(root, dir), 0o755)
	}
	os.WriteFile(filepath.Join(root, "far/away/x.md"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(outside, "o.md"), []byte("o"), 0o644)
	links := map[string]string{
		"content/in.md":       "../shared/in.md",     // missing target, folder inside
		"content/sub/deep.md": "../../far/away/x.md", // inside
		"content/hop.md":      "../more/hop.md",      // a link to a link
		"more/hop.md":         "../far/away/x.md",    // (not in a watched folder)
		"content/out.md":      filepath.Join(outside, "o.md"),
		"content/up.md":       "../../escape.md",
	}
	for rel, target := range links {
		if err := os.Symlink(target, filepath.Join(root, rel)); err != nil {
			t.Fatal(err)
		}
	}
	r, _ := newRule([]string{"content"}, nil)
	n, err := newNotifier(root, r, fsnotifyAdd)
	if err != nil {
		t.Fatal(err)
	}
	defer n.close()
	want := map[string]string{
		"content/in.md":       "shared/in.md",
		"content/sub/deep.md": "far/away/x.md",
		"content/hop.md":      "far/away/x.md",
	}
	if !maps.Equal(n.links, want) {
		t.Errorf("links %q, want %q", n.links, want)
	}
	for _, dir := range []string{"shared", "far/away"} {
		if !n.watched[dir] {
			t.Errorf("%s is not watched", dir)
		}
	}
	for w := range n.watched {
		if !filepath.IsLocal(w) && w != "." {
			t.Errorf("watches %s, outside the root", w)
		}
	}
	if len(n.fsw.WatchList()) != len(n.watched) {
		t.Errorf("fsnotify watches %q, want the %d in %v", n.fsw.WatchList(), len(n.watched), n.watched)
	}
}

func TestChmodEventsIgnored(t *testing.T) {
	root := t.TempDir()
	r, _ := newRule([]string{"content"}, nil)
	n := &notifier{root: root, rule: r, watched: map[string]bool{}}
	got, err := n.handle(fsnotify.Event{Name: filepath.Join(root, "content", "a.md"), Op: fsnotify.Chmod})
	if got != nil || err != nil {
		t.Errorf("handle(Chmod) = %q, %v; want nothing", got, err)
	}
}

func TestInvalidOptions(t *testing.T) {
	err := Run(context.Background(), Options{Root: t.TempDir(), Dirs: []string{"../elsewhere"}}, func(Batch) {})
	if err == nil {
		t.Fatal("Run accepted a folder outside the root")
	}
}

func TestStopsOnCancelAfterOnChangeReturns(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "content"), 0o755)
	ctx, cancel := context.WithCancel(context.Background())
	inCall, returned := make(chan struct{}), atomic.Bool{}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Root: root, Dirs: []string{"content"}, Debounce: 10 * time.Millisecond,
			Ready: func() { os.WriteFile(filepath.Join(root, "content", "a.md"), []byte("a"), 0o644) },
		}, func(Batch) {
			close(inCall)
			<-ctx.Done()
			time.Sleep(10 * time.Millisecond)
			returned.Store(true)
		})
	}()
	select {
	case <-inCall:
	case <-time.After(deadline):
		t.Fatal("no call")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil || !returned.Load() {
			t.Errorf("Run returned %v before onChange returned (%v)", err, returned.Load())
		}
	case <-time.After(deadline):
		t.Fatal("Run did not stop")
	}
}
