package build_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/content"
)

// An adversarial case is a site with one hostile thing in it. Each must
// end in a clear error naming the hostile file, or in a correct site,
// within a stated memory bound. Time is bounded by go test -timeout, not
// by a wall-clock assertion.
type adversarialCase struct {
	name string
	// slow cases are skipped under -short.
	slow bool
	// noRace, when set, says why the case is skipped under the race
	// detector, which makes it take many minutes.
	noRace string
	// setup adds the hostile files to dir, a site that already holds
	// content/_index.md and the article content/ok.md.
	setup func(t *testing.T, dir string)
	// check judges the outcome.
	check func(t *testing.T, out *build.Output, err error)
	// maxAlloc bounds the bytes the build may allocate in all (which
	// bounds its peak heap from above).
	maxAlloc uint64
}

const (
	kib = 1 << 10
	mib = 1 << 20
	gib = 1 << 30
)

// secret marks text outside the site that must never be published.
const secret = "TOP-SECRET-outside-the-site"

func TestAdversarialSites(t *testing.T) {
	for _, tc := range adversarialCases() {
		t.Run(tc.name, func(t *testing.T) {
			if tc.slow && testing.Short() {
				t.Skip("slow: skipped under -short")
			}
			if tc.noRace != "" && raceEnabled() {
				t.Skip("skipped under -race: " + tc.noRace)
			}
			dir := newAdversarialSite(t)
			tc.setup(t, dir)
			m := measureBuild(t, dir)
			t.Logf("allocated %s in all (bound %s), peak heap %s (sampled), heap kept with the output %s",
				size(m.alloc), size(tc.maxAlloc), size(m.peak), size(m.after))
			if m.err != nil {
				t.Logf("error: %.600s", m.err)
			} else {
				st := m.out.Stats()
				t.Logf("built %d files (%s): %d pages, %d articles, %d tags", len(m.out.Paths()), size(outputSize(m.out)), st.Pages, st.Articles, st.Tags)
			}
			tc.check(t, m.out, m.err)
			if m.alloc > tc.maxAlloc {
				t.Errorf("the build allocated %s, over the bound of %s", size(m.alloc), size(tc.maxAlloc))
			}
		})
	}
}

