// End-to-end tests: every test runs the real dealsite binary, built once in
// TestMain, on a small site written to a temporary folder, and checks the
// exit code, stdout, stderr and the files on disk.
package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"image"
	"image/png"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// dealsiteBin is the path of the binary under test.
var dealsiteBin string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "dealsite-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: ", err)
		return 1
	}
	defer os.RemoveAll(dir)
	// Runs of the binary and of run() keep their pictures and cards in
	// a cache of the test's, not the user's.
	os.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	dealsiteBin = filepath.Join(dir, "dealsite")
	goTool := "go"
	if p, err := exec.LookPath("go"); err == nil {
		goTool = p
	}
	build := exec.Command(goTool, "build", "-o", dealsiteBin, "github.com/dealsite/dealsite/cmd/dealsite")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: building dealsite: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// result is what one run of the binary did.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// runIn runs dealsite with args in the working directory dir.
func runIn(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return runEnv(t, dir, nil, args...)
}

// runDeadline bounds one dealsite command of a test. It is generous:
// CI runs the tests with -race on a busy 2-core machine, where a build
// of TestInterruptedBuildLeavesOutputIntact's 2,000 articles took over
// 30 seconds.
const runDeadline = 5 * time.Minute

func runEnv(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), runDeadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, dealsiteBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		// Killed: its exit code would read -1, with no word of why.
		t.Fatalf("dealsite %s did not finish within %s", strings.Join(args, " "), runDeadline)
	}
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		r.code = exitErr.ExitCode()
	default:
		t.Fatalf("running dealsite %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// build runs "dealsite build -site site -out out args..." and fails the
// test unless it succeeds.
func build(t *testing.T, site, out string, args ...string) result {
	t.Helper()
	r := runIn(t, site, append([]string{"build", "-site", site, "-out", out}, args...)...)
	if r.code != 0 {
		t.Fatalf("dealsite build failed:\n%s", r)
	}
	if r.stderr != "" {
		t.Errorf("successful build wrote to stderr:\n%s", r.stderr)
	}
	return r
}

// buildFails runs a build expected to fail with exit code 1 and returns
// its stderr lines.
func buildFails(t *testing.T, site, out string, args ...string) []string {
	t.Helper()
	r := runIn(t, site, append([]string{"build", "-site", site, "-out", out}, args...)...)
	if r.code != 1 {
		t.Fatalf("want exit 1, got:\n%s", r)
	}
	if r.stdout != "" {
		t.Errorf("failed build wrote to stdout:\n%s", r.stdout)
	}
	return plainDiagnostics(strings.Split(strings.TrimRight(r.stderr, "\n"), "\n"))
}

// codeAndColumn is what the text format adds to "path:line: message":
// a column and "error DSnnn". These tests check places and messages; the
// codes and columns have tests of their own (TestDiagnosticFormats and
// the content package's tests).
var codeAndColumn = regexp.MustCompile(`^([^ ]*?:\d+)(?::\d+)?: (?:error|warning) DS\d{3}: |^([^ :]+): (?:error|warning) DS\d{3}: `)

// plainDiagnostics turns "path:line:col: error DSnnn: message" lines into
// "path:line: message".
func plainDiagnostics(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = codeAndColumn.ReplaceAllString(l, "$1$2: ")
	}
	return out
}

// lines joins its arguments into a file, one a line.
func lines(l ...string) string { return strings.Join(l, "\n") + "\n" }

// writeFiles writes files (slash path relative to dir → content) into dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// newSite writes files into a new folder under t.TempDir() and returns it.
func newSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	writeFiles(t, dir, files)
	return dir
}

const indexMD = `---
title: "Test deals"
description: "A test deal history"
base_url: "https://example.org/"
language: "en"
author: "Test editors"
---
Welcome to the test timeline.
`

// smallSite is a site of three articles (one in a subfolder, one with a
// front-matter slug) and three tags, plus editor leftovers that must be
// ignored (they would fail the build if they were read).
func smallSite() map[string]string {
	return map[string]string{
		"content/_index.md": indexMD,
		"content/2011-02-11-alpha.md": lines(
			"---",
			`title: "Alpha partnership"`,
			"date: 2011-02-11",
			`tags: ["Partnership", "Windows Phone"]`,
			`parties: ["Nokia", "Microsoft"]`,
			`value: "undisclosed"`,
			"sources:",
			`  - title: "Press release"`,
			`    url: "https://news.example.com/alpha"`,
			`    publisher: "Example News"`,
			"    date: 2011-02-11",
			"---",
			"Alpha is the first event.",
			"",
			"## Terms",
			"",
			"The terms of the alpha deal.",
		),
		"content/2013/2013-09-03-beta.md": lines(
			"---",
			`title: "Beta acquisition"`,
			"date: 2013-09-03",
			`tags: ["Acquisition", "windows phone"]`,
			"---",
			"Beta follows [the alpha deal](../2011-02-11-alpha.md#terms).",
		),
		"content/gamma.md": lines(
			"---",
			`title: "Gamma"`,
			"date: 2013",
			"slug: gamma-deal",
			`tags: ["Acquisition"]`,
			"---",
			"Gamma happened some time in 2013.",
		),
		// Ignored names: each would be an error if it were read.
		"content/.hidden.md":        "not front matter\n",
		"content/_notes.md":         "not front matter\n",
		"content/alpha.md~":         "not front matter\n",
		"content/alpha.md.swp":      "not front matter\n",
		"content/#alpha.md#":        "not front matter\n",
		"content/_drafts/x.md":      "not front matter\n",
		"content/.git/objects/x.md": "not front matter\n",
		"content/notes.txt":         "not markdown\n",
	}
}

// smallSitePages are the files a build of smallSite produces (README,
// "What the output folder gets").
var smallSitePages = []string{
	"404.html",
	"articles/alpha/index.html",
	"articles/beta/index.html",
	"articles/gamma-deal/index.html",
	// The social cards: the site's and each article's.
	"card.png", "cards/alpha.png", "cards/beta.png", "cards/gamma-deal.png",
	"css/style.css",
	"events.ndjson",
	"favicon.svg",
	"feed.xml",
	"index.html",
	"js/filter.js",
	"js/search-box.js",
	"js/search.js",
	"parties/index.html",
	"parties/microsoft/index.html",
	"parties/nokia/index.html",
	"robots.txt",
	"search/d/0.json",
	"search/index.html",
	"search/index.json",
	// The search index: the order of each year's documents, and a shard
	// for each two-letter start of a word.
	"search/o/2011.json", "search/o/2013.json",
	"search/t/3230.json", "search/t/6163.json", "search/t/616c.json", "search/t/6265.json", "search/t/6465.json", "search/t/6576.json",
	"search/t/6669.json", "search/t/666f.json", "search/t/6761.json", "search/t/6861.json", "search/t/696e.json", "search/t/6973.json",
	"search/t/6d69.json", "search/t/6e6f.json", "search/t/6f66.json", "search/t/7061.json", "search/t/7068.json", "search/t/736f.json",
	"search/t/7461.json", "search/t/7465.json", "search/t/7468.json", "search/t/7469.json", "search/t/756e.json", "search/t/7769.json",
	"search/t/7965.json",
	"sitemap.xml",
	"tags/acquisition/feed.xml",
	"tags/acquisition/index.html",
	"tags/index.html",
	"tags/partnership/feed.xml",
	"tags/partnership/index.html",
	"tags/windows-phone/feed.xml",
	"tags/windows-phone/index.html",
	"timeline.json",
	"years/2011/index.html",
	"years/2013/index.html",
	"years/index.html",
}

// countHTML counts the .html files in a list.
func countHTML(files []string) int {
	n := 0
	for _, p := range files {
		if strings.HasSuffix(p, ".html") {
			n++
		}
	}
	return n
}

// summaryLine matches the one line a successful build prints.
var summaryLine = regexp.MustCompile(`^Built (\d+) pages \((\d+) articles, (\d+) tags\) and (\d+) static files into (.+) in \S+: (\d+) written, (\d+) unchanged, (\d+) removed\.\n$`)

type summary struct {
	pages, articles, tags, static, written, unchanged, removed int
	out                                                        string
}

func parseSummary(t *testing.T, stdout string) summary {
	t.Helper()
	// The summary table comes first; the closing line has the counts.
	lines := strings.SplitAfter(strings.TrimSuffix(stdout, "\n"), "\n")
	m := summaryLine.FindStringSubmatch(lines[len(lines)-1] + "\n")
	if m == nil || !strings.HasPrefix(stdout, "  ") {
		t.Fatalf("stdout is not a summary table and line:\n%q", stdout)
	}
	n := func(i int) int {
		var v int
		fmt.Sscan(m[i], &v)
		return v
	}
	return summary{pages: n(1), articles: n(2), tags: n(3), static: n(4), out: m[5], written: n(6), unchanged: n(7), removed: n(8)}
}

// fileState is one file of a tree, with what Write must not change.
type fileState struct {
	data  []byte
	mtime time.Time
	link  string // symlink target
}

