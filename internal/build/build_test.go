package build

import (
	"bytes"
	"context"
	"flag"
	"github.com/dealsite/dealsite/internal/outdir"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dealsite/dealsite/layouts"
	"github.com/dealsite/dealsite/static"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var theme = Theme{Layouts: layouts.FS, Static: static.FS}

// isGolden picks the generated files the golden tests compare; theme
// assets change with design work and are not content.
func isGolden(p string) bool {
	return strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".txt") || strings.HasSuffix(p, ".json")
}

// TestGolden builds each testdata/golden/<case>/site and compares every
// generated page with testdata/golden/<case>/want. Run with -update to
// regenerate, then review the diff.
func TestGolden(t *testing.T) {
	cases, _ := filepath.Glob("testdata/golden/*")
	if len(cases) == 0 {
		t.Fatal("no golden cases")
	}
	for _, dir := range cases {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			out, err := Build(context.Background(), os.DirFS(filepath.Join(dir, "site")), Options{Theme: theme})
			if err != nil {
				t.Fatal(err)
			}
			want := filepath.Join(dir, "want")
			if *update {
				os.RemoveAll(want)
				for _, p := range out.Paths() {
					if b, _ := out.File(p); isGolden(p) {
						mustWrite(t, filepath.Join(want, p), b)
					}
				}
			}
			compareTree(t, out, want)
		})
	}
}

