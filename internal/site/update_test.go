package site

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"path"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/content"
)

// TestUpdateEqualsNew is Update's proof: on random sites, after random
// edits read by a Loader told what changed (as watch does), the model
// Update makes of the previous one is the model New makes from scratch,
// object for object and link for link (see dumpModel), with the same
// errors and the same memo. Edits that keep every article's place, and
// most additions, deletions and moves, take the in-place path; the
// others fall back to New.
func TestUpdateEqualsNew(t *testing.T) {
	inPlace, moved, deleted := 0, 0, 0
	for seed := range uint64(150) {
		r := rand.New(rand.NewPCG(seed, 1))
		g := &siteGen{r: r, fsys: fstest.MapFS{}}
		g.start()
		opts := Options{Drafts: r.IntN(3) == 0, Limits: Limits{PageEvents: 1 + r.IntN(3), HomeEvents: 1 + r.IntN(4)}}
		loader := content.NewLoader()
		opts.Memo = NewMemo()
		c, _ := loader.Load(g.fsys)
		prev, _ := New(c, opts)
		for step := range 12 {
			changed := g.edit()
			loader.Changed(&content.Changes{Paths: changed})
			c, _ = loader.Load(g.fsys)
			if c == nil {
				t.Fatalf("seed %d step %d: no content", seed, step)
			}
			oracle := opts
			oracle.Memo = NewMemo()
			want, wantErr := New(c, oracle)
			changes, m, placed := prev.inPlace(c, opts)

			placed = placed && prev.canMove(c, m, changes, opts)
			var before map[Dep]Revision
			var gen uint64
			if prev != nil {
				before, gen = revisionsOf(prev), prev.Generation()
			}
			got, gotErr := Update(prev, c, opts)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("seed %d step %d (edited %q): Update error\n%v\nwant\n%v", seed, step, changed, gotErr, wantErr)
			}
			if gotDump, wantDump := dumpModel(got), dumpModel(want); gotDump != wantDump {
				t.Fatalf("seed %d step %d (edited %q, in place %v): Update differs from New:\n%s", seed, step, changed, placed, firstDiff(gotDump, wantDump))
			}
			if got != nil && !reflect.DeepEqual(opts.Memo.bodies, oracle.Memo.bodies) {
				var diff []string
				for k, v := range opts.Memo.bodies {
					if w, ok := oracle.Memo.bodies[k]; !ok || !reflect.DeepEqual(v, w) {
						diff = append(diff, fmt.Sprintf("%s: Update's %q %q, New's %v %q %q", k.Path, v.hrefs, v.body, ok, w.hrefs, w.body))
					}
				}
				for k := range oracle.Memo.bodies {
					if _, ok := opts.Memo.bodies[k]; !ok {
						diff = append(diff, k.Path+": only in New's")
					}
				}
				var pubs []string
				for _, a := range want.Articles {
					pubs = append(pubs, a.Path)
				}
				t.Fatalf("seed %d step %d (edited %q): the memo differs from New's:\n%s\npublished %q, New's memo has %d", seed, step, changed, strings.Join(diff, "\n"), pubs, len(oracle.Memo.bodies))
			}
			if placed && got != nil {
				if missed := unlisted(before, got, gen); len(missed) > 0 {
					t.Fatalf("seed %d step %d (edited %q): revisions changed that Restamped does not list: %v", seed, step, changed, missed)
				}
				inPlace++
				if !m.empty() {
					moved++
				}
				if len(m.in) == 0 && len(m.out) > 0 {
					deleted++
				}
			}
			if got != nil {
				prev = got
			}
		}
	}
	t.Logf("%d updates in place, %d of them adding, deleting or moving articles, %d only deleting", inPlace, moved, deleted)
	if inPlace < 400 || moved < 100 || deleted < 20 {
		t.Errorf("only %d updates took the in-place path, %d with moves: the test does not exercise it", inPlace, moved)
	}
}

