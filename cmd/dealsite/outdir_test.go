package main_test

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// These tests hold the output folder rules of the README: dealsite
// deletes or overwrites only the files its manifest says it wrote, and a
// path may change between file and folder from one build to the next.

// manifestFile is where dealsite records the files it wrote.
const manifestFile = ".dealsite-manifest"

// keptLine is the summary line about files dealsite did not write.
var keptLine = regexp.MustCompile(`(?m)^Kept (\d+) files? in (.+) that dealsite did not write \(dealsite build -clean deletes (it|them)\)\.$`)

// kept returns the count the summary gives of files dealsite left in
// place, or 0 when it says nothing about them.
func kept(t *testing.T, stdout string) string {
	t.Helper()
	if m := keptLine.FindStringSubmatch(stdout); m != nil {
		return m[1]
	}
	return "0"
}

// ownFiles lists the files of dir that a fresh build of site into an
// empty folder makes, with their bytes.
func freshBuild(t *testing.T, site string) map[string]string {
	t.Helper()
	fresh := filepath.Join(t.TempDir(), "fresh")
	build(t, site, fresh)
	return contents(snapshot(t, fresh))
}

// contents maps each regular file of a snapshot but the manifest to its
// bytes.
func contents(s map[string]fileState) map[string]string {
	files := map[string]string{}
	for _, p := range fileList(s) {
		files[p] = string(s[p].data)
	}
	return files
}

// withoutPaths returns files without the given paths.
func withoutPaths(files map[string]string, paths ...string) map[string]string {
	out := maps.Clone(files)
	for _, p := range paths {
		delete(out, p)
	}
	return out
}

// TestBuildIntoFolderWithOtherFiles is the GitHub Pages layout: docs/
// holds a CNAME and notes of the user's. Building into it leaves them
// alone and says so; -clean deletes them.
func TestBuildIntoFolderWithOtherFiles(t *testing.T) {
	t.Parallel()
	site := newSite(t, smallSite())
	docs := filepath.Join(site, "docs")
	theirs := map[string]string{"CNAME": "deals.example.org\n", "notes/todo.txt": "write more\n"}
	writeFiles(t, docs, theirs)

	for range 2 { // the first build over the folder, then a rebuild
		r := runIn(t, site, "build", "-out", "docs")
		if r.code != 0 {
			t.Fatalf("build failed:\n%s", r)
		}
		if s := parseSummary(t, r.stdout); s.removed != 0 {
			t.Errorf("summary says %d removed, want 0", s.removed)
		}
		if got := kept(t, r.stdout); got != "2" {
			t.Errorf("summary counts %s files dealsite did not write, want 2:\n%s", got, r.stdout)
		}
		got := contents(snapshot(t, docs))
		for p, data := range theirs {
			if got[p] != data {
				t.Errorf("%s = %q, want it untouched (%q)", p, got[p], data)
			}
		}
		if !maps.Equal(withoutPaths(got, slices.Collect(maps.Keys(theirs))...), freshBuild(t, site)) {
			t.Error("docs/ besides the user's files differs from a fresh build")
		}
	}

	// -clean deletes them, and says how many went.
	r := build(t, site, docs, "-clean")
	if s := parseSummary(t, r.stdout); s.removed != 2 || kept(t, r.stdout) != "0" {
		t.Errorf("-clean: %+v, kept %s; want 2 removed and nothing kept:\n%s", s, kept(t, r.stdout), r.stdout)
	}
	if got := contents(snapshot(t, docs)); !maps.Equal(got, freshBuild(t, site)) {
		t.Errorf("after -clean docs/ holds %q, want a fresh build", fileList(snapshot(t, docs)))
	}
	if exists(filepath.Join(docs, "notes")) {
		t.Error("-clean left the emptied notes/ folder")
	}
}

