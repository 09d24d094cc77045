package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/dealsite/dealsite/internal/diag"
	"github.com/fsnotify/fsnotify"
)

// Options say what to watch and how.
type Options struct {
	// Root is the site folder. It may be missing, or be deleted and
	// created again: Run keeps looking for it.
	Root string
	// Dirs are the folders under Root watched recursively, as slash or
	// OS paths relative to Root, such as "content". Missing ones are
	// picked up when they appear. None means Root itself.
	Dirs []string
	// Skip, if set, excludes more paths (slash-separated, relative to
	// Root), such as the output folder. It is asked about each folder and
	// file below a watched folder; excluding a folder excludes everything
	// in it. It is called from Run's goroutine only.
	Skip func(rel string, isDir bool) bool
	// Debounce is the quiet period after the last event before the
	// changes are reported. Default 100ms. A save of a few known files
	// waits a fifth of it; a large burst four times it (see the package
	// doc).
	Debounce time.Duration
	// Poll, when positive, walks the folders at this interval instead of
	// using file system events (for network drives and some container
	// mounts).
	Poll time.Duration
	// Warn, if set, receives messages for the user, such as how to raise
	// the inotify watch limit. It is called from Run's goroutine.
	Warn func(msg string)
	// Ready, if set, is called once watching has started: every change
	// made from then on is reported. It runs before any onChange call;
	// changes made while it runs are reported after it returns, so a
	// caller can make its first build in Ready and miss nothing.
	Ready func()
}

// Batch is one set of changes.
type Batch struct {
	// Paths are the files whose content changed, or that appeared or
	// disappeared: slash paths relative to Root, sorted.
	Paths []string
	// Rescan is set when file system events were lost (queue overflow)
	// and Paths come from hashing every file again: the caller may treat
	// everything as changed.
	Rescan bool
}

// Default timings.
const (
	defaultDebounce = 100 * time.Millisecond
	// retryEvery is how often fsnotify mode looks for a root (or a folder
	// leading to the watched ones) that disappeared.
	retryEvery = time.Second
	// fallbackPoll is the poll interval after the inotify limit is hit.
	fallbackPoll = time.Second
)

// Run watches until ctx is done, then waits for a running onChange to
// return and returns nil. It calls onChange for each batch of files whose
// content changed, never twice at once: changes made while onChange runs
// are reported in one follow-up call after it returns. Run returns an
// error only when the options are invalid, watching cannot start at all,
// or a panic (a bug) happened in its work or in onChange: then it stops,
// once onChange has returned, with a diag.Internal diagnostic naming the
// file being looked at or the one changed, instead of ending the process.
func Run(ctx context.Context, opts Options, onChange func(Batch)) error {
	return run(ctx, opts, onChange, hooks{add: fsnotifyAdd, retry: retryEvery, fallback: fallbackPoll})
}

// hooks are what tests replace.
type hooks struct {
	add      func(*fsnotify.Watcher, string) error // fsnotify's Add
	retry    time.Duration                         // see retryEvery
	fallback time.Duration                         // see fallbackPoll
	fsys     func(root string) fs.FS               // how files are read; nil: os.DirFS
}

func run(ctx context.Context, opts Options, onChange func(Batch), h hooks) (err error) {
	r, err := newRule(opts.Dirs, opts.Skip)
	if err != nil {
		return err
	}
	root, err := filepath.Abs(opts.Root)
	if err != nil {
		return err
	}
	l := &loop{
		debounce: opts.Debounce,
		onChange: onChange,
		warn:     opts.Warn,
		hooks:    h,
		done:     make(chan error),
	}
	defer func() {
		if l.n != nil {
			l.n.close()
		}
	}()
	if l.debounce <= 0 {
		l.debounce = defaultDebounce
	}
	if l.warn == nil {
		l.warn = func(string) {}
	}
	dirFS := h.fsys
	if dirFS == nil {
		dirFS = os.DirFS
	}
	track := newTracker(dirFS(root), r, time.Now)
	defer recoverWatching(&err, track)
	l.s = newScheduler(track, opts.Poll > 0)
	switch {
	case opts.Poll > 0:
		l.pollEvery = opts.Poll
	default:
		// Watches first, then the baseline: a change in between is
		// reported rather than lost.
		l.n, err = newNotifier(root, r, h.add)
		var limit limitError
		switch {
		case errors.As(err, &limit):
			l.fallBack(limitMessage(err, h.fallback.String()))
		case err != nil:
			return err
		}
	}
	track.scan(true) // the baseline: nothing has changed yet
	if opts.Ready != nil {
		opts.Ready()
	}
	return l.run(ctx)
}

// loop is Run's goroutine: it feeds the scheduler and acts on its steps.
type loop struct {
	s         *scheduler
	n         *notifier // nil when polling
	pollEvery time.Duration
	debounce  time.Duration
	onChange  func(Batch)
	warn      func(string)
	hooks     hooks
	done      chan error // onChange returned, with its panic as an error
}