// siteGen makes random small sites and edits them as an author would.
type siteGen struct {
	r     *rand.Rand
	fsys  fstest.MapFS
	files map[string]*genArticle
	eras  bool
}

type genArticle struct {
	title, date, end, slug, summary, value, body string
	tags, parties, links                         []string
	weight                                       int
	draft                                        bool
}

var (
	genTitles  = []string{"Sale", "Merger", "Buyout", "Spin-off"}
	genDates   = []string{"2011", "2011-02", "2011-02-11", "2011-02-11T09:00:00+01:00", "2012-06-01", "2013-01-15"}
	genTags    = []string{"Nokia", "nokia", "Windows Phone", "phones", "Ünïcode"}
	genParties = []string{"Microsoft", "Nokia", "Elop"}
	genValues  = []string{"", "$7.2 billion", "undisclosed", "€5,44 billion"}
	genFolders = []string{"content", "content/2011", "content/old"}
)

func (g *siteGen) start() {
	g.files = map[string]*genArticle{}
	g.eras = g.r.IntN(2) == 0
	for range 2 + g.r.IntN(10) {
		g.add()
	}
	g.writeSettings()
}

func (g *siteGen) writeSettings() {
	src := "---\ntitle: Deals\nbase_url: https://example.org/deals/\n"
	if g.eras {
		src += "eras:\n  - title: The bet\n    start: 2011-02\n    end: 2012\n  - title: Late\n    start: 2012-06\n    end: 2014\n"
	}
	src += "---\nIntro, see [a sale](" + g.anyLink("content") + ").\n"
	g.fsys[content.SettingsPath] = &fstest.MapFile{Data: []byte(src)}
}

// anyLink is a link from a file in folder to some article, existing or not.
func (g *siteGen) anyLink(folder string) string {
	paths := slices.Sorted(maps.Keys(g.files))
	target := "content/missing.md"
	if len(paths) > 0 && g.r.IntN(30) != 0 {
		target = paths[g.r.IntN(len(paths))]
	}
	rel, _ := strings.CutPrefix(target, folder+"/")
	if folder != "content" && !strings.HasPrefix(target, folder+"/") {
		rel = "../" + strings.TrimPrefix(target, "content/")
	}
	return rel
}

func (g *siteGen) add() string {
	for {
		n := g.r.IntN(20)
		p := fmt.Sprintf("%s/a%d.md", genFolders[g.r.IntN(len(genFolders))], n)
		if slices.ContainsFunc(genFolders, func(f string) bool { return g.files[fmt.Sprintf("%s/a%d.md", f, n)] != nil }) {
			continue // one slug per number: a collision would fail every build
		}
		a := &genArticle{title: pick(g.r, genTitles), date: pick(g.r, genDates), weight: g.r.IntN(2),
			tags: some(g.r, genTags), parties: some(g.r, genParties)}
		g.files[p] = a
		g.reword(p, a)
		g.write(p)
		return p
	}
}

// reword changes what an article shows of itself: what keeps its place.
func (g *siteGen) reword(p string, a *genArticle) {
	a.summary = pick(g.r, []string{"", "A summary.", "Another summary."})
	a.value = pick(g.r, genValues)
	a.body = fmt.Sprintf("Text %d.\n\n## Part %d\n\nMore words here.", g.r.IntN(100), g.r.IntN(3))
	a.links = nil
	for range g.r.IntN(3) {
		a.links = append(a.links, g.anyLink(dirOf(p)))
	}
}

func dirOf(p string) string { return p[:strings.LastIndexByte(p, '/')] }

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

func some(r *rand.Rand, list []string) []string {
	var out []string
	for range r.IntN(3) {
		out = append(out, pick(r, list))
	}
	return out
}