func adversarialCases() []adversarialCase {
	return []adversarialCase{
		{
			name:     "yaml-alias-bomb",
			setup:    writeFile("content/bomb.md", aliasBomb(9)),
			check:    wantRefused("content/bomb.md"),
			maxAlloc: 256 * mib,
		},
		{
			name:     "50MB-article",
			slow:     true,
			noRace:   "50 MB through goldmark",
			setup:    writeFileFunc("content/big.md", bigArticle(50*mib)),
			check:    wantRefusedOrSite("content/big.md", "articles/big/index.html"),
			maxAlloc: 2 * gib,
		},
		{
			// The largest article the build accepts must build within
			// the same bound.
			name:     "article-at-size-limit",
			slow:     true,
			noRace:   "16 MB through goldmark",
			setup:    writeFileFunc("content/big.md", bigArticle(content.MaxArticleBytes-64*kib)),
			check:    wantSite("articles/big/index.html"),
			maxAlloc: 2 * gib,
		},
		{
			name:     "10000-tags",
			slow:     true,
			setup:    manyTagsSetup(10000),
			check:    wantRefusedOrSiteWithTags("content/many.md", 10000, "articles/many/index.html", "tags/tag-9999/index.html", "tags/tag-1/feed.xml"),
			maxAlloc: 2 * gib,
		},
		{
			name:     "100000-deep-blockquotes",
			slow:     true,
			noRace:   deepNoRace,
			setup:    writeFile("content/quotes.md", article("Quotes", strings.Repeat("> ", 100000)+"deep\n")),
			check:    wantRefusedOrSite("content/quotes.md", "articles/quotes/index.html"),
			maxAlloc: 1 * gib,
		},
		{
			name:     "100000-deep-lists",
			slow:     true,
			noRace:   deepNoRace,
			setup:    writeFile("content/lists.md", article("Lists", strings.Repeat("- ", 100000)+"deep\n")),
			check:    wantRefusedOrSite("content/lists.md", "articles/lists/index.html"),
			maxAlloc: 1 * gib,
		},
		{
			// Indentation makes the file grow with the square of the
			// depth: 1,000 levels are 1 MB. Nesting is bounded as the
			// parser opens it, across lines, so the 101st level is
			// refused at once, cheap enough to run under -race too.
			name:     "1000-deep-indented-lists",
			setup:    writeFileFunc("content/indented.md", indentedList(1000)),
			check:    wantRefusedWith("content/indented.md:105:", "DS115"),
			maxAlloc: 1 * gib,
		},
		{
			name:     "1MB-single-line",
			setup:    writeFile("content/line.md", article("Line", strings.Repeat("word *em* ", mib/10)+"\n")),
			check:    wantSite("articles/line/index.html"),
			maxAlloc: 512 * mib,
		},
		{
			name: "invalid-utf8",
			setup: writeFile("content/bad-utf8.md", "---\ntitle: \"Bad \xff\xfe title\"\ndate: 2013-09-03\ntags: [\"t\xc3\x28g\"]\n"+
				"summary: \"\xed\xa0\x80 surrogate\"\n---\nBody \xff with \xc0\xaf overlong and \xf4\x90\x80\x80 too high.\n"),
			check:    wantRefusedOrSite("content/bad-utf8.md", "articles/bad-utf8/index.html"),
			maxAlloc: 256 * mib,
		},
		{
			name: "nul-bytes",
			setup: writeFile("content/nul-bytes.md", "---\ntitle: \"Nul \x00 title\"\ndate: 2013-09-03\ntags: [\"a\x00b\"]\n---\n"+
				"Body \x00 with NUL.\n\n[x\x00](https://example.org/\x00)\n"),
			check:    wantRefusedOrSite("content/nul-bytes.md", "articles/nul-bytes/index.html"),
			maxAlloc: 256 * mib,
		},
		{
			name:     "invalid-utf8-body",
			setup:    writeFile("content/bad-body.md", article("Bad body", "Body \xff with \xc0\xaf overlong, \xed\xa0\x80 surrogate and \xf4\x90\x80\x80 too high.\n\n## \xff heading\n")),
			check:    wantRefusedOrSite("content/bad-body.md", "articles/bad-body/index.html"),
			maxAlloc: 256 * mib,
		},
		{
			name:     "nul-bytes-body",
			setup:    writeFile("content/nul-body.md", article("Nul body", "Body \x00 with NUL.\n\n## \x00 heading\n\n[x\x00](https://example.org/\x00) `\x00`\n")),
			check:    wantRefusedOrSite("content/nul-body.md", "articles/nul-body/index.html"),
			maxAlloc: 256 * mib,
		},
		{
			name:     "binary-file-named-md",
			setup:    writeFileFunc("content/x.md", binaryData(64*kib)),
			check:    wantRefused("content/x.md"),
			maxAlloc: 256 * mib,
		},
		{
			name:     "name-with-spaces",
			setup:    writeFile("content/with  some spaces.md", article("Spaces", "Body.\n")),
			check:    wantSite("articles/with-some-spaces/index.html"),
			maxAlloc: 256 * mib,
		},
		{
			name:     "name-unicode",
			setup:    writeFile("content/Übernahme 日本 ﬁ.md", article("Unicode", "Body.\n")),
			check:    wantSite("articles/übernahme-日本-ﬁ/index.html"),
			maxAlloc: 256 * mib,
		},
		{
			name:     "name-dot-dot",
			setup:    writeFile("content/a..b.md", article("Dots", "Body.\n")),
			check:    wantSite("articles/a-b/index.html"),
			maxAlloc: 256 * mib,
		},
		{
			// A name starting with a dot is a hidden file: ignored.
			name:     "name-only-dots",
			setup:    writeFile("content/....md", article("Only dots", "Body.\n")),
			check:    wantArticles(1),
			maxAlloc: 256 * mib,
		},
		{
			name:     "name-windows-con",
			setup:    writeFile("content/con.md", article("Con", "Body.\n")),
			check:    wantSite("articles/con/index.html"),
			maxAlloc: 256 * mib,
		},
		{
			name:     "name-windows-nul",
			setup:    writeFile("content/nul.md", article("Nul", "Body.\n")),
			check:    wantSite("articles/nul/index.html"),
			maxAlloc: 256 * mib,
		},
		{
			name:     "name-windows-aux",
			setup:    writeFile("content/AUX.md", article("Aux", "Body.\n")),
			check:    wantSite("articles/aux/index.html"),
			maxAlloc: 256 * mib,
		},
		{
			name:     "name-250-bytes",
			setup:    writeFile("content/"+strings.Repeat("n", 247)+".md", article("Long", "Body.\n")),
			check:    wantSite("articles/" + strings.Repeat("n", 100) + "/index.html"),
			maxAlloc: 256 * mib,
		},
		{
			name:     "symlinked-article-outside-site",
			setup:    symlinkOutside("content/leak.md", "secret.md", article("Leak", secret+"\n")),
			check:    wantRefusedOrIgnored("content/leak.md", secret),
			maxAlloc: 256 * mib,
		},
		{
			name:     "symlinked-folder-outside-site",
			setup:    symlinkOutside("content/elsewhere", "secret/leak.md", article("Leak", secret+"\n")),
			check:    wantRefusedOrIgnored("content/elsewhere", secret),
			maxAlloc: 256 * mib,
		},
		{
			name:     "symlinked-static-file-outside-site",
			setup:    symlinkOutside("static/leak.txt", "secret.txt", secret+"\n"),
			check:    wantRefusedOrIgnored("static/leak.txt", secret),
			maxAlloc: 256 * mib,
		},
		{
			name:  "symlink-folder-loop",
			setup: symlinks(map[string]string{"content/loop": "..", "content/sub/up": "../..", "content/a": "b", "content/b": "a"}),
			// Links to folders are not followed, and said so (DS005).
			check:    wantRefusedAll("content/loop", "content/sub/up", "content/a", "content/b"),
			maxAlloc: 256 * mib,
		},
		{
			name:     "symlink-to-itself-named-md",
			setup:    symlinks(map[string]string{"content/self.md": "self.md"}),
			check:    wantRefused("content/self.md"),
			maxAlloc: 256 * mib,
		},
		{
			name:     "folder-named-md",
			setup:    writeFile("content/folder.md/inner.md", article("Inner", "Body.\n")),
			check:    wantSite("articles/inner/index.html"),
			maxAlloc: 256 * mib,
		},
		{
			name:     "unreadable-file",
			setup:    unreadable("content/locked.md"),
			check:    wantRefused("content/locked.md"),
			maxAlloc: 256 * mib,
		},
	}
}

