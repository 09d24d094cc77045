package browsertest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/dealsite/dealsite/internal/outdir"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/corpus"
	"github.com/dealsite/dealsite/internal/site"
	"github.com/dealsite/dealsite/layouts"
	"github.com/dealsite/dealsite/static"
)

// mandatory is the variable that turns a missing tool from a skip into a
// failure. CI sets it.
const mandatory = "DEALSITE_BROWSER_TESTS"

// budget bounds the whole run, as a guard against a hang; it normally
// takes well under a minute alone, but CI runs it beside every other
// package's tests under -race on two cores.
const budget = 6 * time.Minute

func TestBrowser(t *testing.T) {
	tools := findTools(t)

	tmp := t.TempDir()
	public := filepath.Join(tmp, "public")

	// Listen first: the base URL must carry the port.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	baseURL := "http://" + ln.Addr().String() + "/"

	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()

	buildSite(ctx, t, tmp, public, baseURL)
	pages := pickPages(t, public)
	serveSite(t, ln, public)
	runChecks(ctx, t, tools, baseURL, pages)
	// TimelineJS draws the bundled timeline.json and shows the media of
	// its event with a lead picture (an SVG).
	cmd := exec.CommandContext(ctx, tools.node, "timelinejs.mjs", baseURL)
	cmd.Env = append(os.Environ(), "DEALSITE_CHROMIUM="+tools.chromium)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	t.Logf("node timelinejs.mjs:\n%s", out)
	if err != nil {
		t.Errorf("TimelineJS does not accept the bundled timeline.json (%v)", err)
	}
}

// TestBrowserPagedSite runs the same checks on a generated site built
// with small page limits, as the default limits page a history of tens
// of thousands of events: the timeline with only the newest events and
// its year index, and a later page of a tag, a year and a party. Its
// filters must lead to the tag pages. TimelineJS must draw its
// timeline.json (the newest events) and the per-year file of that page
// of the year.
func TestBrowserPagedSite(t *testing.T) {
	tools := findTools(t)
	tmp := t.TempDir()
	siteDir, public := filepath.Join(tmp, "site"), filepath.Join(tmp, "public")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	baseURL := "http://" + ln.Addr().String() + "/"
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	if err := corpus.WriteDir(siteDir, 300, 1); err != nil {
		t.Fatal(err)
	}
	opts := build.Options{
		BaseURL: baseURL, Theme: build.Theme{Layouts: layouts.FS, Static: static.FS},
		Limits: site.Limits{PageEvents: 8, HomeEvents: 30},
	}
	folder, err := outdir.Open(public, outdir.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = build.NewBuilder(build.Config{}).Run(ctx, os.DirFS(siteDir), opts, folder)
	folder.Close()
	if err != nil {
		t.Fatal(err)
	}
	pages := []page{
		{"home", "/"},
		{"tag", secondPage(t, public, "tags")},
		{"year", secondPage(t, public, "years")},
		{"party", secondPage(t, public, "parties")},
	}
	serveSite(t, ln, public)
	runChecks(ctx, t, tools, baseURL, pages, "DEALSITE_PAGED=1", "DEALSITE_ARTIFACTS="+filepath.Join("artifacts", "paged"))
	// TimelineJS draws the newest events and a later page of a year.
	for _, file := range []string{"timeline.json", strings.TrimPrefix(pages[2].path, "/years/")} {
		if file != "timeline.json" {
			year, page, _ := strings.Cut(strings.TrimSuffix(file, "/"), "/page/")
			file = "timeline/" + year + "-" + page + ".json"
		}
		cmd := exec.CommandContext(ctx, tools.node, "timelinejs.mjs", baseURL, file)
		cmd.Env = append(os.Environ(), "DEALSITE_CHROMIUM="+tools.chromium, "DEALSITE_ARTIFACTS="+filepath.Join("artifacts", "paged"))
		cmd.WaitDelay = 5 * time.Second
		out, err := cmd.CombinedOutput()
		t.Logf("node timelinejs.mjs %s:\n%s", file, out)
		if err != nil {
			t.Errorf("TimelineJS does not accept %s (%v)", file, err)
		}
	}
}

// secondPage is the second page of the longest list under dir.
func secondPage(t *testing.T, public, dir string) string {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(public, dir, "*", "page", "*"))
	best, most := "", 0
	for _, m := range matches {
		list := filepath.Dir(filepath.Dir(m))
		if n, _ := filepath.Glob(filepath.Join(list, "page", "*")); len(n) > most {
			best, most = list, len(n)
		}
	}
	if best == "" {
		t.Fatalf("the generated site has no paged %s", dir)
	}
	return "/" + dir + "/" + filepath.Base(best) + "/page/2/"
}

