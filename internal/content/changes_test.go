package content

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"path"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestChangedLoadEqualsFreshLoad is the Loader's promise under a
// watcher: told which files changed (as package watch reports them:
// files whose bytes differ, appeared or disappeared), a load gives
// exactly what a fresh Load of the same folder gives, problems
// included. Random folders, random editor operations, seeded.
func TestChangedLoadEqualsFreshLoad(t *testing.T) {
	for seed := range uint64(150) {
		r := rand.New(rand.NewPCG(seed, 12))
		fsys := randomContent(r)
		l := NewLoader()
		if _, err := l.Load(fsys); err != nil && strings.Contains(err.Error(), "no content folder") {
			t.Fatal(err)
		}
		for step := range 25 {
			before := maps.Clone(fsys)
			op := randomEdit(r, fsys)
			changes := reported(r, before, fsys)
			l.Changed(&Changes{Paths: changes})
			got, gotErr := l.Load(fsys)
			want, wantErr := NewLoader().Load(fsys)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d step %d, after %s (told %q):\nload told of changes: %v\n%s\nfresh load: %v\n%s",
					seed, step, op, changes, gotErr, describeContent(got), wantErr, describeContent(want))
			}
		}
	}
}

// reported lists what a watcher reports between two versions of a
// folder: every file whose bytes differ, appeared or disappeared. Now
// and then a folder stands for the files in it, and an unchanged file
// is named too (a file changed and changed back).
func reported(r *rand.Rand, before, after fstest.MapFS) []string {
	var paths []string
	for p := range before {
		if f, ok := after[p]; !ok || !bytes.Equal(f.Data, before[p].Data) {
			paths = append(paths, p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	if len(paths) > 0 && r.IntN(4) == 0 {
		i := r.IntN(len(paths))
		if dir := path.Dir(paths[i]); dir != "." {
			paths[i] = dir
		}
	}
	if r.IntN(4) == 0 {
		keys := slices.Sorted(maps.Keys(after))
		if len(keys) > 0 {
			paths = append(paths, keys[r.IntN(len(keys))])
		}
	}
	return paths
}

var (
	testFolders = []string{"content", "content/20", "content/2013", "content/a", "content/2013-old", "content/2013/q1", "content/old", "content/_drafts", "content/.git", "layouts", "static"}
	testNames   = []string{"a.md", "b.md", "sale.md", "A.MD", "notes.txt", "a.md~", "4913", ".a.md.swp", "_hidden.md", "index.md", "p.png", "q.png"}
	// testImages are what an article may show or link to: beside it,
	// above it, under static/, or a file of its folder.
	testImages = []string{"![a picture](p.png)", "![a picture](../q.png)", "![a picture](/p.png)", "[a file](q.png)", "![](p.png \"decorative\")"}
	testTitles = []string{"Sale", "Merger", "Buyout"}
)

func randomContent(r *rand.Rand) fstest.MapFS {
	fsys := fstest.MapFS{}
	writeSettings(r, fsys)
	for range 3 + r.IntN(8) {
		writeFile(r, fsys, path.Join(testFolders[r.IntN(len(testFolders))], testNames[r.IntN(len(testNames))]))
	}
	return fsys
}

func writeSettings(r *rand.Rand, fsys fstest.MapFS) {
	src := fmt.Sprintf("---\ntitle: Deals %d\nbase_url: https://example.org/\nunsafe_html: %v\n---\nIntro <i>x</i> [a](a.md).\n", r.IntN(3), r.IntN(3) == 0)
	if r.IntN(8) == 0 {
		src = "---\ntitel: broken\n---\n"
	}
	fsys[SettingsPath] = &fstest.MapFile{Data: []byte(src)}
}

// writeFile writes an article (now and then a broken one) at p.
func writeFile(r *rand.Rand, fsys fstest.MapFS, p string) {
	src := fmt.Sprintf("---\ntitle: %s\ndate: 201%d-0%d-1%d\ntags: [t%d]\n---\nText <b>%d</b> and [a link](../a.md).\n",
		testTitles[r.IntN(len(testTitles))], r.IntN(10), 1+r.IntN(9), r.IntN(10), r.IntN(3), r.IntN(100))
	switch r.IntN(10) {
	case 0:
		src = "---\ntitle: [broken\n---\n"
	case 1:
		src = "---\ntitle: No date\n---\n"
	case 2, 3, 4:
		src += testImages[r.IntN(len(testImages))] + "\n"
	}
	fsys[p] = &fstest.MapFile{Data: []byte(src)}
}

// writeImage writes at p one of a few images, or bytes that are none.
func writeImage(r *rand.Rand, fsys fstest.MapFS, p string) {
	data := []byte("not an image")
	if n := r.IntN(4); n > 0 {
		data = testPNG(10*n, 10, uint8(r.IntN(2)))
	}
	fsys[p] = &fstest.MapFile{Data: data}
}

// randomEdit changes fsys as an editor, a shell or git would, and says
// what it did.
func randomEdit(r *rand.Rand, fsys fstest.MapFS) string {
	files := slices.Sorted(maps.Keys(fsys))
	if len(files) == 0 {
		writeFile(r, fsys, "content/a.md")
		return "write content/a.md into an empty folder"
	}
	pick := func() string { return files[r.IntN(len(files))] }
	switch r.IntN(11) {
	case 0, 1:
		p := pick()
		if p == SettingsPath {
			writeSettings(r, fsys)
		} else {
			writeFile(r, fsys, p)
		}
		return "edit " + p
	case 2:
		p := path.Join(testFolders[r.IntN(len(testFolders))], testNames[r.IntN(len(testNames))])
		writeFile(r, fsys, p)
		return "write " + p
	case 3:
		p := pick()
		delete(fsys, p)
		return "delete " + p
	case 4:
		from := pick()
		to := path.Join(testFolders[r.IntN(len(testFolders))], testNames[r.IntN(len(testNames))])
		fsys[to] = fsys[from]
		delete(fsys, from)
		return "rename " + from + " " + to
	case 5:
		dir := testFolders[1+r.IntN(len(testFolders)-1)]
		to := testFolders[1+r.IntN(len(testFolders)-1)]
		moveFolder(fsys, dir, to)
		return "move folder " + dir + " to " + to
	case 6:
		dir := testFolders[1+r.IntN(len(testFolders)-1)]
		moveFolder(fsys, dir, "")
		return "delete folder " + dir
	case 7:
		writeSettings(r, fsys)
		return "edit settings"
	case 8, 9:
		p := path.Join(testFolders[r.IntN(len(testFolders))], []string{"p.png", "q.png"}[r.IntN(2)])
		writeImage(r, fsys, p)
		return "write image " + p
	default:
		// An editor's atomic save: a temporary file, renamed over the article.
		p := pick()
		tmp := p + "___jb_tmp___"
		writeFile(r, fsys, tmp)
		fsys[p] = fsys[tmp]
		delete(fsys, tmp)
		return "save by rename " + p
	}
}

// moveFolder moves everything under dir to the folder to ("": deletes it).
func moveFolder(fsys fstest.MapFS, dir, to string) {
	if to != "" && (to == dir || strings.HasPrefix(to, dir+"/")) {
		return
	}
	for _, p := range slices.Sorted(maps.Keys(fsys)) {
		rest, ok := strings.CutPrefix(p, dir+"/")
		if !ok {
			continue
		}
		if to != "" {
			fsys[to+"/"+rest] = fsys[p]
		}
		delete(fsys, p)
	}
}

func describeContent(c *Content) string {
	if c == nil {
		return "  (none)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "  settings %q unsafe=%v broken=%q\n", c.Settings.Title, c.Settings.UnsafeHTML, c.Broken)
	for _, a := range c.Articles {
		fmt.Fprintf(&b, "  %s %q %s\n", a.Path, a.Title, a.Date.ISO())
	}
	return b.String()
}
