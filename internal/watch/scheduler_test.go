package watch

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// These tests drive the scheduler and the tracker step by step over an
// in-memory file system: no goroutines, no timers, no sleeps. Each event
// call stands for an fsnotify event, quiet for the end of the quiet
// period, tick for a poll and done for onChange returning.

// sim is a site in memory with a scheduler watching it.
type sim struct {
	t     *testing.T
	fsys  fstest.MapFS
	s     *scheduler
	now   time.Time // the tracker's clock
	mtime time.Time // the next modification time written
}

var simOrigin = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

func newSim(t *testing.T, polling bool) *sim {
	m := &sim{t: t, fsys: fstest.MapFS{}, now: simOrigin.Add(time.Hour), mtime: simOrigin}
	m.write("content/_index.md", "settings")
	m.write("content/a.md", "a")
	m.write("content/2011/b.md", "b")
	m.write("layouts/base.html", "base")
	m.write("public/index.html", "output")
	r, err := newRule([]string{"content", "layouts", "static"}, func(rel string, _ bool) bool { return under(rel, "public") })
	if err != nil {
		t.Fatal(err)
	}
	track := newTracker(m.fsys, r, func() time.Time { return m.now })
	track.scan(true)
	m.s = newScheduler(track, polling)
	return m
}

// write sets a file's content with a new modification time (one second
// later than the last, well before the clock: not racy).
func (m *sim) write(rel, data string) {
	m.mtime = m.mtime.Add(time.Second)
	m.fsys[rel] = &fstest.MapFile{Data: []byte(data), ModTime: m.mtime, Mode: 0o644}
}

// touch changes only the modification time.
func (m *sim) touch(rel string) {
	m.mtime = m.mtime.Add(time.Second)
	m.fsys[rel].ModTime = m.mtime
}

func (m *sim) remove(rel string) { delete(m.fsys, rel) }

// rename moves a file or a whole folder.
func (m *sim) rename(from, to string) {
	for p, f := range m.fsys {
		if p == from || strings.HasPrefix(p, from+"/") {
			delete(m.fsys, p)
			m.fsys[to+strings.TrimPrefix(p, from)] = f
		}
	}
}

// event records events and checks they start a quiet period.
func (m *sim) event(paths ...string) {
	m.t.Helper()
	if st := m.s.event(paths...); !st.arm || st.start != nil {
		m.t.Fatalf("event(%q) = %+v, want a quiet period and no batch", paths, st)
	}
}

// want checks that a step starts a batch with exactly these paths.
func (m *sim) want(st step, rescan bool, paths ...string) {
	m.t.Helper()
	switch {
	case st.start == nil:
		m.t.Fatalf("no batch, want %q", paths)
	case !slices.Equal(st.start.Paths, paths) || st.start.Rescan != rescan:
		m.t.Fatalf("batch %q (rescan %v), want %q (rescan %v)", st.start.Paths, st.start.Rescan, paths, rescan)
	case st.arm:
		m.t.Fatalf("a batch and a new quiet period at once")
	}
}

// wantArm checks that a step starts a quiet period and no batch.
func (m *sim) wantArm(st step) {
	m.t.Helper()
	if !st.arm || st.start != nil {
		m.t.Fatalf("got %+v (batch %v), want a quiet period", st, st.start)
	}
}

// wantNothing checks that a step neither starts a batch nor a quiet period.
func (m *sim) wantNothing(st step) {
	m.t.Helper()
	if st.start != nil || st.arm {
		m.t.Fatalf("got %+v (batch %v), want nothing", st, st.start)
	}
}

func TestBurstIsOneBatch(t *testing.T) {
	m := newSim(t, false)
	var want []string
	for i := range 500 {
		rel := fmt.Sprintf("content/burst/%03d.md", i)
		m.write(rel, rel)
		m.event(rel)
		want = append(want, rel)
	}
	m.want(m.s.quiet(), false, want...)
	m.wantNothing(m.s.done())
}

