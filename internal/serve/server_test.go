package serve

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/outdir"
	"github.com/dealsite/dealsite/layouts"
	"github.com/dealsite/dealsite/static"
)

func site(title string) fstest.MapFS {
	return fstest.MapFS{
		"content/_index.md": {Data: []byte("---\ntitle: " + title + "\nbase_url: http://127.0.0.1/\n---\nIntro.\n")},
		"content/a.md":      {Data: []byte("---\ntitle: Alpha\ndate: 2011-02-11\ntags: [One]\n---\nBody.\n")},
		"static/x.css":      {Data: []byte("body{}")},
	}
}

func mustBuild(t *testing.T, fsys fstest.MapFS) *outdir.Files {
	t.Helper()
	out, err := build.Build(context.Background(), fsys, build.Options{Theme: build.Theme{Layouts: layouts.FS, Static: static.FS}})
	if err != nil {
		t.Fatal(err)
	}
	return out.Files
}

// start serves s on a real loopback listener and returns its base URL.
func start(t *testing.T) (*Server, string) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	s := New(ts.Listener.Addr().String())
	ts.Config.Handler = s.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	return s, ts.URL
}

func get(t *testing.T, method, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestServesPagesFromMemory(t *testing.T) {
	s, base := start(t)
	if resp, body := get(t, "GET", base+"/"); resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "reload.js") {
		t.Errorf("before the first build: %d", resp.StatusCode)
	}
	s.Publish(mustBuild(t, site("One")), nil)
	tests := []struct {
		method, path string
		status       int
		contains     string
	}{
		{"GET", "/", 200, "<title>One</title>"},
		{"GET", "/articles/a/", 200, "Alpha"},
		{"GET", "/x.css", 200, "body{}"},
		{"GET", "/nope/", 404, "Page not found"},
		{"GET", "/etc/passwd", 404, "Page not found"},
		{"HEAD", "/", 200, ""},
		{"POST", "/", 405, ""},
		{"DELETE", "/articles/a/", 405, ""},
	}
	for _, tt := range tests {
		resp, body := get(t, tt.method, base+tt.path)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.contains) {
			t.Errorf("%s %s = %d, want %d containing %q", tt.method, tt.path, resp.StatusCode, tt.status, tt.contains)
		}
		if got := resp.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s %s Cache-Control = %q", tt.method, tt.path, got)
		}
		if tt.method == "HEAD" && body != "" {
			t.Errorf("HEAD returned a body")
		}
	}
	if resp, _ := get(t, "GET", base+"/articles/a"); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/articles/a/" {
		t.Errorf("folder without slash = %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, err := http.Get(base + "/a/../../../etc/passwd"); err != nil || resp.StatusCode != 404 {
		t.Errorf("dot-dot path not answered 404: %v", err)
	}
	_, html := get(t, "GET", base+"/")
	if !strings.Contains(html, `<script src="/__dealsite/reload.js" data-build="1" defer></script></body>`) {
		t.Errorf("reload script not injected before </body>")
	}
	if _, css := get(t, "GET", base+"/x.css"); strings.Contains(css, "reload.js") {
		t.Errorf("script injected into CSS")
	}
	if resp, js := get(t, "GET", base+"/__dealsite/reload.js"); resp.StatusCode != 200 || !strings.Contains(js, "EventSource") {
		t.Errorf("reload.js = %d", resp.StatusCode)
	}
}

func TestHostHeaderCheck(t *testing.T) {
	s, base := start(t)
	s.Publish(mustBuild(t, site("One")), nil)
	port := base[strings.LastIndex(base, ":")+1:]
	for host, want := range map[string]int{
		"127.0.0.1:" + port:        200,
		"localhost:" + port:        200,
		"LOCALHOST:" + port:        200,
		"evil.example:" + port:     http.StatusMisdirectedRequest,
		"127.0.0.1.nip.io:" + port: http.StatusMisdirectedRequest,
	} {
		if resp, _ := get(t, "GET", base+"/", "Host", host); resp.StatusCode != want {
			t.Errorf("Host %s = %d, want %d", host, resp.StatusCode, want)
		}
	}
	if New("0.0.0.0:1313").hosts != nil || !BindsAllInterfaces("[::]:1313") || BindsAllInterfaces("127.0.0.1:1313") {
		t.Error("all-interfaces binding not recognised")
	}
}

