package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progressMin is the number of articles below which a build is too quick
// to need a progress line.
const progressMin = 1000

// progress draws one self-updating line on a terminal while a long build
// reads its articles. It stays silent in CI logs, when stderr is not a
// terminal, and with -quiet.
type progress struct {
	mu     sync.Mutex
	w      io.Writer
	on     bool
	drawn  bool
	lastAt time.Time
}

func newProgress(stderr io.Writer, quiet bool) *progress {
	return &progress{w: stderr, on: !quiet && isTerminal(stderr) && os.Getenv("CI") == ""}
}

// update is safe for concurrent use; it redraws at most ten times a second.
func (p *progress) update(done, total int) {
	if p == nil || !p.on || total < progressMin {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if done < total && now.Sub(p.lastAt) < 100*time.Millisecond {
		return
	}
	p.lastAt = now
	fmt.Fprintf(p.w, "\rReading articles: %d/%d (%d%%)", done, total, done*100/total)
	p.drawn = true
}

// clear removes the line before anything else is printed.
func (p *progress) clear() {
	if p == nil || !p.drawn {
		return
	}
	fmt.Fprint(p.w, "\r\x1b[2K")
	p.drawn = false
}
