package main_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// proc is a running dealsite watch or serve whose output lines are
// collected as they arrive.
type proc struct {
	t    testing.TB
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  []string // stdout and stderr lines, in arrival order
	done chan error
}

func startProc(t testing.TB, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, cmd: exec.Command(dealsiteBin, args...), done: make(chan error, 1)}
	stdout, _ := p.cmd.StdoutPipe()
	stderr, _ := p.cmd.StderrPipe()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, r := range []io.Reader{stdout, stderr} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := bufio.NewScanner(r)
			for s.Scan() {
				p.mu.Lock()
				p.out = append(p.out, s.Text())
				p.mu.Unlock()
			}
		}()
	}
	go func() { wg.Wait(); p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
		}
	})
	return p
}

// count is how many output lines match re.
func (p *proc) count(re *regexp.Regexp) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, l := range p.out {
		if re.MatchString(l) {
			n++
		}
	}
	return n
}

// waitFor waits (generously) until cond holds.
func (p *proc) waitFor(what string, cond func() bool) {
	p.t.Helper()
	p.waitForWithin(what, 15*time.Second, cond)
}

// waitForWithin waits until cond holds, failing the test after d.
func (p *proc) waitForWithin(what string, d time.Duration, cond func() bool) {
	p.t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			p.mu.Lock()
			defer p.mu.Unlock()
			p.t.Fatalf("timed out waiting for %s; output:\n%s", what, strings.Join(p.out, "\n"))
		}
		time.Sleep(2 * time.Millisecond) // fine-grained: the latency benchmark reads it
	}
}

// waitLines waits until at least n lines match re.
func (p *proc) waitLines(re *regexp.Regexp, n int) {
	p.t.Helper()
	p.waitLinesWithin(re, n, 15*time.Second)
}

// waitLinesWithin waits until at least n lines match re, failing the test
// after d.
func (p *proc) waitLinesWithin(re *regexp.Regexp, n int, d time.Duration) {
	p.t.Helper()
	p.waitForWithin(fmt.Sprintf("%d lines matching %s", n, re), d, func() bool { return p.count(re) >= n })
}

// stop sends SIGINT and expects a clean exit 0.
func (p *proc) stop() {
	p.t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-p.done:
		if err != nil {
			p.t.Errorf("exit after SIGINT: %v", err)
		}
	case <-time.After(15 * time.Second):
		p.t.Fatal("no exit within 15s of SIGINT")
	}
}

var builtLine = regexp.MustCompile(`^Built \d+ pages`)

func fileContains(path, s string) func() bool {
	return func() bool {
		b, err := os.ReadFile(path)
		return err == nil && strings.Contains(string(b), s)
	}
}

