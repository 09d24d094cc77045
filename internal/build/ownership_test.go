package build

import (
	"context"
	"errors"
	"fmt"
	"github.com/dealsite/dealsite/internal/outdir"
	"maps"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestOutputFolderOwnershipRandomized runs many builds of random content
// and static trees, warm and cold, over an output folder seeded with
// files dealsite did not write and a .git file or folder. After every
// build those files are byte-identical, and dealsite's own files equal a
// clean build's; a build that fails leaves the folder as it was.
//
// DEALSITE_OWNERSHIP_SEEDS=n runs n seeds instead of a few; a failure
// names its seed and the steps that led to it.
func TestOutputFolderOwnershipRandomized(t *testing.T) {
	seeds := 4
	if testing.Short() {
		seeds = 2
	}
	if n, err := strconv.Atoi(os.Getenv("DEALSITE_OWNERSHIP_SEEDS")); err == nil && n > 0 {
		seeds = n
	}
	var total ownershipOutcomes
	for seed := range uint64(seeds) {
		o := runOwnershipSeed(t, seed, 10)
		total.built, total.siteErrors, total.conflicts = total.built+o.built, total.siteErrors+o.siteErrors, total.conflicts+o.conflicts
		if t.Failed() {
			return
		}
	}
	t.Logf("%d seeds: %d builds written, %d refused for site errors, %d for files in the way", seeds, total.built, total.siteErrors, total.conflicts)
}

// ownershipOutcomes counts how the builds of a run ended.
type ownershipOutcomes struct{ built, siteErrors, conflicts int }

// ownershipSite is a random site and output folder, changed step by step.
type ownershipSite struct {
	t       *testing.T
	rng     *rand.Rand
	site    string
	out     string
	foreign map[string]string // the files dealsite did not write, by path in out
	log     []string          // the steps so far, to replay a failure
}

func runOwnershipSeed(t *testing.T, seed uint64, steps int) (o ownershipOutcomes) {
	s := &ownershipSite{t: t, rng: rand.New(rand.NewPCG(seed, 11)), site: t.TempDir(), out: t.TempDir()}
	s.write(s.site, "content/_index.md", "---\ntitle: Random\nbase_url: https://example.org/\n---\nHi.\n")
	s.seedForeign()
	b := newWarm()
	for step := range steps {
		s.change()
		warm := s.rng.IntN(3) > 0
		s.log = append(s.log, fmt.Sprintf("build (warm %v)", warm))
		err := s.buildAndCheck(b, warm)
		switch {
		case err == nil:
			o.built++
		case errors.As(err, new(*outdir.ConflictError)):
			o.conflicts++
		default:
			o.siteErrors++
		}
		if s.t.Failed() {
			t.Fatalf("seed %d, step %d; steps:\n%s", seed, step, strings.Join(s.log, "\n"))
		}
	}
	return o
}

// seedForeign puts files dealsite did not write into the output folder,
// some beside its own folders and some inside them, and a .git.
func (s *ownershipSite) seedForeign() {
	s.foreign = map[string]string{
		"CNAME":          "deals.example.org\n",
		"notes/todo.txt": "mine\n",
		"tags/MINE.txt":  "inside a folder dealsite writes to\n",
	}
	if s.rng.IntN(3) == 0 {
		s.foreign["about/MINE.txt"] = "inside a folder static/ may make, in the way of static/about\n"
	}
	if s.rng.IntN(2) == 0 {
		s.foreign[".git"] = "gitdir: ../.git/worktrees/out\n"
	} else {
		s.foreign[".git/HEAD"] = "ref: refs/heads/pages\n"
	}
	for p, data := range s.foreign {
		s.write(s.out, p, data)
	}
}

var (
	ownershipSlugs = []string{"alpha", "beta", "gamma", "delta"}
	ownershipTags  = []string{"Merger", "Cloud", "Phones"}
	// Static paths: about/ is also where a foreign file lives, and
	// articles/<slug> may clash with a generated page (a site error).
	ownershipStatic = []string{"about", "about/index.html", "about/deep/x.txt", "img", "img/a.png", "x.txt", "articles/alpha", "articles/beta/extra.txt"}
)

// change applies one or two random edits to the site.
func (s *ownershipSite) change() {
	for range 1 + s.rng.IntN(2) {
		switch s.rng.IntN(4) {
		case 0, 1:
			s.article()
		default:
			s.static()
		}
	}
}

// article adds, changes or deletes one article.
func (s *ownershipSite) article() {
	slug := ownershipSlugs[s.rng.IntN(len(ownershipSlugs))]
	p := "content/" + slug + ".md"
	if s.rng.IntN(3) == 0 {
		s.log = append(s.log, "remove "+p)
		os.Remove(filepath.Join(s.site, p))
		return
	}
	var tags []string
	for _, tag := range ownershipTags {
		if s.rng.IntN(2) == 0 {
			tags = append(tags, strconv.Quote(tag))
		}
	}
	body := fmt.Sprintf("---\ntitle: %s %d\ndate: 201%d-0%d-1%d\ntags: [%s]\n---\nBody %d.\n",
		slug, s.rng.IntN(3), s.rng.IntN(4), 1+s.rng.IntN(9), s.rng.IntN(9), strings.Join(tags, ", "), s.rng.IntN(3))
	s.log = append(s.log, fmt.Sprintf("write %s %q", p, body))
	s.write(s.site, p, body)
}

// static writes one static file, first removing whatever is in its way,
// or removes a static path, file or folder.
func (s *ownershipSite) static() {
	p := "static/" + ownershipStatic[s.rng.IntN(len(ownershipStatic))]
	full := filepath.Join(s.site, filepath.FromSlash(p))
	if s.rng.IntN(3) == 0 {
		s.log = append(s.log, "remove "+p)
		os.RemoveAll(full)
		return
	}
	for d := p; d != "static"; d = path.Dir(d) {
		if info, err := os.Stat(filepath.Join(s.site, filepath.FromSlash(d))); err == nil && (info.IsDir() != (d != p)) {
			os.RemoveAll(filepath.Join(s.site, filepath.FromSlash(d)))
		}
	}
	data := fmt.Sprintf("static %s %d\n", p, s.rng.IntN(3))
	s.log = append(s.log, fmt.Sprintf("write %s (replacing what is in its way)", p))
	s.write(s.site, p, data)
}

// buildAndCheck builds into the output folder and compares it with a
// clean build. It returns the build's error.
func (s *ownershipSite) buildAndCheck(b *warm, warm bool) error {
	t := s.t
	ctx := context.Background()
	clean := filepath.Join(t.TempDir(), "clean")
	_, _, cleanErr := buildTo(ctx, os.DirFS(s.site), Options{Theme: theme}, clean)
	before := readDir(t, s.out)
	var ws outdir.Stats
	var err error
	if warm {
		_, ws, err = b.BuildTo(ctx, os.DirFS(s.site), Options{Theme: theme}, s.out)
	} else {
		_, ws, err = buildTo(ctx, os.DirFS(s.site), Options{Theme: theme}, s.out)
	}
	got := readDir(t, s.out)
	want := map[string]string{}
	if cleanErr == nil {
		want = readDir(t, clean)
	}
	inTheWay := s.inTheWay(want)
	var conflict *outdir.ConflictError
	switch {
	case cleanErr != nil && err == nil:
		t.Errorf("the clean build failed (%v) but this one did not", cleanErr)
	case cleanErr == nil && inTheWay != "" && !errors.As(err, &conflict):
		t.Errorf("%s is in the way of the build, but its error is %v", inTheWay, err)
	case cleanErr == nil && inTheWay == "" && err != nil:
		t.Errorf("build error %v; the clean build's is nil and nothing is in the way", err)
	}
	if err != nil {
		if !maps.Equal(before, got) {
			t.Errorf("a failed build (%v) changed the folder", err)
		}
		return err
	}
	for p, data := range s.foreign {
		if got[p] != data {
			t.Errorf("%s, which dealsite did not write, is now %q", p, got[p])
		}
		delete(got, p)
	}
	if !maps.Equal(got, want) {
		t.Errorf("dealsite's files differ from a clean build's:\ngot  %q\nwant %q", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	if n := len(s.foreign) - 1; ws.Kept != n { // all but .git are counted
		t.Errorf("kept %d files dealsite did not write, want %d", ws.Kept, n)
	}
	owned, _, err := readManifestAt(s.out)
	if err != nil || !maps.Equal(owned, keysOf(want)) {
		t.Errorf("the manifest lists %q (%v), want the clean build's files", slices.Sorted(maps.Keys(owned)), err)
	}
	return nil
}

// inTheWay returns a file dealsite did not write that is where the build
// writes a file or needs a folder, or in a folder where it writes a file.
func (s *ownershipSite) inTheWay(produced map[string]string) string {
	for f := range s.foreign {
		for p := range produced {
			if f == p || strings.HasPrefix(p, f+"/") || strings.HasPrefix(f, p+"/") {
				return f
			}
		}
	}
	return ""
}

func (s *ownershipSite) write(dir, p, data string) {
	s.t.Helper()
	full := filepath.Join(dir, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// readManifestAt reads the manifest of dir as a user would: one path a
// line, comments skipped, quoted paths unquoted.
func readManifestAt(dir string) (map[string]bool, bool, error) {
	data, err := os.ReadFile(filepath.Join(dir, outdir.ManifestName))
	if err != nil {
		return nil, false, err
	}
	owned := map[string]bool{}
	for line := range strings.Lines(string(data)) {
		p := strings.TrimSuffix(line, "\n")
		if p == "" || strings.HasPrefix(p, "#") {
			continue
		}
		if u, err := strconv.Unquote(p); err == nil {
			p = u
		}
		owned[p] = true
	}
	return owned, true, nil
}

func keysOf(m map[string]string) map[string]bool {
	keys := map[string]bool{}
	for k := range m {
		keys[k] = true
	}
	return keys
}