// newAdversarialSite makes a site folder with settings and one ordinary
// article, so every case also proves the rest of the site still builds.
func newAdversarialSite(t *testing.T) string { return newAdversarialSiteB(t) }

func newAdversarialSiteB(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	mustWriteFile(t, filepath.Join(dir, "content", "_index.md"), []byte("---\ntitle: \"Adversarial\"\nbase_url: \"https://example.org/\"\n---\nIntro.\n"))
	mustWriteFile(t, filepath.Join(dir, "content", "ok.md"), []byte(article("Ordinary", "An ordinary article.\n")))
	return dir
}

// article is a valid article file with title and body.
func article(title, body string) string {
	return "---\ntitle: " + fmt.Sprintf("%q", title) + "\ndate: 2013-09-03\n---\n" + body
}

func writeFile(rel, data string) func(*testing.T, string) {
	return func(t *testing.T, dir string) { mustWriteFile(t, filepath.Join(dir, rel), []byte(data)) }
}

// writeFileFunc writes data made when the case runs, so large inputs
// are generated only for the cases that run, and never committed.
func writeFileFunc(rel string, data func() []byte) func(*testing.T, string) {
	return func(t *testing.T, dir string) { mustWriteFile(t, filepath.Join(dir, rel), data()) }
}

func mustWriteFile(t testing.TB, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// bigArticle is an article of about n bytes of ordinary markdown.
func bigArticle(n int) func() []byte {
	return func() []byte {
		para := "The *parties* agreed on **terms** with [a link](https://example.org/) and `code`, " +
			"then wrote it all down again in a long paragraph that goes on for a while.\n\n" +
			"## A heading\n\n- one\n- two\n\n"
		var b bytes.Buffer
		b.Grow(n + len(para))
		b.WriteString(article("Big", ""))
		for b.Len() < n {
			b.WriteString(para)
		}
		return b.Bytes()
	}
}

// indentedList is a list nested depth levels deep by indentation, one
// item per line: each level is indented two more spaces.
func indentedList(depth int) func() []byte {
	return func() []byte {
		var b bytes.Buffer
		b.WriteString(article("Indented", ""))
		for i := range depth {
			b.WriteString(strings.Repeat("  ", i))
			b.WriteString("- x\n")
		}
		return b.Bytes()
	}
}

// binaryData is deterministic bytes that look like no text file: a PNG
// signature and hashed noise, with NULs.
func binaryData(n int) func() []byte {
	return func() []byte {
		b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
		for sum := sha256.Sum256(nil); len(b) < n; sum = sha256.Sum256(sum[:]) {
			b = append(b, sum[:]...)
		}
		return b
	}
}

// manyTagsArticle is content/many.md with n tags, tag-1 … tag-n.
func manyTagsArticle(n int) string {
	var b strings.Builder
	b.WriteString("---\ntitle: Many\ndate: 2013-09-03\ntags:\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  - tag %d\n", i)
	}
	b.WriteString("---\nMany tags.\n")
	return b.String()
}