func TestWatchRebuildsOnEveryKindOfChange(t *testing.T) {
	site := newSite(t, smallSite())
	out := filepath.Join(t.TempDir(), "public")
	p := startProc(t, "watch", "-site", site, "-out", out)
	p.waitLines(builtLine, 1)
	p.waitLines(regexp.MustCompile(`^Watching`), 1)
	write := func(rel, data string) {
		t.Helper()
		full := filepath.Join(site, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	article := func(title string) string {
		return "---\ntitle: \"" + title + "\"\ndate: 2012-06-01\ntags: [Fresh]\n---\nBody of " + title + ".\n"
	}

	write("content/new.md", article("Created event"))
	p.waitFor("a new article page", fileContains(filepath.Join(out, "index.html"), "Created event"))

	write("content/new.md", article("Edited event"))
	p.waitFor("the edit", fileContains(filepath.Join(out, "articles/new/index.html"), "Edited event"))

	os.Rename(filepath.Join(site, "content/new.md"), filepath.Join(site, "content/renamed.md"))
	p.waitFor("the rename", func() bool {
		return exists(filepath.Join(out, "articles/renamed/index.html")) && !exists(filepath.Join(out, "articles/new"))
	})

	os.MkdirAll(filepath.Join(site, "content/a/b/c"), 0o755)
	write("content/a/b/c/deep.md", article("Deep event"))
	p.waitFor("a file in new nested folders", fileContains(filepath.Join(out, "index.html"), "Deep event"))

	// vim: 4913 probe, backup by rename, new file, backup removed.
	write("content/4913", "")
	os.Remove(filepath.Join(site, "content/4913"))
	os.Rename(filepath.Join(site, "content/renamed.md"), filepath.Join(site, "content/renamed.md~"))
	write("content/renamed.md", article("Vim saved"))
	os.Remove(filepath.Join(site, "content/renamed.md~"))
	p.waitFor("the vim save", fileContains(filepath.Join(out, "articles/renamed/index.html"), "Vim saved"))

	// JetBrains safe write.
	write("content/renamed.md___jb_tmp___", article("JetBrains saved"))
	os.Rename(filepath.Join(site, "content/renamed.md"), filepath.Join(site, "content/renamed.md___jb_old___"))
	os.Rename(filepath.Join(site, "content/renamed.md___jb_tmp___"), filepath.Join(site, "content/renamed.md"))
	os.Remove(filepath.Join(site, "content/renamed.md___jb_old___"))
	p.waitFor("the JetBrains save", fileContains(filepath.Join(out, "articles/renamed/index.html"), "JetBrains saved"))

	write("layouts/404.html", `{{template "base" .}}{{define "main"}}<h1>Custom 404</h1>{{end}}`)
	p.waitFor("the layout change", fileContains(filepath.Join(out, "404.html"), "Custom 404"))
	write("static/extra.txt", "static file")
	p.waitFor("the static file", fileContains(filepath.Join(out, "extra.txt"), "static file"))

	os.Remove(filepath.Join(site, "content/renamed.md"))
	p.waitFor("the deletion", func() bool {
		b, _ := os.ReadFile(filepath.Join(out, "sitemap.xml"))
		return !exists(filepath.Join(out, "articles/renamed")) && !strings.Contains(string(b), "renamed")
	})
	p.stop()
}

// The README allows a link to an article file anywhere in the site
// folder: an edit to its target is an edit to the article.
func TestWatchFollowsArticleLinksOutOfContent(t *testing.T) {
	files := smallSite()
	files["shared/linked.md"] = "---\ntitle: \"Linked event\"\ndate: 2012-06-01\n---\nx\n"
	site := newSite(t, files)
	if err := os.Symlink("../shared/linked.md", filepath.Join(site, "content", "linked.md")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	p := startProc(t, "watch", "-site", site, "-out", out)
	p.waitLines(regexp.MustCompile(`^Watching`), 1)
	page := filepath.Join(out, "articles/linked/index.html")
	if !fileContains(page, "Linked event")() {
		t.Fatal("the linked article is not built")
	}
	edited := strings.Replace(files["shared/linked.md"], "Linked event", "Edited through the link", 1)
	if err := os.WriteFile(filepath.Join(site, "shared", "linked.md"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	p.waitLines(regexp.MustCompile(`: changed content/linked\.md$`), 1)
	p.waitFor("the edit behind the link", fileContains(page, "Edited through the link"))
	p.stop()
}

func TestWatchKeepsLastGoodOutputAndRecovers(t *testing.T) {
	site := newSite(t, smallSite())
	out := filepath.Join(t.TempDir(), "public")
	p := startProc(t, "watch", "-site", site, "-out", out)
	p.waitLines(regexp.MustCompile(`^Watching`), 1)
	before := snapshot(t, out)
	bad := "---\ntitle: Broken\ndate: 2011-13-45\n---\nx\n"
	os.WriteFile(filepath.Join(site, "content/broken.md"), []byte(bad), 0o644)
	p.waitLines(regexp.MustCompile(`^content/broken\.md:3:1: error DS105: date "2011-13-45" is not a valid date`), 1)
	if d := diffSnapshots(before, snapshot(t, out)); d != "" {
		t.Errorf("a failed rebuild changed the output:\n%s", d)
	}
	os.WriteFile(filepath.Join(site, "content/broken.md"), []byte(strings.Replace(bad, "2011-13-45", "2011-12-05", 1)), 0o644)
	p.waitFor("the fixed article", func() bool { return exists(filepath.Join(out, "articles/broken/index.html")) })
	p.stop()
}

func TestWatchBurstGivesOneRebuild(t *testing.T) {
	for _, mode := range []struct {
		name string
		args []string
	}{{"fsnotify", nil}, {"poll", []string{"-poll", "100ms"}}} {
		t.Run(mode.name, func(t *testing.T) {
			site := newSite(t, smallSite())
			out := filepath.Join(t.TempDir(), "public")
			p := startProc(t, append([]string{"watch", "-site", site, "-out", out}, mode.args...)...)
			p.waitLines(regexp.MustCompile(`^Watching`), 1)
			// A checkout-like burst: many files written into one folder at once.
			dir := filepath.Join(site, "content", "burst")
			os.MkdirAll(dir, 0o755)
			var stalled time.Duration // the longest pause between two writes
			last := time.Now()
			for i := range 500 {
				body := fmt.Sprintf("---\ntitle: \"Burst %03d\"\ndate: 2015-01-01\n---\nx\n", i)
				os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d.md", i)), []byte(body), 0o644)
				stalled, last = max(stalled, time.Since(last)), time.Now()
			}
			if stalled >= 100*time.Millisecond {
				// A writer paused for longer than the quiet period (a
				// machine busy with other work) is two bursts to any
				// watcher: nothing to judge here.
				p.stop()
				t.Skipf("the test paused %v between two writes, as long as the quiet period", stalled)
			}
			p.waitLines(regexp.MustCompile(`^\d\d:\d\d:\d\d: 500 files changed$`), 1)
			p.waitLines(builtLine, 2)
			time.Sleep(time.Second) // a bounded check that no second rebuild follows
			if n := p.count(builtLine); n != 2 {
				t.Errorf("%d builds for the start and one burst, want 2", n)
			}
			p.stop()
		})
	}
}

// batchLine is the line watch prints for each batch it rebuilds.
var batchLine = regexp.MustCompile(`^\d\d:\d\d:\d\d: `)

// A save that changes no byte (touch, chmod, an editor writing the same
// text, in content/, layouts/ or static/) rebuilds nothing. A real edit
// saved after them is the barrier: the watcher sees events in order, so
// once that edit's rebuild is done, a batch for any of the no-op saves
// would have been printed before it or with it.
func TestWatchNoOpSaveRebuildsNothing(t *testing.T) {
	for _, mode := range []struct {
		name string
		args []string
	}{{"fsnotify", nil}, {"poll", []string{"-poll", "100ms"}}} {
		t.Run(mode.name, func(t *testing.T) {
			files := smallSite()
			files["layouts/404.html"] = `{{template "base" .}}{{define "main"}}<h1>Lost</h1>{{end}}`
			files["static/extra.txt"] = "static file\n"
			site := newSite(t, files)
			out := filepath.Join(t.TempDir(), "public")
			p := startProc(t, append([]string{"watch", "-site", site, "-out", out}, mode.args...)...)
			p.waitLines(regexp.MustCompile(`^Watching`), 1)
			later := time.Now().Add(time.Hour)
			for _, rel := range []string{"content/2011-02-11-alpha.md", "content/_index.md", "layouts/404.html", "static/extra.txt"} {
				full := filepath.Join(site, filepath.FromSlash(rel))
				if err := os.Chtimes(full, later, later); err != nil { // touch
					t.Fatal(err)
				}
				if err := os.WriteFile(full, []byte(files[rel]), 0o644); err != nil { // saved unchanged
					t.Fatal(err)
				}
			}
			if err := os.Chmod(filepath.Join(site, "content/2013/2013-09-03-beta.md"), 0o600); err != nil {
				t.Fatal(err)
			}
			barrier := "---\ntitle: \"Barrier\"\ndate: 2015-01-01\n---\nx\n"
			if err := os.WriteFile(filepath.Join(site, "content/barrier.md"), []byte(barrier), 0o644); err != nil {
				t.Fatal(err)
			}
			p.waitLines(builtLine, 2)
			p.waitFor("the barrier's page", func() bool { return exists(filepath.Join(out, "articles/barrier/index.html")) })
			p.mu.Lock()
			var batches []string
			for _, l := range p.out {
				if batchLine.MatchString(l) {
					batches = append(batches, l[len("15:04:05: "):])
				}
			}
			p.mu.Unlock()
			if !slices.Equal(batches, []string{"changed content/barrier.md"}) {
				t.Errorf("batches rebuilt: %q, want only the barrier's", batches)
			}
			p.stop()
		})
	}
}

var servingLine = regexp.MustCompile(`^Serving .* at (http://127\.0\.0\.1:\d+/)`)

func TestServeLiveReloadAndNoWrites(t *testing.T) {
	files := smallSite()
	files["content/draft.md"] = "---\ntitle: Secret draft\ndate: 2012-01-01\ndraft: true\n---\nx\n"
	site := newSite(t, files)
	p := startProc(t, "serve", "-site", site, "-addr", "127.0.0.1:0", "-drafts")
	p.waitLines(servingLine, 1)
	p.mu.Lock()
	var base string
	for _, l := range p.out {
		if m := servingLine.FindStringSubmatch(l); m != nil {
			base = m[1]
		}
	}
	p.mu.Unlock()

	get := func(path string) (int, string) {
		resp, err := http.Get(base + strings.TrimPrefix(path, "/"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, "Secret draft") || !strings.Contains(body, "/__dealsite/reload.js") {
		t.Fatalf("home = %d", code)
	}
	if code, body := get("/missing/"); code != 404 || !strings.Contains(body, "Page not found") {
		t.Errorf("miss = %d", code)
	}
	if code, body := get("/articles/draft/"); code != 200 || !strings.Contains(body, base+"articles/draft/") {
		t.Errorf("canonical URLs do not use the served address: %d", code)
	}

	events, err := http.Get(base + "__dealsite/events")
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	r := bufio.NewReader(events.Body)
	next := func() string {
		ch := make(chan string, 1)
		go func() {
			for {
				line, err := r.ReadString('\n')
				if err != nil || strings.HasPrefix(line, "event: ") {
					ch <- strings.TrimSpace(strings.TrimPrefix(line, "event: "))
					return
				}
			}
		}()
		select {
		case ev := <-ch:
			return ev
		case <-time.After(15 * time.Second):
			t.Fatal("no event within 15s")
			return ""
		}
	}
	if ev := next(); ev != "hello" {
		t.Fatalf("first event %q", ev)
	}
	os.WriteFile(filepath.Join(site, "content/draft.md"), []byte("---\ntitle: Edited draft\ndate: 2012-01-01\ndraft: true\n---\nx\n"), 0o644)
	if ev := next(); ev != "reload" {
		t.Errorf("after an edit: %q", ev)
	}
	if _, body := get("/"); !strings.Contains(body, "Edited draft") {
		t.Error("the edit is not served")
	}
	os.WriteFile(filepath.Join(site, "content/draft.md"), []byte("---\ntitle: x\ndate: nope\n---\n"), 0o644)
	if ev := next(); ev != "errors" {
		t.Errorf("after breaking a file: %q", ev)
	}
	if _, body := get("/"); !strings.Contains(body, "dealsite-overlay") || !strings.Contains(body, "Edited draft") {
		t.Error("no overlay over the last good site")
	}
	if exists(filepath.Join(site, "public")) {
		t.Error("serve wrote public/")
	}
	p.stop()
}

func TestServeRefusesOtherHosts(t *testing.T) {
	site := newSite(t, smallSite())
	p := startProc(t, "serve", "-site", site, "-addr", "127.0.0.1:0")
	p.waitLines(servingLine, 1)
	p.mu.Lock()
	base := ""
	for _, l := range p.out {
		if m := servingLine.FindStringSubmatch(l); m != nil {
			base = m[1]
		}
	}
	p.mu.Unlock()
	req, _ := http.NewRequest("GET", base, nil)
	req.Host = "attacker.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("foreign Host = %d", resp.StatusCode)
	}
	p.stop()
}

func TestNewThenBuild(t *testing.T) {
	site := newSite(t, smallSite())
	r := runIn(t, site, "new", "-date", "2014-04-25", "-tags", "Acquisition, Closing", "-parties", "Microsoft,Nokia", `Microsoft closes the "Nokia" deal: done`)
	want := filepath.Join("content", "2014-04-25-microsoft-closes-the-nokia-deal-done.md")
	if r.code != 0 || strings.TrimSpace(r.stdout) != want {
		t.Fatalf("new = %v", r)
	}
	if again := runIn(t, site, "new", "-date", "2014-04-25", `Microsoft closes the "Nokia" deal: done`); again.code != 1 || !strings.Contains(again.stderr, "already exists") {
		t.Errorf("second new = %v", again)
	}
	if b := runIn(t, site, "build", "-drafts"); b.code != 0 {
		t.Fatalf("build after new: %v", b)
	}
	page := readFile(t, filepath.Join(site, "public/articles/microsoft-closes-the-nokia-deal-done/index.html"))
	if !strings.Contains(page, "Microsoft closes the &#34;Nokia&#34; deal: done") || !strings.Contains(page, "Closing") {
		t.Error("the new article did not build as written")
	}
	if b := runIn(t, site, "build"); b.code != 0 || exists(filepath.Join(site, "public/articles/microsoft-closes-the-nokia-deal-done")) {
		t.Errorf("the new draft was published without -drafts: %v", b)
	}
}

func TestList(t *testing.T) {
	files := smallSite()
	files["content/draft.md"] = "---\ntitle: Draft one\ndate: 2012-01-01\ndraft: true\ntags: [Partnership]\n---\nx\n"
	site := newSite(t, files)
	r := runIn(t, site, "list", "drafts")
	if r.code != 0 || !strings.Contains(r.stdout, "DATE") || !strings.Contains(r.stdout, "Draft one") || strings.Contains(r.stdout, "Alpha") {
		t.Errorf("list drafts = %v", r)
	}
	r = runIn(t, site, "list", "-format", "json", "tags")
	if r.code != 0 || !strings.Contains(r.stdout, `{"drafts":1,"name":"Partnership","published":1,"slug":"partnership"}`) {
		t.Errorf("list tags json = %v", r)
	}
	if r := runIn(t, site, "list", "nonsense"); r.code != 2 {
		t.Errorf("list nonsense = %v", r)
	}
}

func TestVersion(t *testing.T) {
	r := runIn(t, t.TempDir(), "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "dealsite ") || !strings.Contains(r.stdout, "go1.") {
		t.Errorf("version = %v", r)
	}
}

func TestDiagnosticFormats(t *testing.T) {
	files := smallSite()
	files["content/bad.md"] = "---\ntitle: Bad\ndate: 2011-02-11\ntittle: x\n---\n"
	site := newSite(t, files)
	out := filepath.Join(t.TempDir(), "out")
	text := runIn(t, site, "build", "-out", out)
	if text.code != 1 || text.stderr != "content/bad.md:4:1: error DS101: unknown front-matter field \"tittle\" (did you mean \"title\"?)\nbuild failed: 1 error; the output folder was not changed\n" {
		t.Errorf("text:\n%s", text)
	}
	jsonRun := runIn(t, site, "build", "-out", out, "-format", "json")
	wantJSON := `{"code":"DS101","severity":"error","path":"content/bad.md","line":4,"col":1,"message":"unknown front-matter field \"tittle\" (did you mean \"title\"?)","hint":"Fix the spelling (the message suggests the closest field) or remove the field."}` + "\n"
	if jsonRun.code != 1 || jsonRun.stderr != wantJSON {
		t.Errorf("json:\n%s", jsonRun)
	}
	gh := runEnv(t, site, []string{"GITHUB_ACTIONS=true"}, "build", "-out", out)
	if gh.code != 1 || !strings.HasPrefix(gh.stderr, "::error file=content/bad.md,line=4,col=1,title=DS101::unknown front-matter field") {
		t.Errorf("github (automatic in Actions):\n%s", gh)
	}
	if r := runIn(t, site, "build", "-out", out, "-format", "xml"); r.code != 2 {
		t.Errorf("unknown format: %s", r)
	}
}

func TestVerboseTimings(t *testing.T) {
	site := newSite(t, smallSite())
	r := runIn(t, site, "build", "-v", "-out", filepath.Join(t.TempDir(), "out"))
	for _, phase := range []string{"templates", "load", "model", "plan", "static", "render", "write"} {
		if !regexp.MustCompile(`(?m)^  ` + phase + ` +\d`).MatchString(r.stdout) {
			t.Errorf("no %s timing in:\n%s", phase, r.stdout)
		}
	}
	if q := runIn(t, site, "build", "-quiet", "-out", filepath.Join(t.TempDir(), "out")); q.stdout != "" || q.stderr != "" {
		t.Errorf("-quiet printed:\n%s", q)
	}
}

func TestCheck(t *testing.T) {
	clean := newSite(t, smallSite())
	if r := runIn(t, clean, "check"); r.code != 0 || !strings.HasPrefix(r.stdout, "Checked ") || exists(filepath.Join(clean, "public")) {
		t.Errorf("clean site: %s (and public/ must not be written)", r)
	}
	files := smallSite()
	files["content/broken.md"] = "---\ntitle: Broken links\ndate: 2012-01-01\ntags: [partnership!]\n---\n[gone](/articles/nope/) and [anchor](#nowhere).\n"
	site := newSite(t, files)
	r := runIn(t, site, "check", "-format", "json")
	if r.code != 1 || !strings.Contains(r.stderr, `"code":"DS501"`) || !strings.Contains(r.stderr, `"code":"DS502"`) || !strings.Contains(r.stderr, `"code":"DS506"`) {
		t.Errorf("broken site: %s", r)
	}
	warnOnly := smallSite()
	warnOnly["content/dup.md"] = "---\ntitle: Partnership!\ndate: 2012-01-01\ntags: [Windows-Phone]\n---\nx\n"
	site = newSite(t, warnOnly)
	if r := runIn(t, site, "check"); r.code != 0 || !strings.Contains(r.stderr, "warning DS506") {
		t.Errorf("warnings alone: %s", r)
	}
	if r := runIn(t, site, "check", "-strict"); r.code != 1 {
		t.Errorf("-strict with warnings: %s", r)
	}
}

func TestBundledSiteChecksClean(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, base := range []string{"", "https://example.org/deals/"} {
		args := []string{"check", "-site", repo, "-strict"}
		if base != "" {
			args = append(args, "-base-url", base)
		}
		if r := runIn(t, t.TempDir(), args...); r.code != 0 {
			t.Errorf("bundled site (%q): %s", base, r)
		}
	}
}
