package serve

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// loadDuration is how long TestServeUnderLoad runs: DEALSITE_LOAD_SECONDS
// (30 for the figures in the issue), 5 by default.
func loadDuration() time.Duration {
	if s, err := strconv.Atoi(os.Getenv("DEALSITE_LOAD_SECONDS")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 5 * time.Second
}

func openFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

var (
	titleRE = regexp.MustCompile(`<title>Site (\d+)</title>`)
	buildRE = regexp.MustCompile(`data-build="(\d+)"`)
)

// TestServeUnderLoad runs 200 concurrent clients against the server while
// a new build is published every second, and checks that no request
// fails, every page comes whole from one build (its title and the build
// id injected with the reload script agree), and no goroutine or file
// descriptor leaks.
func TestServeUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped with -short")
	}
	goroutinesBefore, fdsBefore := runtime.NumGoroutine(), openFDs()

	ts := httptest.NewUnstartedServer(nil)
	s := New(ts.Listener.Addr().String())
	ts.Config.Handler = s.Handler()
	ts.Start()

	// Build ids map to the site number published with them.
	var mu sync.Mutex
	siteOf := map[string]string{}
	publish := func(n int) {
		out := mustBuild(t, site(fmt.Sprintf("Site %d", n)))
		mu.Lock()
		defer mu.Unlock()
		s.Publish(out, nil)
		siteOf[strconv.FormatUint(s.BuildID(), 10)] = strconv.Itoa(n)
	}
	publish(0)

	ctx, cancel := context.WithTimeout(context.Background(), loadDuration())
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for n := 1; ; n++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				publish(n)
			}
		}
	})

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 200}}
	var requests, failures atomic.Int64
	latencies := make([][]time.Duration, 200)
	for c := range 200 {
		wg.Go(func() {
			for ctx.Err() == nil {
				start := time.Now()
				resp, err := client.Get(ts.URL + "/")
				if err != nil {
					if ctx.Err() == nil {
						failures.Add(1)
					}
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				latencies[c] = append(latencies[c], time.Since(start))
				requests.Add(1)
				title, build := titleRE.FindSubmatch(body), buildRE.FindSubmatch(body)
				mu.Lock()
				whole := err == nil && resp.StatusCode == 200 && title != nil && build != nil && siteOf[string(build[1])] == string(title[1])
				mu.Unlock()
				if !whole {
					failures.Add(1)
				}
			}
		})
	}
	wg.Wait()
	client.CloseIdleConnections()
	ts.Close()

	all := slices.Concat(latencies...)
	slices.Sort(all)
	if len(all) == 0 {
		t.Fatal("no requests completed")
	}
	p99 := all[len(all)*99/100]
	t.Logf("%d requests in %s: %.0f requests/s, p99 latency %s, %d failed", requests.Load(), loadDuration(),
		float64(requests.Load())/loadDuration().Seconds(), p99, failures.Load())
	if failures.Load() != 0 {
		t.Errorf("%d requests failed or got a page not from one complete build", failures.Load())
	}

	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > goroutinesBefore+5 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	goroutinesAfter, fdsAfter := runtime.NumGoroutine(), openFDs()
	t.Logf("goroutines %d → %d, open files %d → %d", goroutinesBefore, goroutinesAfter, fdsBefore, fdsAfter)
	if goroutinesAfter > goroutinesBefore+5 {
		t.Errorf("goroutine leak: %d before, %d after", goroutinesBefore, goroutinesAfter)
	}
	if fdsBefore >= 0 && fdsAfter > fdsBefore+5 {
		t.Errorf("file descriptor leak: %d before, %d after", fdsBefore, fdsAfter)
	}
}

// TestThousandStreamsGetEveryReload keeps 1,000 live-reload connections
// open, publishes three builds, and checks that each stream receives each
// reload and that closed streams are removed.
func TestThousandStreamsGetEveryReload(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short")
	}
	s, base := start(t)
	s.Publish(mustBuild(t, site("One")), nil)
	const n = 1000
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: n}}
	ctx, cancel := context.WithCancel(context.Background())
	readers := make([]*bufio.Reader, n)
	bodies := make([]io.Closer, n)
	for i := range n {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+"/__dealsite/events", nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("stream %d: %v", i, err)
		}
		readers[i], bodies[i] = bufio.NewReader(resp.Body), resp.Body
		if typ, _ := readEvent(t, readers[i]); typ != "hello" {
			t.Fatalf("stream %d: first event %q", i, typ)
		}
	}
	if got := s.Clients(); got != n {
		t.Fatalf("%d streams registered, want %d", got, n)
	}
	for round, title := range []string{"Two", "Three", "Four"} {
		s.Publish(mustBuild(t, site(title)), nil)
		var wg sync.WaitGroup
		var missed atomic.Int64
		for i := range n {
			wg.Go(func() {
				typ, data := readEvent(t, readers[i])
				if typ != "reload" || !regexp.MustCompile(`"id":`+strconv.Itoa(round+2)+`\b`).MatchString(data) {
					missed.Add(1)
				}
			})
		}
		wg.Wait()
		if missed.Load() != 0 {
			t.Fatalf("round %d: %d streams missed the reload", round, missed.Load())
		}
	}
	cancel()
	for _, b := range bodies {
		b.Close()
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.Clients() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d closed streams still registered", s.Clients())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