func TestLargeBurstWaitsLonger(t *testing.T) {
	const debounce = 100 * time.Millisecond
	m := newSim(t, false)
	m.write("content/a.md", "edited")
	m.event("content/a.md")
	if got := m.s.quietPeriod(debounce); got != debounce/quickFactor {
		t.Fatalf("one edit waits %v, want %v", got, debounce/quickFactor)
	}
	for i := range largeBurst {
		rel := fmt.Sprintf("content/burst/%03d.md", i)
		m.write(rel, rel)
		m.event(rel)
	}
	if got := m.s.quietPeriod(debounce); got != longBurstFactor*debounce {
		t.Fatalf("a burst of %d files waits %v, want %v", largeBurst+1, got, longBurstFactor*debounce)
	}
	if st := m.s.quiet(); st.start == nil || len(st.start.Paths) != largeBurst+1 {
		t.Fatalf("the burst gave %+v, want one batch of %d files", st, largeBurst+1)
	}
	m.wantNothing(m.s.done())
	m.write("content/a.md", "edited again")
	m.event("content/a.md")
	if got := m.s.quietPeriod(debounce); got != debounce/quickFactor {
		t.Fatalf("after the burst, one edit waits %v, want %v", got, debounce/quickFactor)
	}
}

// TestQuietPeriodFitsTheBatch: a save of a few known files waits a
// fifth of the debounce; anything that may be the start of a burst (a
// new file or folder, a fourth file) waits all of it, so that a
// checkout whose first file arrives alone is still one batch once its
// next path arrives within the short period.
func TestQuietPeriodFitsTheBatch(t *testing.T) {
	const debounce = 100 * time.Millisecond
	const quick = debounce / quickFactor
	for _, tc := range []struct {
		name   string
		events []string // each written (or, ending in "/", made a folder) then named by an event
		want   time.Duration
	}{
		{"one known file", []string{"content/a.md"}, quick},
		{"the settings", []string{"content/_index.md"}, quick},
		{"three known files", []string{"content/a.md", "content/2011/b.md", "layouts/base.html"}, quick},
		{"four files", []string{"content/a.md", "content/2011/b.md", "layouts/base.html", "content/_index.md"}, debounce},
		{"a new file", []string{"content/new.md"}, debounce},
		{"a known file, then a new one", []string{"content/a.md", "content/new.md"}, debounce},
		{"a new folder", []string{"content/2012/"}, debounce},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newSim(t, false)
			var want []string
			for _, rel := range tc.events {
				if dir, ok := strings.CutSuffix(rel, "/"); ok {
					m.fsys[dir] = &fstest.MapFile{Mode: fs.ModeDir | 0o755}
					m.write(dir+"/x.md", "x")
					m.event(dir)
					want = append(want, dir+"/x.md")
					continue
				}
				m.write(rel, "edited "+rel)
				m.event(rel)
				want = append(want, rel)
			}
			if got := m.s.quietPeriod(debounce); got != tc.want {
				t.Errorf("waits %v, want %v", got, tc.want)
			}
			slices.Sort(want)
			m.want(m.s.quiet(), false, want...)
		})
	}
}

// TestFollowUpWaitsTheWholeDebounce: changes made during a call are
// reported after a whole debounce, however few: their events may still
// be on their way.
func TestFollowUpWaitsTheWholeDebounce(t *testing.T) {
	const debounce = 100 * time.Millisecond
	m := newSim(t, false)
	m.write("content/a.md", "edited")
	m.event("content/a.md")
	m.want(m.s.quiet(), false, "content/a.md")
	m.write("content/2011/b.md", "edited during the call")
	m.event("content/2011/b.md")
	m.wantNothing(m.s.quiet())
	m.wantArm(m.s.done())
	if got := m.s.quietPeriod(debounce); got != debounce {
		t.Errorf("the follow-up waits %v, want %v", got, debounce)
	}
	m.want(m.s.quiet(), false, "content/2011/b.md")
}