// TestForeignFileInTheWayIsAnError: a file dealsite did not write, where
// the build puts one, is never overwritten without -clean.
func TestForeignFileInTheWayIsAnError(t *testing.T) {
	t.Parallel()
	site := newSite(t, smallSite())
	out := filepath.Join(t.TempDir(), "out")
	writeFiles(t, out, map[string]string{
		"index.html":         "my own home page\n",
		"tags":               "a file where the build needs a folder\n",
		"feed.xml/notes.txt": "a folder where the build needs a file\n",
		"CNAME":              "deals.example.org\n",
	})
	ageFiles(t, out)
	before := snapshot(t, out)
	r := runIn(t, site, "build", "-out", out)
	if r.code != 1 || r.stdout != "" {
		t.Errorf("want exit 1 and nothing on stdout, got:\n%s", r)
	}
	for _, want := range []string{filepath.Join(out, "index.html"), filepath.Join(out, "tags"), filepath.Join(out, "feed.xml"), "-clean", "not changed"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "CNAME") {
		t.Errorf("stderr names CNAME, which is not in the way:\n%s", r.stderr)
	}
	if d := diffSnapshots(before, snapshot(t, out)); d != "" {
		t.Errorf("a refused build changed the output folder:\n%s", d)
	}

	build(t, site, out, "-clean")
	if got := contents(snapshot(t, out)); !maps.Equal(got, freshBuild(t, site)) {
		t.Errorf("after -clean the folder holds %q, want a fresh build", fileList(snapshot(t, out)))
	}
}

// TestGitFileAtOutputRoot: a .git file (a git worktree or submodule of a
// deploy branch) must not stop the removal of stale pages.
func TestGitFileAtOutputRoot(t *testing.T) {
	t.Parallel()
	files := smallSite()
	files["content/2012-06-06-delta.md"] = lines("---", "title: Delta", "date: 2012-06-06", `tags: ["Lonely"]`, "---", "Delta body.")
	site := newSite(t, files)
	out := filepath.Join(t.TempDir(), "out")
	gitFile := "gitdir: /home/me/deals/.git/worktrees/out\n"
	writeFiles(t, out, map[string]string{".git": gitFile})
	build(t, site, out)
	if !exists(filepath.Join(out, "tags/lonely/index.html")) {
		t.Fatal("first build lacks tags/lonely/")
	}
	if err := os.Remove(filepath.Join(site, "content/2012-06-06-delta.md")); err != nil {
		t.Fatal(err)
	}
	r := build(t, site, out)
	for _, gone := range []string{"articles/delta", "tags/lonely", "years/2012"} {
		if exists(filepath.Join(out, gone)) {
			t.Errorf("%s survived the deletion of its article", gone)
		}
	}
	if got := readFile(t, filepath.Join(out, ".git")); got != gitFile {
		t.Errorf(".git = %q, want it untouched", got)
	}
	if got := contents(snapshot(t, out)); !maps.Equal(withoutPaths(got, ".git"), freshBuild(t, site)) {
		t.Errorf("output holds %q, want a fresh build and .git", fileList(snapshot(t, out)))
	}
	if kept(t, r.stdout) != "0" {
		t.Errorf(".git is counted as a file to clean:\n%s", r.stdout)
	}
	// Not even -clean touches it.
	build(t, site, out, "-clean")
	if got := readFile(t, filepath.Join(out, ".git")); got != gitFile {
		t.Errorf("-clean changed .git to %q", got)
	}
}