// runChecks runs run.mjs on pages of the site served at baseURL, with
// env added to its environment.
func runChecks(ctx context.Context, t *testing.T, tools toolSet, baseURL string, pages []page, env ...string) {
	t.Helper()
	args := []string{"run.mjs", baseURL}
	for _, p := range pages {
		args = append(args, p.name+"="+p.path)
	}
	cmd := exec.CommandContext(ctx, tools.node, args...)
	cmd.Dir = "."
	cmd.Env = append(os.Environ(),
		"DEALSITE_CHROMIUM="+tools.chromium,
		"JAVA="+tools.java,
	)
	cmd.Env = append(cmd.Env, env...)
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	err := cmd.Run()
	t.Logf("node run.mjs (%.1fs):\n%s", time.Since(start).Seconds(), out.String())
	if ctx.Err() != nil {
		t.Fatalf("the browser checks did not finish within %v", budget)
	}
	if err != nil {
		t.Fatalf("browser checks failed (%v); see the output above and the screenshots in browsertest/artifacts/", err)
	}
}

// serveSite serves the built site on ln until the test ends.
func serveSite(t *testing.T, ln net.Listener, public string) {
	t.Helper()
	srv := &http.Server{Handler: siteHandler(public), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		shutdown, stop := context.WithTimeout(context.Background(), 5*time.Second)
		defer stop()
		if err := srv.Shutdown(shutdown); err != nil {
			t.Errorf("shutting the server down: %v", err)
		}
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("server: %v", err)
		}
	})
}

type toolSet struct {
	node, chromium, java string
}