func TestOnlyContentCounts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(m *sim) []string // returns the paths events name
		want   []string
	}{
		{"touch", func(m *sim) []string { m.touch("content/a.md"); return []string{"content/a.md"} }, nil},
		{"save without edits", func(m *sim) []string { m.write("content/a.md", "a"); return []string{"content/a.md"} }, nil},
		{"edit", func(m *sim) []string { m.write("content/a.md", "A"); return []string{"content/a.md"} }, []string{"content/a.md"}},
		{"edit and revert", func(m *sim) []string {
			m.write("content/a.md", "A")
			m.write("content/a.md", "a")
			return []string{"content/a.md"}
		}, nil},
		{"new file", func(m *sim) []string { m.write("content/c.md", "c"); return []string{"content/c.md"} }, []string{"content/c.md"}},
		{"delete", func(m *sim) []string { m.remove("content/a.md"); return []string{"content/a.md"} }, []string{"content/a.md"}},
		{"site settings", func(m *sim) []string { m.write("content/_index.md", "new"); return []string{"content/_index.md"} }, []string{"content/_index.md"}},
		{"temporary file that came and went", func(m *sim) []string { return []string{"content/tmp.md"} }, nil},
		{"vim save", func(m *sim) []string {
			m.write("content/4913", "")
			m.remove("content/4913")
			m.rename("content/a.md", "content/a.md~")
			m.write("content/a.md", "vim")
			m.remove("content/a.md~")
			return []string{"content/4913", "content/a.md", "content/a.md~"}
		}, []string{"content/a.md"}},
		{"editor leftovers alone", func(m *sim) []string {
			for _, name := range []string{"a.md~", ".a.md.swp", ".a.md.swx", "4913", "#a.md#", ".#a.md", "a.md___jb_tmp___", "a.md___jb_old___", "sedAb12Cd", ".DS_Store"} {
				m.write("content/"+name, "x")
				m.event("content/" + name)
			}
			return nil
		}, nil},
		{"output, dot-folders and unwatched folders", func(m *sim) []string {
			m.write("public/index.html", "new output")
			m.write(".git/index", "git")
			m.write("content/.hidden/x.md", "x")
			m.write("README.md", "readme")
			return []string{"public/index.html", ".git/index", "content/.hidden", "content/.hidden/x.md", "README.md"}
		}, nil},
		{"folder renamed", func(m *sim) []string {
			m.rename("content/2011", "content/archive")
			return []string{"content/2011", "content/archive"}
		}, []string{"content/2011/b.md", "content/archive/b.md"}},
		{"folder created with files", func(m *sim) []string {
			m.write("content/x/y/z/deep.md", "deep")
			m.write("content/x/top.md", "top")
			return []string{"content/x"} // only the outer folder's event: the rest was written before its watch
		}, []string{"content/x/top.md", "content/x/y/z/deep.md"}},
		{"folder removed", func(m *sim) []string { m.remove("content/2011/b.md"); return []string{"content/2011"} }, []string{"content/2011/b.md"}},
		{"file replaced by a folder", func(m *sim) []string {
			m.remove("content/a.md")
			m.write("content/a.md/c.md", "c")
			return []string{"content/a.md"}
		}, []string{"content/a.md", "content/a.md/c.md"}},
		{"watched folder appears", func(m *sim) []string { m.write("static/css/site.css", "css"); return []string{"static"} }, []string{"static/css/site.css"}},
		{"watched folder removed", func(m *sim) []string {
			m.remove("content/a.md")
			m.remove("content/_index.md")
			m.remove("content/2011/b.md")
			return []string{"content"}
		}, []string{"content/2011/b.md", "content/_index.md", "content/a.md"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newSim(t, false)
			paths := tc.change(m)
			if len(paths) > 0 {
				m.event(paths...)
			}
			st := m.s.quiet()
			if tc.want == nil {
				m.wantNothing(st)
				return
			}
			m.want(st, false, tc.want...)
		})
	}
}

func TestOneCallAtATime(t *testing.T) {
	m := newSim(t, false)
	m.write("content/a.md", "one")
	m.event("content/a.md")
	m.want(m.s.quiet(), false, "content/a.md")
	// onChange is running: changes are found but held.
	m.write("content/2011/b.md", "two")
	m.event("content/2011/b.md")
	m.wantNothing(m.s.quiet())
	m.write("content/c.md", "three")
	m.event("content/c.md")
	m.wantNothing(m.s.quiet())
	m.write("content/2011/b.md", "four")
	m.event("content/2011/b.md")
	m.wantNothing(m.s.quiet())
	// Exactly one follow-up, after one more quiet period (for events on
	// their way), then nothing.
	m.wantArm(m.s.done())
	m.want(m.s.quiet(), false, "content/2011/b.md", "content/c.md")
	m.wantNothing(m.s.done())
}

func TestFollowUpWaitsForQuiet(t *testing.T) {
	m := newSim(t, false)
	m.write("content/a.md", "one")
	m.event("content/a.md")
	m.want(m.s.quiet(), false, "content/a.md")
	m.write("content/2011/b.md", "two")
	m.event("content/2011/b.md")
	m.write("content/c.md", "on its way as the call returns")
	m.wantArm(m.s.done())
	m.event("content/c.md")
	m.want(m.s.quiet(), false, "content/2011/b.md", "content/c.md")
}