// manyTagsSetup first measures how a build's allocations grow with the
// number of tags on one article, from two small probes (250 and 500
// tags). If that growth, extrapolated to n tags, would exceed the case's
// 2 GiB bound, the case fails right away instead of exhausting the
// machine's memory; otherwise (or when the probes are refused for having
// too many tags) it writes the article with n tags.
func manyTagsSetup(n int) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		probe := func(k int) uint64 {
			d := newAdversarialSite(t)
			writeFile("content/many.md", manyTagsArticle(k))(t, d)
			m := measureBuild(t, d)
			if m.err != nil {
				checkDiagPaths(t, m.err, "content/many.md")
				t.Logf("probe with %d tags refused: %v", k, m.err)
				return 0
			}
			return m.alloc
		}
		a1 := probe(250)
		if a1 == 0 { // a limit on tags: the full case is refused cheaply
			writeFile("content/many.md", manyTagsArticle(n))(t, dir)
			return
		}
		a2 := probe(500)
		exponent := math.Log2(float64(a2) / float64(a1))
		projected := float64(a2) * math.Pow(float64(n)/500, exponent)
		t.Logf("probes: 250 tags allocate %s, 500 tags %s: growth ~ tags^%.2f, %d tags projected to %s",
			size(a1), size(a2), exponent, n, size(uint64(math.Min(projected, math.MaxUint64/2))))
		if exponent > 1.5 && projected > 2*gib {
			t.Fatalf("allocations grow as tags^%.2f: %d tags on one article would allocate about %s (over 2 GiB); not running it", exponent, n, size(uint64(math.Min(projected, math.MaxUint64/2))))
		}
		writeFile("content/many.md", manyTagsArticle(n))(t, dir)
	}
}