func (g *siteGen) write(p string) {
	a := g.files[p]
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s\ndate: %s\n", a.title, a.date)
	if a.end != "" {
		fmt.Fprintf(&b, "end_date: %s\n", a.end)
	}
	if a.slug != "" {
		fmt.Fprintf(&b, "slug: %s\n", a.slug)
	}
	if a.weight != 0 {
		fmt.Fprintf(&b, "weight: %d\n", a.weight)
	}
	if a.summary != "" {
		fmt.Fprintf(&b, "summary: %s\n", a.summary)
	}
	if a.value != "" {
		fmt.Fprintf(&b, "value: %q\n", a.value)
	}
	if len(a.tags) > 0 {
		fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(a.tags, ", "))
	}
	if len(a.parties) > 0 {
		fmt.Fprintf(&b, "parties: [%s]\n", strings.Join(a.parties, ", "))
	}
	if a.draft {
		b.WriteString("draft: true\n")
	}
	b.WriteString("---\n" + a.body + "\n")
	for i, l := range a.links {
		fmt.Fprintf(&b, "\nSee [link %d](%s).\n", i, l)
	}
	g.fsys[p] = &fstest.MapFile{Data: []byte(b.String())}
}

// edit makes one or two edits, most of which keep every article's
// place, and returns the files changed.
func (g *siteGen) edit() []string {
	var changed []string
	for range 1 + g.r.IntN(2) {
		changed = append(changed, g.editOne()...)
	}
	return changed
}

func (g *siteGen) editOne() []string {
	paths := slices.Sorted(maps.Keys(g.files))
	if len(paths) == 0 {
		return []string{g.add()}
	}
	p := pick(g.r, paths)
	a := g.files[p]
	switch n := g.r.IntN(20); {
	case n < 12:
		g.reword(p, a)
	case n == 12:
		a.title = pick(g.r, genTitles)
	case n == 13:
		a.date = pick(g.r, genDates)
	case n == 14:
		a.tags, a.parties = some(g.r, genTags), some(g.r, genParties)
	case n == 15:
		a.draft = !a.draft
	case n == 16:
		a.slug = pick(g.r, []string{"", "renamed-" + strings.TrimSuffix(p[strings.LastIndexByte(p, '/')+1:], ".md")})
	case n == 17:
		return []string{g.add()}
	case n == 18:
		delete(g.files, p)
		delete(g.fsys, p)
		changed := []string{p}
		if g.r.IntN(3) > 0 { // as an author would, most of the time: fix the links to it
			changed = append(changed, g.unlink(p)...)
		}
		return changed
	default:
		g.eras = !g.eras
		g.writeSettings()
		return []string{content.SettingsPath}
	}
	g.write(p)
	return []string{p}
}

// unlink drops the links to target from every article, and returns the
// files changed.
func (g *siteGen) unlink(target string) []string {
	var changed []string
	for _, p := range slices.Sorted(maps.Keys(g.files)) {
		a := g.files[p]
		kept := slices.DeleteFunc(slices.Clone(a.links), func(l string) bool { return path.Join(dirOf(p), l) == target })
		if len(kept) != len(a.links) {
			a.links = kept
			g.write(p)
			changed = append(changed, p)
		}
	}
	return changed
}

// dumpModel prints a model canonically: every value reachable from it,
// each pointer numbered the first time it is met and named by its
// number after, so two models print the same exactly when they hold the
// same values linked the same way. Functions print as set or nil; the
// bookkeeping for Update (Site.inc) is left out.
func dumpModel(s *Site) string {
	if s == nil {
		return "nil"
	}
	d := &dumper{seen: map[uintptr]int{}}
	d.value(reflect.ValueOf(s), 0)
	return d.b.String()
}

type dumper struct {
	b    strings.Builder
	seen map[uintptr]int
}

func (d *dumper) line(depth int, format string, args ...any) {
	d.b.WriteString(strings.Repeat(" ", depth))
	fmt.Fprintf(&d.b, format, args...)
	d.b.WriteByte('\n')
}