// TestPathChangesBetweenFileAndFolder: a static file that becomes a
// folder and back, and a static file that gives way to a generated page
// and back, each build like a fresh build.
func TestPathChangesBetweenFileAndFolder(t *testing.T) {
	t.Parallel()
	delta := lines("---", "title: Delta", "date: 2012-06-06", "---", "Delta body.")
	steps := []struct {
		name   string
		add    map[string]string
		remove []string
	}{
		{"static file", map[string]string{"static/about": "about, as a file\n"}, nil},
		{"static file to folder", map[string]string{"static/about/index.html": "<p>about</p>\n", "static/about/deep/x.txt": "x\n"}, []string{"static/about"}},
		{"static folder to file", map[string]string{"static/about": "about, a file again\n"}, []string{"static/about"}},
		{"static file where a page folder comes", map[string]string{"static/articles/delta": "a file\n"}, nil},
		{"static file to generated page", map[string]string{"content/delta.md": delta}, []string{"static/articles/delta"}},
		{"generated page to static file", map[string]string{"static/articles/delta": "a file again\n"}, []string{"content/delta.md"}},
		{"static folder where a page file comes", map[string]string{"static/feed.xml/x.txt": "x\n"}, nil},
	}
	site := newSite(t, smallSite())
	out := filepath.Join(t.TempDir(), "out")
	for _, step := range steps {
		for _, p := range step.remove {
			if err := os.RemoveAll(filepath.Join(site, filepath.FromSlash(p))); err != nil {
				t.Fatal(err)
			}
		}
		writeFiles(t, site, step.add)
		if step.name == "static folder where a page file comes" {
			// static/feed.xml/ clashes with the generated feed.xml: an
			// error of the site, which leaves the folder as it was.
			before := snapshot(t, out)
			buildFails(t, site, out)
			if d := diffSnapshots(before, snapshot(t, out)); d != "" {
				t.Errorf("%s: the failed build changed the folder:\n%s", step.name, d)
			}
			continue
		}
		r := runIn(t, site, "build", "-out", out)
		if r.code != 0 {
			t.Fatalf("%s: build failed:\n%s", step.name, r)
		}
		if got, want := contents(snapshot(t, out)), freshBuild(t, site); !maps.Equal(got, want) {
			t.Errorf("%s: output differs from a fresh build:\ngot  %q\nwant %q", step.name, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
		}
		if k := kept(t, r.stdout); k != "0" {
			t.Errorf("%s: %s files kept, want 0", step.name, k)
		}
	}
}

// TestWatchLeavesHandAddedFilesLikeBuild: a file added by hand to the
// output folder while watch runs is left in place. A rebuild looks only
// at the paths it writes, so watch does not count it; a fresh build
// does.
func TestWatchLeavesHandAddedFilesLikeBuild(t *testing.T) {
	site := newSite(t, smallSite())
	out := filepath.Join(t.TempDir(), "public")
	p := startProc(t, "watch", "-site", site, "-out", out)
	p.waitLines(regexp.MustCompile(`^Watching`), 1)
	mine := filepath.Join(out, "extra/mine.txt")
	writeFiles(t, out, map[string]string{"extra/mine.txt": "by hand\n"})
	writeFiles(t, site, map[string]string{"content/new.md": lines("---", "title: New", "date: 2012-06-01", "---", "New.")})
	// The summary, printed once the rebuild has committed: the new page
	// alone shows up while the rebuild is still staging.
	p.waitLines(regexp.MustCompile(`^Built \d+ pages \(4 articles`), 1)
	p.stop()
	if got := readFile(t, mine); got != "by hand\n" {
		t.Errorf("watch changed a file it did not write: %q", got)
	}
	r := build(t, site, out)
	if got := readFile(t, mine); got != "by hand\n" || kept(t, r.stdout) != "1" {
		t.Errorf("a fresh build after watch: %q, kept %s; want the file kept and counted", got, kept(t, r.stdout))
	}
	if s := parseSummary(t, r.stdout); s.written != 0 || s.removed != 0 {
		t.Errorf("a fresh build after watch changed files: %+v", s)
	}
}

// TestManifestRecordsWhatWasWritten: the manifest lists the files of the
// build, one a line, and nothing else; an unchanged rebuild leaves it
// untouched.
func TestManifestRecordsWhatWasWritten(t *testing.T) {
	t.Parallel()
	site := newSite(t, smallSite())
	out := filepath.Join(t.TempDir(), "out")
	writeFiles(t, out, map[string]string{"CNAME": "x\n"})
	build(t, site, out)
	data := readFile(t, filepath.Join(out, manifestFile))
	var listed []string
	for _, l := range strings.Split(strings.TrimSuffix(data, "\n"), "\n") {
		if !strings.HasPrefix(l, "#") {
			listed = append(listed, l)
		}
	}
	if !slices.Equal(listed, smallSitePages) {
		t.Errorf("manifest lists %q, want %q", listed, smallSitePages)
	}
	ageFiles(t, out)
	before := snapshot(t, out)
	build(t, site, out)
	if d := diffSnapshots(before, snapshot(t, out)); d != "" {
		t.Errorf("an unchanged rebuild touched files:\n%s", d)
	}
	if bytes.Contains([]byte(data), []byte("CNAME")) {
		t.Error("the manifest claims CNAME")
	}
}
