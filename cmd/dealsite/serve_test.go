package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests run serveSite in the test process, on a real loopback
// listener with real file watching, to see what happens around its
// return: which streams end, what still runs.

const lifecycleDeadline = 15 * time.Second

// lifecycleLog is an io.Writer safe for concurrent use that remembers
// what was written, and what was written after it was sealed.
type lifecycleLog struct {
	mu     sync.Mutex
	buf    strings.Builder
	sealed bool
	late   []string // writes after seal
}

func (l *lifecycleLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sealed {
		l.late = append(l.late, string(p))
	}
	l.buf.Write(p)
	return len(p), nil
}

func (l *lifecycleLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// seal marks the moment after which nothing may be written.
func (l *lifecycleLog) seal() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sealed = true
}

func (l *lifecycleLog) writesAfterSeal() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.late...)
}

// waitLifecycle polls cond with a generous deadline.
func waitLifecycle(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(lifecycleDeadline)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// lifecycleSite writes a one-article site and returns its folder.
func lifecycleSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"content/_index.md": "---\ntitle: \"Test deals\"\nbase_url: \"https://example.org/\"\n---\nIntro.\n",
		"content/alpha.md":  "---\ntitle: \"Alpha\"\ndate: 2011-02-11\n---\nBody.\n",
	}
	for rel, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// serving is one serveSite running in the background.
type serving struct {
	stdout, stderr *lifecycleLog
	base           string
	returned       chan error
}

func startServing(t *testing.T, ctx context.Context, site string, ln net.Listener) *serving {
	t.Helper()
	s := &serving{stdout: &lifecycleLog{}, stderr: &lifecycleLog{}, base: "http://" + ln.Addr().String() + "/", returned: make(chan error, 1)}
	f := serveFlags{site: site, format: "text"}
	go func() { s.returned <- serveSite(ctx, f, ln, s.stdout, s.stderr) }()
	waitLifecycle(t, "the Serving line", func() bool { return strings.Contains(s.stdout.String(), "Serving ") })
	return s
}

// wait waits for serveSite to return and says how long that took.
func (s *serving) wait(t *testing.T) (error, time.Duration) {
	t.Helper()
	start := time.Now()
	select {
	case err := <-s.returned:
		return err, time.Since(start)
	case <-time.After(lifecycleDeadline):
		t.Fatalf("serveSite did not return within %v", lifecycleDeadline)
		return nil, 0
	}
}

// openStream opens a live-reload stream as a page does, reads its first
// event and then keeps reading in the background: the returned channel
// gets the error that ended the stream (io.EOF when the server ended the
// response properly).
func openStream(t *testing.T, base string) <-chan error {
	t.Helper()
	resp, err := http.Get(base + "__dealsite/events")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	r := bufio.NewReader(resp.Body)
	if line, err := r.ReadString('\n'); err != nil || line != "event: hello\n" {
		t.Fatalf("first line of the stream %q, %v", line, err)
	}
	ended := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, r)
		if err == nil {
			err = io.EOF // io.Copy reports a clean end as nil
		}
		ended <- err
	}()
	return ended
}

// A browser tab holds a live-reload stream open. Ctrl-C must end it and
// stop at once, not wait for the shutdown timeout. The stream must end
// cleanly (the server finished the response, rather than the connection
// being cut or left open), which only happens when serve closes the
// streams itself before shutting the HTTP server down.
func TestServeStopsPromptlyWithOpenStreams(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := startServing(t, ctx, lifecycleSite(t), ln)
	streams := []<-chan error{openStream(t, s.base), openStream(t, s.base)}

	cancel()
	err, took := s.wait(t)
	if err != nil {
		t.Errorf("serveSite after Ctrl-C: %v", err)
	}
	// Generous for a loaded machine; the shutdown timeout is 3s.
	if took > 1500*time.Millisecond {
		t.Errorf("serveSite took %v to stop with open streams", took)
	}
	for i, ended := range streams {
		select {
		case err := <-ended:
			if err != io.EOF {
				t.Errorf("stream %d ended with %v, want a clean end", i, err)
			}
		case <-time.After(lifecycleDeadline):
			t.Errorf("stream %d still open %v after serveSite returned", i, lifecycleDeadline)
		}
	}
}

// failingListener accepts connections until fail is called, then fails
// as a listener does whose socket broke.
type failingListener struct {
	net.Listener
	failed chan struct{}
	once   sync.Once
}

var errListenerBroke = errors.New("listener broke")

func (l *failingListener) fail() { l.once.Do(func() { close(l.failed) }) }

func (l *failingListener) Accept() (net.Conn, error) {
	type accepted struct {
		c   net.Conn
		err error
	}
	ch := make(chan accepted, 1)
	go func() {
		c, err := l.Listener.Accept()
		ch <- accepted{c, err}
	}()
	select {
	case a := <-ch:
		return a.c, a.err
	case <-l.failed:
		l.Listener.Close()
		return nil, errListenerBroke
	}
}

// When the HTTP server fails, serve must stop its watcher and wait for it
// before returning: no rebuild may run, print or publish afterwards.
func TestServeStopsWatchingWhenTheServerFails(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &failingListener{Listener: inner, failed: make(chan struct{})}
	site := lifecycleSite(t)
	s := startServing(t, context.Background(), site, ln)

	ln.fail()
	err, _ = s.wait(t)
	if !errors.Is(err, errListenerBroke) {
		t.Errorf("serveSite = %v, want the listener's error", err)
	}
	s.stdout.seal()
	s.stderr.seal()
	// An edit after the return: a watcher still running would rebuild
	// within a debounce (100ms) and print. Nothing can show absence but
	// a bounded wait; ten debounces is plenty on an idle watcher.
	edit := "---\ntitle: \"Alpha edited\"\ndate: 2011-02-11\n---\nBody.\n"
	if err := os.WriteFile(filepath.Join(site, "content", "alpha.md"), []byte(edit), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if late := append(s.stdout.writesAfterSeal(), s.stderr.writesAfterSeal()...); len(late) > 0 {
		t.Errorf("serve still rebuilt after it returned: %q", late)
	}
}