func (d *dumper) value(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			d.line(depth, "nil")
			return
		}
		if n, ok := d.seen[v.Pointer()]; ok {
			d.line(depth, "#%d", n)
			return
		}
		d.seen[v.Pointer()] = len(d.seen)
		d.line(depth, "&#%d", len(d.seen)-1)
		d.value(v.Elem(), depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if f.Name == "inc" || f.Type == reflect.TypeFor[*Memo]() {
				continue
			}
			d.line(depth, "%s:", f.Name)
			d.value(v.Field(i), depth+1)
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			d.line(depth, "nil slice")
			return
		}
		d.line(depth, "[%d]", v.Len())
		for i := range v.Len() {
			d.value(v.Index(i), depth+1)
		}
	case reflect.Map:
		d.line(depth, "map of %d", v.Len())
	case reflect.Func:
		d.line(depth, "func set=%v", !v.IsNil())
	case reflect.Interface:
		if v.IsNil() {
			d.line(depth, "nil interface")
			return
		}
		d.value(v.Elem(), depth+1)
	case reflect.String:
		d.line(depth, "%q", v.String())
	case reflect.Bool:
		d.line(depth, "%v", v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		d.line(depth, "%d", v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		d.line(depth, "%d", v.Uint())
	case reflect.Float32, reflect.Float64:
		d.line(depth, "%v", v.Float())
	default:
		d.line(depth, "<%s>", v.Kind())
	}
}

// firstDiff shows where two dumps part.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			lo := max(0, i-12)
			return fmt.Sprintf("line %d:\n--- Update\n%s\n--- New\n%s", i, strings.Join(g[lo:min(len(g), i+3)], "\n"), strings.Join(w[lo:min(len(w), i+3)], "\n"))
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(g), len(w))
}

// TestUpdateAddsWithTheErrorsOfNew: an article added in place whose slug
// another article has, or deleted while another links to it, fails
// Update as it fails New, and leaves the last model as it was; the
// others are made in place as New makes them.
func TestUpdateAddsWithTheErrorsOfNew(t *testing.T) {
	files := map[string]string{
		"content/_index.md": "---\ntitle: T\nbase_url: https://example.org/\n---\n",
		"content/a.md":      "---\ntitle: A\ndate: 2011-01-01\ntags: [X, Y]\n---\nSee [b](b.md).\n",
		"content/b.md":      "---\ntitle: B\ndate: 2011-01-02\ntags: [X, Y]\n---\nText.\n",
		"content/c.md":      "---\ntitle: C\ndate: 2011-01-03\ntags: [X, Y]\n---\nText.\n",
		"content/f.md":      "---\ntitle: F\ndate: 2011-01-04\ntags: [X, Y]\n---\nText.\n",
		"content/k.md":      "---\ntitle: K\ndate: 2011-02-01\n---\nText.\n",
		"content/g.md":      "---\ntitle: G\ndate: 2011-03-01\n---\nText.\n",
		"content/i.md":      "---\ntitle: I\ndate: 2011-04-01\n---\nText.\n",
		"content/r.md":      "---\ntitle: R\ndate: 2011-03-02\ntags: [X]\n---\nText.\n",
		"content/h.md":      "---\ntitle: H\ndate: 2011-03-03\n---\nText.\n",
	}
	for _, step := range []struct {
		name  string
		path  string
		src   string // "" deletes
		fails bool
	}{
		{"a slug taken", "content/d.md", "---\ntitle: D\ndate: 2011-01-04\nslug: c\ntags: [X]\n---\nText.\n", true},
		{"a link to a deleted article", "content/b.md", "", true},
		{"a new article", "content/e.md", "---\ntitle: E\ndate: 2011-01-05\ntags: [X]\n---\nSee [c](c.md).\n", false},
		// Its neighbours in time have no tag, and the related events of
		// X's other articles stay the same: only its leaving X changes X.
		{"an article alone in time", "content/r.md", "", false},
	} {
		fsys := fstest.MapFS{}
		for p, src := range files {
			fsys[p] = &fstest.MapFile{Data: []byte(src)}
		}
		loader, opts := content.NewLoader(), Options{Memo: NewMemo()}
		c, _ := loader.Load(fsys)
		prev, err := New(c, opts)
		if err != nil {
			t.Fatal(err)
		}
		before := dumpModel(prev)
		if step.src == "" {
			delete(fsys, step.path)
		} else {
			fsys[step.path] = &fstest.MapFile{Data: []byte(step.src)}
		}
		loader.Changed(&content.Changes{Paths: []string{step.path}})
		c, _ = loader.Load(fsys)
		want, wantErr := New(c, Options{Memo: NewMemo()})
		changed, m, ok := prev.inPlace(c, opts)
		if !ok || m.empty() {
			t.Fatalf("%s: not a move", step.name)
		}
		placed := prev.canMove(c, m, changed, opts)
		got, gotErr := Update(prev, c, opts)
		switch {
		case fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || (gotErr != nil) != step.fails:
			t.Errorf("%s: Update error %v, New's %v", step.name, gotErr, wantErr)
		case gotErr != nil && dumpModel(prev) != before:
			t.Errorf("%s: a failed Update changed the last model", step.name)
		case gotErr == nil && (!placed || dumpModel(got) != dumpModel(want)):
			t.Errorf("%s: in place %v, the same as New's %v", step.name, placed, dumpModel(got) == dumpModel(want))
		}
	}
}