func compareTree(t *testing.T, out *Output, want string) {
	t.Helper()
	var wantPaths []string
	err := filepath.WalkDir(want, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(want, p)
			wantPaths = append(wantPaths, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(wantPaths)
	var gotPaths []string
	for _, p := range out.Paths() {
		if isGolden(p) {
			gotPaths = append(gotPaths, p)
		}
	}
	if !slices.Equal(gotPaths, wantPaths) {
		t.Fatalf("files:\n got %q\nwant %q", gotPaths, wantPaths)
	}
	for _, p := range gotPaths {
		got, _ := out.File(p)
		w, _ := os.ReadFile(filepath.Join(want, p))
		if !bytes.Equal(got, w) {
			t.Errorf("%s differs from golden file (run go test -update and review the diff):\n%s", p, firstDiff(string(got), string(w)))
		}
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return ""
}

// TestErrors builds each testdata/errors/<case> and compares the error
// text with its want.err file.
func TestErrors(t *testing.T) {
	cases, _ := filepath.Glob("testdata/errors/*")
	if len(cases) == 0 {
		t.Fatal("no error cases")
	}
	for _, dir := range cases {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			_, err := Build(context.Background(), os.DirFS(filepath.Join(dir, "site")), Options{Theme: theme})
			if err == nil {
				t.Fatal("build succeeded, want errors")
			}
			got := err.Error() + "\n"
			wantFile := filepath.Join(dir, "want.err")
			if *update {
				mustWrite(t, wantFile, []byte(got))
			}
			want, _ := os.ReadFile(wantFile)
			if got != string(want) {
				t.Errorf("errors:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func mustWrite(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDeterministic(t *testing.T) {
	site := os.DirFS("testdata/golden/basic/site")
	a, err := Build(context.Background(), site, Options{Theme: theme})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b, err := Build(context.Background(), site, Options{Theme: theme})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.Paths(), b.Paths()) {
			t.Fatal("paths differ between builds")
		}
		for _, p := range a.Paths() {
			x, _ := a.File(p)
			y, _ := b.File(p)
			if !bytes.Equal(x, y) {
				t.Fatalf("%s differs between builds", p)
			}
		}
	}
}

func TestDraftsOption(t *testing.T) {
	site := os.DirFS("testdata/golden/basic/site")
	out, err := Build(context.Background(), site, Options{Theme: theme, Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out.File("articles/secret/index.html"); !ok {
		t.Error("-drafts did not publish the draft")
	}
	if _, ok := out.File("tags/secret/index.html"); !ok {
		t.Error("-drafts did not publish the draft's tag")
	}
}

func TestBaseURLOverrideReachesEveryPage(t *testing.T) {
	site := os.DirFS("testdata/golden/basic/site")
	out, err := Build(context.Background(), site, Options{Theme: theme, BaseURL: "https://pages.example.net/x/y"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range out.Paths() {
		b, _ := out.File(p)
		if bytes.Contains(b, []byte("/deals/")) {
			t.Errorf("%s still links under the settings' base path", p)
		}
	}
	home, _ := out.File("index.html")
	if !bytes.Contains(home, []byte(`href="/x/y/articles/partnership/"`)) {
		t.Errorf("home page does not link under /x/y/")
	}
	if _, err := Build(context.Background(), site, Options{Theme: theme, BaseURL: "ftp://nope"}); err == nil {
		t.Error("bad base URL accepted")
	}
}

func TestStaticMayNotHideGeneratedPages(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, "testdata/golden/basic/site", dir)
	mustWrite(t, filepath.Join(dir, "static/index.html"), []byte("oops"))
	mustWrite(t, filepath.Join(dir, "static/robots.txt"), []byte("User-agent: *\nDisallow: /\n"))
	out, err := Build(context.Background(), os.DirFS(dir), Options{Theme: theme})
	if err == nil || !strings.Contains(err.Error(), "static/index.html: error DS405: would overwrite the generated page index.html") {
		t.Fatalf("error = %v", err)
	}
	os.Remove(filepath.Join(dir, "static/index.html"))
	out, err = Build(context.Background(), os.DirFS(dir), Options{Theme: theme})
	if err != nil {
		t.Fatal(err)
	}
	if robots, _ := out.File("robots.txt"); !bytes.Contains(robots, []byte("Disallow")) {
		t.Errorf("static robots.txt did not replace the generated one")
	}
}

func TestStaticSkipsLeftoversAndRefusesFolderClashes(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, "testdata/golden/basic/site", dir)
	for _, name := range []string{".hello.txt.swp", ".x.swx", "x~", "#x#", ".#x", "x___jb_tmp___", "sedAb12Cd", "4913", ".DS_Store", "theme.go"} {
		mustWrite(t, filepath.Join(dir, "static", name), []byte("leftover"))
	}
	mustWrite(t, filepath.Join(dir, "static/.well-known/security.txt"), []byte("Contact: x"))
	out, err := Build(context.Background(), os.DirFS(dir), Options{Theme: theme})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range out.Paths() {
		if b, _ := out.File(p); string(b) == "leftover" {
			t.Errorf("published editor leftover %s", p)
		}
	}
	if _, ok := out.File(".well-known/security.txt"); !ok {
		t.Error(".well-known/ not copied")
	}
	mustWrite(t, filepath.Join(dir, "static/tags"), []byte("a file"))
	mustWrite(t, filepath.Join(dir, "static/404.html/x.txt"), []byte("under a page"))
	_, err = Build(context.Background(), os.DirFS(dir), Options{Theme: theme})
	for _, want := range []string{"static/tags: error DS405: is a file where the site needs the folder tags/", "static/404.html/x.txt: error DS405: needs a folder where the site has the page 404.html"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %q", err, want)
		}
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
}

// readDir returns every file under dir (slash paths) with its bytes, but
// the manifest, which is not build output.
func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == filepath.Join(dir, outdir.ManifestName) {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[path.Clean(filepath.ToSlash(rel))] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestWarmRebuildEqualsColdBuild edits, adds and deletes files between
// builds through one Builder and compares each result with a fresh build.
func TestWarmRebuildEqualsColdBuild(t *testing.T) {
	site := t.TempDir()
	copyTree(t, "testdata/golden/basic/site", site)
	b := newWarm()
	steps := []func(){
		func() {},
		func() {
			p := filepath.Join(site, "content/2011/2011-02-14-support.md")
			src, _ := os.ReadFile(p)
			mustWrite(t, p, bytes.Replace(src, []byte("Billions in support"), []byte("Billions of support"), 1))
		},
		func() {
			mustWrite(t, filepath.Join(site, "content/2012-new.md"), []byte("---\ntitle: New\ndate: 2012-05-05\ntags: [Fresh]\n---\nNew event.\n"))
		},
		func() { // the body only: listings come from the cache
			mustWrite(t, filepath.Join(site, "content/2012-new.md"), []byte("---\ntitle: New\ndate: 2012-05-05\ntags: [Fresh]\n---\nNew event, told at length.\n"))
		},
		func() { // another year
			mustWrite(t, filepath.Join(site, "content/2012-new.md"), []byte("---\ntitle: New\ndate: 2014-05-05\ntags: [Fresh]\n---\nNew event, told at length.\n"))
		},
		func() {
			mustWrite(t, filepath.Join(site, "content/_index.md"), []byte("---\ntitle: Eras\nbase_url: https://example.org/\neras: [{title: The bet, start: 2011-02, end: 2013-12}]\n---\nIntro.\n"))
		},
		func() {
			mustWrite(t, filepath.Join(site, "content/_index.md"), []byte("---\ntitle: Renamed\nbase_url: https://example.org/\nunsafe_html: true\n---\nIntro <b>raw</b>.\n"))
		},
		func() { // a link target moves: the unchanged article linking to it follows
			p := filepath.Join(site, "content/2013/sale.md")
			src, _ := os.ReadFile(p)
			mustWrite(t, p, bytes.Replace(src, []byte("slug: phone-business-sale"), []byte("slug: devices-sale"), 1))
		},
		func() {
			os.Remove(filepath.Join(site, "content/2013/sale.md"))
			os.Remove(filepath.Join(site, "content/2011/2011-02-11-partnership.md"))
		},
	}
	for i, step := range steps {
		step()
		warm, err := b.Build(context.Background(), os.DirFS(site), Options{Theme: theme})
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		cold, err := Build(context.Background(), os.DirFS(site), Options{Theme: theme})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(warm.Paths(), cold.Paths()) {
			t.Fatalf("step %d: paths differ:\nwarm %q\ncold %q", i, warm.Paths(), cold.Paths())
		}
		for _, p := range cold.Paths() {
			w, _ := warm.File(p)
			c, _ := cold.File(p)
			if !bytes.Equal(w, c) {
				t.Errorf("step %d: %s differs between warm and cold builds", i, p)
			}
		}
	}
}
