package watch

import (
	"maps"
	"slices"
	"time"
)

// scheduler decides when to report a batch. It owns no timer and starts
// no goroutine, so tests drive it step by step: Run feeds it what happened
// and acts on each step it returns.
//
// Events (re)start a quiet period; when it ends the tracker checks the
// paths the events named, and the changes found are held until no call
// is running, then reported as one batch. Polling has no events to say a
// burst is still going on, so there a walk that finds changes starts a
// quiet period too, and the batch waits for a walk that finds nothing new.
type scheduler struct {
	track   *tracker
	polling bool // wake-ups are poll ticks, not events

	dirty      map[string]bool // paths events named since the last check
	all, force bool            // walk every watched folder (force: and hash every file)

	held    []string // changes found and not reported yet, sorted
	rescan  bool     // events were lost since the last batch
	waiting bool     // a quiet period is running
	running bool     // onChange is running
}

// step is what Run must do after a scheduler call.
type step struct {
	arm   bool   // (re)start the quiet period
	start *Batch // call onChange with this batch
}

func newScheduler(t *tracker, polling bool) *scheduler {
	return &scheduler{track: t, polling: polling, dirty: map[string]bool{}}
}

// event records paths that may have changed (files or folders, present
// or gone) and restarts the quiet period.
func (s *scheduler) event(paths ...string) step {
	if len(paths) == 0 {
		return step{}
	}
	for _, p := range paths {
		s.dirty[p] = true
	}
	s.waiting = true
	return step{arm: true}
}

// lost records that events were lost (a queue overflow): after the quiet
// period every file is hashed again, and the batch, if any, says Rescan.
func (s *scheduler) lost() step {
	s.all, s.force, s.rescan = true, true, true
	s.waiting = true
	return step{arm: true}
}

// tick is a poll: walk now, unless a quiet period will walk anyway.
func (s *scheduler) tick() step {
	s.all = true
	if s.waiting {
		return step{}
	}
	return s.settle()
}

// How long a quiet period lasts depends on what it has collected. A
// save of one or a few files the watcher already knows, the common case,
// waits debounce/quickFactor (20ms by default), so that it shows up fast.
// Anything else (a new or deleted folder, a new file, more files) waits
// the whole debounce: a checkout whose first files arrive alone still
// waits long once its first new file or folder, or its fourth file,
// arrives. A quiet period that has collected at least largeBurst paths
// is stretched to longBurstFactor times the debounce: a checkout or a
// copy of hundreds of files can stall for longer than a keystroke's
// debounce on a busy machine, and splitting it would rebuild a
// half-written site first and then again.
const (
	smallBatch      = 3
	quickFactor     = 5
	largeBurst      = 64
	longBurstFactor = 4
)

// quietPeriod is how long to wait after the latest event, or, when
// polling, after the walk that found changes: there the burst so far is
// what the walks have found and hold.
func (s *scheduler) quietPeriod(debounce time.Duration) time.Duration {
	switch {
	case len(s.dirty) >= largeBurst || (s.polling && len(s.held) >= largeBurst):
		return longBurstFactor * debounce
	case s.quick():
		return debounce / quickFactor
	}
	return debounce
}

// quick reports whether what is pending looks like a save: events named
// at most smallBatch paths in all, each a file the tracker knows. Polls,
// rescans and follow-ups after a call (no new events) are never quick.
func (s *scheduler) quick() bool {
	if s.polling || s.all || len(s.dirty) == 0 || len(s.dirty)+len(s.held) > smallBatch {
		return false
	}
	for p := range s.dirty {
		if !s.track.knows(p) {
			return false
		}
	}
	return true
}

// quiet ends the quiet period.
func (s *scheduler) quiet() step {
	s.waiting = false
	return s.settle()
}

// done records that onChange returned. If anything happened meanwhile,
// one more quiet period runs before the follow-up batch: events for
// changes made just before the call returned may still be on their way,
// and belong in the same follow-up.
func (s *scheduler) done() step {
	s.running = false
	if len(s.held) == 0 && len(s.dirty) == 0 && !s.all && !s.waiting {
		s.rescan = false
		return step{}
	}
	s.all = s.all || s.polling // a poll has no events in flight: look once more
	s.waiting = true
	return step{arm: true}
}

// settle checks what changed and holds it.
func (s *scheduler) settle() step {
	changed := s.check()
	s.held = merge(s.held, changed)
	if s.polling && len(changed) > 0 {
		s.all, s.waiting = true, true // the burst may go on: look again after a quiet period
		return step{arm: true}
	}
	return s.next()
}

// next starts a batch if changes are held and nothing stops it.
func (s *scheduler) next() step {
	if s.running || s.waiting {
		return step{}
	}
	if len(s.held) == 0 {
		s.rescan = false // a rescan that found nothing is not worth a batch
		return step{}
	}
	b := &Batch{Paths: s.held, Rescan: s.rescan}
	s.held, s.rescan, s.running = nil, false, true
	return step{start: b}
}

// check asks the tracker about everything recorded since the last check.
func (s *scheduler) check() []string {
	var changed []string
	if s.all {
		changed = s.track.scan(s.force)
	} else {
		for _, p := range slices.Sorted(maps.Keys(s.dirty)) {
			changed = append(changed, s.track.check(p)...)
		}
	}
	clear(s.dirty)
	s.all, s.force = false, false
	return merge(nil, changed)
}

// merge adds b's paths to a, sorted and without duplicates.
func merge(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}