func TestNothingDuringACallMeansNoFollowUp(t *testing.T) {
	m := newSim(t, false)
	m.write("content/a.md", "one")
	m.event("content/a.md")
	m.want(m.s.quiet(), false, "content/a.md")
	m.touch("content/a.md")
	m.event("content/a.md")
	m.wantNothing(m.s.quiet())
	m.wantNothing(m.s.done())
}

// A file changed and changed back while onChange runs may have been read
// in between, so it is in the follow-up.
func TestRevertDuringACallIsAFollowUp(t *testing.T) {
	m := newSim(t, false)
	m.write("content/c.md", "c")
	m.event("content/c.md")
	m.want(m.s.quiet(), false, "content/c.md")
	m.write("content/a.md", "edited")
	m.event("content/a.md")
	m.wantNothing(m.s.quiet())
	m.write("content/a.md", "a")
	m.event("content/a.md")
	m.wantNothing(m.s.quiet())
	m.wantArm(m.s.done())
	m.want(m.s.quiet(), false, "content/a.md")
}

func TestLostEventsRehashEverything(t *testing.T) {
	m := newSim(t, false)
	// Same size and time, other content: only a hash can tell.
	f := m.fsys["content/a.md"]
	f.Data = []byte("z")
	m.write("content/new.md", "new")
	if st := m.s.lost(); !st.arm {
		t.Fatalf("lost() = %+v, want a quiet period", st)
	}
	m.want(m.s.quiet(), true, "content/a.md", "content/new.md")
	m.wantNothing(m.s.done())

	// A rescan that finds nothing gives no batch, and the next batch is
	// an ordinary one.
	m.s.lost()
	m.wantNothing(m.s.quiet())
	m.write("content/a.md", "again")
	m.event("content/a.md")
	m.want(m.s.quiet(), false, "content/a.md")
}

func TestPolling(t *testing.T) {
	m := newSim(t, true)
	m.wantNothing(m.s.tick())
	m.write("content/a.md", "edited")
	st := m.s.tick()
	if !st.arm || st.start != nil {
		t.Fatalf("tick after a change = %+v, want a quiet period", st)
	}
	m.wantNothing(m.s.tick()) // a poll during the quiet period waits for it
	m.write("content/c.md", "more of the burst")
	if st := m.s.quiet(); !st.arm || st.start != nil {
		t.Fatalf("quiet after more changes = %+v, want another quiet period", st)
	}
	m.want(m.s.quiet(), false, "content/a.md", "content/c.md") // nothing new: report
	// While onChange runs, changes are found and held.
	m.remove("content/c.md")
	m.touch("content/a.md")
	m.s.tick()
	m.write("content/d.md", "during the call")
	if st := m.s.quiet(); !st.arm || st.start != nil {
		t.Fatalf("quiet after more changes = %+v, want another quiet period", st)
	}
	m.wantNothing(m.s.quiet())
	m.write("content/e.md", "as the call returns")
	m.wantArm(m.s.done())
	if st := m.s.quiet(); !st.arm || st.start != nil { // the walk after the call finds e.md: one more period
		t.Fatalf("quiet after the call = %+v, want another quiet period", st)
	}
	m.want(m.s.quiet(), false, "content/c.md", "content/d.md", "content/e.md")
}

// Polling trusts size and modification time only when the time is old
// enough that a second write could not have kept it.
func TestPollingRacyFiles(t *testing.T) {
	m := newSim(t, true)
	m.fsys["content/a.md"].ModTime = m.now // written just now
	m.s.track.scan(true)
	m.fsys["content/a.md"].Data = []byte("b") // same size, same time
	m.wantNothing(m.s.tick())                 // still within the window: a later walk will tell
	m.now = m.now.Add(racyWindow)
	m.wantArm(m.s.tick())
	m.want(m.s.quiet(), false, "content/a.md")
	m.wantNothing(m.s.done())

	// An old time is trusted by a poll (a limit of polling)...
	m.fsys["content/2011/b.md"].Data = []byte("c")
	m.wantNothing(m.s.tick())

	// ...but an event always hashes.
	e := newSim(t, false)
	e.fsys["content/2011/b.md"].Data = []byte("c")
	e.event("content/2011/b.md")
	e.want(e.s.quiet(), false, "content/2011/b.md")
}