func TestErrorOverlayKeepsLastGoodSite(t *testing.T) {
	s, base := start(t)
	s.Publish(mustBuild(t, site("Good")), nil)
	var list diag.List
	list.Addf(diag.BadDate, "content/a.md", 3, `date "2011-13-45" is not a valid date <script>`)
	s.Publish(nil, list.Err())
	resp, body := get(t, "GET", base+"/")
	if resp.StatusCode != 200 || !strings.Contains(body, "<title>Good</title>") {
		t.Fatalf("last good site not served: %d", resp.StatusCode)
	}
	if !strings.Contains(body, `id="dealsite-overlay"`) || !strings.Contains(body, "content/a.md:3: error DS105: date &#34;2011-13-45&#34; is not a valid date &lt;script&gt;") {
		t.Errorf("overlay missing or unescaped:\n%s", body)
	}
	s.Publish(mustBuild(t, site("Fixed")), nil)
	_, body = get(t, "GET", base+"/")
	if strings.Contains(body, "dealsite-overlay") || !strings.Contains(body, "<title>Fixed</title>") {
		t.Errorf("overlay not cleared by a good build")
	}
}

// readEvent reads one SSE event (type and data) with a deadline.
func readEvent(t *testing.T, r *bufio.Reader) (string, string) {
	t.Helper()
	type ev struct{ typ, data string }
	done := make(chan ev, 1)
	go func() {
		var e ev
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				done <- e
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case strings.HasPrefix(line, "event: "):
				e.typ = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				e.data = strings.TrimPrefix(line, "data: ")
			case line == "" && e.typ != "":
				done <- e
				return
			}
		}
	}()
	select {
	case e := <-done:
		return e.typ, e.data
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10s")
		return "", ""
	}
}

func TestEventsOnePerBuild(t *testing.T) {
	s, base := start(t)
	s.Publish(mustBuild(t, site("One")), nil)
	resp, err := http.Get(base + "/__dealsite/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
	r := bufio.NewReader(resp.Body)
	if typ, data := readEvent(t, r); typ != "hello" || !strings.Contains(data, `"id":1`) {
		t.Fatalf("first event %s %s", typ, data)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.Clients() != 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}

	s.Publish(mustBuild(t, site("Two")), nil)
	if typ, data := readEvent(t, r); typ != "reload" || data != `{"type":"reload","id":2}` {
		t.Errorf("after a page change: %s %s", typ, data)
	}
	css := site("Two")
	css["static/x.css"] = &fstest.MapFile{Data: []byte("body{color:red}")}
	s.Publish(mustBuild(t, css), nil)
	if typ, data := readEvent(t, r); typ != "reload" || data != `{"type":"reload","id":3,"cssOnly":true}` {
		t.Errorf("after a CSS change: %s %s", typ, data)
	}
	s.Publish(nil, errors.New("layouts/base.html:1: boom"))
	if typ, data := readEvent(t, r); typ != "errors" || !strings.Contains(data, "boom") {
		t.Errorf("after a failed build: %s %s", typ, data)
	}
}

func TestClosedStreamsAreRemoved(t *testing.T) {
	s, base := start(t)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/__dealsite/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	readEvent(t, bufio.NewReader(resp.Body))
	cancel()
	resp.Body.Close()
	deadline := time.Now().Add(10 * time.Second)
	for s.Clients() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d clients still registered", s.Clients())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// readToEnd reads a stream's remaining body and returns what ended it:
// io.EOF when the server finished the response.
func readToEnd(t *testing.T, r io.Reader) error {
	t.Helper()
	ended := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, r)
		if err == nil {
			err = io.EOF
		}
		ended <- err
	}()
	select {
	case err := <-ended:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("the stream is still open after 10s")
		return nil
	}
}

// Close ends open streams properly, so that an http.Server's Shutdown
// does not wait for them, and streams opened later end after their
// first event.
func TestCloseEndsStreams(t *testing.T) {
	s, base := start(t)
	s.Publish(mustBuild(t, site("One")), nil)
	open := openStream(t, base)
	s.Close()
	if err := readToEnd(t, open); err != io.EOF {
		t.Errorf("open stream ended with %v, want a clean end", err)
	}
	if err := readToEnd(t, openStream(t, base)); err != io.EOF {
		t.Errorf("stream opened after Close ended with %v, want a clean end", err)
	}
	if resp, _ := get(t, "GET", base+"/"); resp.StatusCode != http.StatusOK {
		t.Errorf("page after Close = %d", resp.StatusCode)
	}
}

// openStream opens an event stream and reads its first event, hello.
func openStream(t *testing.T, base string) *bufio.Reader {
	t.Helper()
	resp, err := http.Get(base + "/__dealsite/events")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	r := bufio.NewReader(resp.Body)
	if typ, _ := readEvent(t, r); typ != "hello" {
		t.Fatalf("first event %q, want hello", typ)
	}
	return r
}
