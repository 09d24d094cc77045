package outdir

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
)

func set(paths ...string) map[string]bool {
	m := map[string]bool{}
	for _, p := range paths {
		m[p] = true
	}
	return m
}

func TestPlanWrite(t *testing.T) {
	tests := []struct {
		name              string
		produced, owned   map[string]bool
		files, dirs       []string // on disk
		clean             bool
		claimed, replaced []string
		conflicts         []string // paths of the conflicts
		foreign           int
	}{
		{name: "others' files are kept and counted",
			produced: set("index.html"), owned: set("index.html", "old.html"),
			files: []string{"index.html", "old.html", "CNAME", "notes/todo.txt"}, dirs: []string{"notes"},
			foreign: 2},
		{name: "an identical file of someone else's may be claimed",
			produced: set("index.html"), owned: set(),
			files: []string{"index.html"}, claimed: []string{"index.html"}},
		{name: "an owned file becomes a folder",
			produced: set("about/index.html"), owned: set("about"),
			files: []string{"about"}, replaced: []string{"about"}},
		{name: "someone else's file where a folder goes",
			produced: set("about/deep/index.html"), owned: set(),
			files: []string{"about"}, conflicts: []string{"about"}, foreign: 1},
		{name: "an owned folder becomes a file",
			produced: set("about"), owned: set("about/index.html"),
			files: []string{"about/index.html"}, dirs: []string{"about"}},
		{name: "a folder holding someone else's file where a file goes",
			produced: set("about"), owned: set("about/index.html"),
			files: []string{"about/index.html", "about/mine.txt"}, dirs: []string{"about"},
			conflicts: []string{"about"}, foreign: 1},
		{name: "clean makes every file its own",
			produced: set("about/index.html", "feed.xml"), owned: set(),
			files: []string{"about", "feed.xml/x", "CNAME"}, dirs: []string{"feed.xml"}, clean: true,
			replaced: []string{"about"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scan := &folderScan{files: set(tt.files...), dirs: set(tt.dirs...)}
			pl := planWrite(tt.produced, tt.owned, scan, tt.clean)
			var conflicts []string
			for _, c := range pl.conflicts {
				p, _, _ := strings.Cut(c, ": ")
				conflicts = append(conflicts, p)
			}
			if got := slices.Sorted(maps.Keys(pl.claimed)); !slices.Equal(got, tt.claimed) {
				t.Errorf("claimed %q, want %q", got, tt.claimed)
			}
			if got := slices.Sorted(maps.Keys(pl.replaced)); !slices.Equal(got, tt.replaced) {
				t.Errorf("replaced %q, want %q", got, tt.replaced)
			}
			if !slices.Equal(conflicts, tt.conflicts) {
				t.Errorf("conflicts %q, want %q", pl.conflicts, tt.conflicts)
			}
			if pl.foreign != tt.foreign {
				t.Errorf("foreign %d, want %d", pl.foreign, tt.foreign)
			}
		})
	}
}

func TestConflictErrorIsShortOnABigFolder(t *testing.T) {
	var conflicts []string
	for i := range 25 {
		conflicts = append(conflicts, strings.Repeat("x", i+1)+": in the way")
	}
	msg := (&ConflictError{Dir: "docs", Conflicts: conflicts}).Error()
	for _, want := range []string{"docs/x: in the way", "… and 15 more", "-clean", "docs has no " + ManifestName} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Count(msg, "\n") != 11 {
		t.Errorf("message has %d lines, want 10 conflicts, a count and the advice:\n%s", strings.Count(msg, "\n")+1, msg)
	}
}

// FuzzManifest: every set of output paths reads back as written, and no
// manifest, however edited, names a path outside the folder.
func FuzzManifest(f *testing.F) {
	f.Add("index.html\nabout/index.html\n\"quoted\"\n#hash\nnew\nline", "")
	f.Add("a", "../etc/passwd\n/abs\n\"a\\nb\"\n# comment\n\n./x")
	f.Fuzz(func(t *testing.T, names, edited string) {
		paths := map[string]bool{}
		for _, p := range strings.Split(names, "|") {
			if isOutputPath(p) {
				paths[p] = true
			}
		}
		dir := t.TempDir()
		root, err := os.OpenRoot(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer root.Close()
		if _, err := writeManifest(root, encodeManifest(paths), false); err != nil {
			t.Fatal(err)
		}
		got, found, err := readManifest(root)
		if err != nil || !found || !maps.Equal(got, paths) {
			t.Errorf("read back %q (%v), want %q", slices.Sorted(maps.Keys(got)), err, slices.Sorted(maps.Keys(paths)))
		}
		if err := root.WriteFile(ManifestName, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		got, _, _ = readManifest(root)
		for p := range got {
			if !isOutputPath(p) {
				t.Errorf("an edited manifest names %q", p)
			}
		}
	})
}