// symlinkOutside puts target (with data) in a folder beside the site,
// outside it, and links rel inside the site to it.
func symlinkOutside(rel, target, data string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		outside := filepath.Join(filepath.Dir(dir), "outside")
		mustWriteFile(t, filepath.Join(outside, target), []byte(data))
		link := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			t.Fatal(err)
		}
		to := filepath.Join(outside, strings.Split(target, "/")[0])
		if err := os.Symlink(to, link); err != nil {
			t.Skipf("cannot make symlinks: %v", err)
		}
	}
}

// symlinks makes each link (relative to the site) point to its target,
// written as is.
func symlinks(links map[string]string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		for link, target := range links {
			p := filepath.Join(dir, link)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, p); err != nil {
				t.Skipf("cannot make symlinks: %v", err)
			}
		}
	}
}

// unreadable writes a valid article and takes away every permission. As
// root (or anywhere permissions do not stop reads) the case is skipped.
func unreadable(rel string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		mustWriteFile(t, p, []byte(article("Locked", "Body.\n")))
		if err := os.Chmod(p, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(p, 0o644) })
		if f, err := os.Open(p); err == nil {
			f.Close()
			t.Skip("permissions do not stop reads here (running as root?)")
		}
	}
}

// wantRefused expects an error whose every diagnostic names path.
// wantRefusedAll wants an error naming each of paths, and only them.
func wantRefusedAll(paths ...string) func(*testing.T, *build.Output, error) {
	return func(t *testing.T, out *build.Output, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("built %d files; want an error naming %q", len(out.Paths()), paths)
		}
		checkDiagPaths(t, err, paths...)
		for _, p := range paths {
			if !strings.Contains(err.Error(), p+":") {
				t.Errorf("no diagnostic names %s: %v", p, err)
			}
		}
	}
}

func wantRefused(path string) func(*testing.T, *build.Output, error) {
	return func(t *testing.T, out *build.Output, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("built %d files; want an error naming %s", len(out.Paths()), path)
		}
		checkDiagPaths(t, err, path)
	}
}

// wantRefusedWith expects an error holding each of parts, such as a
// path:line and a diagnostic code.
func wantRefusedWith(parts ...string) func(*testing.T, *build.Output, error) {
	return func(t *testing.T, out *build.Output, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("built %d files; want an error with %q", len(out.Paths()), parts)
		}
		for _, p := range parts {
			if !strings.Contains(err.Error(), p) {
				t.Errorf("the error lacks %q: %v", p, err)
			}
		}
	}
}

// wantSite expects a correct site holding pages.
func wantSite(pages ...string) func(*testing.T, *build.Output, error) {
	return func(t *testing.T, out *build.Output, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("want a site, got: %v", err)
		}
		checkSite(t, out, pages)
	}
}

func checkSite(t *testing.T, out *build.Output, pages []string) {
	t.Helper()
	for _, p := range append([]string{"index.html", "articles/ok/index.html"}, pages...) {
		if _, ok := out.File(p); !ok {
			t.Errorf("no %s among %d files", p, len(out.Paths()))
		}
	}
	checkOutput(t, out, "/")
	checkWrite(t, context.Background(), out)
}

// wantRefusedOrSiteWithTags accepts a clear error naming path, or a
// correct site with n tags.
func wantRefusedOrSiteWithTags(path string, n int, pages ...string) func(*testing.T, *build.Output, error) {
	return func(t *testing.T, out *build.Output, err error) {
		t.Helper()
		if err != nil {
			checkDiagPaths(t, err, path)
			return
		}
		wantSite(pages...)(t, out, err)
		if got := out.Stats().Tags; got != n {
			t.Errorf("%d tags, want %d", got, n)
		}
	}
}

// wantArticles expects a correct site with n published articles (the
// hostile file ignored).
func wantArticles(n int) func(*testing.T, *build.Output, error) {
	return func(t *testing.T, out *build.Output, err error) {
		t.Helper()
		wantSite()(t, out, err)
		if got := out.Stats().Articles; got != n {
			t.Errorf("%d articles, want %d", got, n)
		}
	}
}