// findTools finds node, Chromium, Java and the npm packages. Without one of
// them the test skips, unless DEALSITE_BROWSER_TESTS=1 makes it mandatory.
func findTools(t *testing.T) toolSet {
	t.Helper()
	var missing []string
	var ts toolSet
	var err error
	if ts.node, err = exec.LookPath("node"); err != nil {
		missing = append(missing, "node (Node.js 20 or newer)")
	}
	ts.chromium = os.Getenv("DEALSITE_CHROMIUM")
	if ts.chromium == "" {
		ts.chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(ts.chromium); err != nil {
		missing = append(missing, ts.chromium+" (apt-get install chromium, or set DEALSITE_CHROMIUM)")
	}
	if ts.java, err = exec.LookPath("java"); err != nil {
		missing = append(missing, "java (apt-get install default-jre-headless)")
	}
	for _, dep := range []string{"playwright-core", "axe-core", "vnu-jar", "@knight-lab/timelinejs"} {
		if _, err := os.Stat(filepath.Join("node_modules", dep, "package.json")); err != nil {
			missing = append(missing, "browsertest/node_modules/"+dep+" (run npm ci in browsertest/)")
		}
	}
	if len(missing) == 0 {
		return ts
	}
	msg := "browser tests need: " + strings.Join(missing, "; ")
	if os.Getenv(mandatory) == "1" {
		t.Fatalf("%s (%s=1 makes them mandatory)", msg, mandatory)
	}
	t.Skipf("%s; skipping (set %s=1 to make this a failure)", msg, mandatory)
	return ts
}

// buildSite builds the bundled site (the repository root) into public.
// DEALSITE_BIN names a dealsite binary to use instead of building one.
func buildSite(ctx context.Context, t *testing.T, tmp, public, baseURL string) {
	t.Helper()
	bin := os.Getenv("DEALSITE_BIN")
	if bin == "" {
		bin = filepath.Join(tmp, "dealsite")
		if runtime.GOOS == "windows" {
			bin += ".exe"
		}
		run(ctx, t, goTool(), "build", "-o", bin, "../cmd/dealsite")
	}
	run(ctx, t, bin, "build", "-site", "..", "-out", public, "-base-url", baseURL, "-quiet")
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

func run(ctx context.Context, t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := exec.CommandContext(ctx, name, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
}

type page struct{ name, path string }

// pickPages chooses one page of each type from the built site: for
// articles, tags, years and parties the largest page, which has the most
// to lay out.
func pickPages(t *testing.T, public string) []page {
	t.Helper()
	pages := []page{{"home", "/"}}
	largest := func(dir string) string {
		matches, _ := filepath.Glob(filepath.Join(public, dir, "*", "index.html"))
		sort.Strings(matches)
		best, size := "", int64(-1)
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && fi.Size() > size {
				best, size = m, fi.Size()
			}
		}
		if best == "" {
			t.Fatalf("the built site has no %s/*/index.html", dir)
		}
		return "/" + dir + "/" + filepath.Base(filepath.Dir(best)) + "/"
	}
	pages = append(pages,
		page{"article", largest("articles")},
		page{"tag", largest("tags")},
		page{"tags", "/tags/"},
		page{"year", largest("years")},
		page{"years", "/years/"},
		page{"party", largest("parties")},
		page{"parties", "/parties/"},
		page{"search", "/search/"},
		page{"404", "/no-such-page-for-browsertest/"},
	)
	for _, p := range pages[1:] {
		if p.name == "404" {
			continue
		}
		if _, err := os.Stat(filepath.Join(public, filepath.FromSlash(p.path), "index.html")); err != nil {
			t.Fatalf("the built site has no %s page: %v", p.name, err)
		}
	}
	return pages
}

// siteHandler serves the built site as a static host would: files and
// folder index pages, and 404.html with status 404 for anything else.
func siteHandler(public string) http.Handler {
	files := http.FileServer(http.Dir(public))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Clean("/" + r.URL.Path)
		full := filepath.Join(public, filepath.FromSlash(name))
		fi, err := os.Stat(full)
		if err == nil && fi.IsDir() {
			fi, err = os.Stat(filepath.Join(full, "index.html"))
		}
		if err != nil || strings.HasPrefix(path.Base(name), ".") {
			notFound(w, public)
			return
		}
		files.ServeHTTP(w, r)
	})
}

func notFound(w http.ResponseWriter, public string) {
	body, err := os.ReadFile(filepath.Join(public, "404.html"))
	if err != nil {
		http.Error(w, fmt.Sprintf("no 404.html: %v", err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write(body)
}

// TestLiveReloadInBrowser runs `dealsite serve` on a copy of the bundled
// site and has Chromium (browsertest/live.mjs) edit, break and fix an
// article while its page is open.
func TestLiveReloadInBrowser(t *testing.T) {
	tools := findTools(t)
	tmp := t.TempDir()
	site := filepath.Join(tmp, "site")
	if err := os.CopyFS(filepath.Join(site, "content"), os.DirFS("../content")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	bin := os.Getenv("DEALSITE_BIN")
	if bin == "" {
		bin = filepath.Join(tmp, "dealsite")
		run(ctx, t, goTool(), "build", "-o", bin, "../cmd/dealsite")
	}
	serve := exec.CommandContext(ctx, bin, "serve", "-site", site, "-addr", "127.0.0.1:0")
	stdout, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	serve.Stderr = os.Stderr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { serve.Process.Signal(os.Interrupt); serve.Wait() }()
	url := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			if i := strings.Index(s.Text(), "http://127.0.0.1:"); i >= 0 {
				url <- strings.Fields(s.Text()[i:])[0]
			}
		}
	}()
	var base string
	select {
	case base = <-url:
	case <-time.After(30 * time.Second):
		t.Fatal("dealsite serve printed no address")
	}
	cmd := exec.CommandContext(ctx, tools.node, "live.mjs", base, site,
		"content/2013-09-03-microsoft-buys-nokia-devices.md", "articles/microsoft-buys-nokia-devices/")
	cmd.Env = append(os.Environ(), "DEALSITE_CHROMIUM="+tools.chromium)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	t.Logf("node live.mjs:\n%s", out)
	if err != nil {
		t.Fatalf("live reload checks failed: %v", err)
	}
}