func TestSymlinks(t *testing.T) {
	m := newSim(t, false)
	link := func(target string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(target), Mode: fs.ModeSymlink}
	}
	m.write("content/2011/target.md", "t")
	m.write("elsewhere/x.md", "x")
	m.fsys["content/link.md"] = link("2011/target.md")
	m.fsys["content/dirlink"] = link("../elsewhere")
	m.event("content/link.md", "content/dirlink", "content/2011/target.md")
	// A link to a file counts as that file; a link to a folder inside is
	// not followed, as in the build.
	m.want(m.s.quiet(), false, "content/2011/target.md", "content/link.md")
	m.s.done()

	// A watched folder may itself be a link.
	m.rename("content", "old")
	m.fsys["content"] = link("elsewhere")
	m.event("content")
	m.want(m.s.quiet(), false, "content/2011/b.md", "content/2011/target.md", "content/_index.md", "content/a.md", "content/link.md", "content/x.md")
}

func TestRule(t *testing.T) {
	r, err := newRule([]string{"content", "static/", "./layouts", "content/sub"}, func(rel string, _ bool) bool { return under(rel, "static/out") })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"content", "layouts", "static"}; !slices.Equal(r.dirs, want) {
		t.Errorf("dirs = %q, want %q", r.dirs, want)
	}
	for rel, want := range map[string]bool{
		"content":                   true,
		"content/a.md":              true,
		"content/_index.md":         true,
		"content/sub/_draft.md":     true,
		"static/css/site.css":       true,
		"layouts/partials/x.html":   true,
		"content/a.md~":             false,
		"content/.a.md.swp":         false,
		"content/4913":              false,
		"content/#a.md#":            false,
		"content/.#a.md":            false,
		"content/a.md___jb_tmp___":  false,
		"content/a.md___jb_old___":  false,
		"content/sedAb12Cd":         false,
		"content/.hidden/x.md":      false,
		"static/.well-known/x.txt":  false,
		"static/out/index.html":     false,
		"static/out":                false,
		"public/index.html":         false,
		".git/index":                false,
		".":                         false,
		"README.md":                 false,
		"contents/a.md":             false,
		"content/sub/.git/x":        false,
		"layouts/partials/.x.html~": false,
	} {
		if got := r.admits(rel, false); got != want {
			t.Errorf("admits(%q) = %v, want %v", rel, got, want)
		}
	}
	for _, bad := range []string{"/abs", "..", "../site", "a/../../b"} {
		if _, err := newRule([]string{bad}, nil); err == nil {
			t.Errorf("newRule(%q) succeeded, want an error", bad)
		}
	}
	if r, _ := newRule(nil, nil); !slices.Equal(r.dirs, []string{"."}) || !r.admits("x/y.md", false) || r.admits(".git/x", false) {
		t.Errorf("no folders should mean the whole root: %q", r.dirs)
	}
}

// A poll that finds a large burst has no events to say the burst goes
// on, so it must stretch its quiet period just as events do: otherwise a
// checkout that stalls for one debounce on a busy machine is split into
// two rebuilds (seen as 484 + 17 files under -race in CI).
func TestLargeBurstWaitsLongerWhenPolling(t *testing.T) {
	const debounce = 100 * time.Millisecond
	m := newSim(t, true)
	m.write("content/a.md", "edited")
	if st := m.s.tick(); !st.arm {
		t.Fatalf("a poll that found an edit gave %+v, want a quiet period", st)
	}
	if got := m.s.quietPeriod(debounce); got != debounce {
		t.Fatalf("one edit waits %v, want %v", got, debounce)
	}
	m.want(m.s.quiet(), false, "content/a.md")
	m.wantNothing(m.s.done())
	for i := range largeBurst {
		rel := fmt.Sprintf("content/burst/%03d.md", i)
		m.write(rel, rel)
	}
	if st := m.s.tick(); !st.arm {
		t.Fatalf("a poll that found a burst gave %+v, want a quiet period", st)
	}
	if got := m.s.quietPeriod(debounce); got != longBurstFactor*debounce {
		t.Fatalf("a polled burst of %d files waits %v, want %v", largeBurst, got, longBurstFactor*debounce)
	}
	if st := m.s.quiet(); st.start == nil || len(st.start.Paths) != largeBurst {
		t.Fatalf("the burst gave %+v, want one batch of %d files", st, largeBurst)
	}
}