// wantRefusedOrSite accepts either a clear error naming path or a
// correct site holding page.
func wantRefusedOrSite(path, page string) func(*testing.T, *build.Output, error) {
	return func(t *testing.T, out *build.Output, err error) {
		t.Helper()
		if err != nil {
			checkDiagPaths(t, err, path)
			return
		}
		checkSite(t, out, []string{page})
	}
}

// wantRefusedOrIgnored accepts an error naming path, or a correct site
// where nothing of what path points to was published.
func wantRefusedOrIgnored(path, secret string) func(*testing.T, *build.Output, error) {
	return func(t *testing.T, out *build.Output, err error) {
		t.Helper()
		if err != nil {
			checkDiagPaths(t, err, path)
			return
		}
		checkSite(t, out, nil)
		for _, p := range out.Paths() {
			if b, _ := out.File(p); bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s publishes a file from outside the site, read through the symlink %s", p, path)
			}
		}
	}
}

// measured is one build with what it cost.
type measured struct {
	out   *build.Output
	err   error
	alloc uint64 // bytes allocated during the build (runtime.MemStats.TotalAlloc)
	peak  uint64 // the largest live heap seen by a sampler during the build
	after uint64 // live heap after the build and a GC, with the output held
}

// measureBuild builds the site in dir the way the dealsite command does
// (through an os.Root, so symlinks cannot lead outside it) and measures
// its memory.
func measureBuild(t testing.TB, dir string) measured {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	fsys := root.FS()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	stop, peak := samplePeakHeap()
	out, err := build.Build(context.Background(), fsys, build.Options{Theme: defaultTheme})
	stop()
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	runtime.GC()
	runtime.ReadMemStats(&after)
	return measured{out: out, err: err, alloc: alloc, peak: *peak, after: after.HeapAlloc}
}

// samplePeakHeap reads the live heap size every few milliseconds, without
// stopping the world, until stop is called. It reports a lower bound of
// the true peak: for information, never asserted.
func samplePeakHeap() (stop func(), peak *uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var max uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			max = maxOf(max, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }, &max
}

func maxOf(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

// deepNoRace is why the deep-nesting cases skip the race detector:
// goldmark's block parser rescans the rest of the line for every level
// it opens, which the race detector slows down eightfold (three minutes
// and more per case).
const deepNoRace = "goldmark's time grows with the square of the nesting depth"

// raceEnabled reports whether the test binary was built with -race.
func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

func outputSize(out *build.Output) uint64 {
	var n uint64
	for _, p := range out.Paths() {
		b, _ := out.File(p)
		n += uint64(len(b))
	}
	return n
}

func size(n uint64) string {
	switch {
	case n >= gib:
		return fmt.Sprintf("%.2f GiB", float64(n)/gib)
	case n >= mib:
		return fmt.Sprintf("%.1f MiB", float64(n)/mib)
	default:
		return fmt.Sprintf("%.1f KiB", float64(n)/kib)
	}
}

// TestAdversarialFIFO puts a named pipe called fifo.md in content/. No
// process ever writes to it, so a build that opens it would wait forever.
// The test detects that without a clock: it opens the pipe's write end,
// which succeeds only once the build has opened the read end, then
// closes it so the build sees an empty file and finishes.
func TestAdversarialFIFO(t *testing.T) {
	dir := newAdversarialSite(t)
	fifo := filepath.Join(dir, "content", "fifo.md")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("cannot make a named pipe: %v", err)
	}
	built := make(chan measured, 1)
	go func() { built <- measureBuild(t, dir) }()
	opened := make(chan *os.File, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			close(opened)
			return
		}
		opened <- f
	}()
	var m measured
	select {
	case m = <-built:
		// The build never opened the pipe. Release the writer above.
		if r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			if w, ok := <-opened; ok {
				w.Close()
			}
			r.Close()
		}
	case w, ok := <-opened:
		if ok {
			w.Close()
		}
		m = <-built
		t.Errorf("the build opened the named pipe content/fifo.md and waited for a writer: it would hang forever (result once released: %v)", m.err)
	}
	if m.err != nil {
		checkDiagPaths(t, m.err, "content/fifo.md")
	}
}