// recoverWatching turns a panic on Run's goroutine into an internal
// error naming the file the tracker was looking at. The goroutine is
// the caller's, and serve's has nothing above it to recover.
func recoverWatching(errp *error, t *tracker) {
	if v := recover(); v != nil {
		*errp = diag.FromPanic(t.looking, "looking for changes", v, debug.Stack())
	}
}

func (l *loop) run(ctx context.Context) (err error) {
	defer l.awaitOnChange(&err)
	quiet := time.NewTimer(time.Hour)
	quiet.Stop()
	defer quiet.Stop()
	retry := time.NewTicker(l.hooks.retry)
	defer retry.Stop()
	var poll *time.Ticker
	defer func() {
		if poll != nil {
			poll.Stop()
		}
	}()
	for {
		var (
			events        <-chan fsnotify.Event
			errs          <-chan error
			retryC, pollC <-chan time.Time
			quietC        <-chan time.Time
			st            step
		)
		if l.n != nil {
			events, errs, retryC = l.n.fsw.Events, l.n.fsw.Errors, retry.C
		} else if poll == nil {
			poll = time.NewTicker(l.pollEvery)
		}
		if poll != nil {
			pollC = poll.C
		}
		if l.s.waiting {
			quietC = quiet.C
		}
		select {
		case <-ctx.Done():
			return nil // once onChange has returned: see awaitOnChange
		case e, ok := <-events:
			if !ok {
				l.fallBack(stoppedMessage)
				break
			}
			st = l.event(e)
		case err, ok := <-errs:
			if !ok {
				l.fallBack(stoppedMessage)
				break
			}
			st = l.lost(err)
		case <-retryC:
			appeared, err := l.n.ensure()
			st = l.s.event(appeared...)
			l.failed(err)
		case <-pollC:
			st = l.s.tick()
		case <-quietC:
			st = l.quiet(events)
		case err := <-l.done:
			st = l.s.done()
			if err != nil {
				return err
			}
		}
		if st.arm {
			quiet.Reset(l.s.quietPeriod(l.debounce))
		}
		if st.start != nil {
			l.start(*st.start)
		}
	}
}

// start calls onChange on its own goroutine, so that events keep being
// handled while it runs, and says on l.done when it returns.
func (l *loop) start(b Batch) {
	go func() { l.done <- l.call(b) }()
}

// call is onChange on its own goroutine, where a panic cannot be
// recovered by Run's caller: it becomes an internal error naming the
// file changed (the first of several), which ends Run.
func (l *loop) call(b Batch) (err error) {
	defer diag.Recover(&err, firstOf(b.Paths), fmt.Sprintf("acting on changes to %d file(s)", len(b.Paths)))
	l.onChange(b)
	return nil
}

func firstOf(paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	return paths[0]
}

// awaitOnChange waits for a running onChange to return before Run does,
// however the loop ends (a panic too), so that Run never returns while
// it runs. Its panic is Run's error unless Run has one already.
func (l *loop) awaitOnChange(errp *error) {
	if !l.s.running {
		return
	}
	if err := <-l.done; *errp == nil {
		*errp = err
	}
}

// quiet ends the quiet period, unless an event is waiting: when Run was
// starved of CPU, the timer and events can be ready at once, and an
// event waiting behind the timer means the burst is not over.
func (l *loop) quiet(events <-chan fsnotify.Event) step {
	select {
	case e, ok := <-events:
		if ok {
			if st := l.event(e); st.arm {
				return st
			}
		}
	default:
	}
	return l.s.quiet()
}

// lost handles an fsnotify error. Either way events may have been lost,
// so every file is looked at again; after a queue overflow folders may
// also have come and gone unseen, so every watch is added again.
func (l *loop) lost(err error) step {
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		l.failed(l.n.rewatch())
	} else {
		l.warn(describe(err))
	}
	return l.s.lost()
}

// event handles one fsnotify event.
func (l *loop) event(e fsnotify.Event) step {
	paths, err := l.n.handle(e)
	st := l.s.event(paths...)
	l.failed(err)
	return st
}

// failed falls back to polling on the watch limit; other errors from
// adding watches only mean a folder vanished meanwhile.
func (l *loop) failed(err error) {
	var limit limitError
	if errors.As(err, &limit) {
		l.fallBack(limitMessage(err, l.hooks.fallback.String()))
	}
}

// stoppedMessage explains a fallback fsnotify did not ask for.
const stoppedMessage = "file watching stopped unexpectedly, so dealsite checks for changes every second instead"

// fallBack stops fsnotify and polls instead, saying why. The first poll
// walks every folder, so nothing that happened meanwhile is lost.
func (l *loop) fallBack(msg string) {
	if l.n != nil {
		l.n.close()
		l.n = nil
	}
	l.pollEvery = l.hooks.fallback
	l.s.polling = true
	l.s.all = true
	l.warn(msg)
}