// revisionsOf is the revision of every facet of every object of s but
// the site's own.
func revisionsOf(s *Site) map[Dep]Revision {
	revs := map[Dep]Revision{}
	for _, a := range s.Articles {
		for _, f := range []Facet{ArticleMeta, ArticleBody, ArticleLinks} {
			revs[a.Dep(f)] = a.Rev(f)
		}
	}
	for _, y := range s.Years {
		d, _ := y.Dep()
		revs[d] = y.Rev()
	}
	for _, t := range slices.Concat(s.Tags, s.Parties) {
		revs[t.Dep(TermMeta)], revs[t.Dep(TermMembers)] = t.Rev(TermMeta), t.Rev(TermMembers)
	}
	for _, e := range s.Eras {
		revs[e.Dep()] = e.Rev()
	}
	return revs
}

// unlisted lists the facets whose revisions differ between before and
// s, an update in place of the site at generation gen, or that came or
// went, but whose objects s.Restamped(gen) does not list: a renderer
// looking only at those would miss them.
func unlisted(before map[Dep]Revision, s *Site, gen uint64) []Dep {
	r, ok := s.Restamped(gen)
	if !ok {
		return []Dep{{}}
	}
	listed := map[Dep]bool{}
	for _, a := range r.Articles {
		listed[a.Dep(ArticleMeta)] = true
	}
	for _, p := range r.Gone {
		listed[Dep{ArticleMeta, p}] = true
	}
	for _, y := range r.Years {
		d, _ := y.Dep()
		listed[d] = true
	}
	for _, t := range r.Terms {
		listed[t.Dep(TermMeta)] = true
	}
	for _, e := range r.Eras {
		listed[e.Dep()] = true
	}
	object := func(d Dep) Dep { // an object is listed by its first facet
		switch d.Facet {
		case ArticleBody, ArticleLinks:
			d.Facet = ArticleMeta
		case TermMembers:
			d.Facet = TermMeta
		}
		return d
	}
	after := revisionsOf(s)
	var missed []Dep
	for d, rev := range after {
		if old, ok := before[d]; (!ok || old != rev) && !listed[object(d)] {
			missed = append(missed, d)
		}
	}
	for d := range before {
		if _, ok := after[d]; !ok && !listed[object(d)] {
			missed = append(missed, d)
		}
	}
	return missed
}