// aliasBomb is a YAML "billion laughs" in an article's front matter:
// each level refers ten times to the one before, so expanding it fully
// would make 10^levels strings.
func aliasBomb(levels int) string {
	var b strings.Builder
	b.WriteString("---\ntitle: A\ndate: 2013-09-03\nsummary: &l0 \"lol\"\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "x%d: &l%d [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	fmt.Fprintf(&b, "tags: *l%d\n---\nBody.\n", levels)
	return b.String()
}

// BenchmarkDeepNesting builds one article nested depth levels deep on a
// single line, at doubling depths up to content.MaxNesting, the deepest
// the build accepts (goldmark's time grows with the square of the depth,
// which is why deeper lines are refused), so the cost at the limit can be
// read off the results.
func BenchmarkDeepNesting(b *testing.B) {
	for _, marker := range []string{"> ", "- "} {
		for _, depth := range []int{content.MaxNesting / 4, content.MaxNesting / 2, content.MaxNesting} {
			b.Run(fmt.Sprintf("%s-%d", map[string]string{"> ": "blockquotes", "- ": "lists"}[marker], depth), func(b *testing.B) {
				dir := newAdversarialSiteB(b)
				mustWriteFile(b, filepath.Join(dir, "content", "deep.md"), []byte(article("Deep", strings.Repeat(marker, depth)+"x\n")))
				fsys := os.DirFS(dir)
				b.ReportAllocs()
				for b.Loop() {
					if _, err := build.Build(context.Background(), fsys, build.Options{Theme: defaultTheme}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// devZeroChildEnv names the site a child test process builds in
// TestAdversarialSymlinkToDevZero.
const devZeroChildEnv = "DEALSITE_TEST_DEVZERO_SITE"

// devZeroHeapBound is the heap the child may use before it gives up.
const devZeroHeapBound = 1 * gib

// TestAdversarialSymlinkToDevZero links content/zero.md to /dev/zero, a
// file that never ends. A build that reads it whole would take all the
// machine's memory, so the build runs in a child process that exits as
// soon as its heap passes 1 GiB; the parent then reports the bug. A build
// that refuses the file (or ignores it) passes. The child reads the site
// through os.DirFS, which follows the link (an os.Root would refuse it as
// leaving the site), so this tests the build's own care with files that
// are not regular.
func TestAdversarialSymlinkToDevZero(t *testing.T) {
	if dir := os.Getenv(devZeroChildEnv); dir != "" {
		devZeroChild(dir)
		return
	}
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	dir := newAdversarialSite(t)
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "content", "zero.md")); err != nil {
		t.Skipf("cannot make symlinks: %v", err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAdversarialSymlinkToDevZero$")
	cmd.Env = append(os.Environ(), devZeroChildEnv+"="+dir)
	outBytes, err := cmd.CombinedOutput()
	output := string(outBytes)
	t.Logf("child: %v\n%s", err, output)
	switch {
	case strings.Contains(output, "HEAP BOUND EXCEEDED"):
		t.Errorf("content/zero.md -> /dev/zero: the build read the endless file until its heap passed %s (it would exhaust the machine's memory)", size(devZeroHeapBound))
	case err != nil:
		t.Errorf("child failed: %v", err)
	case !strings.Contains(output, "BUILD DONE"):
		t.Errorf("child did not report its build")
	}
}

// devZeroChild builds the site in dir while a guard watches the heap,
// and prints the outcome for the parent test.
func devZeroChild(dir string) {
	go func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for range time.Tick(time.Millisecond) {
			if metrics.Read(sample); sample[0].Value.Uint64() > devZeroHeapBound {
				fmt.Println("HEAP BOUND EXCEEDED")
				os.Exit(3)
			}
		}
	}()
	_, err := build.Build(context.Background(), os.DirFS(dir), build.Options{Theme: defaultTheme})
	fmt.Printf("BUILD DONE: %v\n", err)
}
