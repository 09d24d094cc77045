package browsertest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealsite/dealsite/internal/corpus"
)

// TestSearchInBrowser runs search.mjs on the bundled site published
// under a sub-path (/deals/): results as one types, keyboard, axe with
// the results open, the page without JavaScript, and the search page.
func TestSearchInBrowser(t *testing.T) {
	tools := findTools(t)
	tmp := t.TempDir()
	public := filepath.Join(tmp, "public")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	baseURL := "http://" + ln.Addr().String() + "/deals/"
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	buildSite(ctx, t, tmp, public, baseURL)
	serveHandler(t, ln, http.StripPrefix("/deals", siteHandler(public)))
	runSearch(ctx, t, tools, baseURL, nil, "articles/cloud-ai-iot-cooperation/", "nokia lumia", "articles/microsoft-buys-nokia-devices/")
}

// searchQueries are the five queries of the byte budget on the
// generated corpus (and of the Pagefind comparison in bench/NOTES.md):
// a party, a party with accents typed without them, a party and a deal
// kind, a phrase of titles, and a sector.
var searchQueries = []string{"northwind", "credit lumiere", "ostfold merger", "hostile bid", "semiconductors"}

// TestSearchBudgetInBrowser measures the search's bytes and speed on the
// generated corpus of 10,000 articles (set DEALSITE_SEARCH_CORPUS to
// another size), served compressed as static hosts serve text: the
// search box on a page nobody searches from, the first query, five
// queries, and the time to results once loaded (see search.mjs).
func TestSearchBudgetInBrowser(t *testing.T) {
	tools := findTools(t)
	n := 10000
	if s := os.Getenv("DEALSITE_SEARCH_CORPUS"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil {
			t.Fatalf("DEALSITE_SEARCH_CORPUS=%q: %v", s, err)
		}
	}
	tmp := t.TempDir()
	siteDir, public := filepath.Join(tmp, "site"), filepath.Join(tmp, "public")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	baseURL := "http://" + ln.Addr().String() + "/"
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	if err := corpus.WriteDir(siteDir, n, 1); err != nil {
		t.Fatal(err)
	}
	bin := dealsiteBinary(ctx, t, tmp)
	start := time.Now()
	run(ctx, t, bin, "build", "-site", siteDir, "-out", public, "-base-url", baseURL, "-quiet")
	t.Logf("built %d articles in %v", n, time.Since(start).Round(time.Millisecond))
	serveHandler(t, ln, gzipped(siteHandler(public)))
	// The oldest event, found by its title as typed.
	title, rel := firstEvent(t, public)
	runSearch(ctx, t, tools, baseURL, []string{"DEALSITE_SEARCH_BUDGET=1"}, rel, strings.ToLower(title), rel, searchQueries...)
}

// firstEvent reads the title and page folder of the first event of
// events.ndjson.
func firstEvent(t *testing.T, public string) (title, rel string) {
	t.Helper()
	f, err := os.Open(filepath.Join(public, "events.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	if !sc.Scan() {
		t.Fatal("events.ndjson is empty")
	}
	var e struct{ Title, ID string }
	if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
		t.Fatal(err)
	}
	return e.Title, "articles/" + e.ID + "/"
}

// runSearch runs search.mjs: from page, query must list expected.
func runSearch(ctx context.Context, t *testing.T, tools toolSet, baseURL string, env []string, page, query, expected string, more ...string) {
	t.Helper()
	args := append([]string{"search.mjs", baseURL, page, query, expected}, more...)
	cmd := exec.CommandContext(ctx, tools.node, args...)
	cmd.Env = append(append(os.Environ(), "DEALSITE_CHROMIUM="+tools.chromium), env...)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	t.Logf("node search.mjs:\n%s", out)
	if ctx.Err() != nil {
		t.Fatalf("the search checks did not finish within %v", budget)
	}
	if err != nil {
		t.Fatalf("search checks failed (%v); see the output above and browsertest/artifacts/search/", err)
	}
}

// dealsiteBinary builds the dealsite command, or takes DEALSITE_BIN.
func dealsiteBinary(ctx context.Context, t *testing.T, tmp string) string {
	t.Helper()
	if bin := os.Getenv("DEALSITE_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(tmp, "dealsite")
	run(ctx, t, goTool(), "build", "-o", bin, "../cmd/dealsite")
	return bin
}

// serveHandler serves h on ln until the test ends.
func serveHandler(t *testing.T, ln net.Listener, h http.Handler) {
	t.Helper()
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() {
		shutdown, stop := context.WithTimeout(context.Background(), 5*time.Second)
		defer stop()
		srv.Shutdown(shutdown)
	})
}

// gzipped compresses text responses for clients that accept it, as
// static hosts (GitHub Pages, Netlify, Cloudflare Pages) do.
func gzipped(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h.ServeHTTP(w, r)
			return
		}
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("Vary", "Accept-Encoding")
		w.WriteHeader(rec.status)
		zw := gzip.NewWriter(w)
		zw.Write(rec.body.Bytes())
		zw.Close()
	})
}

type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(status int)      { r.status = status }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