// snapshot reads every file under dir (symlinks are recorded, not followed).
func snapshot(t *testing.T, dir string) map[string]fileState {
	t.Helper()
	files := map[string]fileState{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			files[rel] = fileState{link: target, mtime: info.ModTime()}
		case d.IsDir():
			if rel != "." {
				files[rel+"/"] = fileState{}
			}
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files[rel] = fileState{data: b, mtime: info.ModTime()}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// lockFile is the file Write keeps in the output folder to make
// concurrent builds wait; it is not build output.
const lockFile = ".dealsite-lock"

// fileList lists the regular files in a snapshot, but the lock file and
// the manifest, which are not build output.
func fileList(s map[string]fileState) []string {
	var out []string
	for p, f := range s {
		if !strings.HasSuffix(p, "/") && f.link == "" && p != lockFile && p != manifestFile {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// oldTime is set on output files so a rewrite shows whatever the file
// system's timestamp granularity.
var oldTime = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

func ageFiles(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chtimes(p, oldTime, oldTime)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// diffSnapshots describes how two snapshots differ, or returns "".
func diffSnapshots(before, after map[string]fileState) string {
	var b strings.Builder
	for _, p := range slices.Sorted(maps.Keys(before)) {
		a, ok := after[p]
		switch {
		case !ok:
			fmt.Fprintf(&b, "removed: %s\n", p)
		case !bytes.Equal(a.data, before[p].data):
			fmt.Fprintf(&b, "content changed: %s\n", p)
		case a.link != before[p].link:
			fmt.Fprintf(&b, "symlink changed: %s\n", p)
		case !a.mtime.Equal(before[p].mtime):
			fmt.Fprintf(&b, "mtime changed: %s (%v → %v)\n", p, before[p].mtime, a.mtime)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(after)) {
		if _, ok := before[p]; !ok {
			fmt.Fprintf(&b, "added: %s\n", p)
		}
	}
	return b.String()
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// attrRE finds href and src attributes; every template and goldmark
// quote attribute values with double quotes.
var attrRE = regexp.MustCompile(`(?i)\s(href|src)\s*=\s*"([^"]*)"`)

// urlAttrs returns the entity-decoded href and src values of an HTML page.
func urlAttrs(page string) []string {
	var out []string
	for _, m := range attrRE.FindAllStringSubmatch(page, -1) {
		out = append(out, html.UnescapeString(m[2]))
	}
	return out
}

func TestBuildSmallSite(t *testing.T) {
	t.Parallel()
	site := newSite(t, smallSite())
	// No flags at all: the site is the working folder, the output site/public.
	r := runIn(t, site, "build")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("build failed:\n%s", r)
	}
	s := parseSummary(t, r.stdout)
	want := summary{pages: countHTML(smallSitePages), articles: 3, tags: 3, static: 5, written: len(smallSitePages), out: "public"}
	if s != want {
		t.Errorf("summary = %+v, want %+v", s, want)
	}
	out := filepath.Join(site, "public")
	if got := fileList(snapshot(t, out)); !slices.Equal(got, smallSitePages) {
		t.Errorf("output files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(smallSitePages, "\n"))
	}

	index := readFile(t, filepath.Join(out, "index.html"))
	for _, want := range []string{
		"<title>Test deals</title>",
		"Welcome to the test timeline.",
		`id="year-2011"`, `id="year-2013"`,
		`href="/articles/alpha/"`, `href="/articles/beta/"`, `href="/articles/gamma-deal/"`,
		`href="/css/style.css"`,
	} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	// Timeline order: 2011 before 2013, and in 2013 the year-precision
	// "Gamma" before the dated "Beta".
	timeline := index[max(0, strings.Index(index, `<div class="timeline">`)):]
	if a, g, b := strings.Index(timeline, `href="/articles/alpha/"`), strings.Index(timeline, `href="/articles/gamma-deal/"`), strings.Index(timeline, `href="/articles/beta/"`); a < 0 || g < 0 || b < 0 || !(a < g && g < b) {
		t.Errorf("timeline not in date order: alpha@%d gamma@%d beta@%d", a, g, b)
	}
	alpha := readFile(t, filepath.Join(out, "articles/alpha/index.html"))
	for _, want := range []string{
		"<h1>Alpha partnership</h1>",
		`<time datetime="2011-02-11">11 February 2011</time>`,
		`<a href="/parties/nokia/">Nokia</a>`, `<a href="/parties/microsoft/">Microsoft</a>`,
		"undisclosed",
		`<a href="https://news.example.com/alpha" rel="noopener">Press release</a>`,
		`<link rel="canonical" href="https://example.org/articles/alpha/">`,
		`id="terms"`,
	} {
		if !strings.Contains(alpha, want) {
			t.Errorf("articles/alpha/index.html lacks %q", want)
		}
	}
	if robots := readFile(t, filepath.Join(out, "robots.txt")); !strings.Contains(robots, "Sitemap: https://example.org/sitemap.xml") {
		t.Errorf("robots.txt does not point at the sitemap:\n%s", robots)
	}
	if strings.Contains(index, "not front matter") {
		t.Error("an ignored file was published")
	}

	// -quiet prints nothing; an identical rebuild rewrites nothing.
	r = runIn(t, site, "build", "-quiet")
	if r.code != 0 || r.stdout != "" || r.stderr != "" {
		t.Errorf("build -quiet: want exit 0 and no output, got:\n%s", r)
	}
	r = runIn(t, site, "build")
	if s := parseSummary(t, r.stdout); s.written != 0 || s.unchanged != len(smallSitePages) || s.removed != 0 {
		t.Errorf("identical rebuild: %+v, want 0 written, %d unchanged, 0 removed", s, len(smallSitePages))
	}
}

func TestDrafts(t *testing.T) {
	t.Parallel()
	files := smallSite()
	files["content/2012-05-05-secret.md"] = lines(
		"---",
		`title: "Secret merger"`,
		"date: 2012-05-05",
		`tags: ["Hushhush", "Acquisition"]`,
		`parties: ["Secretco", "Nokia"]`,
		"draft: true",
		"---",
		"Nobody may know about the secret merger yet.",
	)
	site := newSite(t, files)

	t.Run("excluded by default", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		s := parseSummary(t, build(t, site, out).stdout)
		if s.articles != 3 || s.tags != 3 {
			t.Errorf("summary counts the draft: %+v", s)
		}
		snap := snapshot(t, out)
		if got := fileList(snap); !slices.Equal(got, smallSitePages) {
			t.Errorf("output files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(smallSitePages, "\n"))
		}
		for _, p := range fileList(snap) {
			for _, leak := range []string{"Secret merger", "secret merger", "articles/secret", "Hushhush", "hushhush", "Secretco", "secretco", "years/2012", "2012-05-05"} {
				if strings.Contains(string(snap[p].data), leak) {
					t.Errorf("%s mentions the draft (%q)", p, leak)
				}
			}
		}
		// Prev/next links skip the draft too.
		if alpha := string(snap["articles/alpha/index.html"].data); !strings.Contains(alpha, `href="/articles/gamma-deal/" rel="next"`) {
			t.Error("alpha's next event is not gamma")
		}
	})
	t.Run("included with -drafts", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		s := parseSummary(t, build(t, site, out, "-drafts").stdout)
		if s.articles != 4 || s.tags != 4 {
			t.Errorf("summary with -drafts: %+v", s)
		}
		for p, want := range map[string]string{
			"index.html":                  `href="/articles/secret/"`,
			"tags/index.html":             `href="/tags/hushhush/"`,
			"tags/acquisition/index.html": `href="/articles/secret/"`,
			"tags/acquisition/feed.xml":   "<id>https://example.org/articles/secret/</id>",
			"tags/hushhush/index.html":    `href="/articles/secret/"`,
			"parties/secretco/index.html": `href="/articles/secret/"`,
			"parties/nokia/index.html":    `href="/articles/secret/"`,
			"years/index.html":            `href="/years/2012/"`,
			"years/2012/index.html":       `href="/articles/secret/"`,
			"feed.xml":                    "<id>https://example.org/articles/secret/</id>",
			"sitemap.xml":                 "<loc>https://example.org/articles/secret/</loc>",
			"timeline.json":               `"url": "https://example.org/articles/secret/"`,
			"events.ndjson":               `"url":"https://example.org/articles/secret/"`,
			"articles/alpha/index.html":   `href="/articles/secret/" rel="next"`,
			"articles/secret/index.html":  `<span class="badge">Draft</span>`,
		} {
			if !exists(filepath.Join(out, p)) {
				t.Errorf("%s missing with -drafts", p)
			} else if page := readFile(t, filepath.Join(out, p)); !strings.Contains(page, want) {
				t.Errorf("%s lacks %s with -drafts", p, want)
			}
		}
	})
}

// errorCase is a site that must fail to build with exactly these
// diagnostics (each a prefix of one stderr line, in order).
type errorCase struct {
	name  string
	files map[string]string // added to (or, when empty, removed from) smallSite
	want  []string
}

func TestContentErrors(t *testing.T) {
	t.Parallel()
	tests := []errorCase{
		{
			name: "slug collision",
			files: map[string]string{
				"content/2012/2012-01-01-alpha.md": lines("---", "title: Other alpha", "date: 2012-01-01", "---", "x"),
			},
			want: []string{`content/2012/2012-01-01-alpha.md: slug "alpha" is also used by content/2011-02-11-alpha.md`},
		},
		{
			name: "slug collision through the slug field",
			files: map[string]string{
				"content/zeta.md": lines("---", "title: Zeta", "date: 2012-01-01", "slug: beta", "---", "x"),
			},
			want: []string{`content/zeta.md: slug "beta" is also used by content/2013/2013-09-03-beta.md`},
		},
		{
			name: "bad YAML",
			files: map[string]string{
				"content/bad.md": lines("---", "title: Bad", "date: 2012-01-01", "tags: [a, b", "summary: x", "---", "x"),
			},
			want: []string{"content/bad.md:4: invalid front matter: "},
		},
		{
			name: "bad indentation in YAML",
			files: map[string]string{
				"content/bad.md": lines("---", "title: Bad", "date: 2012-01-01", "  value: indented", "summary: x", "---", "x"),
			},
			want: []string{"content/bad.md:4: invalid front matter: "},
		},
		{
			name: "missing title",
			files: map[string]string{
				"content/bad.md": lines("---", "date: 2012-01-01", "---", "x"),
			},
			want: []string{`content/bad.md:1: missing required field "title"`},
		},
		{
			name: "empty title",
			files: map[string]string{
				"content/bad.md": lines("---", "date: 2012-01-01", `title: ""`, "---", "x"),
			},
			want: []string{"content/bad.md:3: title must not be empty"},
		},
		{
			name: "missing date",
			files: map[string]string{
				"content/bad.md": lines("---", "title: No date", "---", "x"),
			},
			want: []string{`content/bad.md:1: missing required field "date"`},
		},
		{
			name: "invalid date",
			files: map[string]string{
				"content/2013/deal.md": lines("---", "title: Deal", "date: 2011-13-45", "---", "x"),
			},
			want: []string{`content/2013/deal.md:3: date "2011-13-45" is not a valid date`},
		},
		{
			name: "date not on the calendar",
			files: map[string]string{
				"content/deal.md": lines("---", "title: Deal", "tags: [x]", "date: 2011-02-30", "---", "x"),
			},
			want: []string{`content/deal.md:4: date "2011-02-30" is not a valid date`},
		},
		{
			name: "unknown field",
			files: map[string]string{
				"content/deal.md": lines("---", "date: 2011-02-03", "tittle: Deal", "---", "x"),
			},
			want: []string{
				`content/deal.md:1: missing required field "title"`,
				`content/deal.md:3: unknown front-matter field "tittle" (did you mean "title"?)`,
			},
		},
		{
			name: "unknown source field",
			files: map[string]string{
				"content/deal.md": lines("---", "title: Deal", "date: 2011-02-03", "sources:", "  - title: S", "    ulr: https://example.com/", "---", "x"),
			},
			want: []string{`content/deal.md:6: source 1: unknown source field "ulr" (did you mean "url"?)`},
		},
		{
			name: "unknown site setting",
			files: map[string]string{
				"content/_index.md": strings.Replace(indexMD, "author:", "autor:", 1),
			},
			want: []string{`content/_index.md:6: unknown site setting field "autor" (did you mean "author"?)`},
		},
		{
			name: "missing base_url",
			files: map[string]string{
				"content/_index.md": lines("---", "title: No base", "---", "intro"),
			},
			want: []string{"content/_index.md: base_url is not set"},
		},
		{
			name: "source url not http",
			files: map[string]string{
				"content/deal.md": lines("---", "title: Deal", "date: 2011-02-03", "sources:", "  - title: S", "    url: javascript:alert(1)", "---", "x"),
			},
			want: []string{`content/deal.md:6: source 1: url "javascript:alert(1)" must be an absolute http or https address`},
		},
		{
			name: "slug not URL-safe",
			files: map[string]string{
				"content/deal.md": lines("---", "title: Deal", "slug: ../../evil", "date: 2011-02-03", "---", "x"),
			},
			want: []string{`content/deal.md:3: slug "../../evil" is not URL-safe`},
		},
		{
			name: "draft not a boolean",
			files: map[string]string{
				"content/deal.md": lines("---", "title: Deal", "date: 2011-02-03", "draft: maybe", "---", "x"),
			},
			want: []string{`content/deal.md:4: draft must be true or false`},
		},
		{
			name: "missing front matter",
			files: map[string]string{
				"content/deal.md": lines("# Deal", "", "text"),
			},
			want: []string{"content/deal.md:1: missing front matter"},
		},
		{
			name: "unclosed front matter",
			files: map[string]string{
				"content/deal.md": lines("---", "title: Deal", "date: 2011-02-03", "text"),
			},
			want: []string{"content/deal.md:1: front matter is not closed"},
		},
		{
			name: "CRLF file keeps line numbers",
			files: map[string]string{
				"content/deal.md": "\xEF\xBB\xBF---\r\ntitle: Deal\r\ndate: 2011-13-45\r\n---\r\nx\r\n",
			},
			want: []string{`content/deal.md:3: date "2011-13-45" is not a valid date`},
		},
		{
			name: "link to a missing article",
			files: map[string]string{
				"content/deal.md": lines("---", "title: Deal", "date: 2011-02-03", "---", "Intro.", "", "See [the sale](2013/nope.md) and", "[the alpha deal](2011-02-11-alpha.md)."),
			},
			want: []string{"content/deal.md:7: link to content/2013/nope.md: no such article"},
		},
		{
			name: "link to a draft",
			files: map[string]string{
				"content/deal.md":  lines("---", "title: Deal", "date: 2011-02-03", "---", "See [the draft](draft.md)."),
				"content/draft.md": lines("---", "title: Draft", "date: 2011-02-04", "draft: true", "---", "secret"),
			},
			want: []string{"content/deal.md:5: link to content/draft.md, which is a draft and will not be published"},
		},
		{
			name: "link outside content",
			files: map[string]string{
				"content/deal.md": lines("---", "title: Deal", "date: 2011-02-03", "---", "See [x](../README.md)."),
			},
			want: []string{`content/deal.md:5: link "../README.md" points outside content/`},
		},
		{
			name: "misspelt layout",
			files: map[string]string{
				"layouts/artcle.html": `{{template "base" .}}`,
			},
			want: []string{"layouts/artcle.html: not a template dealsite uses"},
		},
		{
			name: "layout syntax error",
			files: map[string]string{
				"layouts/term.html": lines(`{{template "base" .}}`, `{{define "main"}}`, `{{.Term.Name`, `{{end}}`),
			},
			want: []string{"layouts/term.html:4:"},
		},
		{
			name: "layout execution error",
			files: map[string]string{
				"layouts/years.html": lines(`{{template "base" .}}`, `{{define "main"}}`, `{{.NoSuchField}}`, `{{end}}`),
			},
			want: []string{"layouts/years.html:3:"},
		},
		{
			name: "static file hiding a generated page",
			files: map[string]string{
				"static/index.html": "<p>mine</p>",
			},
			want: []string{"static/index.html: would overwrite the generated page index.html"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			files := smallSite()
			maps.Copy(files, tc.files)
			site := newSite(t, files)
			out := filepath.Join(t.TempDir(), "out")
			got := buildFails(t, site, out)
			checkDiagnostics(t, got, tc.want)
			if exists(out) {
				t.Error("a failed build created the output folder")
			}
		})
	}
}

// checkDiagnostics compares stderr lines with wanted line prefixes and
// the closing "build failed" line.
func checkDiagnostics(t *testing.T, got, want []string) {
	t.Helper()
	noun := "errors"
	if len(want) == 1 {
		noun = "error"
	}
	last := fmt.Sprintf("build failed: %d %s; the output folder was not changed", len(want), noun)
	ok := len(got) == len(want)+1 && got[len(got)-1] == last
	for i := 0; ok && i < len(want); i++ {
		ok = strings.HasPrefix(got[i], want[i])
	}
	if !ok {
		t.Errorf("stderr:\n%s\nwant lines starting with:\n%s\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), last)
	}
}

func TestManyErrorsOneRun(t *testing.T) {
	t.Parallel()
	files := smallSite()
	maps.Copy(files, map[string]string{
		"content/zz.md":        lines("---", "title: Z", "date: 2011-02-30", "tittle: x", "---", "[x](javascript:alert(1))"),
		"content/2013/deal.md": lines("---", "title: Deal", "date: 2011-13-45", "---", "x"),
		"content/aa.md":        lines("---", "date: 2012-01-01", "---", "x"),
		"content/mid/m.md":     lines("---", "title: M", "date: 2012-01-01", "tags: [a, b", "---"),
		"layouts/indx.html":    "x",
	})
	site := newSite(t, files)
	got := buildFails(t, site, filepath.Join(t.TempDir(), "out"))
	want := []string{
		`content/2013/deal.md:3: date "2011-13-45" is not a valid date (write YYYY-MM-DD, e.g. 2013-09-03)`,
		`content/aa.md:1: missing required field "title"`,
		`content/mid/m.md:4: invalid front matter: `,
		`content/zz.md:3: date "2011-02-30" is not a valid date (write YYYY-MM-DD, e.g. 2013-09-03)`,
		`content/zz.md:4: unknown front-matter field "tittle" (did you mean "title"?)`,
		`content/zz.md:6: link "javascript:alert(1)" uses the "javascript:" scheme`,
		`layouts/indx.html: not a template dealsite uses`,
	}
	checkDiagnostics(t, got, want)
}

// TestAllProblemsInOneRun: a front-matter error in one file must not hide
// the problems of the others (broken links, slug collisions), which are
// only found once the site model is built.
func TestAllProblemsInOneRun(t *testing.T) {
	t.Parallel()
	files := smallSite()
	maps.Copy(files, map[string]string{
		"content/bad-date.md":  lines("---", "title: Bad date", "date: 2011-13-45", "---", "x"),
		"content/linker.md":    lines("---", "title: Linker", "date: 2012-01-01", "---", "See [nothing](nothing.md)."),
		"content/2014/beta.md": lines("---", "title: Second beta", "date: 2014-01-01", "---", "x"),
	})
	site := newSite(t, files)
	got := buildFails(t, site, filepath.Join(t.TempDir(), "out"))
	checkDiagnostics(t, got, []string{
		`content/2014/beta.md: slug "beta" is also used by content/2013/2013-09-03-beta.md`,
		`content/bad-date.md:3: date "2011-13-45" is not a valid date`,
		`content/linker.md:5: link to content/nothing.md: no such article`,
	})
}

func TestMissingContentFolder(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		files map[string]string
	}{
		{"empty folder", map[string]string{"README.txt": "not a site"}},
		{"content is a file", map[string]string{"content": "not a folder"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			site := newSite(t, tc.files)
			r := runIn(t, site, "build")
			if r.code != 1 {
				t.Fatalf("want exit 1:\n%s", r)
			}
			want := "content: error DS001: no content folder: create content/ with one markdown file per article (run dealsite in the site folder or pass -site DIR)\nbuild failed: 1 error; the output folder was not changed\n"
			if r.stderr != want || r.stdout != "" {
				t.Errorf("got:\n%s\nwant stderr:\n%s", r, want)
			}
			if exists(filepath.Join(site, "public")) {
				t.Error("public/ was created")
			}
		})
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	site := newSite(t, smallSite())
	tests := []struct {
		args   []string
		code   int
		stdout string // substring; "" means stdout must be empty
		stderr string // substring; "" means stderr must be empty
	}{
		{nil, 2, "", "Usage:"},
		{[]string{"help"}, 0, "Usage:\n  dealsite build [-site DIR] [-out DIR] [-base-url URL] [-drafts] [-quiet]", ""},
		{[]string{"-h"}, 0, "Usage:", ""},
		{[]string{"--help"}, 0, "Usage:", ""},
		{[]string{"build", "-h"}, 0, "-base-url", ""},
		{[]string{"build", "-help"}, 0, "Usage: dealsite build", ""},
		{[]string{"frobnicate"}, 2, "", `dealsite: unknown command "frobnicate"`},
		{[]string{"Build"}, 2, "", `unknown command "Build"`},
		{[]string{"build", "-nope"}, 2, "", "flag provided but not defined: -nope"},
		{[]string{"build", "extra"}, 2, "", `build: unexpected argument "extra"`},
		{[]string{"build", "-quiet", "extra"}, 2, "", `unexpected argument "extra"`},
		{[]string{"build", "-site"}, 2, "", "flag needs an argument: -site"},
		{[]string{"build", "-drafts=maybe"}, 2, "", "invalid boolean value"},
		{[]string{"build", "-base-url", "example.org"}, 2, "", `dealsite: -base-url: base URL "example.org" must be an absolute http or https URL`},
		{[]string{"build", "-base-url", "ftp://example.org/"}, 2, "", "-base-url: "},
		{[]string{"build", "-base-url", "https://example.org/?x=1"}, 2, "", "-base-url: "},
		{[]string{"build", "-base-url", "https://example.org/#top"}, 2, "", "-base-url: "},
		{[]string{"build", "-base-url", "https://user:pw@example.org/"}, 2, "", "-base-url: "},
		{[]string{"build", "-base-url", "/deals/"}, 2, "", "-base-url: "},
		{[]string{"build", "-out", "."}, 2, "", "dealsite: output folder . is the site folder"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			r := runIn(t, site, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d", r.code, tc.code)
			}
			for _, s := range []struct{ name, got, want string }{{"stdout", r.stdout, tc.stdout}, {"stderr", r.stderr, tc.stderr}} {
				if (s.want == "" && s.got != "") || !strings.Contains(s.got, s.want) {
					t.Errorf("%s does not contain %q", s.name, s.want)
				}
			}
			if t.Failed() {
				t.Logf("got:\n%s", r)
			}
		})
	}
	// Usage errors never build anything.
	if exists(filepath.Join(site, "public")) {
		t.Error("a usage error built the site")
	}
}

func TestStaleFilesRemoved(t *testing.T) {
	t.Parallel()
	files := smallSite()
	files["content/2012-06-06-delta.md"] = lines("---", "title: Delta", "date: 2012-06-06", `tags: ["Lonely", "Acquisition"]`, `parties: ["Deltaco"]`, "---", "Delta body.")
	site := newSite(t, files)
	out := filepath.Join(t.TempDir(), "out")
	build(t, site, out)
	for _, p := range []string{"articles/delta/index.html", "tags/lonely/index.html", "tags/lonely/feed.xml", "parties/deltaco/index.html", "years/2012/index.html"} {
		if !exists(filepath.Join(out, p)) {
			t.Fatalf("first build lacks %s", p)
		}
	}
	// Files dealsite did not write are kept, and .git.
	notOurs := []string{".git/HEAD", "old/deep/page.html", "stray.txt"}
	writeFiles(t, out, map[string]string{"stray.txt": "x", "old/deep/page.html": "x", ".git/HEAD": "ref: refs/heads/main\n"})

	// rebuild checks that a build into out removes exactly the files a
	// fresh build does not make, and that out then matches a fresh build.
	rebuild := func(gone ...string) {
		t.Helper()
		before := snapshot(t, out)
		s := parseSummary(t, build(t, site, out).stdout)
		after := snapshot(t, out)
		fresh := filepath.Join(t.TempDir(), "fresh")
		build(t, site, fresh)
		want := append(fileList(snapshot(t, fresh)), notOurs...)
		slices.Sort(want)
		if got := fileList(after); !slices.Equal(got, want) {
			t.Errorf("output after removals:\n%s\nwant (a fresh build and the files dealsite did not write):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		removed := 0
		for _, p := range fileList(before) {
			if _, ok := after[p]; !ok {
				removed++
			}
		}
		if s.removed != removed {
			t.Errorf("summary says %d removed, %d files went", s.removed, removed)
		}
		for _, p := range gone {
			if exists(filepath.Join(out, p)) {
				t.Errorf("%s was not removed", p)
			}
		}
	}

	// The tag "Lonely" and the party are dropped from delta: their pages
	// and folders go.
	writeFiles(t, site, map[string]string{"content/2012-06-06-delta.md": lines("---", "title: Delta", "date: 2012-06-06", `tags: ["Acquisition"]`, "---", "Delta body.")})
	rebuild("tags/lonely", "parties/deltaco")
	if !exists(filepath.Join(out, "articles/delta/index.html")) {
		t.Error("delta's page went missing")
	}

	// The article is deleted: its page and its year's page go.
	if err := os.Remove(filepath.Join(site, "content/2012-06-06-delta.md")); err != nil {
		t.Fatal(err)
	}
	rebuild("articles/delta", "years/2012")
	if got := fileList(snapshot(t, out)); !slices.Equal(got, slices.Sorted(slices.Values(append(notOurs, smallSitePages...)))) {
		t.Errorf("output after removing delta:\n%s", strings.Join(got, "\n"))
	}
}

func TestFailedBuildLeavesOutputUntouched(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		want  string // in stderr
	}{
		{"content error", map[string]string{"content/2013/2013-09-03-beta.md": lines("---", "title: Beta", "date: 2013-02-30", "---", "changed")}, `content/2013/2013-09-03-beta.md:3: date "2013-02-30"`},
		{"template error", map[string]string{"layouts/index.html": "{{.Nope"}, "layouts/index.html:"},
		{"broken link", map[string]string{"content/zz.md": lines("---", "title: Z", "date: 2020-01-01", "---", "[x](gamma.md)", "[y](gone.md)")}, "content/zz.md:6: link to content/gone.md: no such article"},
		// A static file where the output needs a folder: the conflict
		// must be found before anything is written.
		{"static file in place of a page folder", map[string]string{"static/tags": "not a folder", "content/gamma.md": lines("---", "title: Gamma changed", "date: 2013", "slug: gamma-deal", "---", "changed")}, "static/tags"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			site := newSite(t, smallSite())
			out := filepath.Join(t.TempDir(), "out")
			build(t, site, out)
			ageFiles(t, out)
			before := snapshot(t, out)
			writeFiles(t, site, tc.files)
			r := runIn(t, site, "build", "-out", out)
			if r.code != 1 || !strings.Contains(strings.Join(plainDiagnostics(strings.Split(r.stderr, "\n")), "\n"), tc.want) || !strings.HasSuffix(r.stderr, "; the output folder was not changed\n") {
				t.Errorf("want exit 1 with %q and the closing line in stderr, got:\n%s", tc.want, r)
			}
			if d := diffSnapshots(before, snapshot(t, out)); d != "" {
				t.Errorf("failed build changed the output folder:\n%s", d)
			}
		})
	}
}

func TestRebuildKeepsUnchangedFiles(t *testing.T) {
	t.Parallel()
	site := newSite(t, smallSite())
	out := filepath.Join(t.TempDir(), "out")
	build(t, site, out)
	ageFiles(t, out)
	before := snapshot(t, out)

	// Same input: nothing is rewritten.
	if s := parseSummary(t, build(t, site, out).stdout); s.written != 0 || s.removed != 0 || s.unchanged != len(smallSitePages) {
		t.Errorf("identical rebuild: %+v", s)
	}
	if d := diffSnapshots(before, snapshot(t, out)); d != "" {
		t.Errorf("identical rebuild touched files:\n%s", d)
	}

	// A change to the body of gamma (not its summary, title or date):
	// exactly the files whose bytes change get a new modification time.
	writeFiles(t, site, map[string]string{"content/gamma.md": lines(
		"---", `title: "Gamma"`, "date: 2013", "slug: gamma-deal", `tags: ["Acquisition"]`, "---",
		"Gamma happened some time in 2013.", "", "A new second paragraph.")})
	s := parseSummary(t, build(t, site, out).stdout)
	after := snapshot(t, out)
	var changed, touched []string
	for _, p := range fileList(after) {
		if !bytes.Equal(after[p].data, before[p].data) {
			changed = append(changed, p)
		}
		if !after[p].mtime.Equal(before[p].mtime) {
			touched = append(touched, p)
		}
	}
	// The new words may add search index files: those are written
	// without having been there.
	rewritten := 0
	for _, p := range changed {
		if _, ok := before[p]; ok {
			rewritten++
		}
	}
	if !slices.Equal(changed, touched) || s.written != len(changed) || s.unchanged != len(smallSitePages)-rewritten {
		t.Errorf("files with new content: %v\nfiles with a new mtime: %v\nsummary: %+v", changed, touched, s)
	}
	if !slices.Contains(changed, "articles/gamma-deal/index.html") || slices.Contains(changed, "articles/alpha/index.html") || slices.Contains(changed, "css/style.css") {
		t.Errorf("unexpected set of changed files: %v", changed)
	}
	if !strings.Contains(string(after["articles/gamma-deal/index.html"].data), "A new second paragraph.") {
		t.Error("gamma's page was not updated")
	}
	// And the result is what a fresh build makes.
	fresh := filepath.Join(t.TempDir(), "fresh")
	build(t, site, fresh)
	for p, f := range snapshot(t, fresh) {
		if !bytes.Equal(f.data, after[p].data) {
			t.Errorf("%s differs from a fresh build", p)
		}
	}
}

func TestBaseURLSubPath(t *testing.T) {
	t.Parallel()
	files := smallSite()
	files["content/_index.md"] = indexMD + "\nStart with [alpha](2011-02-11-alpha.md).\n"
	files["static/img/logo.svg"] = `<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"/>`
	// An image names a file of the site, /img/logo.svg for
	// static/img/logo.svg; its URL gets the base path.
	files["content/2013/2013-09-03-beta.md"] += "\n![logo](/img/logo.svg)\n"
	site := newSite(t, files)
	out := filepath.Join(t.TempDir(), "out")
	build(t, site, out, "-base-url", "https://example.org/deals")

	const base = "https://example.org/deals/"
	snap := snapshot(t, out)
	nHTML := 0
	absolute := regexp.MustCompile(`https?://example\.org[^"'\s<>\\]*`)
	for _, p := range fileList(snap) {
		body := string(snap[p].data)
		// Every absolute URL of the site anywhere (Open Graph, JSON-LD,
		// timeline.json, feeds) is under the base URL.
		for _, v := range absolute.FindAllString(html.UnescapeString(body), -1) {
			if !strings.HasPrefix(v, base) {
				t.Errorf("%s: absolute URL %q is not under %s", p, v, base)
			}
		}
		switch {
		case strings.HasSuffix(p, ".html"):
			nHTML++
			attrs := urlAttrs(body)
			if len(attrs) == 0 {
				t.Errorf("%s: no href or src found", p)
			}
			for _, v := range attrs {
				switch {
				case v == "":
					t.Errorf("%s: empty link (href or src \"\")", p)
				case strings.HasPrefix(v, "#"), strings.HasPrefix(v, "https://news.example.com/"):
				case strings.HasPrefix(v, "/deals/"), strings.HasPrefix(v, base):
				default:
					t.Errorf("%s: link %q is not under /deals/", p, v)
				}
			}
		case path.Base(p) == "feed.xml", p == "sitemap.xml":
			n := 0
			for _, m := range regexp.MustCompile(`<(?:loc|id)>([^<]*)<|href="([^"]*)"|xml:base="([^"]*)"`).FindAllStringSubmatch(body, -1) {
				n++
				if v := html.UnescapeString(m[1] + m[2] + m[3]); !strings.HasPrefix(v, base) {
					t.Errorf("%s: URL %q is not under %s", p, v, base)
				}
			}
			if n < 4 {
				t.Errorf("%s: only %d URLs found", p, n)
			}
			// Links inside the feed's HTML content, resolved against xml:base.
			baseURL, _ := url.Parse(base)
			for _, v := range urlAttrs(html.UnescapeString(body)) {
				u, err := url.Parse(v)
				if err != nil {
					t.Errorf("%s: bad URL %q", p, v)
					continue
				}
				if abs := baseURL.ResolveReference(u).String(); !strings.HasPrefix(abs, base) && !strings.HasPrefix(abs, "https://news.example.com/") {
					t.Errorf("%s: link %q resolves to %q, not under %s", p, v, abs, base)
				}
			}
		case p == "robots.txt":
			if !strings.Contains(body, "Sitemap: "+base+"sitemap.xml\n") {
				t.Errorf("robots.txt: %q", body)
			}
		}
	}
	if want := countHTML(smallSitePages); nHTML != want {
		t.Errorf("checked %d HTML files, want %d", nHTML, want)
	}
	index := string(snap["index.html"].data)
	if !strings.Contains(index, `<a href="/deals/articles/alpha/">alpha</a>`) {
		t.Error("the intro's link to alpha is not under /deals/")
	}
	if beta := string(snap["articles/beta/index.html"].data); !strings.Contains(beta, `href="/deals/articles/alpha/#terms"`) {
		t.Error("beta's link to alpha is not under /deals/")
	}
}

// Start tags and their attribute names, as an HTML tokenizer would see
// them (attribute values double-quoted, single-quoted or bare).
var (
	startTagRE = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*/?>`)
	attrNameRE = regexp.MustCompile(`\s+([^\s=>/"']+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?`)
)

type startTag struct {
	name  string
	attrs []string
}

func tagsWithAttrs(page string) []startTag {
	var out []startTag
	for _, m := range startTagRE.FindAllStringSubmatch(page, -1) {
		tag := startTag{name: strings.ToLower(m[1])}
		for _, a := range attrNameRE.FindAllStringSubmatch(m[2], -1) {
			tag.attrs = append(tag.attrs, a[1])
		}
		out = append(out, tag)
	}
	return out
}

func TestEscaping(t *testing.T) {
	t.Parallel()
	files := smallSite()
	files["content/xss.md"] = lines(
		"---",
		`title: "<script>alert(1)</script>"`,
		"date: 2012-01-01",
		`tags: ["\"><img src=x onerror=alert(1)>", "<b>bold</b>"]`,
		`parties: ["<script>alert(2)</script>", "' onmouseover='alert(11)"]`,
		`value: "<img src=x onerror=alert(3)>"`,
		`summary: "</title><script>alert(4)</script>"`,
		"sources:",
		`  - title: "<script>alert(5)</script>"`,
		`    url: "https://example.com/?q=\"><script>alert(6)</script>"`,
		`    publisher: "</script><script>alert(12)</script>"`,
		"---",
		"Body <script>alert(7)</script> inline.",
		"",
		"<script>alert(8)</script>",
		"",
		`<img src=x onerror=alert(9)>`,
		"",
		"<div onclick=\"alert(10)\">block</div>",
		"",
		"## Heading \"><svg onload=alert(13)>",
	)
	files["content/_index.md"] = strings.Replace(indexMD, `title: "Test deals"`, `title: "</title><script>alert(14)</script>"`, 1)
	site := newSite(t, files)
	out := filepath.Join(t.TempDir(), "out")
	build(t, site, out)
	snap := snapshot(t, out)

	// No file but timeline.json (checked below) holds a payload as markup:
	// no bare <script> tag (the theme's have attributes), no element
	// from the payloads, no event-handler attribute on any tag.
	dangerous := regexp.MustCompile(`(?i)<script>|<img src=x|<b>bold|<svg onload`)
	for _, p := range fileList(snap) {
		if p == "timeline.json" {
			continue
		}
		if m := dangerous.FindString(string(snap[p].data)); m != "" {
			t.Errorf("%s contains unescaped %q", p, m)
		}
		for _, tag := range tagsWithAttrs(string(snap[p].data)) {
			for _, a := range tag.attrs {
				if strings.HasPrefix(strings.ToLower(a), "on") {
					t.Errorf("%s: <%s> has an event-handler attribute %q", p, tag.name, a)
				}
			}
		}
	}
	// Script elements hold only the theme's script and JSON-LD, in which
	// no payload can close the element.
	scriptRE := regexp.MustCompile(`(?is)<script([^>]*)>(.*?)</script>`)
	for _, p := range fileList(snap) {
		if p == "timeline.json" {
			continue
		}
		for _, m := range scriptRE.FindAllStringSubmatch(string(snap[p].data), -1) {
			if strings.Contains(m[2], "<") || (m[1] != ` type="application/ld+json"` && m[2] != "") {
				t.Errorf("%s: unexpected script element %q", p, m[0])
			}
		}
	}
	page := string(snap["articles/xss/index.html"].data)
	if page == "" {
		t.Fatalf("no page for the article; files: %v", fileList(snap))
	}
	for _, want := range []string{
		"<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>",
		"&#34;&gt;&lt;img src=x onerror=alert(1)&gt;",
		"<!-- raw HTML omitted -->",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	if tags := string(snap["tags/index.html"].data); !strings.Contains(tags, "&lt;b&gt;bold&lt;/b&gt;") {
		t.Error("tags page does not show the escaped <b> tag name")
	}
	if feed := string(snap["feed.xml"].data); !strings.Contains(feed, "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>") {
		t.Error("feed does not carry the escaped title")
	}
	// timeline.json: TimelineJS reads headline and text as HTML, so they
	// must hold escaped text (README); other fields are data.
	var tl struct {
		Title struct {
			Text struct{ Headline, Text string }
		} `json:"title"`
		Events []struct {
			Text struct{ Headline, Text string } `json:"text"`
		} `json:"events"`
	}
	if err := json.Unmarshal(snap["timeline.json"].data, &tl); err != nil {
		t.Fatalf("timeline.json: %v", err)
	}
	htmlFields := []string{tl.Title.Text.Headline, tl.Title.Text.Text}
	for _, e := range tl.Events {
		htmlFields = append(htmlFields, e.Text.Headline, e.Text.Text)
	}
	for _, f := range htmlFields {
		if m := dangerous.FindString(f); m != "" {
			t.Errorf("timeline.json: HTML field holds %q: %q", m, f)
		}
	}

	t.Run("unsafe_html keeps raw HTML", func(t *testing.T) {
		files := smallSite()
		files["content/_index.md"] = strings.Replace(indexMD, "language:", "unsafe_html: true\nlanguage:", 1)
		files["content/raw.md"] = lines("---", "title: Raw", "date: 2012-01-01", "---", `<div class="trusted">kept</div>`)
		site := newSite(t, files)
		out := filepath.Join(t.TempDir(), "out")
		build(t, site, out)
		if page := readFile(t, filepath.Join(out, "articles/raw/index.html")); !strings.Contains(page, `<div class="trusted">kept</div>`) {
			t.Error("raw HTML dropped although unsafe_html is true")
		}
	})
}

func TestLinkSchemes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		body   string // line 5 of the article
		unsafe bool   // unsafe_html: true
		ok     bool
	}{
		{"http", "[x](http://example.com/)", false, true},
		{"https", "[x](https://example.com/a?b=c#d)", false, true},
		{"mailto", "[x](mailto:someone@example.com)", false, true},
		{"tel", "[x](tel:+15551234567)", false, true},
		{"relative", "[x](../img/a.png) ![y](img/b.png) [z](#terms)", false, true},
		{"protocol relative", "[x](//example.com/a)", false, true},
		{"javascript", "[x](javascript:alert(1))", false, false},
		{"upper case", "[x](JAVASCRIPT:alert(1))", false, false},
		{"mixed case", "[x](JaVaScRiPt:alert(1))", false, false},
		{"tab inside", "[x](<java\tscript:alert(1)>)", false, false},
		{"leading space", "[x](< javascript:alert(1)>)", false, false},
		{"image", "![x](javascript:alert(1))", false, false},
		{"autolink", "<javascript:alert(1)>", false, false},
		{"reference", "[x][r]\n\n[r]: javascript:alert(1)", false, false},
		{"vbscript", "[x](vbscript:msgbox(1))", false, false},
		{"data", "[x](data:text/html;base64,PHNjcmlwdD4=)", false, false},
		{"file", "[x](file:///etc/passwd)", false, false},
		{"ftp", "[x](ftp://example.com/)", false, false},
		{"unsafe_html javascript", "[x](javascript:alert(1))", true, false},
		// Markdown decodes character references in link destinations, so
		// these are javascript: and ftp: links once rendered.
		{"entity obfuscated javascript", "[x](java&#x73;cript:alert(1))", false, false},
		{"entity obfuscated first letter", "[x](&#106;avascript:alert(1))", false, false},
		{"entity obfuscated colon", "[x](javascript&#58;alert(1))", false, false},
		{"entity obfuscated ftp", "[x](&#102;tp://example.com/)", false, false},
		{"entity obfuscated with unsafe_html", "[x](java&#x73;cript:alert(1))", true, false},
		{"entity obfuscated image with unsafe_html", "![x](&#x6A;avascript:alert(1))", true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			files := smallSite()
			if tc.unsafe {
				files["content/_index.md"] = strings.Replace(indexMD, "language:", "unsafe_html: true\nlanguage:", 1)
			}
			files["content/links.md"] = lines("---", "title: Links", "date: 2012-01-01", "---", tc.body)
			files["content/img/b.png"] = tinyPNG // an image must exist
			site := newSite(t, files)
			out := filepath.Join(t.TempDir(), "out")
			r := runIn(t, site, "build", "-out", out)
			if tc.ok {
				if r.code != 0 {
					t.Fatalf("want success:\n%s", r)
				}
				return
			}
			if r.code != 1 || !strings.HasPrefix(r.stderr, "content/links.md:5:") || !strings.Contains(r.stderr, ": error DS201: link ") {
				t.Errorf("want exit 1 with a content/links.md:5 link error, got:\n%s", r)
			}
			if r.code == 0 {
				page := readFile(t, filepath.Join(out, "articles/links/index.html"))
				for _, v := range urlAttrs(page) {
					if u, err := url.Parse(strings.TrimSpace(v)); err == nil && u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
						t.Errorf("published a %q link: %q", u.Scheme, v)
					}
				}
			}
		})
	}
}

// TestLinkErrorLines: every link error names the line the link is on,
// also in a paragraph wrapped over several lines.
func TestLinkErrorLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, link string
		want       []string
	}{
		{"link", "[x](javascript:alert(1))", []string{`link "javascript:alert(1)" uses the "javascript:" scheme`}},
		{"autolink", "<javascript:alert(1)>", []string{`link "javascript:alert(1)" uses the "javascript:" scheme`}},
		// An image needs alt text: that is a second problem on the line.
		{"image without alt", "![](javascript:alert(1))", []string{`link "javascript:alert(1)" uses the "javascript:" scheme`, `image "javascript:alert(1)" has no alt text`}},
		{"link without text", "[](missing.md)", []string{"link to content/missing.md: no such article"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			files := smallSite()
			files["content/wrapped.md"] = lines("---", "title: Wrapped", "date: 2012-01-01", "---",
				"A paragraph that the editor", "wrapped by hand over", "several lines: "+tc.link, "and then it goes on.")
			site := newSite(t, files)
			var want []string
			for _, w := range tc.want {
				want = append(want, "content/wrapped.md:7: "+w)
			}
			checkDiagnostics(t, buildFails(t, site, filepath.Join(t.TempDir(), "out")), want)
		})
	}
}

// TestPathTraversal: nothing from front matter can make the build write
// outside its output folder.
func TestPathTraversal(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	site := filepath.Join(root, "a", "b", "site")
	out := filepath.Join(root, "a", "b", "out")
	files := smallSite()
	files["content/trav.md"] = lines("---", "title: Traversal", "date: 2012-01-01",
		`tags: ["../../etc", "..", ".", "../../../../../../../../tmp/evil", "/abs", "a/../../b", "..\\..\\win"]`, "---", "x")
	writeFiles(t, site, files)

	t.Run("slug rejected", func(t *testing.T) {
		files := smallSite()
		files["content/trav.md"] = lines("---", "title: Traversal", "date: 2012-01-01", "slug: ../../evil", "---", "x")
		site := newSite(t, files)
		root := filepath.Dir(site)
		checkDiagnostics(t, buildFails(t, site, filepath.Join(root, "out")), []string{`content/trav.md:4: slug "../../evil" is not URL-safe`})
		if _, err := os.Stat(filepath.Join(root, "evil")); err == nil {
			t.Error("evil/ was written")
		}
	})

	r := build(t, site, out)
	if s := parseSummary(t, r.stdout); s.tags != 3+7 {
		t.Errorf("want 10 tags, got %+v", s)
	}
	// Every file under root is one of the site's or inside out/.
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(site, p)
		if _, ok := files[filepath.ToSlash(rel)]; ok && !strings.HasPrefix(rel, "..") {
			return nil
		}
		if rel, _ := filepath.Rel(out, p); strings.HasPrefix(rel, "..") {
			t.Errorf("written outside the output folder: %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Each tag has a page of its own directly under tags/.
	snap := snapshot(t, out)
	var tagPages []string
	for _, p := range fileList(snap) {
		if strings.HasPrefix(p, "tags/") && p != "tags/index.html" {
			if strings.Count(p, "/") != 2 || (path.Base(p) != "index.html" && path.Base(p) != "feed.xml") {
				t.Errorf("tag file at unexpected path %s", p)
			}
			if path.Base(p) == "index.html" {
				tagPages = append(tagPages, p)
			}
		}
	}
	if len(tagPages) != 10 {
		t.Errorf("want 10 tag pages, got %v", tagPages)
	}
	if index := string(snap["index.html"].data); !strings.Contains(index, "<title>Test deals</title>") {
		t.Error("index.html was overwritten by a tag page")
	}
}

// TestSymlinkInOutput: a symlink planted in the output folder must not
// lead writes outside it.
func TestSymlinkInOutput(t *testing.T) {
	t.Parallel()
	for _, link := range []string{"articles", "articles/alpha", "tags", "css", "index.html", "feed.xml", "articles/beta/index.html"} {
		t.Run(link, func(t *testing.T) {
			t.Parallel()
			site := newSite(t, smallSite())
			out := filepath.Join(t.TempDir(), "out")
			elsewhere := filepath.Join(t.TempDir(), "elsewhere")
			if err := os.MkdirAll(elsewhere, 0o755); err != nil {
				t.Fatal(err)
			}
			target := elsewhere
			if strings.Contains(path.Base(link), ".") {
				target = filepath.Join(elsewhere, "target") // a dangling file link
			}
			full := filepath.Join(out, filepath.FromSlash(link))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, full); err != nil {
				t.Skip("no symlinks:", err)
			}
			r := runIn(t, site, "build", "-out", out)
			if r.code == 2 || (r.code == 1 && r.stderr == "") {
				t.Errorf("unexpected result:\n%s", r)
			}
			if got := snapshot(t, elsewhere); len(got) != 0 {
				t.Errorf("written outside the output folder through the symlink: %v", slices.Sorted(maps.Keys(got)))
			}
		})
	}
}

func TestRefusedOutputFolders(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	site := filepath.Join(root, "site")
	files := smallSite()
	files["layouts/partials/extra.html"] = `{{define "extra"}}{{end}}`
	files["static/img/a.svg"] = "<svg/>"
	writeFiles(t, site, files)
	other := filepath.Join(root, "othersite")
	writeFiles(t, other, map[string]string{"content/_index.md": indexMD})
	if err := os.Symlink(filepath.Join(site, "content"), filepath.Join(root, "content-link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(site, filepath.Join(root, "site-link")); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, root)
	tests := []struct {
		dir  string // working folder, relative to root
		args []string
		want string
	}{
		{"", []string{"-site", "site", "-out", "site"}, "is the site folder"},
		{"site", []string{"-out", "."}, "is the site folder"},
		{"site", []string{"-out", "content/.."}, "is the site folder"},
		{"", []string{"-site", "site", "-out", "site-link"}, "is the site folder"},
		{"", []string{"-site", "site-link", "-out", "site/"}, "is the site folder"},
		{"", []string{"-site", "site", "-out", "."}, "contains the site folder"},
		{"site", []string{"-out", ".."}, "contains the site folder"},
		{"site", []string{"-out", "content"}, "inside the site's content/ folder"},
		{"site", []string{"-out", "content/public"}, "inside the site's content/ folder"},
		{"site", []string{"-out", "content/new/deeper"}, "inside the site's content/ folder"},
		{"", []string{"-site", "site", "-out", "content-link"}, "inside the site's content/ folder"},
		{"", []string{"-site", "site", "-out", "content-link/x"}, "inside the site's content/ folder"},
		{"site", []string{"-out", "layouts"}, "inside the site's layouts/ folder"},
		{"site", []string{"-out", "layouts/partials"}, "inside the site's layouts/ folder"},
		{"site", []string{"-out", "static"}, "inside the site's static/ folder"},
		{"site", []string{"-out", "static/img"}, "inside the site's static/ folder"},
		{"", []string{"-site", "site", "-out", "othersite"}, "contains a content/ folder"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(append([]string{tc.dir}, tc.args...), " "), func(t *testing.T) {
			r := runIn(t, filepath.Join(root, tc.dir), append([]string{"build"}, tc.args...)...)
			if r.code != 2 || !strings.HasPrefix(r.stderr, "dealsite: output folder ") || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
				t.Errorf("want exit 2 and %q, got:\n%s", tc.want, r)
			}
			if d := diffSnapshots(before, snapshot(t, root)); d != "" {
				t.Fatalf("refused build changed files:\n%s", d)
			}
		})
	}
	// The default output folder and one next to the site are fine.
	build(t, site, filepath.Join(site, "public"))
	build(t, site, filepath.Join(root, "public"))
}

func TestDeterministicOutput(t *testing.T) {
	t.Parallel()
	files := smallSite()
	// Many articles on the same dates, with shared tags in varying case,
	// so that parallel parsing and rendering have work to reorder.
	for i := range 40 {
		files[fmt.Sprintf("content/bulk/%02d.md", i)] = lines("---",
			fmt.Sprintf("title: Event %d", i%7),
			fmt.Sprintf("date: 2012-0%d-01", 1+i%3),
			fmt.Sprintf(`tags: ["Tag %d", "TAG %d", "shared"]`, i%5, (i+1)%5),
			fmt.Sprintf("slug: event-%02d", i),
			"---",
			fmt.Sprintf("Body of event %d, see [alpha](../2011-02-11-alpha.md).", i))
	}
	site := newSite(t, files)
	outA := filepath.Join(t.TempDir(), "a")
	outB := filepath.Join(t.TempDir(), "deeper", "b")
	build(t, site, outA)
	if r := runEnv(t, site, []string{"GOMAXPROCS=1"}, "build", "-site", site, "-out", outB); r.code != 0 {
		t.Fatalf("second build:\n%s", r)
	}
	a, b := snapshot(t, outA), snapshot(t, outB)
	if len(a) < 50 {
		t.Fatalf("only %d files built", len(a))
	}
	if !slices.Equal(slices.Sorted(maps.Keys(a)), slices.Sorted(maps.Keys(b))) {
		t.Fatalf("different file lists:\n%v\n%v", slices.Sorted(maps.Keys(a)), slices.Sorted(maps.Keys(b)))
	}
	for p, f := range a {
		if !bytes.Equal(f.data, b[p].data) {
			t.Errorf("%s differs between two builds", p)
		}
	}
}

func TestBOMAndCRLF(t *testing.T) {
	t.Parallel()
	crlf := func(s string) string { return "\xEF\xBB\xBF" + strings.ReplaceAll(s, "\n", "\r\n") }
	files := smallSite()
	files["content/_index.md"] = crlf(indexMD + "\nSecond intro paragraph.\n")
	files["content/windows.md"] = crlf(lines("---", `title: "Saved on Windows"`, "date: 2012-03-04", `tags: ["CRLF"]`, "summary: Made in Notepad",
		"sources:", "  - title: Src", "    url: https://example.com/", "---", "First line", "second line.", "", "[alpha](2011-02-11-alpha.md)"))
	site := newSite(t, files)
	out := filepath.Join(t.TempDir(), "out")
	build(t, site, out)
	page := readFile(t, filepath.Join(out, "articles/windows/index.html"))
	for _, want := range []string{"<h1>Saved on Windows</h1>", `content="Made in Notepad"`, `href="/articles/alpha/"`, `href="/tags/crlf/"`} {
		if !strings.Contains(page, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	for p, f := range snapshot(t, out) {
		if strings.HasSuffix(p, ".png") {
			continue // a picture, not text: every PNG starts with CR LF by design
		}
		if bytes.Contains(f.data, []byte("\r")) || bytes.Contains(f.data, []byte("\xEF\xBB\xBF")) {
			t.Errorf("%s contains a CR or a byte-order mark", p)
		}
	}
	if index := readFile(t, filepath.Join(out, "index.html")); !strings.Contains(index, "<title>Test deals</title>") || !strings.Contains(index, "<p>Second intro paragraph.</p>") {
		t.Error("settings or intro from a BOM+CRLF _index.md not used")
	}
}

func TestLayoutOverride(t *testing.T) {
	t.Parallel()
	files := smallSite()
	files["layouts/article.html"] = lines(`{{template "base" .}}`, `{{define "main" -}}`, `<p class="custom">CUSTOM ARTICLE LAYOUT: {{.Article.Title}}</p>`, `{{- end}}`)
	files["layouts/partials/footer-note.html"] = `{{define "note"}}unused shared template{{end}}`
	site := newSite(t, files)
	out := filepath.Join(t.TempDir(), "out")
	build(t, site, out)
	article := readFile(t, filepath.Join(out, "articles/alpha/index.html"))
	for _, want := range []string{`<p class="custom">CUSTOM ARTICLE LAYOUT: Alpha partnership</p>`, `<header class="site-header">`, "<title>Alpha partnership · Test deals</title>"} {
		if !strings.Contains(article, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	if strings.Contains(article, `class="pager"`) {
		t.Error("article page still uses the theme's article.html")
	}
	for _, p := range []string{"index.html", "tags/index.html", "tags/acquisition/index.html", "404.html"} {
		page := readFile(t, filepath.Join(out, p))
		if strings.Contains(page, "CUSTOM") || !strings.Contains(page, `<header class="site-header">`) {
			t.Errorf("%s does not come from the theme", p)
		}
	}
}

func TestStaticFiles(t *testing.T) {
	t.Parallel()
	png := "\x89PNG\r\n\x1a\n\x00\x00binary\xff"
	files := smallSite()
	maps.Copy(files, map[string]string{
		"static/img/logo.png":             png,
		"static/.well-known/security.txt": "Contact: mailto:a@example.org\n",
		"static/_headers":                 "/*\n  X-Frame-Options: DENY\n",
		"static/robots.txt":               "User-agent: *\nDisallow: /\n",
		"static/css/style.css":            "body{color:red}",
		"static/notes.txt~":               "editor backup",
		"static/#notes.txt#":              "emacs",
		"static/.DS_Store":                "finder",
	})
	plain := parseSummary(t, build(t, newSite(t, smallSite()), filepath.Join(t.TempDir(), "plain")).stdout)
	site := newSite(t, files)
	out := filepath.Join(t.TempDir(), "out")
	s := parseSummary(t, build(t, site, out).stdout)
	if want := plain.static + 4; s.static != want {
		t.Errorf("static files: %d, want %d (the theme's, img/logo.png, .well-known/security.txt, _headers, robots.txt)", s.static, want)
	}
	for p, want := range map[string]string{
		"img/logo.png":             png,
		".well-known/security.txt": files["static/.well-known/security.txt"],
		"_headers":                 files["static/_headers"],
		"robots.txt":               files["static/robots.txt"],
		"css/style.css":            "body{color:red}",
	} {
		if got := readFile(t, filepath.Join(out, filepath.FromSlash(p))); got != want {
			t.Errorf("%s = %q, want %q", p, got, want)
		}
	}
	if svg := readFile(t, filepath.Join(out, "favicon.svg")); !strings.Contains(svg, "<svg") {
		t.Error("theme's favicon.svg missing")
	}
	for _, p := range []string{"notes.txt~", "#notes.txt#", ".DS_Store"} {
		if exists(filepath.Join(out, p)) {
			t.Errorf("editor leftover %s was copied", p)
		}
	}
}

func TestArticleLinks(t *testing.T) {
	t.Parallel()
	files := smallSite()
	files["content/_index.md"] = indexMD + "\nStart with [beta](2013/2013-09-03-beta.md) or [the terms](2011-02-11-alpha.md#terms).\n"
	files["content/2011-02-11-alpha.md"] += "\nLater came [beta](2013/2013-09-03-beta.md), [gamma](./gamma.md) and [home](_index.md).\n"
	files["content/2013/2013-09-03-beta.md"] += "\nAlso [gamma](../gamma.md?x=1) and [a sibling](sub/../2013-09-03-beta.md).\n"
	site := newSite(t, files)
	out := filepath.Join(t.TempDir(), "out")
	build(t, site, out)
	for p, wants := range map[string][]string{
		"index.html":                {`<a href="/articles/beta/">beta</a>`, `<a href="/articles/alpha/#terms">the terms</a>`},
		"articles/alpha/index.html": {`<a href="/articles/beta/">beta</a>`, `<a href="/articles/gamma-deal/">gamma</a>`, `<a href="/">home</a>`},
		"articles/beta/index.html":  {`<a href="/articles/alpha/#terms">the alpha deal</a>`, `<a href="/articles/gamma-deal/">gamma</a>`, `<a href="/articles/beta/">a sibling</a>`},
	} {
		page := readFile(t, filepath.Join(out, p))
		for _, want := range wants {
			if !strings.Contains(page, want) {
				t.Errorf("%s lacks %s", p, want)
			}
		}
		if strings.Contains(page, ".md") || strings.Contains(page, "dealsite-ref") {
			t.Errorf("%s has an unresolved link", p)
		}
	}
	// With -drafts a link to a draft is fine; without it, an error.
	files["content/2013/draft.md"] = lines("---", "title: Draft", "date: 2013-10-10", "draft: true", "---", "x")
	files["content/gamma.md"] += "\nSee [the draft](2013/draft.md).\n"
	site = newSite(t, files)
	checkDiagnostics(t, buildFails(t, site, filepath.Join(t.TempDir(), "out")), []string{"content/gamma.md:9: link to content/2013/draft.md, which is a draft"})
	out = filepath.Join(t.TempDir(), "out")
	build(t, site, out, "-drafts")
	if page := readFile(t, filepath.Join(out, "articles/gamma-deal/index.html")); !strings.Contains(page, `<a href="/articles/draft/">the draft</a>`) {
		t.Error("link to the draft not resolved with -drafts")
	}
}

func TestTags(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"content/_index.md": indexMD,
		// Path order differs from time order: the 2011 spelling wins.
		"content/a.md": lines("---", "title: A", "date: 2013-01-01", `tags: ["windows  phone", "C", "Nokia?"]`, "---", "a"),
		"content/z.md": lines("---", "title: Z", "date: 2011-01-01", `tags: ["Windows Phone", "C++", "C#", "Ünïcödé 日本", "Nokia!", "WINDOWS PHONE"]`, "---", "z"),
	}
	site := newSite(t, files)
	out := filepath.Join(t.TempDir(), "out")
	s := parseSummary(t, build(t, site, out).stdout)
	if s.tags != 7 {
		t.Errorf("tags: %d, want 7", s.tags)
	}
	for slug, name := range map[string]string{
		"windows-phone": "Windows Phone",
		"c":             "C",
		"c-plus-plus":   "C&#43;&#43;",
		"c-sharp":       "C#",
		"ünïcödé-日本":    "Ünïcödé 日本",
		"nokia":         "Nokia!",
		"nokia-2":       "Nokia?",
	} {
		page := readFile(t, filepath.Join(out, "tags", slug, "index.html"))
		if !strings.Contains(page, `<span class="eyebrow">Tag</span> `+name+`</h1>`) {
			t.Errorf("tags/%s: heading is not %q", slug, name)
		}
	}
	wp := readFile(t, filepath.Join(out, "tags/windows-phone/index.html"))
	if !strings.Contains(wp, "2 events") {
		t.Error("windows-phone does not group both spellings")
	}
	tags := readFile(t, filepath.Join(out, "tags/index.html"))
	if !strings.Contains(tags, `href="/tags/%C3%BCn%C3%AFc%C3%B6d%C3%A9-%E6%97%A5%E6%9C%AC/"`) {
		t.Error("unicode tag link is not percent-encoded")
	}
	if z := readFile(t, filepath.Join(out, "articles/z/index.html")); strings.Count(z, `rel="tag"`) != 5 {
		t.Errorf("article z should list 5 distinct tags, got %d", strings.Count(z, `rel="tag"`))
	}
}

// TestDateWithOffset: an RFC 3339 date is shown, and grouped, on the
// calendar day the editor wrote, not on the day it falls in UTC.
func TestDateWithOffset(t *testing.T) {
	t.Parallel()
	files := smallSite()
	files["content/newyear.md"] = lines("---", "title: New year deal", "date: 2014-01-01T00:30:00+02:00", "---", "x")
	files["content/evening.md"] = lines("---", "title: Evening deal", "date: 2012-09-03T23:00:00-05:00", "---", "x")
	site := newSite(t, files)
	out := filepath.Join(t.TempDir(), "out")
	build(t, site, out)
	index := readFile(t, filepath.Join(out, "index.html"))
	for _, want := range []string{`id="year-2014"`, ">1 January 2014</time>", ">3 September 2012</time>"} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if page := readFile(t, filepath.Join(out, "articles/newyear/index.html")); !strings.Contains(page, ">1 January 2014</time>") {
		t.Error("article page does not show the date as written")
	}
}

// TestStaticEditorLeftovers: swap files editors leave next to the files
// being edited in static/ are not published. Vim names them
// ".NAME.swp", so they start with a dot.
func TestStaticEditorLeftovers(t *testing.T) {
	t.Parallel()
	files := smallSite()
	maps.Copy(files, map[string]string{
		"static/css/extra.css":      "p{}",
		"static/css/.extra.css.swp": "vim swap",
		"static/css/.extra.css.swx": "vim swap",
		"static/css/extra.css~":     "backup",
	})
	site := newSite(t, files)
	out := filepath.Join(t.TempDir(), "out")
	build(t, site, out)
	if !exists(filepath.Join(out, "css/extra.css")) {
		t.Fatal("css/extra.css not copied")
	}
	for _, p := range []string{"css/.extra.css.swp", "css/.extra.css.swx", "css/extra.css~"} {
		if exists(filepath.Join(out, p)) {
			t.Errorf("editor leftover static/%s was published", p)
		}
	}
}

// tinyPNG is a 2×2 PNG, for sites that show an image.
var tinyPNG = func() string {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		panic(err)
	}
	return b.String()
}()

// TestCheckReusesTheMediaCache: check encodes a site's pictures as build
// does, so it keeps them in the same cache folder (-cache) instead of
// encoding every picture again on every run.
func TestCheckReusesTheMediaCache(t *testing.T) {
	files := smallSite()
	files["static/img/dot.png"] = tinyPNG
	files["content/2013/dot.md"] = "---\ntitle: A dot\ndate: 2013-05-01\n---\n![A grey dot](/img/dot.png)\n"
	site := newSite(t, files)
	cache := filepath.Join(t.TempDir(), "cache")
	if r := runIn(t, site, "check", "-cache", cache); r.code != 0 {
		t.Fatalf("check: %s", r)
	}
	var kept []string
	_ = filepath.WalkDir(cache, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			kept = append(kept, p)
		}
		return nil
	})
	if len(kept) == 0 {
		t.Fatalf("check -cache %s kept no encoded picture there", cache)
	}
}
